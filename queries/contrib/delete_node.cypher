// title: Delete a node with a contribution
// description: the first step of accepting a removal (or of reverting a new node): delete the node and its relations, only if the contribution still has the expected status and the node is as it was read just before (same properties, same number of relations); marks the contribution with this write's token
// template: LABEL
// param number: integer         -- the contribution's number
// param expected: string        -- the status it must have (pending for an accept, accepted for a revert)
// param token: string           -- this write's random token
// param id: string              -- the node
// param props: map              -- its properties as read
// param degree: integer         -- its number of relations as read
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = $expected
MATCH (n:__LABEL__ {id: $id})
WHERE properties(n) = $props
OPTIONAL MATCH (n)-[r]-()
WITH c, n, count(r) AS degree
WHERE degree = $degree
DETACH DELETE n
SET c.token = $token
RETURN c.number AS number

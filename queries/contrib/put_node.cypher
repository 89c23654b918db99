// title: Create a node with a contribution
// description: the first step of accepting a new node (or of reverting a removal): create it, only if the contribution still has the expected status and no node has that id; marks the contribution with this write's token, which the later steps of the same write need
// template: LABEL
// param number: integer         -- the contribution's number
// param expected: string        -- the status it must have (pending for an accept, accepted for a revert)
// param token: string           -- this write's random token
// param id: string              -- the node's id
// param props: map              -- its properties (sources and origins included)
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = $expected
OPTIONAL MATCH (x:__LABEL__ {id: $id})
WITH c, x
WHERE x IS NULL
CREATE (n:__LABEL__ {id: $id})
SET n += $props
SET c.token = $token
RETURN c.number AS number

// title: Delete a relation with a contribution
// description: the first step of accepting a removed relation (or of reverting a new one): delete it, only if the contribution still has the expected status and the relation exists; marks the contribution with this write's token
// template: SRC, TYPE, DST
// param number: integer         -- the contribution's number
// param expected: string        -- the status it must have (pending for an accept, accepted for a revert)
// param token: string           -- this write's random token
// param source_id: string       -- the relation's start
// param target_id: string       -- the relation's end
// param key: string             -- the relation's key
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = $expected
MATCH (a:__SRC__ {id: $source_id})-[r:__TYPE__ {key: $key}]->(b:__DST__ {id: $target_id})
DELETE r
SET c.token = $token
RETURN c.number AS number

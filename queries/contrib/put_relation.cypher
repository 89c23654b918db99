// title: Create a relation with a contribution
// description: the first step of accepting a new relation (or of reverting a removed one): create it, only if the contribution still has the expected status, both ends exist and they hold no such relation yet; marks the contribution with this write's token
// template: SRC, TYPE, DST
// param number: integer         -- the contribution's number
// param expected: string        -- the status it must have (pending for an accept, accepted for a revert)
// param token: string           -- this write's random token
// param source_id: string       -- the relation's start
// param target_id: string       -- the relation's end
// param key: string             -- the relation's key (its year or since, as a load gives it)
// param props: map              -- its properties (sources included)
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = $expected
MATCH (a:__SRC__ {id: $source_id})
MATCH (b:__DST__ {id: $target_id})
OPTIONAL MATCH (a)-[x:__TYPE__ {key: $key}]->(b)
WITH c, a, b, x
WHERE x IS NULL
CREATE (a)-[r:__TYPE__ {key: $key}]->(b)
SET r += $props
SET c.token = $token
RETURN c.number AS number

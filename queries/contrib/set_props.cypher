// title: Set properties with a contribution
// description: the first step of accepting a correction (or of reverting one): set the properties, only if the contribution still has the expected status and every property changed still has the value the change was based on (else nothing: a conflict); marks the contribution with this write's token
// template: LABEL
// param number: integer         -- the contribution's number
// param expected: string        -- the status it must have (pending for an accept, accepted for a revert)
// param token: string           -- this write's random token
// param id: string              -- the node
// param before: map             -- property -> the value it must have now (null: absent)
// param props: map              -- property -> new value (null: removed), sources and origins included
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = $expected
MATCH (n:__LABEL__ {id: $id})
WHERE all(k IN keys($before) WHERE (n[k] IS NULL AND $before[k] IS NULL) OR n[k] = $before[k])
SET n += $props
SET c.token = $token
RETURN c.number AS number

// title: A second label written with a contribution
// description: a later step of a revert that puts a removed node back with its second label (a CIGALES club is Structure and Funder), only if the first step marked the contribution with this write's token
// template: LABEL, EXTRA
// param number: integer         -- the contribution's number
// param token: string           -- this write's random token
// param id: string              -- the node
// mode: write
// returns: id
MATCH (c:Contribution {number: $number})
WHERE c.token = $token
MATCH (n:__LABEL__ {id: $id})
SET n:__EXTRA__
RETURN n.id AS id

// title: Mark a contribution reverted
// description: the last step of a revert: who reverted it, when and why, and the proposal's Source node deleted (what it stated is no longer in the base), only if the first step marked the contribution with this write's token
// param number: integer         -- the contribution's number
// param token: string           -- this write's random token
// param reviewer: string        -- the editor's opaque account key
// param reason: string          -- why
// param source_id: string       -- the proposal's Source node id
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.token = $token
SET c.status = 'reverted', c.reverted_by = $reviewer, c.reverted_at = $at, c.revert_reason = $reason
WITH c
OPTIONAL MATCH (s:Source {id: $source_id})
DETACH DELETE s
RETURN c.number AS number

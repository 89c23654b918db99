// title: Reject a proposal
// description: a pending proposal is kept, rejected, with the editor's reason
// param number: integer         -- the proposal's number
// param reviewer: string        -- the editor's opaque account key
// param reason: string          -- why
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.status = 'pending'
SET c.status = 'rejected', c.reviewer = $reviewer, c.reviewed_at = $at, c.reason = $reason
RETURN c.number AS number

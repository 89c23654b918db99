// title: Mark a contribution accepted
// description: the last step of an accept: the review's fields and the proposal's Source node (source:contribution-N, the provenance of what it wrote), only if the first step marked the contribution with this write's token
// param number: integer         -- the contribution's number
// param token: string           -- this write's random token
// param reviewer: string        -- the editor's opaque account key
// param reason: string          -- the editor's note
// param payload: string         -- the change as accepted (amended or not), JSON
// param amended: boolean        -- whether the editor changed it
// param applied: string         -- what was written, JSON (what a revert takes back)
// param source_id: string       -- the proposal's Source node id ("" for none: a removal)
// param source_title: string    -- the source the proposal names
// param date: string            -- the date of the accept (YYYY-MM-DD)
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: number
MATCH (c:Contribution {number: $number})
WHERE c.token = $token
SET c.status = 'accepted', c.reviewer = $reviewer, c.reviewed_at = $at, c.reason = $reason,
    c.payload = $payload, c.amended = $amended, c.applied = $applied
FOREACH (_ IN CASE WHEN $source_id = '' THEN [] ELSE [1] END |
  MERGE (s:Source {id: $source_id})
  SET s.title = $source_title, s.kind = 'contribution', s.date = $date)
RETURN c.number AS number

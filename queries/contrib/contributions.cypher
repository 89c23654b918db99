// title: Contributions by status
// description: the proposals with a status (pending: the review queue), oldest first (newest first with newest); proposer and reviewer are opaque account keys
// param status: string = "pending"   -- pending, accepted, rejected or reverted ("" for all)
// param proposer: string = ""        -- only this account's proposals ("" for all)
// param limit: integer = 200         -- rows at most
// param newest: boolean = false      -- the newest first (what was accepted lately, one's own proposals)
// internal: accounts and the review queue are read by maillage itself, for the roles it checks
// returns: number, kind, status, label, target, touches, payload, before, source, comment, proposer, proposed_at, reviewer, reviewed_at, reason, amended, applied, reverted_by, reverted_at, revert_reason
// example: {"status": "pending"}
MATCH (c:Contribution)
WHERE ($status = '' OR c.status = $status) AND ($proposer = '' OR c.proposer = $proposer)
RETURN c.number AS number, c.kind AS kind, c.status AS status, c.label AS label, c.target AS target,
       c.touches AS touches, c.payload AS payload, c.before AS before, c.source AS source,
       c.comment AS comment, c.proposer AS proposer, c.proposed_at AS proposed_at,
       c.reviewer AS reviewer, c.reviewed_at AS reviewed_at, c.reason AS reason, c.amended AS amended,
       c.applied AS applied, c.reverted_by AS reverted_by, c.reverted_at AS reverted_at,
       c.revert_reason AS revert_reason
ORDER BY CASE WHEN $newest THEN -number ELSE number END
LIMIT $limit

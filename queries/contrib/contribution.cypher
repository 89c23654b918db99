// title: One contribution
// description: a proposal by its number, whatever its status
// param number: integer         -- the proposal's number
// internal: accounts and the review queue are read by maillage itself, for the roles it checks
// returns: number, kind, status, label, target, touches, payload, before, source, comment, proposer, proposed_at, reviewer, reviewed_at, reason, amended, applied, reverted_by, reverted_at, revert_reason
// example: {"number": 1}
MATCH (c:Contribution {number: $number})
RETURN c.number AS number, c.kind AS kind, c.status AS status, c.label AS label, c.target AS target,
       c.touches AS touches, c.payload AS payload, c.before AS before, c.source AS source,
       c.comment AS comment, c.proposer AS proposer, c.proposed_at AS proposed_at,
       c.reviewer AS reviewer, c.reviewed_at AS reviewed_at, c.reason AS reason, c.amended AS amended,
       c.applied AS applied, c.reverted_by AS reverted_by, c.reverted_at AS reverted_at,
       c.revert_reason AS revert_reason
ORDER BY number

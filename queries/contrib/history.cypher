// title: History of a node
// description: the accepted contributions that touched a node (reverted ones too, marked), in the order they were written
// param id: string              -- the node's id, e.g. "structure:ecossolies"
// internal: read by graph.contrib.history, which leaves the account keys out for readers
// returns: number, kind, status, target, payload, before, source, proposer, proposed_at, reviewer, reviewed_at, reason, amended, reverted_by, reverted_at, revert_reason
// example: {"id": "structure:ecossolies"}
MATCH (c:Contribution)
WHERE $id IN c.touches AND c.status IN ['accepted', 'reverted']
RETURN c.number AS number, c.kind AS kind, c.status AS status, c.target AS target, c.payload AS payload,
       c.before AS before, c.source AS source, c.proposer AS proposer, c.proposed_at AS proposed_at,
       c.reviewer AS reviewer, c.reviewed_at AS reviewed_at, c.reason AS reason, c.amended AS amended,
       c.reverted_by AS reverted_by, c.reverted_at AS reverted_at, c.revert_reason AS revert_reason
ORDER BY reviewed_at, number

// title: Record a proposal
// description: a proposed change waits for review as a Contribution node (no id, so no export, count or analysis sees it), numbered in order; the proposer is recorded by its account's opaque key
// param kind: string            -- add_node, add_relation, correct, remove_node or remove_relation
// param label: string           -- the label of the node proposed, corrected or removed ("" for a relation)
// param target: string          -- the node's id, or the relation as "source TYPE target"
// param touches: list           -- ids of the nodes the change touches (their history lists it)
// param payload: string         -- the change, JSON
// param before: string          -- the values it changes as they were when proposed, JSON
// param source: string          -- the source it names (a document, a URL, "connaissance directe de …")
// param comment: string         -- the proposer's note
// param proposer: string        -- the proposing account's opaque key
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: number
MERGE (k:ContributionCount)
SET k.last = coalesce(k.last, 0) + 1
WITH k
CREATE (c:Contribution {number: k.last, kind: $kind, status: 'pending', label: $label, target: $target,
                        touches: $touches, payload: $payload, before: $before, source: $source,
                        comment: $comment, proposer: $proposer, proposed_at: $at})
RETURN c.number AS number

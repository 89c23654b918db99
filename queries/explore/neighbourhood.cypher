// title: Neighbourhood of a node
// description: the nodes one hop away, by relationship type, optionally restricted to some types
// param id: string              -- the node's id
// param types: list = null      -- relationship types to keep (all when empty), e.g. MEMBER_OF,FUNDED_BY
// param skip: integer = 0       -- rows to skip (paging)
// param limit: integer = 50     -- rows at most
// template: LABEL
// returns: type, outgoing, id, name, labels
// example: {"id": "commune:44109", "types": ["PART_OF"]}
MATCH (n:__LABEL__ {id: $id})-[r]-(m)
WHERE $types IS NULL OR size($types) = 0 OR type(r) IN $types
RETURN type(r) AS type, startNode(r).id = n.id AS outgoing, m.id AS id, m.name AS name, labels(m) AS labels
ORDER BY type, name, id
SKIP $skip
LIMIT $limit

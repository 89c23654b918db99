// title: Relationships of one node
// description: every relationship of a node, outgoing and incoming, with the other end's id and the relationship's properties (what a merge moves and its undo puts back)
// param id: string              -- the node's id, e.g. "structure:ecossolies"
// template: LABEL
// returns: direction, type, other, properties
// example: {"id": "structure:ecossolies"}
MATCH (n:__LABEL__ {id: $id})-[r]-(m)
RETURN CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction, type(r) AS type, m.id AS other,
       properties(r) AS properties
ORDER BY direction DESC, type, other, r.key

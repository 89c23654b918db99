// title: One node
// description: a node's labels and properties, by id (its label is taken from the id prefix)
// param id: string              -- e.g. "structure:ecossolies" or "commune:44109"
// template: LABEL
// returns: id, name, labels, properties
// example: {"id": "commune:44109"}
MATCH (n:__LABEL__ {id: $id})
RETURN n.id AS id, n.name AS name, labels(n) AS labels, properties(n) AS properties
ORDER BY id

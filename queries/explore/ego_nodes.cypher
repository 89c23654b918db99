// title: Nodes of an ego network, with the links between them
// description: the given nodes (all of one label) with their name and labels, and their outgoing relationships of the given types, as [type, target id] (a node's outgoing relationships are few: its seat, memberships, funders; the caller keeps those between kept nodes)
// param ids: list              -- node ids, all of the template's label
// param types: list            -- relationship types to draw
// template: LABEL
// returns: id, name, labels, links
// example: {"ids": ["structure:ecossolies"], "types": ["LOCATED_IN"]}
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
RETURN n.id AS id, n.name AS name, labels(n) AS labels,
       [(n)-[r]->(m) WHERE type(r) IN $types | [type(r), m.id]] AS links
ORDER BY id

// title: Neighbours of some nodes, for an ego network
// description: for each given node (all of one label), its neighbours through the given relationship types in id order, at most cap of them, and how many there are (the Structure page draws the ego network from these rows, never from the whole graph)
// param ids: list              -- node ids, all of the template's label
// param types: list            -- relationship types to follow, e.g. MEMBER_OF,FUNDED_BY
// param cap: integer = 40      -- neighbours kept per node
// template: LABEL
// returns: id, total, around
// example: {"ids": ["structure:ecossolies"], "types": ["MEMBER_OF", "LOCATED_IN"], "cap": 40}
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})-[r]-(m)
WHERE type(r) IN $types
WITH n, m
ORDER BY m.id
WITH n, collect(DISTINCT m.id) AS found
RETURN n.id AS id, size(found) AS total, found[..$cap] AS around
ORDER BY id

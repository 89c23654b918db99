// title: Nodes of the app graph
// description: every node that is not a territory, with its labels and properties, one page at a time (the app's in-memory graph; territories come from app.territories)
// param skip: integer = 0       -- rows to skip
// param limit: integer = 1000000 -- rows at most
// returns: id, labels, properties
MATCH (n)
WHERE NOT n:Territory
RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties
ORDER BY id
SKIP $skip
LIMIT $limit

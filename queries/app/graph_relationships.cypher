// title: Relationships of the app graph
// description: every relationship except the containment of territories in one another, with its endpoints' ids and properties, one page at a time
// param skip: integer = 0       -- rows to skip
// param limit: integer = 1000000 -- rows at most
// returns: source, type, target, properties
MATCH (a)-[r]->(b)
WHERE NOT (a:Territory AND b:Territory)
RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS properties
ORDER BY source, type, target
SKIP $skip
LIMIT $limit

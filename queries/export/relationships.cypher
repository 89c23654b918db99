// title: All relationships
// description: every relationship with its endpoints' ids and its properties, one page at a time
// param skip: integer = 0       -- rows to skip
// param limit: integer = 1000000 -- rows at most
// returns: source, type, target, properties
MATCH (a)-[r]->(b)
RETURN a.id AS source, type(r) AS type, b.id AS target, properties(r) AS properties
ORDER BY source, type, target, r.key
SKIP $skip
LIMIT $limit

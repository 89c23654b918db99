// title: All nodes
// description: every node with its labels and properties, one page at a time (export, conversions)
// param skip: integer = 0       -- rows to skip
// param limit: integer = 1000000 -- rows at most
// returns: id, labels, properties
MATCH (n)
RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties
ORDER BY id
SKIP $skip
LIMIT $limit

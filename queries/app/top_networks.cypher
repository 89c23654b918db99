// title: Most connected networks
// description: networks ranked by their relationships with organisations, events and initiatives (territories left out), with their number of members
// param limit: integer = 10     -- rows at most
// returns: id, name, kind, level, relations, members
// example: {"limit": 5}
MATCH (n:Network)
OPTIONAL MATCH (n)-[r]-(m)
WHERE NOT m:Territory
WITH n, count(r) AS relations
OPTIONAL MATCH (x)-[:MEMBER_OF]->(n)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.level AS level, relations, count(x) AS members
ORDER BY relations DESC, members DESC, name, id
LIMIT $limit

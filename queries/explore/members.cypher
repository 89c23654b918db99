// title: Members of a network
// description: structures and networks that are members of a network, by name, one page at a time
// param network: string         -- the network's id, e.g. "network:cress-aquitaine"
// param skip: integer = 0       -- rows to skip
// param limit: integer = 20     -- rows at most
// returns: id, name, labels, role, since, until
// example: {"network": "network:cress-aquitaine"}
MATCH (m)-[r:MEMBER_OF]->(n:Network {id: $network})
RETURN m.id AS id, m.name AS name, labels(m) AS labels, r.role AS role, r.since AS since, r.until AS until
ORDER BY name, id
SKIP $skip
LIMIT $limit

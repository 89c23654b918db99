// title: Organisations in a territory
// description: structures, networks, funders and places whose seat is in a territory or any territory it contains
// param territory: string       -- a territory id, e.g. "departement:44" or "epci:244400404"
// param limit: integer = 100    -- rows at most
// returns: id, name, labels, seat
// example: {"territory": "departement:44"}
MATCH (t:Territory {id: $territory})
MATCH (c:Territory)-[:PART_OF*0..3]->(t)
MATCH (s)-[:LOCATED_IN]->(c)
RETURN DISTINCT s.id AS id, s.name AS name, labels(s) AS labels, c.id AS seat
ORDER BY name, id
LIMIT $limit

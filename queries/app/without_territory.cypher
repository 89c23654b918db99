// title: Organisations without a territory
// description: structures, networks, funders and shared places with neither a seat (LOCATED_IN) nor an area of intervention (SERVES): invisible on maps and in coverage
// param limit: integer = 500    -- rows at most
// returns: id, name, labels
// example: {"limit": 50}
MATCH (n)
WHERE (n:Structure OR n:Network OR n:Funder OR n:SharedPlace)
OPTIONAL MATCH (n)-[r:LOCATED_IN|SERVES]->(:Territory)
WITH n, count(r) AS attachments
WHERE attachments = 0
RETURN n.id AS id, n.name AS name, labels(n) AS labels
ORDER BY name, id
LIMIT $limit

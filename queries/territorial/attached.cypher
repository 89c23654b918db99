// title: Organisations attached to territories
// description: the structures, networks, funders and shared places seated in (LOCATED_IN) or serving (SERVES) one of the given territories, with the properties the territorial analyses read and their territorial, sector and carrying links as [type, target id] (orientation: the providers of a commune and of the territories containing it)
// param ids: list     -- territory ids
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
// example: {"ids": ["commune:44109", "epci:244400404"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p)-[:LOCATED_IN|SERVES]->(t)
WHERE p:Structure OR p:Network OR p:Funder OR p:SharedPlace
WITH DISTINCT p
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon,
       [(p)-[r:LOCATED_IN|SERVES|ACTIVE_IN|CARRIES]->(x) | [type(r), x.id]] AS links
ORDER BY id

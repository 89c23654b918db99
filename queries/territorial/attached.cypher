// title: Possible providers attached to territories
// description: the structures, networks, funders and shared places seated in (LOCATED_IN) or serving (SERVES) one of the given territories that could provide support (a network, a shared place, or a structure or funder listing functions: the others are never a provider of a need), with the properties the territorial analyses read and their territorial, sector and carrying links as [type, target id] (orientation: the providers of a commune and of the territories containing it). Links come from OPTIONAL MATCH and collect, not a pattern comprehension (four times faster on FalkorDB), and the labels are tested before the property (the other order is fifty times slower there)
// param ids: list     -- territory ids
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
// example: {"ids": ["commune:44109", "epci:244400404"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p)-[:LOCATED_IN|SERVES]->(t)
WHERE p:Network OR p:SharedPlace OR ((p:Structure OR p:Funder) AND p.functions IS NOT NULL)
WITH DISTINCT p
OPTIONAL MATCH (p)-[r:LOCATED_IN|SERVES|ACTIVE_IN|CARRIES]->(x)
WITH p, collect(CASE WHEN r IS NULL THEN null ELSE [type(r), x.id] END) AS links
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon,
       links
ORDER BY id

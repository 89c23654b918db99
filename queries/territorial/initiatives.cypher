// title: Initiatives and their carriers
// description: every initiative and every organisation that carries one (CARRIES) and could provide support (it lists functions, or is a network or a shared place: the others are never a provider of the need), with the properties the territorial analyses read and their links as [type, target id] (orientation: the initiatives answering a need here)
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
MATCH (i:Initiative)
OPTIONAL MATCH (c)-[:CARRIES]->(i)
WHERE (c:Structure OR c:Network OR c:Funder OR c:SharedPlace)
  AND (c.functions IS NOT NULL OR c:Network OR c:SharedPlace)
WITH collect(DISTINCT i) + collect(DISTINCT c) AS found
UNWIND found AS p
WITH DISTINCT p
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon,
       [(p)-[r:LOCATED_IN|SERVES|ACTIVE_IN|CARRIES]->(x) | [type(r), x.id]] AS links
ORDER BY id

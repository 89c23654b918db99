// title: Organisations without a territory
// description: the nodes of one label of the given levels seated in no territory and serving none, with the properties the territorial analyses read and links as [type, target id] (orientation: those of national or international level answer everywhere)
// param levels: list   -- the levels kept, e.g. national, international
// template: LABEL
// example: {"levels": ["national", "international"]}
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
MATCH (p:__LABEL__)
WHERE p.level IN $levels AND NOT (p)-[:LOCATED_IN|SERVES]->(:Territory)
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon,
       [(p)-[r:LOCATED_IN|SERVES|ACTIVE_IN|CARRIES]->(x) | [type(r), x.id]] AS links
ORDER BY id

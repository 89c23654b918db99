// title: Providers of a support function
// description: the nodes of one label that offer a support function (listed in functions; every shared place offers lieu, every network reseau), with the properties the territorial analyses read and links as [type, target id] (coverage, white zones, support chain)
// param need: string  -- a support function, e.g. accompagnement
// template: LABEL
// example: {"need": "accompagnement"}
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
MATCH (p:__LABEL__)
WHERE $need IN coalesce(p.functions, []) OR ($need = 'lieu' AND p:SharedPlace) OR ($need = 'reseau' AND p:Network)
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon,
       [(p)-[r:LOCATED_IN|SERVES|ACTIVE_IN|CARRIES]->(x) | [type(r), x.id]] AS links
ORDER BY id

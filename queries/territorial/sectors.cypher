// title: Sectors
// description: every sector with its name (the names shown beside providers and overlaps)
// returns: id, labels, name, level, functions, stages, theme, description, lat, lon, links
MATCH (p:Sector)
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.level AS level, p.functions AS functions,
       p.stages AS stages, p.theme AS theme, p.description AS description, p.lat AS lat, p.lon AS lon, [] AS links
ORDER BY id

// title: Territories, compact
// description: every territory with its level, population, centroid, density class and the ids of the territories directly containing it, in id order one page at a time (faster than the full export for building maps and coverage)
// param after: string = ''        -- only ids above this one (the last id of the previous page)
// param limit: integer = 1000000  -- rows at most
// cursor: id after
// returns: id, name, level, code, population, lat, lon, density, parents
MATCH (t:Territory)
WHERE t.id > $after
WITH t
ORDER BY t.id
LIMIT $limit
OPTIONAL MATCH (t)-[:PART_OF]->(p:Territory)
RETURN t.id AS id, t.name AS name, t.level AS level, t.code AS code, t.population AS population,
       t.lat AS lat, t.lon AS lon, t.density AS density, collect(p.id) AS parents
ORDER BY id

// title: Territories by id
// description: the territories of the given ids with their cards and the ids of the territories directly containing each (the seats of providers, the containers of a scope's territories)
// param ids: list     -- territory ids
// returns: id, name, level, code, population, lat, lon, density, parents
// example: {"ids": ["commune:44109", "departement:44"]}
MATCH (t:Territory)
WHERE t.id IN $ids
RETURN t.id AS id, t.name AS name, t.level AS level, t.code AS code, t.population AS population,
       t.lat AS lat, t.lon AS lon, t.density AS density, [(t)-[:PART_OF]->(p:Territory) | p.id] AS parents
ORDER BY id

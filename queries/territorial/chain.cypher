// title: A territory and those containing it
// description: the territory and every territory it lies in (PART_OF, transitively), with the cards the territorial analyses read and the ids of the territories directly containing each (orientation, coverage within a scope)
// param id: string    -- a territory id, e.g. commune:44109
// returns: id, name, level, code, population, lat, lon, density, parents
// example: {"id": "commune:44109"}
MATCH (c:Territory {id: $id})
OPTIONAL MATCH (c)-[:PART_OF*1..8]->(a:Territory)
WITH c, collect(DISTINCT a) AS above
UNWIND [c] + above AS t
WITH DISTINCT t
RETURN t.id AS id, t.name AS name, t.level AS level, t.code AS code, t.population AS population,
       t.lat AS lat, t.lon AS lon, t.density AS density, [(t)-[:PART_OF]->(p:Territory) | p.id] AS parents
ORDER BY id

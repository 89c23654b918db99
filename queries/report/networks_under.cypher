// title: Networks attached around a territory
// description: for each territory of a level inside a parent territory (the départements of a région, the communes of an EPCI), the networks seated in or serving it or a territory inside it (maillage report: networks present in neighbouring territories and absent here)
// param id: string      -- the parent territory, e.g. region:75
// param level: string   -- the level of its territories compared: commune, epci or departement
// returns: territory, territory_name, id, name, places
// example: {"id": "region:75", "level": "departement"}
MATCH (s:Territory {id: $id})
MATCH (c:Territory {level: $level})-[:PART_OF*1..3]->(s)
WITH DISTINCT c
MATCH (t:Territory)-[:PART_OF*0..3]->(c)
MATCH (n:Network)-[:LOCATED_IN|SERVES]->(t)
RETURN c.id AS territory, c.name AS territory_name, n.id AS id, n.name AS name, count(DISTINCT t) AS places
ORDER BY territory, id

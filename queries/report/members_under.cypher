// title: Networks with members around a territory
// description: for each territory of a level inside a parent territory (the départements of a région, the communes of an EPCI), the networks of which an organisation seated there (or in a territory inside it) is a member (maillage report: networks present in neighbouring territories and absent here)
// param id: string      -- the parent territory, e.g. region:75
// param level: string   -- the level of its territories compared: commune, epci or departement
// returns: territory, territory_name, id, name, members
// example: {"id": "region:75", "level": "departement"}
MATCH (s:Territory {id: $id})
MATCH (c:Territory {level: $level})-[:PART_OF*1..3]->(s)
WITH DISTINCT c
MATCH (t:Territory)-[:PART_OF*0..3]->(c)
MATCH (m)-[:LOCATED_IN]->(t)
MATCH (m)-[:MEMBER_OF]->(n:Network)
RETURN c.id AS territory, c.name AS territory_name, n.id AS id, n.name AS name, count(DISTINCT m) AS members
ORDER BY territory, id

// title: Organisations by territory
// description: how many organisations of each kind are seated in or serve each territory of a level (counting what is attached to a territory inside it), most first
// param level: string = "departement" -- territory level: commune, epci, departement or region
// returns: id, name, label, count
// example: {"level": "departement"}
MATCH (n)-[:LOCATED_IN|SERVES]->(t:Territory)
WHERE NOT n:Territory
MATCH (t)-[:PART_OF*0..3]->(d:Territory {level: $level})
UNWIND labels(n) AS label
WITH d, label, count(DISTINCT n) AS count
RETURN d.id AS id, d.name AS name, label, count
ORDER BY count DESC, name, label

// title: Initiatives carried in territories
// description: the initiatives carried (CARRIES) by an organisation seated in or serving one of the given territories, with that organisation (maillage report: the initiatives carried here)
// param ids: list     -- territory ids: a territory and those inside it
// returns: id, carrier, carrier_name
// example: {"ids": ["commune:44109", "epci:244400404"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p)-[:LOCATED_IN|SERVES]->(t)
WHERE p:Structure OR p:Network OR p:Funder OR p:SharedPlace
MATCH (p)-[:CARRIES]->(i:Initiative)
RETURN DISTINCT i.id AS id, p.id AS carrier, p.name AS carrier_name
ORDER BY id, carrier

// title: Organisations attached to each territory
// description: for each of the given territories that has any, how many structures, networks, funders and shared places are seated in it or serve it (maillage report: the communes of which the base knows no organisation)
// param ids: list     -- territory ids
// returns: territory, organisations
// example: {"ids": ["commune:23077", "commune:23096"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p)-[:LOCATED_IN|SERVES]->(t)
WHERE p:Structure OR p:Network OR p:Funder OR p:SharedPlace
RETURN t.id AS territory, count(DISTINCT p) AS organisations
ORDER BY territory

// title: Organisations of a territory by sector
// description: how many structures, networks, funders and shared places seated in or serving a territory or a territory inside it are active in each sector (ACTIVE_IN), most first (maillage report: the territory compared with its département, its région)
// param id: string    -- a territory id, e.g. departement:23
// returns: sector, name, count
// example: {"id": "departement:23"}
MATCH (s:Territory {id: $id})
MATCH (t:Territory)-[:PART_OF*0..3]->(s)
MATCH (n)-[:LOCATED_IN|SERVES]->(t)
WHERE n:Structure OR n:Network OR n:Funder OR n:SharedPlace
WITH DISTINCT n
MATCH (n)-[:ACTIVE_IN]->(x:Sector)
RETURN x.id AS sector, x.name AS name, count(DISTINCT n) AS count
ORDER BY count DESC, sector

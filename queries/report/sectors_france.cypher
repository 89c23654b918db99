// title: Organisations of the whole base by sector
// description: how many structures, networks, funders and shared places of the base are active in each sector, most first (maillage report: the comparison with France; kept with the home page's counts for each graph version)
// returns: sector, name, count
// example: {}
MATCH (n)-[:ACTIVE_IN]->(x:Sector)
WHERE n:Structure OR n:Network OR n:Funder OR n:SharedPlace
RETURN x.id AS sector, x.name AS name, count(DISTINCT n) AS count
ORDER BY count DESC, sector

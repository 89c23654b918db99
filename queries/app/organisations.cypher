// title: Organisations with their identifiers
// description: structures, networks, funders and shared places with their SIREN and RNA numbers and website (to look for possible duplicates)
// param limit: integer = 100000 -- rows at most
// returns: id, name, labels, siren, rna, website
// example: {"limit": 50}
MATCH (n)
WHERE n:Structure OR n:Network OR n:Funder OR n:SharedPlace
RETURN n.id AS id, n.name AS name, labels(n) AS labels, n.siren AS siren, n.rna AS rna, n.website AS website
ORDER BY id
LIMIT $limit

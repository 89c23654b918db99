// title: Organisations of a territory by kind and legal form
// description: how many structures, networks, funders and shared places are seated in or serve a territory or a territory inside it, by kind (a node with two labels counts in both) and legal form (maillage report: the territory compared with its département, its région)
// param id: string    -- a territory id, e.g. departement:23
// returns: label, legal_form, count
// example: {"id": "departement:23"}
MATCH (s:Territory {id: $id})
MATCH (t:Territory)-[:PART_OF*0..3]->(s)
MATCH (n)-[:LOCATED_IN|SERVES]->(t)
WHERE n:Structure OR n:Network OR n:Funder OR n:SharedPlace
WITH DISTINCT n
UNWIND labels(n) AS label
WITH n, label
WHERE label IN ['Structure', 'Network', 'Funder', 'SharedPlace']
RETURN label, n.legal_form AS legal_form, count(n) AS count
ORDER BY label, count DESC, legal_form

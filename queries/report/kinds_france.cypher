// title: Organisations of the whole base by kind and legal form
// description: how many structures, networks, funders and shared places the base holds, by kind (a node with two labels counts in both) and legal form (maillage report: the comparison with France; kept with the home page's counts for each graph version)
// returns: label, legal_form, count
// example: {}
MATCH (n)
WHERE n:Structure OR n:Network OR n:Funder OR n:SharedPlace
UNWIND labels(n) AS label
WITH n, label
WHERE label IN ['Structure', 'Network', 'Funder', 'SharedPlace']
RETURN label, n.legal_form AS legal_form, count(n) AS count
ORDER BY label, count DESC, legal_form

// title: Nodes by label
// description: how many nodes carry each label (a node with two labels counts in both)
// returns: label, count
MATCH (n)
WHERE NOT n:GraphVersion AND NOT n:KeptAnalysis
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label

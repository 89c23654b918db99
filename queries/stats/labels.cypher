// title: Nodes by label
// description: how many nodes carry each label (a node with two labels counts in both); bookkeeping nodes (graph version, kept analyses, contributions, accounts) are left out
// returns: label, count
MATCH (n)
WHERE NOT n:GraphVersion AND NOT n:KeptAnalysis AND NOT n:Contribution AND NOT n:ContributionCount
  AND NOT n:Account AND NOT n:Session
UNWIND labels(n) AS label
RETURN label, count(*) AS count
ORDER BY label

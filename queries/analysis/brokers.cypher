// title: Brokers of the cooperation network
// description: structures by betweenness, as written by `maillage analyse brokers --write`, with participation across clusters and Burt's constraint
// param limit: integer = 20     -- rows at most
// returns: id, name, betweenness, participation, constraint, cluster, brokers_at
// example: {"limit": 10}
MATCH (s:Structure)
WHERE s.betweenness IS NOT NULL
RETURN s.id AS id, s.name AS name, s.betweenness AS betweenness, s.participation AS participation,
       s.constraint AS constraint, s.cluster AS cluster, s.brokers_at AS brokers_at
ORDER BY betweenness DESC, name, id
LIMIT $limit

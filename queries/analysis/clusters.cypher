// title: Structures of a cooperation cluster
// description: structures in one cluster written by `maillage analyse clusters --write`, most central first (betweenness when written by `analyse brokers --write`)
// param cluster: integer        -- the cluster number, as printed by `maillage analyse clusters`
// param limit: integer = 100    -- rows at most
// returns: id, name, cluster, cluster_size, betweenness, cluster_at
// example: {"cluster": 0}
MATCH (s:Structure)
WHERE s.cluster = $cluster
RETURN s.id AS id, s.name AS name, s.cluster AS cluster, s.cluster_size AS cluster_size,
       s.betweenness AS betweenness, s.cluster_at AS cluster_at
ORDER BY coalesce(betweenness, 0.0) DESC, name, id
LIMIT $limit

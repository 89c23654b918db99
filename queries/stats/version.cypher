// title: Graph version
// description: the version token of the graph, how many writes it has seen and when the last one was (no row before the first write); in-memory caches and kept analyses carry the version they were made from
// returns: version, changes, changed_at
MATCH (v:GraphVersion)
RETURN v.version AS version, v.changes AS changes, v.changed_at AS changed_at
ORDER BY changed_at DESC
LIMIT 1

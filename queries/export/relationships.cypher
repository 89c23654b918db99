// title: All relationships
// description: every relationship grouped by source node: one row per node in id order with its outgoing relationships as [type, target id, properties] lists, one page of source nodes at a time (a node's relationships are never split between pages)
// param after: string = ''        -- only source ids above this one (the last source of the previous page)
// param limit: integer = 1000000  -- source nodes at most
// cursor: source after
// returns: source, relationships
MATCH (a)
WHERE a.id > $after
WITH a
ORDER BY a.id
LIMIT $limit
RETURN a.id AS source, [(a)-[r]->(b) | [type(r), b.id, properties(r)]] AS relationships
ORDER BY source

// title: Nodes of the app graph
// description: every node that is not a territory, with its labels and properties, in id order one page at a time: the next page starts after the last id of this one (the app's in-memory graph; territories come from app.territories)
// param after: string = ''        -- only ids above this one (the last id of the previous page)
// param limit: integer = 1000000  -- rows at most
// cursor: id after
// returns: id, labels, properties
MATCH (n)
WHERE n.id > $after AND NOT n:Territory
RETURN n.id AS id, labels(n) AS labels, properties(n) AS properties
ORDER BY id
LIMIT $limit

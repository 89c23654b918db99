// title: Identities of the shared places
// description: what duplicate detection compares for every shared place (name, point, seat commune), in id order one page at a time
// param after: string = ''        -- only ids above this one (the last id of the previous page)
// param limit: integer = 1000000  -- rows at most
// cursor: id after
// returns: id, name, lat, lon, sources, commune
MATCH (p:SharedPlace)
WHERE p.id > $after
WITH p
ORDER BY p.id
LIMIT $limit
OPTIONAL MATCH (p)-[:LOCATED_IN]->(c:Territory {level: 'commune'})
WITH p, min(c.code) AS commune
RETURN p.id AS id, p.name AS name, p.lat AS lat, p.lon AS lon, p.sources AS sources, commune
ORDER BY id

// title: Isolated structures
// description: structures with no cooperation tie at all, as written by `maillage analyse brokers --write`
// param limit: integer = 100    -- rows at most
// returns: id, name, legal_form, brokers_at
// example: {}
MATCH (s:Structure)
WHERE s.isolated = true
RETURN s.id AS id, s.name AS name, s.legal_form AS legal_form, s.brokers_at AS brokers_at
ORDER BY name, id
LIMIT $limit

// title: Identities of the structures
// description: what identity resolution matches on (SIREN, RNA number, name and seat commune) for every structure, in id order one page at a time
// param after: string = ''        -- only ids above this one (the last id of the previous page)
// param limit: integer = 1000000  -- rows at most
// cursor: id after
// returns: id, name, siren, rna, legal_form, sources, commune
MATCH (s:Structure)
WHERE s.id > $after
WITH s
ORDER BY s.id
LIMIT $limit
OPTIONAL MATCH (s)-[:LOCATED_IN]->(c:Territory {level: 'commune'})
WITH s, min(c.code) AS commune
RETURN s.id AS id, s.name AS name, s.siren AS siren, s.rna AS rna, s.legal_form AS legal_form,
       s.sources AS sources, commune
ORDER BY id

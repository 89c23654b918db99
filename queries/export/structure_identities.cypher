// title: Identities of the structures
// description: what identity resolution matches on (SIREN, RNA number, name and seat commune) for every structure, one page at a time
// param skip: integer = 0       -- rows to skip
// param limit: integer = 1000000 -- rows at most
// returns: id, name, siren, rna, legal_form, sources, commune
MATCH (s:Structure)
OPTIONAL MATCH (s)-[:LOCATED_IN]->(c:Territory {level: 'commune'})
WITH s, min(c.code) AS commune
RETURN s.id AS id, s.name AS name, s.siren AS siren, s.rna AS rna, s.legal_form AS legal_form,
       s.sources AS sources, commune
ORDER BY id
SKIP $skip
LIMIT $limit

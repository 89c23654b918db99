// title: Identities of the structures with some SIREN or RNA numbers
// description: what identity resolution matches on for the structures holding one of the given SIREN or RNA numbers, with their seat commune
// param sirens: list      -- SIREN numbers
// param rnas: list        -- RNA numbers
// returns: id, name, siren, rna, legal_form, sources, commune
// example: {"sirens": ["449123456"], "rnas": ["W442004567"]}
MATCH (s:Structure)
WHERE s.siren IN $sirens OR s.rna IN $rnas
OPTIONAL MATCH (s)-[:LOCATED_IN]->(c:Territory {level: 'commune'})
WITH s, min(c.code) AS commune
RETURN s.id AS id, s.name AS name, s.siren AS siren, s.rna AS rna, s.legal_form AS legal_form,
       s.sources AS sources, commune
ORDER BY id

// title: Identities of the structures seated in some communes
// description: what identity resolution matches on (SIREN, RNA number, name and seat commune) for the structures seated in the given communes: those a small import can be the same organisation as by name, read by index instead of the whole base
// param communes: list    -- commune ids (commune:44109)
// returns: id, name, siren, rna, legal_form, sources, commune
// example: {"communes": ["commune:44109"]}
UNWIND $communes AS cid
MATCH (c:Territory {id: cid})<-[:LOCATED_IN]-(s:Structure)
RETURN s.id AS id, s.name AS name, s.siren AS siren, s.rna AS rna, s.legal_form AS legal_form,
       s.sources AS sources, c.code AS commune
ORDER BY id, commune

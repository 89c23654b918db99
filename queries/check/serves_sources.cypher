// title: Sources of the SERVES relations
// description: every SERVES relation with the sources it cites (maillage check: an area of intervention must come from a document), in id order
// returns: source, target, sources
MATCH (a)-[r:SERVES]->(t:Territory)
RETURN a.id AS source, t.id AS target, r.sources AS sources
ORDER BY source, target

// title: Profiles of structures
// description: the given structures with what partner suggestions compare (name, functions) and their seat, served territory, sector and network links as [type, target id] (maillage analyse partners reads the structures within two ties of the one asked about)
// param ids: list     -- structure ids
// returns: id, labels, name, functions, links
// example: {"ids": ["structure:ecossolies", "structure:envie44"]}
UNWIND $ids AS wanted
MATCH (s:Structure {id: wanted})
RETURN s.id AS id, labels(s) AS labels, s.name AS name, s.functions AS functions,
       [(s)-[r:LOCATED_IN|SERVES|ACTIVE_IN|MEMBER_OF]->(x) | [type(r), x.id]] AS links
ORDER BY id

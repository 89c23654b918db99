// title: Sources by id
// description: the documents and datasets of the given ids with their title, publisher, date, kind and licence, latest first (maillage report: the sources of what a diagnostic shows)
// param ids: list     -- source ids, e.g. source:seed-003
// returns: id, title, publisher, date, kind, licence
// example: {"ids": ["source:seed-001", "source:seed-003"]}
MATCH (s:Source)
WHERE s.id IN $ids
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.kind AS kind,
       s.licence AS licence
ORDER BY date DESC, id

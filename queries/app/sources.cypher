// title: Sources of the knowledge base
// description: the documents and datasets the facts come from, with their date and how many nodes cite them, latest first
// returns: id, title, publisher, date, kind, licence, nodes
MATCH (s:Source)
OPTIONAL MATCH (n)
WHERE NOT n:Territory AND NOT n:Source AND s.id IN n.sources
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.kind AS kind,
       s.licence AS licence, count(n) AS nodes
ORDER BY date DESC, id

// title: Find by name
// description: nodes whose name contains the text (case-insensitive), shortest names first
// param text: string            -- part of the name, e.g. "cress"
// param limit: integer = 20     -- rows at most
// returns: id, name, labels
// example: {"text": "nantes"}
MATCH (n)
WHERE toLower(n.name) CONTAINS toLower($text)
RETURN n.id AS id, n.name AS name, labels(n) AS labels
ORDER BY size(n.name), n.name, n.id
LIMIT $limit

// title: Networks with members in a territory
// description: the networks of which an organisation seated in a territory, or in a territory inside it, is a member (MEMBER_OF), with how many such members, most first (maillage report: the networks present)
// param id: string    -- a territory id, e.g. departement:23
// returns: id, name, members
// example: {"id": "departement:44"}
MATCH (s:Territory {id: $id})
MATCH (t:Territory)-[:PART_OF*0..3]->(s)
MATCH (m)-[:LOCATED_IN]->(t)
MATCH (m)-[:MEMBER_OF]->(n:Network)
RETURN n.id AS id, n.name AS name, count(DISTINCT m) AS members
ORDER BY members DESC, id

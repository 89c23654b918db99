// title: Shared places of territories
// description: the shared places (tiers-lieux, maisons de l'ESS, pépinières…) seated in or serving one of the given territories, with their kind, functions, the names of the territories they are seated in and how many organisations use them (USES) (maillage report: the shared places of a territory)
// param ids: list     -- territory ids: a territory and those inside it
// returns: id, name, kind, functions, seats, users
// example: {"ids": ["commune:44109"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p:SharedPlace)-[:LOCATED_IN|SERVES]->(t)
WITH DISTINCT p
RETURN p.id AS id, p.name AS name, p.kind AS kind, p.functions AS functions,
       [(p)-[:LOCATED_IN]->(x:Territory) | x.name] AS seats, size([(u)-[:USES]->(p) | u.id]) AS users
ORDER BY users DESC, name, id

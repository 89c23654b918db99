// title: Organisations of a territory
// description: the structures, networks, funders and shared places seated in (LOCATED_IN) or serving (SERVES) one of the given territories, with what the territorial diagnostic shows of them (kind, legal form, functions, stages, sources) and the ids of their sectors (maillage report: the actors of a territory and of the territories inside it, or of those containing it)
// param ids: list     -- territory ids: a territory and those inside it
// returns: id, labels, name, legal_form, kind, level, functions, stages, sources, sectors
// example: {"ids": ["departement:23", "commune:23077"]}
MATCH (t:Territory)
WHERE t.id IN $ids
MATCH (p)-[:LOCATED_IN|SERVES]->(t)
WHERE p:Structure OR p:Network OR p:Funder OR p:SharedPlace
WITH DISTINCT p
RETURN p.id AS id, labels(p) AS labels, p.name AS name, p.legal_form AS legal_form, p.kind AS kind,
       p.level AS level, p.functions AS functions, p.stages AS stages, p.sources AS sources,
       [(p)-[:ACTIVE_IN]->(x:Sector) | x.id] AS sectors
ORDER BY id

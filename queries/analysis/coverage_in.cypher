// title: Coverage of a need in a territory
// description: territories within a département or région with their number of providers of a need and the distance to the nearest, as written by `maillage analyse coverage --need NEED --write`
// param need: string            -- the written result: a function, optionally with its stage, e.g. "accompagnement" or "financement_creation"
// param scope: string           -- a département or région id, e.g. "departement:44"
// param level: string = "commune" -- commune, epci or departement
// param limit: integer = 500    -- rows at most
// returns: id, name, population, providers, nearest_km, coverage_at
// example: {"need": "accompagnement", "scope": "departement:44"}
MATCH (s:Territory {id: $scope})
MATCH (t:Territory {level: $level})-[:PART_OF*1..2]->(s)
WHERE t['coverage_' + $need] IS NOT NULL
RETURN DISTINCT t.id AS id, t.name AS name, t.population AS population, t['coverage_' + $need] AS providers,
       t['coverage_' + $need + '_km'] AS nearest_km, t['coverage_' + $need + '_at'] AS coverage_at
ORDER BY providers, population DESC, name, id
LIMIT $limit

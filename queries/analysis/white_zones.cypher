// title: White zones of a need
// description: territories of one level with no provider of a need, most populated first, as written by `maillage analyse coverage --need NEED --write`
// param need: string            -- the written result: a function, optionally with its stage, e.g. "accompagnement" or "financement_creation"
// param level: string = "commune" -- commune, epci or departement
// param limit: integer = 50     -- rows at most
// returns: id, name, population, density, nearest_km, coverage_at
// example: {"need": "accompagnement"}
MATCH (t:Territory {level: $level})
WHERE t['coverage_' + $need] = 0
RETURN t.id AS id, t.name AS name, t.population AS population, t.density AS density,
       t['coverage_' + $need + '_km'] AS nearest_km, t['coverage_' + $need + '_at'] AS coverage_at
ORDER BY population DESC, name, id
LIMIT $limit

// title: France in figures
// description: the number of territories and the population of each level of the territorial reference (the population of France is that of its régions) (maillage report: actors per 10,000 inhabitants)
// returns: level, territories, population
// example: {}
MATCH (t:Territory)
RETURN t.level AS level, count(t) AS territories, sum(t.population) AS population
ORDER BY level

// title: A kept analysis
// description: the kept result of a whole-base analysis (maillage analyse refresh): the graph version it was computed on, when, how long it took, its parameters and its summary (JSON); compare its version with stats.version to know whether the base changed since
// param kind: string      -- cooperation or coverage
// returns: kind, version, computed_at, seconds, params, summary
// example: {"kind": "cooperation"}
MATCH (k:KeptAnalysis {kind: $kind})
RETURN k.kind AS kind, k.version AS version, k.computed_at AS computed_at, k.seconds AS seconds,
       k.params AS params, k.summary AS summary
ORDER BY computed_at DESC
LIMIT 1

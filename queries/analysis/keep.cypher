// title: Keep an analysis
// description: the kept result of a whole-base analysis (one KeptAnalysis node per kind, without an id, so that no export, count or analysis sees it), with the graph version it was computed on; written without changing that version
// param kind: string      -- cooperation or coverage
// param version: string   -- the graph version the result was computed on
// param at: string        -- when it was computed (ISO 8601, UTC)
// param seconds: number   -- how long it took
// param params: string    -- its parameters (JSON)
// param summary: string   -- what the CLI prints (JSON)
// mode: write
// returns: kind, version
MERGE (k:KeptAnalysis {kind: $kind})
SET k.version = $version, k.computed_at = $at, k.seconds = $seconds, k.params = $params, k.summary = $summary
RETURN k.kind AS kind, k.version AS version

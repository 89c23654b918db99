// title: Bump the graph version
// description: give the graph a new version token after a write (one GraphVersion node, without an id, so that no export, stats or app query sees it); caches and kept analyses are valid as long as the token they were made with
// param token: string     -- the new version (a random hex string)
// param at: string        -- when (ISO 8601, UTC)
// mode: write
// returns: version, changes
MERGE (v:GraphVersion)
SET v.version = $token, v.changes = coalesce(v.changes, 0) + 1, v.changed_at = $at
RETURN v.version AS version, v.changes AS changes

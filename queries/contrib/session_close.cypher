// title: Close a session
// description: delete a session (signing out, or an expired one)
// param token_hash: string      -- SHA-256 of the session token
// mode: write
// returns: closed
MATCH (s:Session {token_hash: $token_hash})
DELETE s
RETURN count(*) AS closed

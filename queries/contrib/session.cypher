// title: A session and its account
// description: the account behind a session token's hash, with the session's expiry (seconds since 1970)
// param token_hash: string      -- SHA-256 of the session token
// internal: accounts and the review queue are read by maillage itself, for the roles it checks
// returns: login, organisation, role, key, expires
// example: {"token_hash": "0"}
MATCH (s:Session {token_hash: $token_hash})
MATCH (a:Account {login: s.login})
RETURN a.login AS login, a.organisation AS organisation, a.role AS role, a.key AS key, s.expires AS expires
ORDER BY expires DESC

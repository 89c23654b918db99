// title: Open a session
// description: record a session of an account by the hash of its token (the token itself is never stored), with when it expires; sessions already expired are deleted
// param login: string           -- the account's identifier
// param token_hash: string      -- SHA-256 of the session token
// param at: string              -- when (ISO 8601, UTC)
// param now: integer            -- now, in seconds since 1970
// param expires: integer        -- when it expires, in seconds since 1970
// mode: write
// returns: login
OPTIONAL MATCH (old:Session)
WHERE old.expires <= $now
DELETE old
WITH count(*) AS purged
MATCH (a:Account {login: $login})
CREATE (s:Session {token_hash: $token_hash, login: $login, opened_at: $at, expires: $expires})
RETURN a.login AS login

// title: One account
// description: an account by login or by its opaque key, with its password hash (for signing in)
// param login: string = ""      -- the account's identifier
// param key: string = ""        -- or its opaque key
// internal: accounts and the review queue are read by maillage itself, for the roles it checks
// returns: login, organisation, role, hash, key, created_at
// example: {"login": "coordination-ecossolies"}
MATCH (a:Account)
WHERE a.login = $login OR a.key = $key
RETURN a.login AS login, a.organisation AS organisation, a.role AS role, a.hash AS hash, a.key AS key,
       a.created_at AS created_at
ORDER BY login

// title: Save an account
// description: create or update a local account (graph of accounts, apart from the knowledge graph): its login, organisation, role, password hash and opaque key (what contributions record instead of the login)
// param login: string           -- the account's identifier
// param organisation: string    -- the organisation it acts for
// param role: string            -- reader, contributor or editor
// param hash: string            -- the salted password hash (argon2id)
// param key: string             -- opaque random key, kept when the account exists
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: login, role
MERGE (a:Account {login: $login})
ON CREATE SET a.key = $key, a.created_at = $at
SET a.organisation = $organisation, a.role = $role, a.hash = $hash, a.updated_at = $at
RETURN a.login AS login, a.role AS role

// title: Change an account's role
// description: set the role of an existing account; its open sessions take the new role at their next write
// param login: string           -- the account's identifier
// param role: string            -- reader, contributor or editor
// param at: string              -- when (ISO 8601, UTC)
// mode: write
// returns: login, role
MATCH (a:Account {login: $login})
SET a.role = $role, a.updated_at = $at
RETURN a.login AS login, a.role AS role

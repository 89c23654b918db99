// title: Accounts
// description: every local account with its organisation and role (no hash)
// internal: accounts and the review queue are read by maillage itself, for the roles it checks
// returns: login, organisation, role, created_at
MATCH (a:Account)
RETURN a.login AS login, a.organisation AS organisation, a.role AS role, a.created_at AS created_at
ORDER BY login

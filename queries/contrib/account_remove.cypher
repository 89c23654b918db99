// title: Remove an account
// description: delete an account and its sessions; the contributions it made keep its opaque key
// param login: string           -- the account's identifier
// mode: write
// returns: removed
MATCH (a:Account {login: $login})
OPTIONAL MATCH (s:Session {login: $login})
DETACH DELETE s
WITH DISTINCT a
DELETE a
RETURN count(*) AS removed

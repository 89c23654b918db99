// title: Delete a batch of nodes
// description: detach-delete up to $limit nodes and say how many went (clearing a store in small transactions)
// param limit: integer = 10000  -- nodes per batch
// mode: write
// returns: deleted
MATCH (n)
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted

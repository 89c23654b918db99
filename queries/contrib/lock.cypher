// title: Take the contributions' lock
// description: the first step of every accept and revert: on Neo4j it holds the write lock of the one ContributionCount node until the transaction ends, so that accepts run one after the other and each reads what the previous one wrote (FalkorDB runs the steps as one block anyway)
// param token: string           -- this write's random token
// mode: write
// returns: token
MERGE (k:ContributionCount)
SET k.lock = $token
RETURN k.lock AS token

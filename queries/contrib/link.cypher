// title: Relations written with a contribution
// description: a later step of an accept or revert (a new node's seat, a removed node's relations put back): MERGE the rows' relations, only if the first step of the same write marked the contribution with this write's token (else nothing)
// template: SRC, TYPE, DST
// param number: integer         -- the contribution's number
// param token: string           -- this write's random token
// param rows: list              -- {source_id, target_id, key, props, sources}
// mode: write
// returns: linked
MATCH (c:Contribution {number: $number})
WHERE c.token = $token
UNWIND $rows AS row
MATCH (a:__SRC__ {id: row.source_id})
MATCH (b:__DST__ {id: row.target_id})
MERGE (a)-[r:__TYPE__ {key: row.key}]->(b)
SET r += row.props, r.sources = row.sources
RETURN count(r) AS linked

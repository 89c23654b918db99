// title: Upsert relationships of one type between two labels
// description: MERGE on (source, type, key, target), set properties, add sources; rows whose endpoints are missing are skipped
// template: SRC, TYPE, DST
// mode: write
UNWIND $rows AS row
MATCH (a:__SRC__ {id: row.source_id})
MATCH (b:__DST__ {id: row.target_id})
MERGE (a)-[r:__TYPE__ {key: row.key}]->(b)
SET r += row.props
SET r.sources = [s IN coalesce(r.sources, []) WHERE NOT s IN row.sources] + row.sources

// title: Delete relationships of one type between two labels
// description: delete the relationships (source, type, key, target) of the given rows (undo of maillage merge)
// template: SRC, TYPE, DST
// mode: write
UNWIND $rows AS row
MATCH (a:__SRC__ {id: row.source_id})-[r:__TYPE__ {key: row.key}]->(b:__DST__ {id: row.target_id})
DELETE r

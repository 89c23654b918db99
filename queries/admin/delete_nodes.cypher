// title: Delete nodes of one label by id
// description: detach-delete the nodes of the given ids (maillage merge removes the node it merged away)
// template: LABEL
// mode: write
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id})
DETACH DELETE n

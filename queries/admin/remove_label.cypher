// title: Remove a second label
// description: take a second label off nodes of one label (undo of maillage merge)
// template: LABEL, EXTRA
// mode: write
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id})
REMOVE n:__EXTRA__

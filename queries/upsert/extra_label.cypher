// title: Add a second label
// description: give nodes of one label a second label (a CIGALES club is Structure and Funder)
// template: LABEL, EXTRA
// mode: write
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id})
SET n:__EXTRA__

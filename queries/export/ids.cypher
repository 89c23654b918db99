// title: Ids of nodes of one label
// description: which of the given ids exist with that label (validation of relation endpoints)
// param ids: list               -- ids to look up
// template: LABEL
// returns: id
// example: {"ids": ["commune:44109"]}
UNWIND $ids AS wanted
MATCH (n:__LABEL__ {id: wanted})
RETURN n.id AS id
ORDER BY id

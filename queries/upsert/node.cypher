// title: Upsert nodes of one label
// description: MERGE on id, set the given properties, add the row's sources to the node's sources
// template: LABEL
// mode: write
UNWIND $rows AS row
MERGE (n:__LABEL__ {id: row.id})
SET n += row.props
SET n.sources = [s IN coalesce(n.sources, []) WHERE NOT s IN row.sources] + row.sources

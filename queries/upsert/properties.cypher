// title: Set properties on nodes of one label
// description: write analysis results back (cluster, betweenness, coverage_*) with their timestamp
// template: LABEL
// mode: write
UNWIND $rows AS row
MATCH (n:__LABEL__ {id: row.id})
SET n += row.props

// title: Index node ids of a label
// description: exact-match index on id for one label (FalkorDB); the unique constraint is added by the store
// template: LABEL
// mode: write
CREATE INDEX FOR (n:__LABEL__) ON (n.id)

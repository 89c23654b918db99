// title: Node ids of a label, indexed (not unique)
// description: a plain index on id for one label, for ArcadeDB's Bolt plugin (CI's stand-in for Neo4j), which cannot add a second label to a node when both labels carry a uniqueness constraint
// template: LABEL
// mode: write
CREATE INDEX IF NOT EXISTS FOR (n:__LABEL__) ON (n.id)

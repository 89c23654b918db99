// title: Unique node ids of a label
// description: unique constraint (and its index) on id for one label (Neo4j 5)
// template: LABEL
// mode: write
CREATE CONSTRAINT IF NOT EXISTS FOR (n:__LABEL__) REQUIRE n.id IS UNIQUE

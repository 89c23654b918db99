// title: Relationships by type
// description: how many relationships of each type the graph holds
// returns: type, count
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type

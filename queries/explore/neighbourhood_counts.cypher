// title: Relations of a node, counted by type
// description: how many relationships of each type and direction a node has (for paging hubs)
// param id: string              -- the node's id
// template: LABEL
// returns: type, outgoing, count
// example: {"id": "commune:44109"}
MATCH (n:__LABEL__ {id: $id})-[r]-(m)
RETURN type(r) AS type, startNode(r).id = n.id AS outgoing, count(m) AS count
ORDER BY type, outgoing

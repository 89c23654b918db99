// title: Node a merged id went into
// description: the node whose merge log holds the node once known by $id (maillage merge recorded it there)
// param id: string              -- the id of the node merged away
// returns: id, name
// example: {"id": "structure:ecossolies-bis"}
MATCH (n)
WHERE n.merged_from IS NOT NULL AND $id IN n.merged_from
RETURN n.id AS id, n.name AS name
ORDER BY id

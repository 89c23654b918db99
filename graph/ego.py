"""The ego network of one node, read from the store (never from the whole graph).

The Structure page draws the nodes within one or two hops of the node it shows.
:func:`ego_graph` reads them hop by hop with two indexed library queries per label
(``explore.ego_around``: each node's neighbours, capped; ``explore.ego_nodes``: the
kept nodes' names, labels and outgoing links), so a card of a national base costs a
few small queries. The caps are those of
:func:`app.components.graphs.ego_network` (a hub reached on the way contributes at
most ``max_per_node`` neighbours, the centre at most ``max_center``); the neighbours
kept under a cap are the first by id (the store does not rank them by degree).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from graph import model
from graph.reading import frame_records
from graph.store import GraphStore
from queries import library

__all__ = ["ego_graph"]

_CHUNK = 2_000  # ids per query


def _by_label(ids: Iterable[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for i in sorted(set(ids)):
        try:
            out[model.label_for_id(i)].append(i)
        except ValueError:  # an id without a known prefix is not a node of the model
            continue
    return out


def _rows(store: GraphStore, name: str, ids: Iterable[str], **params) -> list[dict]:
    q = library().get(name, backend=store.backend)
    rows: list[dict] = []
    for label, some in _by_label(ids).items():
        text = q.render(LABEL=label)
        for start in range(0, len(some), _CHUNK):
            df = store.run(text, q.bind({**params, "ids": some[start:start + _CHUNK]}),
                           max_rows=None, columns=q.returns)
            rows.extend(frame_records(df))
    return rows


def ego_graph(store: GraphStore, center: str, *, depth: int = 1,
              types: Iterable[str] = (), max_per_node: int = 40,
              max_center: int = 200) -> tuple[nx.MultiDiGraph, bool]:
    """The nodes within ``depth`` hops of ``center`` through relationships of ``types``
    and the relationships of those types between them, as a typed graph (nodes with
    ``labels`` and ``name``, edges with ``type``), and whether a cap left anything out.

    Raises KeyError when ``center`` is not in the store.
    """
    wanted = sorted(set(types))
    keep, frontier, truncated = {center}, [center], False
    if not wanted:
        frontier = []
    for _ in range(max(1, depth)):
        if not frontier:
            break
        cap = max_center if frontier == [center] else max_per_node
        # cap + len(keep) rows per node: at least cap of them are new to the network
        nxt: list[str] = []
        for row in _rows(store, "explore.ego_around", frontier, types=wanted, cap=cap + len(keep)):
            around = row["around"] or []
            fresh = [v for v in around if v not in keep]
            truncated = truncated or len(fresh) > cap or (row["total"] or 0) > len(around)
            fresh = fresh[:cap]
            keep.update(fresh)
            nxt.extend(fresh)
        frontier = nxt
    nodes = _rows(store, "explore.ego_nodes", keep, types=wanted)
    if not any(r["id"] == center for r in nodes):
        raise KeyError(center)
    H = nx.MultiDiGraph()
    for r in nodes:
        H.add_node(r["id"], labels=tuple(r["labels"] or ()), name=r["name"])
    for r in nodes:
        for rtype, target in r["links"] or ():
            if target in H:
                H.add_edge(r["id"], target, type=rtype)
    return H, truncated

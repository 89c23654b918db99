"""Store → NetworkX: the typed graph every analysis starts from.

:func:`typed_graph` reads every node and relationship once (paged export
queries) and builds a ``networkx.MultiDiGraph`` whose node keys are ids, with
attributes ``labels`` (a tuple) and the node's properties, and whose edges carry
``type`` and the relationship's properties (edge key: the type, suffixed
``#n`` when a pair has several relationships of one type). The cooperation
projection is built from it by :func:`graph.analysis.projection.cooperation_graph`.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from graph import model
from graph.store import GraphStore

_DROP = ("sources", "key")


def graph_from_rows(nodes: list[dict], relationships: list[dict], *,
                    include_territories: bool = True) -> nx.MultiDiGraph:
    """Build the typed graph from export rows (``id, labels, properties`` and
    ``source, type, target, properties``)."""
    G = nx.MultiDiGraph()
    for n in nodes:
        labels = tuple(n["labels"])
        if not include_territories and model.TERRITORY in labels:
            continue
        props = {k: v for k, v in (n["properties"] or {}).items() if k != "id"}
        G.add_node(n["id"], labels=labels, **props)
    for r in relationships:
        src, dst, rtype = r["source"], r["target"], r["type"]
        if src not in G or dst not in G:
            continue
        props = {k: v for k, v in (r["properties"] or {}).items() if k not in _DROP}
        key = rtype
        i = 1
        while G.has_edge(src, dst, key):
            i += 1
            key = f"{rtype}#{i}"
        G.add_edge(src, dst, key=key, type=rtype, **props)
    return G


def typed_graph(store: GraphStore, *, include_territories: bool = True,
                progress: Callable[[str], None] | None = None) -> nx.MultiDiGraph:
    """Read the whole graph of ``store`` into a typed ``MultiDiGraph`` (see module docstring)."""
    from loaders.load import fetch_all

    if progress:
        progress("lecture des nœuds")
    nodes = fetch_all(store, "export.nodes")
    if progress:
        progress("lecture des relations")
    rels = fetch_all(store, "export.relationships")
    return graph_from_rows(nodes, rels, include_territories=include_territories)

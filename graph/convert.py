"""Store → NetworkX: the typed graph every analysis starts from.

:func:`typed_graph` reads every node and relationship once (keyset-paged export
queries) and builds a ``networkx.MultiDiGraph`` whose node keys are ids, with
attributes ``labels`` (a tuple) and the node's properties, and whose edges carry
``type`` and the relationship's properties (edge key: the type, suffixed
``#n`` when a pair has several relationships of one type). The cooperation
projection is built from it by :func:`graph.analysis.projection.cooperation_graph`.

The graph is built to be read, not changed: at national scale (250,000
structures, two million relationships) a plain build costs gigabytes, so
:func:`graph_from_rows` shares what repeats. Ids, property names and repeated
values are one string object each; equal lists and label tuples are one object;
edges with the same type and properties share one attribute dict (most edges:
``LOCATED_IN``, ``ACTIVE_IN``… carry nothing else). Copy a graph
(``G.copy()``, ``G.subgraph(...).copy()``) before changing attributes in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from graph import model
from graph.read_copy import gc_paused
from graph.store import GraphStore

_DROP = ("sources", "key")


class _Shared:
    """One object per distinct value: strings, numbers, lists, label tuples, edge dicts."""

    def __init__(self):
        self.strings: dict[str, str] = {}
        self.numbers: dict[tuple, object] = {}
        self.lists: dict[tuple, list] = {}
        self.labels: dict[tuple, tuple] = {}
        self.edges: dict[tuple, dict] = {}

    def text(self, s: str) -> str:
        return self.strings.setdefault(s, s)

    def value(self, v):
        t = type(v)
        if t is str:
            return self.strings.setdefault(v, v)
        if t is int or t is float:
            if v != v:  # NaN: equal to nothing, shared with nothing
                return v
            return self.numbers.setdefault((t, v), v)
        if t is list:
            items = tuple(self.value(x) for x in v)
            try:
                return self.lists.setdefault((tuple(type(x) for x in items), items), list(items))
            except TypeError:  # unhashable items (maps in a list): kept as they are
                return list(items)
        return v

    def props(self, props, drop: tuple[str, ...]) -> dict:
        return {self.text(k): self.value(v) for k, v in (props or {}).items() if k not in drop}

    def edge(self, rtype: str, props: dict) -> dict:
        """The attribute dict of an edge: one shared dict per distinct (type, properties)."""
        try:
            sig = (rtype, *((k, type(v), v) for k, v in props.items()))
            hash(sig)
        except TypeError:  # a list property: this edge gets a dict of its own
            return {"type": rtype, **props}
        d = self.edges.get(sig)
        if d is None:
            d = self.edges[sig] = {"type": rtype, **props}
        return d


def graph_from_rows(nodes: Iterable[dict], relationships: Iterable[dict], *,
                    include_territories: bool = True, share_values: bool = True) -> nx.MultiDiGraph:
    """Build the typed graph from export rows (``id, labels, properties`` and
    ``source, type, target, properties``), read once each (generators of pages are fine:
    only the graph is kept). Relationships whose ends are not among ``nodes`` are left out.

    The graph shares repeated values and edge attribute dicts (see the module docstring):
    read it, or copy it before changing attributes. ``share_values=False`` shares edge
    dicts only and keeps property values as given (a graph of one question, read once:
    interning its values would cost more than it saves).

    Examples
    --------
    >>> G = graph_from_rows(
    ...     [{"id": "structure:a", "labels": ["Structure"], "properties": {"name": "A"}},
    ...      {"id": "sector:x", "labels": ["Sector"], "properties": {"name": "X"}}],
    ...     [{"source": "structure:a", "type": "ACTIVE_IN", "target": "sector:x",
    ...       "properties": {"sources": ["s"]}},
    ...      {"source": "structure:a", "type": "ACTIVE_IN", "target": "sector:x",
    ...       "properties": {"since": 2020}}])
    >>> G.nodes["structure:a"]
    {'labels': ('Structure',), 'name': 'A'}
    >>> sorted(G.edges(keys=True, data=True))  # doctest: +NORMALIZE_WHITESPACE
    [('structure:a', 'sector:x', 'ACTIVE_IN', {'type': 'ACTIVE_IN'}),
     ('structure:a', 'sector:x', 'ACTIVE_IN#2', {'type': 'ACTIVE_IN', 'since': 2020})]
    """
    with gc_paused():
        return _build(nodes, relationships, include_territories, share_values)


def _build(nodes, relationships, include_territories: bool, share_values: bool) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    shared = _Shared()
    node_attr, succ, pred = G._node, G._succ, G._pred
    for n in nodes:
        labels = tuple(shared.text(lab) for lab in n["labels"])
        if not include_territories and model.TERRITORY in labels:
            continue
        labels = shared.labels.setdefault(labels, labels)
        if share_values:
            props = shared.props(n["properties"], ("id",))
        else:
            props = {k: v for k, v in (n["properties"] or {}).items() if k != "id"}
        nid = n["id"]
        if nid in node_attr:
            node_attr[nid].update(labels=labels, **props)
            continue
        nid = shared.text(nid)
        node_attr[nid] = {"labels": labels, **props}
        succ[nid] = {}
        pred[nid] = {}
    ids = shared.strings  # every node id is in it, as the graph's own key object
    for r in relationships:
        src, dst = ids.get(r["source"]), ids.get(r["target"])
        if src is None or dst is None or src not in succ or dst not in succ:
            continue
        rtype = shared.text(r["type"])
        data = shared.edge(rtype, shared.props(r["properties"], _DROP) if share_values or r["properties"]
                           else {})
        # what MultiDiGraph.add_edge does, with a shared attribute dict
        keydict = succ[src].get(dst)
        if keydict is None:
            keydict = succ[src][dst] = pred[dst][src] = {}
        key, i = rtype, 1
        while key in keydict:
            i += 1
            key = f"{rtype}#{i}"
        keydict[key] = data
    nx._clear_cache(G)
    return G


def typed_graph(store: GraphStore, *, include_territories: bool = True,
                progress: Callable[[str], None] | None = None) -> nx.MultiDiGraph:
    """Read the whole graph of ``store`` into a typed ``MultiDiGraph`` (see module docstring).

    The graph of the current version comes from its read copy when one was kept
    (:mod:`graph.read_copy`: seconds instead of minutes on a national base); else it
    is read from the engine and kept for the next reader, provided no write came
    in while it was read. Each call returns a graph of its own.
    """
    from graph import read_copy

    version = store.version()["version"] if read_copy.enabled() else ""
    G = read_copy.load(store, version)
    if G is not None:
        if progress:
            progress("lecture de la copie de la version courante")
    else:
        G = _read(store, progress)
        if version and store.version()["version"] == version:
            read_copy.save(store, G, version)
    if not include_territories:
        G.remove_nodes_from([n for n, d in G.nodes(data=True) if model.TERRITORY in d.get("labels", ())])
    return G


def _read(store: GraphStore, progress) -> nx.MultiDiGraph:
    """The typed graph read from the engine, page by page."""
    from graph.reading import fetch_relationships, fetch_rows

    def nodes():
        if progress:
            progress("lecture des nœuds")
        yield from fetch_rows(store, "export.nodes")

    def relationships():
        if progress:
            progress("lecture des relations")
        yield from fetch_relationships(store, "export.relationships")

    return graph_from_rows(nodes(), relationships())

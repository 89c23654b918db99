"""The part of the graph a territorial question needs, read from the store by indexed queries.

Orientation for one commune and coverage within one scope look at few nodes of
a national base: the territories concerned (and those containing them), the
providers attached to them or offering the need, the initiatives and their
carriers, the sectors. :func:`orientation_graph` and :func:`coverage_graph` read
just that (``queries/territorial/``), each territory with its cards and its
``PART_OF`` parents, each organisation with the properties those analyses read
(name, level, functions, stages, theme, description; lat, lon for maps) and its
``LOCATED_IN``/``SERVES``/``ACTIVE_IN``/``CARRIES`` links, and build a typed graph
of it on which :func:`graph.analysis.orient`, :func:`~graph.analysis.coverage`,
:func:`~graph.analysis.support_chain` and :func:`~graph.analysis.overlaps` give
the answers they give on the whole graph (``tests/test_territorial.py`` compares
them on the seed base and the 10,000-structure bench bundle). Links carry no
properties: those analyses read only the type of a link.

Why the answers are the same: every organisation read comes with all its links,
and every territory a link or a ``parents`` list names is read too, up to the
territories containing them, so each territory's ancestors and each
organisation's seats, served territories and sectors are those of the whole
graph; an organisation left out is one the question cannot select.

The national half of a question (every provider of a function in France; the
organisations of national level and the initiatives) is the same for every place:
it is read once per graph version and kept beside the store, as rows and as a built
graph carrying its :class:`~graph.analysis.GraphIndex` (:func:`keep_national_reads`,
run by the background refresh). A question loads that graph (a copy of its own) and
adds only its own rows to it and to its index (:func:`_extend`): on the
250,000-structure bench base, the coverage of a région reads 0.4 s instead of 1.1 s,
and the analyses that follow build no index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from graph import model
from graph.analysis._common import PROVIDER_LABELS
from graph.analysis._index import KEPT, GraphIndex
from graph.analysis.orientation import NATIONAL_LEVELS
from graph.convert import graph_from_rows
from graph.read_copy import gc_paused
from graph.reading import fetch_rows, frame_records
from graph.store import GraphStore
from queries import library

__all__ = ["coverage_graph", "keep_national_reads", "orientation_graph", "profiles_graph"]

_CARD = ("name", "level", "code", "population", "lat", "lon", "density")
#: the properties of an organisation or initiative the territorial analyses read (and its
#: own point, for maps)
_READ = ("name", "level", "functions", "stages", "theme", "description", "lat", "lon")
_CHUNK = 5_000  # ids per query of a list parameter
#: the read-copy part of a national half built as a graph, beside its rows (:func:`_national_graph`)
_BUILT = ".graph"
#: the key of ``G.graph`` listing the links of a national half to nodes it does not hold
_DANGLING = "dangling"


class _Reader:
    """Rows gathered for one question: territories and other nodes by id, then the graph."""

    def __init__(self, store: GraphStore, known=frozenset()):
        self.store = store
        self.territories: dict[str, dict] = {}
        self.others: dict[str, dict] = {}
        #: ids already in the graph the rows will be added to (a kept national part): not read again
        self.known = known

    def rows(self, name: str, template: dict | None = None, **params) -> list[dict]:
        q = library().get(name, backend=self.store.backend)
        text = q.render(**template) if template else q.text
        df = self.store.run(text, q.bind(params), max_rows=None, timeout=600, columns=q.returns)
        return frame_records(df)

    def add_territories(self, rows: Iterable[dict]) -> None:
        for r in rows:
            self.territories.setdefault(r["id"], r)

    def add_nodes(self, rows: Iterable[dict]) -> None:
        for r in rows:
            self.others.setdefault(r["id"], r)

    def territories_by_id(self, ids: Iterable[str]) -> None:
        ids = sorted(i for i in set(ids) - self.territories.keys() if i not in self.known)
        for start in range(0, len(ids), _CHUNK):
            self.add_territories(self.rows("territorial.territories", ids=ids[start:start + _CHUNK]))

    def close(self) -> None:
        """Read the territories the links name, then every container of a territory read."""
        self.territories_by_id(t for r in self.others.values() for _, t in (r["links"] or ())
                               if t not in self.others)
        while True:
            missing = {p for r in self.territories.values() for p in (r["parents"] or ())
                       if p not in self.territories and p not in self.known}
            if not missing:
                return
            before = len(self.territories)
            self.territories_by_id(missing)
            if len(self.territories) == before:  # parents that are not territories
                return

    def graph(self) -> nx.MultiDiGraph:
        self.add_nodes(self.rows("territorial.sectors"))  # before close(): ACTIVE_IN targets are known
        self.close()
        with gc_paused():
            return self._graph()

    def _graph(self) -> nx.MultiDiGraph:
        return graph_from_rows(*self._rows(), share_values=False)

    def _rows(self) -> tuple[list[dict], list[dict]]:
        """``(nodes, relationships)`` of :func:`graph.convert.graph_from_rows`, nodes in id order,
        without those of :attr:`known`."""
        known = self.known
        nodes = [{"id": t, "labels": [model.TERRITORY],
                  "properties": {k: r[k] for k in _CARD if r.get(k) is not None}}
                 for t, r in self.territories.items() if t not in known]
        nodes += [{"id": n, "labels": r["labels"],
                   "properties": {k: r[k] for k in _READ if r.get(k) is not None}}
                  for n, r in self.others.items() if n not in self.territories and n not in known]
        rels = [{"source": t, "type": "PART_OF", "target": p, "properties": {}}
                for t, r in self.territories.items() if t not in known for p in (r["parents"] or ())]
        rels += [{"source": n, "type": rtype, "target": target, "properties": {}}
                 for n, r in self.others.items() if n not in known for rtype, target in (r["links"] or ())]
        return _in_id_order(nodes), rels


def _in_id_order(nodes: list[dict]) -> list[dict]:
    """Nodes in id order, as the whole-graph read gives them (analyses keep node order)."""
    return sorted(nodes, key=lambda n: n["id"])


def _national(store: GraphStore, part: str, read: Callable[[_Reader], None]) -> tuple[dict, dict]:
    """``(others, territories)``: the rows ``read`` adds to a reader, with the territories
    they name and those containing them; kept as a read copy ``part`` of the graph's
    version (:mod:`graph.read_copy`), so that the national half of a question (every
    provider of a function in France) is read from the engine once per version."""
    from graph import read_copy

    version = store.version()["version"]
    kept = read_copy.load(store, version, part)
    if kept is not None:
        return kept
    r = _Reader(store)
    read(r)
    r.close()
    if store.version()["version"] == version:  # nothing written while it was read
        read_copy.save(store, (r.others, r.territories), version, part)
    return r.others, r.territories


def _providers(need: str) -> Callable[[_Reader], None]:
    def read(r: _Reader) -> None:
        for label in PROVIDER_LABELS:
            r.add_nodes(r.rows("territorial.providers", {"LABEL": label}, need=need))
    return read


def _national_and_initiatives(r: _Reader) -> None:
    for label in PROVIDER_LABELS:
        r.add_nodes(r.rows("territorial.national", {"LABEL": label}, levels=list(NATIONAL_LEVELS)))
    r.add_nodes(r.rows("territorial.initiatives"))


def keep_national_reads(store: GraphStore) -> int:
    """Read and keep the national half of every coverage and orientation question for the
    current version, as rows and as a built graph (the background refresh does it after a
    write); returns how many."""
    _national_graph(store, "orientation", _national_and_initiatives)
    for need in model.FUNCTIONS:
        _national_graph(store, f"providers-{need}", _providers(need))
    return 1 + len(model.FUNCTIONS)


def _national_graph(store: GraphStore, part: str, read: Callable[[_Reader], None]) -> nx.MultiDiGraph:
    """The national half ``part`` of a question (:func:`_national`) and the sectors, as the typed
    graph a question starts from: it carries its :class:`~graph.analysis.GraphIndex`
    (``G.graph[KEPT]``) and the links of its nodes to nodes it does not hold
    (``G.graph["dangling"]``, which a question may add). Kept as the read copy
    ``part + ".graph"`` of the version: loading it is a fraction of building it and its
    index (0.15 s instead of 0.6 s for the providers of a function on the 250,000-structure
    bench base). Each call returns a graph of its own, to which :func:`_extend` adds the
    question's own rows."""
    from graph import read_copy

    version = store.version()["version"]
    G = read_copy.load(store, version, part + _BUILT)
    if G is not None:
        return G
    r = _Reader(store)
    _add(r, _national(store, part, read))
    r.add_nodes(r.rows("territorial.sectors"))
    r.close()
    with gc_paused():
        G = r._graph()
        G.graph[KEPT] = GraphIndex(G)
        G.graph[KEPT].offering(model.FUNCTIONS[0])  # the providers of every function, found once
        G.graph[_DANGLING] = (
            [(t, "PART_OF", p) for t, row in r.territories.items() for p in (row["parents"] or ()) if p not in G]
            + [(n, rtype, x) for n, row in r.others.items() for rtype, x in (row["links"] or ()) if x not in G])
    if store.version()["version"] == version:  # nothing written while it was read
        read_copy.save(store, G, version, part + _BUILT)
    return G


def _extend(G: nx.MultiDiGraph, r: _Reader) -> nx.MultiDiGraph:
    """``G`` (a national half, :func:`_national_graph`) with the rows of ``r`` it does not hold,
    as :func:`graph.convert.graph_from_rows` builds them (a relationship when both its ends
    are in the graph), and the dangling links that now reach a node; its index kept up to
    date. The same nodes, attributes and relationships as one graph built from all the rows
    (node order aside: the question's nodes come last, in id order)."""
    nodes, rels = r._rows()
    node_attr, succ, pred = G._node, G._succ, G._pred
    data: dict[str, dict] = {}

    def link(u: str, rtype: str, v: str) -> None:  # what graph_from_rows does for one relationship
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        key, i = rtype, 1
        while key in keydict:
            i += 1
            key = f"{rtype}#{i}"
        keydict[key] = data.setdefault(rtype, {"type": rtype})

    new = []
    with gc_paused():
        for n in nodes:
            nid = n["id"]
            if nid in node_attr:
                continue
            node_attr[nid] = {"labels": tuple(n["labels"]), **n["properties"]}
            succ[nid], pred[nid] = {}, {}
            new.append(nid)
        for rel in rels:
            if rel["source"] in succ and rel["target"] in succ:
                link(rel["source"], rel["type"], rel["target"])
        reached = [(u, rtype, v) for u, rtype, v in G.graph.get(_DANGLING, ()) if v in succ]
        for u, rtype, v in reached:
            link(u, rtype, v)
    nx._clear_cache(G)
    if reached or not isinstance(G.graph.get(KEPT), GraphIndex):  # links from indexed nodes: index again
        G.graph.pop(KEPT, None)
        G.graph[KEPT] = GraphIndex(G)
    else:
        G.graph[KEPT].extend(new)
    return G


def _add(r: _Reader, kept: tuple[dict, dict]) -> None:
    others, territories = kept
    r.add_nodes(others.values())
    r.add_territories(territories.values())


def orientation_graph(store: GraphStore, commune_id: str) -> nx.MultiDiGraph:
    """What :func:`graph.analysis.orient` needs for a project in ``commune_id``.

    The commune and the territories containing it; the organisations seated in or
    serving one of them that could provide support (networks, shared places, those
    listing functions: the others are never a provider); those of national or
    international level attached to no territory; every initiative and the
    organisations carrying one; the sectors. The graph is empty of territories when
    ``commune_id`` is not one (``orient`` then raises :class:`networkx.NodeNotFound`).
    It carries its index (``GraphIndex(G)`` is given at once): read it, do not change it.
    """
    r = _Reader(store)
    chain = r.rows("territorial.chain", id=commune_id)
    if not chain:
        return r.graph()  # the sectors alone
    G = _national_graph(store, "orientation", _national_and_initiatives)
    r.known = G
    r.add_territories(chain)
    r.add_nodes(r.rows("territorial.attached", ids=[t["id"] for t in chain]))
    r.close()
    return _extend(G, r)


def coverage_graph(store: GraphStore, need: str, scope: str | None = None) -> nx.MultiDiGraph:
    """What :func:`~graph.analysis.coverage`, :func:`~graph.analysis.support_chain` and
    :func:`~graph.analysis.overlaps` need for ``need`` within ``scope``.

    The territories inside ``scope`` (all of them for None), those containing it and
    any territory containing one of those; every provider of ``need`` in France with
    its links (the nearest provider of a territory may be seated outside the scope)
    and the territories they name; the sectors. An unknown ``scope`` gives a graph
    without it (the analyses then raise :class:`networkx.NodeNotFound`). It carries its
    index (``GraphIndex(G)`` is given at once): read it, do not change it.
    """
    G = _national_graph(store, f"providers-{need}", _providers(need))
    r = _Reader(store, known=G)
    if scope is None:
        r.add_territories(fetch_rows(store, "app.territories"))
    else:
        r.add_territories(r.rows("territorial.within", id=scope))
        r.add_territories(r.rows("territorial.chain", id=scope))
    r.close()
    return _extend(G, r)


def profiles_graph(store: GraphStore, ids: Iterable[str]) -> nx.MultiDiGraph:
    """What :func:`graph.analysis.suggest_partners` reads of the structures ``ids`` (those of
    the projection it is given): their names, functions, seats, served territories,
    sectors and networks, the territories containing those, the sectors.

    Structures come in id order with their links sorted by type and target, as in the
    whole typed graph, so that the suggestions are the same (``tests/test_territorial.py``).
    """
    r = _Reader(store)
    ids = sorted(set(ids))
    for start in range(0, len(ids), _CHUNK):
        for row in r.rows("explore.profiles", ids=ids[start:start + _CHUNK]):
            row["links"] = sorted(map(tuple, row["links"] or ()))
            r.add_nodes([row])
    networks = sorted({t for row in r.others.values() for kind, t in row["links"] if kind == "MEMBER_OF"})
    r.add_nodes({"id": n, "labels": [], "links": []} for n in networks)
    return r.graph()

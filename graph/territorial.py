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
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx

from graph import model
from graph.analysis._common import PROVIDER_LABELS
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


class _Reader:
    """Rows gathered for one question: territories and other nodes by id, then the graph."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.territories: dict[str, dict] = {}
        self.others: dict[str, dict] = {}

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
        ids = sorted(set(ids) - self.territories.keys())
        for start in range(0, len(ids), _CHUNK):
            self.add_territories(self.rows("territorial.territories", ids=ids[start:start + _CHUNK]))

    def close(self) -> None:
        """Read the territories the links name, then every container of a territory read."""
        self.territories_by_id(t for r in self.others.values() for _, t in (r["links"] or ())
                               if t not in self.others)
        while True:
            missing = {p for r in self.territories.values() for p in (r["parents"] or ())
                       if p not in self.territories}
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
        nodes = [{"id": t, "labels": [model.TERRITORY],
                  "properties": {k: r[k] for k in _CARD if r.get(k) is not None}}
                 for t, r in self.territories.items()]
        nodes += [{"id": n, "labels": r["labels"],
                   "properties": {k: r[k] for k in _READ if r.get(k) is not None}}
                  for n, r in self.others.items() if n not in self.territories]
        rels = [{"source": t, "type": "PART_OF", "target": p, "properties": {}}
                for t, r in self.territories.items() for p in (r["parents"] or ())]
        rels += [{"source": n, "type": rtype, "target": target, "properties": {}}
                 for n, r in self.others.items() for rtype, target in (r["links"] or ())]
        return graph_from_rows(_in_id_order(nodes), rels, share_values=False)


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
    current version (the background refresh does it after a write); returns how many."""
    _national(store, "orientation", _national_and_initiatives)
    for need in model.FUNCTIONS:
        _national(store, f"providers-{need}", _providers(need))
    return 1 + len(model.FUNCTIONS)


def _add(r: _Reader, kept: tuple[dict, dict]) -> None:
    others, territories = kept
    r.add_nodes(others.values())
    r.add_territories(territories.values())


def orientation_graph(store: GraphStore, commune_id: str) -> nx.MultiDiGraph:
    """What :func:`graph.analysis.orient` needs for a project in ``commune_id``.

    The commune and the territories containing it; the organisations seated in or
    serving one of them; those of national or international level attached to no
    territory; every initiative and the organisations carrying one; the sectors.
    The graph is empty of territories when ``commune_id`` is not one (``orient``
    then raises :class:`networkx.NodeNotFound`).
    """
    r = _Reader(store)
    chain = r.rows("territorial.chain", id=commune_id)
    r.add_territories(chain)
    if chain:
        r.add_nodes(r.rows("territorial.attached", ids=[t["id"] for t in chain]))
        _add(r, _national(store, "orientation", _national_and_initiatives))
    return r.graph()


def coverage_graph(store: GraphStore, need: str, scope: str | None = None) -> nx.MultiDiGraph:
    """What :func:`~graph.analysis.coverage`, :func:`~graph.analysis.support_chain` and
    :func:`~graph.analysis.overlaps` need for ``need`` within ``scope``.

    The territories inside ``scope`` (all of them for None), those containing it and
    any territory containing one of those; every provider of ``need`` in France with
    its links (the nearest provider of a territory may be seated outside the scope)
    and the territories they name; the sectors. An unknown ``scope`` gives a graph
    without it (the analyses then raise :class:`networkx.NodeNotFound`).
    """
    r = _Reader(store)
    if scope is None:
        r.add_territories(fetch_rows(store, "app.territories"))
    else:
        r.add_territories(r.rows("territorial.within", id=scope))
        r.add_territories(r.rows("territorial.chain", id=scope))
    _add(r, _national(store, f"providers-{need}", _providers(need)))
    return r.graph()


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

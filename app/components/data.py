"""Cached access to the store and the analyses, for the pages.

The store is a ``st.cache_resource`` (one per URL, shared by sessions). Every
other cache is keyed by the store URL and the graph version
(:meth:`graph.store.GraphStore.version`, read once per call, a few milliseconds):
a write anywhere makes them all stale at once, and nothing expires with the clock.
Query results are ``st.cache_data``; orientation and coverage read only the part
of the graph their question needs (:mod:`graph.territorial`); the whole in-memory
graph and the cooperation analyses are ``st.cache_resource``, built once per version
and never mutated. All Cypher comes from ``queries/``.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping

import networkx as nx
import pandas as pd
import streamlit as st

from app import refresh
from app.components.graphs import select_structures
from graph import analysis, kept
from graph.store import GraphStore, open_store, store_url
from queries import library


def url() -> str:
    """The store URL of this app (``MAILLAGE_STORE`` or ``embedded://``)."""
    return store_url()


@st.cache_resource(show_spinner=False)
def _store(u: str) -> GraphStore:
    return open_store(u)


def store() -> GraphStore:
    return _store(url())


def version() -> str:
    """The graph version now (every write changes it): the key of every cache here."""
    return store().version()["version"]


@st.cache_data(show_spinner=False, max_entries=2000)
def _query(u: str, v: str, name: str, params: dict) -> pd.DataFrame:
    return _store(u).query(name, **params)


def query(name: str, **params) -> pd.DataFrame:
    """Rows of the library query ``name`` (cached while the graph version stays)."""
    return _query(url(), version(), name, params)


def records(name: str, **params) -> list[dict]:
    """Rows of ``name`` as dicts: the counts of the whole base (:data:`graph.kept.OVERVIEW_QUERIES`)
    from the kept overview when it describes the current graph, else from the store."""
    from graph.reading import frame_records

    rows = kept.overview_rows(store(), name, params)
    return rows if rows is not None else frame_records(query(name, **params))


def run_all(s: GraphStore, name: str, **params) -> list[dict]:
    """Every row of a library query (no row cap), as dicts; paged queries are read page by page
    (the engine cuts a result above its cap, so one read of a national base would miss rows)."""
    from graph.reading import fetch_all, frame_records

    q = library().get(name, backend=s.backend)
    if q.cursor or {"skip", "limit"} <= {p.name for p in q.params}:
        return fetch_all(s, name, **params)
    return frame_records(s.run(q.text, q.bind(params), max_rows=None, timeout=600, columns=q.returns))


def read_graph(s: GraphStore) -> nx.MultiDiGraph:
    """The app's in-memory graph of ``s``: the typed graph of :func:`graph.convert.typed_graph`,
    from the read copy of the current version when one is kept (seconds on a national base)."""
    from graph.convert import typed_graph

    return typed_graph(s)


@st.cache_resource(show_spinner=False, max_entries=1)
def _graph(u: str, v: str) -> nx.MultiDiGraph:
    return _long_lived(read_graph(_store(u)))


def _long_lived(value):
    """``value``, a large result kept by the server for as long as its version stays: moved
    out of the garbage collector's sight (``gc.freeze``), so that the collections every
    page triggers do not walk millions of objects that are never garbage."""
    gc.freeze()
    return value


def graph() -> nx.MultiDiGraph:
    """The typed graph of the whole base, territories included (shared, read-only)."""
    return _graph(url(), version())


def clear() -> None:
    """Forget every cached result (after an import)."""
    _query.clear()
    _graph.clear()
    _territorial.clear()
    _cooperation.clear()
    _kept_part.clear()
    _coverage.clear()
    _partners.clear()
    _drawn.clear()
    _orient.clear()
    _ego.clear()


@st.cache_resource(show_spinner=False, max_entries=64)
def _cooperation(u: str, v: str, as_of: int | None, sources: tuple, territory: str | None,
                 sector: str | None, legal_form: str | None) -> dict:
    G = _graph(u, v)
    weights = {s: (1.0 if s in sources else 0.0) for s in analysis.projection.DEFAULT_WEIGHTS}
    # kept by group: a national base's pairwise projection (millions of ties) does not fit
    T = analysis.cooperation_ties(G, weights=weights, as_of=as_of)
    if territory or sector or legal_form:
        T = T.subset(select_structures(G, T.nodes, territory=territory, sector=sector,
                                       legal_form=legal_form))
    clustering, ranked = analysis.clusters_and_brokers(T, seed=0, G=G)
    scores = {b["id"]: b for b in ranked}
    return {"T": T, "clustering": clustering, "scores": scores, "kept": None,
            "digest": analysis.cooperation_digest(clustering, scores)}


@st.cache_resource(show_spinner=False, max_entries=8)
def _kept_part(u: str, stamp: tuple, part: str):
    """One part of the kept default result of :mod:`graph.kept` (``stamp``: its version and
    computed_at), or None when the kept result is not that one any more."""
    found = kept.kept_result(_store(u), kept.COOPERATION, (part,))
    return _long_lived(found[1][part]) if found and found[0] == stamp[0] else None


class _KeptCooperation(Mapping):
    """The kept default cooperation result, each part (``T``, ``clustering``, ``scores``,
    ``years``, ``central``, ``digest``) read from its file when first asked for: a
    structure's card reads the scores alone, the Réseau page its digest and the central
    ties of its default map, without the projection, the clusters' members or every score."""

    PARTS = ("T", "clustering", "scores", "years", "central", "digest")

    def __init__(self, info: kept.Kept):
        self.info, self.stamp = info, (info.version, info.computed_at)

    def __getitem__(self, part: str):
        if part == "kept":
            return self.info
        if part not in self.PARTS:
            raise KeyError(part)
        value = _kept_part(url(), self.stamp, part)
        if value is None:  # its file is gone or was replaced meanwhile: computed again, kept
            value = _computed_cooperation(self.info.graph_version)[part]
        return value

    def __iter__(self):
        return iter((*self.PARTS, "kept"))

    def __len__(self) -> int:
        return len(self.PARTS) + 1


def _default_cooperation() -> Mapping:
    """The unfiltered cooperation result: the kept one (even when the base changed since: a
    refresh is started then), else computed now from the current graph and kept."""
    s = store()
    info = kept.kept(s, kept.COOPERATION)
    if info is not None and info.version:
        if not info.current:
            refresh.start(s)
        return _KeptCooperation(info)
    v = info.graph_version if info is not None else version()
    result = _computed_cooperation(v)
    info = kept.kept(s, kept.COOPERATION)
    return {**result, "kept": info if info is not None and info.version == v else None}


def _computed_cooperation(v: str) -> dict:
    """The default cooperation result computed now on the graph of version ``v``, and kept
    (a read-only store: shown, not kept)."""
    result = kept.keep_cooperation(store(), _graph(url(), v), v, must_keep=False)
    _kept_part.clear()
    return result


def _unfiltered(as_of, sources, territory, sector, legal_form) -> bool:
    return (as_of is None and territory is None and sector is None and legal_form is None
            and sources == tuple(sorted(analysis.projection.DEFAULT_WEIGHTS)))


def _stamp(coop: dict) -> tuple:
    """What a view of ``coop`` is cached by: the kept result's version and date, else the graph version."""
    info = coop.get("kept")
    return ("kept", info.version, info.computed_at) if info is not None else ("version", version())


def cooperation(*, as_of: int | None = None, sources: tuple | None = None,
                territory: str | None = None, sector: str | None = None,
                legal_form: str | None = None) -> dict:
    """``{"T", "clustering", "scores", "digest", "kept"}``: the projection kept by group
    (filtered), its clusters, broker scores by structure id, the most central first, what a
    page shows of them (:func:`graph.analysis.cooperation_digest`); ``kept`` is the
    :class:`graph.kept.Kept` it comes from (the unfiltered view), or None (computed for
    this filter). ``T.to_graph(nodes=…)`` gives the pairwise ties of those drawn."""
    sources = tuple(sorted(sources if sources is not None else analysis.projection.DEFAULT_WEIGHTS))
    if _unfiltered(as_of, sources, territory, sector, legal_form):
        return _default_cooperation()
    return _cooperation(url(), version(), as_of, sources, territory, sector, legal_form)


@st.cache_resource(show_spinner=False, max_entries=32)
def _drawn(u: str, key: tuple, filters: tuple, show_isolated: bool, limit: int, words: tuple,
           _coop: dict) -> tuple:
    from app.components.network import central_view, cooperation_view
    from graph.analysis.projection import CENTRAL_MAX

    if isinstance(_coop, _KeptCooperation) and not show_isolated and limit <= CENTRAL_MAX:
        # the default map, kept: the projection itself is not read; the ties between the
        # `limit` most central are those of the kept central ties between them
        P, shown = _coop["central"]
        digest = _coop["digest"]  # the clusters and scores of those drawn, most central first
        if limit < P.number_of_nodes():
            P = P.subgraph(list(digest["scores"])[:limit])
        return cooperation_view(P, digest["membership"], digest["scores"],
                                source_words=dict(words)), shown
    return central_view(_coop["T"], _coop["clustering"], _coop["scores"], limit=limit,
                        show_isolated=show_isolated, source_words=dict(words))


def cooperation_drawn(*, as_of: int | None = None, sources: tuple | None = None,
                      territory: str | None = None, sector: str | None = None,
                      legal_form: str | None = None, show_isolated: bool = False, limit: int,
                      words: dict | None = None) -> tuple:
    """:func:`~app.components.network.central_view` of :func:`cooperation`, cached per filter."""
    sources = tuple(sorted(sources if sources is not None else analysis.projection.DEFAULT_WEIGHTS))
    filters = (as_of, sources, territory, sector, legal_form)
    coop = cooperation(as_of=as_of, sources=sources, territory=territory, sector=sector, legal_form=legal_form)
    return _drawn(url(), _stamp(coop), filters, show_isolated, limit, tuple(sorted((words or {}).items())),
                  coop)


@st.cache_data(show_spinner=False, max_entries=256)
def _partners(u: str, v: str, key: tuple, structure_id: str, top: int, _T) -> list[dict]:
    from graph.territorial import profiles_graph

    if structure_id not in _T:
        return []
    P = analysis.partners_projection(_T, structure_id)
    return analysis.suggest_partners(profiles_graph(_store(u), P.nodes), P, structure_id, top=top)


def partners(structure_id: str, top: int = 10) -> list[dict]:
    """Partner suggestions for one structure, on the kept cooperation projection."""
    coop = cooperation()
    return _partners(url(), version(), _stamp(coop), structure_id, top, coop["T"])


@st.cache_data(show_spinner=False, max_entries=64)
def _ego(u: str, v: str, center: str, depth: int, types: tuple) -> tuple:
    from graph.ego import ego_graph

    return ego_graph(_store(u), center, depth=depth, types=types)


def ego(center: str, depth: int, types: tuple) -> tuple[nx.MultiDiGraph, bool]:
    """The ego network of ``center`` read from the store (:func:`graph.ego.ego_graph`) and
    whether a hub was cut."""
    return _ego(url(), version(), center, depth, types)


def refresh_status() -> dict | None:
    """The background analysis job's state (:func:`app.refresh.status`)."""
    return refresh.status(store())


@st.cache_resource(show_spinner=False, max_entries=32)
def _territorial(u: str, v: str, kind: str, key: tuple) -> tuple:
    """The part of the graph a territorial question reads (:mod:`graph.territorial`), and its index."""
    from graph.territorial import coverage_graph, orientation_graph

    G = orientation_graph(_store(u), *key) if kind == "orient" else coverage_graph(_store(u), *key)
    return G, analysis.GraphIndex(G)


@st.cache_data(show_spinner=False, max_entries=256)
def _coverage(u: str, v: str, level: str, scope: str | None, need: str, stage: str | None,
              sector: str | None) -> dict:
    G, idx = _territorial(u, v, "coverage", (need, scope))
    rows = analysis.coverage(G, level=level, scope=scope, need=need, stage=stage, sector=sector, index=idx)
    chain = analysis.support_chain(G, level=level, scope=scope, need=need, sector=sector, index=idx)
    over = analysis.overlaps(G, level=level, scope=scope, need=need, sector=sector, stage=stage, index=idx)
    return {"rows": rows, "white": analysis.white_zones(rows, top=None),
            "density": analysis.coverage_by_density(rows), "chain": chain, "overlaps": over}


def coverage(*, level: str, scope: str | None, need: str, stage: str | None = None,
             sector: str | None = None) -> dict:
    """Coverage rows, white zones, density comparison, support chain and overlaps."""
    return _coverage(url(), version(), level, scope, need, stage, sector)


def coverage_graph(need: str, scope: str | None) -> nx.MultiDiGraph:
    """The graph :func:`coverage` read for ``need`` within ``scope``: its providers, their
    seats and names (shared, read-only)."""
    return _territorial(url(), version(), "coverage", (need, scope))[0]


@st.cache_data(show_spinner=False, max_entries=256)
def _orient(u: str, v: str, commune: str, need: str, stage: str | None, sector: str | None,
            top: int | None) -> dict:
    G, _ = _territorial(u, v, "orient", (commune,))
    return analysis.orient(G, commune, need, stage, sector, top=top)


def orient(commune: str, need: str, stage: str | None = None, sector: str | None = None,
           top: int | None = 20) -> dict:
    return _orient(url(), version(), commune, need, stage, sector, top)


def names(ids) -> dict[str, str]:
    """id → name, from the in-memory graph."""
    G = graph()
    return {i: (G.nodes[i].get("name") or i) if i in G else i for i in ids}


def names_in(G: nx.MultiDiGraph, ids) -> dict[str, str]:
    """id → name, from ``G`` (the graph a territorial answer read)."""
    return {i: (G.nodes[i].get("name") or i) if i in G else i for i in ids}


def sectors() -> list[tuple[str, str]]:
    """(id, name) of every sector, by name (one small query)."""
    found = [(r["id"], r["name"] or r["id"]) for r in records("territorial.sectors")]
    return sorted(found, key=lambda x: x[1].lower())

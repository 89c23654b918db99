"""Kept analyses: whole-base results computed once per graph version, read many times.

Clusters and brokers of the cooperation projection, and the national coverage of
each support function, need the whole graph: at national scale that is half a
minute of work, too long for a page view or a question at a front desk. They are
computed after a write (:func:`refresh`, run by ``maillage analyse refresh``, which
loads, merges and imports start in the background) and kept:

- in the store, one ``KeptAnalysis`` node per kind (no ``id``, so no export, count or
  analysis sees it): ``kind``, ``version`` (the graph version it was computed on),
  ``computed_at``, ``seconds``, ``params`` and ``summary`` (JSON: what the CLI prints:
  the clusters, the leading brokers, the coverage figures and white zones). Cypher
  users read it: ``MATCH (k:KeptAnalysis) RETURN k.kind, k.version, k.computed_at``;
- the full result (the projection, the clustering, every structure's scores) beside
  the read copies (:mod:`graph.read_copy`), for the app's pages.

Writing them leaves the graph version as it is (:meth:`GraphStore.write_derived`): a
kept result describes the graph, it does not change it. A result stays readable
after the graph changes; :attr:`Kept.current` says whether it still describes it.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import networkx as nx

from graph import model
from graph.read_copy import _SAFE, folder, load_pickle, stem, write_atomic
from graph.store import GraphStore

log = logging.getLogger(__name__)

COOPERATION = "cooperation"
COVERAGE = "coverage"
OVERVIEW = "overview"
KINDS = (OVERVIEW, COOPERATION, COVERAGE)
#: the counts of the whole base the app's home and Territoires pages and the diagnostics'
#: comparison with France show: (query, params), each a scan of the base, kept with the version
OVERVIEW_QUERIES = (("stats.labels", {}), ("stats.relationships", {}),
                    ("app.counts_by_territory", {"level": "departement"}),
                    ("app.counts_by_territory", {"level": "region"}),
                    ("app.top_networks", {"limit": 10}), ("app.sources", {}),
                    ("report.kinds_france", {}), ("report.sectors_france", {}))
#: brokers and white zones kept in the summary (the full ranking is in the result file)
SUMMARY_TOP = 200
BROKER_COLUMNS = ("id", "name", "betweenness", "participation", "constraint", "degree", "cluster", "isolated")
WHITE_ZONE_COLUMNS = ("id", "name", "population", "density", "nearest_km", "nearest_provider")


@dataclass
class Kept:
    """A kept analysis as the store holds it."""

    kind: str
    version: str
    computed_at: str
    seconds: float
    params: dict
    summary: dict
    #: the graph's version now: the result describes the graph when both are equal
    graph_version: str = ""

    @property
    def current(self) -> bool:
        return self.version == self.graph_version


def kept(store: GraphStore, kind: str) -> Kept | None:
    """The kept analysis ``kind`` of ``store`` (None when none was ever kept)."""
    from queries import library

    df = store.run(library().get("analysis.kept", backend=store.backend).text, {"kind": kind})
    if not len(df):
        return None
    row = df.iloc[0]
    return Kept(kind, row["version"] or "", row["computed_at"], float(row["seconds"] or 0),
                json.loads(row["params"] or "{}"), json.loads(row["summary"] or "{}"),
                graph_version=store.version()["version"])


def result_path(store: GraphStore, kind: str, part: str | None = None):
    """The file of one part of the full result of ``kind`` (None: the list of its parts)."""
    name = f"{stem(store)}.{kind}"
    return folder(store) / (f"{name}.kept.json" if part is None else f"{name}.{_SAFE.sub('_', part)}.kept.pickle")


def kept_result(store: GraphStore, kind: str, parts: tuple[str, ...] | None = None) -> tuple[str, dict] | None:
    """``(version, {part: value})`` of the full result kept for ``kind`` (only ``parts``
    when given: the partner suggestions read the projection alone), or None."""
    try:
        manifest = json.loads(result_path(store, kind).read_text())
    except (OSError, ValueError):
        return None
    version, out = manifest.get("version"), {}
    computed_on = manifest.get("computed_on", version)
    for part in parts or manifest.get("parts", ()):
        data = load_pickle(result_path(store, kind, part))
        if not isinstance(data, dict) or data.get("version") != computed_on:  # missing, or the next one
            return None
        out[part] = data["value"]
    return version, out


def keep(store: GraphStore, kind: str, version: str, summary: dict, result: dict, *,
         params: dict | None = None, seconds: float = 0.0) -> None:
    """Keep ``result`` (one file per part, beside the read copies) and ``summary`` (the
    store) as computed on graph ``version``."""
    from queries import library

    folder(store).mkdir(parents=True, exist_ok=True)
    for part, value in result.items():
        write_atomic(result_path(store, kind, part),
                     pickle.dumps({"version": version, "value": value}, protocol=pickle.HIGHEST_PROTOCOL))
    write_atomic(result_path(store, kind),
                 json.dumps({"version": version, "computed_on": version, "parts": list(result)}).encode())
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    store.write_derived(library().get("analysis.keep", backend=store.backend).text,
                        {"kind": kind, "version": version, "at": at, "seconds": round(seconds, 1),
                         "params": json.dumps(params or {}), "summary": json.dumps(summary, default=str)})


def carry_over(store: GraphStore, kind: str, old: str, new: str) -> bool:
    """Say that the result kept for ``old`` describes ``new`` too (a write that stored the
    result's own scores on the nodes, which the analysis does not read). Only when the
    kept result is that of ``old``; returns whether it was carried over."""
    info = kept(store, kind)
    try:
        manifest = json.loads(result_path(store, kind).read_text())
    except (OSError, ValueError):
        return False
    if info is None or info.version != old or manifest.get("version") != old:
        return False
    manifest["version"] = new
    write_atomic(result_path(store, kind), json.dumps(manifest).encode())
    from queries import library

    store.write_derived(library().get("analysis.keep", backend=store.backend).text,
                        {"kind": kind, "version": new, "at": info.computed_at, "seconds": info.seconds,
                         "params": json.dumps(info.params), "summary": json.dumps(info.summary)})
    return True


# -- what is kept ---------------------------------------------------------------------

def overview_key(name: str, params: dict) -> str:
    """How one overview query's rows are named in the kept summary."""
    return name + json.dumps(params, sort_keys=True)


def overview_summary(store: GraphStore) -> dict:
    """The rows of :data:`OVERVIEW_QUERIES` (counts by label, by territory, networks, sources)."""
    from graph.reading import frame_records

    return {overview_key(name, params): frame_records(store.query(name, **params))
            for name, params in OVERVIEW_QUERIES}


def overview_rows(store: GraphStore, name: str, params: dict) -> list[dict] | None:
    """The kept rows of an overview query when they describe the current graph, else None."""
    key = overview_key(name, params)
    if not any(overview_key(n, p) == key for n, p in OVERVIEW_QUERIES):
        return None
    info = kept(store, OVERVIEW)
    return info.summary.get(key) if info is not None and info.current else None


#: the parameters of the kept cooperation result (every source, all years, Louvain seed 0)
COOPERATION_PARAMS = {"seed": 0, "resolution": 1.0, "sources": "all", "as_of": None}


def keep_cooperation(store: GraphStore, G: nx.MultiDiGraph, version: str, *, must_keep: bool = True) -> dict:
    """:func:`cooperation_result` of ``G`` (the graph of ``version``), kept when ``version`` is
    still the store's (nothing changed the graph while it was computed). With
    ``must_keep=False``, a store or folder that refuses the write (a read-only account) is
    logged and the result returned all the same."""
    from graph.errors import MaillageError

    t = time.perf_counter()
    result = cooperation_result(G)
    if version and store.version()["version"] == version:
        try:
            keep(store, COOPERATION, version, cooperation_summary(result), result, params=COOPERATION_PARAMS,
                 seconds=time.perf_counter() - t)
        except (MaillageError, OSError) as err:
            if must_keep:
                raise
            log.warning("cooperation result not kept: %s", err)
    return result


def cooperation_result(G: nx.MultiDiGraph) -> dict:
    """``{"T", "clustering", "scores", "years", "central", "digest"}`` of the default
    cooperation projection (every source, all years, Louvain seed 0), the years it can be
    computed as of, the ties between its most central structures
    (:func:`~graph.analysis.projection.central_projection`) and what the Réseau page shows
    of the rest (:func:`~graph.analysis.clusters_brokers.cooperation_digest`): what the
    Réseau, Structure and Données pages show."""
    from graph import analysis
    from graph.analysis.projection import central_projection, dated_years

    T = analysis.cooperation_ties(G)
    clustering, ranked = analysis.clusters_and_brokers(T, seed=0, G=G)
    T.memberships()  # kept with T: what partner suggestions start from
    scores = {b["id"]: b for b in ranked}
    central = central_projection(T, scores)  # the Réseau page's default map
    return {"T": T, "clustering": clustering, "scores": scores, "years": dated_years(G),
            "central": central, "digest": analysis.cooperation_digest(clustering, scores, central[0])}


def _names(items) -> str:
    return ", ".join(d.get("name") or d.get("id") for d in items)


def cluster_table(clustering) -> list[dict]:
    """The rows ``maillage analyse clusters`` prints: each cluster's size, main sectors,
    territories and networks, and its bridges, by name."""
    return [{"cluster": k.id, "size": k.size, "sectors": _names(k.sectors), "territories": _names(k.territories),
             "networks": _names(k.networks), "bridges": _names(k.bridges)} for k in clustering.clusters]


def cooperation_summary(result: dict) -> dict:
    """The rows ``maillage analyse clusters`` and ``brokers`` print, from :func:`cooperation_result`."""
    c = result["clustering"]
    clusters = cluster_table(c)
    ranked = list(result["scores"].values())
    return {"modularity": c.modularity, "clusters": clusters, "isolated": len(c.isolated),
            "structures": len(result["T"]),
            "brokers": [{k: b.get(k) for k in BROKER_COLUMNS} for b in ranked[:SUMMARY_TOP]]}


def coverage_result(G: nx.MultiDiGraph) -> dict:
    """The coverage of every commune of France for each support function (no stage, no sector)."""
    from graph import analysis

    return {need: analysis.coverage(G, level="commune", scope=None, need=need) for need in model.FUNCTIONS}


def coverage_summary(result: dict) -> dict:
    """Per function: communes covered, population without coverage, the largest white zones."""
    from graph import analysis

    out = {}
    for need, rows in result.items():
        out[need] = {"covered": sum(1 for r in rows if r["covered"]), "communes": len(rows),
                     "population": sum(r["population"] or 0 for r in rows),
                     "population_uncovered": sum(r["population"] or 0 for r in rows if not r["covered"]),
                     "white_zones": [{k: z.get(k) for k in WHITE_ZONE_COLUMNS}
                                     for z in analysis.white_zones(rows, top=SUMMARY_TOP)]}
    return out


def refresh(store: GraphStore, *, kinds=KINDS, progress: Callable[[int, int, str], None] | None = None,
            read: Callable | None = None) -> str:
    """Compute and keep the whole-base analyses of ``store``'s current version; returns it.

    ``progress(step, steps, what)`` is called before each step. ``read(store)`` gives
    the typed graph (:func:`graph.convert.typed_graph`, from its read copy when kept).
    """
    from graph.convert import typed_graph

    say = progress or (lambda *a: None)
    graph_kinds = [k for k in kinds if k != OVERVIEW]
    steps = (OVERVIEW in kinds) + bool(graph_kinds) + len(graph_kinds)
    version = store.version()["version"]
    step = 0
    if OVERVIEW in kinds:
        step += 1
        say(step, steps, "comptages")
        t = time.perf_counter()
        keep(store, OVERVIEW, version, overview_summary(store), {}, seconds=time.perf_counter() - t)
    if not graph_kinds:
        return version
    step += 1
    say(step, steps, "lecture du graphe")
    G = (read or typed_graph)(store)
    for step, kind in enumerate(graph_kinds, start=step + 1):
        say(step, steps, {COOPERATION: "groupes et passeurs", COVERAGE: "couverture nationale"}[kind])
        t = time.perf_counter()
        if kind == COOPERATION:
            result = cooperation_result(G)
            summary = cooperation_summary(result)
            params = COOPERATION_PARAMS
        else:
            result = coverage_result(G)
            summary = coverage_summary(result)
            params = {"level": "commune", "scope": None, "stage": None, "sector": None}
        keep(store, kind, version, summary, result, params=params, seconds=time.perf_counter() - t)
        if kind == COVERAGE:  # the national half of the Territoires and Orientation questions
            from graph.territorial import keep_national_reads

            keep_national_reads(store)
    return version

"""What the app and the analyses do with a loaded base, timed in a process of their own.

Run by :mod:`bench.run` as ``python bench/app_phase.py --home DIR --graph G --seed-graph S``
so that its peak memory is that of an app process (the in-memory graph, the
cooperation projection, clusters, brokers, coverage), not of the loader. Prints
one JSON line per measure.
"""

from __future__ import annotations

import argparse
import gc
import random
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import emit, open_graph, peak_rss_mb, timer  # noqa: E402

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

from app.components.data import read_graph  # noqa: E402 - the app's own paged read
from app.components.graphs import EGO_TYPES, group_relations  # noqa: E402
from app.components.network import (  # noqa: E402
    AGGREGATE_ABOVE, aggregate_clusters, central_view, network_html, typed_view,
)
from graph import analysis, model  # noqa: E402
from graph.ego import ego_graph  # noqa: E402
from graph.store import PAGE_ROWS  # noqa: E402
from graph.analysis.brokers import SAMPLE_K  # noqa: E402

REPEAT = 7


class OverBudget(Exception):
    """A step ran past its time budget."""


class budget:
    """``with budget(600):`` raises :class:`OverBudget` in the block after 600 s (SIGALRM)."""

    def __init__(self, seconds: float):
        self.seconds = int(seconds)

    def __enter__(self):
        def stop(signum, frame):
            raise OverBudget(f"stopped after its budget of {self.seconds} s")

        self.old = signal.signal(signal.SIGALRM, stop)
        signal.alarm(self.seconds)

    def __exit__(self, *exc):
        signal.alarm(0)
        signal.signal(signal.SIGALRM, self.old)


def ego_once(store, G, node_id: str, depth: int = 1) -> dict:
    """The Structure page's ego part: its store reads (card, grouped relations, one page
    per group), then the ego network read from the store (``graph.ego``) and its pyvis HTML
    (``G`` is not read: the page no longer needs the whole graph)."""
    t0 = time.perf_counter()
    store.query("explore.node", id=node_id)
    store.query("explore.neighbourhood", id=node_id, types=["ACTIVE_IN", "LOCATED_IN", "SERVES", "MEMBER_OF"],
                limit=60)
    counts = store.query("explore.neighbourhood_counts", id=node_id).to_dict("records")
    groups = group_relations(counts)
    for g in groups:
        store.query("explore.neighbourhood", id=node_id, types=[g["type"]], skip=0, limit=20)
    t1 = time.perf_counter()
    present = [g["type"] for g in groups if g["type"] in EGO_TYPES]
    H, cut = ego_graph(store, node_id, depth=depth, types=present)
    page = network_html(typed_view(H, node_id), height=480)
    t2 = time.perf_counter()
    return {"query_ms": (t1 - t0) * 1000, "html_ms": (t2 - t1) * 1000, "total_ms": (t2 - t0) * 1000,
            "nodes_drawn": H.number_of_nodes(), "degree": sum(g["count"] for g in groups),
            "html_kb": len(page) / 1024, "truncated": cut}


def ego_store_once(store, node_id: str, page: int = 20) -> dict:
    """The ego network built from the store alone, one page (``page`` rows) per relation
    type: what a paged picture costs, whatever the size of the graph."""
    t0 = time.perf_counter()
    node = store.query("explore.node", id=node_id).to_dict("records")[0]
    groups = group_relations(store.query("explore.neighbourhood_counts", id=node_id).to_dict("records"))
    H = nx.MultiDiGraph()
    H.add_node(node_id, labels=tuple(node["labels"]), name=node["name"])
    for g in groups:
        if g["type"] not in EGO_TYPES:
            continue
        for r in store.query("explore.neighbourhood", id=node_id, types=[g["type"]], limit=page).to_dict("records"):
            H.add_node(r["id"], labels=tuple(r["labels"]), name=r["name"])
            a, b = (node_id, r["id"]) if r["outgoing"] else (r["id"], node_id)
            H.add_edge(a, b, type=r["type"])
    t1 = time.perf_counter()
    page_html = network_html(typed_view(H, node_id), height=480)
    t2 = time.perf_counter()
    return {"query_ms": (t1 - t0) * 1000, "html_ms": (t2 - t1) * 1000, "total_ms": (t2 - t0) * 1000,
            "nodes_drawn": H.number_of_nodes(), "degree": sum(g["count"] for g in groups),
            "html_kb": len(page_html) / 1024, "truncated": H.number_of_nodes() - 1 < sum(g["count"] for g in groups)}


def ego(store, G, node_id: str, label: str, *, depth: int = 1, repeat: int = REPEAT, paged_store=False) -> dict:
    def once():
        return ego_store_once(store, node_id) if paged_store else ego_once(store, G, node_id, depth)

    try:
        with budget(600):
            runs = [once()]
            if runs[0]["total_ms"] < 5000:  # a hub drawn whole is measured once
                runs += [once() for _ in range(repeat - 1)]
    except Exception as err:  # noqa: BLE001 - the benchmark reports it and goes on
        return emit(f"ego.{label}", id=node_id, depth=depth, error=f"{type(err).__name__}: {err}"[:300])
    med = {k: statistics.median(r[k] for r in runs) for k in ("query_ms", "html_ms", "total_ms")}
    return emit(f"ego.{label}", id=node_id, depth=depth, runs=len(runs), **med,
                nodes_drawn=runs[0]["nodes_drawn"], degree=runs[0]["degree"], html_kb=runs[0]["html_kb"],
                truncated=runs[0]["truncated"])


def typical_structure(G) -> str:
    """The structure of median degree (relations other than PART_OF), smallest id among ties."""
    degs = sorted((G.degree(n), n) for n, d in G.nodes(data=True) if model.STRUCTURE in (d.get("labels") or ()))
    return degs[len(degs) // 2][1]


def hub_network(G) -> str:
    """The network with most members."""
    best = max((sum(1 for _, _, d in G.in_edges(n, data=True) if d.get("type") == "MEMBER_OF"), n)
               for n, d in G.nodes(data=True) if model.NETWORK in (d.get("labels") or ()))
    return best[1]


def _igraph_multilevel(T, seed: int) -> dict:
    """In a child process: the pairwise projection from ``T.csr()`` into igraph, its multilevel."""
    import igraph as ig

    t0 = time.perf_counter()
    indptr, indices, weights = T.csr()
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
    upper = rows < indices
    tied = np.flatnonzero(np.diff(indptr) > 0)
    number = np.full(len(indptr) - 1, -1, dtype=np.int64)
    number[tied] = np.arange(len(tied))
    edges = np.column_stack([number[rows[upper]], number[indices[upper]]])
    g = ig.Graph(n=len(tied), edges=edges.tolist())
    g.es["weight"] = weights[upper].tolist()
    del rows, upper, edges, indptr, indices, weights
    convert = time.perf_counter() - t0
    random.seed(seed)
    ig.set_random_number_generator(random)
    t0 = time.perf_counter()
    parts = g.community_multilevel(weights="weight")
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "convert_seconds": convert,
            "modularity": g.modularity(parts.membership, weights="weight"),
            "clusters": len(parts), "edges": g.ecount(), "child_peak_rss_mb": peak_rss_mb()}


def louvain_igraph(T, seed: int = 0) -> dict:
    """igraph's multilevel (Louvain) on the same tied structures (the pairwise projection),
    with its modularity; in a child process, so that the app phase's memory is the app's."""
    try:
        import igraph  # noqa: F401
    except ImportError:
        return emit("igraph_multilevel", error="igraph is not installed (pip install -e '.[bench]')")
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        result = pool.submit(_igraph_multilevel, T, seed).result()
    return emit("igraph_multilevel", **result)


def analyses(G, step_budget: float) -> None:
    """Projection (kept by group), clusters, brokers (each within ``step_budget`` seconds),
    igraph's Louvain on the pairwise projection for the ratio."""
    with timer() as t_proj:
        T = analysis.projection.cooperation_ties(G)
    emit("projection", seconds=t_proj(), nodes=T.number_of_nodes(), groups=len(T.groups),
         explicit_pairs=len(T.pairs), skipped_groups=len(T.graph.get("skipped_groups") or {}),
         rss_mb=peak_rss_mb())
    ig = louvain_igraph(T)
    emit("projection_pairs", edges=ig.get("edges"), rss_mb=peak_rss_mb())
    out = {"projection_s": t_proj(), "igraph_seconds": ig.get("seconds"), "igraph_modularity": ig.get("modularity")}
    # the app's path: clusters, and brokers' betweenness in a background thread meanwhile
    try:
        with timer() as t_cb, budget(step_budget):
            clustering, ranked = analysis.clusters_and_brokers(T, seed=0, G=G)
        out.update(clusters_brokers_s=t_cb(), modularity=clustering.modularity)
        emit("clusters_and_brokers", seconds=t_cb(), modularity=clustering.modularity,
             clusters=len(clustering.clusters), largest=clustering.clusters[0].size if clustering.clusters else 0,
             isolated=len(clustering.isolated), ranked=len(ranked), top=ranked[0]["id"] if ranked else None,
             rss_mb=peak_rss_mb())
        # the Réseau page after that: the pairwise ties of the most central structures, dressed
        # for drawing, then the picture (clusters as nodes above AGGREGATE_ABOVE)
        with timer() as t_page:
            H, _ = central_view(T, clustering, {b["id"]: b for b in ranked})
            drawn = aggregate_clusters(H, clustering.clusters) if len(H) > AGGREGATE_ABOVE else H
            html = network_html(drawn, height=620)
        emit("network_page", seconds=t_page(), drawn_structures=H.number_of_nodes(),
             drawn_ties=H.number_of_edges(), html_kb=len(html) // 1024, rss_mb=peak_rss_mb())
        del H, drawn, html
    except OverBudget as err:
        out.update(clusters_brokers_s=t_cb(), clusters_error=str(err))
        emit("clusters_and_brokers", seconds=t_cb(), error=str(err))
    # and each alone, one after the other, for the record
    with timer() as t_cl:
        alone = analysis.cooperation_clusters(T, seed=0, G=G)
    emit("clusters", seconds=t_cl(), modularity=alone.modularity, clusters=len(alone.clusters))
    with timer() as t_br:
        analysis.brokers(T, alone.membership, seed=0, workers=1)
    emit("brokers", seconds=t_br(), workers=1, sources=min(SAMPLE_K, T.number_of_nodes()))
    with timer() as t_br2:
        analysis.brokers(T, alone.membership, seed=0)
    emit("brokers", seconds=t_br2(), workers="all cores", rss_mb=peak_rss_mb())
    out.update(clusters_s=t_cl(), brokers_s=t_br(), brokers_all_cores_s=t_br2(),
               clusters_to_igraph_time=t_cl() / ig["seconds"] if ig.get("seconds") else None)
    total = out["projection_s"] + out.get("clusters_brokers_s", 0)
    complete = "clusters_error" not in out
    emit("clusters_brokers", seconds=total, complete=complete, **out, rss_mb=peak_rss_mb())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--home", type=Path, required=True)
    ap.add_argument("--graph", default="maillage")
    ap.add_argument("--seed-graph", default="seed")
    ap.add_argument("--budget", type=float, default=900.0, help="seconds each analysis step may take")
    args = ap.parse_args(argv)
    from graph.embedded import EmbeddedEngine

    engine = EmbeddedEngine(args.home)
    store = open_graph(engine, args.graph, timeout=30.0)

    with timer() as t:
        G = read_graph(store)
    from measure import graph_counts

    _, types = graph_counts(store)  # label counts count a two-label node twice: count nodes
    n_nodes = int(store.run("MATCH (n) RETURN count(n) AS n")["n"].iloc[0])
    emit("app_graph_read", seconds=t(), nodes=G.number_of_nodes(), edges=G.number_of_edges(),
         store_nodes=n_nodes, store_relationships=sum(types.values()), page_rows=PAGE_ROWS,
         rss_mb=peak_rss_mb())

    communes = sum(1 for _, d in G.nodes(data=True) if d.get("level") == "commune")
    per = {}
    with timer() as t:
        t0 = time.perf_counter()
        idx = analysis.GraphIndex(G)  # built once and shared, as the app does
        per["index"] = round(time.perf_counter() - t0, 3)
        for need in model.FUNCTIONS:
            t0 = time.perf_counter()
            rows = analysis.coverage(G, level="commune", need=need, index=idx)
            per[need] = round(time.perf_counter() - t0, 3)
            covered = sum(r["covered"] for r in rows)
            del rows
    emit("coverage_all_communes", seconds=t(), communes=communes, functions=len(model.FUNCTIONS),
         per_function_s=per, last_covered=covered)

    analyses(G, args.budget)
    gc.collect()

    hub, typical = hub_network(G), typical_structure(G)
    ego(store, G, typical, "typical")
    ego(store, G, typical, "typical_depth2", depth=2)
    ego(store, G, hub, "hub")
    ego(store, G, typical, "typical_paged_store", paged_store=True)
    ego(store, G, hub, "hub_paged_store", paged_store=True)
    emit("app_memory", peak_rss_mb=peak_rss_mb())

    seed_store = open_graph(engine, args.seed_graph, timeout=30.0)
    S = read_graph(seed_store)
    ego(seed_store, S, typical_structure(S), "seed_typical")
    ego(seed_store, S, typical_structure(S), "seed_typical_depth2", depth=2)
    ego(seed_store, S, typical_structure(S), "seed_typical_paged_store", paged_store=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

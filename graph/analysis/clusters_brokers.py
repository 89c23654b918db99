"""Clusters and brokers of a projection kept by group, computed side by side.

On a national base the two long steps are Louvain and the sampled betweenness
of brokers; neither needs the other. Betweenness runs in a background thread
(its compiled searches release the interpreter lock) while Louvain and the
description of clusters run in this one, which then helps with the searches
left; the brokers' other measures, which need the clusters, are added last. On a small base (exact
betweenness, or fewer than :data:`~graph.analysis.brokers.PARALLEL_MIN_NODES`
structures) everything runs here, one step after the other.
"""

from __future__ import annotations

import os

from .brokers import (
    EXACT_MAX_NODES, PARALLEL_MIN_NODES, SAMPLE_K, brokers, paths_graph, rank_ties,
)
from .clusters import Clustering, cooperation_clusters
from .paths import Searches, rescale, sample_sources
from .ties import Ties

__all__ = ["clusters_and_brokers", "cooperation_digest"]


def clusters_and_brokers(T: Ties, *, seed: int | None = 0, resolution: float = 1.0, G=None,
                         top: int = 3, level: str = "departement",
                         exact_max_nodes: int = EXACT_MAX_NODES, k: int = SAMPLE_K,
                         constraint_top: int | None = 200,
                         parallel: bool | None = None) -> tuple[Clustering, list[dict]]:
    """:func:`~graph.analysis.clusters.cooperation_clusters` and
    :func:`~graph.analysis.brokers.brokers` of ``T``, with the same parameters and results.

    Parameters
    ----------
    T : Ties
        The projection kept by group (:func:`~graph.analysis.projection.cooperation_ties`).
    parallel : bool or None, optional
        Compute betweenness in a background thread while Louvain runs. By default, when
        betweenness is sampled, ``T`` has at least ``PARALLEL_MIN_NODES`` structures
        and the machine more than one core.

    Returns
    -------
    (Clustering, list of dict)

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_ties
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}")
    ...          for a, b in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    >>> clustering, ranked = clusters_and_brokers(cooperation_ties(toy_graph(edges)))
    >>> len(clustering.clusters), ranked[0]["id"], ranked[0]["cluster"]
    (2, 'structure:c', 0)
    """
    n = len(T)
    sample = min(k, n) if n > exact_max_nodes else None
    if parallel is None:
        parallel = sample is not None and n >= PARALLEL_MIN_NODES and (os.cpu_count() or 1) > 1
    if not parallel:
        clustering = cooperation_clusters(T, seed=seed, resolution=resolution, G=G, top=top,
                                          level=level)
        return clustering, brokers(T, clustering.membership, exact_max_nodes=exact_max_nodes,
                                   k=k, seed=seed, constraint_top=constraint_top, workers=1)
    indptr, indices, counted = paths_graph(T, sample)
    total = len(indptr) - 1 if counted is None else counted
    sources = sample_sources(total, sample, seed)
    searches = Searches(indptr, indices, sources, total, threads=1)
    del indptr, indices
    clustering = cooperation_clusters(T, seed=seed, resolution=resolution, G=G, top=top,
                                      level=level)
    betweenness = rescale(searches.result(), total, sources)
    return clustering, rank_ties(T, clustering.membership, betweenness,
                                 constraint_top=constraint_top)


def cooperation_digest(clustering: Clustering, scores: dict, drawn=(), *, brokers_top: int = 20,
                       described: int = 5) -> dict:
    """What a page shows of a cooperation result without reading all of it: on a national
    base ``clustering`` and ``scores`` hold an entry per structure (250,000), read in half
    a second, where a page shows a table of clusters, the first brokers and a picture.

    ``scores``: the brokers' rows by id, most central first; ``drawn``: the structures a
    picture shows. Returns ``{"modularity", "clusters", "structures", "isolated",
    "brokers", "membership", "scores"}``: the clusters as rows without their members
    (``id``, ``size``, ``sectors``, ``territories``, ``networks``, ``bridges``), how many
    structures and how many without any tie, the ``brokers_top`` first tied brokers,
    and the cluster and broker row of each drawn structure (most central first). Each
    cluster row keeps its ``described`` first sectors, territories, networks and bridges
    (a national cluster bridges thousands of structures), and how many there are in
    ``counts``.

    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_ties
    >>> T = cooperation_ties(toy_graph([("structure:a", "MEMBER_OF", "network:n"),
    ...                                 ("structure:b", "MEMBER_OF", "network:n")],
    ...                                nodes={"structure:c": {}}))
    >>> clustering, ranked = clusters_and_brokers(T)
    >>> d = cooperation_digest(clustering, {b["id"]: b for b in ranked}, ["structure:a"])
    >>> d["structures"], d["isolated"], [b["id"] for b in d["brokers"]], d["membership"]
    (3, 1, ['structure:a', 'structure:b'], {'structure:a': 0})
    """
    lists = ("sectors", "territories", "networks", "bridges")
    clusters = [{"id": c.id, "size": c.size, **{k: getattr(c, k)[:described] for k in lists},
                 "counts": {k: len(getattr(c, k)) for k in lists}} for c in clustering.clusters]
    drawn = set(drawn)
    tied = []
    for s in scores.values():
        if len(tied) >= brokers_top:
            break
        if not s["isolated"]:
            tied.append(s)
    return {"modularity": clustering.modularity, "clusters": clusters, "structures": len(scores),
            "isolated": len(clustering.isolated), "brokers": tied,
            "membership": {n: clustering.membership[n] for n in drawn if n in clustering.membership},
            "scores": {n: s for n, s in scores.items() if n in drawn}}  # most central first

"""Louvain communities of the cooperation projection, computed from its groups.

The first level of Louvain (every structure moving to the neighbouring cluster
that raises modularity most) is where the whole projection is visited. Here it
runs on :class:`~graph.analysis.ties.Ties`, compiled (:mod:`._moving`): the weight
from structure *i* into a cluster *C* is, for each group *g* of *i* (an explicit
pair is a group of two), ``share(g) × (other members of g in C)``. A visit reads
the memberships of the structure's groups, with no pairwise graph in memory, and
the result is the same as on the pairwise graph. The clusters found are then merged
into a weighted graph of clusters (self-loops hold their inner weight) and the
same local moving runs on it, level after level, until a level gains less than
``threshold`` modularity — as :func:`networkx.community.louvain_communities` does.
"""

from __future__ import annotations

import random

import numpy as np

from ._moving import aggregate_groups, local_moving, pair_tables
from .ties import Ties

__all__ = ["louvain_ties", "modularity_ties"]


def _compact(comm: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, int]:
    """Clusters renumbered 0..c-1 (in order of their numbers), -1 where not ``keep``."""
    used, inverse = np.unique(comm[keep], return_inverse=True)
    label = np.full(len(comm), -1, dtype=np.int64)
    label[keep] = inverse
    return label, len(used)


def _merge(a, b, w, label, clusters):
    """Ties between clusters from ties between their parts (``a <= b``, sorted)."""
    x, y = label[a], label[b]
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    keys, inverse = np.unique(lo * clusters + hi, return_inverse=True)
    return keys // clusters, keys % clusters, np.bincount(inverse, weights=w)


def _quality(a, b, w, strength, m, resolution) -> float:
    """Modularity of the partition whose clusters are the nodes of the aggregate."""
    inside = w[a == b].sum()
    return float(inside / m - resolution * ((strength / (2 * m)) ** 2).sum())


def louvain_ties(T: Ties, *, resolution: float = 1.0, threshold: float = 1e-07,
                 seed: int | None = 0) -> list[set[str]]:
    """Louvain communities [1]_ of the projection ``T``, structures without ties left out.

    Parameters
    ----------
    T : Ties
    resolution : float, optional (default=1.0)
    threshold : float, optional (default=1e-07)
        A pass of local moving, and the levels, stop when they gain less than this.
    seed : int or None, optional (default=0)
        Seed of the random node order at every level.

    Returns
    -------
    list of sets of structure ids

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_ties
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}")
    ...          for a, b in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    >>> sorted(sorted(c) for c in louvain_ties(cooperation_ties(toy_graph(edges))))
    [['structure:a', 'structure:b', 'structure:c'], ['structure:d', 'structure:e', 'structure:f']]

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., Lefebvre, E. "Fast unfolding
           of communities in large networks." J. Stat. Mech. P10008 (2008).
    """
    n = len(T.nodes)
    k = np.asarray(T.strength(), dtype=np.float64)
    tied = k > 0
    if not tied.any():
        return []
    m = k.sum() / 2
    rng = random.Random(seed)
    order = [i for i in range(n) if tied[i]]
    rng.shuffle(order)
    group_ptr, group_members, node_ptr, node_groups, shares = T.tables()
    comm = local_moving(group_ptr, group_members, node_ptr, node_groups, shares, k,
                        np.asarray(order, dtype=np.int64), float(resolution), float(threshold))
    label, clusters = _compact(comm, tied)
    a, b, w = aggregate_groups(group_ptr, group_members, shares, label, clusters)
    strength = np.bincount(label[tied], weights=k[tied], minlength=clusters)
    quality = _quality(a, b, w, strength, m, resolution)
    while clusters > 1:
        order = list(range(clusters))
        rng.shuffle(order)
        tables, keep = pair_tables(a, b, clusters)
        moved = local_moving(*tables, w[keep], strength, np.asarray(order, dtype=np.int64),
                             float(resolution), float(threshold))
        if (moved == np.arange(clusters)).all():
            break
        up, merged = _compact(moved, np.ones(clusters, dtype=bool))
        a, b, w = _merge(a, b, w, up, merged)
        strength = np.bincount(up, weights=strength, minlength=merged)
        label[tied] = up[label[tied]]
        clusters = merged
        better = _quality(a, b, w, strength, m, resolution)
        if better - quality <= threshold:
            break
        quality = better
    out: list[set[str]] = [set() for _ in range(clusters)]
    nodes = T.nodes
    for i in np.flatnonzero(tied).tolist():
        out[label[i]].add(nodes[i])
    return [c for c in out if c]


def modularity_ties(T: Ties, communities, *, resolution: float = 1.0) -> float:
    """Modularity of a partition of the tied structures of ``T`` (as
    :func:`networkx.community.modularity` on the pairwise graph).

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_ties
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}")
    ...          for a, b in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    >>> T = cooperation_ties(toy_graph(edges))
    >>> round(modularity_ties(T, louvain_ties(T)), 3)
    0.357
    """
    of = np.full(len(T.nodes), -1, dtype=np.int64)
    for x, block in enumerate(communities):
        for node in block:
            of[T.index[node]] = x
    k = np.asarray(T.strength(), dtype=np.float64)
    m = k.sum() / 2
    if m == 0:
        return 0.0
    inside = of >= 0
    group_ptr, group_members, _, _, shares = T.tables()
    a, b, w = aggregate_groups(group_ptr, group_members, shares, of, len(communities))
    strength = np.bincount(of[inside], weights=k[inside], minlength=len(communities))
    return _quality(a, b, w, strength, m, resolution)

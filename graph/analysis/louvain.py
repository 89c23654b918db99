"""Louvain communities of the cooperation projection, computed from its groups.

The first level of Louvain (every structure moving to the neighbouring cluster
that raises modularity most) is where the whole projection is visited. Here it
runs on :class:`~graph.analysis.ties.Ties`, compiled (:mod:`._moving`): the weight
from structure *i* into a cluster *C* is, for each group *g* of *i* (an explicit
pair is a group of two), ``share(g) × (other members of g in C)``. A visit reads
the memberships of the structure's groups, with no pairwise graph in memory, and
the result is the same as on the pairwise graph. The clusters found are then merged
into a weighted graph of clusters (self-loops hold their inner weight), and
NetworkX's Louvain carries on from there, as Louvain does on its own aggregate.
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx
import numpy as np

from ._moving import group_tables, local_moving
from .ties import Ties

__all__ = ["louvain_ties", "modularity_ties"]


def _first_level(T: Ties, resolution: float, threshold: float,
                 seed) -> tuple[list[int], list[bool]]:
    """Louvain's local moving on the groups (compiled: :func:`~._moving.local_moving`);
    returns each node's cluster and which nodes have ties. Passes stop when one gains
    less than ``threshold`` modularity in all (rounding alone can move a node back and
    forth between two equal clusters for ever)."""
    n = len(T.nodes)
    k = T.strength()
    order = [i for i in range(n) if k[i] > 0]
    random.Random(seed).shuffle(order)
    members, owner, shares = T.memberships()
    tables = group_tables(members, owner, len(shares), n)
    del members, owner
    comm = local_moving(*tables, shares, np.asarray(k, dtype=np.float64),
                        np.asarray(order, dtype=np.int64), float(resolution), float(threshold))
    return comm.tolist(), [x > 0 for x in k]


def _aggregate(T: Ties, comm: list, tied: list[bool]) -> nx.Graph:
    """The weighted graph of clusters: edge weight = ties between them, self-loop = inside.
    Nodes whose cluster is None are left out, with their ties."""
    weight: dict[tuple[int, int], float] = defaultdict(float)
    for (i, j), (w, _) in T.pairs.items():
        a, b = comm[i], comm[j]
        if a is not None and b is not None:
            weight[(a, b) if a <= b else (b, a)] += w
    for _, _, members, share in T.groups:
        counts: dict[int, int] = defaultdict(int)
        for i in members:
            if comm[i] is not None:
                counts[comm[i]] += 1
        items = sorted(counts.items())
        for x, (a, na) in enumerate(items):
            if na > 1:
                weight[(a, a)] += share * na * (na - 1) / 2
            for b, nb in items[x + 1:]:
                weight[(a, b)] += share * na * nb
    H = nx.Graph()
    H.add_nodes_from(sorted({comm[i] for i in range(len(comm)) if tied[i]}))
    H.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weight.items()))
    return H


def louvain_ties(T: Ties, *, resolution: float = 1.0, threshold: float = 1e-07,
                 seed: int | None = 0) -> list[set[str]]:
    """Louvain communities [1]_ of the projection ``T``, structures without ties left out.

    Parameters
    ----------
    T : Ties
    resolution : float, optional (default=1.0)
    threshold : float, optional (default=1e-07)
        Aggregate levels stop when modularity gains less than this.
    seed : int or None, optional (default=0)
        Seed of the random node order (first level and NetworkX's later levels).

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
    comm, tied = _first_level(T, resolution, threshold, seed)
    H = _aggregate(T, comm, tied)
    if H.number_of_nodes() == 0:
        return []
    if H.number_of_edges() and H.number_of_nodes() > 1:
        top = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                               threshold=threshold, seed=seed)
    else:
        top = [{c} for c in H]
    label = {c: x for x, block in enumerate(top) for c in block}
    out: list[set[str]] = [set() for _ in top]
    for i, c in enumerate(comm):
        if tied[i]:
            out[label[c]].add(T.nodes[i])
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
    of: list[int | None] = [None] * len(T.nodes)
    for x, block in enumerate(communities):
        for n in block:
            of[T.index[n]] = x
    k = T.strength()
    m = sum(k) / 2
    if m == 0:
        return 0.0
    H = _aggregate(T, of, [c is not None for c in of])
    degree: dict[int, float] = defaultdict(float)
    for i, c in enumerate(of):
        if c is not None:
            degree[c] += k[i]
    inside = {c: H[c][c]["weight"] for c in H if H.has_edge(c, c)}
    return sum(inside.get(c, 0.0) / m - resolution * (degree[c] / (2 * m)) ** 2 for c in degree)

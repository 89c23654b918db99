"""Louvain communities of the cooperation projection, computed from its groups.

The first level of Louvain (every structure moving to the neighbouring cluster
that raises modularity most) is where the whole projection is visited. Here it
runs on :class:`~graph.analysis.ties.Ties`: the weight from structure *i* into a
cluster *C* is its explicit ties into *C* plus, for each group *g* of *i*,
``share(g) × (members of g in C)``, kept as a count per group and cluster. A
visit costs the clusters present in the structure's groups, not its pairs, and the
result is the same as on the pairwise graph. The clusters found are then merged
into a weighted graph of clusters (self-loops hold their inner weight), and
NetworkX's Louvain carries on from there, as Louvain does on its own aggregate.
"""

from __future__ import annotations

import random
from collections import defaultdict

import networkx as nx

from .ties import Ties

__all__ = ["louvain_ties", "modularity_ties"]


def _prepare(T: Ties):
    """Explicit pairs and groups of two as weighted adjacency; larger groups kept."""
    adj: list[dict[int, float]] = [dict() for _ in T.nodes]

    def add(i, j, w):
        adj[i][j] = adj[i].get(j, 0.0) + w
        adj[j][i] = adj[j].get(i, 0.0) + w

    for (i, j), (w, _) in T.pairs.items():
        add(i, j, w)
    shares, members_of, hyper = [], [], [[] for _ in T.nodes]
    for _, _, members, share in T.groups:
        if len(members) == 2:
            add(members[0], members[1], share)
            continue
        g = len(shares)
        shares.append(share)
        members_of.append(members)
        for i in members:
            hyper[i].append(g)
    return adj, shares, members_of, hyper


def _first_level(T: Ties, resolution: float, threshold: float,
                 seed) -> tuple[list[int], list[bool]]:
    """Louvain's local moving on the groups; returns each node's cluster and which nodes have
    ties. Passes stop when one gains less than ``threshold`` modularity in all (rounding
    alone can move a node back and forth between two equal clusters for ever)."""
    adj, shares, members_of, hyper = _prepare(T)
    n = len(T.nodes)
    k = T.strength()
    m = sum(k) / 2
    comm = list(range(n))
    tot = list(k)
    cnt = [{i: 1 for i in members} for members in members_of]
    order = [i for i in range(n) if k[i] > 0]
    random.Random(seed).shuffle(order)
    two_m2 = 2 * m * m
    gained = threshold + 1
    active = [True] * n
    while gained > threshold:
        gained = 0.0
        # pruning: a structure is looked at again only if something around it moved in
        # the last pass (itself, a neighbour by explicit tie, a member of one of its groups)
        visit = [i for i in order if active[i]]
        active, marked = [False] * n, [False] * len(shares)
        for i in visit:
            ki, ci = k[i], comm[i]
            wts: dict[int, float] = {}
            get = wts.get
            for j, w in adj[i].items():
                c = comm[j]
                wts[c] = get(c, 0.0) + w
            for g in hyper[i]:
                s = shares[g]
                for c, count in cnt[g].items():
                    wts[c] = get(c, 0.0) + s * count
                wts[ci] -= s                      # i itself
            tot[ci] -= ki
            base = resolution * ki / two_m2
            remove_cost = -get(ci, 0.0) / m + tot[ci] * base
            best, best_gain = ci, 0.0
            for c, wt in wts.items():
                gain = remove_cost + wt / m - tot[c] * base
                if gain > best_gain:
                    best, best_gain = c, gain
            tot[best] += ki
            if best != ci:
                comm[i] = best
                active[i] = True
                for j in adj[i]:
                    active[j] = True
                for g in hyper[i]:
                    if not marked[g]:
                        marked[g] = True
                        for j in members_of[g]:
                            active[j] = True
                    cg = cnt[g]
                    if cg[ci] == 1:
                        del cg[ci]
                    else:
                        cg[ci] -= 1
                    cg[best] = cg.get(best, 0) + 1
                gained += best_gain
    return comm, [x > 0 for x in k]


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

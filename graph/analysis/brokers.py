"""Brokers and isolated structures of the cooperation projection.

Brokers sit between groups that would otherwise not meet: high betweenness,
ties spread over several clusters (participation coefficient), few redundant
contacts (low Burt constraint). Isolated structures have no tie at all.
"""

from __future__ import annotations

import os
from collections import defaultdict

import networkx as nx
import numpy as np

from graph import model

from ._common import year_of
from .group_measures import constraint_ties, participation_ties
from .paths import betweenness_csr
from .ties import Ties

__all__ = ["EXACT_MAX_NODES", "PARALLEL_MIN_NODES", "SAMPLE_K", "brokers", "burt_constraint",
           "isolated_structures", "participation_coefficient", "paths_graph", "rank_ties",
           "ties_betweenness"]

#: Up to this many nodes, betweenness is exact; above, it is estimated from ``k`` sources.
EXACT_MAX_NODES = 2000
#: Number of sampled sources for betweenness on larger graphs.
SAMPLE_K = 500
#: From this many structures, sampled betweenness of a ``Ties`` uses every core by default.
PARALLEL_MIN_NODES = 20_000
#: Betweenness equal to this many decimals is a tie (sums in another order differ in the last bits).
TIE_DECIMALS = 12


def _w(d: dict, weight: str | None) -> float:
    return float(d.get(weight, 1.0)) if weight else 1.0


def participation_coefficient(P: nx.Graph, membership: dict, *,
                              weight: str | None = "weight") -> dict:
    """Participation coefficient of each node across clusters (Guimerà & Amaral [1]_).

    ``P_i = 1 - sum_s (k_is / k_i)^2`` where ``k_is`` is the strength of node i's
    ties into cluster s and ``k_i`` its total strength: 0 when all ties stay in one
    cluster, close to 1 when they are spread evenly over many. Nodes without ties
    get 0; neighbours missing from ``membership`` count as their own cluster.

    Parameters
    ----------
    P : networkx.Graph
    membership : dict
        node → cluster id.
    weight : str or None, optional (default="weight")

    Returns
    -------
    dict
        node → float.

    Examples
    --------
    >>> P = nx.Graph([(0, 1), (0, 2), (0, 3), (2, 3)])
    >>> participation_coefficient(P, {0: "a", 1: "a", 2: "b", 3: "b"})
    {0: 0.4444444444444444, 1: 0.0, 2: 0.5, 3: 0.5}

    References
    ----------
    .. [1] Guimerà, R., Amaral, L. A. N. "Functional cartography of complex metabolic
           networks." Nature 433, 895–900 (2005). https://doi.org/10.1038/nature03288
    """
    result = {}
    for u in P:
        into: dict = defaultdict(float)
        for v, d in P[u].items():
            if v != u:
                into[membership.get(v, ("node", v))] += _w(d, weight)
        total = sum(into.values())
        result[u] = 1.0 - sum((k / total) ** 2 for k in into.values()) if total else 0.0
    return result


def burt_constraint(P: nx.Graph, nodes=None, *, weight: str | None = "weight") -> dict:
    """Burt's constraint of ``nodes`` (all by default) in an undirected graph [1]_.

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours j of i, q running
    over the other neighbours of i, with ``p_ij = w_ij / sum_k w_ik``. Low constraint
    means contacts that do not know each other: a broker's position.

    Same values as :func:`networkx.constraint` on undirected graphs, but each node
    costs the sum of its neighbours' degrees instead of a cube of its own degree,
    which matters for hubs. Nodes without ties get None.

    Examples
    --------
    >>> P = nx.Graph([("hub", "a"), ("hub", "b"), ("a", "b"), ("hub", "c")])
    >>> {n: round(c, 4) for n, c in burt_constraint(P, weight=None).items()}
    {'hub': 0.6111, 'a': 1.0069, 'b': 1.0069, 'c': 1.0}

    References
    ----------
    .. [1] Burt, R. S. "Structural holes and good ideas." American Journal of
           Sociology 110(2), 349–399 (2004). https://doi.org/10.1086/421787
    """
    strength = {}

    def s(n):
        if n not in strength:
            strength[n] = sum(_w(d, weight) for m, d in P[n].items() if m != n)
        return strength[n]

    result = {}
    for i in (P if nodes is None else nodes):
        if s(i) == 0:
            result[i] = None
            continue
        p_i = {j: _w(d, weight) / s(i) for j, d in P[i].items() if j != i}
        indirect: dict = defaultdict(float)
        for q, p_iq in p_i.items():
            for j, d in P[q].items():
                if j != i and j != q and j in p_i:
                    indirect[j] += p_iq * _w(d, weight) / s(q)
        result[i] = sum((p_ij + indirect[j]) ** 2 for j, p_ij in p_i.items())
    return result


def isolated_structures(G: nx.MultiDiGraph, P: nx.Graph) -> list[str]:
    """Structures of ``G`` without any tie in the projection ``P``, sorted.

    Structures founded after ``P.graph["as_of"]`` (if set) are not counted.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> from graph.analysis.projection import cooperation_graph
    >>> G = demo_graph()
    >>> isolated_structures(G, cooperation_graph(G))
    ['funder:nantes-initiatives', 'structure:angers-insertion']
    """
    as_of = P.graph.get("as_of")
    out = []
    for n, d in G.nodes(data=True):
        if model.STRUCTURE not in (d.get("labels") or ()):
            continue
        founded = year_of(d.get("founded"))
        if as_of is not None and founded is not None and founded > as_of:
            continue
        if n not in P or P.degree(n) == 0:
            out.append(n)
    return sorted(out)


def brokers(P: nx.Graph | Ties, membership: dict | None = None, *, weight: str | None = "weight",
            exact_max_nodes: int = EXACT_MAX_NODES, k: int = SAMPLE_K, seed: int | None = 0,
            constraint_top: int | None = 200, weighted_paths: bool = False,
            paths: str | None = None, workers: int | None = None) -> list[dict]:
    """Rank the structures of ``P`` by their brokerage position.

    Parameters
    ----------
    P : networkx.Graph or Ties
        The cooperation projection (:func:`~graph.analysis.projection.cooperation_graph`),
        or the same kept by group (:func:`~graph.analysis.projection.cooperation_ties`,
        for a national base): participation, constraint, degree and strength are then
        computed from the groups, with the same values; betweenness see ``paths``.
    membership : dict, optional
        node → cluster id (``Clustering.membership``); by default clusters are
        computed with :func:`~graph.analysis.clusters.cooperation_clusters` and ``seed``.
    weight : str or None, optional (default="weight")
        Tie strength, used by participation, constraint and strength.
    exact_max_nodes : int, optional (default=2000)
        Betweenness is exact up to this many nodes (Brandes, O(nm)); above, it is
        estimated from ``k`` source nodes drawn with ``seed`` [1]_ [2]_.
    k : int, optional (default=500)
        Sampled sources on large graphs.
    seed : int or None, optional (default=0)
        Seed for betweenness sampling and for the default clustering.
    constraint_top : int or None, optional (default=200)
        Burt's constraint is computed for the nodes ranked this high by betweenness
        (None: all nodes); the others get None.
    weighted_paths : bool, optional (default=False)
        Betweenness counts hops by default; True uses ``1/weight`` as the length of
        a tie (strong ties are short, as in [3]_). Pairwise graph only.
    paths : {"pairs", "groups"} or None, optional
        For a ``Ties``: ``"pairs"`` counts shortest paths on the pairwise projection
        (the same figures as on the graph, at a cost that follows its pairs);
        ``"groups"`` on the structure–group graph (:meth:`Ties.incidence`): the same
        distances, but two structures sharing several groups are joined by as many
        paths, and a source costs memberships instead of pairs (7x faster at
        100,000 structures). By default ``"pairs"`` when betweenness is exact,
        ``"groups"`` when it is sampled.
    workers : int or None, optional
        For a ``Ties``: threads sharing the sampled sources of betweenness. By
        default every core (up to 4) from 20,000 structures when sampled, else 1.

    Returns
    -------
    list of dict
        One per node: ``id``, ``name``, ``betweenness``, ``participation``,
        ``constraint``, ``degree``, ``strength``, ``cluster`` (None when isolated),
        ``isolated``; sorted by betweenness (to ``TIE_DECIMALS`` decimals), then degree
        (both descending), then id.

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_graph
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}")
    ...          for a, b in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    >>> P = cooperation_graph(toy_graph(edges))
    >>> top = brokers(P)[0]
    >>> top["id"], round(top["betweenness"], 2), round(top["participation"], 2)
    ('structure:c', 0.6, 0.44)

    References
    ----------
    .. [1] Brandes, U. "A faster algorithm for betweenness centrality." Journal of
           Mathematical Sociology 25(2), 163–177 (2001).
    .. [2] Brandes, U., Pich, C. "Centrality estimation in large networks."
           Int. J. Bifurcation and Chaos 17(7), 2303–2318 (2007).
    .. [3] Newman, M. E. J. "Scientific collaboration networks. II." Phys. Rev. E 64,
           016132 (2001).
    """
    if membership is None:
        from .clusters import cooperation_clusters

        membership = cooperation_clusters(P, seed=seed, weight=weight).membership
    if isinstance(P, Ties):
        return _brokers_of_ties(P, membership, weight=weight, exact_max_nodes=exact_max_nodes,
                                k=k, seed=seed, constraint_top=constraint_top,
                                weighted_paths=weighted_paths, paths=paths, workers=workers)
    if paths is not None:
        raise ValueError("paths= is for a projection kept by group (cooperation_ties)")
    H = P
    length = None
    if weighted_paths and weight:
        H = nx.Graph()
        H.add_nodes_from(P)
        H.add_edges_from((u, v, {"_length": 1.0 / max(_w(d, weight), 1e-12)})
                         for u, v, d in P.edges(data=True))
        length = "_length"
    n = P.number_of_nodes()
    sample = None if n <= exact_max_nodes else min(k, n)
    betweenness = nx.betweenness_centrality(H, k=sample, weight=length, seed=seed) if n else {}
    participation = participation_coefficient(P, membership, weight=weight)

    def strength(u):
        return float(sum(_w(d, weight) for v, d in P[u].items() if v != u))

    order = sorted(P, key=lambda u: (-round(betweenness[u], TIE_DECIMALS), -P.degree(u), u))
    chosen = order if constraint_top is None else order[:constraint_top]
    constraint = burt_constraint(P, chosen, weight=weight)
    return [{
        "id": u, "name": P.nodes[u].get("name", u),
        "betweenness": float(betweenness[u]), "participation": participation[u],
        "constraint": constraint.get(u), "degree": P.degree(u), "strength": strength(u),
        "cluster": membership.get(u), "isolated": P.degree(u) == 0,
    } for u in order]


def _brokers_of_ties(T: Ties, membership: dict, *, weight, exact_max_nodes, k, seed,
                     constraint_top, weighted_paths, paths, workers) -> list[dict]:
    if weight is None or weighted_paths:
        raise ValueError("weight=None and weighted_paths=True need the pairwise graph "
                         "(cooperation_graph)")
    betweenness = ties_betweenness(T, exact_max_nodes=exact_max_nodes, k=k, seed=seed,
                                   paths=paths, workers=workers)
    return rank_ties(T, membership, betweenness, constraint_top=constraint_top)


def ties_betweenness(T: Ties, *, exact_max_nodes: int = EXACT_MAX_NODES, k: int = SAMPLE_K,
                     seed: int | None = 0, paths: str | None = None,
                     workers: int | None = None):
    """Betweenness of each structure of ``T`` (a NumPy array in node-number order), as
    :func:`brokers` computes it (see its ``paths`` and ``workers``)."""
    n = len(T.nodes)
    sample = None if n <= exact_max_nodes else min(k, n)
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if sample and n >= PARALLEL_MIN_NODES else 1
    indptr, indices, counted = paths_graph(T, sample, paths)
    if n == 0:
        return np.zeros(0)
    return betweenness_csr(indptr, indices, k=sample, seed=seed, counted=counted, workers=workers)


def paths_graph(T: Ties, sample: int | None, paths: str | None = None):
    """The graph betweenness runs on, as ``indptr, indices, counted`` for
    :func:`~graph.analysis.paths.betweenness_csr`: the pairwise CSR (``paths="pairs"``,
    the default when betweenness is exact, ``sample`` None) or the structure–group
    graph (``"groups"``, the default for a sample)."""
    if paths is None:
        paths = "pairs" if sample is None else "groups"
    if paths not in ("pairs", "groups"):
        raise ValueError(f"paths must be 'pairs' or 'groups', not {paths!r}")
    if paths == "pairs":
        indptr, indices, _ = T.csr()
        return indptr, indices, None
    indptr, indices = T.incidence()
    return indptr, indices, len(T.nodes)


def rank_ties(T: Ties, membership: dict, betweenness, *,
              constraint_top: int | None = 200) -> list[dict]:
    """The rows of :func:`brokers` for ``T``, from its betweenness (:func:`ties_betweenness`)."""
    n = len(T.nodes)
    degree = T.degrees()
    strength = T.strength()
    participation = participation_ties(T, membership)
    order = sorted(range(n), key=lambda i: (-round(float(betweenness[i]), TIE_DECIMALS),
                                            -degree[i], T.nodes[i]))
    chosen = order if constraint_top is None else order[:constraint_top]
    constraint = constraint_ties(T, chosen)
    return [{
        "id": T.nodes[i], "name": T.names[i], "betweenness": float(betweenness[i]),
        "participation": participation[i], "constraint": constraint.get(i),
        "degree": int(degree[i]), "strength": float(strength[i]),
        "cluster": membership.get(T.nodes[i]), "isolated": bool(degree[i] == 0),
    } for i in order]

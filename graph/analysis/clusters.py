"""Cooperation clusters: Louvain communities of the cooperation projection, described.

A cluster is a group of structures that work together more than with the rest.
Each is described by its main sectors, territories and networks (read from the
typed graph) and by its *bridges*: members with ties into other clusters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import networkx as nx

from graph import model

from ._common import check_choice, edges_of_type, name_of
from ._index import GraphIndex
from .group_measures import bridges_ties
from .louvain import louvain_ties, modularity_ties
from .ties import Ties

__all__ = ["Cluster", "Clustering", "cooperation_clusters", "describe_clusters"]


@dataclass
class Cluster:
    """One cluster: ``id`` (0 is the largest), its members (sorted) and description.

    ``sectors``, ``territories`` and ``networks`` are lists of
    ``{"id", "name", "count"}`` (count = members concerned), most frequent first;
    ``bridges`` lists ``{"id", "name", "clusters", "external_weight"}`` for members
    tied to other clusters, strongest outside ties first.
    """

    id: int
    size: int
    members: list[str]
    bridges: list[dict] = field(default_factory=list)
    sectors: list[dict] = field(default_factory=list)
    territories: list[dict] = field(default_factory=list)
    networks: list[dict] = field(default_factory=list)


@dataclass
class Clustering:
    """The clusters of a cooperation graph, with the modularity of the partition.

    ``membership`` maps each clustered structure to its cluster id; ``isolated``
    lists the structures without any tie (in no cluster).
    """

    modularity: float
    clusters: list[Cluster]
    membership: dict[str, int]
    isolated: list[str]
    seed: int | None = None
    resolution: float = 1.0


def cooperation_clusters(P: nx.Graph | Ties, *, seed: int | None = 0, resolution: float = 1.0,
                         weight: str | None = "weight", G: nx.MultiDiGraph | None = None,
                         top: int = 3, level: str = "departement") -> Clustering:
    """Find clusters of structures that cooperate, with Louvain [1]_.

    Structures without any tie are not clustered (they are listed in ``isolated``).
    Clusters are numbered 0..k-1 by decreasing size, then by smallest member id,
    so that a fixed ``seed`` gives the same numbering every time.

    Parameters
    ----------
    P : networkx.Graph or Ties
        The cooperation projection (:func:`~graph.analysis.projection.cooperation_graph`),
        or the same kept by group (:func:`~graph.analysis.projection.cooperation_ties`,
        for a national base): then the first level of Louvain runs on the groups
        (:func:`~graph.analysis.louvain.louvain_ties`) and bridges are counted from
        them; the partition found can differ from the pairwise graph's (another order
        of visits) with a modularity of the same quality.
    seed : int or None, optional (default=0)
        Seed of Louvain's random node order.
    resolution : float, optional (default=1.0)
        Above 1, smaller clusters; below 1, larger ones.
    weight : str or None, optional (default="weight")
        Edge attribute holding tie strength; None counts every tie as 1 (pairwise
        graph only: a ``Ties`` always weighs ties by strength).
    G : networkx.MultiDiGraph, optional
        The typed graph: when given, clusters are described (see
        :func:`describe_clusters`).
    top : int, optional (default=3)
        How many sectors, territories and networks describe each cluster.
    level : str, optional (default="departement")
        Territorial level at which members' seats are counted.

    Returns
    -------
    Clustering

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_graph
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}")
    ...          for a, b in ["ab", "bc", "ca", "de", "ef", "fd", "cd"]]
    >>> P = cooperation_graph(toy_graph(edges, nodes={"structure:z": {}}))
    >>> result = cooperation_clusters(P, seed=0)
    >>> [c.members for c in result.clusters]
    [['structure:a', 'structure:b', 'structure:c'], ['structure:d', 'structure:e', 'structure:f']]
    >>> round(result.modularity, 3), result.isolated
    (0.357, ['structure:z'])
    >>> result.clusters[0].bridges
    [{'id': 'structure:c', 'name': 'structure:c', 'clusters': [1], 'external_weight': 1.0}]

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., Lefebvre, E. "Fast unfolding
           of communities in large networks." J. Stat. Mech. P10008 (2008).
           https://doi.org/10.1088/1742-5468/2008/10/P10008
    """
    if isinstance(P, Ties):
        return _clusters_of_ties(P, seed=seed, resolution=resolution, weight=weight, G=G,
                                 top=top, level=level)
    isolated = sorted(n for n in P if P.degree(n) == 0)
    H = P.subgraph(n for n in P if P.degree(n) > 0)
    if H.number_of_edges() == 0:
        return Clustering(0.0, [], {}, isolated, seed, resolution)
    found = nx.community.louvain_communities(H, weight=weight, resolution=resolution,
                                             seed=seed)
    communities = sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))
    modularity = nx.community.modularity(H, communities, weight=weight,
                                         resolution=resolution)
    if G is not None:
        clusters = describe_clusters(G, P, communities, top=top, level=level,
                                     weight=weight)
    else:
        clusters = _bare_clusters(P, communities, weight)
    membership = {n: c.id for c in clusters for n in c.members}
    return Clustering(float(modularity), clusters, dict(sorted(membership.items())),
                      isolated, seed, resolution)


def _clusters_of_ties(T: Ties, *, seed, resolution, weight, G, top, level) -> Clustering:
    if weight is None:
        raise ValueError("weight=None needs the pairwise graph (cooperation_graph): "
                         "cooperation_ties always weighs ties by strength")
    strength = T.strength()
    isolated = sorted(n for n, k in zip(T.nodes, strength) if k == 0)
    found = louvain_ties(T, resolution=resolution, seed=seed)
    if not found:
        return Clustering(0.0, [], {}, isolated, seed, resolution)
    communities = sorted((set(c) for c in found), key=lambda c: (-len(c), min(c)))
    modularity = modularity_ties(T, communities, resolution=resolution)
    if G is not None:
        clusters = describe_clusters(G, T, communities, top=top, level=level, weight=weight)
    else:
        clusters = _bare_clusters(T, communities, weight)
    membership = {n: c.id for c in clusters for n in c.members}
    return Clustering(float(modularity), clusters, dict(sorted(membership.items())),
                      isolated, seed, resolution)


def _bare_clusters_ties(T: Ties, communities) -> list[Cluster]:
    of: list = [None] * len(T.nodes)
    for x, block in enumerate(communities):
        for n in block:
            of[T.index[n]] = x
    outside: list[list] = [[] for _ in communities]
    for i, (w, cs) in bridges_ties(T, of).items():
        outside[of[i]].append({"id": T.nodes[i], "name": T.names[i], "clusters": sorted(cs),
                               "external_weight": float(w)})
    for rows in outside:
        rows.sort(key=lambda b: (-b["external_weight"], b["id"]))
    return [Cluster(i, len(members), sorted(members), outside[i])
            for i, members in enumerate(communities)]


def _bare_clusters(P: nx.Graph | Ties, communities, weight) -> list[Cluster]:
    if isinstance(P, Ties):
        return _bare_clusters_ties(P, communities)
    of = {n: i for i, c in enumerate(communities) for n in c}
    clusters = []
    for i, members in enumerate(communities):
        outside: dict[str, list] = defaultdict(lambda: [0.0, set()])
        for u in members:
            for v, d in P[u].items():
                if of.get(v, i) != i:
                    outside[u][0] += d.get(weight, 1) if weight else 1
                    outside[u][1].add(of[v])
        bridges = [{"id": u, "name": P.nodes[u].get("name", u), "clusters": sorted(cs),
                    "external_weight": float(w)}
                   for u, (w, cs) in sorted(outside.items(), key=lambda x: (-x[1][0], x[0]))]
        clusters.append(Cluster(i, len(members), sorted(members), bridges))
    return clusters


def _top(G: nx.MultiDiGraph, counts: Counter, top: int) -> list[dict]:
    ranked = sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:top]
    return [{"id": k, "name": name_of(G, k), "count": c} for k, c in ranked]


def describe_clusters(G: nx.MultiDiGraph, P: nx.Graph | Ties, communities, *, top: int = 3,
                      level: str = "departement", weight: str | None = "weight",
                      ) -> list[Cluster]:
    """Describe communities of ``P`` by their members' sectors, territories, networks.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The typed graph ``P`` was projected from.
    P : networkx.Graph or Ties
        The cooperation projection (pairwise, or kept by group).
    communities : list of sets
        Communities in cluster-id order (the i-th gets id i).
    top : int, optional (default=3)
        How many sectors, territories and networks to keep per cluster.
    level : str, optional (default="departement")
        Each member counts for the territory of this level containing its seat
        (``LOCATED_IN``, or ``SERVES`` when it has no seat); a seat above the level
        counts as itself.
    weight : str or None, optional (default="weight")
        Edge attribute summed in the bridges' ``external_weight``.

    Returns
    -------
    list of Cluster

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> from graph.analysis.projection import cooperation_graph
    >>> G = demo_graph()
    >>> P = cooperation_graph(G)
    >>> [c] = describe_clusters(G, P, [{"structure:arais", "structure:envie44"}])
    >>> c.sectors
    [{'id': 'sector:insertion', 'name': 'Insertion, emploi', 'count': 2}, {'id': 'sector:environnement', 'name': 'Environnement', 'count': 1}]
    >>> c.territories
    [{'id': 'departement:44', 'name': 'Loire-Atlantique', 'count': 2}]
    """
    check_choice(level, model.TERRITORY_LEVELS, "territory level")
    idx = GraphIndex(G)
    networks = defaultdict(set)
    for u, v, _ in edges_of_type(G, "MEMBER_OF"):
        networks[u].add(v)
    clusters = _bare_clusters(P, communities, weight)
    for c in clusters:
        sectors, territories, nets = Counter(), Counter(), Counter()
        for m in c.members:
            sectors.update(set(idx.sectors.get(m, ())))
            seats = idx.seats.get(m) or idx.served.get(m) or ()
            territories.update({idx.ancestor_at(t, level) or t for t in seats})
            nets.update(networks.get(m, ()))
        c.sectors, c.territories, c.networks = (
            _top(G, sectors, top), _top(G, territories, top), _top(G, nets, top))
    return clusters

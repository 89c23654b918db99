"""The cooperation projection: a weighted structure–structure graph.

Structures tie when they cooperate explicitly, or when they share a group: a
network they are members of, an event they took part in, a shared place they use,
a funder, an initiative they carry. Group ties follow Newman's collaboration
weighting: in a group of *n* structures each pair gets ``1/(n-1)``, so every
member spreads one unit of tie strength over its fellow members.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph import model

from ._common import edges_of_type, is_current, year_of
from .ties import Ties

__all__ = ["DEFAULT_WEIGHTS", "GROUP_SOURCES", "MAX_GROUP_SIZE", "UNTIED_ROLES", "Ties",
           "cooperation_graph",
           "cooperation_ties"]

#: Weight of each source of ties (``cooperation`` is the explicit COOPERATES_WITH).
DEFAULT_WEIGHTS = {
    "cooperation": 1.0, "network": 1.0, "event": 1.0, "place": 1.0, "funder": 1.0,
    "initiative": 1.0,
}
#: Group sources: name → (relationship type from a structure to the group node).
GROUP_SOURCES = {
    "network": "MEMBER_OF", "event": "PARTICIPATED_IN", "place": "USES",
    "funder": "FUNDED_BY", "initiative": "CARRIES",
}
#: Roles that put a structure in a group without tying it to the other members: the
#: structures interviewed one by one for a study (``PARTICIPATED_IN`` with role
#: ``interviewee``) did not meet each other.
UNTIED_ROLES = {"PARTICIPATED_IN": ("interviewee",)}
#: Groups larger than this give no pairwise ties by default.
MAX_GROUP_SIZE = 200


def _structures(G: nx.MultiDiGraph, as_of: int | None) -> list[str]:
    out = []
    for n, d in G.nodes(data=True):
        if model.STRUCTURE not in (d.get("labels") or ()):
            continue
        founded = year_of(d.get("founded"))
        if as_of is not None and founded is not None and founded > as_of:
            continue
        out.append(n)
    return sorted(out)


def _group_current(G: nx.MultiDiGraph, group: str, as_of: int | None) -> bool:
    """Events dated after ``as_of`` and initiatives started after it do not count yet."""
    if as_of is None:
        return True
    d = G.nodes[group]
    when = year_of(d.get("date")) if model.EVENT in (d.get("labels") or ()) else None
    if model.INITIATIVE in (d.get("labels") or ()):
        when = year_of(d.get("year"))
    return when is None or when <= as_of


def _checked_weights(weights: dict | None, max_group_size: int | None) -> dict:
    w = dict(DEFAULT_WEIGHTS)
    for source, value in (weights or {}).items():
        if source not in DEFAULT_WEIGHTS:
            raise ValueError(f"unknown tie source {source!r}; expected one of "
                             f"{', '.join(DEFAULT_WEIGHTS)}")
        if value < 0:
            raise ValueError(f"weight of {source!r} must be >= 0, not {value!r}")
        w[source] = float(value)
    if max_group_size is not None and max_group_size < 2:
        raise ValueError("max_group_size must be at least 2, or None")
    return w


def cooperation_graph(G: nx.MultiDiGraph, *, weights: dict | None = None,
                      as_of: int | None = None,
                      max_group_size: int | None = MAX_GROUP_SIZE) -> nx.Graph:
    """Project the typed graph onto structures, weighting ties by what they share.

    Every node of ``G`` carrying the ``Structure`` label becomes a node (a CIGALES
    club labelled ``Structure`` and ``Funder`` too), tied or not. Two structures
    tie through:

    * an explicit ``COOPERATES_WITH`` (either direction): ``weights["cooperation"]``,
      counted once per pair however many relationships state it;
    * each group they both belong to — a network (``MEMBER_OF``), an event
      (``PARTICIPATED_IN``), a shared place (``USES``), a funder (``FUNDED_BY``), an
      initiative (``CARRIES``): ``weights[source] / (n - 1)`` for a group of ``n``
      structures [1]_. A structure interviewed for a study (``PARTICIPATED_IN`` with
      role ``interviewee``, :data:`UNTIED_ROLES`) is not a member of its group.

    A ``COOPERATES_WITH`` with a network or a funder at one end ties no two structures
    (the projection holds structures only); the typed graph keeps it.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The typed graph (see :mod:`graph.convert`).
    weights : dict, optional
        Overrides of :data:`DEFAULT_WEIGHTS`, e.g. ``{"event": 0.5}``; a weight of 0
        ignores that source.
    as_of : int, optional
        A year: keep only relationships holding then (``since <= as_of``, ``until``
        missing or ``>= as_of``, funding ``year <= as_of``), events dated up to that
        year, initiatives started by then and structures founded by then. Undated
        facts are kept.
    max_group_size : int or None, optional (default=200)
        A group with more structures gives no pairwise ties: membership of a
        national federation of 5,000 says little about who works with whom, and its
        ``n(n-1)/2`` ties would swamp the graph (the usual cut-off of co-membership
        projections). None keeps every group.

    Returns
    -------
    networkx.Graph
        Nodes: structure ids with ``name``. Edges: ``weight`` (float) and
        ``reasons``, a dict source → sorted list of the shared group ids (for
        ``cooperation``: the cooperation kinds). ``P.graph`` holds ``as_of``,
        ``weights``, ``max_group_size`` and ``skipped_groups`` (group id → size of
        each group left out for its size).

    Raises
    ------
    ValueError
        For an unknown source in ``weights`` or a negative weight.

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> G = toy_graph([("structure:a", "MEMBER_OF", "network:n"),
    ...                ("structure:b", "MEMBER_OF", "network:n"),
    ...                ("structure:c", "MEMBER_OF", "network:n"),
    ...                ("structure:a", "COOPERATES_WITH", "structure:b")])
    >>> P = cooperation_graph(G)
    >>> P.edges["structure:a", "structure:b"]
    {'weight': 1.5, 'reasons': {'cooperation': ['other'], 'network': ['network:n']}}
    >>> P.edges["structure:b", "structure:c"]["weight"]
    0.5

    References
    ----------
    .. [1] Newman, M. E. J. "Scientific collaboration networks. II. Shortest paths,
           weighted networks, and centrality." Phys. Rev. E 64, 016132 (2001).
           https://doi.org/10.1103/PhysRevE.64.016132
    """
    return cooperation_ties(G, weights=weights, as_of=as_of,
                            max_group_size=max_group_size).to_graph()


def cooperation_ties(G: nx.MultiDiGraph, *, weights: dict | None = None,
                     as_of: int | None = None,
                     max_group_size: int | None = MAX_GROUP_SIZE) -> Ties:
    """The cooperation projection of :func:`cooperation_graph`, kept by group.

    Same parameters, same ties, same weights; but a group of *n* structures is kept
    once (its members and the ``1/(n-1)`` share) instead of as ``n(n-1)/2`` edges. Use
    it on a national base, where the pairwise graph does not fit in memory:
    :func:`~graph.analysis.louvain.louvain_ties` clusters it, and
    :func:`~graph.analysis.clusters.cooperation_clusters`,
    :func:`~graph.analysis.brokers.brokers` and
    :func:`~graph.analysis.clusters_brokers.clusters_and_brokers` take it as they take
    the pairwise graph; :meth:`~graph.analysis.ties.Ties.to_graph` gives that graph
    (whole, or for the structures a view draws).

    Returns
    -------
    Ties

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> G = toy_graph([("structure:a", "MEMBER_OF", "network:n"),
    ...                ("structure:b", "MEMBER_OF", "network:n"),
    ...                ("structure:c", "MEMBER_OF", "network:n"),
    ...                ("structure:a", "COOPERATES_WITH", "structure:b")])
    >>> T = cooperation_ties(G)
    >>> T.nodes, T.groups, T.pairs
    (['structure:a', 'structure:b', 'structure:c'], [('network', 'network:n', (0, 1, 2), 0.5)], {(0, 1): [1.0, ['other']]})
    >>> T.to_graph().edges["structure:a", "structure:b"]["weight"]
    1.5
    """
    w = _checked_weights(weights, max_group_size)
    structures = _structures(G, as_of)
    index = {n: i for i, n in enumerate(structures)}

    pairs: dict[tuple[int, int], list] = {}
    if w["cooperation"] > 0:
        kinds: dict[tuple[int, int], set[str]] = defaultdict(set)
        for u, v, d in edges_of_type(G, "COOPERATES_WITH"):
            if u != v and u in index and v in index and is_current(d, as_of):
                i, j = index[u], index[v]
                kinds[(i, j) if i < j else (j, i)].add(d.get("kind") or "other")
        pairs = {ij: [w["cooperation"], sorted(ks)] for ij, ks in sorted(kinds.items())}

    skipped: dict[str, int] = {}
    by_type = {rtype: source for source, rtype in GROUP_SOURCES.items() if w[source] > 0}
    found: dict[tuple[str, str], set[int]] = defaultdict(set)
    for u, v, d in edges_of_type(G, *by_type):
        if (u in index and u != v and is_current(d, as_of)
                and d.get("role") not in UNTIED_ROLES.get(d["type"], ())):
            found[(by_type[d["type"]], v)].add(index[u])
    groups = []
    for (source, group), members in sorted(found.items()):
        n = len(members)
        if n < 2 or not _group_current(G, group, as_of):
            continue
        if max_group_size is not None and n > max_group_size:
            skipped[group] = n
            continue
        groups.append((source, group, tuple(sorted(members)), w[source] / (n - 1)))
    names = [G.nodes[n].get("name", n) for n in structures]
    return Ties(structures, names, pairs, groups,
                {"as_of": as_of, "weights": w, "max_group_size": max_group_size,
                 "skipped_groups": dict(sorted(skipped.items()))})


def dated_years(G: nx.MultiDiGraph) -> list[int]:
    """The years found on dated relationships and events, sorted: the years a
    cooperation projection can be computed ``as_of`` (the Réseau page's slider; kept with
    the default cooperation result)."""
    years = set()
    for _, _, d in G.edges(data=True):
        for k in ("since", "until", "year"):
            y = year_of(d.get(k))
            if y:
                years.add(y)
    for _, d in G.nodes(data=True):
        if model.EVENT in (d.get("labels") or ()):
            y = year_of(d.get("date"))
            if y:
                years.add(y)
    return sorted(years)


#: the cooperation map draws (and exports) at most this many structures, the most central;
#: the default map's pairwise ties are kept with the cooperation result
CENTRAL_MAX = 2000


def central_projection(T: Ties, scores: dict, *, limit: int = CENTRAL_MAX,
                       show_isolated: bool = False) -> tuple[nx.Graph, int]:
    """``(P, shown)``: the pairwise ties between the ``limit`` most central structures of
    the projection kept by group ``T`` (``scores``: the brokers' rows by id, most central
    first; tied structures only unless ``show_isolated``), and how many there are to show."""
    shown = [n for n, s in scores.items() if show_isolated or s["degree"] > 0] or list(scores)
    return T.to_graph(nodes=shown[:limit]), len(shown)

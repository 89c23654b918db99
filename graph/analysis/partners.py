"""Partner suggestions: link prediction on the cooperation projection, with reasons.

Candidates are found locally — structures two or three steps away in the
projection, plus, for structures with few ties, structures of the same sector
and territory — never by scoring all pairs.
"""

from __future__ import annotations

import math

import networkx as nx

from graph import model

from ._common import FUNCTION_FR, LEVEL_FR, as_list, check_node, name_of
from ._index import GraphIndex

__all__ = ["DEFAULT_BONUSES", "LOCAL_MAX", "partners_projection", "suggest_partners"]

#: Score added to Adamic–Adar for each kind of affinity.
DEFAULT_BONUSES = {
    "commune": 1.0, "epci": 0.75, "departement": 0.5,  # closest shared territory only
    "functions": 0.5,   # the candidate offers functions the structure lacks
    "sector": 0.5,      # per shared sector
    "network": 0.25,    # per shared network
}
_LOCAL_LEVELS = ("commune", "epci", "departement")


#: Above this many structures, suggestions look at those within two ties of the one asked about.
LOCAL_MAX = 20_000


def partners_projection(T, structure: str, limit: int = LOCAL_MAX) -> nx.Graph:
    """The pairwise projection :func:`suggest_partners` needs for ``structure``, from the
    projection kept by group ``T``: whole for a base of at most ``limit`` structures,
    else the structures within two ties of it (at most ``limit``,
    :meth:`~graph.analysis.ties.Ties.around`), so that a national base is never made
    pairwise whole. Of the ties among them, only those of ``structure`` and of its own
    partners are made: :func:`suggest_partners` reads distances up to the structures two
    ties away, common partners and those partners' degrees, none of which a tie between
    two structures two ties away changes (``tests/test_territorial.py`` checks that the
    suggestions are those of the whole induced projection).

    Examples
    --------
    >>> from graph.analysis._testing import toy_graph
    >>> from graph.analysis.projection import cooperation_ties
    >>> edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}") for a, b in ["ab", "bc", "cd"]]
    >>> T = cooperation_ties(toy_graph(edges))
    >>> sorted(partners_projection(T, "structure:a", limit=3))
    ['structure:a', 'structure:b', 'structure:c']
    """
    if len(T) <= limit:
        return T.to_graph()
    return T.to_graph(nodes=T.around(structure, limit), touching=T.neighbours(structure))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class _Profiles:
    """Territories, sectors, functions and networks of structures, read lazily."""

    def __init__(self, G: nx.MultiDiGraph, idx: GraphIndex):
        self.G, self.idx, self._cache = G, idx, {}

    def __call__(self, n: str) -> dict:
        if n not in self._cache:
            idx, territories = self.idx, {lvl: set() for lvl in _LOCAL_LEVELS}
            for t in idx.areas(n):
                for a in (t, *idx.ancestors(t)):
                    if idx.level[a] in territories:
                        territories[idx.level[a]].add(a)
            networks = {v for _, v, d in self.G.out_edges(n, data=True)
                        if d.get("type") == "MEMBER_OF"}
            self._cache[n] = {
                "territories": territories, "sectors": set(idx.sectors.get(n, ())),
                "functions": set(as_list(self.G.nodes[n].get("functions"))),
                "networks": networks,
            }
        return self._cache[n]


def _same_sector_and_place(G, P, s, profile, exclude, limit) -> list[str]:
    """Structures sharing a sector and a local territory with ``s``, not yet reached."""
    mine = profile(s)
    found = []
    for sector in sorted(mine["sectors"]):
        for u, _, d in G.in_edges(sector, data=True):
            if (d.get("type") != "ACTIVE_IN" or u in exclude or u not in P
                    or not any(mine["territories"][lvl] & profile(u)["territories"][lvl]
                               for lvl in _LOCAL_LEVELS)):
                continue
            exclude.add(u)
            found.append(u)
            if len(found) >= limit:
                return found
    return found


def suggest_partners(G: nx.MultiDiGraph, P: nx.Graph, structure_id: str, *, top: int = 10,
                     max_distance: int = 3, bonuses: dict | None = None,
                     max_unconnected: int = 200) -> list[dict]:
    """Suggest structures ``structure_id`` could work with, each with its reasons.

    Candidates are the structures at distance 2 to ``max_distance`` in ``P`` (found by
    a breadth-first search bounded at that depth), plus up to ``max_unconnected``
    structures with no such path that share a sector and a commune, EPCI or
    département with it (so that isolated structures get suggestions too). Existing
    ties are never suggested. The score is the Adamic–Adar index on ``P`` [1]_ —
    the sum of ``1/log(degree)`` over common partners — plus bonuses
    (:data:`DEFAULT_BONUSES`) for the closest shared territory (through
    ``LOCATED_IN``/``SERVES`` and ``PART_OF``), complementary functions (the
    candidate offers functions the structure lacks), shared sectors and shared
    networks. Candidates scoring 0 are left out.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The typed graph.
    P : networkx.Graph
        Its cooperation projection.
    structure_id : str
        A structure of ``P``.
    top : int, optional (default=10)
    max_distance : int, optional (default=3)
    bonuses : dict, optional
        Overrides of :data:`DEFAULT_BONUSES`.
    max_unconnected : int, optional (default=200)
        Bound on the candidates taken without a path.

    Returns
    -------
    list of dict
        ``id``, ``name``, ``score``, ``adamic_adar``, ``distance`` (None without a
        path) and ``reasons`` (French sentences); best score first, then id.

    Raises
    ------
    networkx.NodeNotFound
        If ``structure_id`` is not in ``P``.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> from graph.analysis.projection import cooperation_graph
    >>> G = demo_graph()
    >>> P = cooperation_graph(G)
    >>> best = suggest_partners(G, P, "structure:envie44")[0]
    >>> best["id"], best["score"]
    ('structure:ecossolies', 1.9713)
    >>> best["reasons"]
    ['1 partenaire en commun', 'même EPCI (Nantes Métropole)', 'fonctions complémentaires : information, accompagnement, réseau']

    References
    ----------
    .. [1] Adamic, L. A., Adar, E. "Friends and neighbors on the Web." Social Networks
           25(3), 211–230 (2003). https://doi.org/10.1016/S0378-8733(03)00009-1
    """
    check_node(P, structure_id, "structure")
    bonus = {**DEFAULT_BONUSES, **(bonuses or {})}
    profile = _Profiles(G, GraphIndex(G))
    reached = nx.single_source_shortest_path_length(P, structure_id, cutoff=max_distance)
    candidates = {c: d for c, d in reached.items() if d >= 2}
    if max_unconnected > 0:
        exclude = set(reached) | set(P[structure_id])
        for c in _same_sector_and_place(G, P, structure_id, profile, exclude,
                                        max_unconnected):
            candidates[c] = None
    mine = profile(structure_id)
    suggestions = []
    for c, distance in candidates.items():
        theirs = profile(c)
        reasons, score = [], 0.0
        common = [z for z in P[structure_id] if z in P[c] and z not in (structure_id, c)]
        aa = sum(1 / math.log(P.degree(z)) for z in common)
        score += aa
        if common:
            reasons.append(_plural(len(common), "partenaire en commun", "partenaires en commun"))
        shared_nets = mine["networks"] & theirs["networks"]
        if shared_nets:
            score += bonus["network"] * len(shared_nets)
            reasons.append(_plural(len(shared_nets), "réseau en commun", "réseaux en commun"))
        for lvl in _LOCAL_LEVELS:
            shared = mine["territories"][lvl] & theirs["territories"][lvl]
            if shared:
                score += bonus[lvl]
                reasons.append(f"même {LEVEL_FR[lvl]} ({name_of(G, min(shared))})")
                break
        sectors = mine["sectors"] & theirs["sectors"]
        if sectors:
            score += bonus["sector"] * len(sectors)
            names = ", ".join(sorted(name_of(G, s) for s in sectors))
            reasons.append(f"{'secteur' if len(sectors) == 1 else 'secteurs'} en commun : {names}")
        offered = [f for f in model.FUNCTIONS
                   if f in theirs["functions"] and f not in mine["functions"]]
        if offered:
            score += bonus["functions"]
            reasons.append("fonctions complémentaires : "
                           + ", ".join(FUNCTION_FR[f] for f in offered))
        if score > 0:
            suggestions.append({"id": c, "name": name_of(G, c), "score": round(score, 4),
                                "adamic_adar": round(float(aa), 4), "distance": distance,
                                "reasons": reasons})
    suggestions.sort(key=lambda s: (-s["score"], s["id"]))
    return suggestions[:top]

"""The territorial index of a typed graph, read once per analysis.

:class:`GraphIndex` reads, in one pass over the nodes and one over the
relationships, what the territorial analyses need: each territory's level and
centroid, its ancestors (transitive ``PART_OF``), and for every other node the
territories it is seated in (``LOCATED_IN``) or serves (``SERVES``), its sectors
(``ACTIVE_IN``) and, for initiatives, their carriers (``CARRIES``). On the
250,000-structure benchmark graph (~1.6 million relationships) building it takes
one to two seconds, most of it the pass over the relationships.

A graph built to be read and never changed may carry its index (``G.graph[KEPT]``,
kept beside it in a read copy and extended with the nodes a question adds to it:
:mod:`graph.territorial`): ``GraphIndex(G)`` then gives that one at once, so that
the analyses of one question share it without any of them reading the graph again.
Change such a graph and its index is out of date: copy it first (``G.copy()`` does
not carry the index).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

from graph import model

from ._common import EARTH_RADIUS_KM, PROVIDER_LABELS, as_list, haversine_km, provides

_RANK = {level: i for i, level in enumerate(model.TERRITORY_LEVELS)}
_CELL_DEG = 0.5  # side of the lat/lon cells grouping targets in the nearest-seat search
_CELL_CHUNK = 256  # cells whose distances to every seat are computed at once
_SLACK = 1e-6  # chord (unit sphere: about 6 m) added to the candidate radius, for rounding
#: the key of ``G.graph`` under which a graph built to be read carries its own index
#: (:func:`graph.territorial.orientation_graph`, :func:`~graph.territorial.coverage_graph`)
KEPT = "graph_index"


def _number(value) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


class GraphIndex:
    """Territories, containment and territorial attachments of a typed graph.

    Attributes
    ----------
    level : dict
        territory id → level (``commune``, ``epci``, ``departement``, ``region``).
    coords : dict
        territory id → ``(lat, lon)`` of its centroid, for territories that have one.
    parents, seats, served, sectors : dict of tuples
        ``PART_OF`` targets of a territory; ``LOCATED_IN`` and ``SERVES`` territories
        of a node; ``ACTIVE_IN`` sectors of a node (``()`` for a node without any).
    carriers : dict of lists
        initiative id → nodes that ``CARRIES`` it.
    cards : dict
        territory id → ``(name, level, population, density)`` as the node states them
        (``name`` defaults to the id): the first columns of the territorial analyses.
    """

    def __init__(self, G: nx.MultiDiGraph):
        built = G.graph.get(KEPT) if isinstance(getattr(G, "graph", None), dict) else None
        if isinstance(built, GraphIndex) and built.G is G:  # the graph carries its index
            self.__dict__ = built.__dict__
            return
        self.G = G
        self.level: dict[str, str] = {}
        self.coords: dict[str, tuple[float, float]] = {}
        self.cards: dict[str, tuple] = {}
        self._territories(G.nodes(data=True))
        self.parents: dict[str, tuple[str, ...]] = defaultdict(tuple)
        self.seats: dict[str, tuple[str, ...]] = defaultdict(tuple)
        self.served: dict[str, tuple[str, ...]] = defaultdict(tuple)
        self.sectors: dict[str, tuple[str, ...]] = defaultdict(tuple)
        self.carriers: dict[str, list[str]] = defaultdict(list)
        self._links(G.adjacency())
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._offering: dict[str, list] = {}
        self._memo: dict[tuple, object] = {}

    def extend(self, nodes) -> None:
        """Take in ``nodes``, added to the graph (with their outgoing relationships) since the
        index was built: the index is then the one ``GraphIndex(G)`` would build. Only for
        nodes whose relationships all start from them (nothing added points to them from a
        node indexed before); the containers of the territories already indexed are unchanged."""
        nodes = list(nodes)
        G = self.G
        self._territories((n, G._node[n]) for n in nodes)
        self._links((n, G._succ[n]) for n in nodes)
        for need, got in self._offering.items():  # in node order: the new nodes come last
            got.extend(n for n in nodes if provides(G._node[n], need))
        self.__dict__.get("_memo", {}).clear()

    def remember(self, key: tuple, compute):
        """``compute()``, once per ``key`` for this index (what several analyses of one graph
        share: the providers of a need, the territories each one covers). The value is shared:
        never change it."""
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def _territories(self, nodes) -> None:
        for n, d in nodes:
            if model.TERRITORY not in (d.get("labels") or ()):
                continue
            self.level[n] = d.get("level") or str(n).split(":", 1)[0]
            self.cards[n] = (d.get("name", n), d.get("level"), d.get("population"),
                             d.get("density"))
            lat, lon = _number(d.get("lat")), _number(d.get("lon"))
            if lat is not None and lon is not None:
                self.coords[n] = (lat, lon)

    def _links(self, adjacency) -> None:
        """Read the relationships of ``adjacency`` (``(node, {target: {key: data}})``)."""
        territory, carriers = self.level, self.carriers
        # the loops of G.edges(data=True), written out (same order). A node's parents,
        # seats, served territories and sectors are gathered in lists reused from node
        # to node and kept as tuples: tuples of ids leave the garbage collector's
        # generations, so that the index adds no long-lived objects for it to scan
        parents, seats, served, sectors = [], [], [], []
        keep = ((parents, self.parents), (seats, self.seats), (served, self.served),
                (sectors, self.sectors))
        for u, nbrs in adjacency:
            u_territory = u in territory
            for v, keyed in nbrs.items():
                v_territory = v in territory
                for d in keyed.values():
                    t = d.get("type")
                    if t == "PART_OF":
                        if u_territory and v_territory:
                            parents.append(v)
                    elif t == "LOCATED_IN":
                        if v_territory:
                            seats.append(v)
                    elif t == "SERVES":
                        if v_territory:
                            served.append(v)
                    elif t == "ACTIVE_IN":
                        sectors.append(v)
                    elif t == "CARRIES":
                        carriers[v].append(u)
            for found, kept in keep:
                if found:
                    kept[u] = tuple(found)
                    found.clear()

    def offering(self, need: str) -> list:
        """The nodes that provide ``need`` (:func:`~graph.analysis._common.provides`),
        in node order. The first time a function of :data:`graph.model.FUNCTIONS` is
        asked for, one pass over the nodes finds the providers of all of them."""
        got = self._offering.get(need)
        if got is None:
            if need in model.FUNCTIONS:
                self._offering.update(_providers_by_function(self.G))
                got = self._offering[need]
            else:
                got = self._offering[need] = [n for n, d in self.G.nodes(data=True)
                                              if provides(d, need)]
        return got

    def ancestors(self, t: str) -> tuple[str, ...]:
        """Territories containing ``t`` (transitively), smallest level first."""
        got = self._ancestors.get(t)
        if got is None:
            self._ancestors[t] = ()  # guards against PART_OF cycles in bad data
            seen: set[str] = set()
            for p in self.parents.get(t, ()):
                seen.add(p)
                seen.update(self.ancestors(p))
            seen.discard(t)
            got = tuple(sorted(seen, key=lambda a: (_RANK.get(self.level[a], 9), a)))
            self._ancestors[t] = got
        return got

    def areas(self, n: str) -> list[str]:
        """Territories node ``n`` serves or is seated in, without repeats."""
        return list(dict.fromkeys([*self.served.get(n, ()), *self.seats.get(n, ())]))

    def in_scope(self, t: str, scope: str | None) -> bool:
        """Whether territory ``t`` is ``scope`` or lies inside it (always, for None)."""
        return scope is None or t == scope or scope in self.ancestors(t)

    def at_level(self, level: str, scope: str | None = None) -> list[str]:
        """Territories of ``level`` inside ``scope`` (all of them for None), sorted."""
        return sorted(t for t, lev in self.level.items()
                      if lev == level and self.in_scope(t, scope))

    def ancestor_at(self, t: str, level: str) -> str | None:
        """The territory of ``level`` that is ``t`` or contains it (the first, by id)."""
        if self.level.get(t) == level:
            return t
        return next((a for a in self.ancestors(t) if self.level[a] == level), None)

    def distance_km(self, t: str, seats) -> float | None:
        """Great-circle distance from territory ``t`` to the nearest of ``seats``."""
        if t not in self.coords:
            return None
        points = [self.coords[s] for s in seats if s in self.coords]
        if not points:
            return None
        return min(haversine_km(*self.coords[t], *p) for p in points)

    def nearest_seats(self, targets, providers) -> dict[str, tuple[float, str]]:
        """For each target territory, the distance to the nearest provider seat.

        Returns ``{territory: (km, provider)}`` for targets with a centroid, when at
        least one provider is seated in a territory with a centroid; the provider is
        the smallest id among those at the nearest seat.

        Notes
        -----
        Points are unit vectors on the sphere, so the nearest seat is the one with
        the largest dot product (the first, in seat id order, on a tie), then the
        haversine formula gives the distance of the chosen pairs. Targets are
        grouped in cells of latitude and longitude, and each cell is compared only
        with the seats that can be nearest to one of its targets
        (:func:`_nearest_index`): exact, without a spatial index.
        """
        seat_owner: dict[str, str] = {}
        for p in providers:
            for s in self.seats.get(p, ()):
                if s in self.coords and (s not in seat_owner or p < seat_owner[s]):
                    seat_owner[s] = p
        targets = [t for t in targets if t in self.coords]
        if not seat_owner or not targets:
            return {}
        # a target that is itself a seat is at 0 km: only the others need the search
        out = {t: (0.0, seat_owner[t]) for t in targets if t in seat_owner}
        targets = [t for t in targets if t not in seat_owner]
        if not targets:
            return out
        seats = sorted(seat_owner)
        s_lat, s_lon = (np.array(v) for v in zip(*(self.coords[s] for s in seats)))
        t_lat, t_lon = (np.array(v) for v in zip(*(self.coords[t] for t in targets)))
        best = _nearest_index(t_lat, t_lon, _unit(t_lat, t_lon), _unit(s_lat, s_lon))
        km = _haversine(t_lat, t_lon, s_lat[best], s_lon[best])
        out.update((t, (float(d), seat_owner[seats[j]]))
                   for t, d, j in zip(targets, km.tolist(), best.tolist()))
        return out


def _providers_by_function(G: nx.MultiDiGraph) -> dict[str, list]:
    """function → the nodes providing it (:func:`~graph.analysis._common.provides`),
    in node order, for every function of :data:`graph.model.FUNCTIONS`, in one pass."""
    out: dict[str, list] = {f: [] for f in model.FUNCTIONS}
    kinds = frozenset(PROVIDER_LABELS)
    for n, d in G.nodes(data=True):
        labels = d.get("labels") or ()
        if kinds.isdisjoint(labels):
            continue
        functions = d.get("functions")
        offered = set() if functions is None else set(as_list(functions))
        if model.PLACE in labels:
            offered.add("lieu")
        if model.NETWORK in labels:
            offered.add("reseau")
        for f in offered:
            if f in out:
                out[f].append(n)
    return out


def _nearest_index(t_lat, t_lon, t_vec, s_vec) -> np.ndarray:
    """For each target (unit vectors ``t_vec``, at ``t_lat``/``t_lon`` degrees), the
    index of the seat of ``s_vec`` with the largest dot product, the first on a tie.

    Targets are grouped by cells of :data:`_CELL_DEG` degrees. For a cell of centre
    ``c`` (the mean of its targets) whose targets lie within ``r`` of ``c``, and
    ``d`` the distance from ``c`` to its nearest seat, every target has a seat within
    ``r + d``, so its nearest seats lie within ``2r + d`` of ``c`` (straight-line
    distances, triangle inequality): the cell's targets are compared with those
    seats only, kept in index order so that ties go to the same seat as a full
    comparison would.
    """
    cell = np.floor(t_lat / _CELL_DEG).astype(np.int64) * 1_000_000 + np.floor(
        t_lon / _CELL_DEG).astype(np.int64)
    _, inverse = np.unique(cell, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    groups = np.split(order, np.flatnonzero(np.diff(inverse[order])) + 1)
    centres = np.array([t_vec[g].mean(axis=0) for g in groups])
    reach = np.array([np.sqrt(((t_vec[g] - c) ** 2).sum(axis=1)).max()
                      for g, c in zip(groups, centres)])
    s_norm = (s_vec ** 2).sum(axis=1)
    best = np.empty(len(t_vec), dtype=np.intp)
    for start in range(0, len(groups), _CELL_CHUNK):
        c = centres[start:start + _CELL_CHUNK]
        dist = np.sqrt(np.maximum(
            (c ** 2).sum(axis=1)[:, None] + s_norm[None, :] - 2 * (c @ s_vec.T), 0.0))
        radius = 2 * reach[start:start + _CELL_CHUNK] + dist.min(axis=1) + _SLACK
        for g, row, rad in zip(groups[start:start + _CELL_CHUNK], dist, radius):
            near = np.flatnonzero(row <= rad)
            best[g] = near[(t_vec[g] @ s_vec[near].T).argmax(axis=1)]
    return best


def _unit(lat, lon):
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))

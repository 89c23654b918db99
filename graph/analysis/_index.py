"""The territorial index of a typed graph, read once per analysis.

:class:`GraphIndex` reads, in one pass over the nodes and one over the
relationships, what the territorial analyses need: each territory's level and
centroid, its ancestors (transitive ``PART_OF``), and for every other node the
territories it is seated in (``LOCATED_IN``) or serves (``SERVES``), its sectors
(``ACTIVE_IN``) and, for initiatives, their carriers (``CARRIES``). On the national
reference (~36,000 territories) building it takes a fraction of a second.
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import numpy as np

from graph import model

from ._common import EARTH_RADIUS_KM, haversine_km

_RANK = {level: i for i, level in enumerate(model.TERRITORY_LEVELS)}
_CHUNK = 2048  # target rows per block of the nearest-seat search


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
    parents, seats, served, sectors : dict of lists
        ``PART_OF`` targets of a territory; ``LOCATED_IN`` and ``SERVES`` territories
        of a node; ``ACTIVE_IN`` sectors of a node.
    carriers : dict of lists
        initiative id → nodes that ``CARRIES`` it.
    """

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.level: dict[str, str] = {}
        self.coords: dict[str, tuple[float, float]] = {}
        for n, d in G.nodes(data=True):
            if model.TERRITORY not in (d.get("labels") or ()):
                continue
            self.level[n] = d.get("level") or str(n).split(":", 1)[0]
            lat, lon = _number(d.get("lat")), _number(d.get("lon"))
            if lat is not None and lon is not None:
                self.coords[n] = (lat, lon)
        self.parents: dict[str, list[str]] = defaultdict(list)
        self.seats: dict[str, list[str]] = defaultdict(list)
        self.served: dict[str, list[str]] = defaultdict(list)
        self.sectors: dict[str, list[str]] = defaultdict(list)
        self.carriers: dict[str, list[str]] = defaultdict(list)
        territory = self.level
        for u, v, d in G.edges(data=True):
            t = d.get("type")
            if t == "PART_OF" and u in territory and v in territory:
                self.parents[u].append(v)
            elif t == "LOCATED_IN" and v in territory:
                self.seats[u].append(v)
            elif t == "SERVES" and v in territory:
                self.served[u].append(v)
            elif t == "ACTIVE_IN":
                self.sectors[u].append(v)
            elif t == "CARRIES":
                self.carriers[v].append(u)
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._offering: dict[str, list] = {}

    def offering(self, need: str) -> list:
        """The nodes that provide ``need`` (:func:`~graph.analysis._common.provides`),
        found in one pass over the nodes the first time ``need`` is asked for."""
        got = self._offering.get(need)
        if got is None:
            from ._common import provides

            got = self._offering[need] = [n for n, d in self.G.nodes(data=True) if provides(d, need)]
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
        the largest dot product: one matrix product per block of targets (exact, no
        spatial index needed), then the haversine formula for the chosen pairs.
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
        s_vec, t_vec = _unit(s_lat, s_lon), _unit(t_lat, t_lon)
        best = np.empty(len(targets), dtype=np.intp)
        for start in range(0, len(targets), _CHUNK):
            block = t_vec[start:start + _CHUNK] @ s_vec.T
            best[start:start + _CHUNK] = block.argmax(axis=1)
        km = _haversine(t_lat, t_lon, s_lat[best], s_lon[best])
        out.update((t, (float(d), seat_owner[seats[j]]))
                   for t, d, j in zip(targets, km.tolist(), best.tolist()))
        return out


def _unit(lat, lon):
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack((np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)))


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))

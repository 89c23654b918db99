"""What a territorial diagnostic reads: indexed queries about one place, kept national reads.

A report is about one territory of a national base, so nothing here reads the whole
graph (see DESIGN.md, "Reads at national scale"):

- the territory, those containing it and those inside it (``territorial.chain``,
  ``territorial.within``), the organisations attached to them (``report.actors``),
  the counts of its département and région (``report.kinds_in``, ``report.sectors_in``),
  the networks of its neighbours (``report.networks_under``, ``report.members_under``),
  the sources cited (``report.sources``): indexed queries from ``queries/report/``;
- every provider of each support function in France, and the national organisations
  and initiatives: the kept national reads of :mod:`graph.territorial` (read from the
  engine once per graph version), from which only the providers attached to the
  territory or a territory containing one of its parts enter the graph the coverage
  analyses run on, all of them counting for the nearest provider's distance;
- the counts of France (:data:`graph.kept.OVERVIEW_QUERIES`) and the clusters and
  brokers (the kept cooperation result), with the graph version they describe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from graph import kept, model
from graph.analysis._common import EARTH_RADIUS_KM, PROVIDER_LABELS, as_list
from graph.analysis._index import GraphIndex
from graph.reading import frame_records
from graph.store import GraphStore
from graph.territorial import _national, _national_and_initiatives, _providers, _Reader

__all__ = ["Reads", "SeatIndex", "read_report"]

_CHUNK = 5_000
_ATTACH = ("LOCATED_IN", "SERVES")


def _listed(value) -> list:
    """A list property as read from the store (a list), or as :func:`as_list` reads it."""
    return value if isinstance(value, list) else as_list(value)


class SeatIndex(GraphIndex):
    """The seats of every provider of France with their centroids: what
    :meth:`GraphIndex.nearest_seats` reads, without the graph around them (the same
    nearest provider as :func:`graph.analysis.coverage` finds on the whole graph), and
    what each provider offers (:func:`~graph.analysis._common.provides`)."""

    def __init__(self, rows: dict[str, dict], territories: dict[str, dict]):  # no graph: no GraphIndex.__init__
        self.coords = {t: (float(r["lat"]), float(r["lon"])) for t, r in territories.items()
                       if r.get("lat") is not None and r.get("lon") is not None}
        self.seats = {n: tuple(t for kind, t in (r.get("links") or ()) if kind == "LOCATED_IN" and t in territories)
                      for n, r in rows.items()}
        self.rows = rows
        self.offers: dict[str, list[str]] = {f: [] for f in model.FUNCTIONS}
        self.stages: dict[str, frozenset] = {}
        kinds, known = frozenset(PROVIDER_LABELS), self.offers.keys()
        for n in sorted(rows):
            r = rows[n]
            labels = r.get("labels") or ()
            if kinds.isdisjoint(labels):
                continue
            offered = set(_listed(r.get("functions")))
            if model.PLACE in labels:
                offered.add("lieu")
            if model.NETWORK in labels:
                offered.add("reseau")
            for f in offered & known:
                self.offers[f].append(n)
            self.stages[n] = frozenset(_listed(r.get("stages")))
        self._pairs = None
        self._offered: dict[str, frozenset] = {}

    def providers(self, need: str, stage: str | None = None) -> list[str]:
        """Providers of ``need`` (at ``stage``, or with unspecified stages), sorted, as
        :func:`~graph.analysis.matching_providers` selects them."""
        return [p for p in self.offers[need]
                if stage is None or not self.stages[p] or stage in self.stages[p]]

    def nearest_to(self, t: str, need: str, stage: str | None = None) -> tuple[float, str] | None:
        """``(km, provider)``: the nearest seat of a provider of ``need`` (at ``stage``) to
        territory ``t`` (the smallest provider id at that seat), as :meth:`nearest_seats`."""
        offered = self._offered.get(need)
        if offered is None:
            offered = self._offered[need] = frozenset(self.offers[need])
        for km, _, p in self._rank(t):
            if p in offered and (stage is None or not self.stages[p] or stage in self.stages[p]):
                return km, p
        return None

    def _rank(self, t: str):
        """``(km, seat, provider)`` for every seat of every provider, from ``t``, nearest
        first (then by seat id, then provider id), computed lazily."""
        if self._pairs is None:
            seat_ids = sorted({x for ss in self.seats.values() for x in ss if x in self.coords})
            where = {x: i for i, x in enumerate(seat_ids)}
            providers = sorted(self.stages)
            pairs = [(i, where[x]) for i, p in enumerate(providers) for x in self.seats.get(p, ()) if x in where]
            lat, lon = (np.radians(np.array(v, dtype=float)) for v in zip(*(self.coords[x] for x in seat_ids))) \
                if seat_ids else (np.zeros(0), np.zeros(0))
            self._pairs = (seat_ids, providers, np.array(pairs, dtype=np.int64).reshape(-1, 2), lat, lon)
        seat_ids, providers, pairs, lat, lon = self._pairs
        if t not in self.coords or not len(pairs):
            return
        t_lat, t_lon = np.radians(self.coords[t][0]), np.radians(self.coords[t][1])
        h = np.sin((lat - t_lat) / 2) ** 2 + np.cos(t_lat) * np.cos(lat) * np.sin((lon - t_lon) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        if t in seat_ids:
            km[seat_ids.index(t)] = 0.0
        d = km[pairs[:, 1]]
        for j in np.lexsort((pairs[:, 0], pairs[:, 1], d)).tolist():
            yield float(d[j]), seat_ids[pairs[j, 1]], providers[pairs[j, 0]]


@dataclass
class Reads:
    """The rows one report is computed from (plain data, no store)."""

    territory: dict                      # the card of the territory
    chain: list[dict]                    # it and the territories containing it
    within: list[dict]                   # it and the territories inside it
    map_scope: str                       # the territory the map draws (a commune's EPCI)
    map_within: list[dict]               # the map scope and the territories inside it
    actors: list[dict]                   # organisations seated in or serving it or a territory inside it
    above: list[dict]                    # the others attached to a territory containing it
    G: nx.MultiDiGraph                   # the coverage graph of the map scope (local providers)
    seats: SeatIndex                     # every provider of France, for distances
    compare: dict = field(default_factory=dict)      # territory id or "france" -> {"kinds", "sectors"}
    population_france: int = 0
    attachments: dict = field(default_factory=dict)  # territory inside -> organisations attached
    members: list[dict] = field(default_factory=list)  # networks with members here
    places: list[dict] = field(default_factory=list)   # shared places here
    carried: list[dict] = field(default_factory=list)  # initiatives carried by an organisation here
    neighbours: dict = field(default_factory=dict)   # {"parent", "level", "networks", "members"}
    national: tuple = ({}, {})           # kept national organisations and initiatives, their territories
    cooperation: dict = field(default_factory=dict)  # {"info", "version", "scores", "T"}
    sources: list[dict] = field(default_factory=list)
    version: dict = field(default_factory=dict)
    kept_overview: bool = False          # whether France's counts come from the kept overview


def _rows(store: GraphStore, name: str, **params) -> list[dict]:
    from queries import library

    q = library().get(name, backend=store.backend)
    df = store.run(q.text, q.bind(params), max_rows=None, timeout=600, columns=q.returns)
    return frame_records(df)


def _chunked(store: GraphStore, name: str, ids: list[str]) -> list[dict]:
    out: dict[str, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        for r in _rows(store, name, ids=ids[start:start + _CHUNK]):
            out.setdefault(r["id"], r)
    return [out[k] for k in sorted(out)]


def _map_scope(territory: dict, chain: list[dict]) -> str:
    """The territory itself, or for a commune its EPCI (else its département)."""
    if territory["level"] != "commune":
        return territory["id"]
    by_level = {r["level"]: r["id"] for r in chain}
    return by_level.get("epci") or by_level.get("departement") or territory["id"]


def _every_provider(store: GraphStore) -> tuple[dict, dict]:
    """``(providers, territories)``: every provider of any function in France with the
    territories they name — the union of the kept national reads of each function, kept
    itself as a read-copy part of the version (one file to load instead of six)."""
    from graph import read_copy

    version = store.version()["version"]
    found = read_copy.load(store, version, "report-providers")
    if found is not None:
        return found
    everyone: dict[str, dict] = {}
    places: dict[str, dict] = {}
    for need in model.FUNCTIONS:
        others, territories = _national(store, f"providers-{need}", _providers(need))
        everyone.update(others)
        places.update(territories)
    if store.version()["version"] == version:  # nothing written while they were read
        read_copy.save(store, (everyone, places), version, "report-providers")
    return everyone, places


def _coverage_graph(store: GraphStore, within: list[dict], chain: list[dict]) -> tuple[nx.MultiDiGraph, SeatIndex]:
    """The territories of the scope and above, the providers of any function attached to
    one of them (the only ones that can serve a territory of the scope) with the
    territories they name; and the seats of every provider of France."""
    r = _Reader(store)
    r.add_territories(within)
    r.add_territories(chain)
    r.close()  # every container of a territory of the scope (an EPCI across two départements…)
    relevant = set(r.territories)
    everyone, places = _every_provider(store)
    local = [row for row in everyone.values()
             if any(kind in _ATTACH and t in relevant for kind, t in (row["links"] or ()))]
    r.add_nodes(local)
    named = {t for row in local for _, t in (row["links"] or ()) if t in places}
    while named:  # the territories they name and those containing them, from the kept read
        r.add_territories(places[t] for t in named)
        named = {p for t in named for p in (places[t].get("parents") or ())
                 if p in places and p not in r.territories}
    G = r.graph()
    return G, SeatIndex(everyone, {**places, **r.territories})


def _compare(store: GraphStore, chain: list[dict], territory: dict) -> tuple[dict, bool]:
    out = {}
    for row in chain:
        if row["level"] in ("departement", "region") and row["id"] != territory["id"]:
            out[row["id"]] = {"kinds": _rows(store, "report.kinds_in", id=row["id"]),
                              "sectors": _rows(store, "report.sectors_in", id=row["id"])}
    kinds = kept.overview_rows(store, "report.kinds_france", {})
    sectors = kept.overview_rows(store, "report.sectors_france", {})
    from_kept = kinds is not None and sectors is not None
    out["france"] = {"kinds": kinds if kinds is not None else _rows(store, "report.kinds_france"),
                     "sectors": sectors if sectors is not None else _rows(store, "report.sectors_france")}
    return out, from_kept


def _neighbours(store: GraphStore, territory: dict, chain: list[dict]) -> dict:
    """The networks of the territories beside this one: the communes of its EPCI, the
    EPCI of its département, the départements of its région (none for a région)."""
    by_level = {r["level"]: r for r in chain}
    parent = {"commune": by_level.get("epci") or by_level.get("departement"),
              "epci": by_level.get("departement"), "departement": by_level.get("region")}.get(territory["level"])
    if parent is None:
        return {}
    level = territory["level"]
    return {"parent": parent, "level": level,
            "networks": _rows(store, "report.networks_under", id=parent["id"], level=level),
            "members": _rows(store, "report.members_under", id=parent["id"], level=level)}


def _cooperation(store: GraphStore) -> dict:
    """The kept cooperation result's summary (clusters described), each structure's scores
    (cluster, betweenness…) and the projection, with the version they were computed on."""
    info = kept.kept(store, kept.COOPERATION)
    if info is None:
        return {"info": None}
    found = kept.kept_result(store, kept.COOPERATION, ("scores", "T"))
    if found is None:
        return {"info": info}
    version, parts = found
    return {"info": info, "version": version, **parts}


def read_report(store: GraphStore, territory: dict) -> Reads:
    """Everything :func:`graph.report.figures.report_figures` needs about ``territory``
    (a card from :func:`graph.report.where.resolve_territory`)."""
    tid = territory["id"]
    chain = _rows(store, "territorial.chain", id=tid)
    within = _rows(store, "territorial.within", id=tid)
    scope = _map_scope(territory, chain)
    map_within = within if scope == tid else _rows(store, "territorial.within", id=scope)
    map_chain = chain if scope == tid else _rows(store, "territorial.chain", id=scope)
    G, seats = _coverage_graph(store, map_within, [*chain, *map_chain])
    inside = sorted(r["id"] for r in within)
    actors = _chunked(store, "report.actors", inside)
    mine = {a["id"] for a in actors}
    above = [a for a in _chunked(store, "report.actors", sorted(r["id"] for r in chain if r["id"] != tid))
             if a["id"] not in mine]
    compare, from_kept = _compare(store, chain, territory)
    population = {r["level"]: r["population"] for r in _rows(store, "report.france")}
    communes = [r["id"] for r in within if r["level"] == "commune"]
    attachments = {}
    for start in range(0, len(communes), _CHUNK):
        attachments.update((r["territory"], r["organisations"])
                           for r in _rows(store, "report.attachments", ids=communes[start:start + _CHUNK]))
    cited = sorted({s for a in [*actors, *above] for s in (a.get("sources") or ())})
    return Reads(territory=territory, chain=chain, within=within, map_scope=scope, map_within=map_within,
                 actors=actors, above=above, G=G, seats=seats, compare=compare,
                 population_france=int(population.get("region") or 0), attachments=attachments,
                 members=_rows(store, "report.members_in", id=tid),
                 places=[p for start in range(0, len(inside), _CHUNK)
                         for p in _rows(store, "report.places_in", ids=inside[start:start + _CHUNK])],
                 carried=[c for start in range(0, len(inside), _CHUNK)
                          for c in _rows(store, "report.carried_in", ids=inside[start:start + _CHUNK])],
                 neighbours=_neighbours(store, territory, chain),
                 national=_national(store, "orientation", _national_and_initiatives),
                 cooperation=_cooperation(store), sources=_chunked(store, "report.sources", cited) if cited else [],
                 version=store.version(), kept_overview=from_kept)

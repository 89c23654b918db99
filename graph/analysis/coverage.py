"""Territorial coverage of support functions: who serves where, white zones, overlaps.

A *provider* of a need (a support function of :data:`graph.model.FUNCTIONS`) is a
structure, network, funder or shared place listing it in ``functions``; every
shared place provides ``lieu`` and every network ``reseau``. A provider serves
the territories it ``SERVES`` and the one it is ``LOCATED_IN``, and everything
inside them: a territory is covered by the providers serving it or a territory
containing it (``PART_OF``, transitively). The covering set of each territory is
the union of the providers attached to it and to its ancestors, read from a
precomputed index (:class:`~graph.analysis._index.GraphIndex`): the ancestors' part
is sorted once per set of ancestors, so that on the 250,000-structure benchmark
graph one function for all 35,000 communes takes a few tenths of a second.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

import networkx as nx

from graph import model

from ._common import as_list, check_choice, provides
from ._index import GraphIndex

__all__ = ["coverage", "coverage_by_density", "matching_providers", "overlaps",
           "support_chain", "white_zones"]


def matching_providers(G: nx.MultiDiGraph, need: str, *, stage: str | None = None,
                       sector: str | None = None, index: GraphIndex | None = None,
                       ) -> list[str]:
    """Providers of ``need``, at ``stage`` and in ``sector`` if given, sorted.

    A provider with no ``stages`` has *unspecified* stages and matches any stage;
    a provider with no ``ACTIVE_IN`` sector is a generalist and matches any sector.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> matching_providers(demo_graph(), "financement", stage="creation")
    ['funder:nantes-initiatives', 'funder:nantes-metropole']
    """
    check_choice(need, model.FUNCTIONS, "need")
    check_choice(stage, model.STAGES, "stage", optional=True)
    if index is not None:  # the analyses of one graph share them
        return list(index.remember(("providers", need, stage, sector),
                                   lambda: tuple(_matching(G, need, stage, sector, index))))
    return _matching(G, need, stage, sector, GraphIndex(G) if sector else None)


def _matching(G, need: str, stage: str | None, sector: str | None, idx: GraphIndex | None) -> list[str]:
    out = []
    candidates = ((n, G.nodes[n]) for n in idx.offering(need)) if idx is not None else (
        (n, d) for n, d in G.nodes(data=True) if provides(d, need))
    for n, d in candidates:
        if stage is not None and (stages := as_list(d.get("stages"))) and stage not in stages:
            continue
        if sector is not None and (secs := idx.sectors.get(n)) and sector not in secs:
            continue
        out.append(n)
    return sorted(out)


def _covering(idx: GraphIndex, targets, providers, *, within: bool = False) -> dict:
    """territory → sorted tuple of the providers attached to it or to a territory
    containing it (and, with ``within``, to a territory inside it).

    The providers coming from a territory's ancestors are gathered and sorted once
    per set of ancestors (all the communes of one EPCI share theirs), then merged
    with those of the territory itself, if any. Territories without providers of
    their own share their ancestors' tuple, so that regional providers are sorted
    once, not once per commune.
    """
    direct: dict[str, set] = defaultdict(set)
    served, seats = idx.served, idx.seats
    for p in providers:  # the territories of idx.areas(p)
        for t in served.get(p, ()):
            direct[t].add(p)
        for t in seats.get(p, ()):
            direct[t].add(p)
    inside: dict[str, set] = defaultdict(set)
    if within:
        for t, ps in direct.items():
            for a in idx.ancestors(t):
                inside[a].update(ps)
    from_above: dict[tuple, tuple] = {}  # ancestors → (sorted tuple, set) of their providers
    out = {}
    for t in targets:
        above = idx.ancestors(t)
        got = from_above.get(above)
        if got is None:
            ps = set().union(*(direct[a] for a in above if a in direct))
            got = from_above[above] = (tuple(sorted(ps)), ps)
        own = direct.get(t)
        if t in inside:
            own = inside[t] if own is None else own | inside[t]
        if own is None:
            out[t] = got[0]
        else:
            extra = own - got[1]
            out[t] = tuple(sorted((*got[0], *extra))) if extra else got[0]
    return out


def _cover(idx: GraphIndex, key: tuple, targets, providers, within: bool = False) -> dict:
    """:func:`_covering`, once per question for an index (``key``: what ``targets`` and
    ``providers`` were chosen by): coverage, support chain and overlaps of one view share it."""
    return idx.remember(("cover", *key), lambda: _covering(idx, targets, providers, within=within))


def _targets(idx: GraphIndex, level: str, scope: str | None) -> list[str]:
    check_choice(level, model.TERRITORY_LEVELS, "territory level")
    if scope is not None and scope not in idx.level:
        raise nx.NodeNotFound(f"territory {scope!r} is not in the graph")
    return idx.at_level(level, scope)


def _base(idx: GraphIndex, t: str) -> dict:
    name, level, population, density = idx.cards[t]
    return {"id": t, "name": name, "level": level, "population": population,
            "density": density}


def coverage(G: nx.MultiDiGraph, *, level: str = "commune", scope: str | None = None,
             need: str = "accompagnement", stage: str | None = None,
             sector: str | None = None, include_within: bool = False,
             index: GraphIndex | None = None) -> list[dict]:
    """Count, for every territory of ``level`` in ``scope``, the providers of ``need``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The typed graph, with its territories and ``PART_OF`` containment.
    level : str, optional (default="commune")
        ``commune``, ``epci``, ``departement`` or ``region``.
    scope : str, optional
        A territory id (``"region:52"``, ``"departement:44"``): only territories
        inside it. None: all of them.
    need : str, optional (default="accompagnement")
        A support function of :data:`graph.model.FUNCTIONS`.
    stage : str, optional
        A project stage; providers with unspecified stages still count.
    sector : str, optional
        A sector id; generalist providers (no sector) still count.
    include_within : bool, optional (default=False)
        Also count providers attached only to a territory *inside* the target (a
        département then counts every provider present in one of its communes).
    index : GraphIndex, optional
        The index of ``G`` (``GraphIndex(G)``), when several analyses of the same
        graph share it: building it reads every edge, which is most of the time of
        one coverage on a national graph.

    Returns
    -------
    list of dict
        Sorted by id, one per territory: ``id``, ``name``, ``level``, ``population``,
        ``density``, ``providers`` (count), ``provider_ids`` (sorted),
        ``nearest_km`` (great-circle distance from the territory's centroid to the
        nearest seat of a matching provider, serving it or not; None without
        coordinates), ``nearest_provider`` and ``covered`` (at least one provider).

    Raises
    ------
    ValueError
        For an unknown level, need or stage.
    networkx.NodeNotFound
        For an unknown scope.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> rows = coverage(demo_graph(), need="financement", scope="departement:44")
    >>> [(r["name"], r["providers"], r["nearest_km"]) for r in rows]
    [('Nantes', 2, 0.0), ('Pontchâteau', 1, 46.04), ('Saint-Gildas-des-Bois', 1, 48.49), ('Saint-Herblain', 2, 6.11)]
    """
    idx = index or GraphIndex(G)
    targets = _targets(idx, level, scope)
    found = matching_providers(G, need, stage=stage, sector=sector, index=idx)
    cover = _cover(idx, (level, scope, need, stage, sector, include_within), targets, found, include_within)
    nearest = idx.nearest_seats(targets, found)
    cards, none = idx.cards, (None, None)
    rows = []
    for t in targets:
        ids = list(cover[t])
        km, closest = nearest.get(t, none)
        name, lev, population, density = cards[t]
        rows.append({"id": t, "name": name, "level": lev, "population": population,
                     "density": density, "providers": len(ids), "provider_ids": ids,
                     "nearest_km": None if km is None else round(km, 2),
                     "nearest_provider": closest, "covered": bool(ids)})
    return rows


def white_zones(result: list[dict], top: int | None = 20) -> list[dict]:
    """The uncovered territories of a :func:`coverage` result, worst first.

    Ranked by population (largest first), then distance to the nearest provider
    (farthest first; no provider at all counts as farthest), then id.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> rows = coverage(demo_graph(), need="accompagnement")
    >>> [(r["name"], r["nearest_km"]) for r in white_zones(rows)]
    [('Angers', 79.53)]
    """
    uncovered = [r for r in result if not r["covered"]]
    uncovered.sort(key=lambda r: (-(r["population"] or 0),
                                  -(r["nearest_km"] if r["nearest_km"] is not None
                                    else float("inf")), r["id"]))
    return uncovered if top is None else uncovered[:top]


def coverage_by_density(result: list[dict]) -> list[dict]:
    """Compare coverage across density classes (urban, intermediate, rural).

    Returns one dict per class present (in :data:`graph.model.DENSITY_CLASSES`
    order, then ``None`` for territories without a class) and a last one with
    ``density="all"``: ``territories``, ``covered_territories``,
    ``territory_rate``, ``population``, ``covered_population``,
    ``population_rate`` and ``median_nearest_km``. Rates are None when undefined.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> rows = coverage(demo_graph(), need="accompagnement")
    >>> [(r["density"], r["covered_territories"], r["territories"]) for r in coverage_by_density(rows)]
    [('urban', 2, 3), ('intermediate', 1, 1), ('rural', 1, 1), ('all', 4, 5)]
    """
    groups: dict = defaultdict(list)
    for r in result:
        groups[r["density"]].append(r)
    order = [c for c in model.DENSITY_CLASSES if c in groups]
    order += [c for c in groups if c not in model.DENSITY_CLASSES]
    out = []
    for cls, rows in [*((c, groups[c]) for c in order), ("all", result)]:
        pop = sum(r["population"] or 0 for r in rows)
        covered = [r for r in rows if r["covered"]]
        cpop = sum(r["population"] or 0 for r in covered)
        km = [r["nearest_km"] for r in rows if r["nearest_km"] is not None]
        out.append({
            "density": cls, "territories": len(rows), "covered_territories": len(covered),
            "territory_rate": len(covered) / len(rows) if rows else None,
            "population": pop, "covered_population": cpop,
            "population_rate": cpop / pop if pop else None,
            "median_nearest_km": statistics.median(km) if km else None,
        })
    return out


def support_chain(G: nx.MultiDiGraph, territory: str | None = None, *,
                  level: str = "commune", scope: str | None = None,
                  need: str = "accompagnement", sector: str | None = None,
                  index: GraphIndex | None = None) -> list[dict]:
    """Which project stages the providers of ``need`` cover, per territory.

    For ``territory`` alone when given, else for every territory of ``level`` in
    ``scope``. Unlike :func:`coverage` with a ``stage``, the chain is strict: a
    stage counts as covered only when a provider states it; providers with
    unspecified stages are listed apart.

    Returns
    -------
    list of dict
        ``id``, ``name``, ``level``, ``population``, ``density``, ``stages`` (stage →
        sorted provider ids, in :data:`graph.model.STAGES` order), ``unspecified``
        (providers without stages), ``missing`` (stages nobody states) and
        ``complete``.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> [row] = support_chain(demo_graph(), "commune:44109")
    >>> row["stages"]["creation"], row["missing"]
    (['structure:ecossolies', 'structure:ouvre-boites'], ['consolidation'])
    """
    idx = index or GraphIndex(G)  # shared with coverage() when given
    if territory is not None:
        if territory not in idx.level:
            raise nx.NodeNotFound(f"territory {territory!r} is not in the graph")
        targets = [territory]
    else:
        targets = _targets(idx, level, scope)
    found = matching_providers(G, need, sector=sector, index=idx)
    where = ("territory", territory) if territory is not None else (level, scope)
    cover = _cover(idx, (*where, need, None, sector, False), targets, found)
    distinct = {id(ids): ids for ids in cover.values()}.values()  # covering tuples are shared
    nodes = G.nodes  # the stages of the providers that cover a target
    stages_of = {p: set(as_list(nodes[p].get("stages"))) for ids in distinct for p in ids}
    memo: dict[int, tuple] = {}  # covering tuples are shared: one chain per tuple
    rows = []
    for t in targets:
        ids = cover[t]
        if id(ids) not in memo:
            chain = {s: [p for p in ids if s in stages_of[p]] for s in model.STAGES}
            memo[id(ids)] = (chain, [p for p in ids if not stages_of[p]],
                             [s for s, ps in chain.items() if not ps])
        chain, unspecified, missing = memo[id(ids)]
        rows.append({**_base(idx, t), "stages": {s: list(ps) for s, ps in chain.items()},
                     "unspecified": list(unspecified), "missing": list(missing),
                     "complete": not missing})
    return rows


def overlaps(G: nx.MultiDiGraph, *, level: str = "commune", scope: str | None = None,
             need: str = "accompagnement", sector: str | None = None,
             stage: str | None = None, min_providers: int = 2,
             index: GraphIndex | None = None) -> list[dict]:
    """Territories where several providers offer ``need`` in the same sector.

    Candidates for mutualisation ("identifier les complémentarités et les
    concurrences"). Providers are grouped by each sector they are ``ACTIVE_IN``
    (strictly: generalists form their own group, ``sector`` None); with ``sector``
    given, only that group is looked at. Coverage follows the rules of
    :func:`coverage`.

    Returns
    -------
    list of dict
        ``id``, ``name``, ``level``, ``population``, ``density``, ``sector``,
        ``providers`` (count) and ``provider_ids``, for every territory and sector
        with at least ``min_providers``; most providers first, then population,
        id and sector.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> rows = overlaps(demo_graph(), need="financement", level="epci")
    >>> [(r["name"], r["sector"], r["provider_ids"]) for r in rows]
    [('Nantes Métropole', None, ['funder:nantes-initiatives', 'funder:nantes-metropole'])]
    """
    idx = index or GraphIndex(G)  # shared with coverage() when given
    targets = _targets(idx, level, scope)
    found = matching_providers(G, need, stage=stage, index=idx)
    cover = _cover(idx, (level, scope, need, stage, None, False), targets, found)
    distinct = {id(ids): ids for ids in cover.values()}.values()  # covering tuples are shared
    groups_of = {p: sorted(set(idx.sectors.get(p, ()))) or [None] for ids in distinct for p in ids}
    memo: dict[int, list] = {}  # covering tuples are shared: group each one once
    rows = []
    for t in targets:
        ids = cover[t]
        if id(ids) not in memo:
            by_sector: dict = defaultdict(list)
            for p in ids:
                for s in groups_of[p]:
                    if sector is None or s == sector:
                        by_sector[s].append(p)
            memo[id(ids)] = [(s, ps) for s, ps in by_sector.items() if len(ps) >= min_providers]
        if memo[id(ids)]:
            base = _base(idx, t)
            rows.extend({**base, "sector": s, "providers": len(ps), "provider_ids": list(ps)}
                        for s, ps in memo[id(ids)])
    rows.sort(key=lambda r: (-r["providers"], -(r["population"] or 0), r["id"],
                             r["sector"] or ""))
    return rows

"""Sections 2 to 4 of a diagnostic: the support chain, the white zones, the overlaps.

Each figure is the answer of an analysis of :mod:`graph.analysis.coverage` on the
coverage graph of the territory (:mod:`graph.report.reads`: its territories, those
containing them, the providers attached to one of them), the distances to the nearest
provider measured over every provider of France (:class:`~graph.report.reads.SeatIndex`),
as :func:`~graph.analysis.coverage` measures them on the whole graph.
"""

from __future__ import annotations

from graph import analysis, model
from graph.analysis._common import name_of

__all__ = ["chain_figures", "overlap_figures", "white_zone_figures"]

_BELOW = {"region": "departement", "departement": "epci", "epci": "commune"}


def _name(reads, p: str) -> str:
    if p in reads.G:
        return name_of(reads.G, p)
    return (reads.seats.rows.get(p) or {}).get("name") or p


def chain_figures(reads, index, needs) -> dict:
    """For each function and stage: the providers serving the territory (directly or through
    a containing territory), those present only in a part of it, the nearest one and its
    distance; the gaps of the chain, named.

    Returns ``{"rows", "gaps", "names"}``: ``rows`` one per function with ``providers``
    (serving it, all stages), ``inside`` (attached to a territory inside it only), ``stages``
    (stage → providers stating it, as :func:`~graph.analysis.support_chain` gives them),
    ``unspecified``, ``missing``, ``nearest`` (stage or ``"all"`` → ``{"km", "id"}``);
    ``gaps`` one per function and stage nobody states (``kind``: ``absent`` when nobody
    serves the function at all, ``stage`` otherwise, with ``unspecified``).
    """
    G, t = reads.G, reads.territory["id"]
    level = reads.territory["level"]
    rows, gaps, names = [], [], {}
    for need in needs:
        cov = analysis.coverage(G, level=level, scope=t, need=need, index=index)
        around = analysis.coverage(G, level=level, scope=t, need=need, include_within=True, index=index)
        providers = next((r["provider_ids"] for r in cov if r["id"] == t), [])
        within = next((r["provider_ids"] for r in around if r["id"] == t), [])
        [chain] = analysis.support_chain(G, t, need=need, index=index)
        near = {stage: reads.seats.nearest_to(t, need, None if stage == "all" else stage)
                for stage in ("all", *model.STAGES)}
        row = {"need": need, "providers": providers, "inside": sorted(set(within) - set(providers)),
               "stages": chain["stages"], "unspecified": chain["unspecified"], "missing": chain["missing"],
               "nearest": {k: (None if v is None else {"km": round(v[0], 2), "id": v[1]}) for k, v in near.items()}}
        rows.append(row)
        for p in {*providers, *row["inside"], *(v[1] for v in near.values() if v)}:
            names[p] = _name(reads, p)
        for s in chain["missing"]:
            gaps.append({"need": need, "stage": s, "kind": "absent" if not providers else "stage",
                         "unspecified": len(chain["unspecified"]), "inside": len(row["inside"])})
    return {"rows": rows, "gaps": gaps, "names": names}


def white_zone_figures(reads, index, needs) -> dict:
    """The communes without a provider of each function, by population.

    Returns ``{"by_need", "communes", "map"}``: ``by_need`` one row per function with
    the communes of the territory, how many are uncovered, their population and the
    territory's; ``communes`` the uncovered communes of the territory (the white zones of
    :func:`~graph.analysis.white_zones`, every function merged: ``missing`` functions,
    ``nearest`` km per missing function), most populated first; ``map`` one cell per
    commune of the map's scope (``id``, ``code``, ``name``, ``population``, ``missing``).
    """
    G, scope = reads.G, reads.map_scope
    inside = {r["id"] for r in reads.within}
    cells: dict[str, dict] = {}
    zones: dict[str, dict] = {}
    by_need = []
    for need in needs:
        rows = analysis.coverage(G, level="commune", scope=scope, need=need, index=index)
        far = reads.seats.nearest_seats([r["id"] for r in rows], reads.seats.providers(need))
        for r in rows:
            km, who = far.get(r["id"], (None, None))
            r["nearest_km"], r["nearest_provider"] = (None if km is None else round(km, 2)), who
            cell = cells.get(r["id"])
            if cell is None:
                where = index.coords.get(r["id"], (None, None))
                cell = cells[r["id"]] = {"id": r["id"], "code": r["id"].split(":", 1)[1], "name": r["name"],
                                         "population": r["population"], "lat": where[0], "lon": where[1],
                                         "missing": [], "inside": r["id"] in inside}
            if not r["covered"]:
                cell["missing"].append(need)
        mine = [r for r in rows if r["id"] in inside]
        white = analysis.white_zones(mine, top=None)
        by_need.append({"need": need, "communes": len(mine), "uncovered": len(white),
                        "population": sum(r["population"] or 0 for r in mine),
                        "uncovered_population": sum(r["population"] or 0 for r in white)})
        for r in white:
            z = zones.setdefault(r["id"], {"id": r["id"], "name": r["name"], "population": r["population"],
                                           "density": r["density"], "missing": [], "nearest": {}})
            z["missing"].append(need)
            z["nearest"][need] = {"km": r["nearest_km"], "id": r["nearest_provider"],
                                  "name": _name(reads, r["nearest_provider"]) if r["nearest_provider"] else None}
    communes = sorted(zones.values(), key=lambda z: (-(z["population"] or 0), -len(z["missing"]), z["id"]))
    return {"by_need": by_need, "communes": communes, "map": sorted(cells.values(), key=lambda c: c["id"])}


def overlap_figures(reads, index, needs, *, top: int = 12) -> dict:
    """Several providers of one function in one sector serving the territory (and, one
    level down, its parts, where they are more than those of the whole territory):
    candidates for mutualisation (:func:`~graph.analysis.overlaps`).

    Returns ``{"rows", "level_below"}``: rows with ``need``, ``id``, ``name``, ``level``,
    ``sector``, ``sector_name``, ``providers`` (count) and ``names``.
    """
    G, t, level = reads.G, reads.territory["id"], reads.territory["level"]
    below = _BELOW.get(level)
    out = []
    for need in needs:
        found = analysis.overlaps(G, level=level, scope=t, need=need, index=index)
        if below:  # a part's overlap says something new when it is not the whole territory's again
            whole = {r["sector"]: set(r["provider_ids"]) for r in found}
            found += [r for r in analysis.overlaps(G, level=below, scope=t, need=need, index=index)
                      if not set(r["provider_ids"]) <= whole.get(r["sector"], set())][:top]
        for r in found:
            out.append({"need": need, "id": r["id"], "name": r["name"], "level": r["level"], "sector": r["sector"],
                        "sector_name": name_of(G, r["sector"]) if r["sector"] else None,
                        "providers": r["providers"], "provider_ids": r["provider_ids"],
                        "names": [_name(reads, p) for p in r["provider_ids"]]})
    return {"rows": out, "level_below": below}

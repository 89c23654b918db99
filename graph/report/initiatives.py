"""Section 6 of a diagnostic: shared places, initiatives carried here, and those carried
elsewhere that answer a gap found here (essaimage).

The initiatives and their carriers come from the kept national read of
:mod:`graph.territorial` (every initiative, the organisations carrying one). An
initiative is *here* when it serves (or is located in) the territory or a territory
inside it, or when an organisation of the territory carries it. An initiative from
elsewhere answers a gap when its theme or its words fit the function
(:data:`graph.analysis.orientation.NEED_KEYWORDS`, as orientation decides) or a
provider of that function carries it; the nearest first.
"""

from __future__ import annotations

from graph import model
from graph.analysis._common import haversine_km, provides
from graph.analysis.orientation import _fits

__all__ = ["initiative_figures", "place_figures"]

_PER_GAP = 3
_AREA = ("SERVES", "LOCATED_IN")


def place_figures(reads) -> list[dict]:
    """The shared places seated in or serving the territory or a territory inside it, with
    their kind, functions, where they are and how many organisations use them (``USES``)."""
    out = {}
    for p in reads.places:
        out.setdefault(p["id"], {"id": p["id"], "name": p.get("name") or p["id"], "kind": p.get("kind"),
                                 "functions": sorted(set(p.get("functions") or ()) | {"lieu"}),
                                 "where": sorted(p.get("seats") or ()), "users": int(p.get("users") or 0)})
    return sorted(out.values(), key=lambda p: (-p["users"], p["name"], p["id"]))


def _areas(row: dict) -> list[str]:
    return [t for kind, t in (row.get("links") or ()) if kind in _AREA]


def initiative_figures(reads, gaps: list[str]) -> dict:
    """``{"here", "elsewhere"}``: the initiatives carried here (``id``, ``name``, ``theme``,
    ``carriers``, ``areas``) and, for each function of ``gaps``, up to three initiatives of
    other territories answering it (``need``, ``km`` from this territory, ``fits``,
    ``carried_by_provider``)."""
    others, territories = reads.national
    t = reads.territory
    inside = {r["id"] for r in reads.within}
    carriers: dict[str, dict] = {}
    for n, r in others.items():
        for kind, i in r.get("links") or ():
            if kind == "CARRIES":
                carriers.setdefault(i, {})[n] = r.get("name") or n
    carried_here = set()
    for c in reads.carried:
        carriers.setdefault(c["id"], {})[c["carrier"]] = c["carrier_name"] or c["carrier"]
        carried_here.add(c["id"])
    initiatives = {i: r for i, r in others.items() if model.INITIATIVE in (r.get("labels") or ())}
    place_names = {k: v.get("name") for k, v in territories.items()}
    place_names.update({r["id"]: r["name"] for r in [*reads.within, *reads.chain]})

    def card(i: str, r: dict) -> dict:
        return {"id": i, "name": r.get("name") or i, "theme": r.get("theme"), "description": r.get("description"),
                "carriers": sorted(carriers.get(i, {}).values()),
                "areas": [place_names.get(a) or a for a in _areas(r)]}

    here = [card(i, r) for i, r in sorted(initiatives.items(), key=lambda kv: ((kv[1].get("name") or kv[0]), kv[0]))
            if set(_areas(r)) & inside or i in carried_here]
    here_ids = {h["id"] for h in here}
    origin = (t.get("lat"), t.get("lon"))
    elsewhere = []
    for need in gaps:
        found = []
        for i, r in initiatives.items():
            if i in here_ids:
                continue
            fits = _fits(r, need)
            by_provider = any(provides(others[c], need) for c in carriers.get(i, {}) if c in others)
            if not (fits or by_provider):
                continue
            points = [territories[a] for a in _areas(r) if a in territories]
            if not points:  # no area of its own: where its carriers are seated
                points = [territories[s] for c in carriers.get(i, {}) if c in others
                          for kind, s in (others[c].get("links") or ()) if kind == "LOCATED_IN" and s in territories]
            km = min((haversine_km(origin[0], origin[1], p["lat"], p["lon"]) for p in points
                      if p.get("lat") is not None and p.get("lon") is not None and None not in origin), default=None)
            found.append({**card(i, r), "need": need, "km": None if km is None else round(km, 1),
                          "fits": fits, "carried_by_provider": by_provider,
                          "_key": (not (fits and by_provider), float("inf") if km is None else km, r.get("name") or i, i)})
        found.sort(key=lambda f: f.pop("_key"))
        elsewhere.extend(found[:_PER_GAP])
    return {"here": here, "elsewhere": elsewhere}

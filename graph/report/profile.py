"""Section 1 of a diagnostic: the territory in figures, compared with its département, région and France.

Pure functions over the rows of :mod:`graph.report.reads`. The actors of a territory
are the structures, networks, funders and shared places seated in it or serving it,
or a territory inside it (``report.actors``, ``report.kinds_in``): a node with two
labels (a CIGALES club, ``Structure:Funder``) counts in both kinds.
"""

from __future__ import annotations

from collections import Counter

from graph import model

__all__ = ["KINDS", "territory_figures"]

KINDS = (model.STRUCTURE, model.NETWORK, model.FUNDER, model.PLACE)
_LARGEST = 8


def per_10k(count: int, population: int | None) -> float | None:
    """``count`` per 10,000 inhabitants (None without a population)."""
    return round(10_000 * count / population, 2) if population else None


def _kinds_from_rows(rows: list[dict]) -> tuple[Counter, Counter]:
    """(count by kind, count of structures by legal form) from ``report.kinds_in`` rows."""
    kinds, forms = Counter(), Counter()
    for r in rows:
        kinds[r["label"]] += int(r["count"])
        if r["label"] == model.STRUCTURE:
            forms[r["legal_form"]] += int(r["count"])
    return kinds, forms


def _kinds_from_actors(actors: list[dict]) -> tuple[Counter, Counter, Counter]:
    kinds, forms, sectors = Counter(), Counter(), Counter()
    for a in actors:
        labels = a.get("labels") or ()
        for label in KINDS:
            if label in labels:
                kinds[label] += 1
        if model.STRUCTURE in labels:
            forms[a.get("legal_form")] += 1
        for s in set(a.get("sectors") or ()):
            sectors[s] += 1
    return kinds, forms, sectors


def _share(n: int, total: int) -> float | None:
    return round(n / total, 4) if total else None


def territory_figures(reads) -> dict:
    """The territory's population, density class, parts, and its actors by kind, legal
    form and sector, beside the same counts for its département, région and France.

    Returns a dict: ``population``, ``density``, ``parents`` (the territories containing
    it), ``parts`` (how many communes and EPCI lie inside), ``by_density`` (communes and
    population by density class), ``largest`` (its most populated communes), ``actors``
    (how many), ``places`` (the comparison columns: the territory, then its département,
    région, France, each ``{"id", "name", "population"}``), ``kinds``, ``legal_forms`` and
    ``sectors`` (rows with ``counts`` and ``per_10k`` or ``shares`` per column).
    """
    t = reads.territory
    mine = reads.actors
    communes = [r for r in reads.within if r["level"] == "commune"]
    by_density: dict = {}
    for c in communes:
        d = by_density.setdefault(c.get("density"), {"density": c.get("density"), "communes": 0, "population": 0})
        d["communes"] += 1
        d["population"] += int(c.get("population") or 0)
    order = [*model.DENSITY_CLASSES, None]
    kinds, forms, sectors = _kinds_from_actors(mine)
    columns = [{"id": t["id"], "name": t["name"], "level": t["level"], "population": t.get("population")}]
    counted = {t["id"]: (kinds, forms, sectors)}
    sector_names = {n: d.get("name") for n, d in reads.G.nodes(data=True)
                    if model.SECTOR in (d.get("labels") or ())}
    for row in reads.chain:
        if row["id"] in reads.compare:
            columns.append({"id": row["id"], "name": row["name"], "level": row["level"],
                            "population": row.get("population")})
            k, f = _kinds_from_rows(reads.compare[row["id"]]["kinds"])
            counted[row["id"]] = (k, f, Counter({r["sector"]: int(r["count"]) for r in reads.compare[row["id"]]["sectors"]}))
    france = reads.compare.get("france")
    if france is not None:
        columns.append({"id": "france", "name": "France", "level": "france", "population": reads.population_france})
        k, f = _kinds_from_rows(france["kinds"])
        counted["france"] = (k, f, Counter({r["sector"]: int(r["count"]) for r in france["sectors"]}))
        for r in france["sectors"]:
            sector_names.setdefault(r["sector"], r["name"])
    for c in reads.compare.values():
        for r in c["sectors"]:
            sector_names.setdefault(r["sector"], r["name"])

    def row(what, key, value_of):
        counts = [value_of(counted[c["id"]]) for c in columns]
        return {key: what, "counts": counts,
                "per_10k": [per_10k(n, c["population"]) for n, c in zip(counts, columns)]}

    kinds_rows = [row(label, "label", lambda c, label=label: c[0][label]) for label in KINDS]
    structures = [sum(counted[c["id"]][1].values()) for c in columns]
    all_forms = sorted({f for c in counted.values() for f in c[1]}, key=lambda f: (f is None, f or ""))
    form_rows = []
    for f in sorted(all_forms, key=lambda f: (-forms[f], f is None, f or "")):
        counts = [counted[c["id"]][1][f] for c in columns]
        form_rows.append({"legal_form": f, "counts": counts,
                          "shares": [_share(n, total) for n, total in zip(counts, structures)]})
    sector_ids = [s for s, _ in sectors.most_common()] + sorted(
        {s for c in counted.values() for s in c[2]} - set(sectors),
        key=lambda s: -(counted["france"][2][s] if "france" in counted else 0))
    sector_rows = [{**row(s, "sector", lambda c, s=s: c[2][s]), "name": sector_names.get(s) or s}
                   for s in sector_ids]
    return {
        "population": t.get("population"), "density": t.get("density"),
        "parents": [{"id": r["id"], "name": r["name"], "level": r["level"]} for r in reads.chain if r["id"] != t["id"]],
        "parts": {"communes": len(communes), "epci": sum(1 for r in reads.within if r["level"] == "epci"),
                  "departements": sum(1 for r in reads.within if r["level"] == "departement")},
        "by_density": [by_density[d] for d in order if d in by_density],
        "largest": [{"id": c["id"], "name": c["name"], "population": c.get("population"), "density": c.get("density")}
                    for c in sorted(communes, key=lambda c: (-(c.get("population") or 0), c["id"]))[:_LARGEST]],
        "actors": len(mine), "structures": kinds[model.STRUCTURE],
        "places": columns, "kinds": kinds_rows, "legal_forms": form_rows, "sectors": sector_rows,
    }

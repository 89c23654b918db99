"""A diagnostic's figures, section by section, from the rows of :mod:`graph.report.reads`.

:func:`report_figures` gives the whole report as plain data (what :mod:`graph.report.render`
draws and the tests check against the analyses): the territory in figures (section 1,
:mod:`.profile`), the support chain, white zones and overlaps (2–4, :mod:`.support`),
cooperation (5, :mod:`.cooperation`), shared places and initiatives (6,
:mod:`.initiatives`) and, here, the sources and the limits of the base (7).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from graph import model
from graph.analysis._index import GraphIndex

from .cooperation import cooperation_figures
from .initiatives import initiative_figures, place_figures
from .profile import territory_figures
from .support import chain_figures, overlap_figures, white_zone_figures

__all__ = ["report_figures"]


def _reference() -> dict:
    """The shipped territorial reference's sources (``build-info.json``)."""
    from loaders.territories import DATA_DIR

    try:
        info = json.loads((DATA_DIR / "build-info.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {"sources": sorted((info.get("sources") or {}).values()), "counts": info.get("counts") or {}}


def _sources(reads, shown: list[dict]) -> list[dict]:
    cites: dict[str, int] = {}
    for a in shown:
        for s in a.get("sources") or ():
            cites[s] = cites.get(s, 0) + 1
    rows = [{**s, "cited_by": cites.get(s["id"], 0)} for s in reads.sources]
    return sorted(rows, key=lambda s: (str(s.get("date") or ""), s["id"]), reverse=True)


def _limits(reads, mine: list[dict], chain: dict, needs) -> dict:
    """What the base does not know here: functions nobody provides, stages nobody states,
    communes with no organisation at all, organisations whose functions, legal form or
    sector are unknown."""
    communes = [r for r in reads.within if r["level"] == "commune"]
    empty = [c for c in communes if not reads.attachments.get(c["id"])]
    structures = [a for a in mine if model.STRUCTURE in (a.get("labels") or ())]
    rows = {r["need"]: r for r in chain["rows"]}
    return {
        "functions_empty": [n for n in needs if not rows[n]["providers"] and not rows[n]["inside"]],
        "functions_inside_only": [n for n in needs if not rows[n]["providers"] and rows[n]["inside"]],
        "stages_unstated": [{"need": n, "stages": rows[n]["missing"]} for n in needs if rows[n]["missing"]],
        "communes_empty": len(empty), "communes": len(communes),
        "population_empty": sum(int(c.get("population") or 0) for c in empty),
        "largest_empty": [{"id": c["id"], "name": c["name"], "population": c.get("population")}
                          for c in sorted(empty, key=lambda c: (-(c.get("population") or 0), c["id"]))[:5]],
        "without_functions": sum(1 for a in structures if not a.get("functions")),
        "without_legal_form": sum(1 for a in structures if not a.get("legal_form")),
        "without_sector": sum(1 for a in mine if not a.get("sectors")),
        "structures": len(structures), "actors": len(mine),
    }


def report_figures(reads, needs=None) -> dict:
    """Every figure of the diagnostic of ``reads.territory`` for ``needs`` (support
    functions; all of :data:`graph.model.FUNCTIONS` by default), as plain data.

    Keys: ``territory``, ``needs``, ``generated_at``, ``version``, ``map_scope``,
    ``figures`` (section 1), ``chain`` (2), ``white`` (3), ``overlaps`` (4),
    ``cooperation`` (5), ``places``, ``initiatives`` (6), ``sources``, ``reference``,
    ``limits``, ``kept`` (7).
    """
    needs = list(needs or model.FUNCTIONS)
    unknown = [n for n in needs if n not in model.FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown need(s) {unknown}; expected {list(model.FUNCTIONS)}")
    index = GraphIndex(reads.G)
    mine, above = reads.actors, reads.above
    chain = chain_figures(reads, index, needs)
    white = white_zone_figures(reads, index, needs)
    gaps = sorted({g["need"] for g in chain["gaps"]} | {w["need"] for w in white["by_need"] if w["uncovered"]},
                  key=needs.index)
    scope = next((r for r in reads.map_within if r["id"] == reads.map_scope), reads.territory)
    coop = cooperation_figures(reads)
    return {
        "territory": reads.territory, "needs": needs,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "version": reads.version, "map_scope": {"id": scope["id"], "name": scope["name"], "level": scope["level"]},
        "figures": territory_figures(reads), "chain": chain, "white": white,
        "overlaps": overlap_figures(reads, index, needs), "cooperation": coop,
        "places": place_figures(reads), "initiatives": initiative_figures(reads, gaps), "gaps": gaps,
        "sources": _sources(reads, [*mine, *above]), "reference": _reference(),
        "limits": _limits(reads, mine, chain, needs),
        "kept": {"cooperation": coop["status"], "france_counts": "kept" if reads.kept_overview else "live"},
        "neighbours": ({"parent": reads.neighbours["parent"]["name"], "parent_id": reads.neighbours["parent"]["id"],
                        "level": reads.neighbours["level"]} if reads.neighbours else None),
    }

"""Shared places that are probably one place: the same name in the same commune, or the same point.

Lists of tiers-lieux hold their own duplicates (the CGET 2019 list has the same
place twice, once in capitals; two names at one address), and a second list
repeats the first one's places. :func:`find_place_duplicates` proposes the pairs
for ``maillage dedupe``, as :func:`~loaders.opendata.identity.find_duplicates`
does for structures:

* 0.95: the same normalised name (:func:`~loaders.opendata.identity.normalise_name`:
  case, accents, punctuation aside) in the same commune;
* 0.9: two places of one commune at the same point (less than :data:`SAME_POINT_M`
  metres apart: one address geocoded twice), whatever their names;
* below: close names (:func:`~loaders.opendata.identity.name_similarity` of at least
  ``fuzzy_threshold``) in the same commune.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from loaders.opendata.identity import Match, name_similarity, normalise_name

#: two points closer than this are one address
SAME_POINT_M = 30.0


def _metres(a: dict, b: dict) -> float | None:
    try:
        lat1, lon1, lat2, lon2 = (float(x) for x in (a["lat"], a["lon"], b["lat"], b["lon"]))
    except (KeyError, TypeError, ValueError):
        return None
    if any(math.isnan(x) for x in (lat1, lon1, lat2, lon2)):
        return None
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6_371_000 * math.hypot(x, math.radians(lat2 - lat1))


def find_place_duplicates(places: Iterable[dict], *, fuzzy_threshold: float = 0.85,
                          max_block: int = 500) -> list[Match]:
    """Pairs of places (``id, name, lat, lon, commune`` records) that may be one place, best
    first (see the module docstring). Places of different communes are never paired.

    >>> find_place_duplicates([{"id": "place:a", "name": "La Cantine", "commune": "44109"},
    ...                        {"id": "place:b", "name": "LA CANTINE", "commune": "44109"},
    ...                        {"id": "place:c", "name": "La Cantine", "commune": "49007"}])
    [Match(a='place:a', b='place:b', score=0.95, reason='même nom « cantine » et même commune 44109')]
    """
    by_commune: dict[str, list[dict]] = defaultdict(list)
    for p in places:
        c = str(p.get("commune") or "").removeprefix("commune:")
        if c:
            by_commune[c].append(p)
    best: dict[tuple[str, str], Match] = {}

    def consider(a: dict, b: dict, score: float, reason: str) -> None:
        x, y = sorted((a["id"], b["id"]))
        if x != y and ((x, y) not in best or best[(x, y)].score < score):
            best[(x, y)] = Match(x, y, score, reason)

    for c, group in sorted(by_commune.items()):
        if len(group) > max_block:  # a big city: only the same name, through an index
            names: dict[str, list[dict]] = defaultdict(list)
            for p in group:
                names[normalise_name(p.get("name") or "")].append(p)
            pairs = ((a, b) for same in names.values() for i, a in enumerate(same) for b in same[i + 1:])
        else:
            pairs = ((a, b) for i, a in enumerate(group) for b in group[i + 1:])
        for a, b in pairs:
            na, nb = normalise_name(a.get("name") or ""), normalise_name(b.get("name") or "")
            if na and na == nb:
                consider(a, b, 0.95, f"même nom « {na} » et même commune {c}")
                continue
            metres = _metres(a, b)
            if metres is not None and metres < SAME_POINT_M:
                consider(a, b, 0.9, f"même adresse (points à {metres:.0f} m) dans la même commune {c}")
                continue
            sim = name_similarity(a.get("name") or "", b.get("name") or "")
            if sim >= fuzzy_threshold:
                consider(a, b, round(0.9 * sim, 4), f"noms proches (similarité {sim:.2f}) dans la même commune {c}")
    return sorted(best.values(), key=lambda m: (-m.score, m.a, m.b))

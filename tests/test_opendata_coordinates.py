"""Coordinates from open data: SIRENE seats (Lambert-93), GoGoCarto, tiers-lieux and
data·inclusion points, through the readers, identity resolution and the real store,
and the app's choice of a node's position."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from app.components.geo import position_of
from loaders.bundle import validate
from loaders.importing import import_path
from loaders.load import load_path
from loaders.opendata import read_datainclusion, read_gogocarto, read_sirene, read_tierslieux
from loaders.opendata.identity import merge_records
from loaders.opendata.lambert import PointCheck, wgs84_point
from loaders.territories import territory_index

FIX = Path(__file__).parent / "fixtures" / "opendata"
SIRENE = FIX / "sirene"
GOGO = FIX / "gogocarto" / "transiscope-elements.json"
CGET = FIX / "tierslieux" / "CGET_TiersLieux_2019.csv"


def km(lon1, lat1, lon2, lat2) -> float:
    """Distance in km (equirectangular: exact enough within a commune)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def point(row) -> tuple[float, float] | None:
    return (float(row["lon"]), float(row["lat"])) if row["lat"] and row["lon"] else None


def by_id(result, table="structures.csv"):
    return {r["id"]: r for r in result.tables.get(table, [])}


def seat_communes(result) -> dict[str, str]:
    return {r["source_id"]: r["target_id"] for r in result.tables["relations.csv"] if r["type"] == "LOCATED_IN"}


def rewrite_etablissements(src: Path, dst: Path, change) -> None:
    """Copy the SIRENE fixture to ``dst``, passing each StockEtablissement row (a dict
    keyed by the stripped header) through ``change``; the header is kept as published."""
    dst.mkdir()
    (dst / "StockUniteLegale_utf8.csv").write_bytes((src / "StockUniteLegale_utf8.csv").read_bytes())
    with open(src / "StockEtablissement_utf8.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, clean = rows[0], [h.strip() for h in rows[0]]
    with open(dst / "StockEtablissement_utf8.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for cells in rows[1:]:
            row = change(dict(zip(clean, cells)))
            w.writerow([row[h] for h in clean])


# --- SIRENE --------------------------------------------------------------------------------------

def test_sirene_seat_gives_the_structures_point():
    r = read_sirene(SIRENE)
    s = by_id(r)
    index = territory_index()
    # the Angers seat (place du Ralliement) is within a kilometre of the commune's centroid
    mutuelle = s["structure:siren-890123458"]
    angers = index.get("commune:49007")
    assert km(*point(mutuelle), angers["lon"], angers["lat"]) < 1.0
    # every located seat of the fixture lies in its commune: a few km from its centroid at most
    seats = seat_communes(r)
    for node_id, row in s.items():
        assert point(row), node_id
        t = index.get(seats[node_id])
        assert km(*point(row), t["lon"], t["lat"]) < 5.0, node_id
    # the seat's point, not another establishment's (the unit also has one in Saint-Nazaire)
    lon, lat = point(s["structure:siren-812345678"])
    assert math.isclose(lon, -1.571, abs_tol=1e-6) and math.isclose(lat, 47.2063, abs_tol=1e-6)
    assert "13 établissements lus, 7 sièges retenus, 7 avec coordonnées" in " ".join(r.report.warnings)


def test_sirene_filter_first_order_gives_the_same_points():
    unfiltered = {k: point(v) for k, v in by_id(read_sirene(SIRENE)).items()}
    filtered = {k: point(v) for k, v in by_id(read_sirene(SIRENE, departement="44")).items()}
    assert filtered and all(filtered[k] == unfiltered[k] for k in filtered)
    assert "structure:siren-890123458" not in filtered  # Angers is in 49


def test_sirene_missing_masked_and_overseas_seats_get_no_point(tmp_path):
    def change(row):
        if row["siren"] == "812340001":  # Rezé: coordinates masked
            row["coordonneeLambertAbscisseEtablissement"] = row["coordonneeLambertOrdonneeEtablissement"] = "[ND]"
        elif row["siren"] == "878901236":  # a seat in Saint-Denis (La Réunion): another projection
            row["codeCommuneEtablissement"], row["codePostalEtablissement"] = "97411", "97400"
            row["coordonneeLambertAbscisseEtablissement"] = "338500.0"
            row["coordonneeLambertOrdonneeEtablissement"] = "7690000.0"
        elif row["siren"] == "823456781":  # empty cells
            row["coordonneeLambertAbscisseEtablissement"] = row["coordonneeLambertOrdonneeEtablissement"] = ""
        return row

    rewrite_etablissements(SIRENE, tmp_path / "stock", change)
    r = read_sirene(tmp_path / "stock")
    s = by_id(r)
    for siren in ("812340001", "878901236", "823456781"):
        row = s[f"structure:siren-{siren}"]
        assert row["lat"] == row["lon"] == "", siren
    # still located: the app uses the commune's centroid
    assert seat_communes(r)["structure:siren-878901236"] == "commune:97411"
    assert point(s["structure:siren-890123458"])
    bundle, report = validate(r.to_tables())
    assert report.rejected == []
    rows = {n["id"]: n["props"] for n in bundle.nodes["Structure"]}
    assert "lat" not in rows["structure:siren-812340001"]
    assert isinstance(rows["structure:siren-890123458"]["lat"], float)


def test_sirene_older_geo_files_give_wgs84(tmp_path):
    src = tmp_path / "geo"
    src.mkdir()
    (src / "StockUniteLegale_utf8.csv").write_bytes((SIRENE / "StockUniteLegale_utf8.csv").read_bytes())
    with open(SIRENE / "StockEtablissement_utf8.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with open(src / "StockEtablissement_utf8.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["siren", "nic", "siret", "etablissementSiege", "codeCommuneEtablissement", "longitude", "latitude"])
        for row in rows:
            lon, lat = ("-0.553", "47.47") if row["siren"] == "890123458" else ("[ND]", "[ND]")
            w.writerow([row["siren"], row["nic"], row["siret"], row["etablissementSiege"],
                        row["codeCommuneEtablissement"], lon, lat])
    s = by_id(read_sirene(src))
    assert point(s["structure:siren-890123458"]) == (-0.553, 47.47)
    assert point(s["structure:siren-812345678"]) is None


# --- maps and lists --------------------------------------------------------------------------

def test_gogocarto_tierslieux_datainclusion_points():
    g = read_gogocarto(GOGO, commune_resolver=lambda name, cp: None)
    assert point(by_id(g)["structure:gogo-aB3x"]) == (-1.571, 47.2063)
    assert point(by_id(g, "places.csv")["place:gogo-cD4y"]) == (-1.549, 47.179)
    flat = read_gogocarto(FIX / "gogocarto" / "carte-ess-export.csv", commune_resolver=lambda name, cp: None)
    assert point(by_id(flat)["structure:gogo-m1"]) == (-0.55, 47.47)
    t = by_id(read_tierslieux(CGET), "places.csv")
    assert point(t["place:tl-1"]) == (-1.5705, 47.2065) and point(t["place:tl-3"]) == (2.375, 48.856)
    d = by_id(read_datainclusion(FIX / "datainclusion" / "structures.di.csv"))
    with_point = [row for row in d.values() if point(row)]
    assert [point(row) for row in with_point] == [(-1.571, 47.2063)]


def test_out_of_range_coordinates_are_refused_once_per_file(tmp_path):
    data = json.loads(GOGO.read_text(encoding="utf-8"))
    data["data"][0]["geo"] = {"latitude": 147.2, "longitude": -1.571}   # latitude out of range
    data["data"][1]["geo"] = {"latitude": "abc", "longitude": -1.549}  # not a number
    data["data"][2]["geo"] = {"latitude": 0, "longitude": 0}           # failed geocoding
    data["data"][4]["geo"] = {"latitude": "48,857", "longitude": "2,379"}  # decimal comma: fine
    bad = tmp_path / "carte.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    r = read_gogocarto(bad, commune_resolver=lambda name, cp: None)
    nodes = {**by_id(r), **by_id(r, "places.csv")}
    for node_id in ("structure:gogo-aB3x", "place:gogo-cD4y", "structure:gogo-eF5z"):
        assert nodes[node_id]["lat"] == nodes[node_id]["lon"] == ""
    assert point(nodes["structure:gogo-iJ7v"]) == (2.379, 48.857)
    warnings = [w for w in r.report.warnings if "coordonnées refusées" in w]
    assert warnings == ["carte.json : coordonnées refusées pour 3 ligne(s), laissées vides "
                        "(ligne 1 : latitude hors limites (entre -90 et 90) : 147.2)"]
    # only the fixture's nameless element is rejected: the others stay, without a point
    assert [x.column for x in r.report.rejected] == ["name"]

    with open(CGET, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    rows[1][header.index("LONG")] = "-181.5"
    rows[2][header.index("LAT")] = ""
    with open(tmp_path / "CGET_TiersLieux_2019.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    t = read_tierslieux(tmp_path / "CGET_TiersLieux_2019.csv")
    places = by_id(t, "places.csv")
    assert places["place:tl-1"]["lon"] == places["place:tl-2"]["lat"] == ""
    assert point(places["place:tl-3"]) == (2.375, 48.856)
    assert sum("coordonnées refusées pour 2 ligne(s)" in w for w in t.report.warnings) == 1


def test_point_check_helpers():
    assert wgs84_point(" 47.2 ", "-1,5") == (47.2, -1.5) and wgs84_point(None, "") is None
    for lat, lon in ((91, 0), (0, 180.5), ("nan", 1), ("inf", 1), (47.2, ""), (0, 0)):
        with pytest.raises(ValueError):
            wgs84_point(lat, lon)
    check, row = PointCheck(), {"lat": "", "lon": ""}
    assert check.put(row, "", "", 2) and row == {"lat": "", "lon": ""} and check.warning("f") is None


# --- merging and the store -------------------------------------------------------------------

def test_identity_merge_carries_the_point():
    sirene = {"id": "structure:siren-812345678", "name": "ASSOCIATION LA RESSOURCERIE DU PORT",
              "siren": "812345678", "lat": "47.2063", "lon": "-1.571", "sources": "source:sirene"}
    gogo = {"id": "structure:gogo-aB3x", "name": "La Ressourcerie du Port", "siren": "812345678",
            "lat": "47.2", "lon": "-1.5", "website": "https://ressourcerie-du-port.example",
            "sources": "source:gogocarto"}
    merged = merge_records(gogo, sirene)
    assert (merged["lat"], merged["lon"]) == ("47.2063", "-1.571")  # the stronger register's point
    origins = json.loads(merged["origins"])
    assert origins["lat"] == origins["lon"] == "source:sirene"
    merged = merge_records({**sirene, "lat": "", "lon": ""}, gogo)
    assert (merged["lat"], merged["lon"]) == ("47.2", "-1.5")  # the other fills what is missing
    assert json.loads(merged["origins"])["lat"] == "source:gogocarto"


def nodes_of(store, ids):
    df = store.run("MATCH (n) WHERE n.id IN $ids RETURN n.id AS id, n.lat AS lat, n.lon AS lon", {"ids": ids})
    from graph.reading import frame_records

    return {r["id"]: (r["lon"], r["lat"]) for r in frame_records(df)}


def app_graph(store):
    from app.components.data import read_graph

    return read_graph(store)


def test_points_land_on_the_nodes_through_the_store(territory_store, tmp_path):
    data = json.loads(GOGO.read_text(encoding="utf-8"))
    data["data"][4]["geo"] = {"latitude": 248.857, "longitude": 2.379}  # refused: not stored
    carte = tmp_path / "carte.json"
    carte.write_text(json.dumps(data), encoding="utf-8")
    outcome = import_path(territory_store, carte, "gogocarto")
    assert outcome.bundle.rejected == []
    import_path(territory_store, CGET, "tierslieux")
    got = nodes_of(territory_store, ["structure:gogo-aB3x", "place:gogo-cD4y", "structure:gogo-iJ7v",
                                     "place:tl-1"])
    assert got["structure:gogo-aB3x"] == (-1.571, 47.2063)
    assert got["place:gogo-cD4y"] == (-1.549, 47.179)
    assert got["place:tl-1"] == (-1.5705, 47.2065)
    assert got["structure:gogo-iJ7v"] == (None, None)

    G = app_graph(territory_store)
    assert position_of(G, "structure:gogo-aB3x") == (-1.571, 47.2063, True)  # its own point
    paris = territory_index().get("commune:75056")
    lon, lat, exact = position_of(G, "structure:gogo-iJ7v")                # no point: its seat's centroid
    assert exact and math.isclose(lon, paris["lon"]) and math.isclose(lat, paris["lat"])


def test_a_register_point_reaches_the_merged_node(territory_store):
    import_path(territory_store, FIX / "rna", "rna")
    assert nodes_of(territory_store, ["structure:rna-W442004567"])["structure:rna-W442004567"] == (None, None)
    import_path(territory_store, SIRENE, "sirene")
    lon, lat = nodes_of(territory_store, ["structure:rna-W442004567"])["structure:rna-W442004567"]
    assert math.isclose(lon, -1.571, abs_tol=1e-6) and math.isclose(lat, 47.2063, abs_tol=1e-6)
    # loading again changes nothing
    import_path(territory_store, SIRENE, "sirene")
    assert nodes_of(territory_store, ["structure:rna-W442004567"])["structure:rna-W442004567"] == (lon, lat)


def test_bundle_columns_load_and_the_app_checks_the_range(territory_store, tmp_path):
    (tmp_path / "structures.csv").write_text(
        "id,name,lat,lon\n"
        "structure:a,A,47.2063,-1.571\n"
        "structure:b,B,,\n"
        "structure:c,C,147.2,-1.571\n"
        "structure:d,D,abc,-1.5\n", encoding="utf-8")
    (tmp_path / "places.csv").write_text("id,name,kind,lat,lon\nplace:p,P,tiers_lieu,47.179,-1.549\n",
                                         encoding="utf-8")
    (tmp_path / "relations.csv").write_text(
        "source_id,type,target_id\nstructure:b,LOCATED_IN,commune:49007\nstructure:c,LOCATED_IN,commune:49007\n",
        encoding="utf-8")
    report = load_path(territory_store, tmp_path)
    assert [(x.row, x.column) for x in report.rejected] == [(5, "lat")]  # not a number
    G = app_graph(territory_store)
    angers = territory_index().get("commune:49007")
    assert position_of(G, "structure:a") == (-1.571, 47.2063, True)
    assert position_of(G, "place:p") == (-1.549, 47.179, True)
    for n in ("structure:b", "structure:c"):  # no point, or one out of range: the seat's centroid
        lon, lat, exact = position_of(G, n)
        assert exact and math.isclose(lat, angers["lat"]) and math.isclose(lon, angers["lon"])

"""GoGoCarto / Transiscope exports (JSON ``data`` array and flat CSV)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.bundle import validate
from loaders.opendata import read_gogocarto

FIX = Path(__file__).parent / "fixtures" / "opendata" / "gogocarto"
JSON = FIX / "transiscope-elements.json"
COMMUNES = {("Nantes", "44"): "44109", ("Rezé", "44"): "44143", ("Saint-Nazaire", "44"): "44184",
            ("Paris", "75"): "75056", ("Angers", "49"): "49007"}


def resolver(name, postal_code):
    return COMMUNES.get((name, postal_code[:2]))


def test_json_counts_and_kinds():
    r = read_gogocarto(JSON, commune_resolver=resolver)
    # 6 elements: 3 structures, 1 place, 1 without a name, 1 deleted (status -4)
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (6, 4, 1, 1)
    r.check_counts()
    assert r.report.rejected[0].row == 4 and r.report.rejected[0].column == "name"
    s = {x["id"]: x for x in r.tables["structures.csv"]}
    p = {x["id"]: x for x in r.tables["places.csv"]}
    assert set(s) == {"structure:gogo-aB3x", "structure:gogo-eF5z", "structure:gogo-iJ7v"}
    assert p["place:gogo-cD4y"]["kind"] == "tiers_lieu" and p["place:gogo-cD4y"]["name"] == "La Fabrique Commune"
    ress = s["structure:gogo-aB3x"]
    assert ress["name"] == "La Ressourcerie du Port" and ress["website"] == "https://ressourcerie-du-port.example"
    assert ress["sources"] == "source:gogocarto-transiscope-elements"
    assert s["structure:gogo-eF5z"]["siren"] == "901234567"  # from a SIRET custom field
    assert s["structure:gogo-eF5z"]["functions"] == "accompagnement"


def test_json_territories_and_sectors():
    r = read_gogocarto(JSON, commune_resolver=resolver)
    rel = {(x["source_id"], x["type"], x["target_id"]) for x in r.tables["relations.csv"]}
    assert ("structure:gogo-aB3x", "LOCATED_IN", "commune:44109") in rel
    assert ("place:gogo-cD4y", "LOCATED_IN", "commune:44143") in rel
    assert ("structure:gogo-iJ7v", "LOCATED_IN", "commune:75056") in rel
    sectors = {(a, b) for a, t, b in rel if t == "ACTIVE_IN"}
    assert ("structure:gogo-aB3x", "sector:environnement") in sectors
    assert ("structure:gogo-aB3x", "sector:insertion") not in sectors  # "réemploi" is not "emploi"
    assert ("structure:gogo-eF5z", "sector:agriculture-alimentation") in sectors
    assert not any(a.startswith("place:") for a, _ in sectors)


def test_personal_fields_dropped():
    r = read_gogocarto(JSON, commune_resolver=resolver)
    assert {c.split(":", 1)[1] for c in r.report.dropped_columns} == {"email", "telephone"}
    assert "02 40 00 00 00" not in repr(r.tables) and "contact@" not in repr(r.tables)


def test_filters():
    r = read_gogocarto(JSON, commune_resolver=resolver, departement="44")
    assert (r.report.loaded, r.filtered) == (3, 2)
    r.check_counts()
    assert read_gogocarto(JSON, commune_resolver=resolver, commune="75111").report.loaded == 1
    # without a resolver the postal code still decides the département
    r = read_gogocarto(JSON, commune_resolver=lambda n, p: None, departement="75")
    assert r.report.loaded == 1 and "LOCATED_IN" not in {x["type"] for x in r.tables["relations.csv"]}
    assert read_gogocarto(JSON, commune_resolver=resolver, active_only=False).report.loaded == 5


def test_csv_export_and_folder():
    r = read_gogocarto(FIX / "carte-ess-export.csv", commune_resolver=resolver)
    assert (r.report.read, r.report.loaded) == (2, 2)
    s = {x["id"]: x for x in r.tables["structures.csv"]}
    assert s["structure:gogo-m1"]["website"] == "https://atelier-velo.example"
    assert s["structure:gogo-m1"]["_ref"] == "carte-ess-export.csv:2"
    both = read_gogocarto(FIX, commune_resolver=resolver)
    assert both.report.loaded == 6
    assert {x["id"] for x in both.tables["sources.csv"]} == {
        "source:gogocarto-transiscope-elements", "source:gogocarto-carte-ess-export"}


def test_bare_list_and_bad_json(tmp_path):
    p = tmp_path / "elements.json"
    p.write_text(json.dumps([{"id": 1, "title": "Jardin partagé", "lat": 47.2, "lng": -1.5,
                              "taxonomy": ["Alimentation"]}]))
    r = read_gogocarto(p, commune_resolver=resolver)
    assert r.tables["structures.csv"][0]["id"] == "structure:gogo-1"
    p.write_text("{not json")
    with pytest.raises(InputError, match="JSON illisible"):
        read_gogocarto(p)


def test_default_resolver_uses_the_reference():
    r = read_gogocarto(JSON)
    rel = {(x["source_id"], x["target_id"]) for x in r.tables["relations.csv"] if x["type"] == "LOCATED_IN"}
    assert ("structure:gogo-aB3x", "commune:44109") in rel and ("structure:gogo-iJ7v", "commune:75056") in rel


def test_rows_validate_as_a_bundle():
    r = read_gogocarto(FIX, commune_resolver=resolver)
    _, report = validate(r.to_tables())
    assert report.rejected == []

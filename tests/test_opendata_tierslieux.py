"""Tiers-lieux lists: CGET 2019 (comma) and France Tiers-Lieux 2023 identity file (``;``, BOM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.bundle import validate
from loaders.opendata import read_tierslieux
from loaders.opendata.tierslieux import place_kind, porteur_legal_form

FIX = Path(__file__).parent / "fixtures" / "opendata" / "tierslieux"
CGET = FIX / "CGET_TiersLieux_2019.csv"
FTL = FIX / "bdftl-2023-01-fiche-identite.csv"


def test_cget_2019():
    r = read_tierslieux(CGET)
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (3, 3, 0, 0)
    places = {p["id"]: p for p in r.tables["places.csv"]}
    assert places["place:tl-1"]["kind"] == "coworking" and places["place:tl-2"]["kind"] == "fablab"
    assert places["place:tl-3"]["kind"] == "tiers_lieu"
    assert places["place:tl-1"]["website"] == "https://www.cantine-du-port.example"
    assert places["place:tl-1"]["sources"] == "source:tierslieux-cget2019"
    located = {(x["source_id"], x["target_id"]) for x in r.tables["relations.csv"]}
    assert ("place:tl-3", "commune:75056") in located and ("place:tl-1", "commune:44109") in located
    assert {c.split(":", 1)[1] for c in r.report.dropped_columns} == {"CONTACT", "MAIL"}
    assert "Alex Exemple" not in repr(r.tables) and "alex@" not in repr(r.tables)


def test_ftl_2023_places_and_supporting_structures():
    r = read_tierslieux(FTL, commune_resolver=lambda name, pc: {"Ancenis-Saint-Géréon": "44003"}.get(name))
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (4, 3, 1, 0)
    r.check_counts()
    assert r.report.rejected[0].column == "NOM" and r.report.rejected[0].row == 4
    s = {x["id"]: x for x in r.tables["structures.csv"]}
    assert s["structure:porteur-fabrique-commune-44143"]["legal_form"] == "association"
    assert s["structure:porteur-hangar-49007"]["legal_form"] == "scic"
    uses = {(x["source_id"], x["target_id"], x["kind"]) for x in r.tables["relations.csv"] if x["type"] == "USES"}
    assert uses == {("structure:porteur-fabrique-commune-44143", "place:ftl-1024", "resident"),
                    ("structure:porteur-hangar-49007", "place:ftl-2048", "resident")}
    located = {(x["source_id"], x["target_id"]) for x in r.tables["relations.csv"] if x["type"] == "LOCATED_IN"}
    assert ("place:ftl-8192", "commune:44003") in located  # no Insee: resolved from VILLE + CODPOST
    assert not any(a.startswith("structure:") for a, _ in located)


def test_folder_filters_and_sources():
    r = read_tierslieux(FIX, departement="44")
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (7, 3, 1, 3)
    r.check_counts()
    assert {x["id"] for x in r.tables["sources.csv"]} == {"source:tierslieux-cget2019", "source:tierslieux-ftl2023"}
    ftl = [p for p in r.tables["places.csv"] if p["id"].startswith("place:ftl-")]
    assert all(p["sources"] == "source:tierslieux-ftl2023" for p in ftl)


def test_helpers_and_errors(tmp_path):
    assert place_kind("Tiers lieux à dominante coworking") == "coworking"
    assert porteur_legal_form("Communauté de communes du Pays d'Ancenis") == "collectivite"
    assert porteur_legal_form("Les Amis du Lieu") == ""
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="CGET 2019"):
        read_tierslieux(p)


def test_rows_validate_as_a_bundle():
    r = read_tierslieux(FIX)
    _, report = validate(r.to_tables())
    assert report.rejected == []

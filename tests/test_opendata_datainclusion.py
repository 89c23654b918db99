"""data·inclusion structures: typologie, thématiques, labels, personal columns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from loaders.bundle import validate
from loaders.opendata import read_datainclusion
from loaders.opendata.datainclusion import split_list, support_from_thematiques

FIX = Path(__file__).parent / "fixtures" / "opendata" / "datainclusion" / "structures.di.csv"


def resolver(name, postal_code):
    return {"Nantes": "44109"}.get(name)


def structures(r):
    return {x["name"]: x for x in r.tables["structures.csv"]}


def test_counts_and_properties():
    r = read_datainclusion(FIX, commune_resolver=resolver)
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (5, 4, 1, 0)
    r.check_counts()
    s = structures(r)
    ress = s["La Ressourcerie du Port"]
    assert ress["id"] == "structure:di-dora-4f1c2a8e-0b7d-4a55-9e0b-3c1d2e4f5a61"
    assert (ress["legal_form"], ress["siren"], ress["rna"]) == ("association", "812345678", "W442004567")
    bge = s["Boutique de Gestion Atlantique"]
    assert bge["functions"] == "accompagnement|financement|formation"
    assert bge["stages"] == "emergence|creation|developpement"
    assert bge["website"] == "https://bge-atlantique.example"
    assert s["CCAS de Rezé"]["legal_form"] == "collectivite" and s["CCAS de Rezé"]["functions"] == "information"
    assert s["CCAS de Rezé"]["description"].startswith("Le centre communal")
    assert s["Chantier d'insertion Les Jardins de Loire"]["legal_form"] == ""  # an ACI may be anything


def test_relations():
    r = read_datainclusion(FIX, commune_resolver=resolver)
    rel = {(x["source_id"].split("-")[1], x["type"], x["target_id"]) for x in r.tables["relations.csv"]}
    bge = "structure:di-dora-7a9b0c1d-2e3f-4a5b-8c7d-6e5f4a3b2c10"
    located = {(x["source_id"], x["target_id"]) for x in r.tables["relations.csv"] if x["type"] == "LOCATED_IN"}
    assert (bge, "commune:44109") in located  # no code_insee: resolved from commune + code postal
    members = {(x["source_id"], x["target_id"], x["role"]) for x in r.tables["relations.csv"] if x["type"] == "MEMBER_OF"}
    assert (bge, "network:bge", "member") in members and (bge, "network:france-active", "member") in members
    nets = {x["id"]: x for x in r.tables["networks.csv"]}
    assert nets["network:france-active"]["kind"] == "federation" and nets["network:france-active"]["level"] == "national"
    assert ("soliguide", "ACTIVE_IN", "sector:logement-habitat") in rel


def test_personal_columns_dropped():
    r = read_datainclusion(FIX, commune_resolver=resolver)
    assert {c.split(":", 1)[1] for c in r.report.dropped_columns} == {"telephone", "courriel"}
    assert "0240111111" not in repr(r.tables) and "accueil@" not in repr(r.tables)


def test_filters():
    r = read_datainclusion(FIX, commune_resolver=resolver, departement="44")
    assert (r.report.loaded, r.report.rejected_rows, r.filtered) == (3, 1, 1)
    r.check_counts()


def test_json_export(tmp_path):
    with open(FIX, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["thematiques"] = split_list(row["thematiques"])
    p = tmp_path / "structures.json"
    p.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    a = read_datainclusion(p, commune_resolver=resolver)
    b = read_datainclusion(FIX, commune_resolver=resolver)
    assert a.counts() == b.counts()
    strip = [{k: v for k, v in x.items() if k != "_ref"} for x in a.tables["structures.csv"]]
    assert strip == [{k: v for k, v in x.items() if k != "_ref"} for x in b.tables["structures.csv"]]
    assert a.tables["structures.csv"][0]["_ref"] == "structures.json:1"


def test_helpers():
    assert split_list('["a", "b"]') == ["a", "b"]
    assert split_list("a|b, c;d") == ["a", "b", "c", "d"]
    assert split_list(None) == []
    assert support_from_thematiques(["numerique"]) == ([], [])
    assert support_from_thematiques(["creation-activite--reseautage-pour-createurs"]) == (
        ["accompagnement", "reseau"], [])


def test_rows_validate_as_a_bundle():
    r = read_datainclusion(FIX, commune_resolver=resolver)
    _, report = validate(r.to_tables())
    assert report.rejected == []

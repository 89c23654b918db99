"""``maillage load --format …``: open-data registers into the store, matched with what it holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "opendata"


@pytest.fixture
def env(engine, territory_store):
    return {"MAILLAGE_STORE": territory_store.url, "MAILLAGE_HOME": str(engine.home)}


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def cypher(env, statement):
    result = run(env, "cypher", statement, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def structures(env):
    return {r["id"]: r for r in cypher(env, "MATCH (s:Structure) RETURN s.id AS id, s.name AS name, "
                                            "s.sources AS sources, s.origins AS origins, s.siren AS siren "
                                            "ORDER BY id")}


def test_rna_is_detected_loaded_and_counted(env):
    result = run(env, "load", str(FIXTURES / "rna"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "format : rna"
    assert "9 lignes source lues, 6 retenues, 2 rejetées, 1 filtrées (hors ESS, hors territoire ou fermées)" in lines
    assert lines[-1] == "bundle : 21 lignes lues, 21 chargées, 0 rejetées"
    assert "rejeté : rna_waldec_20240601_dpt_44.csv, ligne 7, colonne titre : titre de l'association absent" \
        in result.stderr
    assert "colonnes ignorées (données personnelles)" in result.stderr
    found = structures(env)
    assert len(found) == 6 and all(k.startswith("structure:rna-") for k in found)
    # nothing that reaches a person was stored
    texts = json.dumps(cypher(env, "MATCH (n) WHERE NOT n:Territory RETURN properties(n) AS p ORDER BY n.id"))
    assert "@" not in texts and "telephone" not in texts


def test_a_second_register_completes_the_same_node(env):
    assert run(env, "load", str(FIXTURES / "rna"), "--format", "rna").exit_code == 0
    before = structures(env)
    result = run(env, "load", str(FIXTURES / "sirene"))
    assert result.exit_code == 0, result.output
    assert "12 lignes source lues, 7 retenues, 2 rejetées, 3 filtrées" in result.stdout
    assert "structures en double fusionnées" in result.stderr
    after = structures(env)
    merged = [s for s in after.values() if s["origins"]]
    assert [s["id"] for s in merged] == ["structure:rna-W442004567"]
    [node] = merged
    assert {"source:rna-waldec-import-2024-06-01", "source:sirene-stock-2024-06-01"} <= set(node["sources"])
    assert node["siren"] and json.loads(node["origins"])
    assert len(after) == len(before) + 7 - 1  # the one SIRENE unit the RNA already had is not a new node
    # loading both again changes nothing
    for folder in ("rna", "sirene"):
        assert run(env, "load", str(FIXTURES / folder)).exit_code == 0
    again = structures(env)
    assert again.keys() == after.keys()
    for key, node in after.items():  # the same values; which register a shared value is credited to may change
        assert ({**again[key], "origins": None, "sources": sorted(again[key]["sources"])}
                == {**node, "origins": None, "sources": sorted(node["sources"])})


def test_territorial_filter_and_closed_units(env):
    result = run(env, "load", str(FIXTURES / "rna"), "--departement", "75", "--dry-run")
    assert result.exit_code == 0
    # the broken row (12 cells) cannot be placed, so it is rejected whatever the filter
    assert "9 lignes source lues, 1 retenues, 1 rejetées, 7 filtrées" in result.stdout
    assert structures(env) == {}
    result = run(env, "load", str(FIXTURES / "rna"), "--departement", "75")
    seats = cypher(env, "MATCH (s:Structure)-[:LOCATED_IN]->(c:Territory) RETURN c.code AS code ORDER BY code")
    assert seats == [{"code": "75056"}]  # an arrondissement of Paris is placed in Paris
    result = run(env, "load", str(FIXTURES / "rna"), "--include-closed", "--dry-run")
    assert "9 lignes source lues, 7 retenues, 2 rejetées, 0 filtrées" in result.stdout


def test_strict_writes_nothing_and_bundle_options_are_refused(env, tmp_path):
    result = run(env, "load", str(FIXTURES / "sirene"), "--strict")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: 2 ligne(s) rejetée(s) : rien n'a été écrit (--strict)\n")
    assert structures(env) == {}
    (tmp_path / "relations.csv").write_text("source_id,type,target_id\n")
    result = run(env, "load", str(tmp_path), "--departement", "44")
    assert result.exit_code == 2
    assert "apply to open data, not to a bundle" in result.output


def test_unknown_format_says_what_is_expected(env, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    result = run(env, "load", str(tmp_path))
    assert result.exit_code == 1
    assert "format inconnu (attendu un stock SIRENE, un fichier RNA" in result.stderr

"""``maillage analyse …`` and ``maillage orient`` on the seed knowledge base, through the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main


@pytest.fixture
def seed_env(engine, seed_store):
    return {"MAILLAGE_STORE": seed_store.url, "MAILLAGE_HOME": str(engine.home)}


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def rows(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_clusters_keep_the_two_corpora_apart_and_write_back(seed_env):
    result = run(seed_env, "analyse", "clusters", "--format", "json", "--write")
    clusters = rows(result)
    assert "modularité : 0.6" in result.stderr
    assert sum(c["size"] for c in clusters) + 55 == 113  # 55 structures without a tie (interviewees mostly)
    nantes = next(c for c in clusters if "Les Ecossolies" in c["bridges"])
    assert "Loire-Atlantique" in nantes["territories"]
    assert "Loire-Atlantique" not in next(c for c in clusters if c["size"] == 8)["territories"]
    assert "113 nœud(s) Structure mis à jour" in result.stderr
    written = rows(run(seed_env, "query", "analysis.clusters", "-p", f"cluster={nantes['cluster']}",
                       "--format", "json"))
    assert len(written) == nantes["size"]
    assert {w["cluster"] for w in written} == {nantes["cluster"]} and all(w["cluster_at"] for w in written)


def test_brokers_rank_the_resource_centre_first_and_write_back(seed_env):
    top = rows(run(seed_env, "analyse", "brokers", "--top", "3", "--format", "json", "--write"))
    assert [b["id"] for b in top][:1] == ["structure:ecossolies"]
    assert top[0]["betweenness"] > top[1]["betweenness"] > 0
    written = rows(run(seed_env, "query", "analysis.brokers", "-p", "limit=1", "--format", "json"))
    assert written[0]["id"] == "structure:ecossolies" and written[0]["brokers_at"]
    isolated = rows(run(seed_env, "query", "analysis.isolated", "--format", "json"))
    assert len(isolated) == 55 and "structure:pivoine" in {i["id"] for i in isolated}


def test_coverage_white_zones_and_write_back(seed_env):
    result = run(seed_env, "analyse", "coverage", "--need", "lieu", "--scope", "region:75",
                 "--top", "3", "--format", "json", "--write")
    zones = rows(result)
    assert [z["name"] for z in zones] == ["Bordeaux", "Poitiers", "Pau"]
    assert zones[0]["population"] > 200_000 and zones[0]["nearest_km"] > 100
    assert "territoire(s) couvert(s) sur 4\u202f293" in result.stderr
    written = rows(run(seed_env, "query", "analysis.white_zones", "-p", "need=lieu", "-p", "limit=3",
                       "--format", "json"))
    assert [w["id"] for w in written] == [z["id"] for z in zones]
    density = rows(run(seed_env, "analyse", "coverage", "--need", "accompagnement", "--level", "departement",
                       "--view", "density", "--format", "json"))
    assert density[-1]["density"] == "all" and density[-1]["territories"] == 101


def test_coverage_names_an_unknown_scope(seed_env):
    result = run(seed_env, "analyse", "coverage", "--need", "lieu", "--scope", "departement:999")
    assert result.exit_code == 1
    assert result.stderr.endswith("Error: --scope departement:999 : absent du graphe\n")


def test_orient_by_commune_name(seed_env):
    result = run(seed_env, "orient", "Nantes", "--need", "financement", "--stage", "creation", "--format", "json")
    providers = rows(result)
    assert [p["id"] for p in providers] == ["funder:nantes-initiatives", "funder:nantes-metropole"]
    assert providers[0]["level"] == "commune" and "Nantes" in providers[0]["reason"]
    assert "initiative : Comité d'agrément de Nantes Initiatives" in result.stderr
    assert rows(run(seed_env, "orient", "44109", "--need", "financement", "--stage", "creation",
                    "--format", "json")) == providers


def test_orient_says_which_commune_it_took(seed_env):
    result = run(seed_env, "orient", "Saint-Denis", "--need", "accompagnement")
    assert result.exit_code == 0
    assert "communes s'appellent ainsi ; retenue : Saint-Denis" in result.stderr
    result = run(seed_env, "orient", "Nullepart-sur-Rien", "--need", "accompagnement")
    assert result.exit_code == 1
    assert "commune introuvable : 'Nullepart-sur-Rien'" in result.stderr


def test_partners_with_reasons_and_unknown_structure(seed_env):
    found = rows(run(seed_env, "analyse", "partners", "structure:ecossolies", "--top", "3", "--format", "json"))
    # the resource centre already cooperates with almost everyone: two candidates are left
    assert [f["id"] for f in found] == ["funder:departement-loire-atlantique", "funder:region-pays-de-la-loire"]
    assert found[0]["score"] > found[1]["score"]
    assert "même département (Loire-Atlantique)" in found[0]["reasons"]
    result = run(seed_env, "analyse", "partners", "structure:nobody")
    assert result.exit_code == 1 and "pas une structure du graphe" in result.stderr

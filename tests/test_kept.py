"""Kept analyses (graph.kept, app.refresh, maillage analyse refresh|kept) against the real engine:
computed once per graph version, equal to a fresh computation, read back after the base changed
(and then said to be out of date), kept without changing the graph's version."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from app import refresh
from app.cli import main
from graph import kept
from graph.convert import typed_graph


@pytest.fixture
def seed_env(engine, seed_store):
    return {"MAILLAGE_STORE": seed_store.url, "MAILLAGE_HOME": str(engine.home)}


def run(env, *args):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_refresh_keeps_what_a_fresh_computation_gives_without_changing_the_version(seed_store):
    before = seed_store.version()
    steps = []
    assert refresh.run(seed_store, say=steps.append) == before["version"]
    assert steps == ["[1/4] comptages", "[2/4] lecture du graphe", "[3/4] groupes et passeurs",
                     "[4/4] couverture nationale"]
    assert seed_store.version() == before  # keeping a result is not a change of the graph
    G = typed_graph(seed_store)
    fresh = kept.cooperation_result(G)
    version, result = kept.kept_result(seed_store, kept.COOPERATION)
    assert version == before["version"]
    assert result["clustering"].membership == fresh["clustering"].membership
    assert list(result["scores"]) == list(fresh["scores"]) and result["scores"] == fresh["scores"]
    info = kept.kept(seed_store, kept.COOPERATION)
    assert info.current and info.version == before["version"] and info.computed_at
    assert info.summary == json.loads(json.dumps(kept.cooperation_summary(fresh), default=str))
    assert info.summary["brokers"][0]["id"] == "structure:ecossolies" and info.summary["isolated"] == 55
    cov = kept.kept(seed_store, kept.COVERAGE).summary
    assert set(cov) == set(kept.coverage_result(G))
    from graph import analysis

    rows = analysis.coverage(G, level="commune", scope=None, need="financement")
    assert cov["financement"]["covered"] == sum(1 for r in rows if r["covered"])
    assert cov["financement"]["white_zones"][0]["id"] == analysis.white_zones(rows, top=1)[0]["id"]
    # no count, export or typed graph sees the KeptAnalysis nodes
    assert "KeptAnalysis" not in set(seed_store.query("stats.labels")["label"])
    assert typed_graph(seed_store).number_of_nodes() == G.number_of_nodes()


def test_after_a_write_the_kept_result_is_still_read_and_said_out_of_date(seed_store):
    refresh.run(seed_store)
    old = seed_store.version()["version"]
    seed_store.run("MATCH (s:Structure {id: 'structure:pivoine'}) SET s.name = 'Pivoine (renommée)'", write=True)
    info = kept.kept(seed_store, kept.COOPERATION)
    assert info.version == old and not info.current and info.graph_version != old
    assert kept.kept_result(seed_store, kept.COOPERATION)[0] == old
    refresh.run(seed_store)
    assert kept.kept(seed_store, kept.COOPERATION).current


def test_the_cli_reads_the_kept_result_and_computes_only_when_it_is_out_of_date(seed_env, seed_store):
    first = run(seed_env, "analyse", "clusters", "--format", "json")
    assert "résultat gardé" not in first.stderr  # nothing kept yet: computed, then kept
    assert kept.kept(seed_store, kept.COOPERATION).current
    again = run(seed_env, "analyse", "clusters", "--format", "json")
    assert "résultat gardé" in again.stderr and json.loads(again.stdout) == json.loads(first.stdout)
    brokers = run(seed_env, "analyse", "brokers", "--top", "3", "--format", "json")
    assert "résultat gardé" in brokers.stderr
    assert json.loads(brokers.stdout)[0]["id"] == "structure:ecossolies"
    # --write changes the graph (the scores on the nodes), and carries the result over to the new version
    run(seed_env, "analyse", "brokers", "--top", "1", "--write")
    assert kept.kept(seed_store, kept.COOPERATION).current
    seed_store.run("CREATE (:Structure {id: 'structure:nouvelle', name: 'Nouvelle'})", write=True)
    later = run(seed_env, "analyse", "clusters", "--format", "json")
    assert "résultat gardé" not in later.stderr
    listing = run(seed_env, "analyse", "kept", "--format", "json")
    shown = {r["analysis"]: r for r in json.loads(listing.stdout)}
    assert shown["cooperation"]["current"] is True and shown["coverage"]["version"] is None


def test_a_load_starts_the_refresh_in_the_background(seed_env, seed_store, monkeypatch, tmp_path):
    from loaders.load import seed_bundles

    monkeypatch.setenv("MAILLAGE_ANALYSE_AFTER_WRITE", "on")
    bundle = next(iter(seed_bundles()))
    out = CliRunner().invoke(main, ["load", str(bundle)], env={**seed_env, "MAILLAGE_ANALYSE_AFTER_WRITE": "on"},
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "calcul lancé en arrière-plan" in out.stderr
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        st = refresh.status(seed_store)
        if st and st["state"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert st["state"] == "done", st
    assert st["version"] == seed_store.version()["version"]
    assert kept.kept(seed_store, kept.COOPERATION).current and kept.kept(seed_store, kept.COVERAGE).current


def test_one_job_at_a_time(seed_store):
    import fcntl

    seed_store_lock = refresh._file(seed_store, "lock")
    seed_store_lock.parent.mkdir(parents=True, exist_ok=True)
    with open(seed_store_lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert refresh.run(seed_store) is None
    assert refresh.run(seed_store) == seed_store.version()["version"]


def test_national_white_zones_come_from_the_kept_coverage_and_equal_the_live_answer(seed_env, seed_store):
    live = run(seed_env, "analyse", "coverage", "--need", "financement", "--top", "15", "--format", "json")
    assert "résultat gardé" not in live.stderr
    refresh.run(seed_store)
    from_kept = run(seed_env, "analyse", "coverage", "--need", "financement", "--top", "15", "--format", "json")
    assert "résultat gardé" in from_kept.stderr
    assert json.loads(from_kept.stdout) == json.loads(live.stdout)
    assert from_kept.stderr.splitlines()[-1] == live.stderr.splitlines()[-1]  # the same counts


def test_the_kept_overview_holds_the_counts_the_store_gives(seed_store):
    refresh.run(seed_store)
    for name, params in kept.OVERVIEW_QUERIES:
        from graph.reading import frame_records

        assert kept.overview_rows(seed_store, name, params) == frame_records(seed_store.query(name, **params)), name
    assert kept.overview_rows(seed_store, "app.top_networks", {"limit": 3}) is None  # not kept: asked live
    seed_store.run("CREATE (:Structure {id: 'structure:une-de-plus', name: 'Une de plus'})", write=True)
    assert kept.overview_rows(seed_store, "stats.labels", {}) is None  # out of date: never shown as current

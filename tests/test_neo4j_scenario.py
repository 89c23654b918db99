"""The whole product on Neo4j: one scenario of CLI commands on both engines, compared.

The same commands run against a fresh graph of the embedded engine and against the
Neo4j server of ``MAILLAGE_TEST_NEO4J_URI`` (a real Neo4j, or CI's stand-in: see
tests/bolt_server.py): the demo and its re-run, a load of every open-data format and
a re-load, statistics, library queries, every analysis with ``--write``, orient,
dedupe, merge and its undo, the exports. Each step must succeed on both and print the
same thing, up to what may differ between engines: analysis timestamps, the order in
which a node's labels come back, and the last digits of a float. Then every app page
opens on the Neo4j base and shows what it shows on the embedded one.

Opt-in like tests/test_neo4j.py: the scenario clears the Neo4j database.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main

URI = os.environ.get("MAILLAGE_TEST_NEO4J_URI")
pytestmark = [
    pytest.mark.neo4j, pytest.mark.slow,
    pytest.mark.skipif(not URI, reason="MAILLAGE_TEST_NEO4J_URI is not set: no Neo4j server to test against"),
]

F = Path(__file__).parent / "fixtures" / "opendata"

#: (step, arguments): the scenario, in order; OUT is replaced by the run's own folder
SCENARIO = [
    ("demo", ["demo", "--no-app"]),
    ("demo again (idempotent)", ["demo", "--no-app"]),
    ("stats", ["stats"]),
    ("load sirene", ["load", str(F / "sirene"), "--format", "sirene", "--departement", "44"]),
    ("load rna", ["load", str(F / "rna"), "--format", "rna"]),
    ("load gogocarto csv", ["load", str(F / "gogocarto" / "carte-ess-export.csv")]),
    ("load gogocarto json", ["load", str(F / "gogocarto" / "transiscope-elements.json")]),
    ("load data·inclusion", ["load", str(F / "datainclusion" / "structures.di.csv")]),
    ("load tiers-lieux 2023", ["load", str(F / "tierslieux" / "bdftl-2023-01-fiche-identite.csv")]),
    ("load tiers-lieux 2019", ["load", str(F / "tierslieux" / "CGET_TiersLieux_2019.csv")]),
    ("stats after the loads", ["stats"]),
    ("re-load rna", ["load", str(F / "rna"), "--format", "rna"]),
    ("re-load gogocarto", ["load", str(F / "gogocarto" / "carte-ess-export.csv")]),
    ("stats after the re-loads (no duplicates)", ["stats"]),
    ("find", ["query", "explore.find", "-p", "text=ecossolies", "--format", "json"]),
    ("node", ["query", "explore.node", "-p", "id=structure:ecossolies", "--format", "json"]),
    ("neighbourhood", ["query", "explore.neighbourhood", "-p", "id=structure:ecossolies", "--format", "json"]),
    ("neighbourhood counts", ["query", "explore.neighbourhood_counts", "-p", "id=structure:ecossolies"]),
    ("in territory", ["query", "explore.in_territory", "-p", "territory=departement:44"]),
    ("members", ["query", "explore.members", "-p", "network=network:cress-pays-de-la-loire"]),
    ("top networks", ["query", "app.top_networks"]),
    ("counts by territory", ["query", "app.counts_by_territory"]),
    ("sources", ["query", "app.sources"]),
    ("without territory", ["query", "app.without_territory"]),
    ("cypher", ["cypher", "MATCH (s:Structure)-[:MEMBER_OF]->(n:Network) RETURN n.id AS network, "
                "count(s) AS members ORDER BY members DESC, network", "--format", "csv"]),
    ("clusters --write", ["analyse", "clusters", "--write"]),
    ("brokers --write", ["analyse", "brokers", "--write"]),
    ("coverage --write", ["analyse", "coverage", "--need", "accompagnement", "--write"]),
    ("coverage by département", ["analyse", "coverage", "--need", "financement", "--view", "territories",
                                 "--level", "departement"]),
    ("coverage density", ["analyse", "coverage", "--need", "accompagnement", "--view", "density"]),
    ("coverage chain", ["analyse", "coverage", "--need", "accompagnement", "--view", "chain",
                        "--scope", "departement:44"]),
    ("coverage overlaps", ["analyse", "coverage", "--need", "accompagnement", "--view", "overlaps"]),
    ("partners", ["analyse", "partners", "structure:ecossolies"]),
    ("kept clusters", ["query", "analysis.clusters", "-p", "cluster=0"]),
    ("kept brokers", ["query", "analysis.brokers"]),
    ("kept isolated", ["query", "analysis.isolated"]),
    ("kept white zones", ["query", "analysis.white_zones", "-p", "need=accompagnement"]),
    ("kept coverage", ["query", "analysis.coverage_in", "-p", "need=accompagnement", "-p", "scope=departement:44"]),
    ("orient by name", ["orient", "Nantes", "--need", "accompagnement"]),
    ("orient by code", ["orient", "33063", "--need", "financement", "--stage", "creation"]),
    ("dedupe --review", ["dedupe", "--review"]),
    ("dedupe --apply", ["dedupe", "--apply"]),
    ("merge --dry-run", ["merge", "structure:ecossolies", "structure:adi", "--dry-run"]),
    ("merge", ["merge", "structure:ecossolies", "structure:adi"]),
    ("merged node is gone", ["query", "explore.node", "-p", "id=structure:adi"]),
    ("merge --undo", ["merge", "--undo", "structure:adi"]),
    ("undone node is back", ["query", "explore.node", "-p", "id=structure:adi", "--format", "json"]),
    ("export bundle", ["export", "OUT/bundle", "--format", "bundle"]),
    ("export graphml", ["export", "OUT/graph.graphml", "--format", "graphml"]),
    ("export gexf", ["export", "OUT/graph.gexf", "--format", "gexf"]),
    ("export kumu", ["export", "OUT/graph.kumu.json", "--format", "kumu"]),
    ("stats at the end", ["stats"]),
]
EXPORTS = ["bundle", "graph.graphml", "graph.gexf", "graph.kumu.json"]

_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")
_FLOAT = re.compile(r"\d+\.\d{6,}")
_LABELS = re.compile(r"\b(?:Structure|Network|Funder|SharedPlace|Initiative|Event)"
                     r"(?:(?:, |\|)(?:Structure|Network|Funder|SharedPlace|Initiative|Event))+\b")
_LABEL_LIST = re.compile(r'\[(\s*"(?:Structure|Network|Funder|SharedPlace|Initiative|Event)"'
                         r'(?:,\s*"(?:Structure|Network|Funder|SharedPlace|Initiative|Event)")+\s*)\]')


def comparable(text: str, out: Path) -> str:
    """``text`` without what may differ between two engines holding the same graph."""
    text = text.replace(str(out), "OUT")
    text = _STAMP.sub("<time>", text)
    text = _FLOAT.sub(lambda m: f"{float(m.group()):.5g}", text)
    text = _LABELS.sub(lambda m: "+".join(sorted(re.split(r", |\|", m.group()))), text)
    return _LABEL_LIST.sub(lambda m: json.dumps(sorted(json.loads(f"[{m.group(1)}]"))), text)


def run_scenario(url: str, out: Path, env: dict) -> list[tuple[str, int, str]]:
    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    done = []
    for step, args in SCENARIO:
        args = [a.replace("OUT", str(out)) for a in args]
        result = runner.invoke(main, ["--store", url, *args], env=env, catch_exceptions=False)
        done.append((step, result.exit_code, comparable(result.output, out)))
    for name in EXPORTS:
        path = out / name
        for f in sorted(path.iterdir()) if path.is_dir() else [path]:
            done.append((f"file {f.relative_to(out)}", 0, comparable(f.read_text(encoding="utf-8"), out)))
    return done


@pytest.fixture(scope="module")
def both(engine, tmp_path_factory):
    from graph.store import open_store

    neo = open_store(URI)
    neo.clear()
    neo.close()
    tmp = tmp_path_factory.mktemp("scenario")
    embedded_url = f"embedded://{engine.home}?graph=scenario_embedded"
    env = {"MAILLAGE_HOME": str(engine.home)}
    embedded = run_scenario(embedded_url, tmp / "embedded", env)
    neo4j = run_scenario(URI, tmp / "neo4j", env)
    yield embedded, neo4j
    open_store(embedded_url).clear()


def test_every_step_succeeds_on_neo4j(both):
    _, neo4j = both
    failed = [(step, code, text[-500:]) for step, code, text in neo4j if code != 0]
    assert failed == []


def test_neo4j_prints_what_the_embedded_engine_prints(both):
    embedded, neo4j = both
    assert [s for s, _, _ in neo4j] == [s for s, _, _ in embedded]
    differ = [(step, "\n".join(difflib.unified_diff(e[2].splitlines(), text.splitlines(), "embedded", "neo4j",
                                                    lineterm="", n=1)))
              for e, (step, code, text) in zip(embedded, neo4j) if (code, text) != e[1:]]
    assert differ == []


def test_the_scenario_changed_the_graph_as_expected(both):
    """Not only equal: right. The loads added structures, the re-loads nothing, the undo restored."""
    _, neo4j = both
    out = {step: text for step, _, text in neo4j}

    def count(step, name):
        found = re.search(rf"^node\s+{name}\s+(\d+)$", out[step], re.M)
        return int(found.group(1)) if found else 0

    assert count("stats after the loads", "Structure") > count("stats", "Structure") > 0
    assert out["stats after the re-loads (no duplicates)"] == out["stats after the loads"]
    assert "Aquitaine Développement Innovation" in out["undone node is back"]
    assert "(aucune ligne)" in out["merged node is gone"] or "Aquitaine" not in out["merged node is gone"]
    assert "Les Ecossolies" in out["orient by name"] or "ecossolies" in out["orient by name"]


PAGES = [(None, {}), ("structure", {"id": "structure:ecossolies"}), ("network", {}), ("territories", {}),
         ("orientation", {}), ("queries", {}), ("data", {})]


@pytest.mark.parametrize("page,query", PAGES, ids=[p or "home" for p, _ in PAGES])
def test_every_app_page_shows_on_neo4j_what_it_shows_embedded(both, engine, page, query, monkeypatch, tmp_path):
    from test_app_pages import all_text, open_page

    monkeypatch.delenv("MAILLAGE_ALLOW_IMPORT", raising=False)
    shown = {}
    for name, url in (("embedded", f"embedded://{engine.home}?graph=scenario_embedded"), ("neo4j", URI)):
        monkeypatch.setenv("MAILLAGE_STORE", url)
        at = open_page(page, **query)  # fails on any exception the page raises
        text = re.sub(r"Base : \S+", "Base : <store>", comparable(all_text(at), tmp_path))
        # when the kept analyses were computed differs from one store to the other
        shown[name] = re.sub(r"calculés sur toute la base le [^(]*\(en [^)]*\)", "calculés le <date>", text)
    assert shown["neo4j"].strip()
    assert shown["neo4j"] == shown["embedded"]
    if page == "structure":
        assert "Les Ecossolies" in shown["neo4j"]

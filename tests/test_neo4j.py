"""Neo4j 5 backend: the same contract as the embedded engine, on a real server.

Opt-in: set ``MAILLAGE_TEST_NEO4J_URI`` (and ``NEO4J_USER``/``NEO4J_PASSWORD``)
to a *disposable* database — the tests clear it. Skipped otherwise.
"""

from __future__ import annotations

import os

import pytest

URI = os.environ.get("MAILLAGE_TEST_NEO4J_URI")
pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not URI, reason="MAILLAGE_TEST_NEO4J_URI is not set: no Neo4j server to test against"),
]


@pytest.fixture
def neo(tmp_path):
    from graph.store import open_store

    s = open_store(URI)
    s.clear()
    s.ensure_schema()
    yield s
    s.clear()
    s.close()


@pytest.mark.parametrize("statement", [
    "CREATE (n:X) RETURN n", "MERGE (n:X {id: 1}) RETURN n", "MATCH (n) SET n.x = 1",
    "MATCH (n) DETACH DELETE n", "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.id)",
    "LOAD CSV FROM 'file:///x.csv' AS row CREATE (:X)",
])
def test_reads_refuse_writes(neo, statement):
    from graph.errors import ReadOnlyViolation, QueryError

    with pytest.raises((ReadOnlyViolation, QueryError)):
        neo.run(statement)
    assert neo.run("MATCH (n:X) RETURN count(n) AS n").iloc[0, 0] == 0


def test_every_read_query_runs(neo):
    import json

    from graph import model
    from queries import library

    from loaders.load import ensure_territories

    ensure_territories(neo)
    for q in library().all():
        if q.writes or q.backend == "falkordb":
            continue
        bound = q.bind(json.loads(q.extra.get("example", "{}")))
        text = q.render(LABEL=(model.label_for_id(bound.get("id") or bound["ids"][0])
                               if "id" in bound or "ids" in bound else model.STRUCTURE)) if q.template else q.text
        df = neo.run(text, bound, columns=q.returns)  # ArcadeDB names no column of an empty result
        assert list(df.columns) == list(q.returns), q.name


def test_bundle_round_trip_from_embedded(seed_store, neo, tmp_path):
    from graph.bundle_export import export_bundle
    from loaders.load import load_path

    export_bundle(seed_store, tmp_path / "a")
    report = load_path(neo, tmp_path / "a")
    assert report.rejected == []
    export_bundle(neo, tmp_path / "b")
    for f in sorted((tmp_path / "a").iterdir()):
        assert f.read_text() == (tmp_path / "b" / f.name).read_text(), f.name


def test_wrong_password_is_not_logged(caplog):
    from graph.errors import StoreUnavailable
    from graph.neo4j_store import Neo4jStore

    os.environ["NEO4J_PASSWORD_SAVED"] = os.environ.get("NEO4J_PASSWORD", "")
    try:
        os.environ["NEO4J_PASSWORD"] = "not-the-password-42"
        with pytest.raises(StoreUnavailable) as info:
            Neo4jStore.from_env(URI)
        assert "not-the-password-42" not in str(info.value)
        assert "not-the-password-42" not in caplog.text
    finally:
        os.environ["NEO4J_PASSWORD"] = os.environ.pop("NEO4J_PASSWORD_SAVED")

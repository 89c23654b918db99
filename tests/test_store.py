"""The store against the real embedded engine: reads, writes, read-only, timeouts, errors."""

from __future__ import annotations

import stat

import pytest

from graph.errors import ParameterError, QueryError, QueryTimeout, ReadOnlyViolation, UnknownQuery
from graph.store import open_store


def test_write_then_read(store):
    store.run("CREATE (:Structure {id: 'structure:a', name: 'A', functions: ['information']})", write=True)
    df = store.run("MATCH (n:Structure) RETURN n.id AS id, n.functions AS f ORDER BY id")
    assert df.to_dict("records") == [{"id": "structure:a", "f": ["information"]}]


def test_nodes_come_back_as_dicts(store):
    store.run("CREATE (:Network {id: 'network:x', name: 'X'})", write=True)
    df = store.run("MATCH (n) RETURN n")
    assert df.iloc[0, 0] == {"_labels": ["Network"], "id": "network:x", "name": "X"}


@pytest.mark.parametrize("statement", [
    "CREATE (n:X) RETURN n",
    "MERGE (n:X {id: 1}) RETURN n",
    "MATCH (n) SET n.x = 1 RETURN n",
    "MATCH (n) REMOVE n.name RETURN n",
    "MATCH (n) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "CREATE INDEX FOR (n:X) ON (n.id)",
    "MATCH (n) WITH n CREATE (m:Y) RETURN m",
])
def test_reads_refuse_every_write(store, statement):
    store.run("CREATE (:Structure {id: 'structure:a', name: 'A'})", write=True)
    with pytest.raises(ReadOnlyViolation, match="only reads are allowed"):
        store.run(statement)
    assert store.run("MATCH (n:Structure) RETURN count(n) AS n").iloc[0, 0] == 1


def test_syntax_error_is_a_query_error(store):
    with pytest.raises(QueryError, match="the engine refused the query"):
        store.run("MATCH (n RETURN n")


def test_runaway_query_stops_within_timeout(store):
    store.run("UNWIND range(1, 300) AS i CREATE (:Structure {id: 'structure:' + toString(i)})", write=True)
    store.run("MATCH (a:Structure), (b:Structure) WHERE a.id < b.id AND rand() < 0.05 "
              "CREATE (a)-[:COOPERATES_WITH]->(b)", write=True)
    with pytest.raises(QueryTimeout):
        store.run("MATCH p=(a)-[*1..12]-(b) RETURN count(p)", timeout=0.5)


def test_row_cap_truncates_and_says_so(store):
    df = store.run("UNWIND range(1, 50) AS i RETURN i ORDER BY i", max_rows=10)
    assert len(df) == 10 and df.attrs["truncated"] is True
    df = store.run("UNWIND range(1, 5) AS i RETURN i ORDER BY i", max_rows=10)
    assert len(df) == 5 and df.attrs["truncated"] is False


def test_write_rows_batches(store):
    from queries import library

    q = library().get("upsert.node", backend="falkordb").render(LABEL="Structure")
    rows = [{"id": f"structure:s{i}", "props": {"name": f"S{i}"}, "sources": ["source:t"]} for i in range(25)]
    calls = []
    assert store.write_rows(q, rows, batch_size=10, progress=calls.append) == 25
    assert calls == [10, 10, 5]
    assert store.run("MATCH (n:Structure) RETURN count(n) AS n").iloc[0, 0] == 25


def test_library_query_by_name(store):
    store.run("CREATE (:Structure {id: 'structure:a', name: 'Ecossolies'}), (:Network {id: 'network:b', name: 'CRESS'})",
              write=True)
    df = store.query("explore.find", text="ecoss")
    assert df["id"].tolist() == ["structure:a"]
    with pytest.raises(ParameterError, match="needs the parameter text"):
        store.query("explore.find")
    with pytest.raises(ParameterError, match="parameter limit must be integer"):
        store.query("explore.find", text="x", limit="many")
    with pytest.raises(UnknownQuery, match="no query named 'nope'"):
        store.query("nope")


def test_unknown_url_scheme():
    with pytest.raises(Exception, match="unknown store URL 'mysql://x'"):
        open_store("mysql://x")


def test_engine_is_private(engine):
    assert stat.S_IMODE(engine.home.stat().st_mode) == 0o700
    assert stat.S_IMODE(engine.socket.stat().st_mode) == 0o700


def test_engine_listens_on_no_tcp_port(engine):
    pid = engine.pid()
    inodes = set()
    import os

    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:  # closed between the listing and the read (a file, a fork's pipe)
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            for line in fh.readlines()[1:]:
                parts = line.split()
                if parts[3] == "0A" and parts[9] in inodes:  # 0A = LISTEN
                    listening.append(parts[1])
    assert inodes, "the engine should hold at least its Unix socket"
    assert listening == []


# -- the graph version -----------------------------------------------------------------


def test_every_write_gives_the_graph_a_new_version_and_reads_do_not(store):
    assert store.version() == {"version": "", "changes": 0, "changed_at": None}
    store.run("CREATE (:Structure {id: 'structure:a', name: 'A'})", write=True)
    first = store.version()
    assert len(first["version"]) == 16 and first["changes"] == 1 and first["changed_at"]
    store.run("MATCH (n) RETURN count(n) AS n")
    store.query("stats.labels")
    assert store.version() == first
    store.write_rows("UNWIND $rows AS row MERGE (:Structure {id: row.id})", [{"id": "structure:b"}])
    second = store.version()
    assert second["version"] not in ("", first["version"]) and second["changes"] == 2


def test_the_version_node_is_in_no_count_export_or_graph(store):
    from graph.convert import typed_graph
    from graph.reading import fetch_all

    store.run("CREATE (:Structure {id: 'structure:a', name: 'A'})", write=True)
    labels = store.query("stats.labels")
    assert labels.to_dict("records") == [{"label": "Structure", "count": 1}]
    assert [r["id"] for r in fetch_all(store, "export.nodes")] == ["structure:a"]
    assert [r["source"] for r in fetch_all(store, "export.relationships")] == ["structure:a"]
    assert list(typed_graph(store)) == ["structure:a"]


def test_a_failed_batch_write_still_changes_the_version(store):
    from graph.errors import MaillageError

    store.run("CREATE (:Structure {id: 'structure:a'})", write=True)
    before = store.version()["version"]
    with pytest.raises(MaillageError):
        store.write_rows("UNWIND $rows AS row CREATE (:Structure {id: row.id}) WITH row RETURN 1/row.zero",
                         [{"id": "structure:b", "zero": 0}])
    assert store.version()["version"] != before


def test_clear_leaves_an_empty_graph_without_a_version(store):
    store.run("CREATE (:Structure {id: 'structure:a'})", write=True)
    store.clear()
    assert store.run("MATCH (n) RETURN count(n) AS n").iloc[0, 0] == 0
    assert store.version()["version"] == ""

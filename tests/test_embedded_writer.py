"""The embedded store's batch writer: rows read back exactly, whichever path sends them.

:meth:`graph.embedded.FalkorStore._write_batch` sends a batch as one ``json.dumps``
text (:func:`graph.embedded.cypher_literal`) and falls back to the ``falkordb``
client's own serialiser for any batch that text could not carry exactly (control
characters, ``\\u`` in a value, keys that are not identifiers, NaN). Both paths are
checked here on the real session engine: tricky values go in, the same values
come out, and a NUL is still refused with the path of the value that holds it.
"""

from __future__ import annotations

import math

import pytest

from graph.embedded import cypher_literal
from graph.errors import ParameterError

#: a statement that keeps every value of a row, maps included (as n.m_* properties)
PROBE = ("UNWIND $rows AS row CREATE (n:Probe {i: row.i}) "
         "SET n.v = row.v, n.kind = row.kind, n.m_a = row.m.a, n.m_b = row.m.b")
#: each value read inside a one-item list, so that pandas keeps its type (no int -> float, no NaN)
READ = ("MATCH (n:Probe) RETURN [n.i] AS i, [n.v] AS v, [n.kind] AS kind, [n.m_a] AS m_a, [n.m_b] AS m_b "
        "ORDER BY n.i")

TRICKY = [
    'plain', '', ' ', 'say "hello"', '""', '"', "it's", "l'économie sociale et solidaire",
    "back\\slash", "ends with a backslash \\", "\\\\", '\\"', "Œuvre, Ærø, ß, ñ, ü, ç, à, ÿ", "emoji 🤝🌍 and 👩🏽‍🌾 ZWJ", "中文 · العربية · русский",
    "line\nbreak", "\n", "tab\there", "cr\r\nlf", "back\\nslash-n (not a newline)", "\\t literal",
    "{}", "[1, 2]", "`backticks`", "rows=[] CYPHER", "x\x7fdel", "\u2028 line separator",
]
#: strings whose JSON text holds what the fast literal refuses (a quote then a colon, ``\u``)
AWKWARD = ['quote then colon ":', '"v":', 'a","v":"b', '\\"v":', '{"i":9,"v":"w"}', '"kind":"int"',
           "C:\\users\\x", "\\u00e9 written out"]
#: floats of at most 15 significant digits: the engine prints doubles with 15 (``%.15g``)
#: whichever way they were sent (see test_same_values_as_the_client_path)
NUMBERS = [0, 1, -1, 2**31, -2**31 - 1, 2**53 + 1, 2**63 - 1, -2**63, 0.5, -0.0, 1e-300, 1e308,
           1e16, 3.14159265358979, -2.5e-7, 0.1]
LISTS = [[], ["a"], ["a", "b, c", 'd "e"', "f\ng"], [1, 2, 3], [1.5, -2.25], [True, False], [""], ["🤝"]]


def _rows(values):
    return [{"i": i, "v": v, "kind": type(v).__name__, "m": {"a": v, "b": "x"}} for i, v in enumerate(values)]


def _read(store):
    return [{k: x[0] for k, x in r.items()} for r in store.run(READ).to_dict("records")]


def _check_roundtrip(store, values):
    rows = _rows(values)
    assert store.write_rows(PROBE, rows, batch_size=7) == len(rows)
    got = _read(store)
    assert len(got) == len(rows)
    for row, back in zip(rows, got):
        want = row["v"]
        assert back["v"] == want and type(back["v"]) is type(want), (row, back)
        if isinstance(want, float) and want == 0:
            assert math.copysign(1, back["v"]) == math.copysign(1, want)
        assert back["m_a"] == want and back["m_b"] == "x" and back["kind"] == row["kind"]


def test_fast_literal_is_used_for_ordinary_tricky_text():
    """Quotes, backslashes, accents, emoji, newlines, tabs: all within the fast path."""
    for values in (TRICKY, NUMBERS, LISTS, [True, False]):
        assert cypher_literal(_rows(values)) is not None, values


@pytest.mark.parametrize("values", [TRICKY, NUMBERS, LISTS, [True, False, None]],
                         ids=["strings", "numbers", "lists", "booleans_none"])
def test_values_read_back_identically(store, values):
    _check_roundtrip(store, values)


def test_same_values_as_the_client_path(store):
    """The same rows sent both ways read back the same, 17-digit floats included."""
    values = TRICKY + AWKWARD + NUMBERS + LISTS + [3.141592653589793, 1 / 3, 1.7976931348623157e308, None]
    rows = _rows(values)
    assert cypher_literal(rows) is None  # AWKWARD: the whole batch through the client
    store.write_rows(PROBE, rows, batch_size=1)  # one row a batch: most through the fast literal
    fast = _read(store)
    store.run("MATCH (n:Probe) DELETE n", write=True)
    store.graph.query(PROBE, {"rows": rows})  # the falkordb client's own serialiser
    assert _read(store) == fast


def test_string_that_looks_like_a_key_is_left_alone(store):
    _check_roundtrip(store, AWKWARD)


@pytest.mark.parametrize("value", ["\x01 control", "bell\x07", "esc\x1b[0m", "\\u00e9 written out",
                                   "vertical\x0btab", "form\x0cfeed", "back\x08space", "\x1f"])
def test_values_the_fast_literal_cannot_carry_go_the_client_way(store, value):
    rows = _rows([value])
    if "\\u" in value or any(ord(c) < 0x20 and c not in "\n\t\r\b\f" for c in value):
        assert cypher_literal(rows) is None
    _check_roundtrip(store, [value])


def test_batches_mixing_both_paths(store):
    values = TRICKY + ["\x02 falls back"] + AWKWARD + TRICKY
    _check_roundtrip(store, values)  # batches of 7: some fast, one through the client


def test_keys_that_are_not_identifiers_fall_back(store):
    rows = [{"i": 1, "v": "x", "m": {"a b": 1, "a": "y", "b": "z"}, "kind": "str"}]
    assert cypher_literal(rows) is None
    rows2 = [{"i": 1, "v": "x", "kind": "str", "m": {'q"a': 1, "a": "y", "b": "z"}}]
    assert cypher_literal(rows2) is None
    store.write_rows(PROBE, rows + [dict(rows2[0], i=2)])
    assert [r["m_a"] for r in _read(store)] == ["y", "y"]


def test_nan_and_unknown_types_fall_back():
    assert cypher_literal([{"v": float("nan")}]) is None
    assert cypher_literal([{"v": float("inf")}]) is None
    assert cypher_literal([{"v": b"bytes"}]) is None
    assert cypher_literal([{1: "int key"}]) is None


def test_literal_matches_the_client_serialiser():
    from falkordb.helpers import stringify_param_value

    rows = [{"id": "structure:a", "props": {"name": "A", "n": 3, "ok": True, "x": None, "f": 0.25},
             "sources": ["s1", "s2"], "key": ""}]
    ours = cypher_literal(rows)
    theirs = stringify_param_value(rows)
    assert ours.replace("true", "True").replace("null", "None") == theirs.replace("null", "None")


def test_real_upsert_statements_round_trip(store):
    """The loader's own node and relation upserts, through the fast path."""
    from queries import library

    lib = library()
    store.ensure_schema()
    names = ["L'Atelier \"Partagé\"", "Café\\Bar\tde la Gare\n(44)", "Coop 🤝 Énergie"]
    nodes = [{"id": f"structure:t{i}", "props": {"name": n, "employees": i * 1000 - 1, "functions": ["reseau", "lieu"],
              "founded": "1901"}, "sources": ["source:t"]} for i, n in enumerate(names)]
    store.write_rows(lib.get("upsert.node", backend=store.backend).render(LABEL="Structure"), nodes)
    rels = [{"source_id": "structure:t0", "target_id": "structure:t1", "key": "", "props": {"kind": 'dit "oui"'},
             "sources": ["source:t"]}]
    store.write_rows(lib.get("upsert.relation", backend=store.backend).render(
        SRC="Structure", TYPE="COOPERATES_WITH", DST="Structure"), rels)
    store.write_rows(lib.get("upsert.node", backend=store.backend).render(LABEL="Structure"), nodes)  # again
    df = store.run("MATCH (s:Structure) RETURN s.id AS id, s.name AS name, s.employees AS e, "
                   "s.functions AS f, s.sources AS src ORDER BY id")
    assert df["name"].tolist() == names
    assert df["e"].tolist() == [-1, 999, 1999]
    assert df["f"].tolist() == [["reseau", "lieu"]] * 3
    assert df["src"].tolist() == [["source:t"]] * 3
    r = store.run("MATCH (:Structure)-[r:COOPERATES_WITH]->(:Structure) RETURN r.kind AS k, count(*) AS n")
    assert r.to_dict("records") == [{"k": 'dit "oui"', "n": 1}]


@pytest.mark.parametrize("rows, path", [
    ([{"i": 0, "v": "ok"}, {"i": 1, "v": "N\x00UL"}], "$rows[1].v"),
    ([{"i": 0, "v": "ok", "m": {"a": ["x", "y\x00"]}}], "$rows[0].m.a[1]"),
    ([{"i": 0, "v": "ok", "m": {"a\x00": 1}}], "$rows[0].m (key"),
])
def test_nul_is_refused_with_its_path(store, rows, path):
    with pytest.raises(ParameterError) as err:
        store.write_rows(PROBE, rows)
    assert path in str(err.value) and "NUL" in str(err.value)
    assert store.run("MATCH (n:Probe) RETURN count(n) AS n")["n"].tolist() == [0]


def test_two_writers_merging_the_same_batch_create_it_once(store):
    """The engine runs two clients' write queries side by side unless they come inside
    MULTI/EXEC; two concurrent MERGEs of the same ties then both create them (seen: two
    loaders of one bundle doubled its relationships). Batches are sent inside MULTI."""
    import threading

    from graph.embedded import FalkorStore

    store.ensure_schema()
    store.run("UNWIND range(0, 1500) AS i CREATE (:Structure {id: 'structure:r' + toString(i)})",
              write=True)
    merge = ("UNWIND $rows AS row MATCH (a:Structure {id: row.a}) MATCH (b:Structure {id: row.b}) "
             "MERGE (a)-[r:COOPERATES_WITH {key: ''}]->(b) SET r.kind = 'partnership'")
    for trial in range(4):
        rows = [{"a": f"structure:r{i}", "b": f"structure:r{i + 1 + trial}"} for i in range(1000)]
        writers = [FalkorStore(store.db, graph=store.graph_name) for _ in range(2)]
        threads = [threading.Thread(target=w._write_batch, args=(merge, rows)) for w in writers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    n = store.run("MATCH ()-[r:COOPERATES_WITH]->() RETURN count(r) AS n").n[0]
    assert n == 4000

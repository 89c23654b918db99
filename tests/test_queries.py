"""The Cypher library: headers, parameters, and every statement run on the embedded engine."""

from __future__ import annotations

import json

import pytest

from graph import model
from graph.errors import ParameterError
from graph.store import render_for
from queries import Library, library, parse

LIB = library()
READS = [q for q in LIB.all() if not q.writes]
WRITES = [q for q in LIB.all() if q.writes]


def test_library_has_the_basic_queries():
    for name in ("stats.labels", "stats.relationships", "explore.find", "explore.node",
                 "explore.neighbourhood", "explore.members", "explore.in_territory"):
        assert name in LIB.names()
    assert "upsert.node" not in LIB.names()  # internal statements are not listed
    assert "upsert.node" in LIB.names(include_internal=True)


@pytest.mark.parametrize("q", LIB.all(), ids=lambda q: f"{q.name}.{q.backend or 'any'}")
def test_every_query_has_a_header(q):
    assert q.title, f"{q.path} has no title"
    assert q.description, f"{q.path} has no description"
    if not q.writes:
        assert "ORDER BY" in q.text, f"{q.path}: every read query needs an ORDER BY"
        assert q.returns, f"{q.path} does not say what it returns"


@pytest.mark.parametrize("q", [q for q in READS if q.backend in (None, "falkordb")], ids=lambda q: q.name)
def test_every_read_query_runs_on_the_embedded_engine(territory_store, q):
    example = json.loads(q.extra.get("example", "{}"))
    bound = q.bind(example)
    text = q.render(LABEL=(model.label_for_id(bound.get("id") or bound["ids"][0])
                               if "id" in bound or "ids" in bound else model.STRUCTURE)) if q.template else q.text
    df = territory_store.run(text, bound)
    assert list(df.columns) == list(q.returns)


def test_examples_return_rows(territory_store):
    assert territory_store.query("explore.node", id="commune:44109")["name"].tolist() == ["Nantes"]
    df = territory_store.query("explore.neighbourhood", id="commune:44109", types=["PART_OF"])
    assert set(df["id"]) == {"epci:244400404", "departement:44"}
    assert df["outgoing"].all()
    df = territory_store.query("stats.labels")
    assert df.set_index("label")["count"]["Territory"] > 36_000


@pytest.mark.parametrize("q", WRITES, ids=lambda q: f"{q.name}.{q.backend or 'any'}")
def test_write_statements_render_from_the_model_only(q):
    if not q.template:
        return
    names = {k: ("PART_OF" if k == "TYPE" else "Structure") for k in q.template}
    text = q.render(**names)
    assert "__" not in text
    with pytest.raises(ValueError, match="unknown"):
        q.render(**{k: "Evil`) DETACH DELETE (x" for k in q.template})


def test_label_template_from_id_prefix():
    q = LIB.get("explore.node")
    assert "(n:`Territory` {id: $id})" in render_for(q, {"id": "commune:44109"})
    with pytest.raises(ParameterError, match="does not start with a known prefix"):
        render_for(q, {"id": "nobody"})


def test_bind_types_and_defaults():
    q = LIB.get("explore.neighbourhood")
    assert q.bind({"id": "x", "limit": "5", "types": "MEMBER_OF,USES"}) == {
        "id": "x", "types": ["MEMBER_OF", "USES"], "skip": 0, "limit": 5}
    with pytest.raises(ParameterError, match="has no parameter colour"):
        q.bind({"id": "x", "colour": "red"})


def test_header_params_must_match_the_text(tmp_path):
    (tmp_path / "bad.cypher").write_text("// title: t\n// description: d\n// param a: string\n"
                                         "// returns: x\nRETURN $b AS x ORDER BY x\n")
    with pytest.raises(ValueError, match=r"declares params \['a'\] but the text uses \['b'\]"):
        parse(tmp_path / "bad.cypher", tmp_path)


def test_backend_variants(tmp_path):
    (tmp_path / "q.neo4j.cypher").write_text("// title: t\n// description: d\n// returns: x\nRETURN 1 AS x ORDER BY x\n")
    (tmp_path / "q.falkordb.cypher").write_text("// title: t\n// description: d\n// returns: x\nRETURN 2 AS x ORDER BY x\n")
    lib = Library(tmp_path)
    assert "1" in lib.get("q", backend="neo4j").text and "2" in lib.get("q", backend="falkordb").text

"""Keyset pages (``// cursor: id after``): every row once, in order, a source's relationships never split."""

from __future__ import annotations

import pytest

from app.components.data import read_graph, run_all
from graph.convert import graph_from_rows
from graph.reading import fetch_pages, fetch_relationships
from queries import library

# ids that sort oddly: case, digits as text, accents, a prefix of another id
ODD = ["structure:B", "structure:a", "structure:a0", "structure:a10", "structure:a9", "structure:é",
       "structure:Z", "structure:a-", "structure:a_"]


@pytest.fixture
def odd_store(store):
    store.run("UNWIND $ids AS i CREATE (:Structure {id: i, name: i, sources: ['s']})", {"ids": ODD}, write=True)
    store.run("UNWIND range(1, 40) AS i CREATE (:Sector {id: 'sector:' + toString(i), name: 'S'})", write=True)
    # a hub source: structure:a0 has 120 outgoing relationships, two of them parallel
    store.run("MATCH (s:Structure {id: 'structure:a0'}), (t:Sector) CREATE (s)-[:ACTIVE_IN {key: ''}]->(t)",
              write=True)
    store.run("MATCH (s:Structure {id: 'structure:a0'}), (t:Sector) "
              "CREATE (s)-[:ACTIVE_IN {key: '2'}]->(t), (s)-[:COOPERATES_WITH {key: ''}]->(:Structure "
              "{id: 'structure:x' + t.id, name: 'x'})", write=True)
    store.run("MATCH (a:Structure), (b:Structure {id: 'structure:B'}) WHERE a.id <> b.id "
              "CREATE (a)-[:COOPERATES_WITH {key: 'k'}]->(b)", write=True)
    return store


def test_every_paged_library_read_is_keyset_paged():
    for name in ("app.territories", "export.nodes",
                 "export.relationships", "export.structure_identities"):
        q = library().get(name)
        assert q.cursor and "SKIP" not in q.text, name


@pytest.mark.parametrize("page", [1, 2, 3, 7, 1000])
def test_node_pages_hold_every_node_once_in_id_order(odd_store, page):
    pages = list(fetch_pages(odd_store, "export.nodes", page=page))
    ids = [r["id"] for rows in pages for r in rows]
    total = odd_store.run("MATCH (n) WHERE n.id IS NOT NULL RETURN count(n) AS c")["c"][0]
    assert len(ids) == len(set(ids)) == total
    assert ids == sorted(ids)  # the engine's string order is Python's (code points)
    assert all(len(rows) <= page for rows in pages)


@pytest.mark.parametrize("page", [1, 2, 5, 1000])
def test_relationship_pages_split_no_source_and_lose_nothing(odd_store, page):
    pages = list(fetch_pages(odd_store, "export.relationships", page=page))
    sources = [r["source"] for rows in pages for r in rows]
    assert len(sources) == len(set(sources))  # a source is on one page only, with all its relationships
    hub = next(r for rows in pages for r in rows if r["source"] == "structure:a0")
    assert len(hub["relationships"]) == 121
    rels = list(fetch_relationships(odd_store, "export.relationships", page=page))
    total = odd_store.run("MATCH ()-[r]->() RETURN count(r) AS c")["c"][0]
    assert len(rels) == total == 40 * 3 + len(ODD) - 1 + 40
    seen = {(r["source"], r["type"], r["target"], r["properties"]["key"]) for r in rels}
    assert len(seen) == total  # nothing twice


def test_the_typed_graph_is_the_same_whatever_the_page(odd_store):
    whole = graph_from_rows(run_all(odd_store, "export.nodes"),
                            list(fetch_relationships(odd_store, "export.relationships", page=1000)))
    small = graph_from_rows((r for rows in fetch_pages(odd_store, "export.nodes", page=2) for r in rows),
                            fetch_relationships(odd_store, "export.relationships", page=2))
    assert list(whole.nodes(data=True)) == list(small.nodes(data=True))
    assert list(whole.edges(keys=True, data=True)) == list(small.edges(keys=True, data=True))
    assert whole.number_of_edges() == odd_store.run("MATCH ()-[r]->() RETURN count(r) AS c")["c"][0]
    assert whole.number_of_edges("structure:a0", "sector:1") == 2
    assert set(whole["structure:a0"]["sector:1"]) == {"ACTIVE_IN", "ACTIVE_IN#2"}


def test_the_app_graph_reads_territories_and_part_of(territory_store):
    G = read_graph(territory_store)
    n_terr = territory_store.run("MATCH (t:Territory) RETURN count(t) AS c")["c"][0]
    n_part = territory_store.run("MATCH (:Territory)-[r:PART_OF]->(:Territory) RETURN count(r) AS c")["c"][0]
    assert G.number_of_nodes() == n_terr and G.number_of_edges() == n_part
    assert G.nodes["commune:44109"]["labels"] == ("Territory",)


def test_shared_values_look_like_plain_ones(odd_store):
    G = graph_from_rows(run_all(odd_store, "export.nodes"), fetch_relationships(odd_store, "export.relationships"))
    a, b = G.nodes["structure:a"], G.nodes["structure:B"]
    assert a["sources"] == ["s"] and isinstance(a["sources"], list) and a["labels"] == ("Structure",)
    assert a["sources"] is b["sources"] and a["labels"] is b["labels"]  # one object for equal values
    e1, e2 = G.edges["structure:a", "structure:B", "COOPERATES_WITH"], G.edges["structure:Z", "structure:B",
                                                                               "COOPERATES_WITH"]
    assert e1 == {"type": "COOPERATES_WITH"} and e1 is e2


def test_a_cursor_that_does_not_advance_is_an_error(store, tmp_path, monkeypatch):
    from graph.errors import QueryError
    from queries import Library

    store.run("UNWIND range(1, 5) AS i CREATE (:Sector {id: 'sector:same', name: 'S'})", write=True)
    (tmp_path / "q.cypher").write_text(
        "// title: t\n// description: d\n// param after: string = ''\n// param limit: integer = 10\n"
        "// cursor: id after\n// returns: id\n"
        "MATCH (n:Sector) WHERE n.id >= $after RETURN n.id AS id ORDER BY id LIMIT $limit\n")
    monkeypatch.setattr("graph.reading.library", lambda: Library(tmp_path))
    with pytest.raises(QueryError, match="does not increase"):
        list(fetch_pages(store, "q", page=2))


def test_a_cursor_header_must_name_a_returned_column(tmp_path):
    from queries import Library

    (tmp_path / "q.cypher").write_text(
        "// title: t\n// description: d\n// param after: string = ''\n// param limit: integer = 10\n"
        "// cursor: nope after\n// returns: id\nMATCH (n) WHERE n.id > $after RETURN n.id AS id "
        "ORDER BY id LIMIT $limit\n")
    with pytest.raises(ValueError, match="cursor must name"):
        Library(tmp_path)

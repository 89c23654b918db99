"""``maillage dedupe --review|--apply``, ``maillage merge A B`` and its undo, on the seed base in the real engine."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.errors import ParameterError
from graph.merge import merge_nodes, undo_merge
from graph.reading import fetch_relationships

A = "structure:ecossolies"
B = "structure:ecossolies-doublon"

# a second record of Les Ecossolies, as a register would bring it: capital letters, a SIREN,
# its own source, the same commune, a network A already has, a network A lacks, a tie to A
DUPLICATE = """
MATCH (c:Territory {id: 'commune:44109'}), (rtes:Network {id: 'network:rtes'}),
      (a:Structure {id: 'structure:ecossolies'}), (cress:Structure {id: $other}), (net:Network {id: $net})
CREATE (b:Structure:Network {id: $b, name: 'LES ECOSSOLIES', siren: '449123456', legal_form: 'scop',
                             functions: ['information', 'financement'], sources: ['source:sirene-test'],
                             employees: 12})
CREATE (b)-[:LOCATED_IN {key: '', sources: ['source:sirene-test']}]->(c)
CREATE (b)-[:MEMBER_OF {key: '', role: 'member', sources: ['source:sirene-test']}]->(rtes)
CREATE (b)-[:MEMBER_OF {key: '', role: 'member', since: 2011, sources: ['source:sirene-test']}]->(net)
CREATE (cress)-[:COOPERATES_WITH {key: '', kind: 'partnership', sources: ['source:sirene-test']}]->(b)
CREATE (b)-[:COOPERATES_WITH {key: '', kind: 'partnership', sources: ['source:sirene-test']}]->(a)
"""


def snapshot(store):
    """Every node with its labels and properties, every relationship with its properties."""
    nodes = store.run("MATCH (n) WHERE NOT n:Territory AND n.id IS NOT NULL RETURN n.id AS id, labels(n) AS labels, "
                      "properties(n) AS p ORDER BY id", max_rows=None)
    rels = fetch_relationships(store, "export.relationships")
    norm = sorted((n.id, tuple(sorted(n.labels)), json.dumps(n.p, sort_keys=True)) for n in nodes.itertuples())
    return norm, sorted(json.dumps(r, sort_keys=True, default=str) for r in rels)


@pytest.fixture
def doubled(seed_store):
    other = seed_store.run("MATCH (s:Structure) WHERE s.id STARTS WITH 'structure:' AND s.id <> $a AND NOT (s)--(:Structure {id: $a}) "
                           "RETURN s.id AS id ORDER BY id LIMIT 1", {"a": A}).id[0]
    net = seed_store.run("MATCH (n:Network) WHERE NOT (:Structure {id: $a})-[:MEMBER_OF]->(n) "
                         "RETURN n.id AS id ORDER BY id LIMIT 1", {"a": A}).id[0]
    seed_store.run(DUPLICATE, {"b": B, "other": other, "net": net}, write=True)
    return seed_store, other


def cli(store, engine, *args):
    env = {"MAILLAGE_STORE": store.url, "MAILLAGE_HOME": str(engine.home)}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_review_lists_the_duplicate_with_its_reason(doubled, engine):
    store, _ = doubled
    result = cli(store, engine, "dedupe", "--review", "--format", "json")
    assert result.exit_code == 0, result.output
    pairs = json.loads(result.stdout)
    pair = next(p for p in pairs if {p["a"], p["b"]} == {A, B})
    assert pair["score"] == 0.95 and "même nom" in pair["reason"] and pair["commune"] == "44109"
    assert all(p["commune"] != "nan" for p in pairs)


def test_merge_moves_relations_fills_properties_and_undo_restores_the_graph(doubled, engine):
    store, other = doubled
    before = snapshot(store)
    a_rels = len(store.query("admin.relations_of", id=A))

    result = cli(store, engine, "merge", A, B)
    assert result.exit_code == 0, result.output
    assert "2 relation(s) déplacée(s), 2 déjà présente(s), 1 entre les deux supprimée(s)" in result.stdout
    assert "legal_form : « association » gardé, « scop » de structure:ecossolies-doublon écarté" in result.stderr
    assert store.run("MATCH (n {id: $b}) RETURN n", {"b": B}).empty
    node = store.query("explore.node", id=A).iloc[0]
    p = node.properties
    assert p["name"] == "Les Ecossolies" and p["legal_form"] == "association"  # A's values win
    assert p["siren"] == "449123456" and p["employees"] == 12                    # B fills the gaps
    assert p["functions"] == ["information", "accompagnement", "reseau", "financement"]
    assert "source:sirene-test" in p["sources"] and p["merged_from"] == [B]
    assert json.loads(p["merge_log"])[-1]["id"] == B
    # the tie from the other structure and the second network moved; the A–B tie did not become a loop
    assert len(store.query("admin.relations_of", id=A)) == a_rels - 1 + 2  # B→A gone, 2 moved in
    assert not store.run("MATCH (s:Structure {id: $o})-[:COOPERATES_WITH]->(a:Structure {id: $a}) RETURN a",
                         {"o": other, "a": A}).empty
    assert store.run("MATCH (a:Structure {id: $a})-[r]->(a) RETURN r", {"a": A}).empty

    undone = cli(store, engine, "merge", "--undo", B)
    assert undone.exit_code == 0, undone.output
    assert "5 relation(s) rétablie(s)" in undone.stdout
    assert snapshot(store) == before


def test_a_merge_that_is_not_the_newest_cannot_be_undone(doubled):
    store, other = doubled
    merge_nodes(store, A, B)
    merge_nodes(store, A, other)
    with pytest.raises(ParameterError, match=f"annulez d'abord maillage merge --undo {other}"):
        undo_merge(store, B)
    undo_merge(store, other)
    undo_merge(store, B)
    assert store.query("admin.merged_into", id=B).empty


def test_different_sirens_territories_and_labels_are_never_merged(doubled, engine):
    store, other = doubled
    store.run("MATCH (s:Structure {id: $a}) SET s.siren = '111222333'", {"a": A}, write=True)
    before = snapshot(store)
    result = cli(store, engine, "merge", A, B)
    assert result.exit_code != 0
    assert "SIREN différents (111222333 / 449123456)" in result.output
    assert "Traceback" not in result.output
    for a, b, why in ((A, "network:rtes", "pas le même type"), ("commune:44109", "commune:44020", "référentiel"),
                      (A, "structure:nulle-part", "aucun nœud")):
        with pytest.raises(ParameterError, match=why):
            merge_nodes(store, a, b)
    assert snapshot(store) == before
    assert cli(store, engine, "dedupe", "--review", "--format", "json").exit_code == 0


def test_apply_merges_only_the_sure_pairs(doubled, engine):
    store, _ = doubled
    store.run("MATCH (s:Structure {id: $a}) SET s.siren = '449123456'", {"a": A}, write=True)
    result = cli(store, engine, "dedupe", "--apply")
    assert result.exit_code == 0, result.output
    assert "1 fusion(s) faite(s)" in result.stdout
    assert store.query("explore.node", id=A).iloc[0].properties["merged_from"] == [B]
    nothing = cli(store, engine, "dedupe")
    assert nothing.exit_code == 2 and "--review" in nothing.output


def test_examples_of_the_merge_module():
    import doctest

    import graph.merge

    result = doctest.testmod(graph.merge, raise_on_error=False, verbose=False)
    assert result.attempted > 0 and result.failed == 0

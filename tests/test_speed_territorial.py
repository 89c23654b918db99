"""The national half of a territorial question, kept built (graph.territorial._national_graph).

A question's graph is the kept national half (a graph carrying its index) extended with
the question's own rows: it must hold the same nodes, attributes and relationships as
the graph built from all the rows at once, and its index must be the one
``GraphIndex`` builds from scratch. The answers themselves are compared with the
whole graph's in ``tests/test_territorial.py``.
"""

from __future__ import annotations

import pytest

from graph import analysis, model, read_copy
from graph.analysis._index import KEPT
from graph.territorial import (_add, _national, _national_and_initiatives, _providers, _Reader,
                               coverage_graph, fetch_rows, orientation_graph)

COMMUNES = ("commune:44109", "commune:44162", "commune:49007")
SCOPES = (None, "region:52", "departement:44", "epci:244400404")


def _orientation_rows_at_once(store, commune: str):
    """The graph of an orientation question built from all its rows at once."""
    r = _Reader(store)
    chain = r.rows("territorial.chain", id=commune)
    r.add_territories(chain)
    r.add_nodes(r.rows("territorial.attached", ids=[t["id"] for t in chain]))
    _add(r, _national(store, "orientation", _national_and_initiatives))
    return r.graph()


def _coverage_rows_at_once(store, need: str, scope: str | None):
    r = _Reader(store)
    if scope is None:
        r.add_territories(fetch_rows(store, "app.territories"))
    else:
        r.add_territories(r.rows("territorial.within", id=scope))
        r.add_territories(r.rows("territorial.chain", id=scope))
    _add(r, _national(store, f"providers-{need}", _providers(need)))
    return r.graph()


def _same_graph(H, R) -> None:
    assert dict(H.nodes(data=True)) == dict(R.nodes(data=True))
    assert sorted(H.edges(keys=True, data="type")) == sorted(R.edges(keys=True, data="type"))
    for n in R:  # each node's relationships in the same order (what the index gathers in order)
        assert [(v, k) for v, keyed in H.succ[n].items() for k in keyed] == \
               [(v, k) for v, keyed in R.succ[n].items() for k in keyed], n


def _same_index(H) -> None:
    carried = analysis.GraphIndex(H)
    assert carried.__dict__ is H.graph[KEPT].__dict__  # given at once, not built again
    fresh = analysis.GraphIndex(H.copy())  # a copy does not carry it: built from scratch
    assert fresh.__dict__ is not carried.__dict__
    for name in ("level", "coords", "cards", "parents", "seats", "served", "sectors", "carriers"):
        assert list(getattr(carried, name).items()) == list(getattr(fresh, name).items()), name
    for need in model.FUNCTIONS:
        assert carried.offering(need) == fresh.offering(need), need


def test_an_orientation_graph_is_the_graph_of_all_its_rows(shared_seed_store):
    s = shared_seed_store
    for commune in COMMUNES:
        H = orientation_graph(s, commune)
        _same_graph(H, _orientation_rows_at_once(s, commune))
        _same_index(H)
    assert read_copy.path(s, s.version()["version"], "orientation.graph").exists()
    again = orientation_graph(s, COMMUNES[0])  # from the kept copy: a graph of its own
    assert again is not H and dict(again.nodes(data=True)) == dict(
        _orientation_rows_at_once(s, COMMUNES[0]).nodes(data=True))


@pytest.mark.parametrize("need", ["accompagnement", "financement"])
def test_a_coverage_graph_is_the_graph_of_all_its_rows(shared_seed_store, need):
    s = shared_seed_store
    for scope in SCOPES:
        H = coverage_graph(s, need, scope)
        _same_graph(H, _coverage_rows_at_once(s, need, scope))
        _same_index(H)


def test_a_link_of_the_national_half_to_a_node_of_the_question_is_kept(seed_store):
    """A national organisation (no territory) linked to a structure of Nantes (not a link of the
    model, but a base may hold one): the question that reads the structure gets the link, and
    the index is built again (it starts from a node indexed before)."""
    seed_store.run("MATCH (s:Structure {id: 'structure:ecossolies'}) "
                   "CREATE (:Network {id: 'network:odd', name: 'Odd', level: 'national', "
                   "functions: ['accompagnement']})-[:ACTIVE_IN]->(s)", write=True)
    H = orientation_graph(seed_store, "commune:44109")
    assert H.has_edge("network:odd", "structure:ecossolies")
    _same_graph(H, _orientation_rows_at_once(seed_store, "commune:44109"))
    _same_index(H)
    found = analysis.orient(H, "commune:44109", "accompagnement", top=None)
    assert "network:odd" in [p["id"] for p in found["providers"]]


def test_without_read_copies_the_graph_is_the_same(shared_seed_store, monkeypatch):
    kept = orientation_graph(shared_seed_store, "commune:44109")
    monkeypatch.setenv("MAILLAGE_READ_COPIES", "off")
    built = orientation_graph(shared_seed_store, "commune:44109")
    _same_graph(built, kept)
    _same_index(built)


def test_analyses_sharing_an_index_give_what_each_gives_alone(shared_seed_store):
    """coverage, support_chain and overlaps of one view share the providers and the territories
    each covers (remembered by the index): the same rows as with an index of their own."""
    from graph.convert import typed_graph

    G = typed_graph(shared_seed_store)
    sector = min(n for n, d in G.nodes(data=True) if model.SECTOR in d["labels"])
    shared = analysis.GraphIndex(G)
    for scope, level in ((None, "departement"), ("region:52", "commune"), ("departement:44", "epci")):
        for need in model.FUNCTIONS:
            for stage, sec in ((None, None), ("creation", None), (None, sector), ("creation", sector)):
                kw = dict(level=level, scope=scope, need=need, sector=sec)
                assert analysis.coverage(G, stage=stage, index=shared, **kw) == analysis.coverage(
                    G, stage=stage, index=analysis.GraphIndex(G), **kw)
                assert analysis.coverage(G, stage=stage, index=shared, include_within=True, **kw) == \
                    analysis.coverage(G, stage=stage, index=analysis.GraphIndex(G), include_within=True, **kw)
                assert analysis.support_chain(G, index=shared, **kw) == analysis.support_chain(
                    G, index=analysis.GraphIndex(G), **kw)
                assert analysis.overlaps(G, stage=stage, index=shared, **kw) == analysis.overlaps(
                    G, stage=stage, index=analysis.GraphIndex(G), **kw)
                assert analysis.matching_providers(G, need, stage=stage, sector=sec, index=shared) == \
                    analysis.matching_providers(G, need, stage=stage, sector=sec)
    assert analysis.support_chain(G, "commune:44109", index=shared) == analysis.support_chain(G, "commune:44109")

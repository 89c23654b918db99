"""Brokers: betweenness (exact or sampled), participation, Burt's constraint, isolates."""

import random

import networkx as nx
import pytest

from graph.analysis._testing import demo_graph, toy_graph
from graph.analysis.brokers import (
    brokers, burt_constraint, isolated_structures, participation_coefficient,
)
from graph.analysis.projection import cooperation_graph


def coop(*pairs, nodes=None):
    edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}") for a, b in pairs]
    return cooperation_graph(toy_graph(edges, nodes=nodes))


def test_empty_graph():
    assert brokers(nx.Graph()) == []
    assert isolated_structures(nx.MultiDiGraph(), nx.Graph()) == []


def test_one_node():
    P = coop(nodes={"structure:a": {"name": "A"}})
    assert brokers(P) == [{
        "id": "structure:a", "name": "A", "betweenness": 0.0, "participation": 0.0,
        "constraint": None, "degree": 0, "strength": 0.0, "cluster": None, "isolated": True}]


def test_two_triangles_joined_by_one_tie():
    P = coop("ab", "bc", "ca", "de", "ef", "fd", "cd", nodes={"structure:z": {}})
    rows = brokers(P)
    assert [r["id"][-1] for r in rows] == list("cdabefz")
    c = rows[0]
    # c lies on every shortest path between {a, b} and {d, e, f}: 6 of the
    # C(6, 2) = 15 pairs of other nodes (the isolate z counts in n = 7)
    assert c["betweenness"] == pytest.approx(6 / 15)
    assert c["participation"] == pytest.approx(1 - (2 / 3) ** 2 - (1 / 3) ** 2)
    assert (c["cluster"], rows[1]["cluster"], rows[-1]["cluster"]) == (0, 1, None)
    assert c["constraint"] == pytest.approx(nx.constraint(P, ["structure:c"])["structure:c"])
    assert rows[-1]["isolated"] and not c["isolated"]


def test_participation_values():
    P = nx.Graph([("x", "a"), ("x", "b"), ("x", "c"), ("x", "d")])
    assert participation_coefficient(P, {"x": 0, "a": 0, "b": 1, "c": 2, "d": 3})["x"] == 0.75
    assert participation_coefficient(P, {n: 0 for n in P})["x"] == 0.0
    P.add_edge("x", "a", weight=3.0)  # strengths: 3 in cluster 0, 3 outside
    assert participation_coefficient(P, {"x": 0, "a": 0, "b": 1, "c": 1, "d": 1})["x"] == 0.5
    P.add_node("lone")
    assert participation_coefficient(P, {})["lone"] == 0.0


@pytest.mark.parametrize("weight", [None, "weight"])
def test_constraint_matches_networkx(weight):
    rnd = random.Random(7)
    P = nx.gnp_random_graph(25, 0.2, seed=7)
    for u, v in P.edges:
        P.edges[u, v]["weight"] = rnd.choice([0.5, 1.0, 2.0])
    P.add_node(99)
    expected = nx.constraint(P, weight=weight)
    got = burt_constraint(P, weight=weight)
    assert got[99] is None
    assert {n: got[n] for n in P if n != 99} == pytest.approx(
        {n: expected[n] for n in P if n != 99})


def test_constraint_only_for_the_top_nodes():
    P = coop("ab", "bc", "ca", "de", "ef", "fd", "cd")
    rows = brokers(P, constraint_top=2)
    assert [r["constraint"] is not None for r in rows] == [True, True] + [False] * 4


def test_sampled_betweenness_above_the_threshold():
    P = nx.relabel_nodes(nx.les_miserables_graph(), lambda n: f"structure:{n}")
    exact = {r["id"]: r["betweenness"] for r in brokers(P)}
    sampled = {r["id"]: r["betweenness"] for r in brokers(P, exact_max_nodes=50, k=20, seed=3)}
    assert exact == pytest.approx(nx.betweenness_centrality(P))
    assert sampled == pytest.approx(nx.betweenness_centrality(P, k=20, seed=3))
    assert sampled != pytest.approx(exact)
    again = {r["id"]: r["betweenness"] for r in brokers(P, exact_max_nodes=50, k=20, seed=3)}
    assert again == sampled


def test_weighted_paths_use_inverse_weights():
    # a-b-c strong, a-d-c weak: with 1/weight lengths every a..c path goes through b
    P = nx.Graph()
    P.add_edge("a", "b", weight=2.0)
    P.add_edge("b", "c", weight=2.0)
    P.add_edge("a", "d", weight=0.5)
    P.add_edge("d", "c", weight=0.5)
    hops = {r["id"]: r["betweenness"] for r in brokers(P, membership={})}
    strong = {r["id"]: r["betweenness"] for r in brokers(P, membership={}, weighted_paths=True)}
    assert hops["b"] == hops["d"] == pytest.approx(1 / 6)
    assert (strong["b"], strong["d"]) == (pytest.approx(1 / 3), 0.0)


def test_given_membership_is_used():
    P = coop("ab", "bc")
    rows = {r["id"]: r for r in brokers(P, {"structure:a": 5, "structure:b": 5,
                                             "structure:c": 6})}
    assert rows["structure:b"]["cluster"] == 5
    assert rows["structure:b"]["participation"] == pytest.approx(0.5)


def test_isolated_structures():
    G = demo_graph()
    assert isolated_structures(G, cooperation_graph(G)) == [
        "funder:nantes-initiatives", "structure:angers-insertion"]


def test_isolated_structures_as_of():
    G = toy_graph([("structure:a", "COOPERATES_WITH", "structure:b", {"since": 2010})],
                  nodes={"structure:c": {"founded": 2012}})
    assert isolated_structures(G, cooperation_graph(G, as_of=2009)) == [
        "structure:a", "structure:b"]
    assert isolated_structures(G, cooperation_graph(G, as_of=2011)) == []
    assert isolated_structures(G, cooperation_graph(G)) == ["structure:c"]

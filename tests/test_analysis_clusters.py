"""Cooperation clusters: Louvain with a fixed seed, numbering, bridges, descriptions."""

import networkx as nx
import pytest

from graph.analysis._testing import demo_graph, toy_graph
from graph.analysis.clusters import cooperation_clusters, describe_clusters
from graph.analysis.projection import cooperation_graph


def coop(*pairs, nodes=None):
    edges = [(f"structure:{a}", "COOPERATES_WITH", f"structure:{b}") for a, b in pairs]
    return cooperation_graph(toy_graph(edges, nodes=nodes))


def s(*names):
    return [f"structure:{n}" for n in names]


def test_empty_graph():
    result = cooperation_clusters(nx.Graph())
    assert (result.modularity, result.clusters, result.membership, result.isolated) == (
        0.0, [], {}, [])


def test_one_node_is_isolated():
    result = cooperation_clusters(coop(nodes={"structure:a": {}}))
    assert result.clusters == [] and result.isolated == ["structure:a"]


def test_two_triangles_joined_by_one_tie():
    P = coop("ab", "bc", "ca", "de", "ef", "fd", "cd", nodes={"structure:z": {}})
    result = cooperation_clusters(P, seed=0)
    assert [c.members for c in result.clusters] == [s("a", "b", "c"), s("d", "e", "f")]
    assert [c.id for c in result.clusters] == [0, 1]
    assert [c.size for c in result.clusters] == [3, 3]
    assert result.modularity == pytest.approx(5 / 14)  # 2 * (3/7 - (7/14)^2)
    assert result.membership == dict.fromkeys(s("a", "b", "c"), 0) | dict.fromkeys(
        s("d", "e", "f"), 1)
    assert result.isolated == ["structure:z"]
    assert result.clusters[0].bridges == [
        {"id": "structure:c", "name": "structure:c", "clusters": [1], "external_weight": 1.0}]
    assert result.clusters[1].bridges == [
        {"id": "structure:d", "name": "structure:d", "clusters": [0], "external_weight": 1.0}]


def test_disconnected_components_have_no_bridges():
    result = cooperation_clusters(coop("ab", "bc", "ca", "de", "ef", "fd"), seed=0)
    assert result.modularity == pytest.approx(0.5)
    assert [(c.members, c.bridges) for c in result.clusters] == [
        (s("a", "b", "c"), []), (s("d", "e", "f"), [])]


def test_largest_cluster_first_then_smallest_member():
    result = cooperation_clusters(coop("xy", "ab", "bc", "ca"), seed=0)
    assert [c.members for c in result.clusters] == [s("a", "b", "c"), s("x", "y")]


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_same_seed_same_result(seed):
    P = cooperation_graph(demo_graph())
    first, again = cooperation_clusters(P, seed=seed), cooperation_clusters(P, seed=seed)
    assert first == again


def test_demo_graph_clusters_described():
    G = demo_graph()
    P = cooperation_graph(G)
    result = cooperation_clusters(P, seed=0, G=G)
    assert [c.members for c in result.clusters] == [
        s("arais", "envie44", "ressourcerie"), s("ecossolies", "ouvre-boites"),
        s("radar", "trempolino")]
    assert result.isolated == ["funder:nantes-initiatives", "structure:angers-insertion"]
    first = result.clusters[0]
    assert first.sectors == [
        {"id": "sector:environnement", "name": "Environnement", "count": 2},
        {"id": "sector:insertion", "name": "Insertion, emploi", "count": 2}]
    assert first.territories == [{"id": "departement:44", "name": "Loire-Atlantique", "count": 3}]
    assert first.networks == [
        {"id": "network:inter-reseau", "name": "Inter-réseau ESS", "count": 1}]
    assert [b["id"] for b in first.bridges] == ["structure:arais"]
    assert first.bridges[0]["clusters"] == [1, 2]
    assert result.clusters[1].networks[0] == {
        "id": "network:cress-pdl", "name": "CRESS Pays de la Loire", "count": 2}


def test_describe_at_another_level_and_top():
    G = demo_graph()
    P = cooperation_graph(G)
    [c] = describe_clusters(G, P, [set(s("arais", "envie44", "ressourcerie"))], level="epci",
                            top=1)
    assert c.territories == [{"id": "epci:244400404", "name": "Nantes Métropole", "count": 2}]
    assert c.sectors == [{"id": "sector:environnement", "name": "Environnement", "count": 2}]
    with pytest.raises(ValueError, match="^unknown territory level 'pays'"):
        describe_clusters(G, P, [], level="pays")


def test_higher_resolution_gives_smaller_clusters():
    P = coop("ab", "bc", "ca", "cd", "de", "ef", "fd")
    big = cooperation_clusters(P, seed=0, resolution=0.1)
    small = cooperation_clusters(P, seed=0, resolution=1.0)
    assert len(big.clusters) == 1 and len(small.clusters) == 2

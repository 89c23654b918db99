"""The projection kept by group (Ties) gives the figures of the pairwise projection.

Random typed graphs with networks, events, funders and explicit cooperation, some
pairs sharing several groups: every measure computed from the groups is compared
with the same measure on ``cooperation_graph`` (NetworkX), which the other analysis
tests pin down.
"""

import random

import networkx as nx
import numpy as np
import pytest

from graph.analysis._testing import demo_graph, toy_graph
from graph.analysis.brokers import brokers, burt_constraint, participation_coefficient
from graph.analysis.clusters import cooperation_clusters, describe_clusters
from graph.analysis.group_measures import constraint_ties, participation_ties
from graph.analysis.louvain import louvain_ties, modularity_ties
from graph.analysis.paths import betweenness_csr
from graph.analysis.projection import cooperation_graph, cooperation_ties


def random_typed(n: int, groups: int, seed: int, coop: int = 0) -> nx.MultiDiGraph:
    rnd = random.Random(seed)
    edges = []
    kinds = [("network", "MEMBER_OF"), ("event", "PARTICIPATED_IN"), ("funder", "FUNDED_BY")]
    for g in range(groups):
        prefix, rtype = kinds[g % len(kinds)]
        size = rnd.choice([2, 3, 4, 6, 9, 15])
        for m in rnd.sample(range(n), size):
            edges.append((f"structure:s{m:03d}", rtype, f"{prefix}:g{g}"))
    for _ in range(coop):
        a, b = rnd.sample(range(n), 2)
        edges.append((f"structure:s{a:03d}", "COOPERATES_WITH", f"structure:s{b:03d}",
                      {"kind": rnd.choice(["project", "other"])}))
    nodes = {f"structure:s{m:03d}": {"name": f"S {m}"} for m in range(n)}
    return toy_graph(edges, nodes=nodes)


GRAPHS = [(40, 12, 1, 10), (80, 30, 2, 25), (120, 25, 3, 60)]


@pytest.fixture(params=GRAPHS, ids=lambda p: f"n{p[0]}-g{p[1]}")
def both(request):
    G = random_typed(*request.param)
    return G, cooperation_graph(G), cooperation_ties(G)


def test_strength_degree_and_edges(both):
    _, P, T = both
    assert T.number_of_edges() == P.number_of_edges()
    assert T.degrees().tolist() == [P.degree(n) for n in T.nodes]
    assert T.strength() == pytest.approx([P.degree(n, weight="weight") for n in T.nodes])
    indptr, indices, weights = T.csr()
    for i, u in enumerate(T.nodes):
        row = indices[indptr[i]:indptr[i + 1]]
        assert [T.nodes[j] for j in row] == sorted(P[u])
        assert weights[indptr[i]:indptr[i + 1]] == pytest.approx(
            [P[u][T.nodes[j]]["weight"] for j in row])


def test_modularity_same_as_networkx(both):
    _, P, T = both
    H = P.subgraph(n for n in P if P.degree(n))
    parts = nx.community.louvain_communities(H, weight="weight", seed=3)
    for resolution in (1.0, 0.5):
        assert modularity_ties(T, parts, resolution=resolution) == pytest.approx(
            nx.community.modularity(H, parts, weight="weight", resolution=resolution))


def test_louvain_on_groups_as_good_as_networkx(both):
    _, P, T = both
    H = P.subgraph(n for n in P if P.degree(n))
    found = louvain_ties(T, seed=0)
    assert sorted(set().union(*found)) == sorted(H)           # every tied structure, once
    assert sum(len(c) for c in found) == H.number_of_nodes()
    q_ties = modularity_ties(T, found)
    q_nx = nx.community.modularity(H, nx.community.louvain_communities(H, weight="weight", seed=0),
                                   weight="weight")
    assert q_ties > 0.2
    assert q_ties >= q_nx - 0.03


def test_participation_and_constraint_match_pairwise(both):
    _, P, T = both
    membership = cooperation_clusters(P, seed=0).membership
    expected = participation_coefficient(P, membership)
    assert participation_ties(T, membership) == pytest.approx([expected[n] for n in T.nodes])
    partial = dict(list(membership.items())[::2])       # some structures without a cluster
    expected = participation_coefficient(P, partial)
    assert participation_ties(T, partial) == pytest.approx([expected[n] for n in T.nodes])
    nodes = list(range(len(T.nodes)))
    expected = burt_constraint(P, T.nodes)
    got = constraint_ties(T, nodes)
    for i, n in enumerate(T.nodes):
        if expected[n] is None:
            assert got[i] is None
        else:
            assert got[i] == pytest.approx(expected[n])


def test_betweenness_on_pairs_is_networkx(both):
    _, P, T = both
    indptr, indices, _ = T.csr()
    exact = nx.betweenness_centrality(P)
    assert betweenness_csr(indptr, indices).tolist() == pytest.approx([exact[n] for n in T.nodes])
    sampled = nx.betweenness_centrality(P, k=10, seed=4)
    assert betweenness_csr(indptr, indices, k=10, seed=4).tolist() == pytest.approx(
        [sampled[n] for n in T.nodes])


def test_betweenness_on_groups_same_without_repeated_groups():
    # no two structures share more than one group: the structure-group graph has the
    # projection's shortest paths, one for one
    edges = [("structure:a", "MEMBER_OF", "network:n1"), ("structure:b", "MEMBER_OF", "network:n1"),
             ("structure:c", "MEMBER_OF", "network:n1"), ("structure:c", "MEMBER_OF", "network:n2"),
             ("structure:d", "MEMBER_OF", "network:n2"), ("structure:d", "COOPERATES_WITH", "structure:e"),
             ("structure:e", "PARTICIPATED_IN", "event:x"), ("structure:f", "PARTICIPATED_IN", "event:x")]
    G = toy_graph(edges)
    P, T = cooperation_graph(G), cooperation_ties(G)
    indptr, indices = T.incidence()
    got = betweenness_csr(indptr, indices, counted=len(T.nodes))
    exact = nx.betweenness_centrality(P)
    assert got.tolist() == pytest.approx([exact[n] for n in T.nodes])
    assert got.max() > 0


def test_clusters_from_ties_described_like_pairwise():
    G = demo_graph()
    P, T = cooperation_graph(G), cooperation_ties(G)
    from_pairs = cooperation_clusters(P, seed=0, G=G)
    from_ties = cooperation_clusters(T, seed=0, G=G)
    assert from_ties.isolated == from_pairs.isolated
    assert from_ties.modularity == pytest.approx(
        modularity_ties(T, [set(c.members) for c in from_ties.clusters]))
    assert from_ties.modularity >= from_pairs.modularity - 0.02
    # same partition described the same way, whichever projection is given
    communities = [set(c.members) for c in from_ties.clusters]
    a, b = describe_clusters(G, P, communities), describe_clusters(G, T, communities)
    for x, y in zip(a, b):
        assert (x.members, x.sectors, x.territories, x.networks) == (
            y.members, y.sectors, y.territories, y.networks)
        assert [(r["id"], r["name"], r["clusters"]) for r in x.bridges] == [
            (r["id"], r["name"], r["clusters"]) for r in y.bridges]
        assert [r["external_weight"] for r in x.bridges] == pytest.approx(
            [r["external_weight"] for r in y.bridges])


def test_brokers_from_ties_match_pairwise(both):
    _, P, T = both
    membership = cooperation_clusters(P, seed=0).membership
    expected = brokers(P, membership, seed=0)
    got = brokers(T, membership, seed=0)                 # exact: paths on pairs
    assert [r["id"] for r in got] == [r["id"] for r in expected]
    for x, y in zip(got, expected):
        assert x["degree"] == y["degree"] and x["cluster"] == y["cluster"]
        assert x["isolated"] == y["isolated"] and x["name"] == y["name"]
        for key in ("betweenness", "participation", "strength"):
            assert x[key] == pytest.approx(y[key]), key
        assert (x["constraint"] is None) == (y["constraint"] is None)
        if x["constraint"] is not None:
            assert x["constraint"] == pytest.approx(y["constraint"])


def test_brokers_sampled_on_groups_rank_like_pairs():
    G = random_typed(150, 60, 9, coop=40)
    P, T = cooperation_graph(G), cooperation_ties(G)
    membership = cooperation_clusters(T, seed=0).membership
    on_groups = brokers(T, membership, exact_max_nodes=50, k=150, seed=0)
    on_pairs = brokers(T, membership, exact_max_nodes=50, k=150, seed=0, paths="pairs")
    assert on_pairs[0]["id"] == brokers(P, membership, exact_max_nodes=50, k=150, seed=0)[0]["id"]
    top = {r["id"] for r in on_pairs[:15]}
    assert len(top & {r["id"] for r in on_groups[:15]}) >= 10
    rho = np.corrcoef([r["betweenness"] for r in sorted(on_groups, key=lambda r: r["id"])],
                      [r["betweenness"] for r in sorted(on_pairs, key=lambda r: r["id"])])[0, 1]
    assert rho > 0.9


def test_ties_refuse_what_needs_pairs():
    T = cooperation_ties(demo_graph())
    with pytest.raises(ValueError, match="pairwise"):
        cooperation_clusters(T, weight=None)
    with pytest.raises(ValueError, match="pairwise"):
        brokers(T, {}, weighted_paths=True)
    with pytest.raises(ValueError, match="paths must be"):
        brokers(T, {}, paths="hops")
    with pytest.raises(ValueError, match="cooperation_ties"):
        brokers(cooperation_graph(demo_graph()), {}, paths="groups")


def test_empty_ties():
    T = cooperation_ties(toy_graph(nodes={"structure:z": {}}))
    result = cooperation_clusters(T)
    assert (result.clusters, result.isolated, result.modularity) == ([], ["structure:z"], 0.0)
    [row] = brokers(T, {})
    assert (row["degree"], row["isolated"], row["constraint"]) == (0, True, None)
    assert brokers(cooperation_ties(toy_graph()), {}) == []


def test_betweenness_shared_between_processes_is_the_same():
    T = cooperation_ties(random_typed(120, 25, 3, coop=60))
    indptr, indices = T.incidence()
    one = betweenness_csr(indptr, indices, k=40, seed=1, counted=len(T.nodes))
    two = betweenness_csr(indptr, indices, k=40, seed=1, counted=len(T.nodes), workers=2)
    assert two.tolist() == pytest.approx(one.tolist())
    assert one.max() > 0


def test_clusters_and_brokers_side_by_side_same_as_one_after_the_other():
    from graph.analysis.clusters_brokers import clusters_and_brokers

    G = random_typed(150, 60, 9, coop=40)
    T = cooperation_ties(G)
    alone = cooperation_clusters(T, seed=0, G=G)
    expected = brokers(T, alone.membership, exact_max_nodes=50, k=60, seed=0)
    for parallel in (False, True):
        clustering, ranked = clusters_and_brokers(T, seed=0, G=G, exact_max_nodes=50, k=60,
                                                  parallel=parallel)
        assert clustering.membership == alone.membership
        assert clustering.modularity == alone.modularity
        assert [r["id"] for r in ranked] == [r["id"] for r in expected]
        assert [r["betweenness"] for r in ranked] == pytest.approx(
            [r["betweenness"] for r in expected])
        assert [r["constraint"] for r in ranked[:5]] == pytest.approx(
            [r["constraint"] for r in expected[:5]])


def test_subset_is_the_pairwise_subgraph(both):
    _, P, T = both
    keep = sorted(P)[::3]
    S = T.subset(keep + ["structure:nowhere"])
    H = P.subgraph(keep)
    assert S.nodes == sorted(keep)
    Q = S.to_graph()
    assert sorted(Q.edges) == sorted(tuple(sorted(e)) for e in H.edges)
    for u, v, d in H.edges(data=True):
        assert Q[u][v]["weight"] == pytest.approx(d["weight"])
        assert Q[u][v]["reasons"] == d["reasons"]


def test_around_is_two_ties_away(both):
    _, P, T = both
    hub = max(P, key=P.degree)
    near = set(nx.single_source_shortest_path_length(P, hub, cutoff=2))
    assert set(T.around(hub, len(P))) == near
    few = T.around(hub, P.degree(hub) + 1)            # its own neighbours come first
    assert set(few) == {hub, *P[hub]}

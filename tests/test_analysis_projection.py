"""The cooperation projection: group weighting, explicit ties, as_of, big groups."""

import networkx as nx
import pytest

from graph.analysis._testing import demo_graph, toy_graph
from graph.analysis.projection import DEFAULT_WEIGHTS, cooperation_graph


def members(group, rtype, *names, **props):
    return [(f"structure:{n}", rtype, group, props) for n in names]


def test_empty_graph():
    P = cooperation_graph(nx.MultiDiGraph())
    assert (P.number_of_nodes(), P.number_of_edges()) == (0, 0)
    assert P.graph == {"as_of": None, "weights": DEFAULT_WEIGHTS, "max_group_size": 200,
                       "skipped_groups": {}}


def test_one_structure_is_a_node_without_ties():
    P = cooperation_graph(toy_graph(nodes={"structure:a": {"name": "A"}}))
    assert dict(P.nodes(data=True)) == {"structure:a": {"name": "A"}}
    assert P.number_of_edges() == 0


def test_only_structures_are_nodes_including_double_labels():
    G = toy_graph([("structure:a", "MEMBER_OF", "network:n"),
                   ("network:m", "MEMBER_OF", "network:n"),
                   ("funder:club", "MEMBER_OF", "network:n")],
                  nodes={"funder:club": {"labels": ("Funder", "Structure")}})
    P = cooperation_graph(G)
    assert sorted(P) == ["funder:club", "structure:a"]
    assert P.edges["funder:club", "structure:a"]["weight"] == pytest.approx(1.0)


def test_group_weighting_is_one_over_n_minus_one():
    G = toy_graph(members("network:n", "MEMBER_OF", "a", "b", "c", "d")
                  + members("event:e", "PARTICIPATED_IN", "a", "b", "c")
                  + members("funder:f", "FUNDED_BY", "c", "d")
                  + members("place:p", "USES", "a", "d", "e")
                  + members("initiative:i", "CARRIES", "b", "e"))
    P = cooperation_graph(G)
    w = {tuple(sorted((u, v))): d["weight"] for u, v, d in P.edges(data=True)}
    s = {n: f"structure:{n}" for n in "abcde"}
    assert w == pytest.approx({
        (s["a"], s["b"]): 1 / 3 + 1 / 2,
        (s["a"], s["c"]): 1 / 3 + 1 / 2,
        (s["b"], s["c"]): 1 / 3 + 1 / 2,
        (s["a"], s["d"]): 1 / 3 + 1 / 2,
        (s["b"], s["d"]): 1 / 3,
        (s["c"], s["d"]): 1 / 3 + 1.0,
        (s["a"], s["e"]): 1 / 2,
        (s["d"], s["e"]): 1 / 2,
        (s["b"], s["e"]): 1.0,
    })
    assert P.edges[s["a"], s["b"]]["reasons"] == {"event": ["event:e"], "network": ["network:n"]}
    assert P.edges[s["c"], s["d"]]["reasons"] == {"funder": ["funder:f"], "network": ["network:n"]}
    assert P.edges[s["b"], s["e"]]["reasons"] == {"initiative": ["initiative:i"]}
    assert P.edges[s["a"], s["e"]]["reasons"] == {"place": ["place:p"]}


def test_each_member_spreads_one_unit_over_its_group():
    G = toy_graph(members("network:n", "MEMBER_OF", *"abcdef"))
    P = cooperation_graph(G)
    assert all(P.degree(n, weight="weight") == pytest.approx(1.0) for n in P)


def test_repeated_membership_counts_once():
    G = toy_graph(members("network:n", "MEMBER_OF", "a", "b", "a"))
    assert cooperation_graph(G).edges["structure:a", "structure:b"]["weight"] == 1.0


def test_explicit_cooperation_counts_once_per_pair_and_lists_kinds():
    G = toy_graph([("structure:a", "COOPERATES_WITH", "structure:b", {"kind": "partnership"}),
                   ("structure:b", "COOPERATES_WITH", "structure:a", {"kind": "partnership"}),
                   ("structure:a", "COOPERATES_WITH", "structure:b", {"kind": "joint_project"}),
                   ("structure:b", "COOPERATES_WITH", "structure:c"),
                   ("structure:c", "COOPERATES_WITH", "structure:c")])
    P = cooperation_graph(G)
    assert P.edges["structure:a", "structure:b"] == {
        "weight": 1.0, "reasons": {"cooperation": ["joint_project", "partnership"]}}
    assert P.edges["structure:b", "structure:c"]["reasons"] == {"cooperation": ["other"]}
    assert not P.has_edge("structure:c", "structure:c")


def test_weights_override_and_zero_ignores_a_source():
    G = toy_graph(members("event:e", "PARTICIPATED_IN", "a", "b", "c")
                  + members("network:n", "MEMBER_OF", "a", "b")
                  + [("structure:a", "COOPERATES_WITH", "structure:b")])
    P = cooperation_graph(G, weights={"event": 0.5, "cooperation": 2, "network": 0})
    assert P.edges["structure:a", "structure:b"] == {
        "weight": pytest.approx(2 + 0.5 / 2),
        "reasons": {"cooperation": ["other"], "event": ["event:e"]}}
    assert P.graph["weights"]["event"] == 0.5


@pytest.mark.parametrize("weights, message", [
    ({"sector": 1}, "unknown tie source 'sector'; expected one of cooperation, network, "
                    "event, place, funder, initiative"),
    ({"event": -1}, "weight of 'event' must be >= 0, not -1"),
])
def test_bad_weights(weights, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        cooperation_graph(nx.MultiDiGraph(), weights=weights)


def test_max_group_size_skips_big_groups_and_reports_them():
    G = toy_graph(members("network:big", "MEMBER_OF", "a", "b", "c", "d")
                  + members("event:small", "PARTICIPATED_IN", "a", "b", "c"))
    P = cooperation_graph(G, max_group_size=3)
    assert P.graph["skipped_groups"] == {"network:big": 4}
    assert P.edges["structure:a", "structure:b"]["reasons"] == {"event": ["event:small"]}
    assert not P.has_edge("structure:a", "structure:d")
    assert "structure:d" in P  # still a node
    assert cooperation_graph(G, max_group_size=None).has_edge("structure:a", "structure:d")
    with pytest.raises(ValueError, match="max_group_size must be at least 2, or None"):
        cooperation_graph(G, max_group_size=1)


def test_as_of_keeps_what_held_that_year():
    G = toy_graph(
        members("network:old", "MEMBER_OF", "a", "b", since=2000, until=2003)
        + members("network:new", "MEMBER_OF", "a", "c", since=2005)
        + members("event:e", "PARTICIPATED_IN", "b", "c")
        + members("funder:f", "FUNDED_BY", "a", "d", year=2006)
        + members("initiative:i", "CARRIES", "c", "d")
        + [("structure:a", "COOPERATES_WITH", "structure:d", {"since": "2004"}),
           ("structure:b", "COOPERATES_WITH", "structure:d")],
        nodes={"event:e": {"date": "2005-06"}, "initiative:i": {"year": 2010},
               "structure:late": {"founded": "2008-01"}})

    def ties(year):
        P = cooperation_graph(G, as_of=year)
        return sorted((u[-1] + v[-1]) if u < v else (v[-1] + u[-1]) for u, v in P.edges), sorted(P)

    assert ties(2002) == (["ab", "bd"], ["structure:a", "structure:b", "structure:c",
                                          "structure:d"])
    assert ties(2004) == (["ad", "bd"], ["structure:a", "structure:b", "structure:c",
                                          "structure:d"])
    assert ties(2005)[0] == ["ac", "ad", "bc", "bd"]
    assert ties(2006)[0] == ["ac", "ad", "bc", "bd"]
    assert ties(2010)[0] == ["ac", "ad", "bc", "bd", "cd"]
    assert "structure:late" in ties(2008)[1] and "structure:late" not in ties(2007)[1]
    assert cooperation_graph(G, as_of=2006).edges["structure:a", "structure:d"]["reasons"] == {
        "cooperation": ["other"], "funder": ["funder:f"]}
    assert cooperation_graph(G).graph["as_of"] is None


def test_disconnected_components_stay_apart():
    G = toy_graph(members("network:n", "MEMBER_OF", "a", "b")
                  + members("network:m", "MEMBER_OF", "c", "d"))
    P = cooperation_graph(G)
    assert sorted(map(sorted, nx.connected_components(P))) == [
        ["structure:a", "structure:b"], ["structure:c", "structure:d"]]


def test_demo_graph():
    P = cooperation_graph(demo_graph())
    assert P.number_of_nodes() == 9 and P.number_of_edges() == 9
    assert P.edges["structure:radar", "structure:trempolino"] == {
        "weight": pytest.approx(1 / 3 + 1),
        "reasons": {"network": ["network:inter-reseau"], "place": ["place:ecopole"]}}


def test_interviewees_of_one_study_are_not_tied_to_each_other():
    # a consultation: 3 structures interviewed one by one, 2 took part in its restitution day
    G = toy_graph(members("event:study", "PARTICIPATED_IN", "a", "b", "c", role="interviewee")
                  + members("event:study", "PARTICIPATED_IN", "d", "e", role="participant")
                  + members("event:study", "PARTICIPATED_IN", "f", role="organiser"))
    P = cooperation_graph(G)
    assert sorted(P) == [f"structure:{n}" for n in "abcdef"]
    assert sorted(P.edges()) == [("structure:d", "structure:e"), ("structure:d", "structure:f"),
                                 ("structure:e", "structure:f")]
    assert P.edges["structure:d", "structure:e"]["weight"] == pytest.approx(0.5)


def test_cooperation_with_a_network_or_funder_ties_no_two_structures():
    G = toy_graph([("structure:a", "COOPERATES_WITH", "network:n"),
                   ("network:n", "COOPERATES_WITH", "funder:f"),
                   ("structure:a", "COOPERATES_WITH", "structure:b")])
    P = cooperation_graph(G)
    assert sorted(P) == ["structure:a", "structure:b"]
    assert list(P.edges()) == [("structure:a", "structure:b")]

"""The Structure page's ego network, read from the store (graph.ego), against NetworkX's
own ego graph of the whole typed graph."""

from __future__ import annotations

import networkx as nx
import pytest

from app.components.graphs import EGO_TYPES
from graph.convert import typed_graph
from graph.ego import ego_graph

TYPES = ("MEMBER_OF", "LOCATED_IN", "COOPERATES_WITH", "FUNDED_BY")


def _reference(G: nx.MultiDiGraph, center: str, depth: int, types) -> nx.MultiDiGraph:
    """networkx.ego_graph on the relationships of ``types`` (either direction)."""
    F = nx.Graph()
    F.add_nodes_from(G)
    F.add_edges_from((u, v) for u, v, d in G.edges(data=True) if d.get("type") in types)
    keep = set(nx.ego_graph(F, center, radius=depth))
    H = nx.MultiDiGraph()
    H.add_nodes_from(keep)
    H.add_edges_from((u, v, {"type": d["type"]}) for u, v, d in G.edges(data=True)
                     if u in keep and v in keep and d.get("type") in types)
    return H


def _edges(H) -> list[tuple]:
    return sorted((u, v, d["type"]) for u, v, d in H.edges(data=True))


@pytest.mark.parametrize("types", [EGO_TYPES, TYPES])
def test_ego_graph_is_the_whole_graph_ego_network_when_nothing_is_cut(shared_seed_store, types):
    G = typed_graph(shared_seed_store)
    centers = sorted(n for n in G if not n.startswith(("commune:", "epci:", "departement:", "region:")))
    assert len(centers) > 100
    compared = 0
    for center in centers[::4]:  # a quarter of them, every kind
        for depth in (1, 2):
            H, cut = ego_graph(shared_seed_store, center, depth=depth, types=types,
                               max_per_node=10_000, max_center=10_000)
            assert not cut
            ref = _reference(G, center, depth, types)
            assert set(H) == set(ref), (center, depth)
            assert _edges(H) == _edges(ref), (center, depth)
            assert H.nodes[center]["name"] == G.nodes[center].get("name")
            assert set(H.nodes[center]["labels"]) == set(G.nodes[center]["labels"])
            compared += len(H) > 1
    assert compared > 10


def test_ego_graph_caps_hubs_and_says_so(shared_seed_store):
    G = typed_graph(shared_seed_store)
    hub = max((n for n in G if n.startswith("network:")), key=G.degree)
    full, cut = ego_graph(shared_seed_store, hub, depth=2, types=EGO_TYPES,
                          max_per_node=10_000, max_center=10_000)
    assert not cut and len(full) > 12
    H, cut = ego_graph(shared_seed_store, hub, depth=2, types=EGO_TYPES, max_per_node=2, max_center=3)
    assert cut
    assert set(H) <= set(full) and hub in H
    assert len(H) <= 1 + 3 + 3 * 2  # the centre, 3 neighbours, 2 more from each
    one, cut = ego_graph(shared_seed_store, hub, depth=1, types=EGO_TYPES, max_per_node=2, max_center=3)
    assert cut and len(one) == 1 + 3 and set(one) <= set(H)


def test_ego_graph_of_an_unknown_node_and_of_no_types(shared_seed_store):
    with pytest.raises(KeyError):
        ego_graph(shared_seed_store, "structure:nobody-here", types=EGO_TYPES)
    H, cut = ego_graph(shared_seed_store, "structure:ecossolies", types=())
    assert list(H) == ["structure:ecossolies"] and not cut

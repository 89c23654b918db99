"""Partner suggestions: local candidates, Adamic–Adar plus bonuses, French reasons."""

import math

import networkx as nx
import pytest

from graph.analysis._testing import demo_graph, toy_graph, toy_territories
from graph.analysis.partners import suggest_partners
from graph.analysis.projection import cooperation_graph

TERRITORIES, PART_OF = toy_territories()


def test_demo_suggestions_and_reasons():
    G = demo_graph()
    P = cooperation_graph(G)
    got = suggest_partners(G, P, "structure:envie44")
    aa = 1 / math.log(4)  # one common partner, ARAIS, of degree 4
    assert got == [
        {"id": "structure:ecossolies", "name": "Les Ecossolies", "score": round(aa + 0.75 + 0.5, 4),
         "adamic_adar": round(aa, 4), "distance": 2,
         "reasons": ["1 partenaire en commun", "même EPCI (Nantes Métropole)",
                     "fonctions complémentaires : information, accompagnement, réseau"]},
        {"id": "structure:radar", "name": "RADAR", "score": round(aa + 0.75, 4),
         "adamic_adar": round(aa, 4), "distance": 2,
         "reasons": ["1 partenaire en commun", "même EPCI (Nantes Métropole)"]},
        {"id": "structure:trempolino", "name": "Trempolino", "score": round(aa + 0.75, 4),
         "adamic_adar": round(aa, 4), "distance": 2,
         "reasons": ["1 partenaire en commun", "même EPCI (Nantes Métropole)"]},
        {"id": "structure:ouvre-boites", "name": "Ouvre-Boites 44", "score": 1.25,
         "adamic_adar": 0.0, "distance": 3,
         "reasons": ["même EPCI (Nantes Métropole)",
                     "fonctions complémentaires : accompagnement"]},
    ]


def test_existing_ties_and_self_are_never_suggested():
    G = demo_graph()
    P = cooperation_graph(G)
    for s in P:
        ids = {r["id"] for r in suggest_partners(G, P, s, top=100)}
        assert s not in ids and not ids & set(P[s])


def test_max_distance_and_top():
    G = demo_graph()
    P = cooperation_graph(G)
    assert [r["distance"] for r in suggest_partners(G, P, "structure:envie44",
                                                    max_distance=2)] == [2, 2, 2]
    assert len(suggest_partners(G, P, "structure:envie44", top=1)) == 1


def test_shared_networks_sectors_and_commune():
    # a and c share two networks (given no weight), a partner b, a sector, a commune
    G = toy_graph(PART_OF + [
        ("structure:a", "MEMBER_OF", "network:n1"), ("structure:c", "MEMBER_OF", "network:n1"),
        ("structure:a", "MEMBER_OF", "network:n2"), ("structure:c", "MEMBER_OF", "network:n2"),
        ("structure:a", "COOPERATES_WITH", "structure:b"),
        ("structure:b", "COOPERATES_WITH", "structure:c"),
        ("structure:a", "ACTIVE_IN", "sector:culture"), ("structure:c", "ACTIVE_IN", "sector:culture"),
        ("structure:a", "ACTIVE_IN", "sector:insertion"),
        ("structure:a", "LOCATED_IN", "commune:11001"), ("structure:c", "SERVES", "commune:11001"),
    ], nodes={**TERRITORIES, "sector:culture": {"name": "Culture"},
              "structure:a": {"functions": ["accompagnement", "financement"]},
              "structure:c": {"name": "C", "functions": ["financement"]}})
    P = cooperation_graph(G, weights={"network": 0})
    [got] = suggest_partners(G, P, "structure:a")
    assert got == {"id": "structure:c", "name": "C", "distance": 2,
                   "adamic_adar": round(1 / math.log(2), 4),
                   "score": round(1 / math.log(2) + 2 * 0.25 + 1.0 + 0.5, 4),
                   "reasons": ["1 partenaire en commun", "2 réseaux en commun",
                               "même commune (Ville)", "secteur en commun : Culture"]}


def test_isolated_structure_gets_same_sector_same_territory_candidates():
    G = toy_graph(PART_OF + [
        ("structure:lone", "LOCATED_IN", "commune:11001"),
        ("structure:lone", "ACTIVE_IN", "sector:insertion"),
        ("structure:near", "LOCATED_IN", "commune:11002"),      # same EPCI, same sector
        ("structure:near", "ACTIVE_IN", "sector:insertion"),
        ("structure:far", "LOCATED_IN", "commune:12001"),       # same sector, elsewhere
        ("structure:far", "ACTIVE_IN", "sector:insertion"),
        ("structure:other", "LOCATED_IN", "commune:11001"),     # same commune, other sector
        ("structure:other", "ACTIVE_IN", "sector:culture"),
    ], nodes={**TERRITORIES, "sector:insertion": {"name": "Insertion"},
              "structure:near": {"name": "Near", "functions": ["formation"]}})
    P = cooperation_graph(G)
    assert suggest_partners(G, P, "structure:lone") == [{
        "id": "structure:near", "name": "Near", "score": 0.75 + 0.5 + 0.5, "adamic_adar": 0.0,
        "distance": None,
        "reasons": ["même EPCI (Agglo A)", "secteur en commun : Insertion",
                    "fonctions complémentaires : formation"]}]
    assert suggest_partners(G, P, "structure:lone", max_unconnected=0) == []


def test_unconnected_candidates_are_bounded():
    edges = PART_OF + [("structure:lone", "LOCATED_IN", "commune:11001"),
                       ("structure:lone", "ACTIVE_IN", "sector:s")]
    for i in range(30):
        edges += [(f"structure:x{i:02d}", "LOCATED_IN", "commune:11001"),
                  (f"structure:x{i:02d}", "ACTIVE_IN", "sector:s")]
    G = toy_graph(edges, nodes=TERRITORIES)
    P = cooperation_graph(G)
    assert len(suggest_partners(G, P, "structure:lone", top=100, max_unconnected=5)) == 5
    assert len(suggest_partners(G, P, "structure:lone", top=100)) == 30


def test_bonuses_can_be_changed():
    G = demo_graph()
    P = cooperation_graph(G)
    got = suggest_partners(G, P, "structure:envie44", bonuses={"epci": 0, "functions": 0})
    assert [r["id"] for r in got] == ["structure:ecossolies", "structure:radar",
                                      "structure:trempolino"]


def test_unknown_structure():
    with pytest.raises(nx.NodeNotFound, match="^structure 'structure:x' is not in the graph$"):
        suggest_partners(nx.MultiDiGraph(), nx.Graph(), "structure:x")

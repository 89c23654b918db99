"""GraphML, GEXF and Kumu exports read back by NetworkX and igraph; formula neutralisation."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graph import exports
from graph.exports import neutralise_formula, to_gexf, to_graphml, to_kumu


@pytest.fixture
def G():
    g = nx.MultiDiGraph()
    g.add_node("structure:ecossolies", labels=("Structure", "Network"), name="Écossolies",
               legal_form="association", functions=["information", "reseau"], employees=12,
               sources=["source:seed-2009"], siren=None, website="")
    g.add_node("structure:cigales", labels=("Structure", "Funder"), name="=Club CIGALES", employees=2.5,
               functions=[], founded="2001")
    g.add_node("network:cress-pdl", labels=("Network",), name="CRESS Pays de la Loire", level="region")
    g.add_node("commune:44109", labels=("Territory",), name="Nantes", lat=47.2173, lon=-1.5536,
               population=327734, density="urban")
    g.add_edge("structure:ecossolies", "network:cress-pdl", key="MEMBER_OF", type="MEMBER_OF", since=2008,
               role="member")
    g.add_edge("structure:ecossolies", "structure:cigales", key="COOPERATES_WITH", type="COOPERATES_WITH",
               since=2010, kind="partnership")
    g.add_edge("structure:ecossolies", "structure:cigales", key="COOPERATES_WITH#2", type="COOPERATES_WITH",
               since="2015", description="second project")
    g.add_edge("structure:ecossolies", "commune:44109", key="LOCATED_IN", type="LOCATED_IN")
    return g


def test_graphml_read_back_by_networkx_and_igraph(G, tmp_path):
    path = to_graphml(G, tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    assert (H.number_of_nodes(), H.number_of_edges()) == (4, 4)
    n = H.nodes["structure:ecossolies"]
    assert n["labels"] == "Structure|Network" and n["label"] == "Écossolies" and n["name"] == "Écossolies"
    assert n["functions"] == "information|reseau" and n["employees"] == 12.0  # int and float -> float
    assert "siren" not in n and n["website"] == ""
    assert H.nodes["commune:44109"]["lon"] == -1.5536 and H.nodes["commune:44109"]["population"] == 327734
    types = sorted(d["type"] for _, _, d in H.edges(data=True))
    assert types == ["COOPERATES_WITH", "COOPERATES_WITH", "LOCATED_IN", "MEMBER_OF"]
    assert {d["since"] for _, _, d in H.edges(data=True) if d["type"] == "COOPERATES_WITH"} == {"2010", "2015"}
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    assert (g.vcount(), g.ecount()) == (4, 4) and g.is_directed()
    assert sorted(g.vs["id"]) == sorted(G.nodes)
    assert sorted(g.es["type"]) == types
    v = g.vs.find(id="structure:cigales")
    assert v["label"] == "=Club CIGALES" and v["labels"] == "Structure|Funder"


def test_gexf_read_back(G, tmp_path):
    path = to_gexf(G, tmp_path / "g.gexf")
    H = nx.read_gexf(path)
    assert (H.number_of_nodes(), H.number_of_edges()) == (4, 4)
    n = H.nodes["structure:ecossolies"]
    assert n["label"] == "Écossolies" and n["labels"] == "Structure|Network"
    rel = sorted(d["rel_type"] for _, _, d in H.edges(data=True))
    assert rel == ["COOPERATES_WITH", "COOPERATES_WITH", "LOCATED_IN", "MEMBER_OF"]
    assert all(d["label"] == d["rel_type"] for _, _, d in H.edges(data=True))
    assert "directed" in path.read_text(encoding="utf-8")


def test_kumu(G):
    k = to_kumu(G)
    json.dumps(k)
    els = {e["id"]: e for e in k["elements"]}
    assert els["structure:ecossolies"]["label"] == "Écossolies"
    assert els["structure:ecossolies"]["type"] == "Structure"
    assert els["structure:ecossolies"]["tags"] == ["Structure", "Network"]
    assert els["structure:ecossolies"]["functions"] == ["information", "reseau"]
    assert "siren" not in els["structure:ecossolies"] and "functions" not in els["structure:cigales"]
    assert els["commune:44109"]["type"] == "Territory"
    assert len(k["connections"]) == 4
    c = [c for c in k["connections"] if c["type"] == "MEMBER_OF"][0]
    assert (c["from"], c["to"], c["direction"], c["since"], c["role"]) == (
        "structure:ecossolies", "network:cress-pdl", "directed", 2008, "member")
    assert to_kumu(G) == k  # deterministic


@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"), ("+33 1 23", "'+33 1 23"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-1.5536", "-1.5536"), ("+3", "+3"), ("-2+3", "'-2+3"),
    ("Nantes", "Nantes"), ("", ""), (-3, -3), (2.5, 2.5), (None, None), ("-", "'-"), ("1e-3", "1e-3"),
])
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


def test_portable_graph_types():
    g = nx.MultiDiGraph()
    g.add_node("a", labels=("Structure",), year=2010)
    g.add_node("b", labels=("Structure",), year="2010-05")
    H = exports.portable_graph(g)
    assert H.nodes["a"]["year"] == "2010" and H.nodes["b"]["year"] == "2010-05"
    assert H.nodes["a"]["label"] == "a"  # no name: the id

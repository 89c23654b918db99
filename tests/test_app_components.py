"""The app's pure helpers: offline network HTML, maps without basemap, graph shaping, quality."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from app import i18n
from app.components import geo, graphs, maps, network, quality
from graph.analysis import cooperation_clusters, cooperation_graph
from graph.analysis._testing import demo_graph

EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def test_network_html_is_self_contained():
    G = nx.path_graph(5)
    page = network.network_html(G)
    assert "new vis.Network" in page
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page.lower()
    assert not EXTERNAL.search(page)
    assert "node_modules" not in page
    assert '"physics": {"enabled": true' in page.replace("'", '"') or "barnesHut" in page


def test_network_html_turns_physics_off_and_lays_out_big_graphs():
    G = nx.Graph()
    for i in range(1200):
        G.add_node(i, cluster=i % 7)
        G.add_edge(i, (i * 7 + 3) % 1200)
    page = network.network_html(G, physics_max=1000)
    data = page[page.index("nodes = new vis.DataSet(") + 24:]
    nodes = json.loads(data[:data.index(");")])
    assert len(nodes) == 1200 and all("x" in n and "y" in n for n in nodes)
    assert '"enabled": false' in page or "physics: false" in page or '"physics": false' in page


def _drawn_data(page: str, what: str) -> list:
    data = page[page.index(f"{what} = new vis.DataSet(") + len(what) + 19:]
    return json.loads(data[:data.index(");")])


@pytest.mark.parametrize("directed", [False, True])
def test_network_html_draws_what_pyvis_add_node_and_add_edge_draw(directed):
    """network_html builds pyvis's node and edge options itself (add_node/add_edge are
    quadratic): the same nodes and edges as pyvis's own calls, a reversed duplicate
    edge of an undirected graph once."""
    from pyvis.network import Network

    G = nx.MultiDiGraph() if directed else nx.Graph()
    G.add_node("structure:a", name="A", color="#111111", size=20, shape="star", title="A\nStructure")
    G.add_node("structure:b", name="B")
    G.add_node("structure:c", label="Ç" * 50)
    G.add_edge("structure:a", "structure:b", title="membre", width=2)
    G.add_edge("structure:b", "structure:c", color="#9aa8b8")
    if directed:
        G.add_edge("structure:b", "structure:a", title="finance")
    page = network.network_html(G, physics=True)
    ref = Network(directed=directed, cdn_resources="in_line", font_color="#222222")
    for n, d in G.nodes(data=True):
        label = d.get("label") or d.get("name") or n
        ref.add_node(n, label=label if len(label) <= 40 else label[:38] + "…", title=d.get("title") or d.get("name") or label,
                     color=d.get("color") or "#2b7bba", size=float(d.get("size") or 12), shape=d.get("shape") or "dot")
    for u, v, d in G.edges(data=True):
        ref.add_edge(u, v, **{k: d[k] for k in ("title", "color", "width") if k in d})
    assert _drawn_data(page, "nodes") == ref.nodes
    assert _drawn_data(page, "edges") == ref.edges
    assert len(ref.edges) == G.number_of_edges()


def test_network_html_keeps_names_out_of_the_script():
    G = nx.Graph()
    G.add_node("structure:x", name="</script><script>alert(1)</script>")
    page = network.network_html(G)
    assert "alert(1)</script>" not in page and "<script>alert" not in page


def test_strip_external_refuses_remaining_cdn():
    with pytest.raises(ValueError, match="another host"):
        network.strip_external('<script src="https://cdn.example.org/x.js"></script>')
    assert network.strip_external("<!-- <script src='https://x'></script> --><p>ok</p>") == "<p>ok</p>"


def test_cluster_layout_places_every_node_near_its_cluster():
    G = nx.Graph()
    G.add_nodes_from((i, {"cluster": i // 10}) for i in range(40))
    G.add_edges_from((i, i + 1) for i in range(39))
    pos = network.cluster_layout(G)
    assert set(pos) == set(G)
    centre = {c: [sum(pos[i][k] for i in range(c * 10, c * 10 + 10)) / 10 for k in (0, 1)] for c in range(4)}
    for i in range(40):
        mine = centre[i // 10]
        others = [centre[c] for c in range(4) if c != i // 10]
        d = (pos[i][0] - mine[0]) ** 2 + (pos[i][1] - mine[1]) ** 2
        assert all(d < (pos[i][0] - o[0]) ** 2 + (pos[i][1] - o[1]) ** 2 for o in others)


def test_cooperation_view_aggregate_and_exports(tmp_path):
    G = demo_graph()
    P = cooperation_graph(G)
    clustering = cooperation_clusters(P, seed=0)
    H = network.cooperation_view(P, clustering.membership, {}, source_words={"network": "réseau commun"})
    assert set(H) == set(P)
    u, v = next(iter(H.edges))
    assert H.edges[u, v]["title"]
    A = network.aggregate_clusters(H, clustering.clusters)
    assert A.number_of_nodes() == len(clustering.clusters)
    graphml = network.export_bytes(H, "graphml")
    (tmp_path / "g.graphml").write_bytes(graphml)
    back = nx.read_graphml(tmp_path / "g.graphml")
    assert set(back) == set(H) and back.number_of_edges() == H.number_of_edges()
    assert b"<gexf" in network.export_bytes(H, "gexf")
    csv_text = network.export_bytes(H, "csv").decode()
    assert csv_text.splitlines()[0] == "source,source_name,target,target_name,weight,made_of"
    assert len(csv_text.splitlines()) == H.number_of_edges() + 1


def test_export_csv_neutralises_formulas():
    H = nx.Graph()
    H.add_node("structure:a", name="=HYPERLINK(\"http://x\")")
    H.add_node("structure:b", name="B")
    H.add_edge("structure:a", "structure:b", weight=1.0, title="")
    assert "'=HYPERLINK" in network.export_bytes(H, "csv").decode()


def test_decks_have_no_basemap():
    records = maps.polygon_records({"44": [[[[-1.5, 47.0], [-1.0, 47.0], [-1.0, 47.5], [-1.5, 47.0]]]]},
                                   [{"code": "44", "name": "Loire-Atlantique", "fill": maps.WHITE}])
    deck = maps.choropleth_deck(records, [{"lon": -1.55, "lat": 47.2, "name": "X"}], tooltip_html="{name}")
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == "__MAP_STYLE__"  # Streamlit draws no basemap for this sentinel
    text = deck.to_json()
    assert "cartocdn" not in text and "mapbox://" not in text and "https://" not in text
    assert [layer["id"] for layer in spec["layers"]] == ["territories", "providers"]
    arcs = maps.arcs_deck(records, [{"id": "a", "lon": -1.5, "lat": 47.2, "cluster": 0, "radius": 1000}],
                          [{"from_lon": -1.5, "from_lat": 47.2, "to_lon": -1.0, "to_lat": 47.3, "weight": 1}],
                          tooltip_html="{name}")
    assert "ArcLayer" in arcs.to_json() and "https://" not in arcs.to_json()


def test_coverage_colour_white_for_nobody():
    assert maps.coverage_colour(0, 5) == maps.WHITE
    assert maps.coverage_colour(1, 5) != maps.coverage_colour(5, 5)


def test_spread_separates_points_at_one_place():
    pts = maps.spread([{"id": str(i), "lon": 2.0, "lat": 47.0} for i in range(5)])
    assert len({(round(p["lon"], 5), round(p["lat"], 5)) for p in pts}) == 5


def test_select_structures_by_territory_sector_form():
    G = demo_graph()
    structures = [n for n, d in G.nodes(data=True) if "Structure" in d.get("labels", ())]
    in44 = graphs.select_structures(G, structures, territory="departement:44")
    assert "structure:ecossolies" in in44
    assert "structure:angers-insertion" not in in44
    sector = graphs.select_structures(G, structures, sector="sector:insertion")
    assert sector and all("sector:insertion" in graphs.sectors_of(G, s) for s in sector)


def test_positions_seat_first_then_area():
    G = demo_graph()
    lon, lat, exact = geo.position_of(G, "structure:ecossolies")
    assert exact and 46 < lat < 48 and -2 < lon < -1


def test_result_graph_and_counts():
    H = graphs.result_graph([{"source": "structure:a", "type": "MEMBER_OF", "target": "network:n"},
                             {"source": "structure:b", "type": "MEMBER_OF", "target": "network:n"}])
    assert sorted(H.nodes) == ["network:n", "structure:a", "structure:b"]
    assert graphs.result_graph([{"label": "Structure", "count": 3}]) is None
    rows = [{"id": "departement:44", "name": "LA", "label": "Structure", "count": 3},
            {"id": "departement:44", "name": "LA", "label": "Initiative", "count": 9},
            {"id": "departement:85", "name": "Vendée", "label": "Network", "count": 4}]
    table = graphs.pivot_counts(rows)
    assert [(r["id"], r["total"]) for r in table] == [("departement:85", 4), ("departement:44", 3)]
    groups = graphs.group_relations([{"type": "MEMBER_OF", "outgoing": False, "count": 1240},
                                     {"type": "MEMBER_OF", "outgoing": True, "count": 2},
                                     {"type": "SERVES", "outgoing": True, "count": 3}])
    assert groups[0] == {"type": "MEMBER_OF", "count": 1242, "outgoing": 2, "incoming": 1240}


def test_possible_duplicates_and_uploads(tmp_path):
    groups = quality.possible_duplicates([
        {"id": "structure:a", "name": "A", "siren": "123 456 789", "website": "https://www.a.org/"},
        {"id": "structure:b", "name": "B", "siren": "123456789", "website": "http://a.org"},
        {"id": "structure:c", "name": "C", "siren": None, "website": None}])
    assert [(g["clue"], g["ids"]) for g in groups] == [("siren", ["structure:a", "structure:b"]),
                                                       ("website", ["structure:a", "structure:b"])]
    path = quality.save_uploads([("../../etc/structures.csv", b"id,name\n")], tmp_path / "up")
    assert path == tmp_path / "up" and (tmp_path / "up" / "structures.csv").exists()
    book = quality.save_uploads([("bundle.xlsx", b"PK")], tmp_path / "book")
    assert book.name == "bundle.xlsx"
    with pytest.raises(ValueError, match="expected CSV files"):
        quality.save_uploads([("notes.txt", b"x")], tmp_path / "bad")


def test_i18n():
    assert i18n.t("of", "fr", shown="20", total=i18n.number(1240, "fr"), what="membres") == \
        "20 sur 1\u202f240 membres"
    assert i18n.t("of", "en", shown="20", total=i18n.number(1240, "en"), what="members") == "20 of 1,240 members"
    assert i18n.vocab("stage", "creation", "fr") == "création"
    assert i18n.vocab("stage", "creation", "en") == "creation"
    assert set(k for k, v in i18n.S.items() if len(v) != 2) == set()


@pytest.mark.parametrize("module", [graphs, network, quality, maps, geo])
def test_doctests(module):
    import doctest

    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_aggregate_clusters_from_digest_rows_equals_from_clusters():
    from graph.analysis import clusters_and_brokers, cooperation_digest, cooperation_ties

    G = demo_graph()
    T = cooperation_ties(G)
    clustering, ranked = clusters_and_brokers(T, seed=0)
    scores = {b["id"]: b for b in ranked}
    H = network.cooperation_view(T.to_graph(), clustering.membership, scores)
    digest = cooperation_digest(clustering, scores, list(H))
    assert digest["membership"] == {n: c for n, c in clustering.membership.items() if n in H}
    assert digest["brokers"] == [s for s in ranked if not s["isolated"]][:20]
    assert [(c["id"], c["size"]) for c in digest["clusters"]] == [(c.id, c.size) for c in clustering.clusters]
    A, B = network.aggregate_clusters(H, clustering.clusters), network.aggregate_clusters(H, digest["clusters"])
    assert dict(A.nodes(data=True)) == dict(B.nodes(data=True))
    assert sorted(A.edges(data="weight")) == sorted(B.edges(data="weight"))
    assert A.number_of_edges() > 0


def test_fewer_drawn_from_the_kept_central_ties_equal_the_central_projection():
    # the Réseau page draws the `limit` most central from the kept ties between the most central
    from graph.analysis import clusters_and_brokers, cooperation_digest, cooperation_ties
    from graph.analysis.projection import central_projection

    T = cooperation_ties(demo_graph())
    clustering, ranked = clusters_and_brokers(T, seed=0)
    scores = {b["id"]: b for b in ranked}
    P, shown = central_projection(T, scores, limit=len(scores))
    digest = cooperation_digest(clustering, scores, list(P))
    assert list(digest["scores"]) == [n for n in scores if n in P]  # most central first
    for limit in (2, 5, shown):
        Q, _ = central_projection(T, scores, limit=limit)
        sub = P.subgraph(list(digest["scores"])[:limit])
        assert set(sub) == set(Q) and set(map(frozenset, sub.edges())) == set(map(frozenset, Q.edges()))
        assert all(sub.edges[e]["weight"] == Q.edges[e]["weight"] for e in Q.edges())

"""Territorial coverage: covering rules, filters, distances, white zones, chains, overlaps."""

import random

import networkx as nx
import pytest

from graph.analysis._common import haversine_km
from graph.analysis._index import GraphIndex
from graph.analysis._testing import demo_graph, toy_graph, toy_territories
from graph.analysis.coverage import (
    coverage, coverage_by_density, matching_providers, overlaps, support_chain, white_zones,
)

TERRITORIES, PART_OF = toy_territories()
COMMUNES = ["commune:11001", "commune:11002", "commune:12001", "commune:12002", "commune:21001"]


def graph(edges=(), nodes=None):
    return toy_graph(PART_OF + list(edges), nodes={**TERRITORIES, **(nodes or {})})


def helper(**props):
    return {"functions": ["accompagnement"], **props}


def by_id(rows, key="providers"):
    return {r["id"]: r[key] for r in rows}


def test_empty_graph():
    assert coverage(nx.MultiDiGraph()) == []


def test_territories_without_providers():
    rows = coverage(graph())
    assert [r["id"] for r in rows] == COMMUNES
    assert rows[0] == {"id": "commune:11001", "name": "Ville", "level": "commune",
                       "population": 10000, "density": "urban", "providers": 0,
                       "provider_ids": [], "nearest_km": None, "nearest_provider": None,
                       "covered": False}


def test_a_provider_serving_a_region_covers_its_communes():
    G = graph([("structure:r", "SERVES", "region:10")], {"structure:r": helper()})
    assert by_id(coverage(G), "covered") == {
        "commune:11001": True, "commune:11002": True, "commune:12001": True,
        "commune:12002": True, "commune:21001": False}
    assert by_id(coverage(G, level="epci")) == {"epci:111": 1}
    assert by_id(coverage(G, level="region")) == {"region:10": 1, "region:20": 0}


def test_seat_counts_as_served_and_distance_to_the_nearest_seat():
    G = graph([("structure:s", "LOCATED_IN", "commune:11001")], {"structure:s": helper()})
    rows = {r["id"]: r for r in coverage(G)}
    assert rows["commune:11001"]["provider_ids"] == ["structure:s"]
    assert rows["commune:11001"]["nearest_km"] == 0.0
    assert not rows["commune:11002"]["covered"]
    assert rows["commune:11002"]["nearest_km"] == round(haversine_km(45.1, 0, 45.0, 0), 2)
    assert rows["commune:11002"]["nearest_km"] == pytest.approx(11.12, abs=0.01)
    assert rows["commune:21001"]["nearest_provider"] == "structure:s"


def test_strict_coverage_above_communes_unless_include_within():
    G = graph([("structure:s", "SERVES", "commune:12001")], {"structure:s": helper()})
    assert by_id(coverage(G, level="departement")) == {
        "departement:11": 0, "departement:12": 0, "departement:21": 0}
    assert by_id(coverage(G, level="departement", include_within=True)) == {
        "departement:11": 0, "departement:12": 1, "departement:21": 0}


def test_stage_filter_counts_unspecified_stages():
    G = graph([(f"structure:{n}", "SERVES", "region:10") for n in "abc"],
              {"structure:a": helper(stages=["creation"]), "structure:b": helper(stages=[]),
               "structure:c": helper(stages=["consolidation"])})
    assert coverage(G, stage="creation")[0]["provider_ids"] == ["structure:a", "structure:b"]
    assert coverage(G)[0]["provider_ids"] == ["structure:a", "structure:b", "structure:c"]


def test_sector_filter_counts_generalists():
    G = graph([(f"structure:{n}", "SERVES", "region:10") for n in "abc"]
              + [("structure:a", "ACTIVE_IN", "sector:insertion"),
                 ("structure:c", "ACTIVE_IN", "sector:culture")],
              {n: helper() for n in ("structure:a", "structure:b", "structure:c")})
    assert coverage(G, sector="sector:insertion")[0]["provider_ids"] == [
        "structure:a", "structure:b"]


def test_places_provide_lieu_and_networks_reseau():
    G = graph([(n, "SERVES", "region:10") for n in
               ("place:p", "network:n", "structure:s", "event:e", "funder:f")],
              {"structure:s": {"functions": ["lieu"]}, "event:e": {"functions": ["lieu"]},
               "funder:f": {"functions": ["financement", "reseau"]}})
    assert matching_providers(G, "lieu") == ["place:p", "structure:s"]
    assert matching_providers(G, "reseau") == ["funder:f", "network:n"]
    assert coverage(G, need="lieu")[0]["providers"] == 2


def test_scope():
    G = graph([("structure:r", "SERVES", "region:10")], {"structure:r": helper()})
    assert [r["id"] for r in coverage(G, scope="departement:12")] == [
        "commune:12001", "commune:12002"]
    assert [r["id"] for r in coverage(G, scope="region:10", level="departement")] == [
        "departement:11", "departement:12"]
    assert [r["id"] for r in coverage(G, scope="epci:111", level="epci")] == ["epci:111"]


@pytest.mark.parametrize("kwargs, error, message", [
    ({"scope": "region:99"}, nx.NodeNotFound, "territory 'region:99' is not in the graph"),
    ({"level": "canton"}, ValueError, "unknown territory level 'canton'; expected one of "
                                      "commune, epci, departement, region"),
    ({"need": "cafe"}, ValueError, "unknown need 'cafe'; expected one of information, "
                                   "accompagnement, financement, formation, lieu, reseau"),
    ({"stage": "fin"}, ValueError, "unknown stage 'fin'; expected one of emergence, creation, "
                                   "developpement, consolidation"),
])
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=f"^{message}$"):
        coverage(graph(), **kwargs)


def test_white_zones_ranked_by_population_then_distance():
    G = graph([("structure:s", "LOCATED_IN", "commune:11001")], {"structure:s": helper()})
    zones = white_zones(coverage(G))
    assert [z["name"] for z in zones] == ["Bourg", "Lointain", "Hameau", "Village"]
    assert white_zones(coverage(G), top=1)[0]["name"] == "Bourg"
    no_seat = white_zones(coverage(graph()), top=None)  # no provider: no distance
    assert [z["name"] for z in no_seat] == ["Ville", "Bourg", "Lointain", "Village", "Hameau"]


def test_coverage_by_density():
    G = graph([("structure:s", "SERVES", "epci:111"), ("structure:t", "SERVES", "commune:12001")],
              {"structure:s": helper(), "structure:t": helper()})
    rows = coverage_by_density(coverage(G))
    assert [(r["density"], r["territories"], r["covered_territories"], r["population"],
             r["covered_population"]) for r in rows] == [
        ("urban", 1, 1, 10000, 10000), ("intermediate", 1, 1, 2000, 2000),
        ("rural", 3, 1, 1800, 500), ("all", 5, 3, 13800, 12500)]
    assert rows[2]["territory_rate"] == pytest.approx(1 / 3)
    assert rows[2]["population_rate"] == pytest.approx(500 / 1800)
    assert coverage_by_density([]) == [{
        "density": "all", "territories": 0, "covered_territories": 0, "territory_rate": None,
        "population": 0, "covered_population": 0, "population_rate": None,
        "median_nearest_km": None}]


def test_support_chain():
    G = graph([("structure:a", "SERVES", "departement:11"),
               ("structure:b", "LOCATED_IN", "commune:11001"),
               ("structure:c", "SERVES", "region:10")],
              {"structure:a": helper(stages=["emergence", "creation"]),
               "structure:b": helper(stages=["developpement"]), "structure:c": helper()})
    [row] = support_chain(G, "commune:11001")
    assert row["stages"] == {"emergence": ["structure:a"], "creation": ["structure:a"],
                             "developpement": ["structure:b"], "consolidation": []}
    assert (row["unspecified"], row["missing"], row["complete"]) == (
        ["structure:c"], ["consolidation"], False)
    rows = support_chain(G, level="departement", scope="region:10")
    assert [(r["id"], r["missing"]) for r in rows] == [
        ("departement:11", ["developpement", "consolidation"]),
        ("departement:12", ["emergence", "creation", "developpement", "consolidation"])]
    with pytest.raises(nx.NodeNotFound):
        support_chain(G, "commune:99999")


def test_overlaps():
    G = graph([("structure:a", "SERVES", "epci:111"), ("structure:b", "LOCATED_IN", "commune:11001"),
               ("structure:c", "LOCATED_IN", "commune:11001"),
               ("structure:d", "LOCATED_IN", "commune:11001"),
               ("structure:e", "LOCATED_IN", "commune:11001")]
              + [(f"structure:{n}", "ACTIVE_IN", "sector:insertion") for n in "abc"]
              + [("structure:c", "ACTIVE_IN", "sector:culture")],
              {f"structure:{n}": helper() for n in "abcde"})
    rows = overlaps(G)
    assert [(r["id"], r["sector"], r["provider_ids"]) for r in rows] == [
        ("commune:11001", "sector:insertion", ["structure:a", "structure:b", "structure:c"]),
        ("commune:11001", None, ["structure:d", "structure:e"]),
    ]
    assert [r["id"] for r in overlaps(G, sector="sector:insertion", min_providers=1)] == [
        "commune:11001", "commune:11002"]
    assert overlaps(G, sector="sector:culture") == []


def test_demo_graph_coverage():
    rows = coverage(demo_graph(), need="accompagnement", stage="creation")
    assert by_id(rows) == {"commune:44109": 2, "commune:44129": 1, "commune:44154": 1,
                           "commune:44162": 2, "commune:49007": 0}


def test_nearest_seats_match_brute_force():
    rnd = random.Random(5)
    nodes, edges = {}, []
    for i in range(300):
        nodes[f"commune:{i:05d}"] = {"lat": rnd.uniform(41, 51), "lon": rnd.uniform(-5, 9)}
    for j in range(40):
        nodes[f"structure:p{j:02d}"] = helper()
        edges.append((f"structure:p{j:02d}", "LOCATED_IN", f"commune:{rnd.randrange(300):05d}"))
    G = toy_graph(edges, nodes=nodes)
    idx = GraphIndex(G)
    providers = [f"structure:p{j:02d}" for j in range(40)]
    got = idx.nearest_seats(sorted(idx.level), providers)
    seats = {s for p in providers for s in idx.seats[p]}
    for t, (km, _) in got.items():
        expected = min(haversine_km(*idx.coords[t], *idx.coords[s]) for s in seats)
        assert km == pytest.approx(expected, abs=1e-6)
    assert len(got) == 300


def test_nearest_index_matches_a_full_comparison():
    """The cell-by-cell search picks the seat a comparison with every seat picks, for
    dense and sparse seats, targets far from any seat and one-seat inputs."""
    import numpy as np

    from graph.analysis._index import _nearest_index, _unit

    rng = np.random.default_rng(3)
    t_lat = np.concatenate([rng.uniform(41, 51, 3000), rng.uniform(-21.4, -20.9, 50),
                            rng.uniform(-89, 89, 200)])
    t_lon = np.concatenate([rng.uniform(-5, 9, 3000), rng.uniform(55.2, 55.8, 50),
                            rng.uniform(-180, 180, 200)])
    t_vec = _unit(t_lat, t_lon)
    for n_seats in (1, 7, 400, 2500):
        s_lat, s_lon = rng.uniform(42, 50, n_seats), rng.uniform(-4, 8, n_seats)
        s_vec = _unit(s_lat, s_lon)
        assert (_nearest_index(t_lat, t_lon, t_vec, s_vec) == (t_vec @ s_vec.T).argmax(axis=1)).all()


def test_providers_found_once_for_every_function_match_provides():
    from graph import model
    from graph.analysis._common import provides

    G = demo_graph()
    G.add_node("structure:twice", labels=("Structure",), functions="lieu|lieu| formation")
    G.add_node("network:plain", labels=("Network",))
    G.add_node("initiative:not-a-provider", labels=("Initiative",), functions=["formation"])
    idx = GraphIndex(G)
    for need in model.FUNCTIONS:
        assert idx.offering(need) == [n for n, d in G.nodes(data=True) if provides(d, need)]
    assert "structure:twice" in idx.offering("lieu") and "network:plain" in idx.offering("reseau")


def test_a_shared_index_gives_the_same_results():
    """One GraphIndex shared by every function and view (as the app and the benchmark do)
    changes nothing: same rows as each analysis building its own."""
    from graph import model

    G = demo_graph()
    idx = GraphIndex(G)
    for need in model.FUNCTIONS:
        for stage in (None, "creation"):
            assert coverage(G, need=need, stage=stage, index=idx) == coverage(G, need=need, stage=stage)
        assert support_chain(G, need=need, index=idx) == support_chain(G, need=need)
        assert overlaps(G, need=need, level="epci", index=idx) == overlaps(G, need=need, level="epci")
    assert coverage(G, need="accompagnement", sector="sector:insertion", index=idx) == \
        coverage(G, need="accompagnement", sector="sector:insertion")

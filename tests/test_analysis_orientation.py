"""Orientation: most local first, then sector, stage and distance; reasons; initiatives."""

import networkx as nx
import pytest

from graph.analysis._common import haversine_km
from graph.analysis._testing import demo_graph, toy_graph, toy_territories
from graph.analysis.orientation import orient

NEED = ["accompagnement"]


def graph():
    nodes, edges = toy_territories()
    nodes.update({
        "structure:local": {"name": "Local", "functions": NEED, "stages": ["creation"]},
        "structure:serves-commune": {"name": "Sur Ville", "functions": NEED},
        "structure:agglo": {"name": "Agglo", "functions": NEED},
        "structure:dep": {"name": "Dép insertion", "functions": NEED},
        "structure:dep-near": {"name": "Dép proche", "functions": NEED},
        "structure:dep-far": {"name": "Dép loin", "functions": NEED},
        "structure:dep-culture": {"name": "Dép culture", "functions": NEED},
        "structure:dep-late": {"name": "Dép tardif", "functions": NEED,
                               "stages": ["consolidation"]},
        "structure:region": {"name": "Région", "functions": NEED},
        "structure:elsewhere": {"name": "Ailleurs", "functions": NEED},
        "structure:nowhere": {"name": "Nulle part", "functions": NEED},
        "structure:finance": {"name": "Finance", "functions": ["financement"]},
        "network:national": {"name": "National", "functions": NEED, "level": "national"},
        "sector:insertion": {"name": "Insertion"},
        "initiative:fab": {"name": "Fab"},
        "initiative:fonds": {"name": "Fonds", "description": "Un fonds pour financer les projets."},
        "initiative:guide": {"name": "Guide", "description": "Guide de l'Accompagnement."},
        "initiative:theme": {"name": "Thème", "theme": "entreprendre"},
        "initiative:national": {"name": "Programme national"},
        "initiative:elsewhere": {"name": "Ailleurs aussi"},
    })
    edges += [
        ("structure:local", "LOCATED_IN", "commune:11001"),
        ("structure:serves-commune", "SERVES", "commune:11001"),
        ("structure:agglo", "SERVES", "epci:111"),
        ("structure:dep", "SERVES", "departement:11"),
        ("structure:dep", "ACTIVE_IN", "sector:insertion"),
        ("structure:dep-near", "SERVES", "departement:11"),
        ("structure:dep-near", "LOCATED_IN", "commune:11002"),
        ("structure:dep-far", "SERVES", "departement:11"),
        ("structure:dep-far", "LOCATED_IN", "commune:12001"),
        ("structure:dep-culture", "SERVES", "departement:11"),
        ("structure:dep-culture", "ACTIVE_IN", "sector:culture"),
        ("structure:dep-late", "SERVES", "departement:11"),
        ("structure:region", "SERVES", "region:10"),
        ("structure:elsewhere", "SERVES", "region:20"),
        ("structure:finance", "SERVES", "region:10"),
        ("initiative:fab", "SERVES", "departement:11"),
        ("structure:dep", "CARRIES", "initiative:fab"),
        ("initiative:fonds", "SERVES", "region:10"),
        ("initiative:guide", "SERVES", "commune:11001"),
        ("initiative:theme", "SERVES", "epci:111"),
        ("network:national", "CARRIES", "initiative:national"),
        ("initiative:elsewhere", "SERVES", "region:20"),
        ("structure:dep", "CARRIES", "initiative:elsewhere"),
    ]
    return toy_graph(edges, nodes=nodes)


def test_most_local_first_then_sector_stage_distance():
    found = orient(graph(), "commune:11001", "accompagnement", stage="creation",
                   sector="sector:insertion", top=None)
    assert [(p["id"], p["level"], p["via"]) for p in found["providers"]] == [
        ("structure:local", "commune", "commune:11001"),
        ("structure:serves-commune", "commune", "commune:11001"),
        ("structure:agglo", "epci", "epci:111"),
        ("structure:dep", "departement", "departement:11"),
        ("structure:dep-near", "departement", "departement:11"),
        ("structure:dep-far", "departement", "departement:11"),
        ("structure:region", "region", "region:10"),
        ("network:national", "national", None),
    ]
    assert found["count"] == 8
    rows = {p["id"]: p for p in found["providers"]}
    assert rows["structure:dep-near"]["distance_km"] == round(haversine_km(45.0, 0, 45.1, 0), 2)
    assert rows["structure:dep"]["distance_km"] is None
    assert (rows["structure:dep"]["sector_match"], rows["structure:dep"]["stage_match"]) == (
        True, False)
    assert (rows["structure:local"]["sector_match"], rows["structure:local"]["stage_match"]) == (
        False, True)


def test_reasons_in_french():
    found = orient(graph(), "commune:11001", "accompagnement", stage="creation",
                   sector="sector:insertion", top=None)
    reasons = {p["id"]: p["reason"] for p in found["providers"]}
    assert reasons["structure:local"] == "accompagne les projets en création, situé à Ville, tous secteurs"
    assert reasons["structure:serves-commune"] == (
        "accompagne les projets (étapes non précisées), intervient sur Ville, tous secteurs")
    assert reasons["structure:dep"] == (
        "accompagne les projets (étapes non précisées), intervient sur Dép A1, secteur Insertion")
    assert reasons["network:national"] == (
        "accompagne les projets (étapes non précisées), intervient au niveau national, "
        "tous secteurs")


def test_without_stage_or_sector():
    found = orient(graph(), "commune:11002", "accompagnement")
    first = found["providers"][0]
    assert (first["id"], first["level"]) == ("structure:dep-near", "commune")
    assert first["reason"] == "accompagne les projets, situé à Bourg"
    assert (first["sector_match"], first["stage_match"]) == (None, None)
    # Ville's own two providers do not serve Bourg; "elsewhere" and "nowhere" never do
    assert found["count"] == len(found["providers"]) == 8


def test_top_cuts_providers_and_initiatives():
    found = orient(graph(), "commune:11001", "accompagnement", top=2)
    assert len(found["providers"]) == 2 and len(found["initiatives"]) == 2
    assert found["count"] == 10


def test_initiatives():
    found = orient(graph(), "commune:11001", "accompagnement")
    assert [(i["id"], i["level"], i["carried_by"]) for i in found["initiatives"]] == [
        ("initiative:guide", "commune", []),
        ("initiative:theme", "epci", []),
        ("initiative:fab", "departement", ["structure:dep"]),
        ("initiative:national", "national", ["network:national"]),
    ]
    reasons = {i["id"]: i["reason"] for i in found["initiatives"]}
    assert reasons == {
        "initiative:guide": "répond à : accompagnement, intervient sur Ville",
        "initiative:theme": "répond à : accompagnement, intervient sur Agglo A",
        "initiative:fab": "portée par Dép insertion, intervient sur Dép A1",
        "initiative:national": "portée par National, intervient au niveau national",
    }
    money = orient(graph(), "commune:11001", "financement")
    assert [(p["id"], p["reason"]) for p in money["providers"]] == [
        ("structure:finance", "finance les projets, intervient sur Région A")]
    assert [i["id"] for i in money["initiatives"]] == ["initiative:theme", "initiative:fonds"]


def test_a_commune_without_provider():
    found = orient(graph(), "commune:21001", "formation")
    assert (found["providers"], found["initiatives"], found["count"]) == ([], [], 0)
    assert found["name"] == "Lointain"


def test_demo_graph():
    found = orient(demo_graph(), "commune:44129", "financement", stage="creation")
    assert [(p["name"], p["level"]) for p in found["providers"]] == [
        ("Nantes Initiatives", "departement")]


@pytest.mark.parametrize("args, error, message", [
    (("commune:00000", "accompagnement"), nx.NodeNotFound,
     "territory 'commune:00000' is not in the graph"),
    (("commune:11001", "aide"), ValueError, "unknown need 'aide'"),
])
def test_bad_arguments(args, error, message):
    with pytest.raises(error, match=f"^{message}"):
        orient(graph(), *args)


def test_initiatives_carried_and_fitting_come_first_at_a_level():
    nodes, edges = toy_territories()
    nodes.update({"structure:p": {"name": "P", "functions": NEED},
                  "initiative:a": {"name": "A (portée)"},
                  "initiative:b": {"name": "B (portée, accompagnement)"},
                  "initiative:c": {"name": "C accompagne"}})
    edges += [("structure:p", "SERVES", "commune:11001")]
    edges += [(i, "SERVES", "commune:11001") for i in ("initiative:a", "initiative:b",
                                                       "initiative:c")]
    edges += [("structure:p", "CARRIES", "initiative:a"), ("structure:p", "CARRIES", "initiative:b")]
    found = orient(toy_graph(edges, nodes=nodes), "commune:11001", "accompagnement")
    assert [i["id"] for i in found["initiatives"]] == [
        "initiative:b", "initiative:a", "initiative:c"]

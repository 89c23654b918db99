"""Write-back rows: ids, property names, timestamps."""

import re

import pytest

from graph.analysis import brokers, cooperation_clusters, cooperation_graph, coverage
from graph.analysis._testing import demo_graph
from graph.analysis.writeback import broker_rows, cluster_rows, coverage_rows, now_iso

AT = "2026-01-01T00:00:00+00:00"


def test_now_is_utc_to_the_second():
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", now_iso())


def test_cluster_rows_cover_every_structure():
    P = cooperation_graph(demo_graph())
    rows = cluster_rows(cooperation_clusters(P, seed=0), analysed_at=AT)
    assert sorted(r["id"] for r in rows) == sorted(P)
    by_id = {r["id"]: r["props"] for r in rows}
    assert by_id["structure:arais"] == {"cluster": 0, "cluster_size": 3, "cluster_at": AT, "analysed_at": AT}
    assert by_id["structure:angers-insertion"] == {
        "cluster": None, "cluster_size": None, "cluster_at": AT, "analysed_at": AT}


def test_broker_rows():
    P = cooperation_graph(demo_graph())
    rows = broker_rows(brokers(P), analysed_at=AT)
    assert rows[0]["id"] == "structure:arais"
    assert set(rows[0]["props"]) == {"betweenness", "participation", "constraint", "isolated",
                                     "brokers_at", "analysed_at"}
    assert {r["id"]: r["props"]["isolated"] for r in rows}["funder:nantes-initiatives"] is True


def test_coverage_rows_named_after_the_need_and_stage():
    result = coverage(demo_graph(), need="accompagnement", scope="departement:49")
    assert coverage_rows(result, "accompagnement", analysed_at=AT) == [{
        "id": "commune:49007", "props": {"coverage_accompagnement": 0,
                                         "coverage_accompagnement_km": 79.53,
                                         "coverage_accompagnement_at": AT, "analysed_at": AT}}]
    [row] = coverage_rows(result, "accompagnement", stage="creation", analysed_at=AT)
    assert set(row["props"]) == {"coverage_accompagnement_creation",
                                 "coverage_accompagnement_creation_km",
                                 "coverage_accompagnement_creation_at", "analysed_at"}
    assert re.fullmatch(r"\d{4}-.*", coverage_rows(result, "lieu")[0]["props"]["analysed_at"])


@pytest.mark.parametrize("need, stage", [("x}) DETACH DELETE n //", None), ("lieu", "x")])
def test_coverage_rows_refuse_names_outside_the_vocabularies(need, stage):
    with pytest.raises(ValueError, match="^unknown (need|stage)"):
        coverage_rows([], need, stage=stage)

"""Whole results beyond the engine's result cap: an error, never part of the rows; pages read them all."""

from __future__ import annotations

import pytest

from graph.embedded import ENGINE_LIMITS
from graph.errors import QueryError
from graph.reading import fetch_all

CAP = ENGINE_LIMITS["RESULTSET_SIZE"]


@pytest.fixture
def big_store(store):
    store.run("UNWIND range(1, $n) AS i CREATE (:Sector {id: 'sector:s' + toString(i), name: 'S' + toString(i)})",
              {"n": CAP + 2_500}, write=True, timeout=300)
    return store


def test_reading_everything_past_the_cap_is_an_error_not_a_cut(big_store):
    assert big_store.result_cap == CAP
    with pytest.raises(QueryError, match="maximum of 100,000 rows"):
        big_store.run("MATCH (n:Sector) RETURN n.id AS id ORDER BY id", max_rows=None, timeout=300)
    # an interactive read keeps its own row cap and says it cut
    df = big_store.run("MATCH (n:Sector) RETURN n.id AS id ORDER BY id")
    assert len(df) == 10_000 and df.attrs["truncated"]


def test_pages_read_every_row_even_when_asked_for_pages_above_the_cap(big_store):
    rows = fetch_all(big_store, "export.nodes", page=10 * CAP)
    assert len(rows) == CAP + 2_500
    assert len({r["id"] for r in rows}) == CAP + 2_500


def test_the_app_graph_holds_every_node(big_store):
    from app.components.data import run_all

    assert len(run_all(big_store, "export.nodes")) == CAP + 2_500

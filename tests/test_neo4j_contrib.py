"""Contributions on Neo4j: the same flow, role checks and conflicts as on the embedded engine
(tests/contrib_flow.py), against the server of ``MAILLAGE_TEST_NEO4J_URI`` (CI: the Bolt stand-in)."""

from __future__ import annotations

import os
import threading

import pytest

from contrib_flow import (conflicting_accepts, forged_requests_refused, full_flow, keyed_relation_removal,
                          node_props, sign_in_all)
from graph import model
from graph.contrib import proposals, review
from graph.contrib.proposals import Proposal
from graph.errors import Conflict

URI = os.environ.get("MAILLAGE_TEST_NEO4J_URI")
pytestmark = [
    pytest.mark.neo4j,
    pytest.mark.skipif(not URI, reason="MAILLAGE_TEST_NEO4J_URI is not set: no Neo4j server to test against"),
]


def _template(store, name, **names):
    from queries import library

    return library().get(name, backend=store.backend).render(**names)


@pytest.fixture
def neo():
    """A small base on the server: Nantes, two structures tied by a cooperation."""
    from graph.store import open_store

    s = open_store(URI)
    s.clear()
    s.ensure_schema()
    s.write_rows(_template(s, "upsert.node", LABEL=model.TERRITORY), [
        {"id": "commune:44109", "props": {"name": "Nantes", "level": "commune", "code": "44109"}, "sources": []}])
    s.write_rows(_template(s, "upsert.node", LABEL=model.STRUCTURE), [
        {"id": "structure:ecossolies", "props": {"name": "Les Ecossolies", "legal_form": "association"},
         "sources": ["source:x"]},
        {"id": "structure:radar", "props": {"name": "RADAR", "legal_form": "association"}, "sources": ["source:x"]}])
    s.write_rows(_template(s, "upsert.relation", SRC=model.STRUCTURE, TYPE="COOPERATES_WITH", DST=model.STRUCTURE), [
        {"source_id": "structure:radar", "target_id": "structure:ecossolies", "key": "",
         "props": {"kind": "partnership"}, "sources": ["source:x"]}])
    yield s
    s.clear()
    s.close()


def test_the_whole_flow_on_neo4j(neo):
    full_flow(neo, "commune:44109", "structure:ecossolies")


def test_one_of_two_relations_is_removed_by_its_key_on_neo4j(neo):
    keyed_relation_removal(neo, sign_in_all(neo), "structure:radar", "structure:ecossolies")


def test_forged_requests_are_refused_on_neo4j(neo):
    forged_requests_refused(neo, sign_in_all(neo), "structure:ecossolies")


def test_conflicting_accepts_on_neo4j(neo):
    conflicting_accepts(neo, sign_in_all(neo), "structure:ecossolies")


def test_concurrent_accepts_on_neo4j_let_one_win(neo):
    from graph.store import open_store

    t = sign_in_all(neo)
    numbers = [proposals.propose(neo, t["contributrice"], Proposal(
        "correct", f"https://{i}.example.org/", target="structure:radar",
        props={"website": f"https://{i}.example.org/"}), source_kind="url") for i in range(4)]
    outcomes = []

    def accept(n):
        s = open_store(URI)
        try:
            review.accept(s, t["coordination"], n)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            s.close()

    threads = [threading.Thread(target=accept, args=(n,)) for n in numbers]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"]
    won = [c for c in review.queue(neo, t["coordination"], status="accepted")]
    assert len(won) == 1 and node_props(neo, "structure:radar")["website"] == won[0]["payload"]["props"]["website"]


def test_the_console_is_for_editors_when_accounts_share_the_database(neo, monkeypatch):
    """On Neo4j a free query could read the accounts: the app's console is refused to a reader
    (no run button, and refused at the run) and open to a signed-in editor."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    t = sign_in_all(neo)
    monkeypatch.setenv("MAILLAGE_STORE", URI)
    app = str(Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py")

    def console(token=None):
        at = AppTest.from_file(app, default_timeout=120)
        if token:
            at.session_state["contrib_token"] = token
        at.run()
        at.switch_page("app_pages/queries.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    reader = console(t["lecteur"])
    assert any("réservée aux éditeurs" in str(i.value) for i in reader.info)
    assert "q_console_run" not in {b.key for b in reader.button}
    editor = console(t["coordination"])
    editor.text_area(key="q_cypher").set_value("MATCH (s:Structure) RETURN count(s) AS n")
    editor.button(key="q_console_run").click().run()
    assert not editor.exception and not editor.error, [e.value for e in editor.error]
    assert any("n" in d.value.columns and int(d.value["n"].iloc[0]) == 2 for d in editor.dataframe)

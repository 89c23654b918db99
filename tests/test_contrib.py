"""Contributions on the embedded engine: accounts, proposals, review, history, revert, conflicts."""

from __future__ import annotations

import json
import threading

import pytest

from contrib_flow import (PASSWORD, conflicting_accepts, forged_requests_refused, full_flow, keyed_relation_removal,
                          node_props, sign_in_all)
from graph import model
from graph.contrib import accounts, proposals, review
from graph.contrib.proposals import Proposal
from graph.errors import Conflict, ParameterError, PermissionDenied

ECOSSOLIES = "structure:ecossolies"


def test_the_whole_flow(seed_store):
    before = seed_store.version()["version"]
    full_flow(seed_store, "commune:44109", ECOSSOLIES)
    assert seed_store.version()["version"] != before


def test_forged_requests_are_refused(seed_store):
    t = sign_in_all(seed_store)
    forged_requests_refused(seed_store, t, ECOSSOLIES)


def test_conflicting_accepts(seed_store):
    t = sign_in_all(seed_store)
    conflicting_accepts(seed_store, t, ECOSSOLIES)


def test_concurrent_accepts_of_one_node_let_one_win(seed_store):
    t = sign_in_all(seed_store)
    numbers = [proposals.propose(seed_store, t["contributrice"], Proposal(
        "correct", f"https://{i}.example.org/", target=ECOSSOLIES, props={"website": f"https://{i}.example.org/"}),
        source_kind="url") for i in range(6)]
    outcomes = []

    def accept(n, editor):
        try:
            review.accept(seed_store.__class__(seed_store.db, graph=seed_store.graph_name), t[editor], n)
            outcomes.append(("ok", n))
        except Conflict:
            outcomes.append(("conflict", n))

    threads = [threading.Thread(target=accept, args=(n, "coordination" if i % 2 else "relecture"))
               for i, n in enumerate(numbers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    winners = [n for what, n in outcomes if what == "ok"]
    assert len(winners) == 1 and len(outcomes) == 6
    assert node_props(seed_store, ECOSSOLIES)["website"] == f"https://{numbers.index(winners[0])}.example.org/"


def test_no_account_means_read_only(seed_store):
    assert not accounts.accounts_configured(seed_store)
    with pytest.raises(PermissionDenied, match="aucun compte"):
        proposals.propose(seed_store, None, Proposal("remove_node", "document", target=ECOSSOLIES))


def test_accounts_keep_no_password_and_sessions_expire(seed_store, monkeypatch):
    accounts.add_user(seed_store, "coordination", "Ecossolies", "editor", PASSWORD)
    [row] = seed_store.accounts_store().run("MATCH (a:Account) RETURN a.hash AS h").to_dict("records")
    assert row["h"].startswith("$argon2id$") and PASSWORD not in row["h"]
    with pytest.raises(PermissionDenied, match="incorrect"):
        accounts.sign_in(seed_store, "coordination", "mauvais-mot-de-passe")
    with pytest.raises(PermissionDenied, match="incorrect"):
        accounts.sign_in(seed_store, "personne", PASSWORD)
    monkeypatch.setenv("MAILLAGE_SESSION_HOURS", "0.0003")    # about a second
    token = accounts.sign_in(seed_store, "coordination", PASSWORD)
    assert accounts.current(seed_store, token).role == "editor"
    stored = seed_store.accounts_store().run("MATCH (s:Session) RETURN s.token_hash AS h")["h"].tolist()
    assert token not in stored
    import time
    time.sleep(1.3)
    assert accounts.current(seed_store, token) is None
    with pytest.raises(PermissionDenied, match="expirée"):
        accounts.require(seed_store, token, "reader")
    # nothing of the accounts is in the knowledge graph itself
    assert seed_store.run("MATCH (a:Account) RETURN count(a) AS n").iloc[0]["n"] == 0


@pytest.mark.parametrize("login", ["jane.doe@example.org", "0612345678", "A", "x y"])
def test_logins_are_identifiers(seed_store, login):
    with pytest.raises(ParameterError):
        accounts.add_user(seed_store, login, "Ecossolies", "editor", PASSWORD)


@pytest.mark.parametrize("field, value", [
    ("description", "écrire à jane.doe@example.org"), ("description", "appeler le 06 12 34 56 78"),
    ("source", "courriel de contact@ecossolies.fr"),
])
def test_personal_data_is_refused(seed_store, field, value):
    t = sign_in_all(seed_store)
    p = Proposal("correct", "document", target=ECOSSOLIES, props={"description": "ok"})
    if field == "source":
        p.source = value
    else:
        p.props[field] = value
    with pytest.raises(ParameterError, match="donnée personnelle"):
        proposals.propose(seed_store, t["contributrice"], p)
    assert review.queue(seed_store, t["coordination"]) == []


@pytest.mark.parametrize("proposal, why", [
    (Proposal("add_node", "doc", label="Territory", props={"name": "X"}), "ne peut proposer"),
    (Proposal("add_node", "doc", label="Structure", props={"name": "X", "legal_form": "sarl"}), "valeur inconnue"),
    (Proposal("add_node", "doc", label="Structure", props={"name": ""}), "obligatoire"),
    (Proposal("add_relation", "doc", rel_type="LOCATED_IN", source_id=ECOSSOLIES,
              target_id="network:cress-aquitaine"), "ne convient pas"),
    (Proposal("add_relation", "doc", rel_type="COOPERATES_WITH", source_id=ECOSSOLIES,
              target_id="structure:nope"), "aucune fiche"),
    (Proposal("correct", "doc", target=ECOSSOLIES, props={"colour": "red"}), "inconnue"),
    (Proposal("correct", "doc", target="commune:44109", props={"name": "X"}), "référentiel"),
    (Proposal("correct", "", target=ECOSSOLIES, props={"description": "x"}), "source manquante"),
])
def test_bad_proposals_say_why(seed_store, proposal, why):
    t = sign_in_all(seed_store)
    with pytest.raises(ParameterError, match=why):
        proposals.propose(seed_store, t["contributrice"], proposal)


def test_removal_and_its_revert_put_everything_back(seed_store):
    t = sign_in_all(seed_store)
    from graph.contrib import history

    before = proposals.node_of(seed_store, ECOSSOLIES)
    rels = seed_store.query("admin.relations_of", id=ECOSSOLIES)
    n = proposals.propose(seed_store, t["contributrice"], Proposal("remove_node", "document", target=ECOSSOLIES))
    review.accept(seed_store, t["coordination"], n, reason="fermée")
    with pytest.raises(ParameterError):
        proposals.node_of(seed_store, ECOSSOLIES)
    history.revert(seed_store, t["coordination"], n, "toujours active")
    after = proposals.node_of(seed_store, ECOSSOLIES)
    assert after["properties"] == before["properties"] and sorted(after["labels"]) == sorted(before["labels"])
    again = seed_store.query("admin.relations_of", id=ECOSSOLIES)
    assert again.to_dict("records") == rels.to_dict("records")


def test_a_relation_removal(seed_store):
    t = sign_in_all(seed_store)
    from graph.contrib import history

    row = seed_store.query("admin.relations_of", id=ECOSSOLIES).iloc[0]
    src, dst = (ECOSSOLIES, row["other"]) if row["direction"] == "out" else (row["other"], ECOSSOLIES)
    n = proposals.propose(seed_store, t["contributrice"], Proposal(
        "remove_relation", "document", rel_type=row["type"], source_id=src, target_id=dst))
    review.accept(seed_store, t["coordination"], n)
    assert proposals.relation_of(seed_store, row["type"], src, dst) is None
    history.revert(seed_store, t["coordination"], n, "erreur")
    assert proposals.relation_of(seed_store, row["type"], src, dst) == dict(row["properties"])


def test_one_of_two_relations_is_removed_by_its_key(seed_store):
    keyed_relation_removal(seed_store, sign_in_all(seed_store), "structure:unis-cite",
                           "structure:petits-debrouillards-pays-de-la-loire")


def _graph(store):
    """Every non-territory node (bundle columns) and relationship of ``store``, comparable."""
    from graph.reading import fetch_all, fetch_relationships

    nodes = {}
    for n in fetch_all(store, "export.nodes"):
        label = model.label_for_id(n["id"])
        if label == model.TERRITORY:
            continue
        cols = model.NODE_FILE_BY_LABEL[label].column_names
        nodes[n["id"]] = (sorted(n["labels"]), {c: n["properties"].get(c) for c in cols
                                                if n["properties"].get(c) not in (None, "", [])})
    rels = sorted((r["source"], r["type"], r["target"], str(r["properties"].get("key") or ""),
                   tuple(sorted((k, str(v)) for k, v in r["properties"].items())))
                  for r in fetch_relationships(store, "export.relationships") if r["type"] != "PART_OF")
    return nodes, rels


def test_a_bundle_export_carries_accepted_contributions(seed_store, territory_store, tmp_path):
    from graph.bundle_export import export_bundle
    from loaders.load import load_path

    t = sign_in_all(seed_store)
    add = proposals.propose(seed_store, t["contributrice"], Proposal(
        "add_node", "Annuaire 2026 des tiers-lieux", label="SharedPlace",
        props={"name": "La Fabrique du Lien", "kind": "tiers_lieu", "functions": "lieu"}, seat="commune:44109"))
    review.accept(seed_store, t["coordination"], add)
    rel = proposals.propose(seed_store, t["contributrice"], Proposal(
        "add_relation", "Annuaire 2026 des tiers-lieux", rel_type="USES", source_id=ECOSSOLIES,
        target_id="place:la-fabrique-du-lien", props={"kind": "member"}))
    review.accept(seed_store, t["coordination"], rel)
    fix = proposals.propose(seed_store, t["contributrice"], Proposal(
        "correct", "https://www.ecossolies.fr/", target=ECOSSOLIES, props={"website": "https://www.ecossolies.fr/"}),
        source_kind="url")
    review.accept(seed_store, t["coordination"], fix)
    rejected = proposals.propose(seed_store, t["contributrice"], Proposal(
        "correct", "rumeur", target=ECOSSOLIES, props={"description": "fermée"}))
    review.reject(seed_store, t["coordination"], rejected, "pas de source")

    export_bundle(seed_store, tmp_path / "out")
    load_path(territory_store, tmp_path / "out")
    original, reloaded = _graph(seed_store), _graph(territory_store)
    assert reloaded == original
    nodes, _ = reloaded
    assert nodes["place:la-fabrique-du-lien"][1]["sources"] == [f"source:contribution-{add}"]
    assert nodes[f"source:contribution-{fix}"][1]["title"] == "https://www.ecossolies.fr/"
    assert f"source:contribution-{fix}" in nodes[ECOSSOLIES][1]["sources"]
    assert json.loads(nodes[ECOSSOLIES][1]["origins"])["website"] == f"source:contribution-{fix}"
    assert f"source:contribution-{rejected}" not in nodes

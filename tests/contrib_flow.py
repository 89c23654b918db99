"""The contribution flow as one function of a store, run on the embedded engine
(tests/test_contrib.py) and on a Bolt server (tests/test_neo4j_contrib.py)."""

from __future__ import annotations

import pytest

from graph.contrib import accounts, history, proposals, review
from graph.contrib.proposals import Proposal
from graph.errors import Conflict, ParameterError, PermissionDenied

PASSWORD = "mot-de-passe-assez-long"


def sign_in_all(store) -> dict:
    """An editor, a second editor, a contributor and a reader, signed in: login -> token."""
    for login, org, role in (("coordination", "Ecossolies", "editor"), ("relecture", "CRESS Pays de la Loire", "editor"),
                             ("contributrice", "Ecossolies", "contributor"), ("lecteur", "Ecossolies", "reader")):
        accounts.add_user(store, login, org, role, PASSWORD)
    return {login: accounts.sign_in(store, login, PASSWORD)
            for login in ("coordination", "relecture", "contributrice", "lecteur")}


def node_props(store, node_id):
    return proposals.node_of(store, node_id)["properties"]


def full_flow(store, seat: str, partner: str):
    """Propose a structure, accept it, tie it to ``partner``, correct it, revert, check each state."""
    t = sign_in_all(store)
    n = proposals.propose(store, t["contributrice"], Proposal(
        "add_node", "connaissance directe de Ecossolies", label="Structure",
        props={"name": "La Ressourcerie du Port", "legal_form": "association", "functions": "lieu|accompagnement"},
        seat=seat), source_kind="direct")
    [queued] = review.queue(store, t["coordination"])
    assert queued["number"] == n and queued["status"] == "pending"
    new_id = queued["target"]
    assert new_id == "structure:la-ressourcerie-du-port"
    with pytest.raises(ParameterError):
        proposals.node_of(store, new_id)          # nothing written before the review

    done = review.accept(store, t["coordination"], n, reason="vérifié")
    assert done["status"] == "accepted"
    props = node_props(store, new_id)
    assert props["functions"] == ["lieu", "accompagnement"]
    assert props["sources"] == [f"source:contribution-{n}"]
    assert proposals.node_of(store, f"source:contribution-{n}")["properties"]["title"] == \
        "connaissance directe de Ecossolies"
    assert proposals.relation_of(store, "LOCATED_IN", new_id, seat) is not None

    r = proposals.propose(store, t["contributrice"], Proposal(
        "add_relation", "https://www.ecossolies.fr/", rel_type="COOPERATES_WITH", source_id=new_id,
        target_id=partner, props={"kind": "partnership", "since": 2024}), source_kind="url")
    review.accept(store, t["coordination"], r)
    rel = proposals.relation_of(store, "COOPERATES_WITH", new_id, partner)
    assert rel["kind"] == "partnership" and rel["since"] == 2024 and rel["key"] == "2024"

    c = proposals.propose(store, t["contributrice"], Proposal(
        "correct", "Rapport d'activité 2025", target=new_id, props={"legal_form": "scic"}))
    review.accept(store, t["relecture"], c, amended={"legal_form": "scop"})
    assert node_props(store, new_id)["legal_form"] == "scop"
    assert review.contribution(store, c)["amended"] is True

    hist = history.history(store, new_id, t["lecteur"])
    assert [h["number"] for h in hist] == [n, r, c]
    assert all("proposer" not in h and "proposer_org" not in h for h in hist)
    assert history.history(store, new_id, t["coordination"])[0]["proposer_org"] == "Ecossolies"

    with pytest.raises(ParameterError, match="annulez d'abord"):
        history.revert(store, t["coordination"], n, "erreur")
    history.revert(store, t["coordination"], c, "forme juridique à vérifier")
    assert node_props(store, new_id)["legal_form"] == "association"
    history.revert(store, t["coordination"], r, "partenariat non confirmé")
    assert proposals.relation_of(store, "COOPERATES_WITH", new_id, partner) is None
    history.revert(store, t["coordination"], n, "doublon")
    with pytest.raises(ParameterError):
        proposals.node_of(store, new_id)
    assert review.contribution(store, n)["status"] == "reverted"
    return t


def forged_requests_refused(store, t, some_id: str):
    """Every write path checks the role in the store, whatever the caller claims."""
    p = Proposal("correct", "document", target=some_id, props={"description": "x"})
    for token in (None, "forged-token", t["lecteur"]):
        with pytest.raises(PermissionDenied):
            proposals.propose(store, token, p)
    n = proposals.propose(store, t["contributrice"], p)
    for token in (None, "forged-token", t["lecteur"], t["contributrice"]):
        with pytest.raises(PermissionDenied):
            review.accept(store, token, n)
        with pytest.raises(PermissionDenied):
            review.reject(store, token, n, "non")
        with pytest.raises(PermissionDenied):
            history.revert(store, token, n, "non")
    assert review.contribution(store, n)["status"] == "pending"
    accounts.set_role(store, "contributrice", "reader")    # the open session takes the new role at once
    with pytest.raises(PermissionDenied):
        proposals.propose(store, t["contributrice"], p)
    accounts.set_role(store, "contributrice", "contributor")
    review.reject(store, t["coordination"], n, "pas de source précise")
    assert review.contribution(store, n)["status"] == "rejected"


def conflicting_accepts(store, t, some_id: str):
    """Two proposals change one property from the same value: the second accept is a conflict."""
    old = node_props(store, some_id).get("website")
    a = proposals.propose(store, t["contributrice"], Proposal(
        "correct", "https://a.example.org/", target=some_id, props={"website": "https://a.example.org/"}),
        source_kind="url")
    b = proposals.propose(store, t["contributrice"], Proposal(
        "correct", "https://b.example.org/", target=some_id, props={"website": "https://b.example.org/"}),
        source_kind="url")
    review.accept(store, t["coordination"], a)
    with pytest.raises(Conflict, match="website"):
        review.accept(store, t["relecture"], b)
    assert node_props(store, some_id)["website"] == "https://a.example.org/"
    assert review.contribution(store, b)["status"] == "pending"
    with pytest.raises(Conflict, match="déjà été traitée|plus en attente"):
        review.accept(store, t["relecture"], a)
    history.revert(store, t["coordination"], a, "test")
    assert node_props(store, some_id).get("website") == old


def keyed_relation_removal(store, t, a: str, b: str):
    """``a`` -> ``b`` already cooperate; a second COOPERATES_WITH since 1999 makes two: a
    removal that does not say which is refused with the keys; one that does removes that
    one only. Then the queue, newest first and cut at its limit."""
    def keys():
        return sorted(str(r.get("key") or "") for r in proposals.relations_between(store, "COOPERATES_WITH", a, b))

    before = keys()
    assert len(before) == 1 and before != ["1999"]
    n = proposals.propose(store, t["contributrice"], Proposal(
        "add_relation", "Convention 1999", rel_type="COOPERATES_WITH", source_id=a, target_id=b,
        props={"since": 1999, "kind": "partnership"}))
    review.accept(store, t["coordination"], n)
    assert keys() == sorted(before + ["1999"])
    with pytest.raises(ParameterError, match=r"2 relations .* précisez laquelle par sa clé"):
        proposals.propose(store, t["contributrice"], Proposal(
            "remove_relation", "Fin de la convention", rel_type="COOPERATES_WITH", source_id=a, target_id=b))
    m = proposals.propose(store, t["contributrice"], Proposal(
        "remove_relation", "Fin de la convention", rel_type="COOPERATES_WITH", source_id=a, target_id=b, key="1999"))
    review.accept(store, t["coordination"], m)
    assert keys() == before  # the other one is still there
    assert [c["number"] for c in review.queue(store, t["coordination"], status="accepted", newest=True)] == [m, n]
    assert [c["number"] for c in review.queue(store, t["coordination"], status="accepted", limit=1)] == [n]
    assert [c["number"] for c in review.queue(store, t["contributrice"], status="", mine=True, newest=True,
                                              limit=1)] == [m]

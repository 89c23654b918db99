"""Contributions in the Streamlit app (AppTest, seed knowledge base): the sign-in box, the
Contribuer page for readers, contributors and editors, the Structure page's proposals and
history, and the Données import following the roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from graph.contrib import accounts, history, proposals, review
from graph.contrib.proposals import Proposal

APP = str(Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py")
TIMEOUT = 120
PASSWORD = "mot-de-passe-assez-long"
ECOSSOLIES = "structure:ecossolies"


@pytest.fixture
def contrib_store(seed_store, monkeypatch):
    """A copy of the seed with an editor, a contributor and a reader; the app points at it."""
    for login, role in (("coordination", "editor"), ("contributrice", "contributor"), ("lecteur", "reader")):
        accounts.add_user(seed_store, login, "Ecossolies", role, PASSWORD)
    monkeypatch.setenv("MAILLAGE_STORE", seed_store.url)
    monkeypatch.delenv("MAILLAGE_ALLOW_IMPORT", raising=False)
    yield seed_store
    seed_store.accounts_store().clear()


def token(store, login: str) -> str:
    return accounts.sign_in(store, login, PASSWORD)


def open_page(page: str | None = None, *, session: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    if session:
        at.session_state["contrib_token"] = session
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in at.get(kind)]


def frame_with(at: AppTest, column: str):
    """The first dataframe shown with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def keys(at: AppTest, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def test_no_accounts_means_a_read_only_page(shared_seed_store, monkeypatch):
    monkeypatch.setenv("MAILLAGE_STORE", shared_seed_store.url)
    at = open_page("contribute")
    [info] = texts(at, "info")
    assert "lecture seule" in info and "maillage users add LOGIN --organisation ORG --role editor" in info
    assert "contrib_login" not in keys(at, "text_input")          # no sign-in box without accounts
    at = open_page("structure", id=ECOSSOLIES)
    assert "Proposer une modification" not in [e.label for e in at.expander]


def test_sign_in_and_out_in_the_sidebar(contrib_store):
    at = open_page("contribute")
    assert texts(at, "info") == ["Connectez-vous (barre latérale) pour proposer des modifications."]
    at.text_input(key="contrib_login").set_value("contributrice")
    at.text_input(key="contrib_password").set_value("mauvais-mot-de-passe")
    at.button(key="FormSubmitter:contrib_sign_in-Se connecter").click().run()
    assert "identifiant ou mot de passe incorrect" in texts(at, "error")
    at.text_input(key="contrib_login").set_value("contributrice")
    at.text_input(key="contrib_password").set_value(PASSWORD)
    at.button(key="FormSubmitter:contrib_sign_in-Se connecter").click().run()
    ok(at)
    assert "connecté : contributrice (Ecossolies, contributeur)" in texts(at, "caption")
    assert accounts.current(contrib_store, at.session_state["contrib_token"]).login == "contributrice"
    assert "cn_submit" in keys(at, "button")
    at.button(key="contrib_sign_out").click().run()
    ok(at)
    assert "contrib_token" not in at.session_state
    assert "contrib_login" in keys(at, "text_input")


def test_an_expired_token_falls_back_to_reader(contrib_store):
    at = open_page("contribute", session="a-token-the-store-never-gave")
    assert texts(at, "info") == ["Connectez-vous (barre latérale) pour proposer des modifications."]
    assert "contrib_token" not in at.session_state


def test_a_reader_sees_no_form(contrib_store):
    reader = token(contrib_store, "lecteur")
    at = open_page("contribute", session=reader)
    assert any("rôle lecteur" in i for i in texts(at, "info"))
    assert "cn_submit" not in keys(at, "button")
    at = open_page("structure", session=reader, id=ECOSSOLIES)
    assert "Proposer une modification" not in [e.label for e in at.expander]


def test_a_contributor_proposes_a_structure_with_its_seat(contrib_store):
    at = open_page("contribute", session=token(contrib_store, "contributrice"))
    assert [t.label for t in at.tabs] == ["Nouvelle fiche", "Nouvelle relation", "Correction", "Suppression",
                                          "Mes propositions"]           # no review for a contributor
    at.selectbox(key="cn_label").set_value("Structure").run()
    at.text_input(key="cn_Structure_name").set_value("La Ressourcerie du Port")
    at.selectbox(key="cn_Structure_legal_form").set_value("association")
    at.multiselect(key="cn_Structure_functions").set_value(["lieu", "accompagnement"])
    at.text_input(key="cn_seat").set_value("Nantes").run()
    assert "Siège : Nantes (44109)" in texts(at, "caption")
    at.selectbox(key="cn_skind").set_value("direct")
    at.button(key="cn_submit").click().run()
    ok(at)
    assert any(s.startswith("Proposition n° ") for s in texts(at, "success")), texts(at, "error")
    editor = token(contrib_store, "coordination")
    [c] = review.queue(contrib_store, editor)
    assert c["kind"] == "add_node" and c["payload"]["seat"] == "commune:44109"
    assert c["payload"]["props"]["functions"] == ["lieu", "accompagnement"]
    assert c["source"] == "connaissance directe de Ecossolies"
    mine = frame_with(at, "Raison de l'éditeur")
    assert mine["Statut"].tolist() == ["en attente"]

    at.text_input(key="cn_stext").set_value("")
    at.selectbox(key="cn_skind").set_value("url")
    at.button(key="cn_submit").click().run()
    assert any("source manquante" in e for e in texts(at, "error"))   # the core's words, as they are


def test_a_contributor_proposes_a_relation(contrib_store):
    at = open_page("contribute", session=token(contrib_store, "contributrice"))
    at.text_input(key="cr_from_search").set_value("Ecossolies").run()
    assert at.selectbox(key="cr_from_pick").value == ECOSSOLIES
    at.selectbox(key=f"cr_type_{ECOSSOLIES}").set_value("COOPERATES_WITH:out").run()
    at.text_input(key=f"cr_other_{ECOSSOLIES}_search").set_value("CRESS").run()
    other = at.selectbox(key=f"cr_other_{ECOSSOLIES}_pick").value
    at.selectbox(key=f"cr_kind_{ECOSSOLIES}_COOPERATES_WITH").set_value("partnership")
    at.text_input(key=f"cr_since_{ECOSSOLIES}_COOPERATES_WITH").set_value("2024")
    at.selectbox(key=f"cr_{ECOSSOLIES}_skind").set_value("url")
    at.text_input(key=f"cr_{ECOSSOLIES}_stext").set_value("https://www.ecossolies.fr/")
    at.button(key=f"cr_submit_{ECOSSOLIES}").click().run()
    ok(at)
    assert any(s.startswith("Proposition n° ") for s in texts(at, "success")), texts(at, "error")
    [c] = review.queue(contrib_store, token(contrib_store, "coordination"))
    assert c["kind"] == "add_relation" and c["payload"]["target_id"] == other
    assert c["payload"]["props"] == {"kind": "partnership", "since": 2024}


def test_an_editor_accepts_amends_rejects_and_reverts(contrib_store):
    contributor, editor = token(contrib_store, "contributrice"), token(contrib_store, "coordination")
    n = proposals.propose(contrib_store, contributor, Proposal(
        "add_node", "Rapport d'activité 2025", label="Structure", props={"name": "Coop des Quais",
                                                                        "legal_form": "scic"}, seat="commune:44109"))
    m = proposals.propose(contrib_store, contributor, Proposal(
        "correct", "https://www.ecossolies.fr/", target=ECOSSOLIES, props={"website": "https://a.example.org/"}),
        source_kind="url")
    r = proposals.propose(contrib_store, contributor, Proposal(
        "correct", "rumeur", target=ECOSSOLIES, props={"description": "autre chose"}))
    at = open_page("contribute", session=editor)
    assert "3 proposition(s) en attente, la plus ancienne d'abord." in texts(at, "caption")
    assert any("Coop des Quais" in e.label for e in at.expander)

    at.toggle(key=f"rv_amend_{n}").set_value(True).run()
    at.selectbox(key=f"rv_{n}_legal_form").set_value("scop")
    at.text_input(key=f"rv_reason_{n}").set_value("vérifié auprès de la CRESS")
    at.button(key=f"rv_accept_{n}").click().run()
    ok(at)
    assert f"Contribution n° {n} acceptée et écrite dans la base." in texts(at, "success")
    new = review.contribution(contrib_store, n)
    assert new["status"] == "accepted" and new["amended"] is True
    assert proposals.node_of(contrib_store, new["target"])["properties"]["legal_form"] == "scop"
    assert "2 proposition(s) en attente, la plus ancienne d'abord." in texts(at, "caption")

    at.button(key=f"rv_reject_{r}").click().run()
    assert any("un refus donne sa raison" in e for e in texts(at, "error"))
    at.text_input(key=f"rv_reason_{r}").set_value("pas de source précise")
    at.button(key=f"rv_reject_{r}").click().run()
    ok(at)
    assert review.contribution(contrib_store, r)["status"] == "rejected"

    at.button(key=f"rv_accept_{m}").click().run()
    assert review.contribution(contrib_store, m)["status"] == "accepted"

    at.button(key=f"rv_revert_{m}").click().run()
    assert any("une annulation donne sa raison" in e for e in texts(at, "error"))
    at.text_input(key=f"rv_revert_reason_{m}").set_value("adresse erronée")
    at.button(key=f"rv_revert_{m}").click().run()
    ok(at)
    assert f"Contribution n° {m} annulée." in texts(at, "success")
    assert review.contribution(contrib_store, m)["status"] == "reverted"
    assert proposals.node_of(contrib_store, ECOSSOLIES)["properties"].get("website") != "https://a.example.org/"


def test_a_conflict_is_shown_as_it_is(contrib_store):
    contributor, editor = token(contrib_store, "contributrice"), token(contrib_store, "coordination")
    a, b = (proposals.propose(contrib_store, contributor, Proposal(
        "correct", f"https://{x}.example.org/", target=ECOSSOLIES, props={"website": f"https://{x}.example.org/"}),
        source_kind="url") for x in "ab")
    at = open_page("contribute", session=editor)
    review.accept(contrib_store, editor, a)            # another editor, meanwhile
    at.button(key=f"rv_accept_{b}").click().run()
    ok(at)
    assert any("conflit sur la contribution" in e and "website" in e for e in texts(at, "error"))
    assert review.contribution(contrib_store, b)["status"] == "pending"


def test_the_structure_page_proposes_and_shows_the_history(contrib_store):
    contributor, editor = token(contrib_store, "contributrice"), token(contrib_store, "coordination")
    at = open_page("structure", session=contributor, id=ECOSSOLIES)
    assert "Proposer une modification" in [e.label for e in at.expander]
    at.selectbox(key=f"card_fix_prop_{ECOSSOLIES}").set_value("website").run()
    at.text_input(key=f"card_fix_value_{ECOSSOLIES}_website").set_value("https://nouveau.example.org/")
    at.selectbox(key=f"card_fix_{ECOSSOLIES}_skind").set_value("url")
    at.text_input(key=f"card_fix_{ECOSSOLIES}_stext").set_value("https://nouveau.example.org/")
    at.button(key=f"card_fix_submit_{ECOSSOLIES}").click().run()
    ok(at)
    assert any(s.startswith("Proposition n° ") for s in texts(at, "success")), texts(at, "error")
    [c] = review.queue(contrib_store, editor)
    assert c["kind"] == "correct" and c["payload"]["props"] == {"website": "https://nouveau.example.org/"}
    review.accept(contrib_store, editor, c["number"])

    at = open_page("structure", id=ECOSSOLIES)               # a reader: the history, never who
    assert "Historique des contributions" in texts(at, "subheader")
    history = frame_with(at, "Ce qui change")
    assert history["Type"].tolist() == ["correction"]
    assert "https://nouveau.example.org/" in history["Ce qui change"][0]
    assert "Proposée par" not in history.columns
    at = open_page("structure", session=editor, id=ECOSSOLIES)
    history = frame_with(at, "Ce qui change")
    assert history["Proposée par"].tolist() == ["Ecossolies"]


BUNDLE = {
    "structures.csv": "id,name,legal_form,functions,sources\nstructure:app-test-coop,Coop de test,scop,,\n",
    "relations.csv": "source_id,type,target_id\nstructure:app-test-coop,LOCATED_IN,commune:44109\n",
}


def upload(at: AppTest) -> None:
    at.file_uploader(key="d_upload").set_value(
        [(name, text.encode("utf-8"), "text/csv") for name, text in BUNDLE.items()]).run()


def test_the_import_is_refused_to_a_contributor(contrib_store, monkeypatch):
    monkeypatch.setenv("MAILLAGE_ALLOW_IMPORT", "1")     # with accounts, the roles decide, not this
    at = open_page("data", session=token(contrib_store, "contributrice"))
    assert "Import réservé aux éditeurs : connectez-vous avec un compte éditeur pour écrire dans la base." \
        in texts(at, "info")
    upload(at)
    assert at.button(key="d_write").disabled


def test_the_import_checks_the_role_at_the_write(contrib_store, monkeypatch):
    """A page that shows the button to a contributor (a bug, a forged request) still writes nothing."""
    import app.components.contrib as contrib

    monkeypatch.setattr(contrib, "import_allowed", lambda: (True, ""))
    at = open_page("data", session=token(contrib_store, "contributrice"))
    upload(at)
    assert not at.button(key="d_write").disabled
    at.button(key="d_write").click().run()
    ok(at)
    assert any("il faut le rôle editor" in e for e in texts(at, "error")), texts(at, "error")
    assert contrib_store.query("explore.node", id="structure:app-test-coop").empty


def test_the_import_is_written_for_an_editor(contrib_store):
    at = open_page("data", session=token(contrib_store, "coordination"))
    assert not texts(at, "info")
    upload(at)
    assert not at.button(key="d_write").disabled
    at.button(key="d_write").click().run()
    ok(at)
    assert any(s.startswith("Écrit : ") for s in texts(at, "success"))
    assert contrib_store.query("explore.node", id="structure:app-test-coop")["name"].tolist() == ["Coop de test"]


def _map_spec(at: AppTest) -> str:
    """The map's deck.gl spec, as the browser gets it (JSON, non-ASCII letters decoded)."""
    import json

    [chart] = at.get("deck_gl_json_chart")
    return json.dumps(json.loads(chart.proto.json), ensure_ascii=False)


def test_an_accepted_structure_is_on_the_map_until_it_is_reverted(contrib_store):
    """Accepted: the new provider is a point of the Territoires map of its département;
    reverted: it is gone from it (the page reads the store's new version, nothing stale)."""
    name = "Coopérative d'accompagnement des Quais"
    contributor, editor = token(contrib_store, "contributrice"), token(contrib_store, "coordination")
    n = proposals.propose(contrib_store, contributor, Proposal(
        "add_node", "Annuaire 2025 de la CRESS", label="Structure",
        props={"name": name, "legal_form": "scop", "functions": ["accompagnement"]}, seat="commune:44109"))

    def territories_map() -> str:
        at = open_page("territories")
        at.selectbox(key="ter_scope").set_value("departement:44").run()
        ok(at)
        return _map_spec(at)

    assert name not in territories_map()
    review.accept(contrib_store, editor, n, reason="vérifié")
    assert name in territories_map()
    history.revert(contrib_store, editor, n, "doublon")
    assert name not in territories_map()


def test_the_console_is_open_to_readers_when_accounts_are_a_graph_apart(contrib_store):
    """On FalkorDB the accounts are a graph of their own: the console cannot reach them."""
    at = open_page("queries")
    at.text_area(key="q_cypher").set_value("MATCH (a:Account) RETURN count(a) AS n")
    at.button(key="q_console_run").click().run()
    ok(at)
    assert int(frame_with(at, "n")["n"].iloc[0]) == 0
    assert accounts.users(contrib_store)  # while there are accounts


def test_a_removal_of_one_relation_names_its_key(contrib_store):
    """The Suppression tab lists a fiche's relations with their keys, and the proposal removes
    the one picked (not the first of its type between the two)."""
    unis, pd_ = "structure:unis-cite", "structure:petits-debrouillards-pays-de-la-loire"
    at = open_page("contribute", session=token(contrib_store, "contributrice"))
    at.text_input(key="cx_search").set_value("Unis-Cité").run()
    at.selectbox(key="cx_pick").set_value(unis).run()
    at.radio(key=f"cx_what_{unis}").set_value("relation").run()
    rels = [r for r in contrib_store.query("admin.relations_of", id=unis).to_dict("records") if r["type"] != "PART_OF"]
    i = next(i for i, r in enumerate(rels) if r["type"] == "COOPERATES_WITH" and r["other"] == pd_)
    box = at.selectbox(key=f"cx_rel_{unis}")
    assert "2007" in box.options[i]  # the key shown with the relation
    box.set_value(i)
    at.text_input(key=f"cx_{unis}_stext").set_value("Rapport d'activité 2025")
    at.button(key=f"cx_submit_{unis}").click().run()
    ok(at)
    [c] = review.queue(contrib_store, token(contrib_store, "coordination"))
    assert c["kind"] == "remove_relation" and c["payload"]["key"] == "2007"
    assert (c["payload"]["source_id"], c["payload"]["target_id"]) == (unis, pd_)

"""Every page of the Streamlit app, run by Streamlit's AppTest against the seed knowledge base.

The app reads ``MAILLAGE_STORE``; each test points it at the shared seed graph of
the test engine (or at a copy it may write to) and asserts what the page shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders.territories import read_territories

APP = str(Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py")
TIMEOUT = 120


@pytest.fixture
def seed_url(shared_seed_store, monkeypatch):
    monkeypatch.setenv("MAILLAGE_STORE", shared_seed_store.url)
    monkeypatch.delenv("MAILLAGE_ALLOW_IMPORT", raising=False)
    return shared_seed_store.url


def open_page(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest, kind: str) -> list[str]:
    return [str(e.value) for e in at.get(kind)]


def frames(at: AppTest):
    return [d.value for d in at.dataframe]


def all_text(at: AppTest) -> str:
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "success"):
        parts.extend(texts(at, kind))
    for df in frames(at):
        parts.append(df.to_string())
    return "\n".join(parts)


def test_home_counts_sources_networks_and_search(seed_url, shared_seed_store):
    at = open_page()
    assert texts(at, "title") == ["Qui coopère avec qui dans l'ESS ?"]
    metrics = {m.label: m.value for m in at.metric}
    labels = shared_seed_store.query("stats.labels").set_index("label")["count"]
    assert metrics["Structures"] == str(labels["Structure"])
    assert metrics["Réseaux"] == str(labels["Network"])
    assert metrics["Territoires"].replace("\u202f", "") == str(labels["Territory"])
    by_dep = frames(at)[1]
    assert "Loire-Atlantique (44)" in set(by_dep["Département"])
    assert (by_dep["Total"].diff().dropna() <= 0).all()  # most first
    sources = frames(at)[2]
    assert any("Écossolies" in title for title in sources["Titre"])
    assert {"source:seed-000", "source:seed-003"} <= set(sources["id"])
    assert any("CRESS" in link.label for link in at.get("page_link"))

    at.text_input(key="home_search").set_value("Ecossolies").run()
    links = [link.label for link in at.get("page_link")]
    assert any(label.startswith("Les Ecossolies") for label in links)


def test_home_in_english(seed_url):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["lang"] = "en"
    at.run()
    assert texts(at, "title") == ["Who works with whom in the ESS?"]
    assert "Organisations" in {m.label for m in at.metric}


def test_structure_card_relations_scores_partners(seed_url):
    at = open_page("structure", id="structure:ecossolies")
    assert "Les Ecossolies" in texts(at, "header")
    text = all_text(at)
    assert "association" in text and "Nantes" in text
    assert "Position dans le réseau de coopération" in texts(at, "subheader")
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Partenaires"]) > 10
    assert float(metrics["Intermédiarité"]) > 0
    expanders = [e.label for e in at.expander]
    assert "membres (4)" in expanders
    partners = frames(at)[-1]
    assert list(partners.columns) == ["Nom", "Pourquoi", "Score", "id"]
    assert len(partners) > 0 and partners["Pourquoi"].str.len().min() > 0


def test_structure_pages_a_hub(seed_url):
    at = open_page("structure", id="event:consultation-etat-des-lieux-ess-alpc-2016")
    [label] = [e.label for e in at.expander if "participants" in e.label]
    assert label.endswith("20 sur 50 participants")
    table = next(df for df in frames(at) if len(df) == 20)
    at.button(key="page_event:consultation-etat-des-lieux-ess-alpc-2016_PARTICIPATED_IN_next").click().run()
    page2 = next(df for df in frames(at) if len(df) == 20)
    assert set(page2["id"]).isdisjoint(set(table["id"]))
    assert "Les scores et suggestions concernent les structures." in texts(at, "caption")


def test_structure_unknown_node(seed_url):
    at = open_page("structure", id="structure:nobody-here")
    assert "Aucun nœud d'identifiant structure:nobody-here." in texts(at, "warning")


def test_network_page(seed_url):
    at = open_page("network")
    assert texts(at, "title") == ["Le réseau de coopération"]
    caption = next(c for c in texts(at, "caption") if "liens" in c)
    assert "structures" in caption and "groupes" in caption
    clusters, brokers = frames(at)[:2]
    assert len(clusters) >= 2 and clusters["Taille"].is_monotonic_decreasing
    assert "structure?id=structure:ecossolies" in set(brokers["id"])
    assert len(at.get("download_button")) == 3
    at.get("button_group")[0].set_value("map").run()
    assert len(at.get("deck_gl_json_chart")) == 1
    assert any("structures placées" in c for c in texts(at, "caption"))

    at.toggle(key="net_dated").set_value(True).run()
    at.select_slider(key="net_year").set_value(2008).run()
    assert "Le réseau en 2008" in texts(at, "subheader")
    caption_2008 = next(c for c in texts(at, "caption") if "liens" in c)
    assert caption_2008 != caption

    at.selectbox(key="net_territory").set_value("departement:44").run()
    assert not at.exception
    brokers = frames(at)[1]
    assert "structure?id=structure:ecossolies" in set(brokers["id"])


def test_territories_page_ranks_nouvelle_aquitaine(seed_url):
    at = open_page("territories")
    assert at.selectbox(key="ter_scope").value == "region:75"
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"Territoires couverts", "Population couverte", "Zones blanches"}
    na = {t["name"] for t in read_territories("departement") if "region:75" in t["parents"]}
    ranking = next(df for df in frames(at) if "Acteurs" in df.columns and "Population" in df.columns)
    assert set(ranking["Nom"]) == na
    assert (ranking["Acteurs"].diff().dropna() <= 0).all()
    assert metrics["Territoires couverts"] == f"{(ranking['Acteurs'] > 0).sum()} / {len(na)}"
    assert len(at.get("deck_gl_json_chart")) == 1
    served = next(m for m in texts(at, "markdown") if "acteur(s) pour" in m)
    assert "Gironde" in served  # the most populous département is selected first

    at.selectbox(key="ter_need").set_value("lieu").run()
    white = next(df for df in frames(at) if "Acteur le plus proche (km)" in df.columns
                 and "Densité" in df.columns)
    assert (white["Population"].diff().dropna() <= 0).all()  # white zones, largest first


def test_orientation_page(seed_url):
    at = open_page("orientation")
    assert texts(at, "title") == ["Vers qui se tourner ?"]
    [heading] = [s for s in texts(at, "subheader") if "acteur(s)" in s]
    assert heading.endswith("à Nantes")
    cards = [m for m in texts(at, "markdown") if m.startswith("**1. ")]
    assert cards and "Les Ecossolies" in cards[0]
    assert any(link.label == "Ouvrir la fiche" for link in at.get("page_link"))

    at.text_input(key="or_commune").set_value("Commune-qui-n-existe-pas").run()
    assert "Commune introuvable : « Commune-qui-n-existe-pas »." in texts(at, "warning")


def test_queries_page_library_and_console(seed_url):
    at = open_page("queries")
    at.selectbox(key="q_name").set_value("explore.find").run()
    at.text_input(key="q_explore.find_text").set_value("ecossolies")
    at.button[0].click().run()
    result = frames(at)[0]
    assert "structure:ecossolies" in set(result["id"])
    assert any("ligne(s)" in c for c in texts(at, "caption"))

    at.selectbox(key="q_name").set_value("explore.neighbourhood").run()
    at.text_input(key="q_explore.neighbourhood_id").set_value("structure:ecossolies")
    at.text_input(key="q_explore.neighbourhood_types").set_value("MEMBER_OF")
    at.button[0].click().run()
    assert set(frames(at)[0]["type"]) == {"MEMBER_OF"}
    assert "**Graphe du résultat**" in texts(at, "markdown")

    at.selectbox(key="q_name").set_value("explore.members").run()
    at.text_input(key="q_explore.members_network").set_value("network:reves")
    at.button[0].click().run()
    assert not at.exception

    at.text_area(key="q_cypher").set_value("CREATE (n:Structure {id: 'structure:x'})")
    at.button(key="q_console_run").click().run()
    assert at.error, "a write in the console must be refused"
    at.text_area(key="q_cypher").set_value(
        "MATCH (t:Territory) RETURN t.id AS id ORDER BY id LIMIT 50")
    at.number_input(key="q_cap").set_value(5)
    at.button(key="q_console_run").click().run()
    assert "Résultat tronqué à 5 lignes." in texts(at, "warning")
    assert len(frames(at)[-1]) == 5


BUNDLE = {
    "structures.csv": "id,name,legal_form,functions,sources\n"
                      "structure:app-test-coop,Coop de test,scop,accompagnement,\n"
                      "structure:bad,Mauvaise,not-a-form,,\n",
    "relations.csv": "source_id,type,target_id\n"
                     "structure:app-test-coop,LOCATED_IN,commune:44109\n",
}


def upload(at: AppTest) -> None:
    at.file_uploader(key="d_upload").set_value(
        [(name, text.encode("utf-8"), "text/csv") for name, text in BUNDLE.items()]).run()


def test_data_page_validates_without_writing(seed_url):
    at = open_page("data")
    assert any("MAILLAGE_ALLOW_IMPORT=1" in i for i in texts(at, "info"))
    tabs = [t.label for t in at.tabs]
    assert tabs == ["Organisations sans territoire", "Structures isolées (aucun lien de coopération)",
                    "Doublons possibles"]
    no_territory = frames(at)[0]
    assert len(no_territory) > 0
    upload(at)
    assert not at.exception
    summary = next(m for m in texts(at, "markdown") if "lignes lues" in m)
    assert summary == "3 lignes lues, 2 valides, 1 rejetées"
    rejected = next(df for df in frames(at) if "Motif" in df.columns)
    assert rejected["Fichier"].tolist() == ["structures.csv"] and rejected["Colonne"].tolist() == ["legal_form"]
    assert at.button(key="d_write").disabled


def test_data_page_imports_when_allowed(seed_store, monkeypatch):
    monkeypatch.setenv("MAILLAGE_STORE", seed_store.url)
    monkeypatch.setenv("MAILLAGE_ALLOW_IMPORT", "1")
    at = open_page("data")
    upload(at)
    assert not at.button(key="d_write").disabled
    at.button(key="d_write").click().run()
    assert any(s.startswith("Écrit : ") for s in texts(at, "success"))
    assert seed_store.query("explore.node", id="structure:app-test-coop")["name"].tolist() == ["Coop de test"]


def test_network_page_draws_the_most_central_of_a_big_base(seed_url, monkeypatch):
    import app.components.network as network

    monkeypatch.setattr(network, "DRAW_MAX", 12)
    monkeypatch.setattr(network, "DRAW_CHOICES", (5, 12))
    monkeypatch.setattr(network, "DRAW_DEFAULT", 12)
    at = open_page("network")
    [note] = [i for i in texts(at, "info") if "les plus centrales" in i]
    assert note.startswith("Les 12 structures les plus centrales")
    caption = next(c for c in texts(at, "caption") if "liens" in c)
    assert caption.startswith("12 structures")
    brokers = frames(at)[1]     # clusters and brokers still cover every structure
    assert len(brokers) == 20
    at.select_slider(key="net_draw_max").set_value(5).run()  # fewer drawn, the same tables
    assert next(c for c in texts(at, "caption") if "liens" in c).startswith("5 structures")
    assert [i for i in texts(at, "info") if i.startswith("Les 5 structures les plus centrales")]
    assert len(frames(at)[1]) == 20


def test_territories_page_makes_the_diagnostic_of_its_scope(seed_url):
    at = open_page("territories")
    scope = at.selectbox(key="ter_scope").value
    at.button(key="ter_diagnostic_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    wanted, report, html = at.session_state["ter_diagnostic_report"]
    assert wanted[1] == scope and report["territory"]["id"] == scope
    assert "<html" in html.lower() and report["territory"]["name"] in html
    assert [b for b in at.get("download_button") if "diagnostic" in str(b.proto).lower()]

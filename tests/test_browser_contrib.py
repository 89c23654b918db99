"""Contributions in a real browser: a contributor proposes a structure, an editor accepts it, it
shows on its card and in its network picture, the editor reverts it, it is gone — and nothing
leaves localhost.

Opt-in like tests/test_browser.py: ``MAILLAGE_BROWSER_TESTS=1 pytest -m browser``. Starts
``maillage app`` on a copy of the seed knowledge base with three accounts, drives Debian's
Chromium headless with Playwright; screenshots go to ``test-artifacts/contrib-*.png``.
"""

from __future__ import annotations

import itertools
import os
from urllib.parse import urlparse

import pytest

from graph.contrib import accounts
from graph.embedded import FalkorStore
from test_browser import ARTIFACTS, CHROMIUM, FLAGS, LOCAL, app_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("MAILLAGE_BROWSER_TESTS") != "1",
                       reason="browser tests run with MAILLAGE_BROWSER_TESTS=1"),
]

PASSWORD = "mot-de-passe-assez-long"
NAME = "La Recyclerie des Quais"
NODE_ID = "structure:la-recyclerie-des-quais"
_copies = itertools.count()


@pytest.fixture(scope="module")
def contrib_graph(engine, seed_graph):
    """A copy of the seed, with an editor and a contributor, that the app may write to."""
    name = f"browser_contrib_{os.getpid()}_{next(_copies)}"
    engine.client().connection.execute_command("GRAPH.COPY", seed_graph, name)
    store = FalkorStore(engine.client(), graph=name, url=f"embedded://{engine.home}?graph={name}")
    store.home = engine.home
    accounts.add_user(store, "coordination", "Ecossolies", "editor", PASSWORD)
    accounts.add_user(store, "contributrice", "Pôle ESS du Vignoble", "contributor", PASSWORD)
    yield store
    store.accounts_store().clear()
    store.clear()


@pytest.fixture(scope="module")
def contrib_app(contrib_graph):
    env = {**os.environ, "MAILLAGE_STORE": contrib_graph.url}
    env.pop("MAILLAGE_ALLOW_IMPORT", None)
    with app_server(env, "app-contrib.log") as base:
        yield base


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def idle(page) -> None:
    """Wait until the script run the last action started has finished."""
    page.wait_for_timeout(400)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running|Exécution/)",
        timeout=90_000)


def see(page, text: str, timeout: int = 90_000):
    page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout)


def open_page(page, base: str, path: str, text: str) -> None:
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    see(page, text)
    idle(page)


def type_in(page, label: str, value: str, scope=None) -> None:
    field = (scope or page).get_by_label(label, exact=True).first
    field.fill(value)
    field.press("Enter")
    idle(page)


def sign_in(page, login: str) -> None:
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_label("Identifiant", exact=True).fill(login)
    sidebar.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    sidebar.get_by_role("button", name="Se connecter").click()
    see(page, f"connecté : {login}")
    idle(page)


def check(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"contrib-{name}.png"), full_page=True)
    assert not page.get_by_text("Traceback").count(), f"{name} shows a traceback"
    assert not page.locator('[data-testid="stException"]').count(), f"{name} raised"


def test_propose_review_see_and_revert_in_the_browser(contrib_app, contrib_graph, chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 2000}, locale="fr-FR")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # a contributor proposes a new structure with its seat commune, then signs out
    open_page(page, contrib_app, "contribuer", "Connectez-vous")
    sign_in(page, "contributrice")
    see(page, "Nouvelle fiche")
    main = page.locator('[data-testid="stMain"]')
    type_in(page, "Nom", NAME, main)
    type_in(page, "Commune du siège", "Nantes", main)
    see(page, "Siège : Nantes (44109)")
    type_in(page, "Document, adresse (URL) ou précision", "Rapport d'activité 2025 du Pôle ESS", main)
    main.get_by_role("button", name="Proposer cette fiche").click()
    see(page, "Proposition n° ")
    idle(page)
    check(page, "proposed")
    page.get_by_role("tab", name="Mes propositions").click()
    page.get_by_text("en attente").first.wait_for(state="attached", timeout=30_000)  # a grid cell (canvas)
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Se déconnecter").click()
    see(page, "Connectez-vous (barre latérale)")
    idle(page)

    # an editor signs in and accepts it
    sign_in(page, "coordination")
    page.get_by_role("tab", name="À valider").click()
    item = page.locator('[data-testid="stExpander"]', has_text=NAME).first
    item.locator("summary").click()
    see(page, "Rapport d'activité 2025 du Pôle ESS")
    item.get_by_role("button", name="Accepter").click()
    see(page, "acceptée et écrite dans la base")
    idle(page)
    check(page, "accepted")
    assert not contrib_graph.query("explore.node", id=NODE_ID).empty

    # the new structure on its card and in its network picture
    card = context.new_page()
    open_page(card, contrib_app, f"structure?id={NODE_ID}", NAME)
    see(card, "Historique des contributions")
    see(card, "Nantes")
    frame = card.frame_locator("iframe").first
    frame.locator("canvas").first.wait_for(state="attached", timeout=30_000)
    pictures = [f for f in card.frames if f != card.main_frame]
    assert any(NAME in f.content() for f in pictures), "the ego network does not draw the new structure"
    check(card, "card")

    # the editor reverts it: gone
    page.get_by_role("tab", name="Acceptées").click()
    item = page.locator('[data-testid="stExpander"]', has_text=NAME).first
    item.locator("summary").click()
    type_in(page, "Raison de l'annulation", "doublon d'une fiche existante", item)
    item.get_by_role("button", name="Annuler cette contribution").click()
    see(page, "annulée")
    idle(page)
    check(page, "reverted")
    assert contrib_graph.query("explore.node", id=NODE_ID).empty
    open_page(card, contrib_app, f"structure?id={NODE_ID}", f"Aucun nœud d'identifiant {NODE_ID}")
    context.close()

    (ARTIFACTS / "requests-contrib.txt").write_text("\n".join(requests))
    outside = sorted({u for u in requests
                      if urlparse(u).scheme not in ("data", "blob", "about", "chrome-extension")
                      and urlparse(u).hostname not in LOCAL})
    assert outside == [], f"requests left localhost: {outside}"
    assert not errors, errors

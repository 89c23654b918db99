"""The running app in a real browser: every page shows its content and nothing leaves localhost.

Opt-in: ``MAILLAGE_BROWSER_TESTS=1 pytest -m browser``. Starts ``maillage app`` on a
free port against the seed knowledge base, drives Debian's Chromium
(``/usr/bin/chromium``, package ``chromium``) headless with Playwright, records
every request the pages make, saves a screenshot per page and the warm render
times under ``test-artifacts/``.
"""

from __future__ import annotations

import json
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("MAILLAGE_BROWSER_TESTS") != "1",
                       reason="browser tests run with MAILLAGE_BROWSER_TESTS=1"),
]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--use-gl=swiftshader", "--enable-unsafe-swiftshader"]
LOCAL = {"127.0.0.1", "localhost", "::1", ""}

#: url path -> texts that must be visible once the page has rendered (the last one marks the end)
PAGES = {
    "": ["Qui coopère avec qui dans l'ESS ?", "Réseaux les plus connectés", "Sources"],
    "structure?id=structure:ecossolies": ["Les Ecossolies", "Relations", "Partenaires possibles"],
    "reseau": ["Le réseau de coopération", "Groupes", "Exporter ce qui est affiché"],
    "territoires": ["Couverture territoriale", "Zones blanches, par population", "Urbain / rural"],
    "orientation": ["Vers qui se tourner ?", "Les Ecossolies", "Initiatives qui y répondent"],
    "requetes": ["Requêtes", "Bibliothèque", "Console Cypher (lecture seule)"],
    "donnees": ["Données", "Importer un bundle", "Qualité des données"],
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(shared_seed_store):
    env = {**os.environ, "MAILLAGE_STORE": shared_seed_store.url}
    env.pop("MAILLAGE_ALLOW_IMPORT", None)
    with app_server(env, "app.log") as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


def render(page, base: str, path: str, texts: list[str]) -> float:
    """Open ``path``, wait until every text shows and the script has finished; seconds taken."""
    start = time.perf_counter()
    page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=90_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running|Exécution/)",
        timeout=90_000)
    return time.perf_counter() - start


def test_every_page_renders_offline(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="fr-FR")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    timings = {}
    for path, texts in PAGES.items():
        render(page, app_url, path, texts)  # cold: fills the caches
        warm = render(page, app_url, path, texts)
        timings[path or "accueil"] = round(warm, 2)
        page.wait_for_timeout(1500)  # let maps and network pictures draw
        name = path.split("?")[0] or "accueil"
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        assert not page.get_by_text("Traceback").count(), f"{path} shows a traceback"
        assert not page.locator('[data-testid="stException"]').count(), f"{path} raised"
        assert not page.get_by_text("Page not found").count(), f"{path} is not a page"
        # client.toolbarMode=minimal: no "Deploy" button, which a self-hosted base has no use for
        assert not page.locator('[data-testid="stAppDeployButton"]').count(), f"{path} shows Deploy"
        assert not page.get_by_role("button", name="Deploy").count(), f"{path} shows Deploy"
    (ARTIFACTS / "timings.json").write_text(json.dumps(timings, indent=1))
    (ARTIFACTS / "requests.txt").write_text("\n".join(requests))
    context.close()

    outside = sorted({u for u in requests
                      if urlparse(u).scheme not in ("data", "blob", "about", "chrome-extension")
                      and urlparse(u).hostname not in LOCAL})
    assert outside == [], f"requests left localhost: {outside}"
    assert len(requests) > 10
    print("warm render times (s):", timings)
    assert max(timings.values()) < 10, timings


def test_pictures_are_drawn(app_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    render(page, app_url, "structure?id=structure:ecossolies", PAGES["structure?id=structure:ecossolies"])
    frame = page.frame_locator("iframe").first
    frame.locator("canvas").first.wait_for(state="attached", timeout=30_000)
    render(page, app_url, "territoires", PAGES["territoires"])
    page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.wait_for(state="attached", timeout=30_000)
    context.close()


@contextlib.contextmanager
def app_server(env: dict, log_name: str):
    """``maillage app`` on a free port with ``env``, its output in ``ARTIFACTS/log_name``:
    yields its base URL once it answers its health check, then stops it."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    log = open(ARTIFACTS / log_name, "wb")
    cmd = [sys.executable, "-c", "from app.cli import main; main()", "app", "--port", str(port),
           "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the app did not start; see {ARTIFACTS / log_name}")
            time.sleep(0.3)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()

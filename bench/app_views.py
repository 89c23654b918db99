"""The app's first view of each page, as a user waits for it, in headless Chromium.

``python bench/app_views.py --home DIR [--structure ID] [--results FILE]`` starts
``maillage app`` on the embedded engine of ``DIR`` (a loaded base, ideally after
``maillage analyse refresh``) once per page: a fresh server process, so that the
page's first view reads what it needs itself (nothing left in the server's caches
by another page). The time is from the browser's request until the page's last
section is shown and Streamlit has finished running the script; the server's own
start-up (before it answers its health check) is left out, as a user opens a page of
an app that is already up. A second view of the same page in the same server follows
(warm). Issue 16's target: each first view under 3 s on the 250,000 bench bundle.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--use-gl=swiftshader", "--enable-unsafe-swiftshader"]
TARGET = 3.0


def pages(structure: str) -> dict[str, list[str]]:
    """url path -> texts shown once the page has rendered (the last one marks its end)."""
    return {
        "": ["Qui coopère avec qui dans l'ESS ?", "Sources"],
        f"structure?id={structure}": ["Relations", "Partenaires possibles"],
        "reseau": ["Le réseau de coopération", "Groupes", "Exporter ce qui est affiché"],
        "territoires": ["Couverture territoriale", "Zones blanches, par population"],
        "orientation": ["Vers qui se tourner ?", "Initiatives qui y répondent"],
        "requetes": ["Requêtes", "Console Cypher (lecture seule)"],
        "donnees": ["Données", "Qualité des données"],
    }


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server(env: dict, log):
    port = _port()
    cmd = [sys.executable, "-c", "from app.cli import main; main()", "app", "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    os.killpg(proc.pid, signal.SIGKILL)
    raise RuntimeError("the app did not start")


def _render(page, url: str, texts: list[str]) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    for text in texts:
        page.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=600_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.match(/Running|Exécution/)",
        timeout=600_000)
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="MAILLAGE_HOME of a loaded embedded engine")
    ap.add_argument("--structure", default="structure:s0029204", help="the structure whose card is opened")
    ap.add_argument("--results", default=None, help="append one JSON line per page here")
    ap.add_argument("--log", default="/tmp/maillage-app-views.log")
    ap.add_argument("--pages", default=None,
                    help="comma-separated pages to time (accueil, structure, reseau, territoires, "
                         "orientation, requetes, donnees; default: all)")
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "MAILLAGE_HOME": a.home, "MAILLAGE_ANALYSE_AFTER_WRITE": "off"}
    env.pop("MAILLAGE_STORE", None)
    rows = []
    with open(a.log, "ab") as log, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        wanted = set(a.pages.split(",")) if a.pages else None
        for path, texts in pages(a.structure).items():
            if wanted and (path.split("?")[0] or "accueil") not in wanted:
                continue
            proc, base = _server(env, log)
            try:
                ctx = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="fr-FR")
                page = ctx.new_page()
                first = _render(page, f"{base}/{path}", texts)
                warm = _render(page, f"{base}/{path}", texts)
                failed = bool(page.locator('[data-testid="stException"]').count())
                ctx.close()
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            verdict = "FAILED" if failed else ("met" if first <= TARGET else f"MISSED ({first / TARGET:.2f}x)")
            name = path.split("?")[0] or "accueil"
            print(f"{name:<12} first view {first:6.2f} s   warm {warm:5.2f} s   {verdict}", flush=True)
            rows.append({"measure": f"app_view.{name}", "first_s": round(first, 2), "warm_s": round(warm, 2),
                         "target_s": TARGET, "verdict": verdict})
        browser.close()
    if a.results:
        with open(a.results, "a", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 1 if any(r["verdict"] == "FAILED" for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

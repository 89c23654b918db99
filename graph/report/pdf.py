"""The PDF of a diagnostic, printed from its HTML page by a real browser engine: Debian's
Chromium, headless, with its network features off (the page fetches nothing anyway).

``MAILLAGE_CHROMIUM`` names another Chromium binary; without one the call fails with a
message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from graph.errors import MaillageError

__all__ = ["PdfUnavailable", "chromium_path", "html_to_pdf"]

DEFAULT_CHROMIUM = "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer")


class PdfUnavailable(MaillageError):
    """No Chromium to print with, or it failed."""


def chromium_path() -> str | None:
    """The Chromium binary to print with (``$MAILLAGE_CHROMIUM``, else /usr/bin/chromium), if present."""
    path = os.environ.get("MAILLAGE_CHROMIUM") or DEFAULT_CHROMIUM
    found = path if os.path.isfile(path) and os.access(path, os.X_OK) else shutil.which(path)
    return found or None


def html_to_pdf(html: str, out: Path | str, *, timeout: float = 120.0) -> Path:
    """Print ``html`` (a self-contained page) to the PDF file ``out`` with headless Chromium."""
    binary = chromium_path()
    if binary is None:
        raise PdfUnavailable(
            f"Chromium introuvable ({os.environ.get('MAILLAGE_CHROMIUM') or DEFAULT_CHROMIUM}) : installez le paquet "
            "Debian chromium (apt-get install chromium) ou indiquez-le avec MAILLAGE_CHROMIUM ; "
            "sinon écrivez le diagnostic en HTML (--out FICHIER.html)")
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="maillage-report-") as tmp:
        page = Path(tmp) / "diagnostic.html"
        page.write_text(html, encoding="utf-8")
        profile = Path(tmp) / "profile"
        cmd = [binary, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", page.as_uri()]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(f"Chromium n'a pas imprimé le PDF en {timeout:.0f} s") from None
        if done.returncode or not out.is_file() or out.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise PdfUnavailable(f"Chromium n'a pas imprimé le PDF (code {done.returncode}) : {' / '.join(tail)}")
    return out

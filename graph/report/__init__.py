"""The diagnostic territorial: a report per territory, the way planners publish them.

For a commune, an EPCI, a département or a région: the territory in figures, the
support chain, the white zones, the overlaps, cooperation, shared places and
initiatives, the sources and the limits of the base — every figure computed from the
base when asked (``maillage report``, the Territoires page's "Diagnostic" button).

- :mod:`.where` — which territory a text names (id, code or name);
- :mod:`.reads` — what a report reads: indexed queries about the place, kept national reads;
- :mod:`.figures` (with :mod:`.profile`, :mod:`.support`, :mod:`.cooperation`,
  :mod:`.initiatives`) — each section's figures, pure functions of those rows;
- :mod:`.render` (with :mod:`.svg`) — one self-contained HTML page (inline CSS and SVG);
- :mod:`.pdf` — the PDF, printed from that page by Chromium.
"""

from __future__ import annotations

from graph.store import GraphStore

__all__ = ["build_report"]


def build_report(store: GraphStore, territory: str, needs=None, *, warn=None) -> dict:
    """The figures of the diagnostic of ``territory`` (an id, code or name) for ``needs``
    (support functions, all by default): :func:`graph.report.figures.report_figures`."""
    from graph.read_copy import gc_paused

    from .figures import report_figures
    from .reads import read_report
    from .where import resolve_territory

    card = resolve_territory(store, territory, warn=warn)
    with gc_paused():  # many rows and small tuples, none of them garbage: collection would double the time
        return report_figures(read_report(store, card), needs)

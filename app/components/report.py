"""The diagnostic territorial in the app and the CLI: the report's page in the app's words,
and the Territoires page's "Diagnostic" button (:func:`diagnostic`).

:func:`report_html` is what ``maillage report`` writes and the button shows: the figures
of :func:`graph.report.build_report`, drawn by :func:`graph.report.render.render_html`
with the labels of :mod:`app.i18n` over the shipped commune outlines. Streamlit is
imported by :func:`diagnostic` only.
"""

from __future__ import annotations

from graph.report.render import Words

__all__ = ["diagnostic", "file_name", "report_html", "words"]


def words(lang: str) -> Words:
    """The report's labels in ``lang`` (``fr`` or ``en``)."""
    from app import i18n

    lang = lang if lang in i18n.LANGS else i18n.DEFAULT
    return Words(t=lambda key, **values: i18n.t(key, lang, **values),
                 vocab=lambda kind, value: i18n.vocab(kind, value, lang), lang=lang)


def _needs(need) -> list[str] | None:
    if need is None or need == "" or need == ():
        return None
    return [need] if isinstance(need, str) else list(need)


def report_html(store, territory: str, need=None, lang: str = "fr", *, warn=None) -> tuple[dict, str]:
    """``(figures, page)``: the diagnostic of ``territory`` (an id, code or name) for ``need``
    (a function, several, or None for all), as a self-contained HTML page in ``lang``."""
    from graph.report import build_report
    from graph.report.render import render_html
    from loaders.territories import outlines_of

    report = build_report(store, territory, _needs(need), warn=warn)
    outlines = outlines_of("commune", [c["code"] for c in report["white"]["map"]])
    return report, render_html(report, words(lang), outlines=outlines)


def file_name(report: dict, ext: str = "html") -> str:
    """``diagnostic-departement-23.html``."""
    return f"diagnostic-{report['territory']['id'].replace(':', '-')}.{ext}"


def diagnostic(store, territory_id: str, need=None, lang: str | None = None, *, key: str = "diagnostic") -> None:
    """Draw a "Diagnostic" button; once pressed, show the diagnostic of ``territory_id``
    (for ``need``: a function, a list of them, or None for all) and the buttons that
    download it as HTML and as PDF. The page is computed once per graph version,
    territory, need and language (kept in the session)."""
    import streamlit as st
    import streamlit.components.v1 as components

    from app import i18n
    from graph.errors import MaillageError

    lang = lang or i18n.current()
    t = lambda k, **v: i18n.t(k, lang, **v)  # noqa: E731
    version = store.version()["version"]
    wanted = (version, territory_id, tuple(_needs(need) or ()), lang)
    state = f"{key}_report"
    if st.button(t("rep.button"), key=f"{key}_button", help=t("rep.button_help")):
        try:
            with st.spinner(t("rep.computing")):
                report, html = report_html(store, territory_id, need, lang)
        except MaillageError as err:
            st.error(str(err))
            return
        st.session_state[state] = (wanted, report, html)
    kept = st.session_state.get(state)
    if not kept or kept[0] != wanted:
        return
    _, report, html = kept
    left, right = st.columns(2)
    left.download_button(t("rep.download_html"), data=html.encode("utf-8"), file_name=file_name(report),
                         mime="text/html", key=f"{key}_html")
    from graph.report.pdf import chromium_path

    if chromium_path():
        right.download_button(t("rep.download_pdf"), data=lambda: _pdf(html), file_name=file_name(report, "pdf"),
                              mime="application/pdf", key=f"{key}_pdf")
    else:
        right.caption(t("rep.no_pdf", error="chromium (apt-get install chromium)"))
    components.html(html, height=900, scrolling=True)


def _pdf(html: str) -> bytes:
    import tempfile
    from pathlib import Path

    from graph.report.pdf import html_to_pdf

    with tempfile.TemporaryDirectory(prefix="maillage-pdf-") as tmp:
        return html_to_pdf(html, Path(tmp) / "diagnostic.pdf").read_bytes()

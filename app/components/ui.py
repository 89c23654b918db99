"""Small Streamlit pieces shared by the pages: links to cards, tables, downloads, errors."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from app import refresh
from app.components import data
from app.i18n import number, t
from graph.errors import MaillageError
from graph.exports import neutralise_formula

STRUCTURE_PAGE = "app_pages/structure.py"


def card_url(node_id: str) -> str:
    """Relative URL of a node's card (for link columns)."""
    return f"structure?id={quote(str(node_id), safe=':')}"


def card_link(node_id: str, label: str | None = None, *, key: str | None = None) -> None:
    st.page_link(STRUCTURE_PAGE, label=label or node_id, icon=":material/badge:",
                 query_params={"id": node_id})


def link_column(label: str | None = None):
    """A column of card links whose text is the node's id."""
    return st.column_config.LinkColumn(label or t("col.link"), display_text=r"structure\?id=(.*)")


def table(df: pd.DataFrame, *, links: str | None = None, key: str | None = None, height="auto",
          column_config: dict | None = None) -> None:
    """A dataframe; with ``links`` (an id column) that column becomes links to the cards."""
    config = dict(column_config or {})
    if links and links in df.columns and len(df):
        df = df.copy()
        df[links] = [card_url(v) for v in df[links]]
        config[links] = link_column()
    st.dataframe(df, hide_index=True, column_config=config or None, key=key, height=height)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV of ``df`` with every cell protected against spreadsheet formulas."""
    safe = df.copy()
    for col in safe.columns:
        safe[col] = [neutralise_formula(v if not isinstance(v, (list, tuple)) else "|".join(map(str, v)))
                     for v in safe[col]]
    return safe.to_csv(index=False).encode("utf-8")


def download_csv(df: pd.DataFrame, filename: str, *, key: str | None = None) -> None:
    st.download_button(t("download.csv"), csv_bytes(df), file_name=filename, mime="text/csv",
                       key=key, icon=":material/download:")


def graph_or_stop():
    """The in-memory graph (read once, with a spinner), or stop the page on a store error."""
    try:
        with st.spinner(t("loading.graph")):
            return data.graph()
    except MaillageError as err:
        st.error(t("store.error", error=err))
        st.stop()


def kept_note(coop: dict) -> None:
    """Say when the clusters and brokers shown were computed, and whether the base changed since."""
    info = coop.get("kept")
    if info is None:
        st.caption(t("kept.filtered"))
        return
    st.caption(t("kept.at", at=info.computed_at.replace("T", " ").replace("+00:00", " UTC"),
                 seconds=number(round(info.seconds))))
    if not info.current:
        job = data.refresh_status() or {}
        if job.get("state") == "running":
            what = t("kept.running", step=job.get("step"), steps=job.get("steps"), what=job.get("what"))
        elif job.get("state") == "failed":
            what = t("kept.failed", error=job.get("error"))
        elif not refresh.enabled():
            what = t("kept.manual")
        else:
            what = t("kept.queued")
        st.warning(t("kept.stale", job=what))


def rows_or_stop(name: str, **params) -> list[dict]:
    try:
        return data.records(name, **params)
    except MaillageError as err:
        st.error(str(err))
        st.stop()


def html_frame(page: str, height: int) -> None:
    """Embed a self-contained HTML page (pyvis) in an iframe.

    The page is built by :func:`app.components.network.network_html`, which keeps
    ``<`` and ``>`` out of every label taken from the base.
    """
    if hasattr(st, "iframe"):
        st.iframe(page, height=height + 20)
    else:  # Streamlit before st.iframe
        components.html(page, height=height + 20, scrolling=False)

"""Requêtes: the query library with a form per query, and a read-only Cypher console."""

import json

import pandas as pd
import streamlit as st

from app.components import contrib, data, ui
from app.components.graphs import result_graph
from app.components.network import network_html, typed_view
from app.i18n import t, vocab
from graph.errors import MaillageError
from queries import library

st.title(t("q.title"))
tab_lib, tab_console = st.tabs([t("q.library"), t("q.console")])


def show_result(df: pd.DataFrame, params: dict, key: str) -> None:
    st.caption(t("q.rows", n=len(df)))
    if df.attrs.get("truncated"):
        st.warning(t("q.truncated", n=len(df)))
    shown = df.copy()
    for col in shown.columns:  # lists and maps as text, so every column displays
        if shown[col].map(lambda v: isinstance(v, (list, dict))).any():
            shown[col] = shown[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str)
                                        if isinstance(v, (list, dict)) else v)
    st.dataframe(shown, hide_index=True)
    ui.download_csv(df, f"{key}.csv", key=f"dl_{key}")
    H = result_graph(df.to_dict("records"), params)
    if H is not None and H.number_of_nodes() > 1:
        st.markdown(f"**{t('q.graph')}**")
        ui.html_frame(network_html(typed_view(H, rel_words=lambda x: vocab("rel", x)), height=420), 420)


with tab_lib:
    lib = library()
    names = lib.names()
    default = names.index("explore.neighbourhood") if "explore.neighbourhood" in names else 0
    name = st.selectbox(t("q.pick"), names, index=default, key="q_name",
                        format_func=lambda n: f"{n} — {lib.get(n).title}")
    q = lib.get(name)
    st.caption(q.description)
    example = json.loads(q.extra.get("example", "{}"))
    values = {}
    with st.form(f"form_{name}"):
        if q.params:
            st.markdown(f"**{t('q.params')}**")
        for p in q.params:
            start = example.get(p.name, p.default)
            label = f"{p.name} ({p.type})" + ("" if p.required else " ·")
            help_text = p.description or None
            k = f"q_{name}_{p.name}"
            if p.type == "integer":
                values[p.name] = st.number_input(label, value=int(start or 0), step=1, key=k, help=help_text)
            elif p.type == "number":
                values[p.name] = st.number_input(label, value=float(start or 0), key=k, help=help_text)
            elif p.type == "boolean":
                values[p.name] = st.checkbox(label, value=bool(start), key=k, help=help_text)
            elif p.type == "list":
                text = ", ".join(map(str, start or []))
                values[p.name] = st.text_input(label, value=text, key=k,
                                               help=(help_text or "") + " — " + t("q.list_help"))
            else:
                values[p.name] = st.text_input(label, value="" if start is None else str(start), key=k,
                                               help=help_text)
        submitted = st.form_submit_button(t("q.run"), type="primary")
    params = {k: v for k, v in values.items() if not (isinstance(v, str) and v.strip() == "")}
    if submitted or st.session_state.get("q_last") == name:
        st.session_state["q_last"] = name
        try:
            df = data.query(name, **params)
        except MaillageError as err:
            st.error(str(err))
        else:
            show_result(df, params, name.replace(".", "-"))

with tab_console:
    st.caption(t("q.readonly"))
    console_ok, console_why = contrib.console_allowed()  # Neo4j with accounts: editors only
    if not console_ok:
        st.info(console_why)
    text = st.text_area(t("q.text"), height=140, key="q_cypher",
                        value=library().get("stats.relationships").text)
    a, b, c = st.columns([1, 1, 2])
    timeout = a.number_input(t("q.timeout"), min_value=1, max_value=120, value=10, key="q_timeout")
    cap = b.number_input(t("q.max_rows"), min_value=1, max_value=100_000, value=1000, step=100, key="q_cap")
    if console_ok and (c.button(t("q.run"), key="q_console_run", type="primary")
                       or st.session_state.get("q_console_ran")):
        st.session_state["q_console_ran"] = True
        try:
            contrib.require_console()  # the role, in the store, at the moment of the run
            df = data.store().run(text, {}, write=False, timeout=float(timeout), max_rows=int(cap))
        except MaillageError as err:
            st.error(str(err))
        else:
            show_result(df, {}, "console")

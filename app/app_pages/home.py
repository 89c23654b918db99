"""Accueil: what the base holds, its sources, the most connected networks, a search box."""

import pandas as pd
import streamlit as st

from app.components import ui
from app.components.graphs import ORG_LABELS, main_label, node_counts, pivot_counts
from app.i18n import number, t, vocab

st.title(t("home.title"))
st.caption(t("home.intro"))

text = st.text_input(t("home.search"), key="home_search", placeholder="Ecossolies, CRESS, Nantes…")
if text.strip():
    found = ui.rows_or_stop("explore.find", text=text.strip(), limit=20)
    if not found:
        st.info(t("home.no_match", text=text.strip()))
    cols = st.columns(2)
    for i, row in enumerate(found):
        with cols[i % 2]:
            ui.card_link(row["id"], f"{row['name']} · {vocab('label', main_label(row['labels']))}")

counts = node_counts(ui.rows_or_stop("stats.labels"))
if not any(counts.get(lab) for lab in ORG_LABELS):
    st.warning(t("empty.base"))

st.subheader(t("home.counts"))
shown = [lab for lab in (*ORG_LABELS, "Sector", "Event", "Initiative", "Territory") if lab in counts]
for start in range(0, len(shown), 4):
    cols = st.columns(4)
    for col, lab in zip(cols, shown[start:start + 4]):
        col.metric(vocab("label_plural", lab).capitalize(), number(counts[lab]))
rels = ui.rows_or_stop("stats.relationships")
with st.expander(t("home.relations")):
    st.dataframe(pd.DataFrame([{t("col.kind"): vocab("rel", r["type"]), "type": r["type"],
                                t("col.count"): int(r["count"])} for r in rels]),
                 hide_index=True)

left, right = st.columns([3, 2])
with left:
    st.subheader(t("home.by_dep"))
    table = pivot_counts(ui.rows_or_stop("app.counts_by_territory", level="departement"))
    if table:
        df = pd.DataFrame([{
            t("col.departement"): f"{r['name']} ({r['id'].split(':', 1)[1]})",
            **{vocab("label_plural", lab).capitalize(): r[lab] for lab in ORG_LABELS},
            t("col.total"): r["total"]} for r in table])
        st.dataframe(df, hide_index=True, height=min(420, 38 + 35 * len(df)))
with right:
    st.subheader(t("home.networks"))
    nets = ui.rows_or_stop("app.top_networks", limit=10)
    for r in nets:
        ui.card_link(r["id"], f"{r['name']} — {r['relations']} {t('col.relations').lower()}, "
                              f"{r['members']} {t('col.members').lower()}")

st.subheader(t("home.sources"))
sources = ui.rows_or_stop("app.sources")
if sources:
    st.dataframe(pd.DataFrame([{
        t("col.title"): s["title"], t("col.publisher"): s["publisher"], t("col.date"): s["date"],
        t("col.nodes"): s["nodes"], "id": s["id"]} for s in sources]), hide_index=True)

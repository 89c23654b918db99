"""Orientation: « Vers qui se tourner ? » — for a commune, need, stage and sector, who to see."""

import networkx as nx
import pandas as pd
import streamlit as st

from app.components import data, ui
from app.i18n import t, vocab
from graph import model
from graph.errors import MaillageError
from loaders.territories import territory_index

st.title(t("or.title"))
st.caption(t("or.intro"))

c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
text = c1.text_input(t("or.commune"), value=st.query_params.get("commune", "Nantes"), key="or_commune")
need = c2.selectbox(t("ter.need"), model.FUNCTIONS, index=model.FUNCTIONS.index("accompagnement"),
                    key="or_need", format_func=lambda v: vocab("function", v))
stage = c3.selectbox(t("ter.stage"), [None, *model.STAGES], key="or_stage",
                     format_func=lambda v: t("any") if v is None else vocab("stage", v))
sector_names = dict(data.sectors())
sector = c4.selectbox(t("ter.sector"), [None, *sector_names], key="or_sector",
                      format_func=lambda v: t("any") if v is None else sector_names[v])

matches = territory_index().find(text) if text.strip() else []
if not matches:
    st.warning(t("or.not_found", text=text))
    st.stop()
commune = matches[0]["id"]
if len(matches) > 1:
    labels = {m["id"]: f"{m['name']} ({m['code']}, {m['population']} hab.)" for m in matches}
    commune = st.selectbox(t("or.which"), list(labels), format_func=labels.get, key="or_which")

try:
    with st.spinner(t("loading.graph")):
        found = data.orient(commune, need, stage, sector, top=None)
except MaillageError as err:
    st.error(t("store.error", error=err))
    st.stop()
except nx.NodeNotFound:
    st.warning(t("or.not_found", text=text))
    st.stop()
st.subheader(t("or.found", count=found["count"], need=vocab("function", need), name=found["name"]))
if not found["providers"]:
    st.warning(t("or.none"))
else:
    for i, p in enumerate(found["providers"][:10], start=1):
        with st.container(border=True):
            a, b = st.columns([4, 1])
            a.markdown(f"**{i}. {p['name']}**  \n{p['reason']}")
            b.caption(vocab("level", p["level"]) + ("" if p["distance_km"] is None
                                                   else f" · {p['distance_km']:.0f} km"))
            with b:
                ui.card_link(p["id"], t("open.card"))
    rest = found["providers"][10:]
    if rest:
        with st.expander(t("or.more") + f" ({len(rest)})"):
            ui.table(pd.DataFrame([{t("col.name"): p["name"], t("col.level"): vocab("level", p["level"]),
                                    t("col.reason"): p["reason"], "id": p["id"]} for p in rest]),
                     links="id", key="or_rest")
if found["initiatives"]:
    st.subheader(t("or.initiatives"))
    ui.table(pd.DataFrame([{t("col.name"): i["name"], t("col.reason"): i["reason"], "id": i["id"]}
                           for i in found["initiatives"][:20]]), links="id", key="or_initiatives")

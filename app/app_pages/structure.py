"""Structure: the card of any node, its relations (paged), its ego network, scores, partners."""

import pandas as pd
import streamlit as st

from app.components import contrib, data, ui
from app.components.graphs import EGO_TYPES, group_relations, looks_like_id, main_label, ordered_labels
from app.components.network import network_html, typed_view
from app.i18n import number, t, vocab
from graph import model

PAGE = 20
SHOWN_PROPS = ("legal_form", "kind", "level", "founded", "employees", "date", "year", "status", "theme",
               "siren", "rna", "population", "density", "code")

st.title(t("nav.structure"))

# --- which node ---------------------------------------------------------------
current = st.query_params.get("id") or st.session_state.get("structure_id")
text = st.text_input(t("st.pick"), key="structure_search", help=t("st.pick_help"))
if text.strip():
    found = ui.rows_or_stop("explore.find", text=text.strip(), limit=30)
    if found:
        ids = [r["id"] for r in found]
        labels = {r["id"]: f"{r['name']} · {vocab('label', main_label(r['labels']))}" for r in found}
        choice = st.selectbox(t("st.pick"), ids, format_func=labels.get, key="structure_choice",
                              label_visibility="collapsed")
        if choice and choice != current:
            current = choice
            st.query_params["id"] = choice
    else:
        st.info(t("home.no_match", text=text.strip()))
if not current:
    st.info(t("st.none"))
    st.stop()
st.session_state["structure_id"] = current

node = ui.rows_or_stop("explore.node", id=current) if looks_like_id(current) else []
if not node:
    st.warning(t("st.unknown", id=current))
    st.stop()
node = node[0]
props = node["properties"] or {}
labels = ordered_labels(node["labels"])
kind = main_label(labels)

# --- card -----------------------------------------------------------------------
st.header(node["name"] or current)
st.caption(" · ".join([*(vocab("label", lab) for lab in labels), current]))
attached = ui.rows_or_stop("explore.neighbourhood", id=current,
                           types=["ACTIVE_IN", "LOCATED_IN", "SERVES", "MEMBER_OF"], limit=60)
left, right = st.columns([3, 2])
with left:
    if props.get("description"):
        st.write(props["description"])
    facts = []
    for key in SHOWN_PROPS:
        if props.get(key) not in (None, ""):
            value = props[key]
            if key in ("legal_form", "level", "density", "status"):
                value = vocab(key, value)
            facts.append(f"**{t('prop.' + key)}** : {value}")
    for key, kind_vocab in (("functions", "function"), ("stages", "stage")):
        if props.get(key):
            facts.append(f"**{t('prop.' + key)}** : " + ", ".join(vocab(kind_vocab, v) for v in props[key]))
    if props.get("website"):
        facts.append(f"**{t('prop.website')}** : {props['website']}")
    st.markdown("  \n".join(facts))
with right:
    for rtype in ("ACTIVE_IN", "LOCATED_IN", "SERVES", "MEMBER_OF"):
        items = [r for r in attached if r["type"] == rtype and r["outgoing"]]
        if items:
            st.markdown(f"**{vocab('rel', rtype)}** : " + ", ".join(r["name"] or r["id"] for r in items))
    if props.get("sources"):
        titles = {s["id"]: s["title"] for s in ui.rows_or_stop("app.sources")}
        st.markdown(f"**{t('prop.sources')}**")
        for s in props["sources"]:
            st.caption(f"{titles.get(s, s)} ({s})")

contrib.node_tools(current, labels)  # "Proposer une modification" (contributors and editors)

# --- relations, grouped and paged ---------------------------------------------
st.subheader(t("st.relations"))
groups = group_relations(ui.rows_or_stop("explore.neighbourhood_counts", id=current))
for g in groups:
    rtype, total = g["type"], g["count"]
    word = vocab("rel_in" if g["incoming"] >= g["outgoing"] else "rel", rtype)
    key = f"page_{current}_{rtype}"
    pages = max(1, -(-total // PAGE))
    page_no = min(st.session_state.get(key, 0), pages - 1)
    shown = min(PAGE, total - page_no * PAGE)
    if pages > 1:  # "20 sur 1 240 membres"
        title = t("of", shown=number(shown), total=number(total), what=word)
    else:
        title = f"{word} ({number(total)})"
    with st.expander(title, expanded=total <= 5):
        rows = ui.rows_or_stop("explore.neighbourhood", id=current, types=[rtype],
                               skip=page_no * PAGE, limit=PAGE)
        df = pd.DataFrame([{t("col.name"): r["name"], t("col.kind"): vocab("label", main_label(r["labels"])),
                            "→": "→" if r["outgoing"] else "←", "id": r["id"]} for r in rows])
        ui.table(df, links="id", key=f"rel_{rtype}")
        if pages > 1:
            a, b, c = st.columns([1, 2, 1])
            if a.button(t("st.prev"), key=f"{key}_prev", disabled=page_no == 0):
                st.session_state[key] = page_no - 1
                st.rerun()
            b.caption(f"{page_no + 1} / {pages}")
            if c.button(t("st.next"), key=f"{key}_next", disabled=page_no >= pages - 1):
                st.session_state[key] = page_no + 1
                st.rerun()

# --- ego network ----------------------------------------------------------------
present = [g["type"] for g in groups if g["type"] in EGO_TYPES]
st.subheader(t("st.ego", name=node["name"] or current))
c1, c2 = st.columns([1, 4])
depth = c1.radio(t("st.depth"), [1, 2], horizontal=True, key="ego_depth")
types = c2.multiselect(t("st.types"), present, default=present, format_func=lambda x: vocab("rel", x),
                       key=f"ego_types_{current}")
if types:
    H, cut = data.ego(current, depth, tuple(types))
    if cut:
        st.caption(t("st.truncated", n=40, center=200))
    view = typed_view(H, current, rel_words=lambda x: vocab("rel", x))
    ui.html_frame(network_html(view, height=480), 480)

contrib.node_history(current)  # "Historique des contributions"

# --- scores and partners (structures) ------------------------------------------
if model.STRUCTURE not in labels:
    st.caption(t("st.not_structure"))
    st.stop()
coop = data.cooperation()
score = coop["scores"].get(current)
st.subheader(t("st.scores"))
ui.kept_note(coop)
if props.get("analysed_at"):
    st.caption(t("st.written", at=props["analysed_at"]))
if score is None or score["isolated"]:
    st.info(t("st.isolated"))
else:
    m = st.columns(5)
    m[0].metric(t("st.cluster"), score["cluster"] if score["cluster"] is not None else "–")
    m[1].metric(t("st.degree"), score["degree"])
    m[2].metric(t("st.betweenness"), f"{score['betweenness']:.3f}")
    m[3].metric(t("st.participation"), f"{score['participation']:.2f}")
    m[4].metric(t("st.constraint"), "–" if score["constraint"] is None else f"{score['constraint']:.2f}")

st.subheader(t("st.partners"))
suggestions = data.partners(current)
if not suggestions:
    st.caption(t("st.no_partners"))
else:
    df = pd.DataFrame([{t("col.name"): s["name"], t("col.reasons"): " ; ".join(s["reasons"]),
                        t("col.score"): round(s["score"], 2), "id": s["id"]} for s in suggestions])
    ui.table(df, links="id", key="partners")

"""Territoires: coverage of a support need, white zones, urban/rural, support chain, who serves where."""

import pandas as pd
import streamlit as st

from app.components import data, ui
from app.components.report import diagnostic
from app.components.geo import LEVELS_BELOW, position_of
from app.components.graphs import pivot_counts
from app.components.maps import choropleth_deck, coverage_colour, polygon_records, spread
from app.i18n import number, t, vocab
from graph import model
from graph.errors import MaillageError
from loaders.territories import load_outlines, read_territories

st.title(t("ter.title"))
st.caption(t("ter.intro"))

# --- scope and need ---------------------------------------------------------------
scopes = {r["id"]: r for r in read_territories(("region", "departement"))}
regions = sorted((i for i in scopes if i.startswith("region:")), key=lambda i: scopes[i]["name"])
deps = sorted((i for i in scopes if i.startswith("departement:")), key=lambda i: scopes[i]["code"])
busiest = pivot_counts(ui.rows_or_stop("app.counts_by_territory", level="region"))
default_scope = busiest[0]["id"] if busiest else regions[0]


def scope_label(i: str) -> str:
    r = scopes[i]
    return f"{r['name']} ({vocab('level', r['level'])} {r['code']})"


c1, c2, c3, c4, c5 = st.columns([3, 2, 2, 2, 3])
options = [*regions, *deps]
scope = c1.selectbox(t("ter.scope"), options, index=options.index(default_scope), key="ter_scope",
                     format_func=scope_label)
levels = LEVELS_BELOW[scopes[scope]["level"]]
level = c2.selectbox(t("ter.level"), levels, key=f"ter_level_{scopes[scope]['level']}",
                     format_func=lambda v: vocab("level", v))
need = c3.selectbox(t("ter.need"), model.FUNCTIONS, index=model.FUNCTIONS.index("accompagnement"),
                    key="ter_need", format_func=lambda v: vocab("function", v))
stage = c4.selectbox(t("ter.stage"), [None, *model.STAGES], key="ter_stage",
                     format_func=lambda v: t("any") if v is None else vocab("stage", v))
sector_names = dict(data.sectors())
sector = c5.selectbox(t("ter.sector"), [None, *sector_names], key="ter_sector",
                      format_func=lambda v: t("any") if v is None else sector_names[v])

try:
    with st.spinner(t("loading.graph")):
        cov = data.coverage(level=level, scope=scope, need=need, stage=stage, sector=sector)
        G = data.coverage_graph(need, scope)  # the providers read for it, with their seats and names
except MaillageError as err:
    st.error(t("store.error", error=err))
    st.stop()
rows, white = cov["rows"], cov["white"]
overall = cov["density"][-1]
m = st.columns(3)
m[0].metric(t("ter.metrics_covered"), f"{overall['covered_territories']} / {overall['territories']}")
rate = overall["population_rate"]
m[1].metric(t("ter.metrics_pop"), "–" if rate is None else f"{100 * rate:.0f} %")
m[2].metric(t("ter.metrics_white"), number(len(white)))

# --- the map ------------------------------------------------------------------------
top = max((r["providers"] for r in rows), default=0)
cells = [{"id": r["id"], "code": r["id"].split(":", 1)[1], "name": r["name"],
          "providers": r["providers"], "population": number(r["population"] or 0),
          "fill": coverage_colour(r["providers"], top)} for r in rows]
records = polygon_records(load_outlines(level), cells)
provider_ids = sorted({p for r in rows for p in r["provider_ids"]})
points = []
for p in provider_ids:
    pos = position_of(G, p)
    if pos:
        points.append({"id": p, "name": G.nodes[p].get("name", p), "lon": pos[0], "lat": pos[1],
                       "providers": "", "population": ""})
deck = choropleth_deck(records, spread(points),
                       tooltip_html="<b>{name}</b><br/>{providers} · {population}")
event = st.pydeck_chart(deck, height=560, on_select="rerun", selection_mode="single-object",
                        key=f"ter_map_{scope}_{level}")
st.caption(t("ter.legend"))
picked = None
try:
    objs = (event.selection or {}).get("objects", {}).get("territories") or []
    picked = objs[0]["id"] if objs else None
except (AttributeError, KeyError, TypeError, IndexError):
    picked = None

# --- who serves a territory ------------------------------------------------------------
by_id = {r["id"]: r for r in rows}
order = sorted(by_id, key=lambda i: (-(by_id[i]["population"] or 0), i))
if picked in by_id:
    st.session_state["ter_pick"] = picked
chosen = st.selectbox(t("ter.pick"), order, key="ter_pick",
                      format_func=lambda i: f"{by_id[i]['name']} ({by_id[i]['providers']})")
if chosen:
    r = by_id[chosen]
    st.markdown(f"**{t('ter.served_by', n=r['providers'], need=vocab('function', need), name=r['name'])}**")
    names = data.names_in(G, r["provider_ids"])
    ui.table(pd.DataFrame([{t("col.name"): names[p], "id": p} for p in r["provider_ids"]]),
             links="id", key="ter_served")

# --- the diagnostic of the scope, or of the territory picked -----------------------------
st.subheader(t("rep.title"))
about = [scope, *([chosen] if chosen and chosen != scope else [])]
names_of = {scope: scopes[scope]["name"], **({chosen: by_id[chosen]["name"]} if chosen in by_id else {})}
target = st.radio(t("rep.of"), about, horizontal=True, key="ter_report_of",
                  format_func=lambda i: names_of.get(i, i)) if len(about) > 1 else scope
diagnostic(data.store(), target, need, key="ter_diagnostic")

# --- rankings -----------------------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("ter.white"))
    if not white:
        st.success(t("ter.no_white"))
    else:
        st.dataframe(pd.DataFrame([{t("col.name"): w["name"], t("col.population"): w["population"],
                                    t("col.nearest_km"): w["nearest_km"],
                                    t("col.density"): vocab("density", w["density"])}
                                   for w in white[:200]]), hide_index=True)
with right:
    st.subheader(t("ter.ranking"))
    ranked = sorted(rows, key=lambda r: (-r["providers"], -(r["population"] or 0), r["id"]))
    st.dataframe(pd.DataFrame([{t("col.name"): r["name"], t("col.providers"): r["providers"],
                                t("col.population"): r["population"],
                                t("col.nearest_km"): r["nearest_km"]} for r in ranked]),
                 hide_index=True)

left, right = st.columns(2)
with left:
    st.subheader(t("ter.density"))
    st.dataframe(pd.DataFrame([{
        t("col.density"): vocab("density", d["density"]) or t("none"),
        t("col.territory_rate"): f"{d['covered_territories']} / {d['territories']}",
        t("col.population_rate"): "–" if d["population_rate"] is None else f"{100 * d['population_rate']:.0f} %",
        t("col.median_km"): d["median_nearest_km"]} for d in cov["density"]]), hide_index=True)
with right:
    st.subheader(t("ter.chain"))
    chain = sorted(cov["chain"], key=lambda c: (-len(c["missing"]), -(c["population"] or 0), c["id"]))
    st.dataframe(pd.DataFrame([{
        t("col.name"): c["name"],
        **{vocab("stage", s): len(c["stages"][s]) for s in model.STAGES},
        t("col.missing"): ", ".join(vocab("stage", s) for s in c["missing"]) or "✓"}
        for c in chain[:300]]), hide_index=True)

if cov["overlaps"]:
    st.subheader(t("ter.overlaps"))
    st.dataframe(pd.DataFrame([{
        t("col.name"): o["name"], t("col.sector"): sector_names.get(o["sector"], t("none")),
        t("col.providers"): o["providers"],
        t("col.provider_names"): ", ".join(data.names_in(G, o["provider_ids"]).values())}
        for o in cov["overlaps"][:200]]), hide_index=True)

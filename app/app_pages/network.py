"""Réseau: the cooperation map (graph and geography), clusters, brokers, exports."""

import pandas as pd
import streamlit as st

from app.components import data, ui
from app.components.geo import background_codes, geo_arcs, geo_points
from app.components.graphs import pivot_counts
from app.components.maps import arcs_deck, polygon_records, spread
from app.components.network import (
    AGGREGATE_ABOVE, DRAW_CHOICES, DRAW_DEFAULT, DRAW_MAX, aggregate_clusters, export_bytes, network_html,
)
from app.i18n import number, t, vocab
from graph import model
from graph.analysis.projection import DEFAULT_WEIGHTS
from loaders.territories import load_outlines, read_territories

st.title(t("net.title"))
st.caption(t("net.intro"))

# --- filters ------------------------------------------------------------------------
places = [r for lvl in ("region", "departement")
          for r in pivot_counts(ui.rows_or_stop("app.counts_by_territory", level=lvl))]
place_names = {r["id"]: r["name"] for r in places}
c1, c2, c3 = st.columns(3)
territory = c1.selectbox(t("net.territory"), [None, *place_names], key="net_territory",
                         format_func=lambda v: t("any") if v is None else place_names[v])
sector_names = dict(data.sectors())
sector = c2.selectbox(t("net.sector"), [None, *sector_names], key="net_sector",
                      format_func=lambda v: t("any") if v is None else sector_names[v])
legal_form = c3.selectbox(t("net.legal_form"), [None, *model.LEGAL_FORMS], key="net_legal_form",
                          format_func=lambda v: t("any") if v is None else vocab("legal_form", v))
c4, c5 = st.columns([3, 2])
sources = c4.multiselect(t("net.sources"), list(DEFAULT_WEIGHTS), default=list(DEFAULT_WEIGHTS),
                         format_func=lambda s: t(f"src.{s}"), key="net_sources")
years = data.cooperation()["years"]
as_of = None
if years:
    dated = c5.toggle(t("net.year") + "…", key="net_dated")
    if dated:
        as_of = c5.select_slider(t("net.year"), years, value=years[-1], key="net_year")
if as_of:
    st.subheader(f"{t('net.year')} {as_of}")

coop = data.cooperation(as_of=as_of, sources=tuple(sources), territory=territory, sector=sector,
                        legal_form=legal_form)
digest = coop["digest"]  # not every structure's cluster and score: the tables and the drawn ones
if not digest["structures"]:
    st.info(t("net.empty"))
    st.stop()
o1, o2 = st.columns([3, 2])
show_isolated = o1.checkbox(t("net.show_isolated"), value=False, key="net_isolated")
limit = DRAW_MAX
if digest["structures"] > DRAW_CHOICES[0]:  # a picture of thousands of dots is read by no one
    limit = o2.select_slider(t("net.draw_max"), DRAW_CHOICES, value=DRAW_DEFAULT, key="net_draw_max")
H, shown = data.cooperation_drawn(as_of=as_of, sources=tuple(sources), territory=territory, sector=sector,
                                  legal_form=legal_form, show_isolated=show_isolated, limit=limit,
                                  words={s: t(f"src.{s}") for s in DEFAULT_WEIGHTS})
if shown > limit:  # the most central first: a national base is not drawn whole
    st.info(t("net.capped", drawn=number(limit), total=number(shown)))
st.caption(t("net.shown", nodes=number(H.number_of_nodes()), edges=number(H.number_of_edges()),
             clusters=len(digest["clusters"]), q=f"{digest['modularity']:.2f}"))
ui.kept_note(coop)

view = st.segmented_control(t("net.view"), ["graph", "map"], default="graph", key="net_view",
                            format_func=lambda v: t(f"net.{v}"), label_visibility="collapsed") or "graph"
if view == "graph":  # one picture at a time: each costs the browser about half a second
    drawn = H
    if H.number_of_nodes() > AGGREGATE_ABOVE:
        st.info(t("net.aggregated"))
        drawn = aggregate_clusters(H, digest["clusters"])
    ui.html_frame(network_html(drawn, height=620), 620)
else:
    G = ui.graph_or_stop()  # the seats and outlines of the map: the whole graph, read on demand
    membership = {n: c for n, c in H.nodes(data="cluster") if c is not None}
    # kept: the scores of the central structures (an isolated one has none); else all of them
    points, approx, missing = geo_points(G, list(H), membership, digest["scores"] or coop["scores"])
    points = spread(points)
    arcs = geo_arcs(H, points)
    codes = background_codes(G, points)
    if territory and territory.startswith("departement:"):
        codes = sorted(set(codes) | {territory.split(":", 1)[1]})
    deps = [{"code": r["code"], "name": r["name"]} for r in read_territories("departement")
            if r["code"] in codes]
    background = polygon_records(load_outlines("departement"), deps)
    st.pydeck_chart(arcs_deck(background, points, arcs,
                              tooltip_html="<b>{name}</b><br/>{cluster_label}"), height=620)
    st.caption(t("net.map_note", placed=len(points), approx=approx, missing=len(missing)))

# --- clusters and brokers ----------------------------------------------------------
left, right = st.columns(2)
with left:
    st.subheader(t("net.clusters"))
    def named(c: dict, key: str, top: int = 5) -> str:
        more = c["counts"][key] - min(top, len(c[key]))
        return ", ".join(x["name"] for x in c[key][:top]) + (f" (+{more})" if more > 0 else "")

    rows = [{t("col.cluster"): c["id"], t("col.size"): c["size"],
             t("col.sectors"): named(c, "sectors"), t("col.territories"): named(c, "territories"),
             t("col.networks"): named(c, "networks"), t("col.bridges"): named(c, "bridges", 3)}
            for c in digest["clusters"]]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
with right:
    st.subheader(t("net.brokers"))
    top = digest["brokers"]
    df = pd.DataFrame([{t("col.name"): s["name"], t("col.cluster"): s["cluster"],
                        t("st.betweenness"): round(s["betweenness"], 3),
                        t("st.participation"): round(s["participation"], 2),
                        t("st.degree"): s["degree"], "id": s["id"]} for s in top])
    ui.table(df, links="id", key="brokers")

st.subheader(t("net.export"))
e1, e2, e3 = st.columns(3)
stem = "maillage-reseau" + (f"-{as_of}" if as_of else "")
e1.download_button("GraphML", lambda: export_bytes(H, "graphml"), file_name=f"{stem}.graphml",
                   mime="application/graphml+xml", icon=":material/download:")
e2.download_button("GEXF", lambda: export_bytes(H, "gexf"), file_name=f"{stem}.gexf",
                   mime="application/xml", icon=":material/download:")
e3.download_button("CSV", lambda: export_bytes(H, "csv"), file_name=f"{stem}.csv", mime="text/csv",
                   icon=":material/download:")

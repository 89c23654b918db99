"""Données: import a bundle (validated before anything is written), and data quality."""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from app import refresh
from app.components import contrib, data, ui
from app.components.graphs import main_label
from app.components.quality import possible_duplicates, rejection_rows, save_uploads
from app.i18n import t, vocab
from graph.errors import MaillageError
from loaders.bundle import read_bundle, validate
from graph.reading import known_ids_in
from loaders.load import load_path

st.title(t("d.title"))
allowed, why_not = contrib.import_allowed()  # editors with accounts, else MAILLAGE_ALLOW_IMPORT=1

# --- import -------------------------------------------------------------------------
st.subheader(t("d.import"))
if not allowed:
    st.info(why_not)
uploads = st.file_uploader(t("d.upload"), type=["csv", "xlsx"], accept_multiple_files=True,
                           key="d_upload")
if uploads:
    with tempfile.TemporaryDirectory(prefix="maillage-upload-") as tmp:
        try:
            path = save_uploads([(u.name, u.getvalue()) for u in uploads], Path(tmp))
            bundle, report = validate(read_bundle(path), known_ids=known_ids_in(data.store()))
        except (MaillageError, ValueError) as err:
            st.error(str(err))
        else:
            st.markdown(f"**{t('d.report')}**")
            st.write(t("d.summary", read=report.read, loaded=report.loaded, rejected=report.rejected_rows))
            for w in report.warnings:
                st.warning(w)
            if report.dropped_columns:
                st.warning(", ".join(report.dropped_columns))
            if report.rejected:
                st.dataframe(pd.DataFrame([{
                    t("col.file"): r["file"], t("col.row"): r["row"], t("col.column"): r["column"],
                    t("col.reason_rej"): r["reason"]} for r in rejection_rows(report)]), hide_index=True)
            if st.button(t("d.write"), type="primary", disabled=not allowed or report.loaded == 0,
                         key="d_write"):
                bar = st.progress(0.0)

                def factory(total):
                    done = [0]

                    def step(n):
                        done[0] += n
                        bar.progress(min(1.0, done[0] / max(total, 1)))
                    return step

                try:
                    contrib.require_import()  # the role, in the store, at the moment of the write
                    written = load_path(data.store(), path, progress_factory=factory)
                except MaillageError as err:
                    st.error(str(err))
                else:
                    bar.progress(1.0)
                    data.clear()
                    refresh.start(data.store())  # clusters, brokers, coverage of the new version, kept
                    st.success(t("d.written", summary=written.summary()))

# --- quality ------------------------------------------------------------------------
st.subheader(t("d.quality"))
tab1, tab2, tab3 = st.tabs([t("d.no_territory"), t("d.isolated"), t("d.duplicates")])
with tab1:
    rows = ui.rows_or_stop("app.without_territory", limit=500)
    st.caption(t("d.count", n=len(rows)))
    ui.table(pd.DataFrame([{t("col.name"): r["name"], t("col.kind"): vocab("label", main_label(r["labels"])),
                            "id": r["id"]} for r in rows]), links="id", key="q_no_territory")
with tab2:
    ui.graph_or_stop()
    coop = data.cooperation()
    isolated = coop["clustering"].isolated
    ui.kept_note(coop)
    names = data.names(isolated)
    st.caption(t("d.count", n=len(isolated)))
    ui.table(pd.DataFrame([{t("col.name"): names[i], "id": i} for i in isolated]), links="id",
             key="q_isolated")
with tab3:
    groups = possible_duplicates(ui.rows_or_stop("app.organisations"))
    if not groups:
        st.success(t("d.no_duplicates"))
    else:
        orgs = {r["id"]: r["name"] for r in ui.rows_or_stop("app.organisations")}
        st.dataframe(pd.DataFrame([{t("col.why"): t(f"dup.{g['clue']}"), t("col.name"): g["value"],
                                    "ids": ", ".join(f"{orgs.get(i, i)} ({i})" for i in g["ids"])}
                                   for g in groups]), hide_index=True)
        st.caption(t("d.merge_hint"))

"""Contribuer: propose a node, a relation, a correction or a removal, each with its source;
editors review the queue (accept, amend, reject with a reason) and revert accepted changes.

Every write is checked on the server side by :mod:`graph.contrib` (the session's role in the
store, at the moment of the write); errors and conflicts are shown as they are.
"""

import pandas as pd
import streamlit as st

from app.components import contrib, data
from app.components.graphs import main_label
from app.i18n import t, vocab
from graph import model
from graph.contrib import history, proposals, review
from graph.contrib.proposals import Proposal
from graph.errors import MaillageError
from loaders.territories import territory_index

#: the labels whose nodes a contributor may correct or remove (territories come from the reference)
EDITABLE = tuple(lab for lab in model.NODE_FILE_BY_LABEL if lab not in (model.TERRITORY, model.SOURCE))
SHOWN = 50

st.title(t("c.title"))
contrib.show_flash()
if not contrib.configured():
    st.info(t("c.read_only"))
    st.stop()
account = contrib.account()
if account is None:
    st.info(t("c.please_sign_in"))
    st.stop()
if not account.may("contributor"):
    st.info(t("c.reader"))
    st.stop()
st.caption(t("c.intro"))
store = data.store()
editor = account.may("editor")


def queue(status: str, mine: bool = False, newest: bool = False) -> list[dict]:
    try:
        return review.queue(store, contrib.token(), status=status, mine=mine, newest=newest)
    except MaillageError as err:
        st.error(str(err))
        return []


def seat_input(key: str) -> str | None:
    """The seat commune's id, picked by name or code ("" for none, None when not found)."""
    text = st.text_input(t("c.seat"), key=key, help=t("c.seat_help"))
    if not text.strip():
        return ""
    matches = territory_index().find(text)
    if not matches:
        st.warning(t("c.seat_unknown", text=text.strip()))
        return None
    if len(matches) > 1:
        labels = {m["id"]: f"{m['name']} ({m['code']}, {m['population']} hab.)" for m in matches}
        return st.selectbox(t("c.seat_which"), list(labels), format_func=labels.get, key=f"{key}_which")
    st.caption(t("c.seat_found", name=matches[0]["name"], code=matches[0]["code"]))
    return matches[0]["id"]


def picked(key: str, labels=EDITABLE):
    node_id = contrib.pick_node(t("c.find"), key, labels)
    found = contrib.node(node_id) if node_id else None
    if found:
        st.caption(" · ".join([vocab("label", main_label(found["labels"])), node_id]))
    return node_id, found


def amend_inputs(c: dict) -> dict:
    """The editor's changed values of a proposal (only those that differ from the proposed ones)."""
    p = c["payload"]
    if c["kind"] == "add_relation":
        vocabs = {name: model.RELATION_VOCABULARIES.get((p["type"], name)) for name in p.get("props") or {}}
        columns = {col.name: col for col in model.RELATION_COLUMNS}
        specs = {name: model.Column(name, vocabulary=v) if v else columns[name] for name, v in vocabs.items()}
    else:
        columns = {col.name: col for col in model.NODE_FILE_BY_LABEL[c["label"]].columns}
        specs = {name: columns[name] for name in p.get("props") or {} if name in columns}
    amended = {}
    for name, spec in specs.items():
        value = contrib.value_input(spec, p["props"][name], f"rv_{c['number']}_{name}")
        if contrib.as_text(value) != contrib.as_text(p["props"][name]):
            amended[name] = value
    return amended


def review_item(c: dict) -> None:
    n = c["number"]
    with st.expander(t("c.item", number=n, kind=vocab("contrib_kind", c["kind"]), what=contrib.summary(c))):
        st.caption(t("c.proposed_at", at=str(c.get("proposed_at") or "")[:16].replace("T", " ")))
        st.dataframe(pd.DataFrame(contrib.changes(c)), hide_index=True, key=f"rv_changes_{n}")
        st.markdown(t("c.source_is", source=c.get("source") or ""))
        if c.get("comment"):
            st.markdown(t("c.comment_is", comment=c["comment"]))
        amended = {}
        if c["kind"] in ("add_node", "correct", "add_relation") and c["payload"].get("props"):
            if st.toggle(t("c.amend"), key=f"rv_amend_{n}"):
                amended = amend_inputs(c)
        reason = st.text_input(t("c.reason"), key=f"rv_reason_{n}")
        a, b, _ = st.columns([1, 1, 4])
        if a.button(t("c.accept"), key=f"rv_accept_{n}", type="primary"):
            try:
                review.accept(store, contrib.token(), n, reason=reason, amended=amended or None)
            except MaillageError as err:
                st.error(str(err))
            else:
                contrib.written(t("c.accepted", number=n))
        if b.button(t("c.reject"), key=f"rv_reject_{n}"):
            try:
                review.reject(store, contrib.token(), n, reason)
            except MaillageError as err:
                st.error(str(err))
            else:
                contrib.flash(t("c.rejected", number=n))


def accepted_item(c: dict) -> None:
    n = c["number"]
    with st.expander(t("c.item", number=n, kind=vocab("contrib_kind", c["kind"]), what=contrib.summary(c))):
        st.caption(t("c.reviewed_at", at=str(c.get("reviewed_at") or "")[:16].replace("T", " ")))
        st.dataframe(pd.DataFrame(contrib.changes(c)), hide_index=True, key=f"rv_done_{n}")
        st.markdown(t("c.source_is", source=c.get("source") or ""))
        reason = st.text_input(t("c.revert_reason"), key=f"rv_revert_reason_{n}")
        if st.button(t("c.revert"), key=f"rv_revert_{n}"):
            try:
                history.revert(store, contrib.token(), n, reason)
            except MaillageError as err:
                st.error(str(err))
            else:
                contrib.written(t("c.reverted", number=n))


names = [t("c.tab_node"), t("c.tab_relation"), t("c.tab_fix"), t("c.tab_remove"), t("c.tab_mine")]
pending = queue("pending") if editor else []
if editor:
    names += [t("c.tab_queue"), t("c.tab_accepted")]  # labels stay: a changed label resets the tab
tabs = st.tabs(names)

with tabs[0]:  # a new node
    label = st.selectbox(t("c.label"), proposals.NEW_LABELS, format_func=lambda v: vocab("label", v),
                         key="cn_label")
    columns = [c for c in model.NODE_FILE_BY_LABEL[label].columns if c.name not in contrib.HIDDEN + ("lat", "lon")]
    left, right = st.columns(2)
    values = {}
    for i, col in enumerate(columns):
        with left if i % 2 == 0 else right:
            values[col.name] = contrib.value_input(col, None, f"cn_{label}_{col.name}")
    seat = seat_input("cn_seat")
    kind, text, comment = contrib.source_inputs("cn")
    if st.button(t("c.propose_node"), key="cn_submit", type="primary", disabled=seat is None):
        contrib.submit(Proposal("add_node", text, label=label, props=values, seat=seat or "", comment=comment),
                       kind)

with tabs[1]:  # a relation between two nodes
    start = contrib.pick_node(t("c.from"), "cr_from")
    found = contrib.node(start) if start else None
    if found:
        contrib.relation_form(start, found["labels"], key="cr")

with tabs[2]:  # a correction
    target, found = picked("cf")
    if found:
        contrib.correction_form(target, main_label(found["labels"]), found["properties"] or {}, key="cf")

with tabs[3]:  # a removal
    target, found = picked("cx")
    if found:
        contrib.removal_form(target, key="cx")

with tabs[4]:  # my proposals
    mine = queue("", mine=True, newest=True)
    if not mine:
        st.caption(t("c.mine_none"))
    else:
        st.dataframe(pd.DataFrame([{
            t("col.number"): c["number"], t("col.date"): str(c.get("proposed_at") or "")[:10],
            t("col.contrib_kind"): vocab("contrib_kind", c["kind"]), t("col.what"): contrib.summary(c),
            t("col.status"): vocab("contrib_status", c["status"]),
            t("col.editor_reason"): c.get("revert_reason") or c.get("reason") or ""}
            for c in mine]), hide_index=True, key="c_mine")

if editor:
    with tabs[5]:  # the review queue
        st.caption(t("c.queue_count", n=len(pending)) if pending else t("c.queue_none"))
        for c in pending:
            review_item(c)
    with tabs[6]:  # accepted, newest first, each can be reverted
        accepted = queue("accepted", newest=True)  # newest first: the one to revert first
        if not accepted:
            st.caption(t("c.accepted_none"))
        for c in accepted[:SHOWN]:
            accepted_item(c)

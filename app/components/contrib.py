"""Contributions in the app: the sign-in box, the signed-in account, the forms that propose a
change of a node (correction, removal, relation), a proposal in words, and a node's history.

Every write goes through :mod:`graph.contrib`, which checks the session's role in the store
at the moment it writes: what these pieces show or hide is a convenience, never the check.
The session token lives in ``st.session_state["contrib_token"]``; an unknown or expired token
is dropped without a word (the visitor is a reader again).
"""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from app import refresh
from app.components import data, ui
from app.components.graphs import main_label
from app.components.proposal_words import as_text, changes, show, summary  # noqa: F401  (the pages' words)
from app.i18n import t, vocab
from graph import model
from graph.contrib import accounts, history, proposals
from graph.contrib.accounts import Account
from graph.contrib.proposals import Proposal
from graph.errors import MaillageError, PermissionDenied

TOKEN = "contrib_token"
FLASH = "contrib_flash"
FLASH_WARNING = "contrib_flash_warning"
#: bundle columns a proposal never sets (identity and provenance are the review's)
HIDDEN = ("id", "sources", "origins", "extra_labels")
#: the vocabulary kind (app.i18n.VOCAB) of a column's values
#: relations a removal form lists at most (a hub has tens of thousands)
SHOWN_RELATIONS = 500
VOCAB_OF = {"legal_form": "legal_form", "functions": "function", "stages": "stage", "level": "level",
            "status": "status", "density": "density"}


# --- who is signed in ---------------------------------------------------------------------
def token() -> str | None:
    return st.session_state.get(TOKEN)


def configured() -> bool:
    """Whether any account exists (else the app is read-only for everyone)."""
    try:
        return accounts.accounts_configured(data.store())
    except MaillageError:
        return False


def account() -> Account | None:
    """The account of this session, checked against the store now (None: a reader)."""
    tok = token()
    if not tok:
        return None
    try:
        found = accounts.current(data.store(), tok)
    except MaillageError:
        found = None
    if found is None:
        st.session_state.pop(TOKEN, None)
    return found


def sign_in_box() -> None:
    """The sidebar's sign-in form, or who is signed in and a sign-out button (only with accounts)."""
    if not configured():
        return
    acc = account()
    if acc is not None:
        st.caption(t("c.signed_in", login=acc.login, organisation=acc.organisation, role=vocab("role", acc.role)))
        if st.button(t("c.sign_out"), key="contrib_sign_out"):
            try:
                accounts.sign_out(data.store(), token())
            except MaillageError:
                pass
            st.session_state.pop(TOKEN, None)
            st.rerun()
        return
    with st.form("contrib_sign_in", clear_on_submit=True):
        st.markdown(f"**{t('c.sign_in')}**")
        login = st.text_input(t("c.login"), key="contrib_login")
        password = st.text_input(t("c.password"), type="password", key="contrib_password")
        if st.form_submit_button(t("c.sign_in_button")):
            try:
                st.session_state[TOKEN] = accounts.sign_in(data.store(), login, password)
            except MaillageError as err:
                st.error(str(err))
            else:
                st.rerun()


# --- the Données page's import ---------------------------------------------------------------
def import_allowed() -> tuple[bool, str]:
    """Whether this session may import, and the info to show when it may not.

    With accounts: an editor's session; without: ``MAILLAGE_ALLOW_IMPORT=1``, as before."""
    if configured():
        acc = account()
        return (acc is not None and acc.may("editor")), t("d.disabled_roles")
    return os.environ.get("MAILLAGE_ALLOW_IMPORT") == "1", t("d.disabled_none")


def require_import() -> None:
    """PermissionDenied unless this session may import now (checked in the store at the write)."""
    s = data.store()
    if accounts.accounts_configured(s):
        accounts.require(s, token(), "editor")
    elif os.environ.get("MAILLAGE_ALLOW_IMPORT") != "1":
        raise PermissionDenied(t("d.disabled_none"))


# --- the Requêtes page's Cypher console ----------------------------------------------------
def _accounts_beside_the_graph() -> bool:
    """Whether accounts and contributions share the knowledge graph's database (Neo4j), where
    a free query could read them (on FalkorDB they are a graph of their own)."""
    s = data.store()
    return s.accounts_store() is s and configured()


def console_allowed() -> tuple[bool, str]:
    """Whether this session may run free Cypher, and the info to show when it may not: always,
    unless the accounts share the database (Neo4j with accounts): then only a signed-in editor."""
    if not _accounts_beside_the_graph():
        return True, ""
    acc = account()
    return (acc is not None and acc.may("editor")), t("q.console_editors")


def require_console() -> None:
    """PermissionDenied unless this session may run free Cypher now (checked in the store)."""
    if _accounts_beside_the_graph():
        accounts.require(data.store(), token(), "editor")


# --- after a write --------------------------------------------------------------------------
def written(message: str) -> None:
    """After an accept or a revert: forget the caches, start the kept analyses, say it, rerun."""
    data.clear()
    try:
        refresh.start(data.store())  # clusters, brokers, coverage of the new version, kept
    except OSError as err:  # the write is done; the kept analyses say they are out of date
        st.session_state[FLASH_WARNING] = t("c.refresh_failed", error=err)
    flash(message)


def flash(message: str) -> None:
    """Rerun the page and show ``message`` on top of it."""
    st.session_state[FLASH] = message
    st.rerun()


def show_flash() -> None:
    """The message of the last write, in a slot that is always there (a page whose elements
    move would lose its selected tab)."""
    slot = st.container()
    message, warning = st.session_state.pop(FLASH, None), st.session_state.pop(FLASH_WARNING, None)
    if message:
        slot.success(message)
    if warning:
        slot.warning(warning)


# --- form pieces -------------------------------------------------------------------------------
def value_input(col: model.Column, current, key: str, label: str | None = None):
    """The widget for one bundle column: a multiselect, a selectbox or a text field."""
    label = label or t("prop." + col.name)
    kind = VOCAB_OF.get(col.name)

    def words(v):
        return t("none") if v == "" else (vocab(kind, v) if kind else v)

    if col.vocabulary and col.type == "list":
        now = [v for v in (current or []) if v in col.vocabulary]
        return st.multiselect(label, col.vocabulary, default=now, format_func=words, key=key,
                              placeholder=t("c.choose"))
    if col.vocabulary:
        options = ["", *col.vocabulary]
        return st.selectbox(label, options, index=options.index(current) if current in options else 0,
                            format_func=words, key=key)
    return st.text_input(label, value=as_text(current), key=key)


def source_inputs(key: str) -> tuple[str, str, str]:
    """Source kind, source text and comment of a proposal."""
    a, b = st.columns([1, 3])
    kind = a.selectbox(t("c.source_kind"), proposals.SOURCE_KINDS, format_func=lambda v: vocab("source_kind", v),
                       key=f"{key}_skind")
    text = b.text_input(t("c.source_text"), key=f"{key}_stext", help=t("c.source_help"))
    comment = st.text_input(t("c.comment"), key=f"{key}_comment")
    return kind, text, comment


def submit(p: Proposal, source_kind: str) -> int | None:
    """Record ``p`` (the store checks the role); say its number, or the error as it is."""
    try:
        n = proposals.propose(data.store(), token(), p, source_kind=source_kind)
    except MaillageError as err:
        st.error(str(err))
        return None
    st.success(t("c.proposed", number=n))
    return n


def pick_node(label: str, key: str, labels=None) -> str | None:
    """A node found by name (``explore.find``), of one of ``labels`` if given; None until chosen."""
    text = st.text_input(label, key=f"{key}_search")
    if not text.strip():
        return None
    found = [r for r in ui.rows_or_stop("explore.find", text=text.strip(), limit=30)
             if r["id"] and (not labels or set(r["labels"] or ()) & set(labels))]
    if not found:
        st.caption(t("home.no_match", text=text.strip()))
        return None
    names = {r["id"]: f"{r['name']} · {vocab('label', main_label(r['labels']))} ({r['id']})" for r in found}
    return st.selectbox(label, list(names), format_func=names.get, key=f"{key}_pick", label_visibility="collapsed")


def node(node_id: str) -> dict | None:
    rows = ui.rows_or_stop("explore.node", id=node_id)
    return rows[0] if rows else None


# --- the forms for one node ----------------------------------------------------------------
def correction_form(node_id: str, label: str, props: dict, key: str = "fix") -> None:
    columns = {c.name: c for c in model.NODE_FILE_BY_LABEL[label].columns if c.name not in HIDDEN}
    prop = st.selectbox(t("c.property"), list(columns), format_func=lambda p: t("prop." + p),
                        key=f"{key}_prop_{node_id}")
    st.caption(t("c.current", value=show(props.get(prop))))
    value = value_input(columns[prop], props.get(prop), f"{key}_value_{node_id}_{prop}", t("c.new_value"))
    kind, text, comment = source_inputs(f"{key}_{node_id}")
    if st.button(t("c.propose_fix"), key=f"{key}_submit_{node_id}"):
        submit(Proposal("correct", text, target=node_id, props={prop: value}, comment=comment), kind)


def removal_form(node_id: str, key: str = "rm") -> None:
    what = st.radio(t("c.remove_what"), ["node", "relation"], horizontal=True, key=f"{key}_what_{node_id}",
                    format_func=lambda w: t(f"c.remove_{w}"))
    p = Proposal("remove_node", "", target=node_id)
    if what == "relation":
        # every relation with its key (two fundings of different years are two relations)
        rels = [r for r in ui.rows_or_stop("admin.relations_of", id=node_id) if r["type"] != "PART_OF"]
        if not rels:
            st.caption(t("c.no_relations"))
            return
        if len(rels) > SHOWN_RELATIONS:  # a hub: the first ones (the CLI takes any relation)
            st.caption(t("c.relations_cut", shown=SHOWN_RELATIONS, n=len(rels)))
            rels = rels[:SHOWN_RELATIONS]
        names = {r["id"]: r["name"] for r in ui.rows_or_stop("explore.neighbourhood", id=node_id,
                                                             limit=SHOWN_RELATIONS)}

        def words(i: int) -> str:
            r = rels[i]
            rel_key = str((r["properties"] or {}).get("key") or "")
            other = f"{names.get(r['other']) or r['other']} ({r['other']})"
            return " ".join(w for w in (vocab("rel" if r["direction"] == "out" else "rel_in", r["type"]), other,
                                        f"· {rel_key}" if rel_key else "") if w)

        i = st.selectbox(t("c.which_relation"), list(range(len(rels))), format_func=words,
                         key=f"{key}_rel_{node_id}")
        r = rels[i]
        ends = (node_id, r["other"]) if r["direction"] == "out" else (r["other"], node_id)
        p = Proposal("remove_relation", "", rel_type=r["type"], source_id=ends[0], target_id=ends[1],
                     key=str((r["properties"] or {}).get("key") or ""))
    kind, text, comment = source_inputs(f"{key}_{node_id}")
    if st.button(t("c.propose_removal"), key=f"{key}_submit_{node_id}"):
        p.source, p.comment = text, comment
        submit(p, kind)


def relation_form(node_id: str, labels, key: str = "rel") -> None:
    """Propose a typed relation between ``node_id`` and a node found by name, either way."""
    choices = []
    for rtype, (srcs, dsts, _) in model.RELATIONSHIPS.items():
        if rtype == "PART_OF":
            continue
        if set(labels) & set(srcs):
            choices.append(f"{rtype}:out")
        if set(labels) & set(dsts) and not (srcs == dsts and f"{rtype}:out" in choices):  # symmetric: once
            choices.append(f"{rtype}:in")
    if not choices:
        st.caption(t("c.no_relation_type"))
        return
    choice = st.selectbox(t("c.rel_type"), choices, key=f"{key}_type_{node_id}",
                          format_func=lambda c: vocab("rel" if c.endswith(":out") else "rel_in", c.split(":")[0]))
    rtype, direction = choice.split(":")
    srcs, dsts, allowed = model.RELATIONSHIPS[rtype]
    other = pick_node(t("c.other"), f"{key}_other_{node_id}", dsts if direction == "out" else srcs)
    columns = {c.name: c for c in model.RELATION_COLUMNS}
    values = {}
    if allowed:
        cols = st.columns(len(allowed))
        for col, name in zip(cols, allowed):
            vocabulary = model.RELATION_VOCABULARIES.get((rtype, name))
            with col:
                spec = model.Column(name, vocabulary=vocabulary) if vocabulary else columns[name]
                values[name] = value_input(spec, None, f"{key}_{name}_{node_id}_{rtype}")
    kind, text, comment = source_inputs(f"{key}_{node_id}")
    if st.button(t("c.propose_relation"), key=f"{key}_submit_{node_id}", disabled=other is None):
        if other is None:
            return
        ends = (node_id, other) if direction == "out" else (other, node_id)
        submit(Proposal("add_relation", text, rel_type=rtype, source_id=ends[0], target_id=ends[1],
                        props=values, comment=comment), kind)


def node_tools(node_id: str, labels) -> None:
    """On a node's card: "Proposer une modification" for a contributor or an editor."""
    acc = account()
    label = main_label(labels)
    if acc is None or not acc.may("contributor") or label not in model.NODE_FILE_BY_LABEL \
            or label in (model.TERRITORY, model.SOURCE):
        return
    found = node(node_id)
    if found is None:
        return
    with st.expander(t("c.modify")):
        fix, rel, rm = st.tabs([t("c.tab_fix"), t("c.tab_relation"), t("c.tab_remove")])
        with fix:
            correction_form(node_id, label, found["properties"] or {}, key="card_fix")
        with rel:
            relation_form(node_id, labels, key="card_rel")
        with rm:
            removal_form(node_id, key="card_rm")


def node_history(node_id: str) -> None:
    """"Historique des contributions": the accepted changes of a node (organisations for editors)."""
    try:
        rows = history.history(data.store(), node_id, token())
    except MaillageError as err:
        st.error(str(err))
        return
    if not rows:
        return
    st.subheader(t("c.history"))
    table = []
    for c in rows:
        row = {t("col.date"): str(c.get("reviewed_at") or "")[:10],
               t("col.contrib_kind"): vocab("contrib_kind", c["kind"]), t("col.what"): summary(c),
               t("col.source"): c.get("source") or "", t("col.status"): vocab("contrib_status", c["status"])}
        if "proposer_org" in c:
            row[t("col.proposer_org")] = c.get("proposer_org") or ""
            row[t("col.reviewer_org")] = c.get("reviewer_org") or ""
        table.append(row)
    st.dataframe(pd.DataFrame(table), hide_index=True, key=f"history_{node_id}")

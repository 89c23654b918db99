"""Review: an editor accepts (as proposed or amended) or rejects each proposal; accepted
changes can be reverted.

An accept is one unit of writes (:meth:`graph.store.GraphStore.write_steps`: one
transaction on Neo4j, one ``MULTI``/``EXEC`` block on FalkorDB): the contributions'
lock, then one statement that checks and writes at once — the proposal is still
pending, the values a correction replaces are still those it was proposed against,
a new node's id is free, a removed node is as it was just read — and marks the
proposal accepted with what it wrote (``applied``, JSON: what a revert takes
back). Two editors accepting conflicting changes of one node: the second finds
the value changed and gets :class:`~graph.errors.Conflict`, nothing written.

Provenance: each accepted proposal ``N`` becomes a ``Source`` node
``source:contribution-N`` (its title: the source the proposal names; its date:
the accept's), added to the ``sources`` of what it wrote, and ``origins`` (JSON,
property → source) says which properties it set. Both travel in a bundle export.

A revert (:func:`revert`) writes the inverse the same way and marks the proposal
``reverted``: a new node is deleted, a correction's old values put back (if no
later change touched them: else a conflict names them), a removed node or
relation recreated with its relations.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timezone

from graph import model
from graph.contrib.accounts import require
from graph.contrib.proposals import node_of, relation_key, relation_of, typed_props, typed_relation_props, \
    refuse_personal_data
from graph.errors import Conflict, ParameterError
from graph.store import GraphStore


def _now() -> str:
    """Now, to the microsecond: the order of accepts (a revert goes newest first)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def statement(store: GraphStore, name: str, **names) -> str:
    from queries import library

    q = library().get(name, backend=store.backend)
    return q.render(**names) if q.template else q.text


def contribution(store: GraphStore, number: int) -> dict:
    """One proposal as a dict (``payload``, ``before``, ``applied`` decoded), ParameterError if none."""
    df = store.query("contrib.contribution", number=int(number))
    if df.empty:
        raise ParameterError(f"aucune contribution n° {number}")
    return decode(df.iloc[0].to_dict())


def decode(row: dict) -> dict:
    out = {k: (None if _missing(v) else v) for k, v in row.items()}
    for k in ("payload", "before", "applied"):
        out[k] = json.loads(out[k]) if out.get(k) else {}
    out["touches"] = list(out.get("touches") or [])
    out["number"] = int(out["number"])
    return out


def _missing(value) -> bool:
    try:
        return value is None or value != value
    except (TypeError, ValueError):
        return False


def queue(store: GraphStore, token: str | None, *, status: str = "pending", mine: bool = False,
          newest: bool = False, limit: int = 200) -> list[dict]:
    """The proposals with ``status`` (editors: all; a contributor with ``mine``: its own), at
    most ``limit``: the oldest first, or the newest with ``newest``."""
    account = require(store, token, "contributor" if mine else "editor")
    df = store.query("contrib.contributions", status=status, proposer=account.key if mine else "",
                     newest=bool(newest), limit=int(limit))
    return [decode(r) for r in df.to_dict("records")]


def reject(store: GraphStore, token: str | None, number: int, reason: str) -> None:
    """Reject a pending proposal with the editor's reason (kept, never deleted)."""
    account = require(store, token, "editor")
    if not (reason or "").strip():
        raise ParameterError("un refus donne sa raison")
    refuse_personal_data({"reason": reason})
    df = store.query_derived("contrib.reject", number=int(number), reviewer=account.key, reason=reason.strip(),
                             at=_now())
    if df.empty:
        status = contribution(store, number)["status"]
        raise Conflict(f"la contribution n° {number} n'est plus en attente (elle est {status})")


def _amend(c: dict, amended: dict | None) -> tuple[dict, bool]:
    """The payload as accepted: the proposal's, or with the editor's changed properties."""
    payload = dict(c["payload"])
    if not amended:
        return payload, False
    refuse_personal_data(amended)
    if c["kind"] == "add_node":
        payload["props"] = {**payload["props"], **typed_props(c["label"], amended)}
    elif c["kind"] == "correct":
        props = typed_props(c["label"], amended, clearing=True)
        if set(props) - set(c["before"]):
            raise ParameterError("une correction amendée ne change que les propriétés proposées "
                                 f"({', '.join(c['before'])})")
        payload["props"] = {**payload["props"], **props}
    elif c["kind"] == "add_relation":
        payload["props"] = {**payload["props"], **typed_relation_props(payload["type"], amended)}
        payload["key"] = relation_key(payload["props"])
    else:
        raise ParameterError("une suppression s'accepte ou se refuse, elle ne s'amende pas")
    return payload, payload != c["payload"]


def _origins(props: dict, keys, source_id: str) -> str:
    try:
        origins = dict(json.loads(props.get("origins") or "{}"))
    except (ValueError, TypeError):
        origins = {}
    origins.update({k: source_id for k in keys})
    return json.dumps(origins, ensure_ascii=False, sort_keys=True)


def _rows(relations: list[dict]) -> dict[tuple[str, str, str], list[dict]]:
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for r in relations:
        props = {k: v for k, v in r["properties"].items() if k not in ("key", "sources")}
        groups.setdefault((r["src"], r["type"], r["dst"]), []).append({
            "source_id": r["source_id"], "target_id": r["target_id"], "key": str(r["properties"].get("key") or ""),
            "props": props, "sources": list(r["properties"].get("sources") or [])})
    return groups


def node_relations(store: GraphStore, node_id: str) -> list[dict]:
    """A node's relations, each with its ends and their labels as a load writes them."""
    out = []
    for r in store.query("admin.relations_of", id=node_id).itertuples():
        mine = model.label_for_id(node_id)
        other = model.label_for_id(r.other)
        src, dst = (node_id, r.other) if r.direction == "out" else (r.other, node_id)
        out.append({"type": r.type, "source_id": src, "target_id": dst,
                    "src": mine if r.direction == "out" else other, "dst": other if r.direction == "out" else mine,
                    "properties": dict(r.properties or {})})
    return out


def link_steps(store: GraphStore, number: int, token: str, relations: list[dict]) -> list[tuple[str, dict]]:
    return [(statement(store, "contrib.link", SRC=s, TYPE=t, DST=d), {"number": number, "token": token, "rows": rows})
            for (s, t, d), rows in _rows(relations).items()]


def plan_accept(store: GraphStore, c: dict, payload: dict, prov: str, number: int, wtoken: str
                ) -> tuple[list[tuple[str, dict]], dict, str]:
    """The guarded first step and later steps of accepting ``c``, what it writes, and the conflict's words."""
    guard = {"number": number, "expected": "pending", "token": wtoken}
    kind, label = c["kind"], c["label"]
    if kind == "add_node":
        node_id, props = c["target"], payload["props"]
        seat = [{"type": "LOCATED_IN", "source_id": node_id, "target_id": payload["seat"], "src": label,
                 "dst": model.TERRITORY, "properties": {"key": "", "sources": [prov]}}] if payload.get("seat") else []
        full = {**props, "sources": [prov], "origins": _origins({}, props, prov)}
        steps = [(statement(store, "contrib.put_node", LABEL=label), {**guard, "id": node_id, "props": full})]
        steps += link_steps(store, number, wtoken, seat)
        return steps, {"id": node_id, "properties": full, "relations": len(seat)}, f"une fiche {node_id} existe déjà"
    if kind == "correct":
        node = node_of(store, c["target"])
        now = node["properties"]
        sources = [x for x in (now.get("sources") or []) if x != prov] + [prov]
        full = {**payload["props"], "sources": sources, "origins": _origins(now, payload["props"], prov)}
        steps = [(statement(store, "contrib.set_props", LABEL=label),
                  {**guard, "id": c["target"], "before": c["before"], "props": full})]
        changed = [k for k, v in c["before"].items() if now.get(k) != v]
        words = (f"{', '.join(changed)} de {c['target']} a changé depuis la proposition" if changed
                 else f"{c['target']} a changé pendant la validation")
        keep = {k: now.get(k) for k in ("sources", "origins")}
        return steps, {"before": {**c["before"], **keep}, "after": full}, words
    if kind == "remove_node":
        node = node_of(store, c["target"])
        relations = node_relations(store, c["target"])
        steps = [(statement(store, "contrib.delete_node", LABEL=label),
                  {**guard, "id": c["target"], "props": node["properties"], "degree": len(relations)})]
        applied = {"labels": node["labels"], "properties": node["properties"], "relations": relations}
        return steps, applied, f"{c['target']} a changé pendant la validation"
    p = payload
    names = {"SRC": p["src"], "TYPE": p["type"], "DST": p["dst"]}
    ends = {"source_id": p["source_id"], "target_id": p["target_id"], "key": p["key"]}
    one = {"type": p["type"], "source_id": p["source_id"], "target_id": p["target_id"], "src": p["src"],
           "dst": p["dst"]}
    if kind == "add_relation":
        props = {**p["props"], "sources": [prov]}
        steps = [(statement(store, "contrib.put_relation", **names), {**guard, **ends, "props": props})]
        return (steps, {"relations": [{**one, "properties": {**props, "key": p["key"]}}]},
                f"la relation {c['target']} existe déjà, ou une de ses extrémités a disparu")
    props = relation_of(store, p["type"], p["source_id"], p["target_id"], p["key"]) or {}
    steps = [(statement(store, "contrib.delete_relation", **names), {**guard, **ends})]
    return steps, {"relations": [{**one, "properties": props}]}, f"la relation {c['target']} n'est plus dans la base"


def run_guarded(store: GraphStore, steps: list[tuple[str, dict]], number: int, words: str) -> None:
    """Take the contributions' lock, run ``steps`` as one unit; Conflict in plain words if the guard failed."""
    lock = (statement(store, "contrib.lock"), {"token": steps[0][1]["token"]})
    try:
        store.write_steps([lock] + steps, guard=1)
    except Conflict:
        status = contribution(store, number)["status"]
        if status != steps[0][1]["expected"]:
            raise Conflict(f"la contribution n° {number} a déjà été traitée (elle est {status})") from None
        raise Conflict(f"conflit sur la contribution n° {number} : {words} ; rien n'a été écrit "
                       "(relisez la fiche, puis amendez, refusez ou demandez une nouvelle proposition)") from None


def accept(store: GraphStore, token: str | None, number: int, *, reason: str = "",
           amended: dict | None = None) -> dict:
    """Write proposal ``number`` (amended by ``amended`` properties if given) and mark it accepted.

    Returns the contribution as accepted. Raises Conflict when the graph changed since
    (nothing written), PermissionDenied unless ``token`` is an editor's session."""
    account = require(store, token, "editor")
    number = int(number)
    c = contribution(store, number)
    if c["status"] != "pending":
        raise Conflict(f"la contribution n° {number} n'est plus en attente (elle est {c['status']})")
    refuse_personal_data({"reason": reason or ""})
    payload, was_amended = _amend(c, amended)
    at, wtoken = _now(), secrets.token_hex(8)
    prov = f"source:contribution-{number}"
    steps, applied, words = plan_accept(store, c, payload, prov, number, wtoken)
    steps.append((statement(store, "contrib.mark_accepted"), {
        "number": number, "token": wtoken, "reviewer": account.key, "reason": (reason or "").strip(),
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True), "amended": was_amended,
        "applied": json.dumps(applied, ensure_ascii=False, default=str),
        "source_id": "" if c["kind"].startswith("remove") else prov, "source_title": c["source"],
        "date": at[:10], "at": at}))
    run_guarded(store, steps, number, words)
    return contribution(store, number)

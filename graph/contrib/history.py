"""The history of a node (its accepted contributions) and the revert of one of them.

:func:`history` lists, oldest first, the accepted (and reverted) contributions that
touched a node: what changed, from which source, when. Who proposed and who
reviewed are opaque account keys in the store; only an editor's session sees
their organisations (:func:`history` with an editor's token), a reader never.

:func:`revert` takes an accepted contribution back — as ``maillage merge --undo``
does for a merge — in one unit of writes guarded like an accept: a new node is
deleted (if nothing was added to it since), a correction's old values are put
back (if they are still the corrected ones: else a conflict names what changed),
a removed node is recreated with its labels and the relations whose other end
still exists, a relation put back or taken away. The contribution is marked
``reverted`` with who, when and why, and its Source node deleted.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from graph import model
from graph.contrib.accounts import current, organisation_of, require
from graph.contrib.proposals import node_of, refuse_personal_data
from graph.contrib.review import link_steps, node_relations, statement, contribution, decode, run_guarded
from graph.errors import ParameterError
from graph.store import GraphStore


def history(store: GraphStore, node_id: str, token: str | None = None) -> list[dict]:
    """The accepted and reverted contributions of ``node_id``, oldest first.

    Proposer and reviewer are left out unless ``token`` is an editor's session, which
    sees their organisations (``proposer_org``, ``reviewer_org``)."""
    account = current(store, token)
    editor = account is not None and account.may("editor")
    out = []
    for row in store.query("contrib.history", id=node_id).to_dict("records"):
        c = decode(row)
        keys = {k: c.pop(k, None) for k in ("proposer", "reviewer", "reverted_by")}
        if editor:
            c["proposer_org"] = organisation_of(store, keys["proposer"] or "")
            c["reviewer_org"] = organisation_of(store, keys["reviewer"] or "")
        out.append(c)
    return out


def _later(store: GraphStore, c: dict) -> list[int]:
    """Accepted contributions after ``c`` that touched one of its nodes (to revert first)."""
    later = set()
    for node_id in c["touches"]:
        if model.label_for_id(node_id) == model.TERRITORY:
            continue
        for row in store.query("contrib.history", id=node_id).to_dict("records"):
            if row["status"] == "accepted" and int(row["number"]) != c["number"] and \
                    str(row["reviewed_at"]) >= str(c["reviewed_at"]):
                later.add(int(row["number"]))
    return sorted(later)


def plan_revert(store: GraphStore, c: dict, number: int, wtoken: str) -> tuple[list[tuple[str, dict]], str]:
    """The guarded steps that take accepted contribution ``c`` back, and the conflict's words."""
    guard = {"number": number, "expected": "accepted", "token": wtoken}
    kind, applied, label = c["kind"], c["applied"], c["label"]
    if kind == "add_node":
        node = node_of(store, c["target"])
        degree = len(node_relations(store, c["target"]))
        if degree != int(applied.get("relations") or 0):
            raise ParameterError(f"{c['target']} a reçu d'autres relations depuis sa création ({degree}) : "
                                 "retirez-les d'abord, ou proposez sa suppression")
        return ([(statement(store, "contrib.delete_node", LABEL=label),
                  {**guard, "id": c["target"], "props": node["properties"], "degree": degree})],
                f"{c['target']} a changé pendant l'annulation")
    if kind == "correct":
        after, before = applied["after"], applied["before"]
        return ([(statement(store, "contrib.set_props", LABEL=label),
                  {**guard, "id": c["target"], "before": after, "props": before})],
                f"les valeurs corrigées de {c['target']} ont changé depuis : annulez d'abord ces changements")
    if kind == "remove_node":
        labels, props = list(applied["labels"]), dict(applied["properties"])
        props.pop("id", None)
        present = _present(store, {r["source_id"] for r in applied["relations"]}
                           | {r["target_id"] for r in applied["relations"]})
        kept = [r for r in applied["relations"]
                if {r["source_id"], r["target_id"]} - {c["target"]} <= present]
        steps = [(statement(store, "contrib.put_node", LABEL=label), {**guard, "id": c["target"], "props": props})]
        steps += [(statement(store, "contrib.extra_label", LABEL=label, EXTRA=x),
                   {"number": number, "token": wtoken, "id": c["target"]}) for x in labels if x != label]
        steps += link_steps(store, number, wtoken, kept)
        return steps, f"une fiche {c['target']} existe de nouveau"
    [r] = applied["relations"]
    names = {"SRC": r["src"], "TYPE": r["type"], "DST": r["dst"]}
    ends = {"source_id": r["source_id"], "target_id": r["target_id"], "key": str(r["properties"].get("key") or "")}
    if kind == "add_relation":
        return ([(statement(store, "contrib.delete_relation", **names), {**guard, **ends})],
                f"la relation {c['target']} n'est plus dans la base")
    props = {k: v for k, v in r["properties"].items() if k != "key"}
    return ([(statement(store, "contrib.put_relation", **names), {**guard, **ends, "props": props})],
            f"la relation {c['target']} existe de nouveau, ou une de ses extrémités a disparu")


def _present(store: GraphStore, ids: set[str]) -> set[str]:
    from graph.reading import known_ids_in

    known = known_ids_in(store)
    by_label: dict[str, list[str]] = {}
    for i in ids:
        by_label.setdefault(model.label_for_id(i), []).append(i)
    return {i for lab, group in by_label.items() for i in known(lab, group)}


def revert(store: GraphStore, token: str | None, number: int, reason: str) -> dict:
    """Take accepted contribution ``number`` back (editor role); return it, now ``reverted``.

    Raises ParameterError when a later accepted contribution touched the same node (revert
    it first), Conflict when the graph changed in a way the revert cannot take back."""
    account = require(store, token, "editor")
    number = int(number)
    if not (reason or "").strip():
        raise ParameterError("une annulation donne sa raison")
    refuse_personal_data({"reason": reason})
    c = contribution(store, number)
    if c["status"] != "accepted":
        raise ParameterError(f"la contribution n° {number} n'est pas acceptée (elle est {c['status']}) : "
                             "seule une contribution acceptée s'annule")
    later = _later(store, c)
    if later:
        raise ParameterError(f"la contribution n° {number} a été suivie de {', '.join(map(str, later))} sur "
                             f"les mêmes fiches : annulez d'abord la contribution n° {later[-1]} "
                             f"(maillage revert {later[-1]})")
    wtoken = secrets.token_hex(8)
    steps, words = plan_revert(store, c, number, wtoken)
    steps.append((statement(store, "contrib.mark_reverted"), {
        "number": number, "token": wtoken, "reviewer": account.key, "reason": reason.strip(),
        "source_id": f"source:contribution-{number}",
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
    run_guarded(store, steps, number, words)
    return contribution(store, number)

"""A proposal in words: its one-line summary, what it changes (before, after), a value as a
form field holds it. Shared by the Contribuer page and the node cards (:mod:`app.components.contrib`)."""

from __future__ import annotations

from app.i18n import t, vocab
from graph import model


def show(value) -> str:
    """A property value in words ("—" when absent)."""
    if value is None or value == "" or value == []:
        return t("none")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_text(value) -> str:
    """A value as a form field holds it (lists joined with ``|``)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return model.LIST_SEPARATOR.join(str(v) for v in value)
    return show(value) if value != "" else ""


def _kind_label(c: dict) -> str:
    try:
        return c.get("label") or model.label_for_id(c["target"])
    except ValueError:
        return ""


def changes(c: dict) -> list[dict]:
    """What a proposal changes: rows property, before, after (in words)."""
    p, kind = c["payload"], c["kind"]

    def prop(k):
        return t("prop." + k)

    if kind == "add_node":
        rows = [(prop(k), None, v) for k, v in (p.get("props") or {}).items()]
        if p.get("seat"):
            rows.append((t("c.seat_prop"), None, p["seat"]))
    elif kind == "correct":
        rows = [(prop(k), (c.get("before") or {}).get(k), v) for k, v in (p.get("props") or {}).items()]
    elif kind == "remove_node":
        rows = [(prop("name"), p.get("name"), None)]
    else:
        rel = f"{p.get('source_id')} {vocab('rel', p.get('type'))} {p.get('target_id')}"
        rows = [(t("c.rel_type"), None, rel) if kind == "add_relation" else (t("c.rel_type"), rel, None)]
        rows += [(prop(k), None, v) for k, v in (p.get("props") or {}).items()]
    return [{t("col.property"): k, t("col.before"): show(b), t("col.after"): show(a)} for k, b, a in rows]


def summary(c: dict) -> str:
    """A proposal in one line: the new node's name, the corrected properties, the relation."""
    p, kind = c["payload"], c["kind"]
    if kind == "add_node":
        return f"{vocab('label', _kind_label(c))} « {(p.get('props') or {}).get('name', '')} »"
    if kind == "correct":
        return f"{c['target']} : " + " ; ".join(
            f"{t('prop.' + k)} {show((c.get('before') or {}).get(k))} → {show(v)}" for k, v in p["props"].items())
    if kind == "remove_node":
        return t("c.removal_of", name=f"« {p.get('name') or c['target']} » ({c['target']})")
    return f"{p.get('source_id')} {vocab('rel', p.get('type'))} {p.get('target_id')}"

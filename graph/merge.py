"""Merging two nodes of one organisation, recorded so that it can be undone.

``maillage merge A B`` keeps ``A`` and merges ``B`` into it:

- ``A``'s values win; ``B`` fills the properties ``A`` lacks; list properties
  (``functions``, ``stages``, ``sources``…) are united; ``origins`` (JSON, property
  → source) keeps both nodes' provenance; ``B``'s second labels go to ``A``;
- every relationship of ``B`` is moved to ``A`` (one already held by ``A`` with
  the same type, key and other end is not doubled; one between ``A`` and ``B``
  would become a loop and is dropped);
- ``B`` is deleted.

Two nodes that carry different SIRENs or RNA numbers are never merged, nor
territories (the reference), nor nodes of different labels.

Everything needed to undo it is recorded on ``A`` itself, so that it travels
with the graph on either backend: ``merged_from`` lists the ids merged into
``A`` and ``merge_log`` (a JSON list, newest last) holds, for each merge, ``B``'s
labels, properties and relationships, the properties of ``A`` it changed (with
their old values), the labels and relationships it added to ``A``. ``maillage
merge --undo B`` takes the newest merge back: it removes what was added to
``A``, puts back ``A``'s old values (unless they were changed since, which is
reported), recreates ``B`` with its relationships, and drops the log entry.

:func:`plan_merge` is pure (nodes and relationships in, a :class:`MergePlan`
out); :func:`merge_nodes` and :func:`undo_merge` read and write the store
through library queries only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from graph import model
from graph.errors import ParameterError
from graph.store import GraphStore

#: properties a merge never copies from B (identity and bookkeeping)
_OWN = ("id", "merged_from", "merge_log")
#: properties read as a JSON object
_JSON_MAPS = ("origins",)


@dataclass
class Relation:
    """One relationship seen from a node: ``direction`` 'out' or 'in', ``other`` end's id."""

    direction: str
    type: str
    other: str
    properties: dict

    @property
    def key(self) -> str:
        return str(self.properties.get("key") or "")

    def ident(self) -> tuple[str, str, str, str]:
        return (self.direction, self.type, self.other, self.key)

    def as_dict(self) -> dict:
        return {"direction": self.direction, "type": self.type, "other": self.other,
                "properties": self.properties}


@dataclass
class MergePlan:
    """What merging ``b`` into ``a`` changes (see the module docstring)."""

    a: str
    b: str
    label: str
    set_props: dict = field(default_factory=dict)       # key -> new value on A
    old_props: dict = field(default_factory=dict)       # key -> A's value before (None: absent)
    kept: dict = field(default_factory=dict)            # key -> (A's value kept, B's value dropped)
    add_labels: list = field(default_factory=list)
    moved: list = field(default_factory=list)           # Relations added to A
    already: list = field(default_factory=list)         # B's relations A already had
    dropped: list = field(default_factory=list)         # relations between A and B
    b_labels: list = field(default_factory=list)
    b_props: dict = field(default_factory=dict)
    b_relations: list = field(default_factory=list)

    def log_entry(self, at: str) -> dict:
        return {"id": self.b, "at": at, "labels": self.b_labels, "properties": self.b_props,
                "relations": [r.as_dict() for r in self.b_relations],
                "changed": {k: [self.old_props.get(k), v] for k, v in self.set_props.items()},
                "added_labels": self.add_labels, "added_relations": [r.as_dict() for r in self.moved]}

    def summary(self) -> str:
        return (f"{self.b} fusionné dans {self.a} : {len(self.set_props)} propriété(s) complétée(s), "
                f"{len(self.moved)} relation(s) déplacée(s), {len(self.already)} déjà présente(s), "
                f"{len(self.dropped)} entre les deux supprimée(s)")


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _json_map(value) -> dict:
    try:
        out = json.loads(value) if isinstance(value, str) else (value or {})
        return dict(out)
    except (ValueError, TypeError):
        return {}


def plan_merge(a: dict, b: dict, a_relations: list[Relation], b_relations: list[Relation]) -> MergePlan:
    """The merge of node ``b`` into node ``a`` (each ``{"id", "labels", "properties"}``).

    Raises ParameterError when the two may not be merged.

    Examples
    --------
    >>> a = {"id": "structure:a", "labels": ["Structure"],
    ...      "properties": {"id": "structure:a", "name": "Le Relais", "sources": ["source:x"]}}
    >>> b = {"id": "structure:b", "labels": ["Structure"],
    ...      "properties": {"id": "structure:b", "name": "LE RELAIS", "siren": "123456789",
    ...                     "sources": ["source:y"]}}
    >>> p = plan_merge(a, b, [], [Relation("out", "LOCATED_IN", "commune:44109", {"key": ""})])
    >>> p.set_props == {"siren": "123456789", "sources": ["source:x", "source:y"]}
    True
    >>> [r.other for r in p.moved], p.kept
    (['commune:44109'], {'name': ('Le Relais', 'LE RELAIS')})
    """
    from graph.identifiers import conflict

    a_id, b_id = a["id"], b["id"]
    if a_id == b_id:
        raise ParameterError(f"{a_id} : un nœud ne peut être fusionné avec lui-même")
    label = model.label_for_id(a_id)
    if label != model.label_for_id(b_id):
        raise ParameterError(f"{a_id} et {b_id} n'ont pas le même type ({label} / "
                             f"{model.label_for_id(b_id)}) : ils ne peuvent être fusionnés")
    if label == model.TERRITORY:
        raise ParameterError("les territoires viennent du référentiel et ne se fusionnent pas")
    pa, pb = a["properties"], b["properties"]
    why = conflict(pa, pb)
    if why:
        raise ParameterError(f"{a_id} et {b_id} ne peuvent être fusionnés : {why}")
    plan = MergePlan(a_id, b_id, label, b_labels=list(b["labels"]), b_props=dict(pb),
                     b_relations=list(b_relations))
    for k, vb in pb.items():
        if k in _OWN or _empty(vb):
            continue
        va = pa.get(k)
        if k in _JSON_MAPS:
            ma, mb = _json_map(va), _json_map(vb)
            united = {**mb, **ma}
            if united != ma:
                plan.set_props[k] = json.dumps(united, ensure_ascii=False, sort_keys=True)
        elif isinstance(vb, list):
            base = va if isinstance(va, list) else ([] if _empty(va) else [va])
            united = base + [x for x in vb if x not in base]
            if united != va:
                plan.set_props[k] = united
        elif _empty(va):
            plan.set_props[k] = vb
        elif va != vb:
            plan.kept[k] = (va, vb)
    plan.old_props = {k: pa.get(k) for k in plan.set_props}
    plan.add_labels = [lab for lab in b["labels"] if lab not in a["labels"]]
    held = {r.ident() for r in a_relations}
    for r in b_relations:
        if r.other in (a_id, b_id):
            plan.dropped.append(r)
        elif r.ident() in held:
            plan.already.append(r)
        else:
            held.add(r.ident())
            plan.moved.append(r)
    return plan


# --- reading and writing the store ---------------------------------------------------------

def _node(store: GraphStore, node_id: str) -> dict:
    df = store.query("explore.node", id=node_id)
    if df.empty:
        raise ParameterError(f"aucun nœud d'identifiant {node_id} dans la base")
    row = df.iloc[0]
    return {"id": row["id"], "labels": list(row["labels"]), "properties": dict(row["properties"])}


def _relations(store: GraphStore, node_id: str) -> list[Relation]:
    df = store.query("admin.relations_of", id=node_id)
    return [Relation(r.direction, r.type, r.other, dict(r.properties or {})) for r in df.itertuples()]


def _template(store: GraphStore, name: str, **names) -> str:
    from queries import library

    return library().get(name, backend=store.backend).render(**names)


def _write_relations(store: GraphStore, node_id: str, relations: list[Relation], query: str) -> int:
    """Create (``upsert.relation``) or delete (``admin.delete_relations``) ``relations`` of ``node_id``."""
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for r in relations:
        src, dst = (node_id, r.other) if r.direction == "out" else (r.other, node_id)
        props = {k: v for k, v in r.properties.items() if k not in ("key", "sources")}
        row = {"source_id": src, "target_id": dst, "key": r.key, "props": props,
               "sources": list(r.properties.get("sources") or [])}
        groups.setdefault((model.label_for_id(src), r.type, model.label_for_id(dst)), []).append(row)
    n = 0
    for (src, typ, dst), rows in groups.items():
        n += store.write_rows(_template(store, query, SRC=src, TYPE=typ, DST=dst), rows)
    return n


def _set_props(store: GraphStore, label: str, node_id: str, props: dict) -> None:
    if props:
        store.write_rows(_template(store, "upsert.properties", LABEL=label), [{"id": node_id, "props": props}])


def _labels(store: GraphStore, label: str, node_id: str, extra: list[str], query: str) -> None:
    for lab in extra:
        if lab != label:
            store.write_rows(_template(store, query, LABEL=label, EXTRA=lab), [{"id": node_id}])


def _log(props: dict) -> list[dict]:
    try:
        return list(json.loads(props.get("merge_log") or "[]"))
    except ValueError:
        return []


def merge_nodes(store: GraphStore, a_id: str, b_id: str, *, dry_run: bool = False) -> MergePlan:
    """Merge node ``b_id`` into node ``a_id`` in ``store`` and record it on ``a_id`` (see module docstring)."""
    a, b = _node(store, a_id), _node(store, b_id)
    plan = plan_merge(a, b, _relations(store, a_id), _relations(store, b_id))
    if dry_run:
        return plan
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    log = _log(a["properties"]) + [plan.log_entry(at)]
    merged = list(a["properties"].get("merged_from") or [])
    _write_relations(store, a_id, plan.moved, "upsert.relation")
    _labels(store, plan.label, a_id, plan.add_labels, "upsert.extra_label")
    _set_props(store, plan.label, a_id, {**plan.set_props, "merged_from": merged + [b_id],
                                         "merge_log": json.dumps(log, ensure_ascii=False, default=str)})
    store.write_rows(_template(store, "admin.delete_nodes", LABEL=plan.label), [{"id": b_id}])
    return plan


@dataclass
class UndoResult:
    a: str
    b: str
    restored_relations: int
    missing_ends: list = field(default_factory=list)   # relations whose other end is gone
    changed_since: dict = field(default_factory=dict)  # key -> value kept (changed after the merge)

    def summary(self) -> str:
        text = f"{self.b} recréé à partir de {self.a} : {self.restored_relations} relation(s) rétablie(s)"
        if self.missing_ends:
            text += f", {len(self.missing_ends)} non rétablie(s) (autre extrémité disparue)"
        return text


def holder_of(store: GraphStore, b_id: str) -> str:
    """The id of the node ``b_id`` was merged into; ParameterError if none."""
    df = store.query("admin.merged_into", id=b_id)
    if df.empty:
        raise ParameterError(f"aucune fusion enregistrée pour {b_id} (maillage merge A {b_id} l'aurait notée)")
    return str(df.iloc[0]["id"])


def undo_merge(store: GraphStore, b_id: str) -> UndoResult:
    """Take back the merge of ``b_id``: it must be the newest merge recorded on its node."""
    a_id = holder_of(store, b_id)
    a = _node(store, a_id)
    log = _log(a["properties"])
    if not log or log[-1]["id"] != b_id:
        newer = log[-1]["id"] if log else "?"
        raise ParameterError(f"{b_id} n'est pas la dernière fusion de {a_id} : annulez d'abord "
                             f"maillage merge --undo {newer}")
    entry = log[-1]
    try:
        _node(store, b_id)
    except ParameterError:
        pass
    else:
        raise ParameterError(f"{b_id} existe de nouveau dans la base (rechargé depuis ?) : fusionnez-le "
                             f"d'abord (maillage merge {a_id} {b_id}) puis annulez")
    label = model.label_for_id(a_id)
    added = [Relation(**r) for r in entry["added_relations"]]
    _write_relations(store, a_id, added, "admin.delete_relations")
    _labels(store, label, a_id, entry["added_labels"], "admin.remove_label")
    restore, changed_since = {}, {}
    for k, (old, new) in entry["changed"].items():
        now = a["properties"].get(k)
        if now == new or (now is None and new is None):
            restore[k] = old
        else:
            changed_since[k] = now
    merged = [x for x in (a["properties"].get("merged_from") or []) if x != b_id]
    restore["merged_from"] = merged or None
    restore["merge_log"] = json.dumps(log[:-1], ensure_ascii=False, default=str) if log[:-1] else None
    props = dict(entry["properties"])
    sources = list(props.pop("sources", None) or [])
    props.pop("id", None)
    store.write_rows(_template(store, "upsert.node", LABEL=label),
                     [{"id": b_id, "props": props, "sources": sources}])
    _labels(store, label, b_id, entry["labels"], "upsert.extra_label")
    relations = [Relation(**r) for r in entry["relations"]]
    present = set(_existing_ids(store, {r.other for r in relations} - {a_id}))
    ok = [r for r in relations if r.other in present or r.other == a_id]
    missing = [r for r in relations if r not in ok]
    _write_relations(store, b_id, ok, "upsert.relation")
    _set_props(store, label, a_id, restore)
    return UndoResult(a_id, b_id, len(ok), missing, changed_since)


def _existing_ids(store: GraphStore, ids: set[str]) -> list[str]:
    from graph.reading import known_ids_in

    known = known_ids_in(store)
    by_label: dict[str, list[str]] = {}
    for i in ids:
        by_label.setdefault(model.label_for_id(i), []).append(i)
    return [i for lab, group in by_label.items() for i in known(lab, group)]

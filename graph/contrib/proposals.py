"""Proposals: a contributor's change of the base, checked and queued for review.

Five kinds, each checked against the graph model as a bundle row would be
(:mod:`loaders.cells`: types, vocabularies; the typed relations of
:data:`graph.model.RELATIONSHIPS`):

============================  ==================================================
``add_node``                  a new structure, network, funder, place, initiative
                              or event, with its properties and its seat commune
``add_relation``              a relation between two existing nodes, with its
                              dates, role or kind
``correct``                   new values of some properties of a node (the values
                              they replace are recorded: an accept checks them)
``remove_node``               a node to delete, with its relations
``remove_relation``           one relation to delete
============================  ==================================================

Every proposal names its source (a document, a URL, or "connaissance directe
de <organisation>") and holds no e-mail address or phone number
(:func:`loaders.tables.personal_data_in`): such a proposal is refused with the
reason. :func:`propose` checks the proposer's role in the store at the moment
it writes (:func:`graph.contrib.accounts.require`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from graph import model
from graph.contrib.accounts import Account, require
from graph.errors import ParameterError
from graph.store import GraphStore

KINDS = ("add_node", "add_relation", "correct", "remove_node", "remove_relation")
#: the labels a contributor may add (territories and sectors come from the references)
NEW_LABELS = (model.STRUCTURE, model.NETWORK, model.FUNDER, model.PLACE, model.INITIATIVE, model.EVENT)
SOURCE_KINDS = ("document", "url", "direct")
#: bundle columns a proposal never sets (identity and provenance are the review's)
_NOT_PROPOSED = ("id", "sources", "origins", "extra_labels")
_RELATION_ENDS = ("source_id", "type", "target_id", "sources")


@dataclass
class Proposal:
    """A change before it is recorded: see the module docstring for ``kind``."""

    kind: str
    source: str
    label: str = ""
    target: str = ""                 # node id (correct, remove_node); "" for a new node
    props: dict = field(default_factory=dict)
    seat: str = ""                   # add_node: the commune id of its seat
    rel_type: str = ""
    source_id: str = ""
    target_id: str = ""
    key: str = ""                    # remove_relation: the relation's key
    comment: str = ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def relation_key(props: dict) -> str:
    """The key a load gives a relation (its ``year``, else its ``since``; loaders.bundle)."""
    value = props.get("year", props.get("since", ""))
    return "" if value is None else str(value)


def source_text(kind: str, text: str, account: Account) -> str:
    """The source a proposal names: a document's title, a URL, or « connaissance directe de <org> »."""
    text = (text or "").strip()
    if kind not in SOURCE_KINDS:
        raise ParameterError(f"type de source {kind!r} inconnu (attendu : {', '.join(SOURCE_KINDS)})")
    if kind == "direct":
        return text or f"connaissance directe de {account.organisation}"
    if not text:
        raise ParameterError("source manquante : nommez le document ou l'adresse (URL) qui l'établit")
    if kind == "url" and not text.lower().startswith(("http://", "https://")):
        raise ParameterError(f"adresse {text!r} : une URL commence par http:// ou https://")
    return text


def refuse_personal_data(values: dict) -> None:
    """ParameterError naming the field if a value holds an e-mail address or a phone number."""
    from loaders.tables import IDENTIFIER_COLUMNS, personal_data_in, personal_data_in_identifier

    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if not isinstance(item, str):
                continue
            check = personal_data_in_identifier if name in IDENTIFIER_COLUMNS or name.endswith("id") else personal_data_in
            found = check(item)
            if found:
                raise ParameterError(f"proposition refusée : le champ {name} contient une donnée personnelle ({found}) ; "
                                     "maillage décrit des organisations, jamais des personnes")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return model.LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def typed_props(label: str, props: dict, *, clearing: bool = False) -> dict:
    """``props`` checked and typed against the label's bundle columns; ParameterError with the reason.

    With ``clearing``, an empty value stands for "remove this property" (None)."""
    from loaders.cells import convert

    spec = model.NODE_FILE_BY_LABEL[label]
    columns = {c.name: c for c in spec.columns if c.name not in _NOT_PROPOSED}
    out = {}
    for name, value in props.items():
        if name not in columns:
            raise ParameterError(f"propriété {name!r} inconnue pour {label} "
                                 f"(attendu : {', '.join(columns)})")
        text = _text(value)
        if not text:
            if columns[name].required:
                raise ParameterError(f"{name} est obligatoire pour {label}")
            if clearing:
                out[name] = None
            continue
        try:
            out[name] = convert(text, columns[name])
        except ValueError as err:
            raise ParameterError(f"{name} : {err}") from None
    return out


def typed_relation_props(rel_type: str, props: dict) -> dict:
    from loaders.cells import convert

    allowed = model.RELATIONSHIPS[rel_type][2]
    columns = {c.name: c for c in model.RELATION_COLUMNS if c.name not in _RELATION_ENDS}
    out = {}
    for name, value in props.items():
        text = _text(value)
        if not text:
            continue
        if name not in allowed:
            raise ParameterError(f"propriété {name!r} sans objet pour {rel_type} "
                                 f"(attendu : {', '.join(allowed) or 'aucune'})")
        vocab = model.RELATION_VOCABULARIES.get((rel_type, name))
        if vocab and text not in vocab:
            raise ParameterError(f"{name} : valeur inconnue {text!r} pour {rel_type} (attendu : {', '.join(vocab)})")
        try:
            out[name] = convert(text, columns[name])
        except ValueError as err:
            raise ParameterError(f"{name} : {err}") from None
    return out


def node_of(store: GraphStore, node_id: str) -> dict:
    """``{"id", "labels", "properties"}`` of a node, ParameterError if there is none."""
    try:
        df = store.query("explore.node", id=node_id)
    except ParameterError:
        df = None
    if df is None or df.empty:
        raise ParameterError(f"aucune fiche d'identifiant {node_id!r} dans la base")
    row = df.iloc[0]
    return {"id": row["id"], "labels": list(row["labels"]), "properties": dict(row["properties"])}


def relations_between(store: GraphStore, rel_type: str, source_id: str, target_id: str,
                      key: str | None = None) -> list[dict]:
    """The properties of every relation ``source -[rel_type]-> target`` (with ``key`` only, if given)."""
    df = store.query("admin.relations_of", id=source_id)
    found = []
    for r in df.itertuples():
        props = dict(r.properties or {})
        if (r.direction == "out" and r.type == rel_type and r.other == target_id
                and (key is None or str(props.get("key") or "") == key)):
            found.append(props)
    return found


def relation_of(store: GraphStore, rel_type: str, source_id: str, target_id: str, key: str | None = None) -> dict | None:
    """The relation ``source -[rel_type]-> target`` (with ``key``, or the first one), or None."""
    found = relations_between(store, rel_type, source_id, target_id, key)
    return found[0] if found else None


def new_id(store: GraphStore, label: str, name: str) -> str:
    """``structure:<slug of name>``, with ``-2``, ``-3``… when taken."""
    from graph.reading import known_ids_in
    from loaders.opendata.common import slug

    base = f"{model.ID_PREFIXES[label]}:{slug(name)}"
    candidates = [base] + [f"{base}-{i}" for i in range(2, 50)]
    taken = known_ids_in(store)(label, candidates)
    for c in candidates:
        if c not in taken:
            return c
    raise ParameterError(f"trop de fiches nommées {name!r} : donnez un nom plus précis")


def _check_relation(store: GraphStore, rel_type: str, source_id: str, target_id: str) -> tuple[str, str]:
    if rel_type not in model.RELATIONSHIPS:
        raise ParameterError(f"type de relation {rel_type!r} inconnu (attendu : {', '.join(model.REL_TYPES)})")
    if source_id == target_id:
        raise ParameterError("une relation ne peut relier une fiche à elle-même")
    srcs, dsts, _ = model.RELATIONSHIPS[rel_type]
    a, b = node_of(store, source_id), node_of(store, target_id)
    src = next((lab for lab in a["labels"] if lab in srcs), None)
    dst = next((lab for lab in b["labels"] if lab in dsts), None)
    if src is None or dst is None:
        raise ParameterError(f"{rel_type} relie {'/'.join(srcs)} à {'/'.join(dsts)} : "
                             f"{source_id} → {target_id} ne convient pas")
    return src, dst


def prepare(store: GraphStore, p: Proposal, account: Account) -> dict:
    """The params of ``contrib.propose`` for ``p``, checked; ParameterError with the reason."""
    if p.kind not in KINDS:
        raise ParameterError(f"type de proposition {p.kind!r} inconnu (attendu : {', '.join(KINDS)})")
    refuse_personal_data({"source": p.source, "comment": p.comment, **p.props})
    label, target, touches, payload, before = p.label, p.target, [], {}, {}
    if p.kind == "add_node":
        if label not in NEW_LABELS:
            raise ParameterError(f"on ne peut proposer que {', '.join(NEW_LABELS)} (pas {label!r})")
        props = typed_props(label, p.props)
        if not props.get("name"):
            raise ParameterError("name est obligatoire")
        if p.seat:
            node_of(store, p.seat)
            if model.label_for_id(p.seat) != model.TERRITORY:
                raise ParameterError(f"{p.seat} n'est pas un territoire (commune:44109 par exemple)")
        target = new_id(store, label, props["name"])
        touches, payload = [target] + ([p.seat] if p.seat else []), {"props": props, "seat": p.seat}
    elif p.kind in ("correct", "remove_node"):
        node = node_of(store, target)
        label = model.label_for_id(target)
        if label == model.TERRITORY:
            raise ParameterError("les territoires viennent du référentiel officiel : ils ne se corrigent pas ici")
        touches = [target]
        if p.kind == "correct":
            props = typed_props(label, p.props, clearing=True)
            current = node["properties"]
            props = {k: v for k, v in props.items() if current.get(k) != v}
            if not props:
                raise ParameterError("rien à corriger : les valeurs proposées sont celles de la base")
            payload, before = {"props": props}, {k: current.get(k) for k in props}
        else:
            payload = {"name": node["properties"].get("name", "")}
    else:
        src, dst = _check_relation(store, p.rel_type, p.source_id, p.target_id)
        props = typed_relation_props(p.rel_type, p.props) if p.kind == "add_relation" else {}
        key = relation_key(props) if p.kind == "add_relation" else p.key
        if p.kind == "add_relation" and relation_of(store, p.rel_type, p.source_id, p.target_id, key) is not None:
            raise ParameterError(f"{p.source_id} {p.rel_type} {p.target_id} est déjà dans la base")
        if p.kind == "remove_relation":
            found = relations_between(store, p.rel_type, p.source_id, p.target_id, p.key or None)
            if not found:
                raise ParameterError(f"aucune relation {p.source_id} {p.rel_type} {p.target_id}"
                                     + (f" de clé {p.key}" if p.key else "") + " dans la base")
            if len(found) > 1:  # one of several (a funding per year): never the first one by chance
                keys = ", ".join(sorted(str(r.get("key") or "") for r in found))
                raise ParameterError(f"{len(found)} relations {p.source_id} {p.rel_type} {p.target_id} : "
                                     f"précisez laquelle par sa clé ({keys})")
            key = str(found[0].get("key") or "")
        label, target, touches = "", f"{p.source_id} {p.rel_type} {p.target_id}", [p.source_id, p.target_id]
        payload = {"type": p.rel_type, "source_id": p.source_id, "target_id": p.target_id, "src": src,
                   "dst": dst, "key": key, "props": props}
    return {"kind": p.kind, "label": label, "target": target, "touches": touches,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
            "before": json.dumps(before, ensure_ascii=False, sort_keys=True),
            "source": p.source.strip(), "comment": (p.comment or "").strip(), "proposer": account.key,
            "at": _now()}


def propose(store: GraphStore, token: str | None, p: Proposal, *, source_kind: str = "document") -> int:
    """Record proposal ``p`` for review and return its number (contributor role at least)."""
    account = require(store, token, "contributor")
    p.source = source_text(source_kind, p.source, account)
    params = prepare(store, p, account)
    df = store.query_derived("contrib.propose", **params)
    return int(df.iloc[0]["number"])

"""The consistency report of a knowledge base: what a careful reader of its bundles would flag.

:func:`check` runs every check on plain records, so that one set of rules serves
the bundles of a folder (``maillage check PATH``: :func:`records_of_bundles`, where
one id given different values by two bundles can still be seen) and the graph of a
store (``maillage check``: :func:`records_of_graph`). Each finding names the check,
the node or relation, and why, with where the fact comes from:

========================  ===================================================================
check                     finds
========================  ===================================================================
``conflict``              one id with different values of one property in two places
``orphan``                a node (not a territory or a source) in no relation at all
``duplicate_name``        two nodes of one kind with the same name in the same commune
``wrong_ends``            a relation whose type does not fit the kinds of its ends
``serves_unsourced``      a ``SERVES`` relation that cites no source
``initiative_status``     an initiative without a status (proposed, running, ended)
========================  ===================================================================
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from graph import model

CHECKS = ("conflict", "orphan", "duplicate_name", "wrong_ends", "serves_unsourced", "initiative_status")
#: properties two records of one node may well differ on (each bundle cites its own sources)
_NOT_COMPARED = ("sources", "origins", "merged_from", "merge_log")


@dataclass(frozen=True)
class Finding:
    check: str
    id: str
    detail: str
    where: str = ""


def _name_key(name) -> str:
    from loaders.opendata.identity import normalise_name

    return normalise_name(str(name or ""))


def check(nodes: list[dict], relations: list[dict]) -> list[Finding]:
    """Every finding on ``nodes`` (``{"id", "label", "props", "where"}``, one record per
    place a node is given: two bundles give two) and ``relations`` (``{"source", "type",
    "target", "props", "where"}``), by check then id."""
    found: list[Finding] = []
    by_id: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_id[n["id"]].append(n)
    for node_id, recs in sorted(by_id.items()):
        for prop in sorted({p for r in recs for p in r["props"]} - set(_NOT_COMPARED)):
            values = {}
            for r in recs:
                v = r["props"].get(prop)
                if v not in (None, "", []):
                    values.setdefault(repr(v), r)
            if len(values) > 1:
                said = " ≠ ".join(f"{v} ({r['where']})" for v, r in values.items())
                found.append(Finding("conflict", node_id, f"{prop} : {said}"))
    label_of = {i: recs[0]["label"] for i, recs in by_id.items()}
    labels_of = {i: set(recs[0].get("labels") or (recs[0]["label"],)) for i, recs in by_id.items()}
    linked = {r["source"] for r in relations} | {r["target"] for r in relations}
    for node_id, label in sorted(label_of.items()):
        if label not in (model.TERRITORY, model.SOURCE) and node_id not in linked:
            found.append(Finding("orphan", node_id, f"{label} sans aucune relation", by_id[node_id][0]["where"]))
    seat = defaultdict(set)
    for r in relations:
        if r["type"] == "LOCATED_IN" and str(r["target"]).startswith("commune:"):
            seat[r["source"]].add(r["target"])
    same: dict[tuple, set[str]] = defaultdict(set)
    for node_id, label in label_of.items():
        key = _name_key(by_id[node_id][0]["props"].get("name"))
        for commune in seat.get(node_id, ()):
            if key:
                same[(label, key, commune)].add(node_id)
    for (label, key, commune), ids in sorted(same.items()):
        if len(ids) > 1:
            found.append(Finding("duplicate_name", min(ids), f"{label} « {key} » dans {commune} : "
                                 + ", ".join(sorted(ids))))
    for r in relations:
        allowed = model.RELATIONSHIPS.get(r["type"])
        ends = [labels_of.get(x) or ({lab} if (lab := _prefix_label(x)) else set())
                for x in (r["source"], r["target"])]
        rel = f"{r['source']} -{r['type']}-> {r['target']}"
        if allowed is None:
            found.append(Finding("wrong_ends", rel, f"type de relation inconnu {r['type']}", r["where"]))
        elif any(end and not end & set(ok) for end, ok in zip(ends, allowed[:2])):
            found.append(Finding("wrong_ends", rel, f"{r['type']} va de {'/'.join(allowed[0])} vers "
                                 f"{'/'.join(allowed[1])}, pas de {'/'.join(sorted(ends[0]))} vers "
                                 f"{'/'.join(sorted(ends[1]))}", r["where"]))
        if r["type"] == "SERVES" and not r["props"].get("sources"):
            found.append(Finding("serves_unsourced", rel, "zone d'intervention sans source citée", r["where"]))
    for node_id, label in sorted(label_of.items()):
        if label == model.INITIATIVE and not any(r["props"].get("status") for r in by_id[node_id]):
            found.append(Finding("initiative_status", node_id, "initiative sans statut (proposed, running, "
                                 "ended)", by_id[node_id][0]["where"]))
    order = {c: i for i, c in enumerate(CHECKS)}
    return sorted(found, key=lambda f: (order[f.check], f.id, f.detail))


def _prefix_label(node_id: str) -> str | None:
    try:
        return model.label_for_id(node_id)
    except ValueError:
        return None


def records_of_bundles(path: Path | str) -> tuple[list[dict], list[dict]]:
    """The node and relation records of the bundle at ``path``, or of every bundle in the
    folder ``path`` (each sub-folder holding a ``relations.csv``), cells as written."""
    from loaders.bundle import read_bundle

    path = Path(path)
    folders = [path] if (path / model.RELATIONS_FILE).exists() or path.is_file() else sorted(
        p for p in path.iterdir() if p.is_dir() and (p / model.RELATIONS_FILE).exists())
    nodes, relations = [], []
    for folder in folders:
        for name, table in read_bundle(folder).items():
            where = f"{folder.name}/{name}"
            for row in table.rows:
                at = f"{where}:{row.get('_row', '?')}"
                props = {k: v for k, v in row.items() if not k.startswith("_") and v not in ("", None)}
                if name == model.RELATIONS_FILE:
                    relations.append({"source": props.pop("source_id", ""), "type": props.pop("type", ""),
                                      "target": props.pop("target_id", ""), "props": props, "where": at})
                elif name in model.NODE_FILE_BY_NAME:
                    label = model.NODE_FILE_BY_NAME[name].label
                    extra = [x for x in str(props.pop("extra_labels", "")).split(model.LIST_SEPARATOR) if x]
                    nodes.append({"id": props.pop("id", ""), "label": label, "labels": (label, *extra),
                                  "props": props, "where": at})
    return nodes, relations


def records_of_graph(G, serves_sources: dict[tuple[str, str], list] | None = None) -> tuple[list[dict], list[dict]]:
    """The node and relation records of a typed graph (:func:`graph.convert.typed_graph`, which
    keeps no relation's ``sources``: ``serves_sources`` gives those of the ``SERVES``)."""
    nodes, relations = [], []
    for n, d in G.nodes(data=True):
        labels = tuple(d.get("labels") or ())
        label = next((lab for lab in model.LABELS if lab in labels), labels[0] if labels else "")
        nodes.append({"id": n, "label": label, "labels": labels, "where": "graphe",
                      "props": {k: v for k, v in d.items() if k != "labels"}})
    for u, v, d in G.edges(data=True):
        props = {k: x for k, x in d.items() if k != "type"}
        if d.get("type") == "SERVES" and serves_sources is not None:
            props["sources"] = serves_sources.get((u, v))
        relations.append({"source": u, "type": d.get("type", ""), "target": v, "where": "graphe", "props": props})
    return nodes, relations


def records_of_store(store) -> tuple[list[dict], list[dict]]:
    """The records of a store's graph: its typed graph (a read copy when kept) and the sources
    of its ``SERVES`` relations (``queries/check/serves_sources``)."""
    from graph.convert import typed_graph
    from graph.reading import frame_records

    serves = {(r["source"], r["target"]): r["sources"]
              for r in frame_records(store.query("check.serves_sources"))}
    return records_of_graph(typed_graph(store), serves)

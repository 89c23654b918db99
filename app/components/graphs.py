"""Pure graph helpers of the app: ego networks, filters, query results.

Nothing here imports Streamlit or a store: functions take rows or NetworkX graphs
and return plain values, so they are tested directly.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from graph import model

ORG_LABELS = (model.STRUCTURE, model.NETWORK, model.FUNDER, model.PLACE)
#: relationship types shown in ego networks by default (territorial containment is left out)
EGO_TYPES = tuple(t for t in model.REL_TYPES if t != "PART_OF")


def labels_of(G, n) -> tuple[str, ...]:
    return tuple(G.nodes[n].get("labels") or ()) if n in G else ()


def ordered_labels(labels) -> tuple[str, ...]:
    """A node's labels in :data:`graph.model.LABELS` order (engines return them in their own order)."""
    rank = {lab: i for i, lab in enumerate(model.LABELS)}
    return tuple(sorted(labels or (), key=lambda lab: (rank.get(lab, len(rank)), lab)))


def main_label(labels) -> str:
    """The first of a node's labels in :data:`graph.model.LABELS` order."""
    labels = tuple(labels or ())
    return next((lab for lab in model.LABELS if lab in labels), labels[0] if labels else "")


def territories_of(G: nx.MultiDiGraph, n: str) -> set[str]:
    """Every territory ``n`` is seated in or serves, with all those containing them."""
    out: set[str] = set()
    todo = [v for _, v, d in G.out_edges(n, data=True) if d.get("type") in ("LOCATED_IN", "SERVES")]
    while todo:
        t = todo.pop()
        if t in out:
            continue
        out.add(t)
        todo.extend(v for _, v, d in G.out_edges(t, data=True) if d.get("type") == "PART_OF")
    return out


def sectors_of(G: nx.MultiDiGraph, n: str) -> set[str]:
    return {v for _, v, d in G.out_edges(n, data=True) if d.get("type") == "ACTIVE_IN"}


def select_structures(G: nx.MultiDiGraph, nodes, *, territory: str | None = None,
                      sector: str | None = None, legal_form: str | None = None) -> list[str]:
    """The ``nodes`` (structure ids) matching every filter given, sorted.

    ``territory``: seated in or serving it, a territory inside it, or one containing
    it (a regional network counts for each of its départements); ``sector``: active
    in it; ``legal_form``: exactly that form.
    """
    inside: set[str] | None = None
    if territory:
        inside = _below(G, territory)
    out = []
    for n in nodes:
        d = G.nodes[n] if n in G else {}
        if legal_form and d.get("legal_form") != legal_form:
            continue
        if sector and sector not in sectors_of(G, n):
            continue
        if inside is not None:
            mine = territories_of(G, n)
            if territory not in mine and not (mine & inside):
                continue
        out.append(n)
    return sorted(out)


def _below(G: nx.MultiDiGraph, territory: str) -> set[str]:
    """Territories inside ``territory`` that something is attached to (plus itself)."""
    attached = {v for _, v, d in G.edges(data=True) if d.get("type") in ("LOCATED_IN", "SERVES")}
    return {t for t in attached if t == territory or territory in _ancestors(G, t)}


def _ancestors(G: nx.MultiDiGraph, t: str) -> set[str]:
    out, todo = set(), [t]
    while todo:
        for _, v, d in G.out_edges(todo.pop(), data=True):
            if d.get("type") == "PART_OF" and v not in out:
                out.add(v)
                todo.append(v)
    return out


def looks_like_id(value) -> bool:
    """True for a string id with a known prefix (``structure:x``, ``commune:44109``)."""
    if not isinstance(value, str) or ":" not in value:
        return False
    try:
        model.label_for_id(value)
    except ValueError:
        return False
    return True


def result_graph(rows: list[dict], params: dict | None = None) -> nx.MultiDiGraph | None:
    """A graph of the ids a query returned, or None when it returned no ids.

    In each row, the values that are node ids become nodes (named by a ``name``
    column next to an ``id`` column when there is one); two or more ids in a row
    are linked in column order, labelled by a ``type`` column if present; a row
    with one id is linked to the id given as a parameter (``id``, ``network``…),
    if any.

    Examples
    --------
    >>> H = result_graph([{"type": "MEMBER_OF", "id": "structure:a", "name": "A"}],
    ...                  {"id": "network:n"})
    >>> sorted(H.nodes), [d["type"] for _, _, d in H.edges(data=True)]
    (['network:n', 'structure:a'], ['MEMBER_OF'])
    """
    anchor = next((v for v in (params or {}).values() if looks_like_id(v)), None)
    H = nx.MultiDiGraph()
    for row in rows:
        ids = [(k, v) for k, v in row.items() if looks_like_id(v)]
        if not ids:
            continue
        for k, v in ids:
            name = row.get("name") if k == "id" and row.get("name") else None
            if v not in H:
                H.add_node(v, name=name or v, labels=(model.label_for_id(v),))
            elif name:
                H.nodes[v]["name"] = name
        rtype = row.get("type") if isinstance(row.get("type"), str) else ""
        chain = [v for _, v in ids]
        if len(chain) == 1 and anchor and anchor != chain[0]:
            if anchor not in H:
                H.add_node(anchor, name=anchor, labels=(model.label_for_id(anchor),))
            chain = [anchor, chain[0]]
        for a, b in zip(chain, chain[1:]):
            if a != b:
                H.add_edge(a, b, type=rtype)
    return H if H.number_of_nodes() else None


def node_counts(rows: list[dict]) -> dict[str, int]:
    """``stats.labels`` rows as ``label -> count`` in model order."""
    found = {r["label"]: int(r["count"]) for r in rows}
    return {lab: found[lab] for lab in model.LABELS if lab in found}


def pivot_counts(rows: list[dict], labels=ORG_LABELS) -> list[dict]:
    """``app.counts_by_territory`` rows pivoted: one row per territory, a column per label.

    Sorted by the total of ``labels``, largest first, then name.
    """
    table: dict[str, dict] = {}
    for r in rows:
        entry = table.setdefault(r["id"], {"id": r["id"], "name": r["name"],
                                           **{lab: 0 for lab in labels}})
        if r["label"] in labels:
            entry[r["label"]] = int(r["count"])
    out = []
    for entry in table.values():
        entry["total"] = sum(entry[lab] for lab in labels)
        out.append(entry)
    out.sort(key=lambda e: (-e["total"], e["name"]))
    return out


def group_relations(count_rows: list[dict]) -> list[dict]:
    """``explore.neighbourhood_counts`` rows grouped by type: ``type``, ``count``,
    ``outgoing`` and ``incoming`` counts; largest groups first."""
    groups: dict[str, dict] = defaultdict(lambda: {"count": 0, "outgoing": 0, "incoming": 0})
    for r in count_rows:
        g = groups[r["type"]]
        g["count"] += int(r["count"])
        g["outgoing" if r["outgoing"] else "incoming"] += int(r["count"])
    return sorted(({"type": k, **v} for k, v in groups.items()), key=lambda g: (-g["count"], g["type"]))

"""Standard graph formats out: GraphML and GEXF (Gephi, igraph, yEd, Cytoscape), Kumu JSON.

Every function takes the typed graph of :func:`graph.convert.typed_graph`: a
``networkx.MultiDiGraph`` whose node keys are ids, with a ``labels`` tuple and
the node's properties as attributes, and whose edges are keyed by relationship
type and carry ``type`` and the relationship's properties. Nothing here reads a
store or writes anything but the file it is asked to write.

Attribute values are made portable first (:func:`portable_graph`): ``None`` is
dropped, lists and tuples are joined with ``|`` (the bundle's list separator),
and an attribute that holds values of several types across the graph is
written as text everywhere, so that one GraphML ``<key>`` has one type. The
node's ``name`` becomes its ``label`` (what Gephi and Kumu show) and the
``labels`` tuple becomes the text attribute ``labels`` (``Structure|Funder``).

:func:`neutralise_formula` protects CSV and XLSX cells from formula injection;
every CSV export of maillage passes its cells through it.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import networkx as nx

from graph import model

__all__ = ["neutralise_formula", "portable_graph", "to_graphml", "to_gexf", "to_kumu"]

#: first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_SEP = model.LIST_SEPARATOR


def neutralise_formula(value):
    """Return ``value`` made safe for a CSV or XLSX cell.

    A string starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    is prefixed with ``'`` so that a spreadsheet shows it as text instead of
    running it as a formula. Values that are not strings (numbers, None) are
    returned unchanged, and so are strings that are plain numbers (``"-1.55"``,
    ``"+33"``): a spreadsheet reads those as numbers, never as formulas, and a
    longitude exported as text must load back as the same longitude.

    Examples
    --------
    >>> neutralise_formula('=HYPERLINK("http://x", "clic")')
    '\\'=HYPERLINK("http://x", "clic")'
    >>> neutralise_formula("-1.5536"), neutralise_formula(-3), neutralise_formula("@SUM(A1)")
    ('-1.5536', -3, "'@SUM(A1)")
    """
    if not isinstance(value, str) or not value or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


def _scalar(value):
    """A GraphML/GEXF-writable value, or None to drop the attribute."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        text = _SEP.join(str(v) for v in items if v is not None and v != "")
        return text or None
    if isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if hasattr(value, "item"):  # numpy scalars
        return _scalar(value.item())
    return str(value)


def _unify_types(items: list[dict]) -> None:
    """Make each attribute name hold one type across ``items`` (in place)."""
    kinds: dict[str, set[type]] = {}
    for data in items:
        for k, v in data.items():
            kinds.setdefault(k, set()).add(bool if isinstance(v, bool) else type(v))
    for k, types in kinds.items():
        if len(types) <= 1:
            continue
        if types <= {int, float}:
            target = float
        else:
            target = str
        for data in items:
            if k in data:
                data[k] = target(data[k])


def portable_graph(G: nx.MultiDiGraph, *, edge_type_attr: str = "type") -> nx.MultiDiGraph:
    """A copy of ``G`` whose attributes every GraphML/GEXF reader accepts (see module docstring).

    ``edge_type_attr`` names the attribute that holds the relationship type in
    the copy (GEXF reserves ``type`` for the edge direction). Edge keys of the
    copy are ``e0``, ``e1``… in edge order: unique in the file, as GraphML asks.
    """
    nodes, node_data = [], []
    for n, data in G.nodes(data=True):
        out = {}
        for k, v in data.items():
            if k == "id":
                continue
            s = _scalar(v)
            if s is not None:
                out[str(k)] = s
        name = data.get("name")
        out["label"] = str(name) if name not in (None, "") else str(n)
        nodes.append(str(n))
        node_data.append(out)
    _unify_types(node_data)
    edges, edge_data = [], []
    for u, v, key, data in G.edges(keys=True, data=True):
        out = {}
        for k, val in data.items():
            s = _scalar(val)
            if s is not None:
                out[str(k)] = s
        out.pop("type", None)
        out[edge_type_attr] = str(data.get("type") or str(key).split("#", 1)[0])
        edges.append((str(u), str(v)))
        edge_data.append(out)
    _unify_types(edge_data)
    H = nx.MultiDiGraph()
    for n, data in zip(nodes, node_data):
        H.add_node(n, **data)
    for i, ((u, v), data) in enumerate(zip(edges, edge_data)):
        H.add_edge(u, v, key=f"e{i}", **data)
    return H


def to_graphml(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """Write ``G`` as GraphML (node ids = maillage ids, edge ids = relationship keys).

    Node attributes: ``label`` (the name), ``labels`` (``Structure|Funder``) and
    the properties; edge attributes: ``type`` and the properties. Readable by
    ``networkx.read_graphml``, ``igraph.Graph.Read_GraphML``, Gephi, yEd, Cytoscape.
    """
    path = Path(path)
    H = portable_graph(G)
    nx.write_graphml(H, path, encoding="utf-8", prettyprint=True)
    return path


def to_gexf(G: nx.MultiDiGraph, path: Path | str) -> Path:
    """Write ``G`` as GEXF 1.2 for Gephi.

    Each node has the GEXF ``label`` (its name) and attributes ``labels`` and
    its properties; each edge has the GEXF ``label`` and the attribute
    ``rel_type`` set to the relationship type (GEXF's own ``type`` attribute
    means directed/undirected), plus its properties.
    """
    path = Path(path)
    H = portable_graph(G, edge_type_attr="rel_type")
    for _, _, key, data in H.edges(keys=True, data=True):
        data["label"] = data["rel_type"]
        data["id"] = key
    nx.write_gexf(H, path, encoding="utf-8", prettyprint=True, version="1.2draft")
    return path


def _kumu_value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [str(v) for v in value if v not in (None, "")]
        return items or None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def to_kumu(G: nx.MultiDiGraph) -> dict:
    """``G`` as a Kumu JSON blueprint: ``{"elements": [...], "connections": [...]}``.

    Elements have ``id`` (the maillage id: Kumu then allows two elements with
    the same label, and connections refer to ids), ``label`` (the name),
    ``type`` (the main label, e.g. ``Structure``), ``tags`` (all labels) and
    the properties (lists stay JSON arrays). Connections have ``from``, ``to``,
    ``type`` (the relationship type), ``direction: "directed"`` and the
    relationship's properties. Elements and connections are sorted, so the same
    graph gives the same file.
    """
    elements = []
    for n in sorted(G.nodes, key=str):
        data = G.nodes[n]
        labels = [str(x) for x in (data.get("labels") or ())]
        main = next((lab for lab in model.LABELS if lab in labels), labels[0] if labels else "")
        el = {"id": str(n), "label": str(data.get("name") or n), "type": main, "tags": labels}
        for k, v in data.items():
            if k in ("labels", "name", "id", "label", "type", "tags"):
                continue
            kv = _kumu_value(v)
            if kv is not None:
                el[str(k)] = kv
        elements.append(el)
    connections = []
    for u, v, key, data in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        conn = {"from": str(u), "to": str(v),
                "type": str(data.get("type") or str(key).split("#", 1)[0]), "direction": "directed"}
        for k, val in data.items():
            if k in ("type", "from", "to", "direction"):
                continue
            kv = _kumu_value(val)
            if kv is not None:
                conn[str(k)] = kv
        connections.append(conn)
    return {"elements": elements, "connections": connections}

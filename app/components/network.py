"""Network pictures: the offline pyvis HTML builder, layouts, cluster super-nodes, exports.

:func:`network_html` turns any NetworkX graph into a self-contained HTML page
(vis-network inlined, the template's bootstrap CDN tags removed), with physics
in the browser for small graphs and a precomputed layout, physics off, above
``physics_max`` nodes. Nothing here imports Streamlit or a store.
"""

from __future__ import annotations

import html
import io
import math
import re
import tempfile
from collections import defaultdict
from pathlib import Path

import networkx as nx

from graph import exports, model
from graph.analysis.projection import CENTRAL_MAX, central_projection

#: above this many nodes (or PHYSICS_MAX_EDGES ties) the layout is computed here and
#: physics stays off: the browser's physics blocks the page for seconds on dense graphs
PHYSICS_MAX = 150
PHYSICS_MAX_EDGES = 400
#: up to this many nodes the precomputed layout is a spring layout, above it clusters
SPRING_MAX = 400
#: above this many structures the cooperation map shows clusters as super-nodes
AGGREGATE_ABOVE = 3000
#: the cooperation map draws (and exports) at most this many structures, the most central
DRAW_MAX = CENTRAL_MAX
#: how many of the most central structures the Réseau page can draw, and draws first
DRAW_CHOICES = (100, 250, 500, 1000, DRAW_MAX)
DRAW_DEFAULT = 500

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39",
           "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363")
LABEL_COLOURS = {
    model.STRUCTURE: "#2b7bba", model.NETWORK: "#d95f02", model.FUNDER: "#1b9e77",
    model.PLACE: "#7570b3", model.TERRITORY: "#a6a6a6", model.SECTOR: "#e7298a",
    model.EVENT: "#e6ab02", model.INITIATIVE: "#66a61e", model.SOURCE: "#666666",
}
_BOOTSTRAP = re.compile(r"<link[^>]*bootstrap[^>]*/?>|<script[^>]*bootstrap[^>]*>\s*</script>",
                        re.I | re.S)
_COMMENTED = re.compile(r"<!--.*?-->", re.S)
_EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


def plain(text) -> str:
    """Text safe inside the page's inline script: no ``<``/``>`` (no ``</script>``), no ``&``."""
    return str(text).replace("<", "‹").replace(">", "›").replace("&", "＆")


def colour_of_cluster(c) -> str:
    """A stable colour per cluster id (grey for None)."""
    return "#bbbbbb" if c is None else PALETTE[int(c) % len(PALETTE)]


def strip_external(page: str) -> str:
    """Remove the bootstrap CDN tags and HTML comments of pyvis' template.

    Raises ValueError if any other tag still loads something from another host.
    """
    page = _BOOTSTRAP.sub("", _COMMENTED.sub("", page))
    if _EXTERNAL.search(page):
        raise ValueError("the network page still loads a resource from another host")
    return page


def network_html(G: nx.Graph, *, height: int = 600, physics: bool | None = None,
                 positions: dict | None = None, directed: bool | None = None,
                 physics_max: int = PHYSICS_MAX, seed: int = 0) -> str:
    """A self-contained HTML page drawing ``G`` with vis-network (no request to any host).

    Node attributes used when present: ``label`` (else ``name``, else the id), ``title``
    (tooltip, plain text), ``color``, ``size``, ``shape``; edge attributes ``title``,
    ``width``, ``color``, ``label``. With more than ``physics_max`` nodes (or
    :data:`PHYSICS_MAX_EDGES` ties, or ``physics=False``) positions are computed here
    (:func:`layout`) and physics is turned off, so the browser only draws.

    Examples
    --------
    >>> page = network_html(nx.path_graph(3))
    >>> "vis-network" in page.lower() and "cdn.jsdelivr" not in page
    True
    """
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    if directed is None:
        directed = G.is_directed()
    n = G.number_of_nodes()
    if physics is None:
        physics = n <= physics_max and G.number_of_edges() <= PHYSICS_MAX_EDGES
    if not physics and positions is None:
        positions = layout(G, seed=seed)
    net = Network(height=f"{height}px", width="100%", directed=directed, cdn_resources="in_line",
                  bgcolor="#ffffff", font_color="#222222")
    # pyvis's add_node and add_edge look through every node and edge added before (a
    # 2,000-structure picture took 2 s): its Node and Edge options are made here, with the
    # same rules (a node once; an undirected edge once whatever its direction)
    for node, d in G.nodes(data=True):
        label = plain(d["label"] if "label" in d else (d.get("name") or node))
        opts = {"title": plain(d.get("title") or d.get("name") or label), "color": d.get("color") or "#2b7bba",
                "size": float(d.get("size") or 12)}
        if positions and node in positions:
            x, y = positions[node]
            opts.update(x=float(x), y=float(y), physics=False)
        n_id = plain(node)
        if n_id in net.node_map:
            continue
        options = Node(n_id, d.get("shape") or "dot",  # pyvis shows the id for ""
                       label=(label if len(label) <= 40 else label[:38] + "…") or " ",
                       font_color=net.font_color, **opts).options
        net.nodes.append(options)
        net.node_ids.append(n_id)
        net.node_map[n_id] = options
    seen = set()
    for u, v, d in G.edges(data=True):
        opts = {k: plain(d[k]) for k in ("title", "color", "label") if d.get(k) is not None}
        if d.get("width") is not None:
            opts["width"] = float(d["width"])
        a, b = plain(u), plain(v)
        pair = (a, b) if directed else tuple(sorted((a, b)))
        if not directed and pair in seen:
            continue
        seen.add(pair)
        net.edges.append(Edge(a, b, directed, **opts).options)
    if physics:
        net.barnes_hut(gravity=-3000, spring_length=120)
        net.set_options('{"physics": {"stabilization": {"iterations": 200}}, '
                        '"interaction": {"hover": true, "navigationButtons": false}}')
    else:  # straight edges: "dynamic" smooth edges cost a hidden node each, even without physics
        net.set_options('{"physics": {"enabled": false}, "edges": {"smooth": false}, '
                        '"interaction": {"hover": true, "hideEdgesOnDrag": true}}')
    return strip_external(net.generate_html())


def layout(G: nx.Graph, *, seed: int = 0) -> dict:
    """Positions in pixels: a spring layout up to :data:`SPRING_MAX` nodes, else
    :func:`cluster_layout` (no scipy needed either way)."""
    n = G.number_of_nodes()
    if n == 0:
        return {}
    if n > SPRING_MAX:
        return cluster_layout(G, seed=seed)
    simple = nx.Graph(G) if G.is_multigraph() or G.is_directed() else G
    return component_layout(simple, seed=seed)


def component_layout(G: nx.Graph, *, seed: int = 0, unit: float = 70.0) -> dict:
    """A spring layout of each connected component, components packed in rows, largest first.

    (One spring layout of a disconnected graph pushes the components far apart and
    leaves the main one tiny.)
    """
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G)), key=lambda c: (-len(c), str(c[0])))
    pos, x, y, row_h = {}, 0.0, 0.0, 0.0
    width = unit * 4 * math.sqrt(max(G.number_of_nodes(), 1))
    for comp in comps:
        radius = unit * (0.6 + math.sqrt(len(comp)))
        if len(comp) == 1:
            local = {comp[0]: (0.0, 0.0)}
        else:
            local = nx.spring_layout(G.subgraph(comp), seed=seed, scale=radius)
        if x > 0 and x + 2 * radius > width:
            x, y, row_h = 0.0, y + row_h + unit, 0.0
        for node, (px, py) in local.items():
            pos[node] = (float(x + radius + px), float(y + radius + py))
        x += 2 * radius + unit * 0.5
        row_h = max(row_h, 2 * radius)
    return pos


_NO_CLUSTER = "(sans groupe)"


def cluster_layout(G: nx.Graph, *, cluster_attr: str = "cluster", seed: int = 0,
                   scale: float = 1000.0) -> dict:
    """Positions in O(n): clusters placed by a spring layout of the cluster graph,
    members on a sunflower spiral around their cluster's centre.

    Works without scipy on graphs of any size. Nodes without a cluster form one
    more group.
    """
    groups: dict = defaultdict(list)
    for node, d in G.nodes(data=True):
        key = d.get(cluster_attr)
        groups[_NO_CLUSTER if key is None else key].append(node)  # None cannot be a node of C
    keys = sorted(groups, key=lambda k: (-len(groups[k]), str(k)))
    C = nx.Graph()
    C.add_nodes_from(keys)
    of = {node: k for k, members in groups.items() for node in members}
    for u, v in G.edges():
        a, b = of[u], of[v]
        if a != b:
            w = C.get_edge_data(a, b, {"weight": 0})["weight"]
            C.add_edge(a, b, weight=w + 1)
    if len(C) > 400:  # the sparse spring layout needs scipy: a circle will do
        centres = nx.circular_layout(C, scale=scale * 2)
    elif len(C) > 1:
        centres = nx.spring_layout(C, seed=seed, scale=scale)
    else:
        centres = {k: (0.0, 0.0) for k in keys}
    golden = math.pi * (3 - math.sqrt(5))
    pos = {}
    for k in keys:
        members = sorted(groups[k], key=str)
        radius = 12.0 * math.sqrt(len(members))
        cx, cy = centres[k]
        for i, node in enumerate(members):
            r = radius * math.sqrt((i + 0.5) / len(members))
            pos[node] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
    return pos


def cooperation_view(P: nx.Graph, membership: dict, scores: dict, names: dict | None = None,
                     *, source_words: dict | None = None, labels_top: int = 30) -> nx.Graph:
    """The projection ``P`` dressed for drawing: colour by cluster, size by betweenness.

    ``scores`` maps a node to its broker row (``betweenness``, ``degree``…). Tooltips
    list the cluster, the score and, on edges, what the tie is made of
    (``source_words`` translates ``cooperation``, ``network``… into words). Only the
    ``labels_top`` most central nodes show their name; the others have it as tooltip.
    """
    words = source_words or {}
    H = nx.Graph()
    top = max((s.get("betweenness") or 0 for s in scores.values()), default=0) or 1.0
    ranked = sorted(P, key=lambda n: (-((scores.get(n) or {}).get("betweenness") or 0), -P.degree(n), str(n)))
    labelled = set(ranked[:labels_top])
    for node, d in P.nodes(data=True):
        c = membership.get(node)
        b = (scores.get(node) or {}).get("betweenness") or 0.0
        name = (names or {}).get(node) or d.get("name") or node
        H.add_node(node, name=name, label=name if node in labelled else "", cluster=c, color=colour_of_cluster(c),
                   size=10 + 30 * math.sqrt(b / top),
                   title=f"{name}\ncluster {'–' if c is None else c} · betweenness {b:.3f}")
    for u, v, d in P.edges(data=True):
        reasons = d.get("reasons") or {}
        parts = [f"{words.get(s, s)} ({len(r)})" for s, r in reasons.items()]
        H.add_edge(u, v, weight=d.get("weight", 1.0), width=0.5 + 2.5 * min(d.get("weight", 1.0), 3) / 3,
                   title=", ".join(parts), color="#9aa8b8")
    return H


def central_view(T, clustering, scores: dict, *, limit: int = DRAW_MAX, show_isolated: bool = False,
                 source_words: dict | None = None) -> tuple[nx.Graph, int]:
    """``(H, shown)``: :func:`cooperation_view` of the pairwise ties between the ``limit``
    most central structures of the projection kept by group ``T`` (``scores`` is the
    brokers' rows by id, most central first; tied structures only unless
    ``show_isolated``), and how many structures there are to show in all."""
    P, shown = central_projection(T, scores, limit=limit, show_isolated=show_isolated)
    return cooperation_view(P, clustering.membership, scores, source_words=source_words), shown


def aggregate_clusters(H: nx.Graph, clusters: list, *, label: str = "cluster {id} · {size}") -> nx.Graph:
    """One super-node per cluster (size ∝ √members), edges summing the ties between clusters.

    ``H``: a :func:`cooperation_view` (each node's ``cluster``); ``clusters``: their rows
    (``id``, ``size``; a :class:`~graph.analysis.clusters.Cluster` or a row of
    :func:`~graph.analysis.clusters_brokers.cooperation_digest`)."""
    def row(c):
        return (c["id"], c["size"]) if isinstance(c, dict) else (c.id, c.size)

    A = nx.Graph()
    names: dict[int, list[str]] = {}
    for n, d in H.nodes(data=True):
        if d.get("cluster") is not None:
            names.setdefault(d["cluster"], []).append(d.get("name", n))
    for cid, size in map(row, clusters):
        A.add_node(f"cluster:{cid}", label=label.format(id=cid, size=size), cluster=cid,
                   color=colour_of_cluster(cid), size=10 + 4 * math.sqrt(size),
                   title=", ".join(names.get(cid, [])[:15]))
    for u, v, d in H.edges(data=True):
        cu, cv = H.nodes[u].get("cluster"), H.nodes[v].get("cluster")
        a = f"cluster:{cu}" if cu is not None and f"cluster:{cu}" in A else None
        b = f"cluster:{cv}" if cv is not None and f"cluster:{cv}" in A else None
        if a and b and a != b:
            w = A.get_edge_data(a, b, {"weight": 0.0})["weight"] + d.get("weight", 1.0)
            A.add_edge(a, b, weight=w, width=min(1 + w, 12), title=f"{w:.1f}")
    return A


def projection_as_typed(H: nx.Graph) -> nx.MultiDiGraph:
    """The shown cooperation graph in the typed-graph form :mod:`graph.exports` writes."""
    T = nx.MultiDiGraph()
    for node, d in H.nodes(data=True):
        T.add_node(node, labels=(model.STRUCTURE,), name=d.get("name", node),
                   cluster=d.get("cluster"), size=round(float(d.get("size") or 0), 3))
    for u, v, d in H.edges(data=True):
        T.add_edge(u, v, key="COOPERATION", type="COOPERATION", weight=float(d.get("weight", 1.0)),
                   reasons=d.get("title") or "")
    return T


def export_bytes(H: nx.Graph, fmt: str) -> bytes:
    """The shown graph as ``graphml``, ``gexf`` or ``csv`` (edges, formula-safe cells)."""
    T = projection_as_typed(H)
    if fmt == "csv":
        import csv

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["source", "source_name", "target", "target_name", "weight", "made_of"])
        for u, v, d in sorted(H.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
            w.writerow([exports.neutralise_formula(x) for x in (
                u, H.nodes[u].get("name", u), v, H.nodes[v].get("name", v),
                round(float(d.get("weight", 1.0)), 4), d.get("title") or "")])
        return buf.getvalue().encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"graph.{fmt}"
        if fmt == "graphml":
            exports.to_graphml(T, path)
        elif fmt == "gexf":
            exports.to_gexf(T, path)
        else:
            raise ValueError(f"unknown export format {fmt!r}: graphml, gexf or csv")
        return path.read_bytes()


def typed_view(H: nx.MultiDiGraph, center: str | None = None, *, rel_words=None) -> nx.MultiDiGraph:
    """A typed (sub)graph dressed for drawing: colour by label, the centre larger, edges named."""
    words = rel_words or (lambda t: t)
    V = nx.MultiDiGraph()
    for node, d in H.nodes(data=True):
        labels = tuple(d.get("labels") or ())
        main = next((lab for lab in model.LABELS if lab in labels), "")
        name = d.get("name") or node
        V.add_node(node, name=name, label=name, color=LABEL_COLOURS.get(main, "#2b7bba"),
                   size=24 if node == center else 12, shape="star" if node == center else "dot",
                   title=f"{name}\n{'/'.join(labels)} · {node}")
    for u, v, k, d in H.edges(keys=True, data=True):
        V.add_edge(u, v, key=k, title=words(d.get("type", "")), color="#9aa8b8")
    return V


def escape(text) -> str:
    return html.escape(str(text), quote=True)

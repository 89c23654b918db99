"""Where things are: positions of organisations, territory choices, map records.

Pure functions over the typed graph and the shipped territorial reference.
"""

from __future__ import annotations

import networkx as nx

from graph import model
from loaders.opendata.lambert import wgs84_point

LEVEL_RANK = {lvl: i for i, lvl in enumerate(model.TERRITORY_LEVELS)}
#: levels a scope can be drawn at (finest first)
LEVELS_BELOW = {
    None: ("region", "departement"),
    "region": ("departement", "epci", "commune"),
    "departement": ("commune", "epci"),
}


def _coords(G: nx.MultiDiGraph, t: str):
    """``(lon, lat)`` of node ``t`` when it has both as numbers within range, else None
    (the checks of :func:`loaders.opendata.lambert.wgs84_point`)."""
    d = G.nodes[t] if t in G else {}
    try:
        point = wgs84_point(d.get("lat"), d.get("lon"))
    except ValueError:
        return None
    return (point[1], point[0]) if point else None


def position_of(G: nx.MultiDiGraph, n: str) -> tuple[float, float, bool] | None:
    """``(lon, lat, exact)`` of ``n``: its own point (``lat``/``lon``, e.g. a SIRENE
    seat's address or a map's marker; exact), else its seat's centroid (exact), else
    the centroid of the most local territory it serves (``exact`` False), else None.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("commune:44109", level="commune", lat=47.2321, lon=-1.5482)
    >>> G.add_node("departement:44", level="departement", lat=47.35, lon=-1.7)
    >>> G.add_node("structure:a", lat=47.2063, lon=-1.571)
    >>> G.add_node("structure:b")
    >>> G.add_edges_from([("structure:a", "commune:44109", {"type": "LOCATED_IN"}),
    ...                   ("structure:b", "commune:44109", {"type": "LOCATED_IN"}),
    ...                   ("structure:b", "departement:44", {"type": "SERVES"})])
    [0, 0, 0]
    >>> position_of(G, "structure:a"), position_of(G, "structure:b")
    ((-1.571, 47.2063, True), (-1.5482, 47.2321, True))
    >>> G.remove_edge("structure:b", "commune:44109")
    >>> position_of(G, "structure:b")
    (-1.7, 47.35, False)
    """
    if n in G and model.TERRITORY not in (G.nodes[n].get("labels") or ()):
        own = _coords(G, n)
        if own:
            return own[0], own[1], True
    seats, served = [], []
    for _, v, d in G.out_edges(n, data=True):
        if d.get("type") == "LOCATED_IN":
            seats.append(v)
        elif d.get("type") == "SERVES":
            served.append(v)
    for group, exact in ((seats, True), (served, False)):
        ranked = sorted(group, key=lambda t: (LEVEL_RANK.get(G.nodes[t].get("level") if t in G else "", 9), t))
        for t in ranked:
            c = _coords(G, t)
            if c:
                return c[0], c[1], exact
    return None


def geo_points(G: nx.MultiDiGraph, nodes, membership: dict, scores: dict) -> tuple[list[dict], int, list[str]]:
    """Points for the structures of ``nodes``; returns (points, how many are approximate,
    ids without any position)."""
    points, approx, missing = [], 0, []
    top = max((s.get("betweenness") or 0 for s in scores.values()), default=0) or 1.0
    for n in nodes:
        pos = position_of(G, n)
        if pos is None:
            missing.append(n)
            continue
        lon, lat, exact = pos
        approx += not exact
        b = (scores.get(n) or {}).get("betweenness") or 0.0
        c = membership.get(n)
        points.append({"id": n, "name": G.nodes[n].get("name", n), "lon": lon, "lat": lat,
                       "cluster": c, "cluster_label": "–" if c is None else str(c),
                       "exact": exact, "radius": 1500 + 6000 * (b / top) ** 0.5})
    return points, approx, sorted(missing)


def geo_arcs(H: nx.Graph, points: list[dict]) -> list[dict]:
    """An arc per tie of ``H`` whose two ends have a point."""
    where = {p["id"]: p for p in points}
    arcs = []
    for u, v, d in H.edges(data=True):
        if u in where and v in where:
            a, b = where[u], where[v]
            arcs.append({"from_lon": a["lon"], "from_lat": a["lat"], "to_lon": b["lon"],
                         "to_lat": b["lat"], "weight": float(d.get("weight", 1.0)),
                         "name": f"{a['name']} – {b['name']}", "cluster_label": d.get("title") or ""})
    return arcs


def scope_choices(territories: list[dict]) -> list[dict]:
    """Régions then départements of the reference, each ``{"id", "name", "level"}``,
    sorted by code within a level (for the scope picker)."""
    regions = sorted((t for t in territories if t["level"] == "region"), key=lambda t: t["code"])
    deps = sorted((t for t in territories if t["level"] == "departement"), key=lambda t: t["code"])
    return [{"id": t["id"], "name": t["name"], "level": t["level"], "code": t["code"]}
            for t in (*regions, *deps)]


def background_codes(G: nx.MultiDiGraph, points: list[dict]) -> list[str]:
    """Codes of the départements holding the points' seats or areas (for the map's outlines)."""
    deps = set()
    for p in points:
        for _, v, d in G.out_edges(p["id"], data=True):
            if d.get("type") not in ("LOCATED_IN", "SERVES"):
                continue
            todo, seen = [v], set()
            while todo:
                t = todo.pop()
                if t in seen or t not in G:
                    continue
                seen.add(t)
                if G.nodes[t].get("level") == "departement":
                    deps.add(G.nodes[t].get("code") or t.split(":", 1)[1])
                elif G.nodes[t].get("level") == "region":
                    deps.update(G.nodes[c].get("code") or c.split(":", 1)[1]
                                for c, _, dd in G.in_edges(t, data=True)
                                if dd.get("type") == "PART_OF" and c.startswith("departement:"))
                todo.extend(w for _, w, dd in G.out_edges(t, data=True) if dd.get("type") == "PART_OF")
    return sorted(deps)

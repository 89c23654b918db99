"""Section 5 of a diagnostic: cooperation — clusters, brokers, isolated structures, networks.

Clusters and brokers come from the kept cooperation result (:mod:`graph.kept`: the
whole base's projection, seeded Louvain, betweenness), never computed for a report:
the section says on which graph version they were computed, and when they are stale
or missing. Networks present are those seated in or serving the territory, a
territory inside it or containing it, and those an organisation seated here is a
member of; networks absent are those present in the neighbouring territories (the
other communes of its EPCI, EPCI of its département, départements of its région) and
not here.
"""

from __future__ import annotations

import math
from collections import Counter

import networkx as nx

from graph import model

__all__ = ["cooperation_figures"]

_PICTURE = 40
_TOP = 10


def _status(reads) -> dict:
    coop = reads.cooperation
    info = coop.get("info")
    current = reads.version.get("version", "")
    if info is None:
        return {"state": "missing"}
    if "scores" not in coop:
        return {"state": "missing", "computed_at": info.computed_at}
    return {"state": "current" if coop.get("version") == current else "stale",
            "computed_at": info.computed_at, "version": coop.get("version")}


def _networks(reads) -> tuple[list[dict], list[dict]]:
    """Networks present here (``how``: ``attached`` here or inside, ``above`` through a
    territory containing it, ``members`` an organisation seated here is a member) and
    those of the neighbouring territories absent here."""
    names: dict[str, str] = {}
    here: dict[str, set] = {}
    for how, rows in (("attached", reads.actors), ("above", reads.above)):
        for a in rows:
            if model.NETWORK in (a.get("labels") or ()):
                names[a["id"]] = a.get("name") or a["id"]
                here.setdefault(a["id"], set()).add(how)
    members = {}
    for r in reads.members:
        names.setdefault(r["id"], r["name"] or r["id"])
        here.setdefault(r["id"], set()).add("members")
        members[r["id"]] = int(r["members"])
    present = sorted(({"id": n, "name": names.get(n, n), "how": sorted(how), "members": members.get(n, 0)}
                      for n, how in here.items()), key=lambda r: (-r["members"], r["name"], r["id"]))
    around = reads.neighbours
    absent: dict[str, dict] = {}
    territory_names: dict[str, str] = {}
    t = reads.territory["id"]
    for r in [*around.get("networks", ()), *around.get("members", ())]:
        territory_names[r["territory"]] = r["territory_name"] or r["territory"]
        if r["territory"] == t or r["id"] in here:
            continue
        entry = absent.setdefault(r["id"], {"id": r["id"], "name": r["name"] or r["id"], "territories": set()})
        entry["territories"].add(r["territory"])
    rows = []
    for e in absent.values():
        where = sorted(e["territories"], key=lambda w: (territory_names.get(w, w), w))
        rows.append({"id": e["id"], "name": e["name"], "territories": where,
                     "territory_names": [territory_names.get(w, w) for w in where]})
    rows.sort(key=lambda r: (-len(r["territories"]), r["name"], r["id"]))
    return present, rows


def _picture(coop: dict, structures: list[str], scores: dict) -> dict | None:
    T = coop.get("T")
    if T is None:
        return None
    tied = [s for s in structures if s in T and (scores.get(s) or {}).get("degree")]
    tied.sort(key=lambda s: (-(scores[s].get("betweenness") or 0), -(scores[s].get("degree") or 0), s))
    chosen = sorted(tied[:_PICTURE])
    if not chosen:
        return {"nodes": [], "edges": [], "left_out": 0}
    P = T.subset(chosen).to_graph()
    pos = _layout(P)
    nodes = [{"id": n, "name": P.nodes[n].get("name") or n, "cluster": scores[n].get("cluster"),
              "betweenness": scores[n].get("betweenness") or 0.0,
              "x": float(pos[n][0]), "y": float(pos[n][1])} for n in chosen]
    edges = [{"source": u, "target": v, "weight": float(d.get("weight") or 1.0)} for u, v, d in P.edges(data=True)]
    return {"nodes": nodes, "edges": edges, "left_out": max(0, len(tied) - len(chosen))}


def _place(P: nx.Graph, part: list[str], box: tuple[float, float, float, float], pos: dict) -> None:
    """Lay ``part`` out (seeded spring layout) inside ``box`` = (x, y, width, height)."""
    x0, y0, w, h = box
    if len(part) == 1:
        pos[part[0]] = (x0 + w / 2, y0 + h / 2)
        return
    local = nx.spring_layout(P.subgraph(part), seed=0, weight="weight")
    xs, ys = [p[0] for p in local.values()], [p[1] for p in local.values()]
    sx, sy = max(max(xs) - min(xs), 1e-9), max(max(ys) - min(ys), 1e-9)
    for n, (x, y) in local.items():
        pos[n] = (x0 + w * (0.08 + 0.84 * (x - min(xs)) / sx), y0 + h * (0.08 + 0.84 * (y - min(ys)) / sy))


def _layout(P: nx.Graph) -> dict:
    """Positions in [0, 1]²: the largest group of tied structures on the left, the
    others in a grid on the right, each laid out on its own."""
    parts = sorted((sorted(c) for c in nx.connected_components(P)), key=lambda c: (-len(c), c[0]))
    pos: dict = {}
    if len(parts) == 1:
        _place(P, parts[0], (0.0, 0.0, 1.0, 1.0), pos)
        return pos
    rest = parts[1:]
    side = 0.28 if sum(map(len, rest)) < len(parts[0]) else 0.5
    _place(P, parts[0], (0.0, 0.0, 1.0 - side, 1.0), pos)
    columns = max(1, math.ceil(math.sqrt(len(rest) / 3)))
    rows = math.ceil(len(rest) / columns)
    for k, part in enumerate(rest):
        r, c = divmod(k, columns)
        _place(P, part, (1.0 - side + c * side / columns, r / rows, side / columns, 1.0 / rows), pos)
    return pos


def cooperation_figures(reads) -> dict:
    """Clusters present (with their size and description), brokers and isolated structures
    among the territory's structures, networks present and absent, the picture's nodes
    and ties; ``status`` says whether the kept result is ``current``, ``stale`` or
    ``missing`` (then only the networks are given)."""
    present, absent = _networks(reads)
    status = _status(reads)
    names = {a["id"]: a.get("name") or a["id"] for a in reads.actors}
    structures = sorted(a["id"] for a in reads.actors if model.STRUCTURE in (a.get("labels") or ()))
    out = {"status": status, "structures": len(structures), "networks": present, "absent": absent,
           "clusters": [], "brokers": [], "isolated": [], "not_in_result": [], "picture": None}
    if status["state"] == "missing":
        return out
    coop = reads.cooperation
    scores = coop.get("scores") or {}
    described = {c["cluster"]: c for c in coop["info"].summary.get("clusters", ())}
    here = Counter(scores[s]["cluster"] for s in structures if s in scores and scores[s].get("cluster") is not None)
    for cid, n in sorted(here.items(), key=lambda kv: (-kv[1], kv[0]))[:8]:
        c = described.get(cid, {})
        out["clusters"].append({"cluster": cid, "here": n, "size": c.get("size"), "sectors": c.get("sectors") or "",
                                "territories": c.get("territories") or "", "networks": c.get("networks") or ""})
    ranked = sorted((s for s in structures if (scores.get(s) or {}).get("betweenness")),
                    key=lambda s: (-scores[s]["betweenness"], s))
    out["brokers"] = [{"id": s, "name": names[s], "betweenness": scores[s]["betweenness"],
                       "participation": scores[s].get("participation"), "degree": scores[s].get("degree"),
                       "cluster": scores[s].get("cluster")} for s in ranked[:_TOP]]
    out["isolated"] = [{"id": s, "name": names[s]} for s in structures if (scores.get(s) or {}).get("isolated")]
    out["not_in_result"] = [{"id": s, "name": names[s]} for s in structures if s not in scores]
    out["picture"] = _picture(coop, structures, scores)
    return out

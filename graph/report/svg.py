"""The pictures of a diagnostic as inline SVG: the white-zone map, the support chain's bars,
the cooperation picture. Pure functions returning SVG text (no script, no external
reference, nothing fetched): the page opens offline and prints as drawn.
"""

from __future__ import annotations

import math
from html import escape

__all__ = ["chain_bars", "cooperation_picture", "white_zone_map", "MISSING_COLOURS", "STAGE_COLOURS"]

#: fill of a commune by how many of the functions looked at it lacks (0: none lacking)
MISSING_COLOURS = ("#d4e6f1", "#fdd49e", "#fdbb84", "#fc8d59", "#e34a33", "#b30000", "#7f0000")
STAGE_COLOURS = ("#9ecae1", "#4292c6", "#2171b5", "#08306b")
UNSPECIFIED = "#bdbdbd"
GAP = "#c0392b"
CLUSTERS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
            "#b2df8a", "#fb9a99")
_MAX_POINTS = 40_000
_CIRCLES = 30  # uncovered communes marked, most populated first


def _attr(text) -> str:
    return escape(str(text), quote=True)


def _project(rings, lat0: float):
    k = math.cos(math.radians(lat0))
    return [[(lon * k, -lat) for lon, lat in ring] for ring in rings]


def white_zone_map(cells: list[dict], outlines: dict, *, territory: str | None = None,
                   labels: dict | None = None, width: int = 640) -> str:
    """The communes of ``cells`` (``code``, ``name``, ``population``, ``missing``: functions
    lacking, ``inside``: in the territory) filled by how many functions they lack, the
    uncovered ones marked by a circle sized by population at their centroid (``lat``,
    ``lon``); ``territory`` (a code) outlined. ``labels`` words: ``title(cell)``
    gives each commune's tooltip, ``legend`` the legend's texts (0..n lacking).
    """
    labels = labels or {}
    shapes = []
    total = sum(len(r) for c in cells for poly in (outlines.get(c["code"]) or ()) for r in poly)
    stride = max(1, math.ceil(total / _MAX_POINTS))
    lats = [lat for c in cells for poly in (outlines.get(c["code"]) or ()) for r in poly for _, lat in r]
    if not lats:
        return ""
    lat0 = (min(lats) + max(lats)) / 2
    for c in cells:
        for poly in outlines.get(c["code"]) or ():
            rings = [r if stride == 1 or len(r) <= 4 * stride else r[:-1:stride] + [r[0]] for r in poly]
            shapes.append((c, _project(rings, lat0)))
    xs = [x for _, rings in shapes for r in rings for x, _ in r]
    ys = [y for _, rings in shapes for r in rings for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = (width - 20) / max(x1 - x0, 1e-9)
    height = int(min(620, max(200, (y1 - y0) * scale + 20)))
    scale = min(scale, (height - 20) / max(y1 - y0, 1e-9))

    def xy(x, y):
        return f"{(x - x0) * scale + 10:.1f},{(y - y0) * scale + 10:.1f}"

    out = [f'<svg class="map" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img">']
    title = labels.get("title") or (lambda c: c["name"])
    outline = []
    for c, rings in shapes:
        d = " ".join("M" + " L".join(xy(x, y) for x, y in r) + " Z" for r in rings)
        fill = MISSING_COLOURS[min(len(c["missing"]), len(MISSING_COLOURS) - 1)]
        opacity = "" if c.get("inside", True) else ' fill-opacity="0.45"'
        out.append(f'<path d="{d}" fill="{fill}"{opacity} stroke="#ffffff" stroke-width="0.4" '
                   f'data-code="{_attr(c["code"])}"><title>{escape(title(c))}</title></path>')
        if territory is not None and c["code"] == territory:
            outline.append(d)
    for d in outline:
        out.append(f'<path d="{d}" fill="none" stroke="#222" stroke-width="2"/>')
    top = max((c["population"] or 0 for c in cells if c["missing"] and c.get("inside", True)), default=0)
    circled = [c for c in cells if c["missing"] and c.get("inside", True)]
    for c in sorted(circled, key=lambda c: (-(c["population"] or 0), c["id"]))[:_CIRCLES]:
        if not (c["missing"] and c.get("inside", True) and c.get("lat") is not None and top):
            continue
        x, y = _project([[(c["lon"], c["lat"])]], lat0)[0][0]
        r = 2 + 10 * math.sqrt((c["population"] or 0) / top)
        out.append(f'<circle cx="{(x - x0) * scale + 10:.1f}" cy="{(y - y0) * scale + 10:.1f}" r="{r:.1f}" '
                   f'fill="none" stroke="#7f0000" stroke-width="1"><title>{escape(title(c))}</title></circle>')
    out.append("</svg>")
    return "".join(out)


def legend(items: list[tuple[str, str]]) -> str:
    """A row of colour swatches with their texts (HTML)."""
    return '<p class="legend">' + "".join(
        f'<span><i style="background:{_attr(colour)}"></i>{escape(text)}</span>' for colour, text in items) + "</p>"


def chain_bars(rows: list[dict], stages: list[str], *, need_label, stage_label, unspecified_label: str,
               width: int = 660) -> str:
    """Grouped bars: for each function (``rows``: ``need``, ``stages`` stage → providers,
    ``unspecified``), one bar per stage (providers stating it) and one for providers whose
    stages are unknown; a stage nobody states shows a red 0."""
    groups = len(rows)
    if not groups:
        return ""
    bars = len(stages) + 1
    top = max([1, *(len(r["stages"][s]) for r in rows for s in stages), *(len(r["unspecified"]) for r in rows)])
    plot_h, left, bottom = 170, 30, 46
    height = plot_h + bottom + 16
    slot = (width - left - 10) / groups
    bar = min(18.0, (slot - 12) / bars)
    out = [f'<svg class="bars" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img">']
    step = max(1, math.ceil(top / 5))
    for v in range(0, top + 1, step):
        y = 10 + plot_h - plot_h * v / top
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
                   f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" class="tick">{v}</text>')
    for g, r in enumerate(rows):
        x = left + g * slot + (slot - bar * bars) / 2
        values = [(len(r["stages"][s]), STAGE_COLOURS[i % len(STAGE_COLOURS)], stage_label(s))
                  for i, s in enumerate(stages)] + [(len(r["unspecified"]), UNSPECIFIED, unspecified_label)]
        for i, (v, colour, what) in enumerate(values):
            bx = x + i * bar
            h = plot_h * v / top
            tip = f"{need_label(r['need'])} — {what} : {v}"
            if v:
                out.append(f'<rect x="{bx:.1f}" y="{10 + plot_h - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
                           f'fill="{colour}"><title>{escape(tip)}</title></rect>')
            elif i < len(stages):
                out.append(f'<text x="{bx + (bar - 2) / 2:.1f}" y="{6 + plot_h:.1f}" text-anchor="middle" '
                           f'class="gap" fill="{GAP}">0<title>{escape(tip)}</title></text>')
        out.append(f'<text x="{left + g * slot + slot / 2:.1f}" y="{plot_h + 28}" text-anchor="middle" '
                   f'class="group">{escape(need_label(r["need"]))}</text>')
    out.append("</svg>")
    return "".join(out)


def cooperation_picture(picture: dict, *, width: int = 660, height: int = 440, labelled: int = 10) -> str:
    """The territory's most central structures (``nodes``: ``x``, ``y`` in [0, 1], ``name``,
    ``cluster``, ``betweenness``) and their ties (``edges``: ``source``, ``target``,
    ``weight``), coloured by cluster, sized by betweenness; the first names written."""
    nodes = picture.get("nodes") or []
    if not nodes:
        return ""
    pad = 24

    def at(n):  # positions are in [0, 1]²
        return pad + n["x"] * (width - 2 * pad), pad + n["y"] * (height - 2 * pad)

    where = {n["id"]: at(n) for n in nodes}
    top_w = max([1e-9, *(e["weight"] for e in picture.get("edges") or ())])
    top_b = max([1e-9, *(n["betweenness"] for n in nodes)])
    out = [f'<svg class="coop" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img">']
    for e in picture.get("edges") or ():
        (ax, ay), (bx, by) = where[e["source"]], where[e["target"]]
        out.append(f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#888" '
                   f'stroke-opacity="0.5" stroke-width="{0.6 + 2.4 * e["weight"] / top_w:.2f}"/>')
    ranked = sorted(nodes, key=lambda n: (-n["betweenness"], n["id"]))
    named = {n["id"] for n in ranked[:labelled]}
    for n in ranked[::-1]:
        x, y = where[n["id"]]
        r = 3 + 6 * math.sqrt(n["betweenness"] / top_b)
        colour = "#999999" if n["cluster"] is None else CLUSTERS[int(n["cluster"]) % len(CLUSTERS)]
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}" stroke="#fff" stroke-width="1">'
                   f'<title>{escape(n["name"])}</title></circle>')
        if n["id"] in named:
            left = x > width / 2  # names on the right half written leftwards, inside the picture
            out.append(f'<text x="{x - r - 2 if left else x + r + 2:.1f}" y="{y + 3:.1f}" class="label" '
                       f'text-anchor="{"end" if left else "start"}">{escape(n["name"][:40])}</text>')
    out.append("</svg>")
    return "".join(out)

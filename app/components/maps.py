"""Offline maps: pydeck decks over the shipped territory outlines, no basemap.

Every deck is built with ``map_provider=None``: Streamlit's frontend then draws
no basemap and fetches nothing (see ``reference/open-data-formats.md`` §6); the
background is France itself, drawn from ``loaders/data/territories`` outlines.
Polygons are flat records (one per polygon of a MultiPolygon) so that tooltips
and selections see plain fields. Nothing here imports Streamlit or a store.
"""

from __future__ import annotations

import json
import math

import pydeck as pdk

from app.components.network import colour_of_cluster

WHITE = [255, 255, 255, 230]
BLUES = ([198, 219, 239], [158, 202, 225], [107, 174, 214], [66, 146, 198], [33, 113, 181],
         [8, 69, 148])
OUTLINE = [90, 90, 90, 200]


def hex_rgb(colour: str, alpha: int = 220) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def coverage_colour(count: int, top: int) -> list[int]:
    """White for nobody, then darker blues as more providers serve the territory."""
    if not count:
        return WHITE
    if top <= 1:
        return BLUES[-2] + [210]
    step = min(len(BLUES) - 1, int((len(BLUES) - 1) * math.log1p(count - 1) / math.log1p(top - 1)))
    return BLUES[step] + [210]


def polygon_records(outlines: dict, rows: list[dict], *, code_key: str = "code",
                    max_points: int = 120_000) -> list[dict]:
    """One record per polygon: ``polygon`` (its rings) plus the fields of its territory's row.

    ``outlines`` maps a code to MultiPolygon coordinates (:func:`loaders.territories.load_outlines`);
    rows without an outline are skipped. When the outlines hold more than ``max_points``
    vertices in all (the 4,300 communes of a région), every ring keeps one vertex in
    *k*, so that the page stays light; rings keep at least four vertices and stay closed.

    Examples
    --------
    >>> square = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]
    >>> recs = polygon_records({"1": [square]}, [{"code": "1", "name": "A"}, {"code": "2"}])
    >>> [(r["name"], r["polygon"]) for r in recs]
    [('A', [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]])]
    """
    shapes = [(row, outlines.get(str(row.get(code_key)))) for row in rows]
    total = sum(len(ring) for _, shape in shapes if shape for polygon in shape for ring in polygon)
    stride = max(1, math.ceil(total / max_points)) if max_points else 1
    out = []
    for row, shape in shapes:
        if not shape:
            continue
        for polygon in shape:
            if stride > 1:
                polygon = [_thin(ring, stride) for ring in polygon]
            out.append({**row, "polygon": polygon})
    return out


def _thin(ring: list, stride: int) -> list:
    if len(ring) <= 4 * stride:
        return ring
    kept = ring[:-1:stride]
    return kept + [ring[0]] if len(kept) >= 3 else ring


def bounds_view(points, *, default=(46.6, 2.4, 4.6)) -> pdk.ViewState:
    """A view fitting ``points`` (``(lon, lat)`` pairs); France when there are none."""
    pts = [(x, y) for x, y in points if x is not None and y is not None]
    if not pts:
        lat, lon, zoom = default
        return pdk.ViewState(latitude=lat, longitude=lon, zoom=zoom)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    span = max(max(xs) - min(xs), (max(ys) - min(ys)) * 1.4, 0.05)
    zoom = max(3.0, min(11.0, math.log2(360 / span) - 0.2))
    return pdk.ViewState(latitude=(min(ys) + max(ys)) / 2, longitude=(min(xs) + max(xs)) / 2,
                         zoom=zoom, pitch=0)


def ring_points(records: list[dict]):
    for r in records:
        for lon, lat in r["polygon"][0]:
            yield lon, lat


def outline_layer(records: list[dict], layer_id: str = "outlines", *,
                  fill=(245, 245, 240, 255)) -> pdk.Layer:
    """Territory outlines drawn as the map's background."""
    return pdk.Layer("PolygonLayer", records, id=layer_id, get_polygon="polygon",
                     get_fill_color=list(fill), get_line_color=OUTLINE, line_width_min_pixels=1,
                     stroked=True, filled=True, pickable=False)


class CompactDeck(pdk.Deck):
    """A deck whose JSON has no indentation (pydeck indents by 2: a commune map's
    coordinates would triple in size on their way to the browser)."""

    def to_json(self):
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(layers: list, view: pdk.ViewState, tooltip: dict | None = None) -> pdk.Deck:
    """A deck with no basemap at all (``map_provider=None``): nothing is fetched."""
    # map_style must stay unset: pydeck then writes the "__MAP_STYLE__" sentinel, which
    # Streamlit turns into "no basemap"; map_style=None would make it fetch Carto's style.
    return CompactDeck(layers=layers, initial_view_state=view, map_provider=None,
                       tooltip=tooltip or False)


def choropleth_deck(records: list[dict], providers: list[dict], *, tooltip_html: str,
                    provider_tooltip: str | None = None) -> pdk.Deck:
    """Coverage map: ``records`` from :func:`polygon_records` with ``fill`` colours (pickable,
    layer id ``territories``), providers' seats as points (``lon``, ``lat``, ``name``)."""
    layers = [pdk.Layer("PolygonLayer", records, id="territories", get_polygon="polygon",
                        get_fill_color="fill", get_line_color=OUTLINE, line_width_min_pixels=1,
                        stroked=True, filled=True, pickable=True, auto_highlight=True)]
    if providers:
        layers.append(pdk.Layer("ScatterplotLayer", providers, id="providers",
                                get_position=["lon", "lat"], get_fill_color=[217, 95, 2, 230],
                                get_line_color=[255, 255, 255], line_width_min_pixels=1,
                                stroked=True, get_radius=1500, radius_min_pixels=4,
                                radius_max_pixels=12, pickable=True))
    view = bounds_view(list(ring_points(records)))
    return deck(layers, view, {"html": tooltip_html, "style": {"fontSize": "12px"}})


def arcs_deck(background: list[dict], points: list[dict], arcs: list[dict], *,
              tooltip_html: str) -> pdk.Deck:
    """Geographic cooperation map: outlines, structures (``lon``, ``lat``, ``name``,
    ``cluster``, ``radius``) and ties as arcs (``from_lon``, ``from_lat``, ``to_lon``,
    ``to_lat``, ``weight``)."""
    for p in points:
        p.setdefault("color", hex_rgb(colour_of_cluster(p.get("cluster"))))
    for a in arcs:
        a.setdefault("width", 1 + min(4.0, 2 * float(a.get("weight") or 1)))
    layers = [outline_layer(background),
              pdk.Layer("ArcLayer", arcs, id="ties", get_source_position=["from_lon", "from_lat"],
                        get_target_position=["to_lon", "to_lat"],
                        get_source_color=[43, 123, 186, 160], get_target_color=[217, 95, 2, 160],
                        get_width="width", pickable=True, great_circle=False),
              pdk.Layer("ScatterplotLayer", points, id="structures", get_position=["lon", "lat"],
                        get_fill_color="color", get_line_color=[255, 255, 255],
                        line_width_min_pixels=1, stroked=True, get_radius="radius",
                        radius_min_pixels=3, radius_max_pixels=18, pickable=True)]
    pts = [(p["lon"], p["lat"]) for p in points] or list(ring_points(background))
    return deck(layers, bounds_view(pts), {"html": tooltip_html, "style": {"fontSize": "12px"}})


def spread(points: list[dict], *, step_km: float = 2.5) -> list[dict]:
    """Move points that share a position onto a small circle around it, so all show."""
    by_pos: dict[tuple, list[dict]] = {}
    for p in points:
        by_pos.setdefault((round(p["lon"], 4), round(p["lat"], 4)), []).append(p)
    for (lon, lat), group in by_pos.items():
        if len(group) < 2:
            continue
        radius = step_km * (1 + len(group) / 12) / 111.0
        for i, p in enumerate(sorted(group, key=lambda q: q.get("id", ""))):
            angle = 2 * math.pi * i / len(group)
            p["lat"] = lat + radius * math.sin(angle)
            p["lon"] = lon + radius * math.cos(angle) / max(0.2, math.cos(math.radians(lat)))
    return points

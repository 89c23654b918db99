"""Helpers shared by the analyses: reading the typed graph, dates, vocabularies in French.

The typed graph is the ``networkx.MultiDiGraph`` of :mod:`graph.convert`: node keys
are ids, nodes carry ``labels`` (a tuple) and their properties, edges carry ``type``
and the relationship's properties. Nothing here imports a store.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

import networkx as nx

from graph import model

#: Node kinds that can provide a support function (coverage, orientation).
PROVIDER_LABELS = (model.STRUCTURE, model.NETWORK, model.FUNDER, model.PLACE)

#: French words used in the reasons shown to users.
FUNCTION_FR = {
    "information": "information", "accompagnement": "accompagnement",
    "financement": "financement", "formation": "formation", "lieu": "lieu",
    "reseau": "réseau",
}
STAGE_FR = {
    "emergence": "émergence", "creation": "création",
    "developpement": "développement", "consolidation": "consolidation",
}
LEVEL_FR = {
    "commune": "commune", "epci": "EPCI", "departement": "département",
    "region": "région", "national": "national",
}

EARTH_RADIUS_KM = 6371.0088


def labels_of(G: nx.MultiDiGraph, n) -> tuple[str, ...]:
    """The labels of node ``n`` (an empty tuple when it has none)."""
    return tuple(G.nodes[n].get("labels") or ())


def has_label(G: nx.MultiDiGraph, n, label: str) -> bool:
    """Whether node ``n`` carries ``label``."""
    return label in (G.nodes[n].get("labels") or ())


def nodes_with_label(G: nx.MultiDiGraph, label: str) -> list[str]:
    """Ids of the nodes carrying ``label``, sorted."""
    return sorted(n for n, lab in G.nodes(data="labels") if lab and label in lab)


def name_of(G: nx.MultiDiGraph, n) -> str:
    """The node's ``name``, or its id when it has none."""
    name = G.nodes[n].get("name") if n in G else None
    return str(name) if name not in (None, "") else str(n)


def as_list(value) -> list[str]:
    """A list property as a list: ``None`` → ``[]``, ``"a|b"`` → ``["a", "b"]``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(model.LIST_SEPARATOR) if v.strip()]
    return [str(v) for v in value]


def year_of(value) -> int | None:
    """The year of a date-like value: ``2003``, ``"2003"``, ``"2002-11"``, ``"2007-02-08"``.

    Returns None for a missing or unreadable value.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else int(value)
    year = getattr(value, "year", None)  # date, datetime, neo4j Date
    if isinstance(year, int):
        return year
    text = str(value).strip()[:4]
    return int(text) if len(text) == 4 and text.isdigit() else None


def is_current(data: dict, as_of: int | None) -> bool:
    """Whether a relationship holds in year ``as_of`` (always, when ``as_of`` is None).

    It holds when ``since <= as_of``, ``until`` is missing or ``until >= as_of``, and
    a ``year`` (funding) is ``<= as_of``. Undated relationships always hold.
    """
    if as_of is None:
        return True
    since, until, year = (year_of(data.get(k)) for k in ("since", "until", "year"))
    return ((since is None or since <= as_of) and (until is None or until >= as_of)
            and (year is None or year <= as_of))


def edges_of_type(G: nx.MultiDiGraph, *types: str) -> Iterator[tuple[str, str, dict]]:
    """The ``(source, target, data)`` of every relationship of the given types."""
    wanted = set(types)
    for u, v, d in G.edges(data=True):
        if d.get("type") in wanted:
            yield u, v, d


def offers(G: nx.MultiDiGraph, n, need: str) -> bool:
    """Whether node ``n`` provides support function ``need`` (see :func:`provides`)."""
    return provides(G.nodes[n], need)


def provides(data: dict, need: str) -> bool:
    """Whether a node with attributes ``data`` provides support function ``need``.

    A structure, network, funder or shared place offers what its ``functions``
    list says; besides, every shared place offers ``lieu`` and every network
    offers ``reseau``.
    """
    labels = data.get("labels") or ()
    if not any(lab in labels for lab in PROVIDER_LABELS):
        return False
    if need in as_list(data.get("functions")):
        return True
    return ((need == "lieu" and model.PLACE in labels)
            or (need == "reseau" and model.NETWORK in labels))


def check_choice(value, choices: Iterable, what: str, *, optional: bool = False):
    """Raise ValueError unless ``value`` is one of ``choices`` (or None, if optional)."""
    choices = tuple(choices)
    if (optional and value is None) or value in choices:
        return value
    raise ValueError(f"unknown {what} {value!r}; expected one of {', '.join(map(str, choices))}")


def check_node(G: nx.MultiDiGraph, n, what: str, label: str | None = None):
    """Raise NodeNotFound unless ``n`` is a node of ``G`` (carrying ``label``, if given)."""
    if n not in G or (label is not None and not has_label(G, n, label)):
        raise nx.NodeNotFound(f"{what} {n!r} is not in the graph")
    return n


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))

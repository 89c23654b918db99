"""Orientation: "vers qui se tourner ?" — providers and initiatives for a project, here.

For a commune, a need, and optionally a stage and a sector, the front desk gets
the providers to turn to, most local first, each with the reason it was chosen
(in French, as shown to users), and the initiatives that serve that need there.
"""

from __future__ import annotations

import unicodedata

import networkx as nx

from graph import model

from ._common import FUNCTION_FR, STAGE_FR, as_list, name_of
from ._index import GraphIndex
from .coverage import matching_providers

__all__ = ["orient"]

_LEVELS = (*model.TERRITORY_LEVELS, "national")
#: Levels of an organisation attached to no territory that answers everywhere.
NATIONAL_LEVELS = ("national", "international")
_NEED_PHRASE = {
    "information": "informe et oriente les projets", "accompagnement": "accompagne les projets",
    "financement": "finance les projets", "formation": "forme les porteurs de projets",
    "lieu": "accueille les projets", "reseau": "met en réseau les projets",
}
#: Words (lower case, without accents) showing that an initiative's text fits a need.
NEED_KEYWORDS = {
    "information": ("inform", "orient", "accueil", "guichet"),
    "accompagnement": ("accompagn", "incubat", "couveuse", "conseil"),
    "financement": ("financ", "fonds", "pret ", "prets", "subvention", "epargne", "investi"),
    "formation": ("formation", "apprentissage", "universit", "ecole"),
    "lieu": ("lieu", "locaux", "local ", "espace"),
    "reseau": ("reseau", "cooper", "mutualis"),
}
#: Initiative themes and the needs they answer.
THEME_NEEDS = {"entreprendre": ("accompagnement", "financement"), "cooperer": ("reseau",)}


def _plain(text) -> str:
    text = unicodedata.normalize("NFKD", str(text or "")).lower()
    return "".join(c for c in text if not unicodedata.combining(c))


def _fits(data: dict, need: str) -> bool:
    if need in THEME_NEEDS.get(data.get("theme"), ()):
        return True
    text = f" {_plain(data.get('name'))} {_plain(data.get('description'))} "
    return any(word in text for word in NEED_KEYWORDS[need])


def _match(areas, chain: dict) -> tuple[int, str] | None:
    """(rank of the most local territory of ``chain`` among ``areas``, that territory)."""
    hits = [(chain[t], t) for t in areas if t in chain]
    return min(hits) if hits else None


def orient(G: nx.MultiDiGraph, commune_id: str, need: str, stage: str | None = None,
           sector: str | None = None, *, top: int | None = 10) -> dict:
    """Providers and initiatives answering ``need`` for a project in ``commune_id``.

    A provider (see :func:`~graph.analysis.coverage.matching_providers`) is kept
    when it serves or is seated in the commune or a territory containing it, or
    when it has no territory at all but a ``national``/``international`` level.
    Providers are ordered most local first (commune, EPCI, département, région,
    national), then those active in ``sector`` before generalists, those stating
    ``stage`` before those with unspecified stages, then by distance from the
    commune's centroid to their nearest seat, then name.

    Initiatives are kept when they serve the commune or a territory containing it
    (or, without any territory, when a kept provider carries them) and are carried
    by a provider of the need or fit it (their theme, or words of their name and
    description, see :data:`NEED_KEYWORDS`); most local first, then those both
    carried by a provider of the need and fitting it, then carried ones, then by name.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The typed graph.
    commune_id : str
        A territory id, usually a commune (``"commune:44109"``).
    need : str
        A support function of :data:`graph.model.FUNCTIONS`.
    stage, sector : str, optional
        A project stage; a sector id.
    top : int or None, optional (default=10)
        How many providers and initiatives to return (None: all).

    Returns
    -------
    dict
        ``territory``, ``name``, ``need``, ``stage``, ``sector``, ``count`` (providers
        found before the cut), ``providers`` — dicts with ``id``, ``name``,
        ``level`` (where it matched), ``via`` (that territory, None for national),
        ``sector_match``, ``stage_match`` (None when not asked), ``distance_km``
        and ``reason`` — and ``initiatives`` — dicts with ``id``, ``name``,
        ``level``, ``via``, ``carried_by`` and ``reason``.

    Raises
    ------
    networkx.NodeNotFound
        If ``commune_id`` is not a territory of ``G``.
    ValueError
        For an unknown need or stage.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> found = orient(demo_graph(), "commune:44162", "accompagnement", stage="creation")
    >>> [(p["name"], p["level"]) for p in found["providers"]]
    [('Les Ecossolies', 'epci'), ('Ouvre-Boites 44', 'departement')]
    >>> found["providers"][0]["reason"]
    'accompagne les projets en création, intervient sur Nantes Métropole'
    >>> [i["reason"] for i in found["initiatives"]]
    ['portée par Les Ecossolies, répond à : accompagnement, intervient sur Loire-Atlantique']
    """
    idx = GraphIndex(G)
    if commune_id not in idx.level:
        raise nx.NodeNotFound(f"territory {commune_id!r} is not in the graph")
    chain = {t: _LEVELS.index(idx.level[t]) if idx.level[t] in _LEVELS else len(_LEVELS)
             for t in (commune_id, *idx.ancestors(commune_id))}
    found = matching_providers(G, need, stage=stage, sector=sector, index=idx)
    providers = []
    for p in found:
        data = G.nodes[p]
        areas = idx.areas(p)
        hit = _match(areas, chain)
        if hit is None:
            if areas or data.get("level") not in NATIONAL_LEVELS:
                continue
            hit = (_LEVELS.index("national"), None)
        rank, via = hit
        sector_match = None if sector is None else sector in idx.sectors.get(p, ())
        stage_match = None if stage is None else stage in as_list(data.get("stages"))
        km = idx.distance_km(commune_id, idx.seats.get(p, ()))
        providers.append({
            "id": p, "name": name_of(G, p), "level": _LEVELS[rank], "via": via,
            "sector_match": sector_match, "stage_match": stage_match,
            "distance_km": None if km is None else round(km, 2),
            "reason": _provider_reason(G, idx, p, need, stage, sector, via,
                                       sector_match, stage_match),
            "_key": (rank, sector_match is False, stage_match is False,
                     float("inf") if km is None else km, name_of(G, p), p),
        })
    providers.sort(key=lambda r: r.pop("_key"))
    initiatives = _initiatives(G, idx, chain, need, set(found), providers)
    cut = slice(None) if top is None else slice(top)
    return {"territory": commune_id, "name": name_of(G, commune_id), "need": need,
            "stage": stage, "sector": sector, "count": len(providers),
            "providers": providers[cut], "initiatives": initiatives[cut]}


def _provider_reason(G, idx, p, need, stage, sector, via, sector_match, stage_match) -> str:
    parts = [_NEED_PHRASE[need]]
    if stage_match:
        parts[0] += f" en {STAGE_FR[stage]}"
    elif stage is not None:
        parts[0] += " (étapes non précisées)"
    if via is None:
        parts.append("intervient au niveau national")
    elif via in idx.served.get(p, ()):
        parts.append(f"intervient sur {name_of(G, via)}")
    else:
        parts.append(f"situé à {name_of(G, via)}")
    if sector_match:
        parts.append(f"secteur {name_of(G, sector)}")
    elif sector is not None:
        parts.append("tous secteurs")
    return ", ".join(parts)


def _initiatives(G, idx: GraphIndex, chain: dict, need: str, providers_of_need: set,
                 kept: list[dict]) -> list[dict]:
    kept_rank = {r["id"]: (_LEVELS.index(r["level"]), r["via"]) for r in kept}
    rows = []
    for i, data in G.nodes(data=True):
        if model.INITIATIVE not in (data.get("labels") or ()):
            continue
        carriers = sorted(c for c in idx.carriers.get(i, ()) if c in providers_of_need)
        areas = idx.areas(i)
        hit = _match(areas, chain)
        if hit is None and not areas:  # no territory of its own: where its carriers work
            hit = min((kept_rank[c] for c in carriers if c in kept_rank),
                      key=lambda h: (h[0], h[1] or ""), default=None)
        fits = _fits(data, need)
        if hit is None or not (carriers or fits):
            continue
        rank, via = hit
        parts = []
        if carriers:
            parts.append("portée par " + ", ".join(name_of(G, c) for c in carriers))
        if fits:
            parts.append(f"répond à : {FUNCTION_FR[need]}")
        parts.append("intervient au niveau national" if via is None
                     else f"intervient sur {name_of(G, via)}")
        rows.append({"id": i, "name": name_of(G, i), "level": _LEVELS[rank], "via": via,
                     "carried_by": carriers, "reason": ", ".join(parts),
                     "_key": (rank, not (carriers and fits), not carriers, name_of(G, i), i)})
    rows.sort(key=lambda r: r.pop("_key"))
    return rows


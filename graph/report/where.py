"""Which territory a report is about: an id, a code or a name, checked against the store.

``departement:23``, ``23``, ``Creuse``, ``commune:44109``, ``44109``, ``Nantes``,
``Nantes (44)``, ``epci:244400404``, ``Nantes Métropole``, ``region:75`` and
``Nouvelle-Aquitaine`` all name a territory. Ids and codes are looked up in the
store (one indexed read); names in the shipped territorial reference
(:func:`loaders.territories.territory_index`), then checked in the store. An unknown
territory raises :class:`UnknownTerritory` with the closest names.
"""

from __future__ import annotations

import difflib
import re

from graph import model
from graph.errors import MaillageError
from graph.reading import frame_records
from graph.store import GraphStore

__all__ = ["UnknownTerritory", "resolve_territory"]

#: levels tried for a bare name, largest first (a name shared by a région and its
#: département, or a département and its commune — "Paris" —, gives the largest)
_NAME_ORDER = ("region", "departement", "epci", "commune")
_LEVEL_FR = {"commune": "commune", "epci": "EPCI", "departement": "département", "region": "région"}


class UnknownTerritory(MaillageError):
    """No territory of the base has that id, code or name."""


def _chain(store: GraphStore, territory_id: str) -> list[dict]:
    from queries import library

    q = library().get("territorial.chain", backend=store.backend)
    return frame_records(store.run(q.text, q.bind({"id": territory_id}), columns=q.returns))


def _codes(text: str) -> list[str]:
    """The ids a bare code may be, most likely first."""
    code = text.upper()
    if re.fullmatch(r"\d{9}", code):
        return [f"epci:{code}"]
    if re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        return [f"commune:{code}"]
    if re.fullmatch(r"(\d{2,3}|2[AB])", code):
        return [f"departement:{code}", f"region:{code}"]
    return []


def _suggest(text: str, limit: int = 5) -> list[str]:
    """Close names of the reference, as ``Name (level code)``."""
    from loaders.territories import normalize_name, read_territories

    rows = read_territories()
    by_key: dict[str, list[dict]] = {}
    for r in rows:
        by_key.setdefault(normalize_name(r["name"]), []).append(r)
    keys = difflib.get_close_matches(normalize_name(text), list(by_key), n=limit, cutoff=0.7)
    out = []
    for k in keys:
        for r in sorted(by_key[k], key=lambda r: -r["population"])[:2]:
            out.append(f"{r['name']} ({r['id']})")
    return out[:limit]


def _unknown(text: str, why: str) -> UnknownTerritory:
    near = _suggest(text.split(":", 1)[-1]) if text.strip() else []
    hint = f" ; noms proches : {', '.join(near)}" if near else ""
    return UnknownTerritory(f"territoire inconnu : {text!r} ({why}){hint}")


def resolve_territory(store: GraphStore, text: str, *, warn=None) -> dict:
    """The card of the territory ``text`` names (``id``, ``name``, ``level``, ``code``,
    ``population``, ``lat``, ``lon``, ``density``, ``parents``), read from the store.

    ``warn(message)`` is told when a code or name fits several territories (the one
    kept is said, with how to name the others).

    Raises
    ------
    UnknownTerritory
        When no territory of the store fits, with the closest names of the reference.
    """
    say = warn or (lambda message: None)
    text = (text or "").strip()
    if ":" in text:
        level = text.split(":", 1)[0]
        if level not in model.TERRITORY_LEVELS:
            raise _unknown(text, f"échelon {level!r} inconnu : commune, epci, departement ou region")
        found = [r for r in _chain(store, text) if r["id"] == text]
        if not found:
            raise _unknown(text, "absent de la base : chargez le référentiel avec maillage demo "
                                 "ou maillage load-territories")
        return found[0]
    candidates = _codes(text)
    if candidates:
        hits = [r for c in candidates for r in _chain(store, c) if r["id"] == c]
        if not hits:
            raise _unknown(text, "aucun territoire de la base n'a ce code")
        if len(hits) > 1:
            other = hits[1]
            say(f"{text} : {_LEVEL_FR[hits[0]['level']]} {hits[0]['name']} retenu ; pour "
                f"{_LEVEL_FR[other['level']]} {other['name']}, écrivez {other['id']}")
        return hits[0]
    from loaders.territories import territory_index

    index = territory_index()
    matches = [t for level in _NAME_ORDER for t in index.find(text, level)]
    if not matches:
        raise _unknown(text, "aucun territoire de ce nom")
    if len(matches) > 1:
        others = "; ".join(f"{m['name']} ({m['id']})" for m in matches[1:4])
        say(f"{len(matches)} territoires s'appellent ainsi ; retenu : {matches[0]['name']} ({matches[0]['id']}) ; "
            f"autres : {others}. Précisez l'identifiant.")
    found = [r for r in _chain(store, matches[0]["id"]) if r["id"] == matches[0]["id"]]
    if not found:
        raise _unknown(matches[0]["id"], "absent de la base : chargez le référentiel avec maillage demo")
    return found[0]

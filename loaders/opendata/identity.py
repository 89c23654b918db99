"""Which records from different registers are the same organisation, and how to merge them.

The same association can come from SIRENE (``structure:siren-…``), the RNA
(``structure:rna-W…``), GoGoCarto, data·inclusion and a tiers-lieux census,
each with part of what is known. Records are ``structures.csv`` rows (strings,
lists joined with ``|``) with, when known, their commune in ``_commune``
(:func:`structure_records` fills it from the ``LOCATED_IN`` relations).

Match keys, strongest first (:func:`match_keys`):

1. the SIREN (``siren``, or the first 9 digits of a SIRET): score 1.0;
2. the RNA number: score 1.0;
3. the normalised name (:func:`normalise_name`) in the same commune: 0.95;
4. close names in the same commune (:func:`name_similarity` at least
   ``fuzzy_threshold``): the similarity times 0.9, always below the default
   automatic threshold of 0.9, so these go to review (``--review``).

**Never merge two records carrying different SIRENs** (nor different RNA
numbers): such pairs are never reported, and :func:`deduplicate` never joins
groups that would hold two of them, even through a third record.

:func:`merge_records` keeps every source in ``sources`` and says where each
property came from in ``origins`` (a JSON object, property -> source id).
Everything here is pure: no store, no file.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from graph import model
from graph.identifiers import conflict, rna_of, siren_of  # noqa: F401  (conflict: re-exported)

#: words that name a legal form, dropped from names before comparing them
LEGAL_WORDS = frozenset({
    "association", "associations", "asso", "assoc", "ass", "scop", "scic", "sarl", "sas", "sasu", "sa",
    "eurl", "arl", "sca", "snc", "cae", "gie", "scp", "sccv", "selarl", "sapo", "ste", "societe",
    "cooperative", "coop", "loi", "1901",
})
ARTICLES = frozenset({"le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "the"})
_SEP = model.LIST_SEPARATOR
#: id prefix -> rank: the record kept when merging is the one with the lowest rank
ID_RANK = (("structure:siren-", 0), ("structure:rna-", 1), ("structure:di-", 2),
           ("structure:gogo-", 3), ("structure:porteur-", 4))


def normalise_name(name: str) -> str:
    """A name reduced to what identifies the organisation.

    Accents, case and punctuation go; ``&`` becomes ``et``; legal-form words
    (association, asso, SCOP, SCIC, SARL, SAS, SA…) go wherever they are;
    leading articles (le, la, les, l') go. A name made only of such words is
    kept as lower-case text.

    >>> normalise_name("Association « Les Amis du Jardin »"), normalise_name("L'ATELIER DU VÉLO SCOP-SARL")
    ('amis du jardin', 'atelier du velo')
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " et ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # s.c.o.p. -> scop.
    text = re.sub(r"[^a-z0-9]+", " ", text)
    words = text.split()
    kept = [w for w in words if w not in LEGAL_WORDS]
    while kept and kept[0] in ARTICLES:
        kept.pop(0)
    return " ".join(kept) or " ".join(words)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two names in [0, 1]: the larger of difflib's ratio and the
    Jaccard index of their word sets, both on normalised names."""
    return normalised_similarity(normalise_name(a), normalise_name(b))


def normalised_similarity(na: str, nb: str, at_least: float = 0.0) -> float:
    """:func:`name_similarity` of two names already normalised. With ``at_least``, a pair
    that cannot reach it returns 0.0 early (difflib's quick upper bounds), which changes
    no result at or above ``at_least``."""
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ta, tb = set(na.split()), set(nb.split())
    jaccard = len(ta & tb) / len(ta | tb)
    if jaccard >= at_least > 0:
        matcher = difflib.SequenceMatcher(None, na, nb)
        return round(max(matcher.ratio(), jaccard), 4)
    matcher = difflib.SequenceMatcher(None, na, nb)
    if at_least > 0 and (matcher.real_quick_ratio() < at_least or matcher.quick_ratio() < at_least):
        return 0.0  # the ratio cannot reach it, nor can the Jaccard index
    return round(max(matcher.ratio(), jaccard), 4)


@dataclass(frozen=True)
class Match:
    """Two record ids that may be the same organisation, how sure, and why."""

    a: str
    b: str
    score: float
    reason: str


def commune_of(rec: dict) -> str:
    """The INSEE code of the seat commune of an identity record (``""`` if none)."""
    c = str(rec.get("_commune") or rec.get("commune") or "").strip()
    return c.split(":", 1)[1] if c.startswith("commune:") else c


def match_keys(record: dict) -> list[tuple[str, ...]]:
    """The keys under which ``record`` can meet another: ``("siren", s)``,
    ``("rna", w)``, ``("name", normalised name, commune)``."""
    keys: list[tuple[str, ...]] = []
    if s := siren_of(record):
        keys.append(("siren", s))
    if r := rna_of(record):
        keys.append(("rna", r))
    name = normalise_name(record.get("name") or "")
    if name and (c := commune_of(record)):
        keys.append(("name", name, c))
    return keys


def find_duplicates(records: Iterable[dict], existing: Iterable[dict] | None = None, *,
                    fuzzy_threshold: float = 0.85, max_block: int = 500) -> list[Match]:
    """Pairs of records that may be the same organisation, best first.

    Pairs among ``records`` and between ``records`` and ``existing`` (records
    already in the knowledge base) are compared; pairs of two existing records
    are not. Pairs with different SIRENs or RNA numbers are never returned.
    Fuzzy comparison is limited to records of the same commune sharing a word
    of at least 4 letters, in blocks of at most ``max_block`` records.
    """
    recs = [(r, False) for r in records] + [(r, True) for r in (existing or [])]
    best: dict[tuple[int, int], Match] = {}

    def consider(i: int, j: int, score: float, reason: str) -> None:
        if i == j or (recs[i][1] and recs[j][1]):
            return
        a, b = recs[i][0], recs[j][0]
        if a["id"] == b["id"] or conflict(a, b):
            return
        key = (min(i, j), max(i, j))
        if key not in best or best[key].score < score:
            x, y = (a, b) if i < j else (b, a)
            best[key] = Match(x["id"], y["id"], score, reason)

    groups: dict[tuple, list[int]] = {}
    for i, (r, _) in enumerate(recs):
        for k in match_keys(r):
            groups.setdefault(k, []).append(i)
    for k, idx in groups.items():
        if len(idx) < 2 or all(recs[i][1] for i in idx):  # existing records only: not compared
            continue
        if k[0] == "siren":
            score, reason = 1.0, f"même SIREN {k[1]}"
        elif k[0] == "rna":
            score, reason = 1.0, f"même numéro RNA {k[1]}"
        else:
            score, reason = 0.95, f"même nom « {k[1]} » et même commune {k[2]}"
        for p, i in enumerate(idx):
            for j in idx[p + 1:]:
                consider(i, j, score, reason)
    blocks: dict[tuple[str, str], list[int]] = {}
    normal: dict[int, str] = {}
    for i, (r, _) in enumerate(recs):
        c = commune_of(r)
        if not c:
            continue
        normal[i] = normalise_name(r.get("name") or "")
        for w in set(normal[i].split()):
            if len(w) >= 4:
                blocks.setdefault((c, w), []).append(i)
    compared: set[tuple[int, int]] = set(best)
    for (c, _), idx in blocks.items():
        if len(idx) < 2 or len(idx) > max_block:
            continue
        fresh = [i for i in idx if not recs[i][1]]  # a pair needs one record that is not in the base
        for p, i in enumerate(fresh):
            for j in (*fresh[p + 1:], *(j for j in idx if recs[j][1])):
                key = (min(i, j), max(i, j))
                if key in compared:
                    continue
                compared.add(key)
                sim = normalised_similarity(normal[i], normal[j], fuzzy_threshold)
                if sim >= fuzzy_threshold:
                    consider(i, j, round(0.9 * sim, 4),
                             f"noms proches (similarité {sim:.2f}) dans la même commune {c}")
    return sorted(best.values(), key=lambda m: (-m.score, m.a, m.b))


def _rank(rec: dict) -> tuple[int, str]:
    if rec.get("_existing"):
        return (-1, rec["id"])
    for prefix, rank in ID_RANK:
        if rec["id"].startswith(prefix):
            return (rank, rec["id"])
    return (len(ID_RANK), rec["id"])


def _split(value: str) -> list[str]:
    return [v for v in str(value or "").split(_SEP) if v]


def _origins(rec: dict) -> dict:
    try:
        return dict(json.loads(rec.get("origins") or "{}"))
    except ValueError:
        return {}


def merge_records(a: dict, b: dict) -> dict:
    """One record from two records of the same organisation.

    The record of the strongest register is kept as the base (an existing
    record of the knowledge base, then SIRENE, RNA, data·inclusion, GoGoCarto,
    tiers-lieux census): its id stays, its values win; the other fills what
    it lacks. A name in capitals (as registers write them) gives way to the
    same organisation's name in mixed case. List properties are united.
    ``sources`` keeps every source of both; ``origins`` (JSON) maps each
    property to the source it came from; ``_merged_from`` lists the ids merged.

    Raises ValueError if the two records carry different SIRENs or RNA numbers.
    """
    why = conflict(a, b)
    if why:
        raise ValueError(f"{a.get('id')} et {b.get('id')} ne peuvent être fusionnés : {why}")
    p, s = sorted((a, b), key=_rank)
    po, so = _origins(p), _origins(s)
    p_src, s_src = (_split(p.get("sources")) or [p["id"]]), (_split(s.get("sources")) or [s["id"]])
    out: dict = {}
    origins: dict = {}
    keys = [k for k in list(p) + [k for k in s if k not in p]
            if k not in ("id", "sources", "origins") and not k.startswith("_")]
    for k in keys:
        pv, sv = str(p.get(k) or ""), str(s.get(k) or "")
        if k in ("functions", "stages", "extra_labels"):
            items = _split(pv) + [v for v in _split(sv) if v not in _split(pv)]
            out[k] = _SEP.join(items)
            if items:
                origins[k] = po.get(k, p_src[0]) if pv else so.get(k, s_src[0])
            continue
        if k == "name" and pv and sv and pv.isupper() and not sv.isupper() \
                and normalise_name(pv) == normalise_name(sv):
            pv = ""
        if pv:
            out[k], origins[k] = pv, po.get(k, p_src[0])
        elif sv:
            out[k], origins[k] = sv, so.get(k, s_src[0])
        else:
            out[k] = ""
    out["id"] = p["id"]
    out["sources"] = _SEP.join(p_src + [x for x in s_src if x not in p_src])
    out["origins"] = json.dumps(origins, ensure_ascii=False, sort_keys=True)
    merged = _split(p.get("_merged_from")) or [p["id"]]
    merged += [x for x in (_split(s.get("_merged_from")) or [s["id"]]) if x not in merged]
    out["_merged_from"] = _SEP.join(merged)
    out["_commune"] = p.get("_commune") or s.get("_commune") or ""
    for k in ("_ref", "_existing"):
        if p.get(k):
            out[k] = p[k]
    return out


def deduplicate(records: list[dict], existing: list[dict] | None = None, *,
                min_score: float = 0.9, fuzzy_threshold: float = 0.85
                ) -> tuple[list[dict], dict[str, str], list[Match]]:
    """Merge the records that are one organisation.

    Returns ``(merged, id_map, review)``: the records of ``records`` with each
    group of duplicates (score at least ``min_score``) merged into one
    (:func:`merge_records`; a group with an ``existing`` record keeps that
    record's id, and its merged record is returned too), ``id_map`` from every
    merged-away id to the id kept, and the matches below ``min_score`` for a
    person to review. Groups are joined strongest match first, and never so as
    to hold two SIRENs or two RNA numbers.
    """
    existing = [dict(r, _existing="1") for r in (existing or [])]
    allrecs = list(records) + existing
    by_id = {r["id"]: r for r in allrecs}
    matches = find_duplicates(records, existing, fuzzy_threshold=fuzzy_threshold)
    parent = {i: i for i in by_id}
    members = {i: [i] for i in by_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    review = []
    for m in matches:
        if m.score < min_score:
            review.append(m)
            continue
        ra, rb = find(m.a), find(m.b)
        if ra == rb:
            continue
        group = members[ra] + members[rb]
        sirens = {s for i in group if (s := siren_of(by_id[i]))}
        rnas = {r for i in group if (r := rna_of(by_id[i]))}
        if len(sirens) > 1 or len(rnas) > 1:
            continue
        parent[rb] = ra
        members[ra] = group
        del members[rb]
    out, id_map = [], {}
    new_ids = {r["id"] for r in records}
    for root, group in members.items():
        recs = sorted((by_id[i] for i in group), key=_rank)
        if len(recs) == 1:
            if recs[0]["id"] in new_ids:
                out.append(recs[0])
            continue
        merged = recs[0]
        for r in recs[1:]:
            merged = merge_records(merged, r)
        for i in group:
            if i != merged["id"]:
                id_map[i] = merged["id"]
        out.append(merged)
    order = {r["id"]: n for n, r in enumerate(allrecs)}
    out.sort(key=lambda r: min(order[i] for i in _split(r.get("_merged_from")) or [r["id"]]))
    return out, id_map, review


def structure_records(tables: dict[str, list[dict]]) -> list[dict]:
    """The ``structures.csv`` rows of ``tables``, each with ``_commune`` from its
    ``LOCATED_IN`` relation, else from the commune of a place it ``USES``."""
    rels = tables.get(model.RELATIONS_FILE, [])
    seat = {}
    for r in rels:
        if r["type"] == "LOCATED_IN" and r["target_id"].startswith("commune:"):
            seat.setdefault(r["source_id"], r["target_id"].split(":", 1)[1])
    for r in rels:
        if r["type"] == "USES" and r["target_id"] in seat:
            seat.setdefault(r["source_id"], seat[r["target_id"]])
    return [dict(row, _commune=seat.get(row["id"], "")) for row in tables.get("structures.csv", [])]


def merge_results(results, *, existing: list[dict] | None = None, min_score: float = 0.9,
                  fuzzy_threshold: float = 0.85):
    """One :class:`~loaders.opendata.common.ImportResult` from several, duplicates merged.

    Structures that are one organisation (:func:`deduplicate`) become one row
    (with an ``origins`` JSON property); relations are rewired to the ids
    kept, repeated ones dropped, and a structure keeps one ``LOCATED_IN``: its
    own record's (the strongest register's) when the registers disagree.
    Other node files are concatenated, each id once. Reports are added up.
    Returns ``(result, review)``, ``review`` being the matches left to a person.
    """
    from loaders.opendata.common import ImportResult

    out = ImportResult()
    all_tables: dict[str, list[dict]] = {}
    for res in results:
        out.report.merge(res.report)
        out.filtered += res.filtered
        out.source_columns.update(res.source_columns)
        for name, rows in res.tables.items():
            all_tables.setdefault(name, []).extend(rows)
    for name, rows in all_tables.items():
        if name in ("structures.csv", model.RELATIONS_FILE):
            continue
        for row in rows:
            values = {k: v for k, v in row.items() if not k.startswith("_")}
            out.add_node(name, row.get("_ref", ""), **values)
    records = structure_records(all_tables)
    merged, id_map, review = deduplicate(records, existing, min_score=min_score,
                                         fuzzy_threshold=fuzzy_threshold)
    columns = model.NODE_FILE_BY_NAME["structures.csv"].column_names
    for r in merged:
        row = out.add_node("structures.csv", r.get("_ref", ""), **{c: r.get(c, "") for c in columns})
        if row is not None and r.get("origins"):
            row["origins"] = r["origins"]
    seats: dict[str, tuple[bool, str]] = {}
    rels: dict[tuple, dict] = {}
    for rel in all_tables.get(model.RELATIONS_FILE, []):
        src = id_map.get(rel["source_id"], rel["source_id"])
        dst = id_map.get(rel["target_id"], rel["target_id"])
        if src == dst:
            continue
        if rel["type"] == "LOCATED_IN":
            own = rel["source_id"] == src
            if src in seats and seats[src][1] != dst and (seats[src][0] or not own):
                continue
            if src in seats and seats[src][1] != dst:
                rels = {k: v for k, v in rels.items() if not (k[0] == src and k[1] == "LOCATED_IN")}
            seats[src] = (own or seats.get(src, (False, ""))[0], dst)
        props = tuple(sorted((k, v) for k, v in rel.items() if k not in ("source_id", "type", "target_id",
                                                                          "sources") and not k.startswith("_")))
        key = (src, rel["type"], dst, props)
        if key in rels:
            have = _split(rels[key]["sources"])
            rels[key]["sources"] = _SEP.join(have + [x for x in _split(rel.get("sources")) if x not in have])
            continue
        rels[key] = dict(rel, source_id=src, target_id=dst)
    for row in rels.values():
        values = {k: v for k, v in row.items() if k not in ("source_id", "type", "target_id")
                  and not k.startswith("_") and v != ""}
        out.add_relation(row.get("_ref", ""), row["source_id"], row["type"], row["target_id"], **values)
    if id_map:
        kept = len(set(id_map.values()))
        out.report.warnings.append(f"{len(id_map) + kept} structures en double fusionnées en {kept} "
                                   f"(même SIREN, RNA, ou même nom dans la même commune)")
    out.source_id = _SEP.join(r.source_id for r in results if r.source_id)
    return out, review

"""Which reader a file is for, from its headers (and its name when headers are not enough).

:func:`detect_format` returns one of :data:`FORMATS`: ``sirene``, ``rna``,
``gogocarto``, ``datainclusion``, ``tierslieux`` or ``bundle`` (a folder or
``.xlsx`` holding ``structures.csv``… or one bundle CSV). It reads only the
first line of each CSV (or the first kilobytes of a JSON file, the schema of
a Parquet file; a workbook is always a bundle) and raises
:class:`~graph.errors.InputError` naming the file when the format is unknown
(saying also why it is not a bundle) or ambiguous. :func:`reader_for` gives
the matching ``read_<format>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from graph import model
from graph.errors import InputError
from loaders.opendata.common import Member, clean_header, members, sniff_encoding, sniff_separator

FORMATS = ("sirene", "rna", "gogocarto", "datainclusion", "tierslieux", "bundle")
BUNDLE_FILES = tuple(f.filename for f in model.NODE_FILES) + (model.RELATIONS_FILE,)


def _formats_of_header(header: list[str]) -> set[str]:
    h = set(header)
    low = {x.lower() for x in header}
    found = set()
    if "siren" in h and ({"categorieJuridiqueUniteLegale", "etablissementSiege"} & h):
        found.add("sirene")
    if {"id", "titre"} <= h and ({"adrs_codeinsee", "date_creat", "objet"} & h):
        found.add("rna")
    if {"id", "nom"} <= h and ({"typologie", "thematiques", "labels_nationaux", "reseaux_porteurs"} & h
                               or {"source", "date_maj", "description"} <= h):  # schema v0, v1
        found.add("datainclusion")
    if {"ID", "NOM_TL", "TYPO"} <= h or {"ID_UNIQUE", "NOM", "NOM_STRC_PORT"} <= h:
        found.add("tierslieux")
    geo = {"latitude", "geo.latitude", "lat"} & low
    if ("name" in low or "title" in low) and ({"categories", "categoriesfull", "taxonomy"} & low) and (
            geo or {"postalcode", "address.postalcode", "addresslocality"} & low):
        found.add("gogocarto")
    if "id" in h and ({"name", "source_id"} & h) and (
            {"legal_form", "kind", "title", "type", "target_id"} & h) and "bundle" not in found:
        if h <= {c for f in model.NODE_FILES for c in f.column_names} | {c.name for c in model.RELATION_COLUMNS}:
            found.add("bundle")
    return found


def _csv_header(member: Member) -> list[str]:
    with member.open() as f:
        head = f.read(1 << 16)
    enc = sniff_encoding(head, name=member.name)
    first = head.split(b"\n", 1)[0].decode(enc, errors="replace").rstrip("\r")
    import csv

    return clean_header(next(csv.reader([first], delimiter=sniff_separator(first)), []))


def _json_formats(member: Member) -> set[str]:
    with member.open() as f:
        raw = f.read(1 << 24)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        return set()
    if isinstance(data, dict):
        data = data.get("data", data.get("items", data.get("elements", data.get("structures"))))
    if not isinstance(data, list):
        return set()
    keys: set[str] = set()
    for el in data[:50]:
        if isinstance(el, dict):
            keys |= {str(k) for k in el}
            if isinstance(el.get("geo"), dict):
                keys |= {f"geo.{k}" for k in el["geo"]}
    return _formats_of_header(sorted(keys))


def _member_formats(member: Member) -> set[str]:
    if member.basename in BUNDLE_FILES:
        return {"bundle"}
    suffix = member.suffix
    if suffix == ".parquet":
        from loaders.opendata.sirene import header_of

        return _formats_of_header(header_of(member))
    if suffix in (".json", ".geojson", ".json.gz"):
        return _json_formats(member)
    if suffix in (".csv", ".txt", ".csv.gz"):
        return _formats_of_header(_csv_header(member))
    return set()


def detect_format(path: Path | str) -> str:
    """The format of ``path`` among :data:`FORMATS`; InputError if unknown or ambiguous."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} : fichier ou dossier introuvable")
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        return _workbook_format(path)
    if path.is_dir() and any((path / f).is_file() for f in BUNDLE_FILES):
        return "bundle"
    try:
        files = members(path)
    except InputError as err:
        raise _unknown(path, str(err)) from None
    found: dict[str, list[str]] = {}
    for m in files:
        try:
            fmts = _member_formats(m)
        except InputError:
            continue
        for f in fmts:
            found.setdefault(f, []).append(m.name)
    if not found:
        raise _unknown(path, f"{path} : format inconnu (attendu un stock SIRENE, un fichier RNA, un export "
                       "GoGoCarto, des structures data·inclusion, une liste de tiers-lieux ou un bundle)")
    if len(found) > 1:
        detail = " ; ".join(f"{f} ({', '.join(names[:3])})" for f, names in sorted(found.items()))
        raise InputError(f"{path} : format ambigu, plusieurs possibles : {detail} "
                         "(indiquez le format, ou séparez les fichiers)")
    return next(iter(found))


def _workbook_format(path: Path) -> str:
    """An open-data format when the first sheet's header is one (the CGET list's ``.xlsx``,
    data·inclusion's upload template), else ``bundle`` (whose reader checks the workbook)."""
    from loaders.opendata.sheets import SheetSource

    try:
        fmts = _formats_of_header(SheetSource(Member(path)).header) - {"bundle"}
    except InputError:
        return "bundle"
    return fmts.pop() if len(fmts) == 1 else "bundle"


def _unknown(path: Path, reason: str) -> InputError:
    """The error for a path of no known format: ``reason``, then why it is not a bundle either."""
    from loaders.bundle import not_a_bundle

    bundle = not_a_bundle(path)
    return InputError(f"{reason}\n{bundle}" if bundle else reason)


def reader_for(fmt: str) -> Callable:
    """The ``read_<fmt>`` function of a format (not ``bundle``: that is :mod:`loaders.bundle`)."""
    from loaders import opendata

    readers = {"sirene": opendata.read_sirene, "rna": opendata.read_rna,
               "gogocarto": opendata.read_gogocarto, "datainclusion": opendata.read_datainclusion,
               "tierslieux": opendata.read_tierslieux}
    if fmt not in readers:
        raise InputError(f"format sans lecteur open data : {fmt!r} (attendu : {', '.join(readers)})")
    return readers[fmt]

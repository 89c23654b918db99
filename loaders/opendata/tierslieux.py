"""Tiers-lieux lists -> shared places, their commune, and the structures that run them.

Two national files are read, told apart by their header:

* the ANCT/CGET "Mission Coworking" list of 2019 (``CGET_TiersLieux_2019.csv``,
  comma CSV: ``ID, NOM_TL, ADRESSE, CP, COMINIT, INSEECOM, NOMCOM, WEB,
  TWITTER, FACEBOOK, TYPO, LAT, LONG, GEOCOD, PRECISION, CONTACT, MAIL, …``):
  one ``SharedPlace`` ``place:tl-<ID>`` per row, its kind from ``TYPO``
  (:func:`place_kind`), ``LOCATED_IN commune:<INSEECOM>`` (``INSEECOM`` is ``0``
  for one row in ten: then ``INSEEMETRO``, else the commune named ``COMINIT`` with
  postal code ``CP``; a place left without a commune is named in a warning), its
  ``lat``/``lon`` from ``LAT``/``LONG``; the ``.xlsx`` published beside the CSV
  is read the same way (its first sheet);
* the identity file of the France Tiers-Lieux 2023 census
  (``bdftl-2023-01-fiche-identite.csv``, ``;``: ``ID_UNIQUE, NOM, Insee,
  NOM_STRC_PORT, ADRESSE, CODPOST, VILLE, INTERNET``…): one ``SharedPlace``
  ``place:ftl-<ID_UNIQUE>`` (kind ``tiers_lieu``) per row, ``LOCATED_IN`` its
  commune, and the supporting structure ``NOM_STRC_PORT`` as a ``Structure``
  that ``USES`` the place (kind ``resident``). The census gives no SIREN for
  it, so its id is made from its name and the place's commune,
  ``structure:porteur-<name>-<INSEE>``; its own seat is not stated (no
  ``LOCATED_IN``), but identity matching (:mod:`loaders.opendata.identity`)
  compares it, by name, with the records of the place's commune.

``CONTACT`` and ``MAIL`` (people) are dropped and reported. Coordinates
(``LAT``/``LONG``, or ``LATITUDE``/``LONGITUDE`` when a census file has them)
are kept on the place when they are numbers in range
(:class:`~loaders.opendata.lambert.PointCheck`); refused ones are left empty
and counted in one warning per file. The supporting structure gets none: the
place's point is not its seat.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import InputError
from loaders.opendata.common import (
    CommuneResolver, ImportResult, Progress, TerritoryFilter, clean, commune_code,
    commune_id, current_commune_code, default_commune_resolver, drop_personal, id_fragment,
    members, slug, source_row, truncate, website,
)
from loaders.opendata.lambert import PointCheck
from loaders.opendata.sheets import SHEET_SUFFIXES, open_source

CGET_COLUMNS = ("ID", "NOM_TL", "INSEECOM", "TYPO")
FTL_COLUMNS = ("ID_UNIQUE", "NOM", "NOM_STRC_PORT")
PERSONAL = ("CONTACT", "MAIL")


def place_kind(typo: str) -> str:
    """The place kind of a tiers-lieu from its typology text.

    >>> place_kind("Tiers lieux à dominante coworking"), place_kind("Fablab"), place_kind("Mixte")
    ('coworking', 'fablab', 'tiers_lieu')
    """
    t = typo.lower()
    if "cowork" in t:
        return "coworking"
    if "fablab" in t or "fab lab" in t or "maker" in t or "atelier de fabrication" in t:
        return "fablab"
    if "pépinière" in t or "pepiniere" in t:
        return "pepiniere"
    return "tiers_lieu"


def porteur_legal_form(name: str) -> str:
    """A legal form read from a supporting structure's name, or ``""``."""
    n = name.lower()
    if re.search(r"\bscic\b", n):
        return "scic"
    if re.search(r"\bscop\b", n):
        return "scop"
    if re.search(r"\bcae\b", n):
        return "cae"
    if re.search(r"\basso(ciation)?\b", n):
        return "association"
    if re.search(r"\b(commune|mairie|ville|communaut[ée] de communes|communaut[ée] d.agglom[ée]ration|"
                 r"m[ée]tropole|d[ée]partement|r[ée]gion)\b", n):
        return "collectivite"
    if re.search(r"\bcoop[ée]rative\b", n):
        return "cooperative"
    return ""


def read_tierslieux(path: Path | str, *, departement=None, region=None, commune=None,
                    active_only: bool = True, progress: Progress | None = None,
                    commune_resolver: CommuneResolver | None = None,
                    source_id: str | None = None) -> ImportResult:
    """Read a tiers-lieux list (CGET 2019 or France Tiers-Lieux 2023) into bundle rows.

    The lists carry no closure field: ``active_only`` filters nothing here.
    """
    path = Path(path)
    files = [m for m in members(path) if m.suffix in (".csv", ".txt", ".csv.gz", *SHEET_SUFFIXES)]
    if not files:
        raise InputError(f"{path} : aucun fichier CSV ou XLSX de tiers-lieux trouvé")
    flt = TerritoryFilter(departement, region, commune)
    result = ImportResult()
    report = result.report
    resolver, resolver_ready = commune_resolver, commune_resolver is not None
    variants = []
    titles = {"cget2019": ("Liste des tiers-lieux, Mission Coworking 2019", "ANCT (CGET)", "2019"),
              "ftl2023": ("Recensement des tiers-lieux en France 2023, fiche identité", "France Tiers-Lieux", "2023")}
    for member in files:
        since = result.snapshot()
        src = open_source(member)
        if all(c in src.header for c in CGET_COLUMNS):
            variant = "cget2019"
        elif all(c in src.header for c in FTL_COLUMNS):
            variant = "ftl2023"
        else:
            if len(files) == 1:
                raise InputError(f"{member.name} : ni la liste CGET 2019 (colonnes {', '.join(CGET_COLUMNS)}) "
                                 f"ni le recensement France Tiers-Lieux (colonnes {', '.join(FTL_COLUMNS)})")
            report.warnings.append(f"{member.name} : ignoré (pas une liste de tiers-lieux connue)")
            continue
        variants.append((member, variant))
        report.warnings.extend(src.warnings)
        drop_personal(report, member.name, src.header, PERSONAL)
        points, homeless = PointCheck(), []
        for row_no, row, problem in src.rows():
            report.read += 1
            if progress and report.read % 10_000 == 0:
                progress(report.read)
            if row is None:
                report.reject(member.name, row_no, None, problem)
                continue
            ref = f"{member.name}:{row_no}"
            if variant == "cget2019":  # INSEECOM is 0 for one row in ten: INSEEMETRO, COMINIT + CP
                code = current_commune_code(row.get("INSEECOM", "")) or current_commune_code(row.get("INSEEMETRO", ""))
                postal, town = row.get("CP", ""), clean(row.get("COMINIT")) or clean(row.get("NOMCOM"))
            else:
                code = current_commune_code(row.get("Insee", ""))
                postal, town = row.get("CODPOST", ""), clean(row.get("VILLE"))
            if not code and (town or postal):
                if not resolver_ready:
                    resolver, resolver_ready = default_commune_resolver(), True
                    if resolver is None:
                        report.warnings.append(f"{member.name} : référentiel des communes "
                                               "indisponible : lieux sans code Insee laissés sans commune")
                if resolver:
                    code = commune_code(resolver(town, clean(postal)) or "")
            if flt.active and not (flt(code) if code else flt.postal_ok(postal)):
                result.filtered += 1
                continue
            if variant == "cget2019":
                node = _cget(result, member.name, row_no, ref, row, code)
            else:
                node = _ftl(result, member.name, row_no, ref, row, code)
            if node is not None:
                points.put(node, clean(row.get("LAT") or row.get("LATITUDE")),
                           clean(row.get("LONG") or row.get("LONGITUDE")), row_no)
                if not code:
                    homeless.append(row_no)
        if points.warning(member.name):
            report.warnings.append(points.warning(member.name))
        if homeless:
            shown = ", ".join(map(str, homeless[:10])) + ("…" if len(homeless) > 10 else "")
            report.warnings.append(f"{member.name} : {len(homeless)} lieu(x) sans commune (ni code Insee, "
                                   f"ni nom de commune et code postal reconnus), lignes {shown}")
        result.cite(source_id or f"source:tierslieux-{variant}", since)
    if progress:
        progress(report.read)
    if not variants:
        raise InputError(f"{path} : aucune liste de tiers-lieux reconnue")
    for member, variant in variants:
        title, publisher, year = titles[variant]
        source_row(result, source_id or f"source:tierslieux-{variant}", title=f"{title} ({member.basename})",
                   publisher=publisher, date=year, path=member.name,
                   licence="Licence Ouverte 2.0")
    result.source_id = source_id or f"source:tierslieux-{variants[0][1]}"
    return result


def _cget(result, file, row_no, ref, row, code) -> dict | None:
    """Add the place of a CGET 2019 row; return its node row (None if rejected)."""
    report = result.report
    name, raw_id = clean(row.get("NOM_TL")), id_fragment(clean(row.get("ID")))
    if not name:
        report.reject(file, row_no, "NOM_TL", "tiers-lieu sans nom")
        return None
    if not raw_id:
        report.reject(file, row_no, "ID", "tiers-lieu sans identifiant")
        return None
    typo = clean(row.get("TYPO"))
    node = result.add_node("places.csv", ref, id=f"place:tl-{raw_id}", name=name, kind=place_kind(typo),
                           functions=["lieu"], website=website(row.get("WEB", "")), description=truncate(typo, 300))
    if node is None:
        report.reject(file, row_no, "ID", f"identifiant {raw_id!r} en double")
        return None
    report.loaded += 1
    if code:
        result.add_relation(ref, node["id"], "LOCATED_IN", commune_id(code))
    return node


def _ftl(result, file, row_no, ref, row, code) -> dict | None:
    """Add the place of a census row (and its supporting structure); return the place's row."""
    report = result.report
    name, raw_id = clean(row.get("NOM")), id_fragment(clean(row.get("ID_UNIQUE")))
    if not name:
        report.reject(file, row_no, "NOM", "tiers-lieu sans nom")
        return None
    if not raw_id:
        report.reject(file, row_no, "ID_UNIQUE", "tiers-lieu sans identifiant")
        return None
    typo = clean(row.get("TYPOLOGIE") or row.get("TYPO") or "")
    node = result.add_node("places.csv", ref, id=f"place:ftl-{raw_id}", name=name,
                           kind=place_kind(typo) if typo else "tiers_lieu", functions=["lieu"],
                           website=website(row.get("INTERNET", "")))
    if node is None:
        report.reject(file, row_no, "ID_UNIQUE", f"identifiant {raw_id!r} en double")
        return None
    report.loaded += 1
    if code:
        result.add_relation(ref, node["id"], "LOCATED_IN", commune_id(code))
    porteur = clean(row.get("NOM_STRC_PORT"))
    if porteur:
        from loaders.opendata.identity import normalise_name

        sid = f"structure:porteur-{slug(normalise_name(porteur) or porteur, 50)}{'-' + code if code else ''}"
        result.add_node("structures.csv", ref, id=sid, name=porteur, legal_form=porteur_legal_form(porteur))
        result.add_relation(ref, sid, "USES", node["id"], kind="resident")
    return node

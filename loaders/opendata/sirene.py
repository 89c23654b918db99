"""SIRENE stock files (INSEE) -> ESS structures, their sector and their seat's commune.

Reads ``StockUniteLegale`` (legal units) and ``StockEtablissement``
(establishments), as CSV (plain, ``.zip`` or ``.gz``) or Parquet, given as one
file (the other is looked for next to it), a zip, or a folder holding both.
Both files are streamed in chunks of :data:`CHUNK_ROWS` rows with only the
columns needed, every value as text, and filtered as early as possible, so a
national stock (tens of millions of rows) runs in bounded memory:

* with a territory filter, the establishments are read first and only the
  seats (``etablissementSiege == "true"``) of the wanted communes are kept
  (a few hundred thousand for a département); then the legal units;
* without one, the legal units are read first and only ESS units are kept;
  then the seats of those units.

Kept: ESS units, i.e. ``economieSocialeSolidaireUniteLegale == "O"`` or a
catégorie juridique of an ESS family (associations 92xx and 5195, fondations
9300, cooperatives, mutuelles, cooperative and mutual banks; see
:data:`LEGAL_FORM_BY_CJ`) or an RNA number; active ones
(``etatAdministratifUniteLegale == "A"``) unless ``active_only=False``.
Entrepreneurs individuels (1000) are never kept, and the columns naming people
(``prenom*``, ``nomUniteLegale``, ``nomUsageUniteLegale``, ``pseudonyme…``,
``sexe…``) are never read.

Each unit gives one row of ``structures.csv``: id ``structure:siren-<SIREN>``,
name (``denominationUniteLegale``, else the first ``denominationUsuelle``,
else the ``sigle``), ``legal_form`` (from the catégorie juridique and, for
cooperatives and ESS companies, the words SCIC/SCOP/CAE in the name),
``siren``, ``rna`` (``identifiantAssociationUniteLegale``), ``founded``,
``employees`` (the lower bound of ``trancheEffectifsUniteLegale``: "at least"),
a description naming the legal category and NAF code; its seat gives a
``LOCATED_IN`` relation to ``commune:<INSEE>`` (arrondissements of
Paris/Lyon/Marseille mapped to the commune); its NAF rev. 2 code gives an
``ACTIVE_IN`` relation to a sector (:data:`SECTOR_BY_NAF`).

The seat's ``coordonneeLambertAbscisseEtablissement``/``…Ordonnee…`` (read
only when present) give the structure's ``lat``/``lon`` through
:func:`~loaders.opendata.lambert.sirene_to_wgs84` (pure Python); values empty
or ``[ND]``, overseas seats (other projections, told by the raw commune code)
and points off mainland France get none: the app then uses the commune's
centroid. Older "geo-sirene" files give WGS84 ``longitude``/``latitude``
instead. Coordinates are kept only for the retained seats.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from graph.errors import InputError
from loaders.opendata.common import (
    REGION_OF_DEPARTEMENT, ImportResult, Member, Progress, TerritoryFilter, clean, clean_header,
    commune_id, current_commune_code, date_in_name, drop_personal, id_fragment, iso_date,
    members, sniff_encoding, sniff_separator, source_row,
)
from loaders.opendata.lambert import degrees, seat_point

CHUNK_ROWS = 200_000

UL_COLUMNS = (
    "siren", "statutDiffusionUniteLegale", "dateCreationUniteLegale", "sigleUniteLegale",
    "identifiantAssociationUniteLegale", "trancheEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale", "etatAdministratifUniteLegale", "denominationUniteLegale",
    "denominationUsuelle1UniteLegale", "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale",
    "economieSocialeSolidaireUniteLegale",
)
UL_REQUIRED = ("siren", "etatAdministratifUniteLegale", "denominationUniteLegale",
               "categorieJuridiqueUniteLegale")
ETAB_COLUMNS = ("siren", "etablissementSiege", "codeCommuneEtablissement")
#: optional columns of the seat's point: Lambert-93 (stock files), or WGS84 (older geo-sirene files)
LAMBERT_COLUMNS = ("coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement")
WGS84_COLUMNS = ("longitude", "latitude")
#: columns naming people (entrepreneurs individuels): never read, reported as dropped
PERSONAL = ("sexeUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale", "prenom3UniteLegale",
            "prenom4UniteLegale", "prenomUsuelUniteLegale", "pseudonymeUniteLegale",
            "nomUniteLegale", "nomUsageUniteLegale")

# --- catégories juridiques (reference §1.5) -> legal_form ------------------------------------

_ASSOCIATIONS = ("9210", "9220", "9221", "9222", "9223", "9224", "9230", "9240", "9260", "5195")
_SCOP = ("5458", "5558", "5658")
_COOPERATIVES = (
    "5203", "5307", "5309", "5432", "5532", "5632", "5443", "5543", "5643", "5451", "5551", "5651",
    "5552", "5652", "5453", "5553", "5653", "5454", "5554", "5654", "5455", "5555", "5655", "5547",
    "5647", "5459", "5559", "5659", "5460", "5560", "5660", "6316", "6317", "6318", "6532", "6543",
    "6551", "6554", "6558", "6560",
    # cooperative and mutual banks
    "5191", "5192", "5193", "5194", "5196", "6595", "6596",
)
_MUTUELLES = ("8210", "8250", "8290", "6411", "8140")
#: catégorie juridique -> legal_form, for the ESS families (these codes make a unit ESS)
LEGAL_FORM_BY_CJ: dict[str, str] = {
    **dict.fromkeys(_ASSOCIATIONS, "association"),
    "9300": "fondation",
    **dict.fromkeys(_SCOP, "scop"),
    **dict.fromkeys(_COOPERATIVES, "cooperative"),
    **dict.fromkeys(_MUTUELLES, "mutuelle"),
}
ESS_CJ = frozenset(LEGAL_FORM_BY_CJ)
CJ_LABELS = {
    "9210": "Association non déclarée", "9220": "Association déclarée",
    "9221": "Association déclarée d'insertion par l'économique", "9222": "Association intermédiaire",
    "9223": "Groupement d'employeurs", "9230": "Association reconnue d'utilité publique",
    "9240": "Congrégation", "9260": "Association de droit local", "5195": "Association coopérative inscrite",
    "9300": "Fondation", "5458": "SARL coopérative de production (SCOP)",
    "5558": "SA coopérative de production (SCOP)", "5658": "SA coopérative de production (SCOP)",
    "5460": "Autre SARL coopérative", "5560": "Autre SA coopérative", "5660": "Autre SA coopérative",
    "6316": "CUMA", "6317": "Société coopérative agricole", "8210": "Mutuelle",
    "8250": "Assurance mutuelle agricole", "8290": "Autre organisme mutualiste",
    "6411": "Société d'assurance à forme mutuelle", "5192": "Société coopérative de banque populaire",
    "5194": "Caisse de crédit mutuel", "6596": "Caisse de crédit agricole mutuel",
    "5710": "SAS", "5499": "SARL",
}
_SCIC = re.compile(r"\bS\.?C\.?I\.?C\b", re.I)
_SCOP_NAME = re.compile(r"\bS\.?C\.?O\.?P\b", re.I)
_CAE = re.compile(r"\bCAE\b|COOP[EÉ]RATIVE D.ACTIVIT[EÉ]S? ET D.EMPLOI", re.I)


def legal_form(cj: str, name: str, ess_flag: bool = False) -> str:
    """The maillage legal form of a unit from its catégorie juridique and name.

    >>> legal_form("9220", "LES JARDINS"), legal_form("5560", "SCIC ENERCOOP"), legal_form("5710", "X", True)
    ('association', 'scic', 'entreprise_esus')
    """
    form = LEGAL_FORM_BY_CJ.get(cj)
    if form in (None, "cooperative", "scop") and cj[:1] in ("5", "6"):
        if _SCIC.search(name):
            return "scic"
        if _CAE.search(name):
            return "cae"
        if _SCOP_NAME.search(name):
            return "scop"
    if form:
        return form
    if cj.startswith(("72", "73")):
        return "collectivite"
    if ess_flag and cj[:1] in ("5", "6"):
        return "entreprise_esus"
    return "other"


# --- NAF rev. 2 -> sector (prefixes of the code; the longest one wins) ------------------------

#: NAF rev. 2 code prefix (division ``88`` or group ``58.2``) -> sector id (see common.SECTORS)
SECTOR_BY_NAF: dict[str, str] = {
    **dict.fromkeys(("01", "02", "03", "10", "11", "56"), "sector:agriculture-alimentation"),
    **dict.fromkeys(("35", "36", "37", "38", "39"), "sector:environnement"),
    **dict.fromkeys(("41", "68"), "sector:logement-habitat"),
    **dict.fromkeys(("45", "46", "47"), "sector:commerce"),
    **dict.fromkeys(("49", "50", "51", "52"), "sector:mobilite"),
    **dict.fromkeys(("55", "79"), "sector:tourisme"),
    **dict.fromkeys(("58", "59", "60", "90", "91"), "sector:culture"),
    **dict.fromkeys(("58.2", "61", "62", "63"), "sector:numerique"),
    **dict.fromkeys(("64", "65", "66"), "sector:finance-solidaire"),
    "78": "sector:insertion",
    "85": "sector:education-formation",
    "86": "sector:sante",
    **dict.fromkeys(("87", "88"), "sector:services-aux-personnes"),
    "93": "sector:sport-loisirs",
}
_NAF2 = re.compile(r"^\d{2}\.\d{2}[A-Z]$")


def sector_for_naf(code: str, nomenclature: str = "NAFRev2") -> str:
    """The sector id of a NAF rev. 2 code (``88.99B`` -> ``sector:services-aux-personnes``), or ``""``.

    Codes of older nomenclatures (NAFRev1, NAF1993, NAP) are not mapped: their
    divisions mean other things.
    """
    if nomenclature and nomenclature != "NAFRev2":
        return ""
    code = (code or "").strip().upper()
    if not _NAF2.match(code):
        return ""
    for n in (4, 2):
        sector = SECTOR_BY_NAF.get(code[:n])
        if sector:
            return sector
    return ""


#: trancheEffectifs -> lower bound of the range ("at least"); NN (non-employer) -> unknown
EMPLOYEES_LOWER_BOUND = {
    "00": "0", "01": "1", "02": "3", "03": "6", "11": "10", "12": "20", "21": "50", "22": "100",
    "31": "200", "32": "250", "41": "500", "42": "1000", "51": "2000", "52": "5000", "53": "10000",
}


# --- files ------------------------------------------------------------------------------------

def _kind(member: Member) -> str | None:
    """``"ul"`` (legal units), ``"etab"`` (establishments) or None, from the file's header:
    etalab's samples and users' copies are not named ``StockUniteLegale``
    (``sample_unites_legales_OK.csv``, ``*.csv.zip``). The history, links and
    geolocation stocks, which share columns with them, are told apart by name."""
    name = member.basename.lower()
    if any(w in name for w in ("historique", "liens", "geolocalisation", "doublons")):
        return None
    if member.suffix not in (".csv", ".txt", ".csv.gz", ".parquet"):
        return None
    try:
        header = set(header_of(member))
    except (InputError, OSError, ValueError):
        return None
    if {"siret", "etablissementSiege"} <= header:
        return "etab"
    if {"siren", "categorieJuridiqueUniteLegale"} <= header and "siret" not in header:
        return "ul"
    return None


def find_files(path: Path | str) -> tuple[Member, Member | None]:
    """The StockUniteLegale and StockEtablissement files of ``path`` (a file, zip or folder).

    A lone StockUniteLegale file or zip is completed with a StockEtablissement
    found in the same folder. Raises InputError naming ``path`` when no
    StockUniteLegale is found.
    """
    path = Path(path)
    found = {k: m for m in members(path) if (k := _kind(m))}
    if "etab" not in found and path.is_file():
        for sibling in sorted(path.parent.iterdir()):
            if sibling == path or sibling.name.startswith("."):
                continue
            try:
                for m in members(sibling) if sibling.is_file() else []:
                    if _kind(m) == "etab":
                        found.setdefault("etab", m)
            except InputError:
                continue
    if "ul" not in found:
        raise InputError(f"{path} : aucun fichier des unités légales SIRENE trouvé (attendu : un CSV, "
                         "zip ou Parquet aux colonnes siren et categorieJuridiqueUniteLegale, seul ou "
                         "dans un dossier, comme StockUniteLegale_utf8.csv)")
    return found["ul"], found.get("etab")


def _header(member: Member) -> tuple[list[str], list[str], str, str]:
    """(clean header, raw header, encoding, separator) of a CSV member."""
    with member.open() as f:
        head = f.read(1 << 16)
    enc = sniff_encoding(head, name=member.name)
    first = head.split(b"\n", 1)[0].decode(enc, errors="replace").rstrip("\r")
    sep = sniff_separator(first)
    raw = next(csv.reader([first], delimiter=sep), [])
    return clean_header(raw), raw, enc, sep


def header_of(member: Member) -> list[str]:
    """The column names of a SIRENE file (CSV or Parquet)."""
    if member.suffix == ".parquet":
        pq = _pyarrow_parquet(member)
        return clean_header(pq.ParquetFile(member.path).schema_arrow.names)
    return _header(member)[0]


def _pyarrow_parquet(member: Member):
    if member.inner is not None:
        raise InputError(f"{member.name} : un fichier Parquet dans un zip n'est pas lu ; décompressez-le")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{member.name} : lire du Parquet demande le paquet pyarrow "
                         "(pip install pyarrow), ou utilisez les fichiers CSV") from None
    return pq


def chunks(member: Member, wanted: tuple[str, ...], required: tuple[str, ...],
           chunksize: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    """Stream ``member`` as DataFrames of Python strings (no NaN: empty cells are ``""``;
    ``object`` columns, which pandas 3 filters and iterates fastest) with the
    ``wanted`` columns it has; raise InputError if a ``required`` one is missing."""
    header = header_of(member)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(f"{member.name} : colonnes obligatoires absentes : {', '.join(missing)}")
    present = [c for c in wanted if c in header]
    if member.suffix == ".parquet":
        yield from _parquet_chunks(member, present, chunksize)
        return
    clean, raw, enc, sep = _header(member)
    raw_of = dict(zip(clean, raw))
    with member.open() as f:
        try:
            reader = pd.read_csv(
                f, sep=sep, usecols=[raw_of[c] for c in present], dtype=object, na_filter=False,
                chunksize=chunksize, encoding=enc, encoding_errors="replace", engine="c",
            )
            for df in reader:
                df.columns = [c.strip() for c in df.columns]
                yield df
        except pd.errors.ParserError as err:
            raise InputError(f"{member.name} : CSV illisible ({err})") from None


def _parquet_chunks(member: Member, columns: list[str], chunksize: int) -> Iterator[pd.DataFrame]:
    pq = _pyarrow_parquet(member)
    import pyarrow as pa
    import pyarrow.compute as pc

    pf = pq.ParquetFile(member.path)
    raw_of = {c.strip(): c for c in pf.schema_arrow.names}
    for batch in pf.iter_batches(batch_size=chunksize, columns=[raw_of[c] for c in columns]):
        data = {}
        for name, arr in zip(columns, batch.columns):
            numeric = pa.types.is_integer(arr.type)
            if pa.types.is_boolean(arr.type):
                arr = pc.if_else(arr, "true", "false")
            elif not pa.types.is_string(arr.type):
                arr = pc.cast(arr, pa.string())
            col = pd.Series(pc.fill_null(arr, "").to_numpy(zero_copy_only=False), dtype=object)
            if numeric and name in ("siren", "nicSiegeUniteLegale", "nic"):
                col = col.str.zfill(9 if name == "siren" else 5)  # leading zeros lost by an integer type
            data[name] = col
        yield pd.DataFrame(data)


# --- reading ----------------------------------------------------------------------------------

_TRUE = ("true", "True", "TRUE")


def _deps_wanted(flt: TerritoryFilter) -> set[str]:
    return {d for d in REGION_OF_DEPARTEMENT if flt.departement_ok(d)}


def _seats(etab: Member, result: ImportResult, flt: TerritoryFilter, sirens: set | dict | None,
           progress: Progress | None, done: list[int], chunksize: int,
           points: dict | None = None) -> dict[str, str]:
    """siren -> commune code of the seat, for the seats passing ``flt`` (and in ``sirens``).

    The seats' coordinates go to ``points`` (siren -> (lon, lat)) when given,
    else, when ``sirens`` maps SIRENs to node rows, onto those rows.
    """
    deps = _deps_wanted(flt) if flt.active else None
    seats: dict[str, str] = {}
    rows = kept = located = 0
    header = header_of(etab)
    xy = next((cols for cols in (LAMBERT_COLUMNS, WGS84_COLUMNS) if all(c in header for c in cols)), ())
    wgs84 = xy == WGS84_COLUMNS
    nodes = sirens if points is None and isinstance(sirens, dict) else None
    for df in chunks(etab, ETAB_COLUMNS + xy, ETAB_COLUMNS, chunksize):
        rows += len(df)
        df = df[df["etablissementSiege"].isin(_TRUE)]
        if deps is not None:
            df = df[[(c[:3] if c[:2] == "97" else c[:2]) in deps for c in df["codeCommuneEtablissement"]]]
        if sirens is not None:
            df = df[[s in sirens for s in df["siren"]]]
        check = flt.communes is not None  # départements and régions were checked above
        xs, ys = (df[xy[0]].tolist(), df[xy[1]].tolist()) if xy else ((), ())
        for i, (siren, code) in enumerate(zip(df["siren"], df["codeCommuneEtablissement"])):
            c = current_commune_code(code)
            if c and (not check or flt(c)):
                seats[siren] = c
                kept += 1
                if not xy:
                    continue
                point = seat_point(xs[i], ys[i], code, wgs84=wgs84)
                located += point is not None
                if points is not None:
                    if point:
                        points[siren] = point
                    else:
                        points.pop(siren, None)
                elif nodes is not None:
                    node = nodes[siren]
                    node["lon"], node["lat"] = (degrees(point[0]), degrees(point[1])) if point else ("", "")
        if progress:
            progress(done[0] + rows)
    done[0] += rows
    where = (f", {located} avec coordonnées" if xy else
             " (pas de colonnes de coordonnées : structures placées au centre de leur commune)")
    result.report.warnings.append(f"{etab.name} : {rows} établissements lus, {kept} sièges retenus{where}")
    return seats


def read_sirene(path: Path | str, *, departement=None, region=None, commune=None,
                active_only: bool = True, progress: Progress | None = None,
                source_id: str | None = None, chunksize: int = CHUNK_ROWS) -> ImportResult:
    """Read a SIRENE stock into bundle rows (see the module docstring).

    Parameters
    ----------
    path : path
        ``StockUniteLegale`` CSV/zip/Parquet (``StockEtablissement`` is looked
        for next to it), a zip holding both, or a folder holding both.
    departement, region, commune : str or list, optional
        Keep units whose seat is in these territories (INSEE codes or ids).
    active_only : bool
        Keep only active units (``etatAdministratifUniteLegale == "A"``).
    progress : callable, optional
        Called with the number of rows read so far (both files) after each chunk.
    source_id : str, optional
        Id of the ``sources.csv`` row; by default ``source:sirene-stock-<date>``,
        the date taken from the file name or else the latest
        ``dateDernierTraitementUniteLegale``.

    Returns
    -------
    ImportResult
        ``report.read`` counts legal units; ``filtered`` those not ESS, not
        active, or outside the territory.
    """
    ul, etab = find_files(path)
    flt = TerritoryFilter(departement, region, commune)
    result = ImportResult()
    report = result.report
    if etab is None:
        if flt.active:
            raise InputError(f"{path} : filtrer par territoire demande le fichier StockEtablissement "
                             "(le siège de chaque unité), introuvable à côté de StockUniteLegale")
        report.warnings.append(f"{ul.name} : pas de fichier StockEtablissement : structures sans commune")
    header = header_of(ul)
    drop_personal(report, ul.name, header, PERSONAL)
    if "economieSocialeSolidaireUniteLegale" not in header:
        report.warnings.append(f"{ul.name} : pas de colonne economieSocialeSolidaireUniteLegale "
                               "(fichier ancien) : ESS reconnue par la catégorie juridique seule")
    done = [0]
    seats = points = None
    if flt.active:
        points = {}
        seats = _seats(etab, result, flt, None, progress, done, chunksize, points)
    pending: dict[str, dict] = {}
    latest = ""
    for df in chunks(ul, UL_COLUMNS, UL_REQUIRED, chunksize):
        start = report.read
        report.read += len(df)
        if "dateDernierTraitementUniteLegale" in df and len(df):
            latest = max(latest, df["dateDernierTraitementUniteLegale"].max()[:10])
        # vectorised comparisons only (object columns: .str methods would loop in Python)
        cj = df["categorieJuridiqueUniteLegale"]
        keep = cj.isin(ESS_CJ)
        if "economieSocialeSolidaireUniteLegale" in df:
            keep |= df["economieSocialeSolidaireUniteLegale"] == "O"
        if "identifiantAssociationUniteLegale" in df:
            rna = df["identifiantAssociationUniteLegale"]
            keep |= (rna != "") & (rna != "[ND]")
        keep &= cj != "1000"
        if active_only:
            keep &= df["etatAdministratifUniteLegale"] == "A"
        if seats is not None:
            mask = keep.to_numpy().copy()
            idx = mask.nonzero()[0]
            mask[idx] = [s in seats for s in df["siren"].to_numpy()[idx]]
            keep = pd.Series(mask, index=df.index)
        kept = df[keep]
        result.filtered += len(df) - len(kept)
        positions = keep.to_numpy().nonzero()[0]
        names = list(kept.columns)
        for pos, values in zip(positions, zip(*(kept[c].tolist() for c in names))):
            row = dict(zip(names, values))
            ref_row = start + int(pos) + 2
            node = _structure(result, row, f"{ul.basename}:{ref_row}", ul.basename, ref_row)
            if node is None:
                continue
            if seats is not None:
                result.add_relation(node["_ref"], node["id"], "LOCATED_IN", commune_id(seats[node["siren"]]))
                point = points.get(node["siren"])
                if point:
                    node["lon"], node["lat"] = degrees(point[0]), degrees(point[1])
            else:
                pending[node["siren"]] = node
        done[0] += len(df)
        if progress:
            progress(done[0])
    if seats is None and etab is not None:
        found = _seats(etab, result, flt, pending, progress, done, chunksize)
        missing = 0
        for siren, node in pending.items():
            code = found.get(siren)
            if code:
                result.add_relation(node["_ref"], node["id"], "LOCATED_IN", commune_id(code))
            else:
                missing += 1
        if missing:
            report.warnings.append(f"{ul.name} : {missing} unités sans siège trouvé dans "
                                   f"{etab.name} : pas de lien LOCATED_IN")
    _finish(result, ul, source_id, latest)
    return result


def _structure(result: ImportResult, row: dict, ref: str, file: str, row_no: int) -> dict | None:
    report = result.report
    siren = row["siren"].strip()
    if not re.fullmatch(r"\d{9}", siren):
        report.reject(file, row_no, "siren", f"SIREN invalide {siren!r} (9 chiffres attendus)")
        return None
    name = (clean(row.get("denominationUniteLegale")) or clean(row.get("denominationUsuelle1UniteLegale"))
            or clean(row.get("sigleUniteLegale")))
    if not name:
        report.reject(file, row_no, "denominationUniteLegale",
                      "dénomination absente ou masquée ([ND], unité non diffusible)")
        return None
    cj = row["categorieJuridiqueUniteLegale"].strip()
    ess = clean(row.get("economieSocialeSolidaireUniteLegale")) == "O"
    rna = clean(row.get("identifiantAssociationUniteLegale"))
    form = legal_form(cj, name, ess)
    if form == "other" and rna:
        form = "association"
    naf = clean(row.get("activitePrincipaleUniteLegale"))
    nomenclature = clean(row.get("nomenclatureActivitePrincipaleUniteLegale"))
    parts = [f"{CJ_LABELS.get(cj, 'Catégorie juridique')} ({cj})"] if cj else []
    if naf:
        parts.append(f"activité principale {naf}" + (f" ({nomenclature})" if nomenclature not in ("", "NAFRev2") else ""))
    if ess:
        parts.append("ESS")
    node = result.add_node(
        "structures.csv", ref, id=f"structure:siren-{siren}", name=name, legal_form=form, siren=siren,
        rna=id_fragment(rna) if rna else "", founded=iso_date(row.get("dateCreationUniteLegale", "")),
        employees=EMPLOYEES_LOWER_BOUND.get(clean(row.get("trancheEffectifsUniteLegale")), ""),
        description=" ; ".join(parts),
    )
    if node is None:
        report.reject(file, row_no, "siren", f"SIREN {siren} en double")
        return None
    report.loaded += 1
    sector = sector_for_naf(naf, nomenclature)
    if sector:
        result.add_sector(sector, ref)
        result.add_relation(ref, node["id"], "ACTIVE_IN", sector)
    return node


def _finish(result: ImportResult, ul: Member, source_id: str | None, latest: str) -> None:
    date = date_in_name(ul.name) or iso_date(latest)
    sid = source_id or f"source:sirene-stock-{date or id_fragment(Path(ul.basename).stem).lower()}"
    source_row(result, sid, title=f"Base Sirene, stock des unités légales ({ul.basename})",
               publisher="INSEE", date=date, path=ul.name, licence="Licence Ouverte 2.0")
    for name, rows in result.tables.items():
        if name == "sources.csv":
            continue
        for row in rows:
            row["sources"] = sid

"""RNA (Répertoire national des associations) waldec and import files -> association structures.

Reads the monthly stocks ``rna_waldec_YYYYMMDD`` (associations with a W
number) and ``rna_import_YYYYMMDD`` (older ones): a zip of per-département
CSV files, one of those CSV files, or a folder of them. Files are ``;``
separated and historically Latin-1/CP1252 (sniffed over the whole file);
columns are selected by name, since the header changed over time (newer
waldec files have no ``telephone``/``email``; import files lack some address
columns). Which stock a file is comes from its header (:func:`layout`: ``adr1``,
``libcom`` are import's, ``date_decla``, ``adrs_libvoie`` waldec's), not from its
name, which a user may have changed.

An import row whose ``observation`` quotes a W number (the association declared
since under waldec) is read under that number, so that loading both stocks gives
one node per association.

Each row gives one row of ``structures.csv``: id ``structure:rna-<id>``,
``name`` = ``titre``, ``legal_form`` = association, ``rna`` = ``id``,
``siren`` = the first 9 digits of ``siret`` when present, ``founded`` =
``date_creat`` (``0001-01-01`` means none), ``description`` = ``objet`` cut
at :data:`DESCRIPTION_LIMIT` characters, ``website`` = ``siteweb``; a
``LOCATED_IN`` relation to ``commune:<adrs_codeinsee>`` (arrondissements of
Paris/Lyon/Marseille mapped to the commune); an ``ACTIVE_IN`` relation to the
sector of the social-object family of ``objet_social1`` (:data:`SECTOR_BY_FAMILY`).

``position`` ``D`` (dissoute) and ``S`` (supprimée), or a ``date_disso``, mark
an association as closed: left out (filtered) unless ``active_only=False``.
The columns naming or reaching people are dropped and reported:
``telephone``, ``email``, ``dir_civilite``, ``adrg_declarant`` (the managing
person), ``adrg_complemid``, and any other matching the personal-data pattern.
"""

from __future__ import annotations

import re
from pathlib import Path

from graph.errors import InputError
from loaders.opendata.common import (
    CsvSource, ImportResult, Member, Progress, TerritoryFilter, clean, commune_id,
    current_commune_code, date_in_name, drop_personal, id_fragment, iso_date, members, siren_of,
    source_row, truncate, website,
)

DESCRIPTION_LIMIT = 500
REQUIRED = ("id", "titre")
PERSONAL = ("telephone", "email", "dir_civilite", "adrg_declarant", "adrg_complemid")
_RNA_ID = re.compile(r"^(W[0-9A-Z]{9}|\d{3}[0-9AB]?P\d{7,9}|[0-9A-Z]{8,14})$")
#: a W number quoted in an import row's ``observation`` (the association moved to waldec)
_W_NUMBER = re.compile(r"\b(W[0-9][0-9A-Z]{8})\b")
#: the columns only one layout has (the file name is not a reliable sign of it)
_IMPORT_ONLY = ("adr1", "adr2", "adr3", "libcom")
_WALDEC_ONLY = ("date_decla", "adrs_libvoie", "adrs_libcommune", "adrg_declarant")

#: the source column behind each bundle column (to name the user's column in a refusal)
SOURCE_COLUMNS = {
    ("structures.csv", "id"): "id", ("structures.csv", "rna"): "id", ("structures.csv", "name"): "titre",
    ("structures.csv", "siren"): "siret", ("structures.csv", "founded"): "date_creat",
    ("structures.csv", "description"): "objet", ("structures.csv", "website"): "siteweb",
    ("LOCATED_IN", "target_id"): "adrs_codeinsee", ("ACTIVE_IN", "target_id"): "objet_social1",
}

#: RNA social-object family (first 3 digits of ``objet_social1``, national
#: nomenclature of social objects) -> sector id
SECTOR_BY_FAMILY = {
    "006": "sector:culture",          # culture, pratiques d'activités artistiques, culturelles
    "010": "sector:culture",          # préservation du patrimoine
    "007": "sector:sport-loisirs",    # clubs de loisirs, relations
    "011": "sector:sport-loisirs",    # sports, activités de plein air
    "015": "sector:education-formation",
    "017": "sector:sante",
    "018": "sector:services-aux-personnes",  # services et établissements médico-sociaux
    "019": "sector:services-aux-personnes",  # interventions sociales
    "020": "sector:services-aux-personnes",  # caritatives, humanitaires
    "021": "sector:services-aux-personnes",  # services familiaux, personnes âgées
    "024": "sector:environnement",    # environnement, cadre de vie
    "030": "sector:insertion",        # aide à l'emploi, développement local, solidarités économiques
    "032": "sector:logement-habitat",
    "034": "sector:tourisme",
}


def layout(header, name: str = "") -> str:
    """``"import"`` or ``"waldec"``: the stock a file's header belongs to (its name decides only
    when the header has neither layout's own columns)."""
    if any(c in header for c in _IMPORT_ONLY):
        return "import"
    if any(c in header for c in _WALDEC_ONLY):
        return "waldec"
    return "import" if "import" in name.lower() else "waldec"


def _is_rna_file(source: CsvSource) -> bool:
    return all(c in source.header for c in REQUIRED) and (
        "adrs_codeinsee" in source.header or "date_creat" in source.header)


def read_rna(path: Path | str, *, departement=None, region=None, commune=None,
             active_only: bool = True, progress: Progress | None = None,
             source_id: str | None = None) -> ImportResult:
    """Read RNA waldec or import files into bundle rows (see the module docstring).

    ``report.read`` counts association rows of every file read; ``filtered``
    those closed or outside the territory filter. ``source_id`` defaults to
    ``source:rna-<waldec|import>-<date in the file name>``.
    """
    path = Path(path)
    flt = TerritoryFilter(departement, region, commune)
    result = ImportResult(source_columns=dict(SOURCE_COLUMNS))
    report = result.report
    files = [m for m in members(path) if m.suffix in (".csv", ".txt", ".csv.gz")]
    if not files:
        raise InputError(f"{path} : aucun fichier CSV du RNA trouvé")
    sources = []
    done = 0
    for member in files:
        src = CsvSource(member, full_sniff=True)
        if not _is_rna_file(src):
            if len(files) == 1:
                raise InputError(f"{member.name} : ce n'est pas un fichier du RNA (colonnes id, titre, "
                                 f"adrs_codeinsee ou date_creat attendues ; lu : {', '.join(src.header[:8])}…)")
            report.warnings.append(f"{member.name} : ignoré (pas un fichier du RNA)")
            continue
        sources.append((member, layout(src.header, member.name)))
        report.warnings.extend(src.warnings)
        drop_personal(report, member.name, src.header, PERSONAL)
        for row_no, row, problem in src.rows():
            report.read += 1
            done += 1
            if progress and done % 50_000 == 0:
                progress(done)
            if row is None:
                report.reject(member.name, row_no, None, problem)
                continue
            _association(result, flt, active_only, member, row_no, row)
    if progress:
        progress(done)
    if not sources:
        raise InputError(f"{path} : aucun fichier du RNA (colonnes id, titre, adrs_codeinsee) trouvé")
    _finish(result, path, sources, source_id)
    return result


def _association(result: ImportResult, flt: TerritoryFilter, active_only: bool, member: Member,
                 row_no: int, row: dict) -> None:
    report = result.report
    rna = clean(row.get("id"))
    if not rna or not _RNA_ID.match(rna.upper()):
        report.reject(member.name, row_no, "id", f"numéro RNA invalide {rna!r}")
        return
    moved = _W_NUMBER.search(clean(row.get("observation")).upper())
    if moved and not rna.upper().startswith("W"):  # an import row of an association now in waldec:
        rna = moved.group(1)                        # one node for both stocks, under its W number
    position = clean(row.get("position")).upper()
    closed = position in ("D", "S") or bool(iso_date(row.get("date_disso", "")))
    code = current_commune_code(row.get("adrs_codeinsee", ""))
    if (active_only and closed) or (flt.active and not flt(code)):
        result.filtered += 1
        return
    name = clean(row.get("titre")) or clean(row.get("titre_court"))
    if not name:
        report.reject(member.name, row_no, "titre", "titre de l'association absent")
        return
    ref = f"{member.name}:{row_no}"
    node = result.add_node(
        "structures.csv", ref, id=f"structure:rna-{id_fragment(rna.upper())}", name=name,
        legal_form="association", rna=rna.upper(), siren=siren_of(row.get("siret", "")),
        founded=iso_date(row.get("date_creat", "")),
        description=truncate(clean(row.get("objet")), DESCRIPTION_LIMIT),
        website=website(row.get("siteweb", "")),
    )
    if node is None:
        why = f" (la ligne est celle d'une association passée sous ce numéro : {clean(row.get('id'))})" \
            if moved else ""
        report.reject(member.name, row_no, "id", f"numéro RNA {rna.upper()} en double{why}")
        return
    report.loaded += 1
    if code:
        result.add_relation(ref, node["id"], "LOCATED_IN", commune_id(code))
    family = clean(row.get("objet_social1"))[:3]
    sector = SECTOR_BY_FAMILY.get(family) if family.isdigit() else None
    if sector:
        result.add_sector(sector, ref)
        result.add_relation(ref, node["id"], "ACTIVE_IN", sector)


def _finish(result: ImportResult, path: Path, files: list[tuple[Member, str]], source_id: str | None) -> None:
    names = " ".join([path.name] + [m.name for m, _ in files])
    kinds = {kind for _, kind in files}
    kind = kinds.pop() if len(kinds) == 1 else "waldec-import"
    date = date_in_name(names)
    sid = source_id or f"source:rna-{kind}-{date or id_fragment(path.stem).lower()}"
    source_row(result, sid, title=f"Répertoire national des associations, stock {kind} ({path.name})",
               publisher="Ministère de l'Intérieur", date=date, path=path.name,
               licence="Licence Ouverte 2.0")
    for name, rows in result.tables.items():
        if name != "sources.csv":
            for row in rows:
                row["sources"] = sid

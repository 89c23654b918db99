"""What every open-data reader shares: the result, files as they come, codes, filters, sectors.

* :class:`ImportResult`: the bundle rows a reader produced (``tables``: bundle
  file name -> rows of strings, plus a private ``_ref`` = ``"file:row"``), its
  :class:`~loaders.report.LoadReport` and ``filtered`` (rows read but outside the
  filter). ``report.read == report.loaded + report.rejected_rows + filtered``.
* Files as they come: a path may be a CSV, a ``.zip`` or ``.gz`` of CSVs, a
  Parquet file or a folder (:func:`members`); the encoding (UTF-8 with or
  without BOM, else CP1252, else Latin-1) and the separator (``,`` ``;`` tab)
  are sniffed (:class:`CsvSource`), headers are stripped.
* Null sentinels (``[ND]``, ``0001-01-01``, ``ZZZZZZZZZ``…: :func:`clean`),
  personal-data columns (:func:`drop_personal`), INSEE commune codes with the
  Paris/Lyon/Marseille arrondissements mapped to their commune
  (:func:`commune_code`), territory filters (:class:`TerritoryFilter`), the ESS
  sectors readers link to (:data:`SECTORS`).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO

from graph import model
from graph.errors import InputError
from loaders.report import LoadReport
from loaders.tables import PERSONAL_COLUMNS, Table

Progress = Callable[[int], None]
#: resolves (commune name, postal code) to an INSEE commune code, or None
CommuneResolver = Callable[[str, str], "str | None"]

csv.field_size_limit(2**31 - 1)

# ----------------------------------------------------------------------------- result


@dataclass
class ImportResult:
    """Bundle rows read from one open-data file, with the report of what was read.

    ``tables`` maps a bundle file name (``structures.csv``, ``places.csv``,
    ``sectors.csv``, ``networks.csv``, ``relations.csv``, ``sources.csv``) to
    rows: dicts whose keys are the bundle columns and whose values are strings
    as they would appear in the bundle CSV (lists joined with ``|``), plus the
    private key ``_ref`` (``"file:row"`` of the source row, for messages).
    ``report.read`` counts source rows, ``report.loaded`` the rows turned into
    a node, ``report.rejected`` the rows refused (file, row, column, reason);
    ``filtered`` the rows read but left out by the filters (not ESS, another
    territory, closed): ``read == loaded + rejected_rows + filtered``.
    """

    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    report: LoadReport = field(default_factory=LoadReport)
    filtered: int = 0
    #: the id of the row of ``sources.csv`` every row cites
    source_id: str = ""
    #: ``(bundle file or relation type, bundle column) -> the source column`` that fills it,
    #: to name the user's column when validation refuses a cell (:mod:`~loaders.opendata.traced`)
    source_columns: dict[tuple[str, str], str] = field(default_factory=dict)
    _seen: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def add_node(self, filename: str, ref: str, **values: str) -> dict[str, str] | None:
        """Add a node row (all columns of ``filename``, missing ones empty); skip a repeated id."""
        ids = self._seen.setdefault(filename, set())
        if values["id"] in ids:
            return None
        columns, allowed = _COLUMNS[filename]
        if not values.keys() <= allowed:
            raise ValueError(f"{filename}: unknown columns {sorted(set(values) - allowed)}")
        ids.add(values["id"])
        row = dict.fromkeys(columns, "")
        for k, v in values.items():
            row[k] = v if type(v) is str else _text(v)
        row["_ref"] = ref
        self.tables.setdefault(filename, []).append(row)
        return row

    def add_relation(self, ref: str, source_id: str, rtype: str, target_id: str, **props: str) -> dict:
        """Add a row of ``relations.csv`` (skips an identical repeated relation)."""
        key = (source_id, rtype, target_id, *sorted(props.items())) if props else (source_id, rtype, target_id)
        seen = self._seen.setdefault(model.RELATIONS_FILE, set())
        if key in seen:
            return {}
        if not props.keys() <= _RELATION_PROPS:
            raise ValueError(f"relations.csv: unknown column {sorted(set(props) - _RELATION_PROPS)}")
        seen.add(key)
        row = dict.fromkeys(_RELATION_COLUMNS, "")
        row["source_id"], row["type"], row["target_id"] = source_id, rtype, target_id
        for k, v in props.items():
            row[k] = v if type(v) is str else _text(v)
        row["_ref"] = ref
        self.tables.setdefault(model.RELATIONS_FILE, []).append(row)
        return row

    def add_sector(self, sector_id: str, ref: str) -> None:
        """Add the row of a sector of :data:`SECTORS` (once)."""
        name, description = SECTORS[sector_id]
        self.add_node("sectors.csv", ref, id=sector_id, name=name, description=description,
                      sources=self.source_id)

    def snapshot(self) -> dict[str, int]:
        """Rows per table now, to give the rows added after it their source (:meth:`cite`)."""
        return {name: len(rows) for name, rows in self.tables.items()}

    def cite(self, source_id: str, since: dict[str, int] | None = None) -> None:
        """Set ``sources`` to ``source_id`` on the rows (but ``sources.csv``'s) that have none,
        added after the ``since`` snapshot (all rows if None)."""
        for name, rows in self.tables.items():
            if name == "sources.csv":
                continue
            for row in rows[(since or {}).get(name, 0):]:
                if not row.get("sources"):
                    row["sources"] = source_id

    def counts(self) -> dict[str, int]:
        """Rows per bundle file, plus ``read``, ``loaded``, ``rejected``, ``filtered``."""
        out = {name: len(rows) for name, rows in sorted(self.tables.items())}
        out.update(read=self.report.read, loaded=self.report.loaded,
                   rejected=self.report.rejected_rows, filtered=self.filtered)
        return out

    def check_counts(self) -> None:
        """Raise AssertionError unless read == loaded + rejected + filtered."""
        r = self.report
        assert r.read == r.loaded + r.rejected_rows + self.filtered, (
            f"read {r.read} != loaded {r.loaded} + rejected {r.rejected_rows} + filtered {self.filtered}")

    def to_tables(self) -> dict[str, Table]:
        """The rows as :class:`~loaders.tables.Table` objects, for :func:`loaders.bundle.validate`."""
        out = {}
        for name, rows in self.tables.items():
            header = [k for k in rows[0] if not k.startswith("_")] if rows else []
            table_rows = []
            for i, row in enumerate(rows, start=2):
                r = {k: v for k, v in row.items() if not k.startswith("_")}
                r["_row"] = str(i)
                table_rows.append(r)
            out[name] = Table(name, header, table_rows)
        return out

    def write_bundle(self, folder: Path | str) -> dict[str, int]:
        """Write the rows as bundle CSV files in ``folder`` (cells neutralised); rows per file."""
        from graph.exports import neutralise_formula

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, rows in self.tables.items():
            if name == model.RELATIONS_FILE:
                cols = [c.name for c in model.RELATION_COLUMNS]
            else:
                cols = list(model.NODE_FILE_BY_NAME[name].column_names)
            with open(folder / name, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(cols)
                for row in rows:
                    w.writerow([neutralise_formula(row.get(c, "")) for c in cols])
            written[name] = len(rows)
        return written


_COLUMNS = {f.filename: (f.column_names, frozenset(f.column_names)) for f in model.NODE_FILES}
_RELATION_COLUMNS = tuple(c.name for c in model.RELATION_COLUMNS)
_RELATION_PROPS = frozenset(_RELATION_COLUMNS[3:])


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return model.LIST_SEPARATOR.join(str(v) for v in value if v not in (None, ""))
    return str(value)


# ----------------------------------------------------------------------------- values

#: values that mean "no value" in French open data: SIRENE masks ``[ND]`` (non
#: diffusible), RNA dates ``0001-01-01``, INSEE "no EPCI" ``ZZZZZZZZZ``
NULL_SENTINELS = frozenset({"[ND]", "[nd]", "0001-01-01", "ZZZZZZZZZ", "NULL", "null", "None", "nan", "NaN"})


def clean(value) -> str:
    """``value`` stripped, or ``""`` for None and the null sentinels (``[ND]``, ``0001-01-01``…)."""
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text in NULL_SENTINELS else text


def truncate(text: str, limit: int = 500) -> str:
    """``text`` on one line, cut at a word boundary before ``limit`` characters (with ``…``)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def slug(text: str, max_len: int = 60) -> str:
    """Lower-case ASCII id fragment: ``"Café-Vélo d'Angers"`` -> ``"cafe-velo-d-angers"``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_len].rstrip("-") or "x"


def id_fragment(text: str) -> str:
    """A register key made safe for a bundle id (letters, digits, ``. _ -``)."""
    text = unicodedata.normalize("NFKD", str(text).strip()).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return text


_DIGITS = re.compile(r"\D")


def siren_of(value: str) -> str:
    """The 9-digit SIREN of a SIREN or SIRET (spaces tolerated), or ``""``."""
    digits = _DIGITS.sub("", clean(value))
    if len(digits) in (9, 14) and digits != "0" * len(digits):
        return digits[:9]
    return ""


def website(value: str) -> str:
    """A public web address, ``http(s)://`` added when missing; ``""`` if it is not one."""
    url = clean(value)
    if not url or " " in url or "@" in url or "." not in url:
        return ""
    if not re.match(r"^https?://", url, re.I):
        url = "https://" + url.lstrip("/")
    return url


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` (or ``YYYY``/``YYYY-MM``) from ISO or ``DD/MM/YYYY`` text, else ``""``."""
    v = clean(value)[:10]
    if re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", v):
        return v
    m = re.match(r"^(\d{2})/(\d{2})/(\d{4})$", v)
    if m:
        return f"{m[3]}-{m[2]}-{m[1]}"
    return ""


# ----------------------------------------------------------------------------- territories

#: département -> région (COG 2026; overseas départements are their own régions)
REGION_OF_DEPARTEMENT: dict[str, str] = {
    **dict.fromkeys(("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"), "84"),
    **dict.fromkeys(("21", "25", "39", "58", "70", "71", "89", "90"), "27"),
    **dict.fromkeys(("22", "29", "35", "56"), "53"),
    **dict.fromkeys(("18", "28", "36", "37", "41", "45"), "24"),
    **dict.fromkeys(("2A", "2B"), "94"),
    **dict.fromkeys(("08", "10", "51", "52", "54", "55", "57", "67", "68", "88"), "44"),
    **dict.fromkeys(("02", "59", "60", "62", "80"), "32"),
    **dict.fromkeys(("75", "77", "78", "91", "92", "93", "94", "95"), "11"),
    **dict.fromkeys(("14", "27", "50", "61", "76"), "28"),
    **dict.fromkeys(("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"), "75"),
    **dict.fromkeys(("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"), "76"),
    **dict.fromkeys(("44", "49", "53", "72", "85"), "52"),
    **dict.fromkeys(("04", "05", "06", "13", "83", "84"), "93"),
    "971": "01", "972": "02", "973": "03", "974": "04", "976": "06",
}

_PLM = (("751", 75101, 75120, "75056"), ("693", 69381, 69389, "69123"), ("132", 13201, 13216, "13055"))


@lru_cache(maxsize=1 << 16)
def commune_code(code: str) -> str:
    """The INSEE code of a current commune from an INSEE code as files carry it.

    Strips, restores a leading zero lost by a spreadsheet (``"1053"`` ->
    ``"01053"``), and maps the municipal arrondissements of Paris (751xx),
    Lyon (6938x) and Marseille (132xx) to their commune (75056, 69123, 13055).
    Returns ``""`` for an empty or malformed code.

    >>> commune_code("75115"), commune_code("69383"), commune_code("1053"), commune_code("2A004")
    ('75056', '69123', '01053', '2A004')
    """
    c = clean(code).upper()
    if c.startswith("COMMUNE:"):
        c = c[8:]
    if len(c) == 4 and c.isdigit():
        c = "0" + c
    if not re.match(r"^(\d{5}|2[AB]\d{3})$", c):
        return ""
    if c.isdigit():
        n = int(c)
        for prefix, lo, hi, parent in _PLM:
            if c.startswith(prefix) and lo <= n <= hi:
                return parent
    return c


def departement_of(code: str) -> str:
    """The département of a commune code (``97x``/``98x`` overseas keep 3 characters)."""
    c = commune_code(code)
    if not c:
        return ""
    return c[:3] if c.startswith(("97", "98")) else c[:2]


def commune_id(code: str) -> str:
    """``commune:<INSEE>`` for a code as files carry it, or ``""``."""
    c = commune_code(code)
    return model.territory_id("commune", c) if c else ""


def _as_set(value, prefix: str) -> set[str] | None:
    if value is None or value == "" or value == []:
        return None
    items = [value] if isinstance(value, str) else list(value)
    out = set()
    for item in items:
        s = str(item).strip()
        if s.lower().startswith(prefix + ":"):
            s = s.split(":", 1)[1]
        out.add(s.upper() if prefix == "departement" else s)
    return out


class TerritoryFilter:
    """Which communes a reader keeps: by département(s), région(s) and/or commune(s).

    Each argument is a code, an id (``departement:44``) or a list of them; a
    commune passes when it matches every criterion given. With no criterion
    every commune (and a missing commune) passes.
    """

    def __init__(self, departement=None, region=None, commune=None):
        self.departements = _as_set(departement, "departement")
        if self.departements:
            self.departements = {d.zfill(2) if d.isdigit() and len(d) < 2 else d for d in self.departements}
        self.regions = _as_set(region, "region")
        communes = _as_set(commune, "commune")
        self.communes = {commune_code(c) or c for c in communes} if communes else None
        for dep in self.departements or ():
            if dep not in REGION_OF_DEPARTEMENT:
                raise InputError(f"département inconnu : {dep!r}")
        for reg in self.regions or ():
            if reg not in set(REGION_OF_DEPARTEMENT.values()):
                raise InputError(f"région inconnue : {reg!r} (codes INSEE, ex. 52)")

    @property
    def active(self) -> bool:
        return bool(self.departements or self.regions or self.communes)

    def departement_ok(self, dep: str) -> bool:
        """Whether a commune of département ``dep`` can pass (for early filtering)."""
        if self.departements is not None and dep not in self.departements:
            return False
        if self.regions is not None and REGION_OF_DEPARTEMENT.get(dep) not in self.regions:
            return False
        return True

    def __call__(self, code: str) -> bool:
        if not self.active:
            return True
        c = commune_code(code)
        if not c:
            return False
        if self.communes is not None and c not in self.communes:
            return False
        return self.departement_ok(departement_of(c))

    def postal_ok(self, postal_code: str) -> bool:
        """Best effort on a postal code alone: its first two digits (three overseas); in Corsica
        ``200xx``-``201xx`` are Corse-du-Sud (2A), ``202xx``-``206xx`` Haute-Corse (2B)."""
        if self.communes is not None:
            return False
        pc = re.sub(r"\D", "", postal_code or "")
        if len(pc) != 5:
            return False
        if pc.startswith("20"):  # Corse-du-Sud 200xx-201xx, Haute-Corse 202xx-206xx
            deps = {"2A"} if pc[2] in "01" else {"2B"}
        else:
            deps = {pc[:3]} if pc.startswith("97") else {pc[:2]}
        return any(self.departement_ok(d) for d in deps)

    def describe(self) -> str:
        parts = []
        if self.departements:
            parts.append("départements " + ", ".join(sorted(self.departements)))
        if self.regions:
            parts.append("régions " + ", ".join(sorted(self.regions)))
        if self.communes:
            parts.append("communes " + ", ".join(sorted(self.communes)))
        return " ; ".join(parts) or "toute la France"


def default_commune_resolver() -> CommuneResolver | None:
    """A resolver backed by the shipped territorial reference, or None if it cannot be used.

    ``resolve(name, postal_code)`` looks the name up with
    :meth:`loaders.territories.TerritoryIndex.find` (accents, case, ``St``,
    old and delegated communes, arrondissements handled there), keeps the
    communes of the département the postal code points to (``20xxx``: 2A or
    2B; ``97xxx``: three digits), and returns the INSEE code of the most
    populous one, or None. ``CEDEX`` suffixes are ignored.
    """
    try:
        from loaders.territories import territory_index

        index = territory_index()
    except Exception:  # the module or its data is missing: readers say so
        return None

    def resolve(name: str, postal_code: str = "") -> str | None:
        name = re.sub(r"\bcedex\b.*$", "", str(name or ""), flags=re.I).strip(" ,-")
        plm = re.match(r"^(paris|lyon|marseille)[\s-]+\d{1,2}\s*(er|e|eme|ème)?(\s+arrondissement)?$", name, re.I)
        if plm:
            name = plm.group(1)
        if not name:
            return None
        pc = re.sub(r"\D", "", str(postal_code or ""))
        deps: set[str] = set()
        if len(pc) == 5:
            # both Corsican départements: a name is looked for there, whatever the range says
            deps = {"2A", "2B"} if pc.startswith("20") else ({pc[:3]} if pc.startswith("97") else {pc[:2]})
        try:
            found = index.find(name)
        except Exception:
            return None
        if deps:
            found = [t for t in found if any(f"departement:{d}" in t.get("parents", ()) for d in deps)]
        return str(found[0]["code"]) if found else None

    return resolve


@lru_cache(maxsize=1 << 16)
def current_commune_code(code: str) -> str:
    """:func:`commune_code`, then old, delegated and associated commune codes mapped to
    the current commune with the shipped reference when it is there."""
    c = commune_code(code)
    current = _current_resolver() if c else None
    if current is None:
        return c
    return current(c) or c


@lru_cache(maxsize=1)
def _current_resolver():
    """The shipped reference's resolver of old commune codes, or None without it; read on
    first use (importing the readers, as the app's pages do, does not read the reference)."""
    try:
        from loaders.territories import resolve_commune_code

        resolve_commune_code("44109")
        return resolve_commune_code
    except Exception:
        return None


# ----------------------------------------------------------------------------- sectors

#: The ESS sectors readers link structures to (``ACTIVE_IN``): id -> (name, description).
#: The mapping tables that lead here are in the readers (NAF divisions in
#: :mod:`loaders.opendata.sirene`, RNA social-object families in
#: :mod:`loaders.opendata.rna`, data·inclusion thématiques and GoGoCarto
#: categories in theirs).
SECTORS: dict[str, tuple[str, str]] = {
    "sector:services-aux-personnes": ("Services aux personnes et action sociale",
                                      "action sociale, médico-social, aide à domicile, petite enfance"),
    "sector:sante": ("Santé", "centres de santé, prévention, mutuelles de santé"),
    "sector:insertion": ("Insertion et emploi", "insertion par l'activité économique, aide à l'emploi, développement local"),
    "sector:education-formation": ("Éducation et formation", "enseignement, formation, éducation populaire"),
    "sector:culture": ("Culture", "création, spectacle vivant, patrimoine, médias"),
    "sector:sport-loisirs": ("Sport et loisirs", "clubs sportifs, loisirs, activités de plein air"),
    "sector:environnement": ("Environnement", "déchets, réemploi, énergie, eau, protection de la nature"),
    "sector:agriculture-alimentation": ("Agriculture et alimentation",
                                        "agriculture, circuits courts, alimentation, restauration"),
    "sector:commerce": ("Commerce", "commerce équitable, coopératives de consommateurs et de commerçants"),
    "sector:finance-solidaire": ("Finance solidaire", "banques coopératives, assurance mutuelle, finance solidaire"),
    "sector:logement-habitat": ("Logement et habitat", "logement social, habitat participatif, hébergement"),
    "sector:numerique": ("Numérique", "services numériques, médiation numérique"),
    "sector:mobilite": ("Mobilité et transport", "transport, mobilité solidaire"),
    "sector:tourisme": ("Tourisme", "tourisme social et solidaire, hébergement touristique"),
}


# ----------------------------------------------------------------------------- personal data

def personal_columns(header: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """The columns of ``header`` holding personal data: names matching the common
    pattern (e-mail, téléphone, contact, prénom…) plus the format's own ``extra`` ones."""
    extra = {e.lower() for e in extra}
    return [h for h in header if h.lower() in extra or PERSONAL_COLUMNS.match(h.strip())]


def drop_personal(report: LoadReport, file: str, header: Iterable[str], extra: Iterable[str] = ()) -> set[str]:
    """Record the personal columns of ``header`` as dropped (one warning line); return them."""
    cols = personal_columns(header, extra)
    if cols:
        report.dropped_columns.extend(f"{file}:{c}" for c in cols)
        report.warnings.append(f"{file} : colonnes ignorées (données personnelles) : {', '.join(cols)}")
    return set(cols)


# ----------------------------------------------------------------------------- files

@dataclass(frozen=True)
class Member:
    """One readable file: a plain file, a member of a zip, or a gzip'd file."""

    path: Path
    inner: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path.name}/{self.inner}" if self.inner else self.path.name

    @property
    def basename(self) -> str:
        return Path(self.inner).name if self.inner else self.path.name

    @property
    def suffix(self) -> str:
        name = self.basename.lower()
        for ext in (".csv.gz", ".json.gz"):
            if name.endswith(ext):
                return ext
        return Path(name).suffix

    def open(self) -> IO[bytes]:
        if self.inner is not None:
            zf = zipfile.ZipFile(self.path)
            return zf.open(self.inner)
        if self.path.name.lower().endswith(".gz"):
            return gzip.open(self.path, "rb")
        return open(self.path, "rb")

    @property
    def size(self) -> int:
        if self.inner is not None:
            with zipfile.ZipFile(self.path) as zf:
                return zf.getinfo(self.inner).file_size
        return self.path.stat().st_size


_DATA_EXT = (".csv", ".txt", ".json", ".geojson", ".parquet", ".csv.gz", ".json.gz", ".xlsx")


def members(path: Path | str) -> list[Member]:
    """The data files of ``path``: itself, the members of a zip, or the files of a folder (sorted)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} : fichier ou dossier introuvable")
    if path.is_dir():
        out = []
        for p in sorted(path.iterdir()):
            if p.name.startswith("."):
                continue
            if p.suffix.lower() == ".zip":
                out.extend(members(p))
            elif p.is_file() and Member(p).suffix in _DATA_EXT:
                out.append(Member(p))
        return out
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                names = [i.filename for i in zf.infolist() if not i.is_dir()]
        except zipfile.BadZipFile:
            raise InputError(f"{path.name} : archive zip illisible") from None
        return [Member(path, n) for n in sorted(names)
                if not Path(n).name.startswith((".", "__")) and Member(path, n).suffix in _DATA_EXT]
    return [Member(path)]


SNIFF_BYTES = 1 << 20


def sniff_encoding(data: bytes, *, complete: bool = False, name: str = "") -> str:
    """``utf-8-sig``, ``utf-8``, ``cp1252`` or ``latin-1`` for a sample of bytes.

    ``complete`` says the sample is the whole file (otherwise a multi-byte
    character cut at the end of the sample is not an error); ``name`` is the
    file's, for the error raised on binary or UTF-16 data.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in data[:4096]:
        raise InputError(f"{name + ' : ' if name else ''}fichier binaire ou encodage UTF-16 non pris en charge "
                         "(enregistrez-le en CSV UTF-8)")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def sniff_member_encoding(member: Member, *, full: bool = False) -> str:
    """The encoding of a file: from its first megabyte, or (``full``) from all of it."""
    with member.open() as f:
        head = f.read(SNIFF_BYTES)
        enc = sniff_encoding(head, complete=len(head) < SNIFF_BYTES, name=member.name)
        if not full or enc != "utf-8" or len(head) < SNIFF_BYTES:
            return enc
        dec = codecs.getincrementaldecoder("utf-8")()
        try:
            dec.decode(head, final=False)
            while True:
                block = f.read(SNIFF_BYTES)
                if not block:
                    dec.decode(b"", final=True)
                    return "utf-8"
                dec.decode(block, final=False)
        except UnicodeDecodeError:
            return "cp1252"


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def clean_header(cells: list[str]) -> list[str]:
    """Header names stripped (SIRENE has trailing spaces) and without a BOM."""
    return [c.replace("\ufeff", "").strip() for c in cells]


class CsvSource:
    """A CSV file read as it comes: encoding and separator sniffed, header cleaned.

    ``rows()`` yields ``(row_number, row_dict, None)`` for good rows and
    ``(row_number, None, reason)`` for rows that cannot be split; row numbers
    are those a spreadsheet shows (header = 1). Blank lines are skipped.
    """

    def __init__(self, member: Member, *, full_sniff: bool = False, separator: str | None = None):
        self.member = member
        self.name = member.name
        self.encoding = sniff_member_encoding(member, full=full_sniff)
        with member.open() as f:
            first = f.readline(SNIFF_BYTES).decode(self.encoding, errors="replace")
        self.separator = separator or sniff_separator(first)
        self.header = clean_header(next(csv.reader([first.rstrip("\r\n")], delimiter=self.separator), []))
        if not any(self.header):
            raise InputError(f"{self.name} : fichier vide ou sans ligne d'en-tête")
        self.warnings = []
        if self.encoding in ("cp1252", "latin-1"):
            self.warnings.append(f"{self.name} : encodage {self.encoding} détecté (pas UTF-8)")

    def require(self, columns: Iterable[str], what: str) -> None:
        missing = [c for c in columns if c not in self.header]
        if missing:
            raise InputError(f"{self.name} : colonnes obligatoires absentes pour {what} : "
                             f"{', '.join(missing)} (en-tête lu : {', '.join(self.header[:12])}…)")

    def text(self) -> io.TextIOWrapper:
        return io.TextIOWrapper(self.member.open(), encoding=self.encoding, errors="replace", newline="")

    def rows(self) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
        n = len(self.header)
        with self.text() as f:
            reader = csv.reader(f, delimiter=self.separator)
            next(reader, None)
            row_no = 1
            while True:
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as err:
                    row_no += 1
                    yield row_no, None, f"ligne illisible ({err})"
                    continue
                row_no += 1
                if not cells or not any(c.strip() for c in cells):
                    continue
                if len(cells) != n:
                    if len(cells) > n and not any(c.strip() for c in cells[n:]):
                        cells = cells[:n]
                    else:
                        yield row_no, None, (f"{len(cells)} cellules au lieu de {n} "
                                             f"(séparateur « {self.separator} » attendu)")
                        continue
                yield row_no, dict(zip(self.header, cells)), None


def source_row(result: ImportResult, source_id: str, *, title: str, publisher: str, date: str = "",
               kind: str = "dataset", path: str = "", licence: str = "") -> None:
    """Set ``result.source_id`` and add its row to ``sources.csv``."""
    result.source_id = source_id
    result.add_node("sources.csv", f"{path}:0", id=source_id, title=title, publisher=publisher,
                    date=iso_date(date), kind=kind, path=path, licence=licence)


def date_in_name(name: str) -> str:
    """A date written in a file name (``rna_waldec_20240601``, ``…_2023-11``), as ISO, or ``""``."""
    m = re.search(r"(?<!\d)(20\d{2})[-_]?(0[1-9]|1[0-2])(?:[-_]?([0-2]\d|3[01]))?(?!\d)", name)
    if not m:
        return ""
    return "-".join(x for x in m.groups() if x)

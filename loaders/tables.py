"""Reading tabular files as they really come: encodings, separators, BOMs, sheets.

:func:`read_table` returns the header and the rows of one CSV file (UTF-8 with
or without BOM, else CP1252/Latin-1; ``,`` or ``;`` or tab), with every value
a string; :func:`read_workbook` does the same for each sheet of an ``.xlsx``.
Row numbers are those a spreadsheet shows: the header is row 1, so the first
data row is row 2.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError

#: files larger than this are refused (a zip bomb or the wrong file)
MAX_FILE_BYTES = 2 * 1024**3
#: a cell longer than this is refused with a clear reason
MAX_CELL = 10_000
csv.field_size_limit(MAX_FILE_BYTES)
#: an XLSX is a zip: a member that inflates more than this many times its compressed size is
#: refused (a zip bomb), as Apache POI does (its default minimum inflate ratio is 0.01)
MAX_XLSX_RATIO = 100
#: members smaller than this once inflated are not held to the ratio (tiny, very regular XML)
XLSX_RATIO_GRACE = 1024**2

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\d])(?:\+33 ?|0)[1-9](?:[ .-]?[0-9]{2}){4}(?![\d])")
#: column names that hold personal data: dropped on read, with a warning
PERSONAL_COLUMNS = re.compile(
    r"^(e?-?mail|courriel|adresse_?mail|t[eé]l[eé]?phone|tel|phone|mobile|portable|fax|"
    r"contact|nom_?contact|pr[eé]nom|firstname|first_name|lastname|last_name|nom_?personne|"
    r"personne|responsable|referent|r[eé]f[eé]rent|dirigeant|president|pr[eé]sident|"
    r"representant|repr[eé]sentant|signataire|interlocuteur)(_?\w*)?$",
    re.IGNORECASE,
)


@dataclass
class Table:
    """The rows of one file or sheet, all values as strings."""

    name: str
    header: list[str]
    rows: list[dict[str, str]]
    encoding: str = "utf-8"
    separator: str = ","
    warnings: list[str] = field(default_factory=list)
    #: rows that could not be split into cells: (row number, reason)
    broken: list[tuple[int, str]] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, str, list[str], bool]:
    """Decode bytes as UTF-8 (BOM tolerated), else CP1252, else Latin-1; refuse binary.

    Returns ``(text, encoding, warnings, cut)``. A file that is valid UTF-8 but
    for a multi-byte character cut by its very end (a truncated download) is
    still UTF-8: the cut bytes become U+FFFD (``�``) and ``cut`` is True, so that
    the reader rejects the last row instead of decoding the whole file as CP1252
    (which would turn every accented letter into mojibake).
    """
    warnings: list[str] = []
    if b"\x00" in data[:4096]:
        raise InputError(f"{name} : fichier binaire ou encodage UTF-16 non pris en charge "
                         "(enregistrez-le en CSV UTF-8)")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError:
        pass
    else:
        tail = decoder.getstate()[0]
        if not tail:
            return text, "utf-8", warnings, False
        # a last character cut short: UTF-8 only if the rest shows it (else CP1252 ending with "é")
        if not text.isascii():
            warnings.append(f"{name} : fichier tronqué au milieu d'un caractère UTF-8 "
                            f"({len(tail)} octet(s) incomplet(s) en fin de fichier)")
            return text + "\ufffd", "utf-8", warnings, True
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "latin-1"
    warnings.append(f"{name} : encodage {enc} détecté (le fichier n'est pas en UTF-8)")
    return text, enc, warnings, False


def sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(path: Path | str, *, name: str | None = None, data: bytes | None = None) -> Table:
    """Read one CSV file into a :class:`Table` (see the module docstring)."""
    path = Path(path)
    name = name or path.name
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise InputError(f"{name} : fichier illisible ({err.strerror})") from None
        if size > MAX_FILE_BYTES:
            raise InputError(f"{name} : fichier trop gros ({size} octets, au plus {MAX_FILE_BYTES})")
        data = path.read_bytes()
    text, enc, warnings, cut = decode(data, name)
    if not text.strip():
        return Table(name, [], [], enc, ",", warnings + [f"{name} : fichier vide"])
    first = text.split("\n", 1)[0]
    sep = sniff_separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    table = Table(name, [], [], enc, sep, warnings)
    try:
        header = next(reader)
    except csv.Error as err:
        raise InputError(f"{name}, ligne 1 : en-tête illisible ({err})") from None
    table.header = [h.strip().lstrip("\ufeff") for h in header]
    if len(set(table.header)) != len(table.header):
        dup = sorted({h for h in table.header if table.header.count(h) > 1})
        raise InputError(f"{name}, ligne 1 : colonne en double : {', '.join(dup)}")
    row_no = last = 1
    while True:
        row_no += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            table.broken.append((row_no, f"ligne illisible ({err})"))
            last = row_no
            continue
        if not any(c.strip() for c in cells):
            continue
        last = row_no
        if len(cells) != len(table.header):
            table.broken.append((row_no, f"{len(cells)} cellules au lieu de {len(table.header)} "
                                         f"(séparateur « {sep} » attendu)"))
            continue
        row = dict(zip(table.header, map(str.strip, cells)))
        row["_row"] = str(row_no)
        table.rows.append(row)
    if cut and table.rows and table.rows[-1]["_row"] == str(last):
        table.rows.pop()
        table.broken.append((last, "ligne tronquée : le fichier s'arrête au milieu d'un caractère"))
    return table


def check_zip_sizes(path: Path) -> None:
    """Refuse a zip (an XLSX) whose members would inflate too much, before anything opens them.

    The sizes checked are those the zip declares; they are binding, since
    :mod:`zipfile` never inflates a member past its declared size (a member that
    lies about it fails its CRC check and reads as an unreadable workbook).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputError(f"{path.name} : classeur XLSX illisible ({err})") from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > XLSX_RATIO_GRACE and ratio > MAX_XLSX_RATIO:
            raise InputError(f"{path.name} : classeur XLSX refusé : « {info.filename} » se décompresse en "
                             f"{info.file_size} octets, {ratio:.0f} fois sa taille compressée "
                             f"(au plus {MAX_XLSX_RATIO} fois ; bombe zip ?)")
    if total > MAX_FILE_BYTES:
        raise InputError(f"{path.name} : classeur XLSX refusé : {total} octets une fois décompressé "
                         f"(au plus {MAX_FILE_BYTES})")


def read_workbook(path: Path | str) -> dict[str, Table]:
    """Read every sheet of an ``.xlsx`` as a :class:`Table` named ``<sheet>.csv``.

    The workbook is first checked for a zip bomb (:func:`check_zip_sizes`).
    """
    from openpyxl import load_workbook

    path = Path(path)
    check_zip_sizes(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds
        raise InputError(f"{path.name} : classeur XLSX illisible ({err})") from None
    tables = {}
    for ws in wb.worksheets:
        name = ws.title if ws.title.endswith(".csv") else f"{ws.title}.csv"
        header, rows = sheet_rows(ws)
        if not header:
            continue
        table = Table(f"{path.name}:{name}", header, [], "xlsx", "")
        for i, row in rows:
            row["_row"] = str(i)
            table.rows.append(row)
        tables[name] = table
    wb.close()
    return tables


def sheet_rows(ws) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """``(header, rows)`` of a worksheet: its first row's names (trailing empty ones dropped),
    then ``(row number as the spreadsheet shows it, {name: text})`` of each non-empty row,
    read as it goes (cells as a CSV export would hold them: :func:`cell_value`)."""
    it = ws.iter_rows(values_only=True)
    header = [cell_value(h) for h in (next(it, None) or ())]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for i, cells in enumerate(it, start=2):
            cells = list(cells)[:len(header)]
            row = {h: cell_value(c) for h, c in zip(header, cells)}
            if not any(row.values()):
                continue
            row.update({h: "" for h in header[len(cells):]})
            yield i, row

    return header, rows()


def cell_value(value) -> str:
    """A spreadsheet cell as the text a CSV export would hold (``12.0`` -> ``12``, dates ISO)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


def personal_columns(header: list[str]) -> list[str]:
    """The columns of ``header`` whose names say they hold personal data."""
    return [h for h in header if PERSONAL_COLUMNS.match(h.strip())]


#: columns holding identifiers (of a node, a relation end, a register entry, a source): a
#: register number that holds ten digits beginning with 0 (the RNA import layout's
#: ``772P0772007945``) is not a phone number; one standing alone (``structure:0612345678``) is
IDENTIFIER_COLUMNS = frozenset({"id", "source_id", "target_id", "siren", "siret", "rna", "code", "sources"})


def personal_data_in_identifier(value: str) -> str | None:
    """:func:`personal_data_in` for an identifier: a phone number counts only when no letter
    or digit touches it (``772P0772007945`` is an RNA number, ``structure:0612345678`` is not)."""
    if "@" in value and EMAIL.search(value):
        return "adresse e-mail"
    for m in PHONE.finditer(value):
        before = value[m.start() - 1] if m.start() else ""
        after = value[m.end()] if m.end() < len(value) else ""
        if not before.isalnum() and not after.isalnum():
            return "numéro de téléphone"
    return None


def personal_data_in(value: str) -> str | None:
    """``'e-mail'`` or ``'téléphone'`` if ``value`` contains one, else None."""
    if "@" in value and EMAIL.search(value):
        return "adresse e-mail"
    if PHONE.search(value):
        return "numéro de téléphone"
    return None

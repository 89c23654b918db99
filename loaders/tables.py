"""Reading tabular files as they really come: encodings, separators, BOMs, sheets.

:func:`read_table` returns the header and the rows of one CSV file (UTF-8 with
or without BOM, else CP1252/Latin-1; ``,`` or ``;`` or tab), with every value
a string; :func:`read_workbook` does the same for each sheet of an ``.xlsx``.
Row numbers are those a spreadsheet shows: the header is row 1, so the first
data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError

#: files larger than this are refused (a zip bomb or the wrong file)
MAX_FILE_BYTES = 2 * 1024**3
#: a cell longer than this is refused with a clear reason
MAX_CELL = 10_000
csv.field_size_limit(MAX_FILE_BYTES)

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


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Decode bytes as UTF-8 (BOM tolerated), else CP1252, else Latin-1; refuse binary."""
    warnings: list[str] = []
    if b"\x00" in data[:4096]:
        raise InputError(f"{name} : fichier binaire ou encodage UTF-16 non pris en charge "
                         "(enregistrez-le en CSV UTF-8)")
    try:
        return data.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        enc = "cp1252"
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        enc = "latin-1"
    warnings.append(f"{name} : encodage {enc} détecté (le fichier n'est pas en UTF-8)")
    return text, enc, warnings


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
    text, enc, warnings = decode(data, name)
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
    row_no = 1
    while True:
        row_no += 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            table.broken.append((row_no, f"ligne illisible ({err})"))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(table.header):
            table.broken.append((row_no, f"{len(cells)} cellules au lieu de {len(table.header)} "
                                         f"(séparateur « {sep} » attendu)"))
            continue
        row = dict(zip(table.header, (c.strip() for c in cells)))
        row["_row"] = str(row_no)
        table.rows.append(row)
    return table


def read_workbook(path: Path | str) -> dict[str, Table]:
    """Read every sheet of an ``.xlsx`` as a :class:`Table` named ``<sheet>.csv``."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds
        raise InputError(f"{path.name} : classeur XLSX illisible ({err})") from None
    tables = {}
    for ws in wb.worksheets:
        name = ws.title if ws.title.endswith(".csv") else f"{ws.title}.csv"
        it = ws.iter_rows(values_only=True)
        header_cells = next(it, None)
        if not header_cells:
            continue
        header = [str(h).strip() if h is not None else "" for h in header_cells]
        while header and not header[-1]:
            header.pop()
        table = Table(f"{path.name}:{name}", header, [], "xlsx", "")
        for i, cells in enumerate(it, start=2):
            cells = list(cells)[:len(header)]
            if not any(c not in (None, "") for c in cells):
                continue
            row = {h: _cell(c) for h, c in zip(header, cells)}
            row.update({h: "" for h in header[len(cells):]})
            row["_row"] = str(i)
            table.rows.append(row)
        tables[name] = table
    wb.close()
    return tables


def _cell(value) -> str:
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


def personal_data_in(value: str) -> str | None:
    """``'e-mail'`` or ``'téléphone'`` if ``value`` contains one, else None."""
    if "@" in value and EMAIL.search(value):
        return "adresse e-mail"
    if PHONE.search(value):
        return "numéro de téléphone"
    return None

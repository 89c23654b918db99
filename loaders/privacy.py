"""A scan for personal data: e-mail addresses and phone numbers in shipped data and bundles.

maillage describes organisations, never people (DESIGN.md, "No personal
data"). The loaders drop personal columns and strip e-mails and phone numbers
from cells as they read a bundle; this module is the independent check, run in
CI on everything shipped under ``loaders/data/`` and usable on any bundle
before it is shared::

    python -m loaders.privacy                 # the shipped data
    python -m loaders.privacy path/to/bundle  # any folder, CSV, XLSX, JSON or text file

It prints one line per finding (file, row, column, kind, the value masked so
that the check does not leak what it finds) and exits 1 when it finds
anything, 0 otherwise, 2 when a file cannot be read. The patterns are those of
:mod:`loaders.tables` (the ones the loaders apply), so the check and the
loaders agree on what personal data is.
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from loaders.tables import EMAIL, PHONE, Table, personal_columns, read_table, read_workbook

SHIPPED = Path(__file__).resolve().parent / "data"
#: suffixes read as text, line by line (after gunzip for ``.gz``)
TEXT_SUFFIXES = (".json", ".geojson", ".md", ".txt", ".yaml", ".yml", ".tsv")
EMAIL_KIND = "adresse e-mail"
PHONE_KIND = "numéro de téléphone"
COLUMN_KIND = "colonne de données personnelles"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: where it is, what kind, and the value masked."""

    file: str
    row: int | None
    column: str | None
    kind: str
    value: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column:
            where += f", colonne {self.column}"
        return f"{where} : {self.kind} « {self.value} »"


def mask(value: str) -> str:
    """``jane.doe@example.org`` → ``j***@example.org``; ``06 12 34 56 78`` → ``06******78``."""
    if "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = [c for c in value if c.isdigit()]
    return "".join(digits[:2]) + "*" * max(len(digits) - 4, 0) + "".join(digits[-2:])


def scan_text(text: str) -> list[tuple[str, str]]:
    """``[(kind, value), ...]`` for every e-mail address and phone number in ``text``."""
    found = [(EMAIL_KIND, m.group()) for m in EMAIL.finditer(text)] if "@" in text else []
    found += [(PHONE_KIND, m.group()) for m in PHONE.finditer(text)]
    return found


def scan_table(table: Table) -> list[Finding]:
    """Findings in the cells of one table, and its personal columns when they hold values."""
    out: list[Finding] = []
    for column in personal_columns(table.header):
        filled = [row for row in table.rows if row.get(column, "").strip()]
        if filled:
            out.append(Finding(table.name, 1, column, COLUMN_KIND,
                               f"{len(filled)} valeur(s) renseignée(s)"))
    for row in table.rows:
        for column in table.header:
            value = row.get(column) or ""
            for kind, hit in scan_text(value):
                out.append(Finding(table.name, int(row["_row"]), column, kind, mask(hit)))
    return out


def _lines(name: str, text: str) -> Iterator[Finding]:
    for n, line in enumerate(text.splitlines(), start=1):
        for kind, hit in scan_text(line):
            yield Finding(name, n, None, kind, mask(hit))


def scan_file(path: Path | str, *, name: str | None = None) -> list[Finding]:
    """Findings in one file: CSV (optionally ``.gz``), XLSX, or a text/JSON file."""
    path = Path(path)
    name = name or str(path)
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    kind = suffixes[-2] if gz and len(suffixes) > 1 else (suffixes[-1] if suffixes else "")
    if kind in (".xlsx", ".xlsm"):
        return [f for t in read_workbook(path).values() for f in scan_table(t)]
    try:
        data = gzip.decompress(path.read_bytes()) if gz else path.read_bytes()
    except (OSError, EOFError) as err:
        raise InputError(f"{name} : fichier illisible ({err})") from None
    if kind == ".csv":
        return scan_table(read_table(path, name=name, data=data))
    if kind in TEXT_SUFFIXES:
        return list(_lines(name, data.decode("utf-8", errors="replace")))
    return []


def scannable(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return bool(suffixes) and suffixes[-1] in (".csv", ".xlsx", ".xlsm", *TEXT_SUFFIXES)


def scan_paths(paths: Iterable[Path | str]) -> tuple[list[Path], list[Finding]]:
    """Scan files and folders (recursively); return the files scanned and the findings."""
    files: list[Path] = []
    for p in map(Path, paths):
        if not p.exists():
            raise InputError(f"{p} : fichier ou dossier introuvable")
        if p.is_dir():
            files.extend(f for f in sorted(p.rglob("*")) if f.is_file() and scannable(f))
        else:
            files.append(p)
    findings: list[Finding] = []
    for f in files:
        findings.extend(scan_file(f))
    return files, findings


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in args):
        print(__doc__.strip().split("\n\n")[0] + "\n\nusage: python -m loaders.privacy [PATH ...]")
        return 0
    paths = args or [SHIPPED]
    try:
        files, findings = scan_paths(paths)
    except InputError as err:
        print(f"erreur : {err}", file=sys.stderr)
        return 2
    for f in findings:
        print(f)
    if findings:
        print(f"{len(findings)} donnée(s) personnelle(s) trouvée(s) dans {len(files)} fichier(s)")
        return 1
    print(f"aucune donnée personnelle dans {len(files)} fichier(s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

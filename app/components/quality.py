"""Data pages helpers: uploaded bundles to a folder, report rows, possible duplicates. Pure."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from loaders.bundle import BUNDLE_FILES
from loaders.report import LoadReport
from loaders.territories import normalize_name

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def save_uploads(files: list[tuple[str, bytes]], folder: Path) -> Path:
    """Write uploaded files into ``folder`` and return the path to load.

    One ``.xlsx`` (a sheet per bundle file) is loaded as itself; otherwise the CSV
    files form a bundle folder. File names are reduced to their last component and
    safe characters, so an upload can never write outside ``folder``.

    Raises ValueError when nothing usable was uploaded.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files:
        base = _SAFE.sub("_", Path(str(name).replace("\\", "/")).name) or "upload"
        path = folder / base
        path.write_bytes(content)
        written.append(path)
    books = [p for p in written if p.suffix.lower() in (".xlsx", ".xlsm")]
    if len(books) == 1 and len(written) == 1:
        return books[0]
    if any(p.suffix.lower() == ".csv" for p in written):
        return folder
    raise ValueError("expected CSV files of a bundle ("
                     + ", ".join(BUNDLE_FILES) + ") or one .xlsx workbook")


def rejection_rows(report: LoadReport) -> list[dict]:
    """The rejected rows of a report as table rows (file, row, column, reason)."""
    return [{"file": r.file, "row": r.row, "column": r.column, "reason": r.reason} for r in report.rejected]


def _norm_site(url) -> str:
    text = str(url or "").strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def possible_duplicates(rows: list[dict]) -> list[dict]:
    """Groups of organisations that may be the same: same normalised name, SIREN, RNA or website.

    ``rows`` have ``id``, ``name`` and optionally ``siren``, ``rna``, ``website``.
    Returns one dict per group: ``clue`` (``name``, ``siren``, ``rna``, ``website``),
    ``value`` and ``ids`` (sorted), groups sorted by clue then value.

    Examples
    --------
    >>> possible_duplicates([{"id": "structure:a", "name": "Les Écossolies"},
    ...                      {"id": "network:b", "name": "les ecossolies"},
    ...                      {"id": "structure:c", "name": "Autre"}])
    [{'clue': 'name', 'value': 'les ecossolies', 'ids': ['network:b', 'structure:a']}]
    """
    groups: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        keys = {"name": normalize_name(str(r.get("name") or "")),
                "siren": re.sub(r"\D", "", str(r.get("siren") or "")),
                "rna": str(r.get("rna") or "").strip().upper(),
                "website": _norm_site(r.get("website"))}
        for clue, value in keys.items():
            if value and value not in ("nan", "none"):
                groups[(clue, value)].add(r["id"])
    order = {"siren": 0, "rna": 1, "website": 2, "name": 3}
    out = [{"clue": c, "value": v, "ids": sorted(ids)} for (c, v), ids in groups.items() if len(ids) > 1]
    return sorted(out, key=lambda g: (order[g["clue"]], g["value"]))

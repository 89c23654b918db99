"""The validation of imported rows, told in the user's own file: its name, row and column.

An open-data import reads the user's file into bundle rows, then validates those
rows like any bundle (:func:`loaders.bundle.validate`), which names what it
refuses by bundle file and row (``structures.csv, ligne 8``), a file the user never
saw. Every row a reader makes keeps ``_ref`` (``"<file>:<row>"``, the source row it
came from) and every reader says which of its columns fills each bundle column
(:attr:`ImportResult.source_columns`), so :func:`trace` can name the user's file,
row and column instead, and keep the counts of that file true:

* a source row whose node (its structure or place) the validation refuses is
  rejected, not kept: ``read == loaded + rejected + filtered`` still holds;
* a relation refused (a commune code the reference does not know) is listed with
  the row and column it came from; its row is kept, since its node was written;
* what did not come from the file (a structure of the store matched with an
  imported one) keeps the bundle's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph import model
from loaders.report import LoadReport, Rejection

#: the bundle files a source row's own node is written to (sectors, networks and
#: sources are shared by many rows: a refusal there is not one row's)
MAIN_FILES = ("structures.csv", "places.csv")
_WARNING = re.compile(r"^(?P<file>[\w.-]+\.csv), ligne (?P<row>\d+), colonne (?P<column>\w+) : (?P<text>.*)$",
                      re.S)


@dataclass
class Traced:
    """What an import did to the user's rows (see the module docstring)."""

    #: the source rows: read, kept, rejected (the reader's and the validation's refusals)
    report: LoadReport
    #: relations refused, each named by the source row and column it came from
    links: list[Rejection] = field(default_factory=list)
    #: the validation's refusals of rows that did not come from the file (as it named them)
    other: list[Rejection] = field(default_factory=list)


def _where(ref: str) -> tuple[str, int | None]:
    file, _, row = ref.rpartition(":")
    return (file, int(row)) if row.isdigit() else (ref, None)


def _column(result, kind: str, column: str | None) -> str | None:
    if not column:
        return None
    return result.source_columns.get((kind, column)) or f"{column} (champ maillage)"


def trace(result, bundle: LoadReport) -> Traced:
    """The source report of ``result`` (an :class:`ImportResult` whose tables were
    validated, in :meth:`ImportResult.to_tables` order) with ``bundle``'s refusals and
    warnings moved to the user's file, row and column."""
    src = result.report
    out = LoadReport(read=src.read, loaded=src.loaded, rejected=list(src.rejected),
                     warnings=list(src.warnings), dropped_columns=list(src.dropped_columns))
    traced = Traced(out)
    refused = {(r.file, r.row) for r in src.rejected}

    def origin(file: str, row: int | None) -> dict | None:
        rows = result.tables.get(file) or []
        if row is None or not 2 <= row < len(rows) + 2:
            return None
        found = rows[row - 2]
        return found if found.get("_ref") else None

    relations = []
    for rej in bundle.rejected:
        row = origin(rej.file, rej.row)
        if row is None:
            traced.other.append(rej)
            continue
        if rej.file == model.RELATIONS_FILE:
            relations.append((rej, row))
            continue
        file, line = _where(row["_ref"])
        out.rejected.append(Rejection(file, line, _column(result, rej.file, rej.column), rej.reason))
        if rej.file in MAIN_FILES and (file, line) not in refused:
            refused.add((file, line))
            out.loaded -= 1
    for rej, row in relations:  # after the nodes: a refused node's relations are not news
        file, line = _where(row["_ref"])
        if (file, line) in refused:
            continue
        reason = f"relation {row['type']} vers {row['target_id'] or '?'} non écrite : {rej.reason}"
        traced.links.append(Rejection(file, line, _column(result, row["type"], rej.column), reason))
    for text in bundle.warnings:
        m = _WARNING.match(text)
        row = origin(m["file"], int(m["row"])) if m else None
        if row is None:
            out.warnings.append(text)
            continue
        file, line = _where(row["_ref"])
        kind = row.get("type") if m["file"] == model.RELATIONS_FILE else m["file"]
        out.warnings.append(f"{file}, ligne {line}, colonne {_column(result, kind, m['column'])} : {m['text']}")
    return traced

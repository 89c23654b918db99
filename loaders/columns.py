"""Typed rows of a whole table at once: each column checked and converted in one pass.

:func:`typed_rows` gives, row by row, exactly what :func:`loaders.cells.typed_row`
gives, and leaves exactly the same rejections and warnings in the report, in the
same order; it is only faster. Each column is checked as a whole (cell lengths,
required cells, personal data searched in the joined column, each distinct value
converted once); a row with any problem, or with a personal-data warning, is left
to :func:`~loaders.cells.typed_row` itself, when its turn comes, so that its
messages are the ones of the per-cell path. Clean rows are built from the
converted columns without a per-cell check.

The joined-column search is exact: neither :data:`~loaders.tables.EMAIL` nor
:data:`~loaders.tables.PHONE` can match a line break, and a line break is, like the
start and end of a cell, a non-digit for their look-arounds; so the joined text has
a match if and only if one of its cells has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter

from graph import model
from graph.read_copy import gc_paused  # noqa: F401  (re-exported: loaders.bundle, tests)
from loaders.cells import convert, typed_row
from loaders.report import LoadReport
from loaders.tables import IDENTIFIER_COLUMNS, MAX_CELL, Table, personal_data_in, personal_data_in_identifier


def column_values(rows: list[dict], names: list[str]) -> list[tuple]:
    """The cells of each column of ``names`` (``""`` where a row has none), one tuple per column."""
    if not names:
        return []
    if not rows:
        return [() for _ in names]
    try:
        picked = list(map(itemgetter(*names), rows))
    except KeyError:  # a row without some column: the slow way
        return [tuple(row.get(n, "") for row in rows) for n in names]
    return [tuple(picked)] if len(names) == 1 else list(zip(*picked))


def _joined(values) -> str:
    try:
        return "\n".join(values)
    except TypeError:  # not a string (never from a CSV file or a workbook)
        return "\n".join(v for v in values if isinstance(v, str))


def typed_rows(table: Table, rows: list[dict], columns: Iterable[model.Column], report: LoadReport,
               skip: set[str]) -> Iterator[dict | None]:
    """``typed_row(table, row, columns, report, skip)`` for each of ``rows``, in order.

    A generator: the report entries of a row are added when that row is yielded,
    as with a loop over :func:`~loaders.cells.typed_row`.
    """
    columns = [c for c in columns if c.name not in skip]
    dirty: set[int] = set()
    header = list(dict.fromkeys(table.header))
    by_name = dict(zip(header, column_values(rows, header)))
    # a NUL anywhere in the row (any column, known or not) rejects it
    for values in by_name.values():
        if "\x00" in _joined(values):
            dirty.update(i for i, v in enumerate(values) if isinstance(v, str) and "\x00" in v)
    names, typed_columns = [], []
    for col in columns:
        values = by_name.get(col.name)
        if values is None:
            values = tuple(row.get(col.name, "") for row in rows)
        if max(map(len, values), default=0) > MAX_CELL:
            dirty.update(i for i, v in enumerate(values) if len(v) > MAX_CELL)
        if col.required and "" in values:
            dirty.update(i for i, v in enumerate(values) if not v)
        scan = personal_data_in_identifier if col.name in IDENTIFIER_COLUMNS else personal_data_in
        if scan("\n".join(values)):
            dirty.update(i for i, v in enumerate(values) if v and scan(v))
        if col.type == "string" and not col.vocabulary:
            typed = values  # convert() gives a plain string back as it is
        else:
            done: dict[str, object] = {}
            bad: set[str] = set()
            for v in set(values):
                if v:
                    try:
                        done[v] = convert(v, col)
                    except ValueError:
                        bad.add(v)
            if bad:
                dirty.update(i for i, v in enumerate(values) if v in bad)
            if col.type == "list":  # one list per row, as the per-cell path gives
                typed = [list(done[v]) if v in done else "" for v in values]
            else:
                typed = [done.get(v, "") for v in values]
        names.append(col.name)
        typed_columns.append(typed)
    for i, (row, cells) in enumerate(zip(rows, zip(*typed_columns) if typed_columns else ((),) * len(rows))):
        if i in dirty:
            yield typed_row(table, row, columns, report, skip)
        else:
            # "" marks an empty cell (a converted value is never "")
            yield {n: t for n, t in zip(names, cells) if t != ""}

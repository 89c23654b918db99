"""One cell of a bundle: typed, checked, and read back as it was before an export.

:func:`typed_row` converts the cells of one row to the types of
:data:`graph.model.NODE_FILES` and :data:`graph.model.RELATION_COLUMNS` and
reports what is wrong with file, row, column and reason. Besides types and
vocabularies it refuses what the engine would store wrongly or refuse for the
whole batch: integers outside signed 64 bits, numbers that are not finite
(``nan``, ``inf``, ``1e999``), and any NUL character. Personal data (an e-mail
address, a phone number) is removed from an optional cell with a warning; in a
required cell (``id``, ``name``, ``source_id``…) the whole row is rejected,
since the row cannot stand without that cell.

:func:`restore_neutralised` undoes the formula neutralisation of maillage's own
exports (:func:`graph.exports.neutralise_formula`), so that export → load gives
back the same values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from graph import model
from loaders.report import LoadReport
from loaders.tables import IDENTIFIER_COLUMNS, MAX_CELL, Table, personal_data_in, personal_data_in_identifier

DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
#: the integers the engine stores as they are (signed 64 bits)
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


def restore_neutralised(value: str) -> str:
    """``value`` without the quote an export put before a formula-like text, else unchanged.

    The rule is the exact inverse of :func:`graph.exports.neutralise_formula`:
    a cell loses its leading ``'`` only when what follows is a text that the
    export would have quoted — it starts with ``=``, ``+``, ``-``, ``@``, a tab
    or a carriage return and is not a plain number. ``'=1+1`` reads as ``=1+1``
    and ``'@SUM(A1)`` as ``@SUM(A1)``; ``'abc``, ``'-1.5``, ``''=x`` and
    ``'`` keep their quote. Only one quote is ever removed, and only the one a
    spreadsheet also hides (its "show as text" mark), so the text means what it
    meant. It opens no injection hole: the graph keeps values as text, and
    every export and CSV output quotes them again.

    The one value that does not survive export → load is a text that itself
    starts with ``'`` followed by a formula character (the export leaves it as
    it is, and it reads back without its quote).
    """
    if not value.startswith("'"):
        return value
    from graph.exports import neutralise_formula

    original = value[1:]
    return original if neutralise_formula(original) == value else value


def convert(value: str, col: model.Column) -> object:
    """Typed value of a cell, or raise ValueError with the reason."""
    if col.type == "list":
        items = [v.strip() for v in value.split(model.LIST_SEPARATOR) if v.strip()]
        if col.vocabulary:
            bad = [v for v in items if v not in col.vocabulary]
            if bad:
                raise ValueError(f"valeur inconnue {', '.join(map(repr, bad))} "
                                 f"(attendu : {', '.join(col.vocabulary)})")
        return items
    if col.vocabulary and value not in col.vocabulary:
        raise ValueError(f"valeur inconnue {value!r} (attendu : {', '.join(col.vocabulary)})")
    if col.type == "integer":
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"nombre entier attendu, pas {value!r}") from None
        if not INT_MIN <= number <= INT_MAX:
            raise ValueError(f"nombre entier hors limites, pas {value!r} "
                             f"(attendu entre {INT_MIN} et {INT_MAX})")
        return number
    if col.type == "number":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError(f"nombre attendu, pas {value!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"nombre fini attendu, pas {value!r}")
        return number
    if col.type == "date" and not DATE.match(value):
        raise ValueError(f"date AAAA, AAAA-MM ou AAAA-MM-JJ attendue, pas {value!r}")
    return value


def typed_row(table: Table, row: dict, columns: Iterable[model.Column], report: LoadReport,
              skip: set[str]) -> dict | None:
    """Convert one row; report its problems and return None if any."""
    row_no = int(row["_row"])
    for name, raw in row.items():
        if isinstance(raw, str) and "\x00" in raw:
            report.reject(table.name, row_no, name or None,
                          "caractère NUL dans la cellule (fichier binaire ou abîmé ?)")
            return None
    out: dict = {}
    ok = True
    for col in columns:
        if col.name in skip:
            continue
        raw = row.get(col.name, "")
        if len(raw) > MAX_CELL:
            report.reject(table.name, row_no, col.name, f"valeur trop longue ({len(raw)} caractères, au plus {MAX_CELL})")
            ok = False
            continue
        if not raw:
            if col.required:
                report.reject(table.name, row_no, col.name, "valeur obligatoire manquante")
                ok = False
            continue
        personal = (personal_data_in_identifier if col.name in IDENTIFIER_COLUMNS else personal_data_in)(raw)
        if personal and col.required:
            report.reject(table.name, row_no, col.name, f"{personal} dans une colonne obligatoire : "
                          "ligne refusée (pas de données personnelles)")
            ok = False
            continue
        if personal:
            report.warnings.append(f"{table.name}, ligne {row_no}, colonne {col.name} : "
                                   f"{personal} retiré(e) (pas de données personnelles)")
            continue
        try:
            out[col.name] = convert(raw, col)
        except ValueError as err:
            report.reject(table.name, row_no, col.name, str(err))
            ok = False
    return out if ok else None

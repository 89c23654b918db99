"""The first sheet of a published ``.xlsx`` read like a CSV file (:class:`SheetSource`).

Publishers put an ``.xlsx`` beside the CSV (the CGET tiers-lieux list) or publish
only one (data·inclusion's upload template): a reader opens either with
:func:`open_source`, which gives the same ``header``, ``warnings`` and ``rows()``
as :class:`~loaders.opendata.common.CsvSource`, row numbers being those the
spreadsheet shows (header = 1).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from graph.errors import InputError
from loaders.opendata.common import CsvSource, Member, clean_header
from loaders.tables import check_zip_sizes, sheet_rows

SHEET_SUFFIXES = (".xlsx", ".xlsm")


class SheetSource:
    """The first sheet of a workbook, as :class:`~loaders.opendata.common.CsvSource` reads a CSV."""

    encoding, separator = "xlsx", ""

    def __init__(self, member: Member):
        from openpyxl import load_workbook

        self.member, self.name, self.warnings = member, member.name, []
        if member.inner is None:
            check_zip_sizes(member.path)
        with member.open() as f:
            data = f.read()
        try:
            self._book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many kinds
            raise InputError(f"{self.name} : classeur XLSX illisible ({err})") from None
        sheet = self._book.worksheets[0]
        if len(self._book.worksheets) > 1:
            self.warnings.append(f"{self.name} : seule la première feuille (« {sheet.title} ») est lue")
        header, self._rows = sheet_rows(sheet)
        self.header = clean_header(header)
        if not any(self.header):
            raise InputError(f"{self.name} : feuille vide ou sans ligne d'en-tête")

    def rows(self) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
        for row_no, row in self._rows:
            yield row_no, dict(zip(self.header, row.values())), None
        self._book.close()


def open_source(member: Member, **options) -> CsvSource | SheetSource:
    """A CSV file or the first sheet of a workbook, whichever ``member`` is."""
    if member.suffix in SHEET_SUFFIXES:
        return SheetSource(member)
    return CsvSource(member, **options)

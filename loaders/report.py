"""What a load read, wrote and rejected: the rows of the validation report.

Every reader and importer returns a :class:`LoadReport` alongside its rows, so
that the CLI and the app can say, for any input, ``loaded + rejected = read``
and name the file, row, column and reason of each rejected row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rejection:
    """One rejected row (or file, when ``row`` is None): where, and why."""

    file: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", ligne {self.row}"
        if self.column:
            where += f", colonne {self.column}"
        return f"{where} : {self.reason}"


@dataclass
class LoadReport:
    """Counts and messages of one load: ``read == loaded + rejected`` once it is done."""

    read: int = 0
    loaded: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dropped_columns: list[str] = field(default_factory=list)

    def reject(self, file: str, row: int | None, column: str | None, reason: str) -> None:
        self.rejected.append(Rejection(file, row, column, reason))

    @property
    def rejected_rows(self) -> int:
        """Number of distinct rejected rows (a row with two problems counts once)."""
        return len({(r.file, r.row) for r in self.rejected})

    def merge(self, other: "LoadReport") -> None:
        self.read += other.read
        self.loaded += other.loaded
        self.rejected.extend(other.rejected)
        self.warnings.extend(other.warnings)
        self.dropped_columns.extend(other.dropped_columns)

    def summary(self) -> str:
        return (f"{self.read} lignes lues, {self.loaded} chargées, "
                f"{self.rejected_rows} rejetées")

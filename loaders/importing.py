"""Loading open data into a store: read a register, match it with what the store holds, write.

:func:`import_path` is the open-data counterpart of :func:`loaders.load.load_path`:

1. the reader of the format (:mod:`loaders.opendata`, auto-detected when
   unambiguous) turns the files into bundle rows, with the territorial filters;
2. identity resolution (:func:`~loaders.opendata.identity.merge_results`) merges
   the records of one organisation, among the new rows and with the structures
   already in the store (same SIREN, same RNA number, or same normalised name in
   the same commune; never two different SIRENs), so that a second register adds
   its facts and sources to the node the first one created;
3. the rows are validated like any bundle and written in batches.

The report adds up both steps: the source rows read, those kept, rejected
(file, row, column, reason) or left out by the filters, then the bundle rows
validated and written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, ValidationFailed
from graph.store import DEFAULT_BATCH_SIZE, GraphStore
from loaders.bundle import validate
from graph.bundle_export import cell_text
from graph.reading import fetch_all, frame_records, known_ids_in
from loaders.load import Progress, write_validated
from loaders.opendata.traced import trace
from loaders.report import LoadReport

@dataclass
class ImportOutcome:
    """What :func:`import_path` did: the format, the source report, the bundle report, the review."""

    format: str
    #: the user's rows: read, kept, rejected (by the reader or by validation: file, row, column)
    source: LoadReport
    filtered: int
    #: the bundle rows validated and written (as the validation counts them)
    bundle: LoadReport
    review: list = field(default_factory=list)
    written: int = 0
    #: relations refused, named by the user's row and column (their rows were kept)
    links: list = field(default_factory=list)
    #: refusals of rows that did not come from the file (records of the store)
    other: list = field(default_factory=list)

    def summary(self) -> str:
        s = self.source
        text = (f"{s.read} lignes source lues, {s.loaded} retenues, {s.rejected_rows} rejetées, "
                f"{self.filtered} filtrées (hors ESS, hors territoire ou fermées)")
        if self.links:
            text += f" ; {len(self.links)} relation(s) non écrite(s)"
        return text

    def rejections(self) -> list:
        """Every refusal to list: the user's rows, their relations, then the rest."""
        return [*self.source.rejected, *self.links, *self.other]


#: above this many communes among an import's records, the whole base is read at once
NEAR_MAX = 2_000
_CHUNK = 1_000


def _record(r: dict) -> dict:
    rec = {k: cell_text(v) for k, v in r.items() if k != "commune"}
    rec["_commune"] = cell_text(r.get("commune"))
    return rec


def existing_structures(store: GraphStore, near: list[dict] | None = None) -> list[dict]:
    """The structures of ``store`` as identity records (``id, name, siren, rna, _commune, sources``):
    all of them, or only those that ``near`` (new identity records) can meet: the same SIREN or
    RNA number, or a seat in one of their communes (a file of a few communes reads a few
    thousand structures by index, not a national base). A structure seated in several of
    those communes comes with the first of them."""
    from graph.identifiers import rna_of, siren_of
    from loaders.opendata.identity import commune_of

    communes = sorted({f"commune:{c}" for r in near or () if (c := commune_of(r))})
    if near is None or len(communes) > NEAR_MAX:
        return [_record(r) for r in fetch_all(store, "export.structure_identities")]
    found: dict[str, dict] = {}
    for start in range(0, len(communes), _CHUNK):
        # frame_records: a missing value is None, as the whole-base read gives it (not NaN → "nan")
        for r in frame_records(store.query("export.structure_identities_in_communes",
                                           communes=communes[start:start + _CHUNK])):
            found.setdefault(r["id"], _record(r))
    sirens = sorted({s for r in near if (s := siren_of(r))})
    rnas = sorted({x for r in near if (x := rna_of(r))})
    for start in range(0, max(len(sirens), len(rnas)), _CHUNK):
        for r in frame_records(store.query("export.structure_identities_by_number",
                                           sirens=sirens[start:start + _CHUNK], rnas=rnas[start:start + _CHUNK])):
            found.setdefault(r["id"], _record(r))
    return [found[i] for i in sorted(found)]


def import_path(store: GraphStore, path: Path | str, fmt: str = "auto", *, departement=None, region=None,
                commune=None, active_only: bool = True, dry_run: bool = False, strict: bool = False,
                batch_size: int = DEFAULT_BATCH_SIZE, read_progress: Callable[[int], None] | None = None,
                progress_factory: Callable[[int], Progress] | None = None) -> ImportOutcome:
    """Read the open-data file or folder ``path`` and load it into ``store`` (see the module docstring).

    ``read_progress(n)`` is called with the number of source rows read so far.
    With ``strict``, nothing is written when any row is rejected (by the reader or
    by validation); with ``dry_run`` nothing is written at all. A file of which no
    row is kept writes nothing (no source, no territorial reference) and raises
    :class:`~graph.errors.ValidationFailed` with the outcome and its reasons.
    """
    from loaders.opendata import detect_format, merge_results, reader_for, structure_records

    if fmt == "auto":
        fmt = detect_format(path)
        if fmt == "bundle":
            raise InputError(f"{path} : c'est un bundle maillage, pas un fichier open data "
                             "(maillage load sans --format le charge)")
    reader = reader_for(fmt)
    result = reader(path, departement=departement, region=region, commune=commune,
                    active_only=active_only, progress=read_progress)
    result.check_counts()
    # a structure this file created before is matched by its id (MERGE), not by identity:
    # its record comes from the file again, so that a newer file updates it
    new_ids = {r["id"] for r in result.tables.get("structures.csv", [])}
    near = structure_records(result.tables)
    existing = [r for r in existing_structures(store, near) if r["id"] not in new_ids]
    merged, review = merge_results([result], existing=existing)
    bundle, report = validate(merged.to_tables(), known_ids=known_ids_in(store))
    told = trace(merged, report)
    outcome = ImportOutcome(fmt, told.report, merged.filtered, report, review, links=told.links, other=told.other)
    if told.report.loaded == 0:  # nothing of the file would be written: not even its source
        err = ValidationFailed(
            f"aucune ligne retenue sur {told.report.read} lue(s) ({told.report.rejected_rows} rejetée(s), "
            f"{merged.filtered} filtrée(s)) : rien n'a été écrit")
        err.outcome = outcome  # type: ignore[attr-defined]
        raise err
    if strict and outcome.rejections():
        links = f", {len(told.links)} relation(s) refusée(s)" if told.links else ""
        err = ValidationFailed(f"{told.report.rejected_rows} ligne(s) rejetée(s){links} : rien n'a été écrit (--strict)")
        err.outcome = outcome  # type: ignore[attr-defined]
        raise err
    if dry_run:
        report.warnings.append("essai à blanc (--dry-run) : rien n'a été écrit")
        return outcome
    outcome.written = write_validated(store, bundle, batch_size=batch_size, progress_factory=progress_factory)
    return outcome


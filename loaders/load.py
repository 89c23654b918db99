"""Loading bundles and the territorial reference into a store.

The write path is always the same: validated rows, grouped by label (nodes) or
by (source label, type, target label) (relationships), sent in batches of
``UNWIND $rows`` upserts from ``queries/upsert/``, one transaction per batch.
``MERGE`` on ids makes a second load of the same bundle change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph import model
from graph.errors import ValidationFailed
from graph.reading import known_ids_in
from graph.store import DEFAULT_BATCH_SIZE, GraphStore
from loaders.bundle import ValidBundle, not_a_bundle, read_bundle, validate
from loaders.report import LoadReport
from queries import library

Progress = Callable[[int], None]
SEED_DIR = Path(__file__).resolve().parent / "data" / "seed"
TERRITORY_SOURCE = "source:territoires-cog-2026"


def write_bundle(store: GraphStore, bundle: ValidBundle, *, batch_size: int = DEFAULT_BATCH_SIZE,
                 progress: Progress | None = None) -> int:
    """Upsert every node, extra label and relationship of ``bundle``; return rows written."""
    lib = library()
    node_q = lib.get("upsert.node", backend=store.backend)
    label_q = lib.get("upsert.extra_label", backend=store.backend)
    rel_q = lib.get("upsert.relation", backend=store.backend)
    written = 0
    for label in sorted(bundle.nodes):
        written += store.write_rows(node_q.render(LABEL=label), bundle.nodes[label],
                                    batch_size=batch_size, progress=progress)
    for (label, extra) in sorted(bundle.extra_labels):
        store.write_rows(label_q.render(LABEL=label, EXTRA=extra), bundle.extra_labels[(label, extra)],
                         batch_size=batch_size)
    for (src, rtype, dst) in sorted(bundle.relations):
        written += store.write_rows(rel_q.render(SRC=src, TYPE=rtype, DST=dst),
                                    bundle.relations[(src, rtype, dst)],
                                    batch_size=batch_size, progress=progress)
    return written


def load_path(store: GraphStore, path: Path | str, *, dry_run: bool = False, strict: bool = False,
              batch_size: int = DEFAULT_BATCH_SIZE,
              progress_factory: Callable[[int], Progress] | None = None) -> LoadReport:
    """Read, validate and (unless ``dry_run``) write the bundle at ``path``.

    With ``strict``, nothing is written when any row is rejected
    (:class:`~graph.errors.ValidationFailed` carries the report). The territorial
    reference is loaded first if the store has none. Otherwise writing overlaps
    reading: the reference is written while the bundle is read, and the valid nodes
    while the relations are validated (:func:`_load_overlapped`).
    """
    if not (dry_run or strict or not_a_bundle(Path(path))):  # no reference written for a typo
        return _load_overlapped(store, path, batch_size, progress_factory)
    tables = read_bundle(path)
    bundle, report = validate(tables, known_ids=known_ids_in(store))
    if strict and report.rejected:
        err = ValidationFailed(f"{report.rejected_rows} ligne(s) rejetée(s) : rien n'a été écrit (--strict)")
        err.report = report  # type: ignore[attr-defined]
        raise err
    if dry_run:
        report.warnings.append("essai à blanc (--dry-run) : rien n'a été écrit")
        return report
    write_validated(store, bundle, batch_size=batch_size, progress_factory=progress_factory)
    return report


def _load_overlapped(store: GraphStore, path, batch_size: int, progress_factory) -> LoadReport:
    """:func:`load_path` with the engine kept busy while this process reads: one writer
    thread writes the schema and territorial reference while the bundle is read, the
    nodes as soon as they are valid, then each chunk of relations once validated (after
    the nodes: their endpoints must be in). Each step writes exactly what
    :func:`write_validated` does, in the same order. Progress is reported from this
    thread (a UI's bar belongs to it); after a failure nothing more is sent."""
    from concurrent.futures import ThreadPoolExecutor
    from concurrent.futures import TimeoutError as Pending

    written, shown, bar, steps, total, failed = [0], [0], [None], [], [0], []

    def count(n: int) -> None:          # in the writer thread
        written[0] += n

    def show() -> None:
        if bar[0] and written[0] > shown[0]:
            bar[0](written[0] - shown[0])
            shown[0] = written[0]

    def step(write, *args, **kwargs) -> None:   # in the writer thread, in order
        if failed:                                 # a step failed: the next ones send nothing
            return
        try:
            write(*args, **kwargs)
        except BaseException as err:
            failed.append(err)
            raise

    def reference():
        store.ensure_schema()
        ensure_territories(store)

    def send(part: ValidBundle) -> None:
        if failed:
            raise failed[0]
        show()
        steps.append(writer.submit(step, write_bundle, store, part, batch_size=batch_size,
                                   progress=count))

    def nodes_ready(part: ValidBundle) -> None:
        if progress_factory:
            total[0] = part.node_count + relation_rows
            bar[0] = progress_factory(total[0])
        send(part)

    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="maillage-load")
    try:
        steps.append(writer.submit(step, reference))
        tables = read_bundle(path)
        relations = tables.get(model.RELATIONS_FILE)
        relation_rows = len(relations.rows) if relations else 0
        relations = None
        _, report = validate(tables, known_ids=known_ids_in(store), nodes_ready=nodes_ready,
                             relations_ready=send)
        del tables
        for future in steps:
            while True:
                try:
                    future.result(timeout=0.25)
                    break
                except Pending:
                    show()
        show()
    except BaseException:
        writer.shutdown(wait=True, cancel_futures=True)
        raise
    writer.shutdown()
    if bar[0] and total[0] > shown[0]:
        bar[0](total[0] - shown[0])     # rejected relations are never written: the bar ends full
    return report


def write_validated(store: GraphStore, bundle: ValidBundle, *, batch_size: int = DEFAULT_BATCH_SIZE,
                    progress_factory: Callable[[int], Progress] | None = None) -> int:
    """Write a validated bundle: schema and territorial reference first, then the rows with a progress bar."""
    store.ensure_schema()
    ensure_territories(store, progress_factory=progress_factory)
    total = bundle.node_count + bundle.relation_count
    progress = progress_factory(total) if progress_factory else None
    return write_bundle(store, bundle, batch_size=batch_size, progress=progress)


def seed_bundles() -> list[Path]:
    """The seed bundles shipped with maillage (one folder per source corpus)."""
    return sorted(p for p in SEED_DIR.iterdir() if p.is_dir() and (p / "relations.csv").exists())


# --- the territorial reference -------------------------------------------------

def territory_rows() -> tuple[list[dict], list[dict]]:
    """Node rows and PART_OF rows of the shipped reference, ready for the upserts."""
    from loaders.territories import read_territories

    nodes, part_of = [], []
    for t in read_territories():
        props = {k: t[k] for k in ("name", "level", "code", "population", "lat", "lon", "density", "area_km2")
                 if t.get(k) not in (None, "")}
        nodes.append({"id": t["id"], "props": props, "sources": [TERRITORY_SOURCE]})
        for parent in t.get("parents") or []:
            part_of.append({"source_id": t["id"], "target_id": parent, "key": "", "props": {},
                            "sources": [TERRITORY_SOURCE]})
    return nodes, part_of


def territory_count(store: GraphStore) -> int:
    df = store.query("stats.labels")
    row = df[df["label"] == model.TERRITORY]
    return int(row["count"].iloc[0]) if len(row) else 0


def ensure_territories(store: GraphStore, *, force: bool = False,
                       progress_factory: Callable[[int], Progress] | None = None) -> int:
    """Load the territorial reference of France unless the store has it; return rows written."""
    if not force and territory_count(store) > 0:
        return 0
    store.ensure_schema()
    nodes, part_of = territory_rows()
    bundle = ValidBundle(nodes={model.TERRITORY: nodes},
                         relations={(model.TERRITORY, "PART_OF", model.TERRITORY): part_of})
    progress = progress_factory(len(nodes) + len(part_of)) if progress_factory else None
    return write_bundle(store, bundle, batch_size=10_000, progress=progress)


# --- export ----------------------------------------------------------------------


def restore_bundle(store: GraphStore, path: Path | str):
    """Load a backup's export into an emptied graph: schema, territorial reference, then the
    bundle (the ``load_bundle`` of :func:`graph.backup.restore`). Returns the load report."""
    store.ensure_schema()
    ensure_territories(store)
    return load_path(store, path)

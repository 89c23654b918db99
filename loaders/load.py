"""Loading bundles and the territorial reference into a store, and exporting a store as a bundle.

The write path is always the same: validated rows, grouped by label (nodes) or
by (source label, type, target label) (relationships), sent in batches of
``UNWIND $rows`` upserts from ``queries/upsert/``, one transaction per batch.
``MERGE`` on ids makes a second load of the same bundle change nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

from graph import model
from graph.errors import QueryError, ValidationFailed
from graph.store import DEFAULT_BATCH_SIZE, PAGE_ROWS, GraphStore
from loaders.bundle import ValidBundle, not_a_bundle, read_bundle, validate
from loaders.report import LoadReport
from queries import library

Progress = Callable[[int], None]
SEED_DIR = Path(__file__).resolve().parent / "data" / "seed"
TERRITORY_SOURCE = "source:territoires-cog-2026"


def known_ids_in(store: GraphStore) -> Callable[[str, list[str]], set[str]]:
    """A ``known_ids(label, ids)`` lookup against ``store`` (for relation endpoints)."""
    q = library().get("export.ids", backend=store.backend)

    def known(label: str, ids: list[str]) -> set[str]:
        text = q.render(LABEL=label)
        found: set[str] = set()
        for start in range(0, len(ids), 10_000):
            df = store.run(text, {"ids": ids[start:start + 10_000]}, max_rows=None)
            found.update(df["id"].tolist() if len(df) else [])
        return found

    return known


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

def cell_text(value) -> str:
    """A property as the text of a bundle cell: lists joined with ``|``, None empty, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, list):
        return model.LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fetch_pages(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[list[dict]]:
    """The rows of a paged library query, one page (a list of dicts) at a time.

    A keyset-paged query (``// cursor: id after`` in its header) gets the last row's
    ``id`` as ``$after`` for the next page: each page is one indexed range read, not
    a re-sort of everything before it. Other paged queries (``$skip``/``$limit``) are
    read with SKIP. Pages stay below the engine's result cap, which would cut a larger
    page silently (and ``store.run`` raises if one reaches it). Missing values are None
    (never the NaN pandas puts in a column).
    """
    q = library().get(name, backend=store.backend)
    if store.result_cap:
        page = min(page, store.result_cap - 1)
    cursor = q.cursor
    values = {**params, "limit": page}
    if cursor is None:
        values["skip"] = 0
    while True:
        df = store.run(q.text, q.bind(values), max_rows=None, timeout=600)
        rows = frame_records(df)
        del df
        if rows:
            yield rows
        if len(rows) < page:
            return
        if cursor is None:
            values["skip"] += page
            continue
        last = rows[-1][cursor[0]]
        if last is None or (cursor[1] in values and not last > values[cursor[1]]):
            raise QueryError(f"query {name}: its cursor {cursor[0]} does not increase ({last!r} after "
                             f"{values.get(cursor[1])!r}), so its pages cannot be followed")
        values[cursor[1]] = last


def fetch_rows(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[dict]:
    """The rows of a paged library query one at a time, pages read as they are consumed."""
    for rows in fetch_pages(store, name, page, **params):
        yield from rows


def fetch_all(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> list[dict]:
    """Every row of a paged library query (``export.nodes``…), read page by page (:func:`fetch_pages`)."""
    return list(fetch_rows(store, name, page, **params))


def frame_records(df) -> list[dict]:
    """A query result's rows as dicts, missing values None (never the NaN pandas puts in a column)."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def fetch_relationships(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[dict]:
    """The relationships of a query grouped by source (``source, relationships`` rows of
    ``[type, target, properties]``: ``export.relationships``, ``app.graph_relationships``),
    one ``source, type, target, properties`` dict at a time, in source, type, target
    (then ``key``) order. Pages are read as they are consumed."""
    for rows in fetch_pages(store, name, page, **params):
        for row in rows:
            source = row["source"]
            for rtype, target, props in sorted(row["relationships"] or (), key=_relationship_order):
                yield {"source": source, "type": rtype, "target": target, "properties": props}


def _relationship_order(rel) -> tuple:
    rtype, target, props = rel
    return rtype, target or "", str((props or {}).get("key") or "")


def export_bundle(store: GraphStore, out: Path | str, *, include_territories: bool = False) -> dict[str, int]:
    """Write the store's graph as a bundle folder; return rows written per file.

    Territories of the shipped reference and their ``PART_OF`` links are left
    out (every install has them) unless ``include_territories``.
    """
    from graph.exports import neutralise_formula

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    nodes = fetch_all(store, "export.nodes")
    per_file: dict[str, list[dict]] = {f.filename: [] for f in model.NODE_FILES}
    for n in nodes:
        labels = list(n["labels"])
        try:
            primary = model.label_for_id(n["id"])  # the file a node lives in follows its id prefix
        except (ValueError, TypeError):
            continue
        if primary not in labels or (primary == model.TERRITORY and not include_territories):
            continue
        spec = model.NODE_FILE_BY_LABEL[primary]
        props = dict(n["properties"])
        extra = sorted(set(labels) - {primary})
        if extra:
            props["extra_labels"] = extra
        per_file[spec.filename].append({c: neutralise_formula(cell_text(props.get(c))) for c in spec.column_names})
    rels = []
    for r in fetch_relationships(store, "export.relationships"):
        if r["type"] == "PART_OF" and not include_territories:
            continue
        props = dict(r["properties"])
        row = {"source_id": r["source"], "type": r["type"], "target_id": r["target"]}
        row.update({c.name: neutralise_formula(cell_text(props.get(c.name)))
                    for c in model.RELATION_COLUMNS[3:]})
        rels.append(row)
    counts = {}
    for spec in model.NODE_FILES:
        rows = per_file[spec.filename]
        if not rows and spec.optional:
            continue
        _write_csv(out / spec.filename, spec.column_names, sorted(rows, key=lambda r: r["id"]))
        counts[spec.filename] = len(rows)
    cols = tuple(c.name for c in model.RELATION_COLUMNS)
    _write_csv(out / model.RELATIONS_FILE, cols,
               sorted(rels, key=lambda r: tuple(r[c] for c in cols)))
    counts[model.RELATIONS_FILE] = len(rels)
    return counts


def _write_csv(path: Path, columns, rows) -> None:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")

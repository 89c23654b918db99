"""The store's graph as a bundle folder (``maillage export OUT``, the portable copy of a backup).

The files are those ``maillage load`` reads (``loaders.bundle``), so an export loads
back into either engine unchanged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from graph import model
from graph.exports import neutralise_formula
from graph.reading import fetch_all, fetch_relationships
from graph.store import GraphStore


def cell_text(value) -> str:
    """A property as the text of a bundle cell: lists joined with ``|``, None empty, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, list):
        return model.LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def export_bundle(store: GraphStore, out: Path | str, *, include_territories: bool = False) -> dict[str, int]:
    """Write the store's graph as a bundle folder; return rows written per file.

    Territories of the shipped reference and their ``PART_OF`` links are left
    out (every install has them) unless ``include_territories``.
    """
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

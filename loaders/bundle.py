"""The bundle format: read and validate a folder of CSV files (or one XLSX) into graph rows.

A bundle is one CSV per node type (``structures.csv``, ``networks.csv``,
``funders.csv``, ``places.csv``, ``sectors.csv``, ``events.csv``,
``initiatives.csv``, optional ``sources.csv`` and ``territories.csv``) plus
``relations.csv``; the columns are those of :data:`graph.model.NODE_FILES` and
:data:`graph.model.RELATION_COLUMNS`, described in ``loaders/data/bundle-schema.json``.

:func:`validate` checks every row — types, vocabularies, unique ids, id
prefixes, territory codes that exist in the reference, relation endpoints that
exist in the bundle or the store, allowed label pairs — and returns a
:class:`ValidBundle` of typed rows plus a :class:`~loaders.report.LoadReport`
where every rejected row has its file, row, column and reason (the cell-level
checks are in :mod:`loaders.cells`). Nothing here writes to a store.

:func:`read_bundle` undoes exactly the formula neutralisation of maillage's
exports: a cell ``'`` + text is read as that text when the export would have
quoted the text (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return and is not a plain number), so that export → load gives back the same
graph; any other leading quote is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from graph import model
from graph.errors import InputError
from loaders.cells import restore_neutralised
from loaders.columns import column_values, gc_paused, typed_rows
from loaders.report import LoadReport
from loaders.tables import Table, personal_columns, read_table, read_workbook

_ID = re.compile(r"^[a-z_]+:[A-Za-z0-9][A-Za-z0-9._-]*$")
BUNDLE_FILES = tuple(f.filename for f in model.NODE_FILES) + (model.RELATIONS_FILE,)


@dataclass
class ValidBundle:
    """Typed, validated rows ready for :func:`loaders.load.write_bundle`."""

    #: label -> rows ``{"id", "props", "sources"}``
    nodes: dict[str, list[dict]] = field(default_factory=dict)
    #: (label, extra label) -> rows ``{"id"}``
    extra_labels: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    #: (source label, type, target label) -> rows ``{"source_id","target_id","key","props","sources"}``
    relations: dict[tuple[str, str, str], list[dict]] = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values())

    @property
    def relation_count(self) -> int:
        return sum(len(v) for v in self.relations.values())


#: Relation rows validated at a time when ``validate`` passes them on as they come.
RELATION_CHUNK = 200_000


@gc_paused()
def read_bundle(path: Path | str) -> dict[str, Table]:
    """Read the tables of a bundle folder or ``.xlsx`` (unknown files are reported, not read).

    Cells that maillage's own exports neutralised against spreadsheet formulas
    (``'=…``) are read back as they were (:func:`loaders.cells.restore_neutralised`).
    """
    path = Path(path)
    problem = not_a_bundle(path)
    if problem:
        raise InputError(problem)
    if path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        tables = read_workbook(path)
    elif path.is_dir():
        tables = {}
        for p in sorted(path.glob("*.csv")):
            if p.is_file():
                tables[p.name] = read_table(p)
            else:  # a folder named like a file: reported, nothing read from it
                tables[p.name] = Table(p.name, [], [], warnings=[f"{p.name} : pas un fichier (dossier ?), ignoré"])
    else:
        tables = {path.name: read_table(path)}
    known = {n: t for n, t in tables.items() if n in BUNDLE_FILES}
    if not known:
        raise InputError(f"{path} : aucun fichier de bundle trouvé (attendus : {', '.join(BUNDLE_FILES)})")
    for table in tables.values():
        _restore_quoted(table)
    return tables


def _restore_quoted(table: Table) -> None:
    """:func:`~loaders.cells.restore_neutralised` on every cell that starts with ``'``
    (a column without any ``'`` is passed over whole)."""
    for column, values in zip(table.header, column_values(table.rows, table.header)):
        if "'" not in "".join(values):
            continue
        for row, value in zip(table.rows, values):
            if value.startswith("'"):
                row[column] = restore_neutralised(value)


def not_a_bundle(path: Path) -> str | None:
    """Why ``path`` cannot be read as a bundle, from its name and kind alone, or None."""
    if not path.exists():
        return f"{path} : fichier ou dossier introuvable"
    if path.is_dir():
        if not any((path / name).is_file() for name in BUNDLE_FILES):
            return f"{path} : aucun fichier de bundle trouvé (attendus : {', '.join(BUNDLE_FILES)})"
        return None
    if path.is_file() and (path.suffix.lower() in (".xlsx", ".xlsm") or path.name in BUNDLE_FILES):
        return None
    return (f"{path} : ni un dossier de bundle, ni un classeur .xlsx, "
            f"ni un fichier {', '.join(BUNDLE_FILES)}")


def _check_header(table: Table, columns: tuple[model.Column, ...], report: LoadReport) -> set[str] | None:
    """Drop personal and unknown columns (with warnings); None if a required one is missing."""
    names = {c.name for c in columns}
    personal = personal_columns(table.header)
    for col in personal:
        report.dropped_columns.append(f"{table.name}:{col}")
        report.warnings.append(f"{table.name} : colonne « {col} » ignorée (données personnelles)")
    for col in table.header:
        if col not in names and col not in personal:
            report.warnings.append(f"{table.name} : colonne inconnue « {col} » ignorée")
    missing = [c.name for c in columns if c.required and c.name not in table.header]
    if missing:
        for row in table.rows:
            report.reject(table.name, int(row["_row"]), missing[0],
                          f"colonne obligatoire « {missing[0]} » absente du fichier")
        return None
    return {c.name for c in columns if c.name not in table.header}


@gc_paused()
def validate(tables: dict[str, Table], *, known_ids: Callable[[str, list[str]], set[str]] | None = None,
             territory_exists: Callable[[str], bool] | None = None,
             nodes_ready: Callable[[ValidBundle], None] | None = None,
             relations_ready: Callable[[ValidBundle], None] | None = None,
             ) -> tuple[ValidBundle, LoadReport]:
    """Validate bundle tables into typed rows.

    Parameters
    ----------
    tables : dict
        File name -> :class:`~loaders.tables.Table`, as :func:`read_bundle` returns.
    known_ids : callable, optional
        ``known_ids(label, ids)`` returns those ``ids`` that already exist in the
        store with that label (relation endpoints may point to them).
    territory_exists : callable, optional
        ``territory_exists(id)`` says whether a territory id is in the reference;
        by default the shipped reference of France is used.
    nodes_ready : callable, optional
        Called with the bundle of valid nodes and extra labels (final: relations
        add none) before the relations are validated, so that they can be written
        meanwhile.
    relations_ready : callable, optional
        With it, relations are validated :data:`RELATION_CHUNK` rows at a time and
        each chunk's valid relations are passed on as a bundle of their own, once
        validated (they are in the returned bundle too). Rejections and warnings
        are the same, in the same order.
    """
    if territory_exists is None:
        from loaders.territories import territory_index

        index = territory_index()
        territory_exists = index.by_id.__contains__
    report = LoadReport()
    out = ValidBundle()
    labels_of: dict[str, set[str]] = {}
    for name, table in tables.items():
        if name not in BUNDLE_FILES:
            report.warnings.append(f"{name} : fichier inconnu ignoré")
            continue
        report.warnings.extend(table.warnings)
        report.read += len(table.rows) + len(table.broken)
        for row_no, reason in table.broken:
            report.reject(table.name, row_no, None, reason)
    for spec in model.NODE_FILES:
        table = tables.get(spec.filename)
        if table is None:
            continue
        if spec.label == model.TERRITORY:
            _validate_territories(table, spec, report, out, labels_of, territory_exists)
            continue
        absent = _check_header(table, spec.columns, report)
        if absent is None:
            continue
        prefix = model.ID_PREFIXES[spec.label] + ":"
        for row, typed in zip(table.rows, typed_rows(table, table.rows, spec.columns, report, absent)):
            if typed is None:
                continue
            row_no = int(row["_row"])
            node_id = typed["id"]
            if not node_id.startswith(prefix) or not _ID.match(node_id):
                report.reject(table.name, row_no, "id", f"identifiant {node_id!r} invalide : il doit "
                              f"commencer par « {prefix} » suivi de lettres, chiffres, . _ ou -")
                continue
            if node_id in labels_of:
                report.reject(table.name, row_no, "id", f"identifiant {node_id!r} en double")
                continue
            extra = typed.pop("extra_labels", [])
            labels_of[node_id] = {spec.label, *extra}
            sources = typed.pop("sources", [])
            props = {k: v for k, v in typed.items() if k != "id"}
            out.nodes.setdefault(spec.label, []).append({"id": node_id, "props": props, "sources": sources})
            for lab in extra:
                if lab != spec.label:
                    out.extra_labels.setdefault((spec.label, lab), []).append({"id": node_id})
            report.loaded += 1
    if nodes_ready is not None:
        nodes_ready(ValidBundle(nodes=out.nodes, extra_labels=out.extra_labels))
    rel_table = tables.get(model.RELATIONS_FILE)
    if rel_table is not None:
        _validate_relations(rel_table, report, out, labels_of, known_ids, territory_exists,
                            relations_ready)
    return out, report


def _validate_territories(table, spec, report, out, labels_of, territory_exists) -> None:
    absent = _check_header(table, spec.columns, report)
    if absent is None:
        return
    for row, typed in zip(table.rows, typed_rows(table, table.rows, spec.columns, report, absent)):
        if typed is None:
            continue
        expected = f"{typed['level']}:{typed['code']}"
        if typed["id"] != expected:
            report.reject(table.name, int(row["_row"]), "id",
                          f"identifiant {typed['id']!r} : attendu {expected!r} (niveau:code)")
            continue
        sources = typed.pop("sources", [])
        out.nodes.setdefault(model.TERRITORY, []).append(
            {"id": typed["id"], "props": {k: v for k, v in typed.items() if k != "id"}, "sources": sources})
        labels_of[typed["id"]] = {model.TERRITORY}
        report.loaded += 1


def _validate_relations(table, report, out, labels_of, known_ids, territory_exists, ready) -> None:
    absent = _check_header(table, model.RELATION_COLUMNS, report)
    if absent is None:
        return
    if ready is None:
        _validate_relation_rows(table, table.rows, absent, report, out, labels_of, known_ids,
                                territory_exists)
        return
    for start in range(0, len(table.rows), RELATION_CHUNK):
        part = ValidBundle()
        _validate_relation_rows(table, table.rows[start:start + RELATION_CHUNK], absent, report, part,
                                labels_of, known_ids, territory_exists)
        for key, rows in part.relations.items():
            out.relations.setdefault(key, []).extend(rows)
        ready(part)


def _validate_relation_rows(table, rows, absent, report, out, labels_of, known_ids,
                            territory_exists) -> None:
    checked = []
    for row, typed in zip(rows, typed_rows(table, rows, model.RELATION_COLUMNS, report, absent)):
        if typed is not None:
            checked.append((int(row["_row"]), typed))
    # endpoints not in the bundle: territories from the reference, others from the store
    wanted: dict[str, set[str]] = {}
    for _, t in checked:
        for end in (t["source_id"], t["target_id"]):
            if end not in labels_of:
                try:
                    lab = model.label_for_id(end)
                except ValueError:
                    continue
                wanted.setdefault(lab, set()).add(end)
    found: dict[str, set[str]] = {}
    for lab, ids in wanted.items():
        if lab == model.TERRITORY:
            found[lab] = {i for i in ids if territory_exists(i)}
        elif known_ids is not None:
            found[lab] = set(known_ids(lab, sorted(ids)))
    resolved: dict[tuple[str, str, str], str] = {}  # (id, type, column) -> label, once found usable
    for row_no, t in checked:
        rtype = t["type"]
        allowed_src, allowed_dst, prop_names = model.RELATIONSHIPS[rtype]
        ends = []
        for column, allowed in (("source_id", allowed_src), ("target_id", allowed_dst)):
            key = (t[column], rtype, column)
            label = resolved.get(key)
            if label is None:
                label = _endpoint_label(table, row_no, column, t[column], allowed, rtype,
                                        labels_of, found, report)
                if label is not None:
                    resolved[key] = label
            ends.append(label)
        if None in ends:
            continue
        props, ok = {}, True
        for name in ("since", "until", "role", "kind", "description", "year", "amount_eur", "scheme"):
            if name not in t:
                continue
            if name not in prop_names:
                report.warnings.append(f"{table.name}, ligne {row_no}, colonne {name} : "
                                       f"propriété sans objet pour {rtype}, ignorée")
                continue
            vocab = model.RELATION_VOCABULARIES.get((rtype, name))
            if vocab and t[name] not in vocab:
                report.reject(table.name, row_no, name, f"valeur inconnue {t[name]!r} pour {rtype} "
                              f"(attendu : {', '.join(vocab)})")
                ok = False
                continue
            props[name] = t[name]
        if not ok:
            continue
        if t["source_id"] == t["target_id"]:
            report.reject(table.name, row_no, "target_id", "une relation ne peut relier un nœud à lui-même")
            continue
        key = str(props.get("year", props.get("since", "")))
        out.relations.setdefault((ends[0], rtype, ends[1]), []).append({
            "source_id": t["source_id"], "target_id": t["target_id"], "key": key,
            "props": props, "sources": t.get("sources", []),
        })
        report.loaded += 1


def _endpoint_label(table, row_no, column, node_id, allowed, rtype, labels_of, found, report):
    """The label to match an endpoint with, or None (the row is then rejected)."""
    labels = labels_of.get(node_id)
    if labels is None:
        try:
            lab = model.label_for_id(node_id)
        except ValueError as err:
            report.reject(table.name, row_no, column, str(err))
            return None
        if node_id in found.get(lab, set()):
            labels = {lab}
        elif lab == model.TERRITORY:
            report.reject(table.name, row_no, column,
                          f"territoire {node_id!r} inconnu du référentiel (code INSEE/SIREN inexistant ou périmé)")
            return None
        else:
            report.reject(table.name, row_no, column,
                          f"{node_id!r} n'existe ni dans le bundle ni dans la base (relation orpheline)")
            return None
    usable = [lab for lab in allowed if lab in labels]
    if not usable:
        report.reject(table.name, row_no, column,
                      f"{rtype} n'accepte pas {'/'.join(sorted(labels))} en "
                      f"{'source' if column == 'source_id' else 'cible'} "
                      f"(attendu : {', '.join(allowed)})")
        return None
    return usable[0]

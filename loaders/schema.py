"""The machine-readable description of the bundle format (a Frictionless Data Package).

``python -m loaders.schema`` rewrites ``loaders/data/bundle-schema.json`` from
:mod:`graph.model`; a test checks that the shipped file is up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

from graph import model

SCHEMA_PATH = Path(__file__).parent / "data" / "bundle-schema.json"
_TYPES = {"string": "string", "integer": "integer", "number": "number", "date": "string", "list": "string"}


def _field(col: model.Column, vocab: tuple[str, ...] | None = None) -> dict:
    field = {"name": col.name, "type": _TYPES[col.type]}
    if col.description:
        field["description"] = col.description
    constraints = {}
    if col.required:
        constraints["required"] = True
    vocab = vocab or col.vocabulary
    if col.type == "list":
        field["format"] = f"list separated by '{model.LIST_SEPARATOR}'"
        if vocab:
            field["items"] = {"enum": list(vocab)}
    elif vocab:
        constraints["enum"] = list(vocab)
    if col.type == "date":
        constraints["pattern"] = r"^\d{4}(-\d{2}(-\d{2})?)?$"
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage() -> dict:
    """The bundle format as a Data Package descriptor (one resource per file)."""
    resources = []
    for spec in model.NODE_FILES:
        resources.append({
            "name": spec.filename[:-4], "path": spec.filename, "description": spec.description,
            "label": spec.label, "optional": spec.optional,
            "schema": {"fields": [_field(c) for c in spec.columns], "primaryKey": ["id"]},
        })
    rel_fields = [_field(c) for c in model.RELATION_COLUMNS]
    resources.append({
        "name": "relations", "path": model.RELATIONS_FILE,
        "description": "relationships between nodes; allowed endpoint labels and properties per type below",
        "schema": {"fields": rel_fields},
        "relationships": {
            t: {"from": list(src), "to": list(dst), "properties": list(props),
                "vocabularies": {p: list(v) for (rt, p), v in model.RELATION_VOCABULARIES.items() if rt == t}}
            for t, (src, dst, props) in model.RELATIONSHIPS.items()
        },
    })
    return {
        "name": "maillage-bundle", "title": "maillage knowledge base bundle",
        "description": ("One CSV per node type plus relations.csv (or one XLSX with a sheet per file). "
                        "UTF-8 or CP1252, ',' or ';'. Ids are prefix:slug; territories are "
                        "level:code with official INSEE/SIREN codes from the shipped reference."),
        "id_prefixes": {lab: f"{p}:" for lab, p in model.ID_PREFIXES.items()},
        "territory_ids": [f"{lvl}:<code>" for lvl in model.TERRITORY_LEVELS],
        "resources": resources,
    }


def render() -> str:
    return json.dumps(datapackage(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")

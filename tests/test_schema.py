"""The shipped bundle schema describes the model the loader validates against."""

from __future__ import annotations

import json

from graph import model
from loaders.schema import SCHEMA_PATH, datapackage, render


def test_shipped_schema_is_up_to_date():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render(), \
        "loaders/data/bundle-schema.json is stale: run `python -m loaders.schema`"


def test_schema_lists_every_column_of_every_file():
    shipped = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    by_path = {r["path"]: r for r in shipped["resources"]}
    for spec in model.NODE_FILES:
        assert [f["name"] for f in by_path[spec.filename]["schema"]["fields"]] == list(spec.column_names)
    rels = by_path[model.RELATIONS_FILE]
    assert [f["name"] for f in rels["schema"]["fields"]] == [c.name for c in model.RELATION_COLUMNS]
    assert set(rels["relationships"]) == set(model.REL_TYPES)
    legal = next(f for f in by_path["structures.csv"]["schema"]["fields"] if f["name"] == "legal_form")
    assert legal["constraints"]["enum"] == list(model.LEGAL_FORMS)
    assert datapackage()["id_prefixes"]["Structure"] == "structure:"

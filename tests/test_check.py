"""``maillage check``: each consistency check finds what it is for, on bundles and on the graph."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from app.cli import main
from graph import model
from graph.consistency import check, records_of_bundles, records_of_store


def _bundle(folder: Path, files: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        cols = ([c.name for c in model.RELATION_COLUMNS] if name == model.RELATIONS_FILE
                else list(model.NODE_FILE_BY_NAME[name].column_names))
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, cols)
            w.writeheader()
            w.writerows(rows)
    if not (folder / model.RELATIONS_FILE).exists():
        (folder / model.RELATIONS_FILE).write_text(",".join(c.name for c in model.RELATION_COLUMNS) + "\n")
    return folder


def _rel(s, t, d, **kw):
    return {"source_id": s, "type": t, "target_id": d, **kw}


def _two_bundles(tmp_path: Path) -> Path:
    _bundle(tmp_path / "seeds" / "a", {
        "networks.csv": [{"id": "network:rtes", "name": "RTES", "sources": "source:a"}],
        "structures.csv": [{"id": "structure:x", "name": "Atelier X", "sources": "source:a"},
                           {"id": "structure:y", "name": "ATELIER X", "sources": "source:a"},
                           {"id": "structure:seule", "name": "Seule", "sources": "source:a"}],
        "initiatives.csv": [{"id": "initiative:i", "name": "I", "sources": "source:a"},
                            {"id": "initiative:j", "name": "J", "status": "running", "sources": "source:a"}],
        "funders.csv": [{"id": "funder:f", "name": "F", "sources": "source:a"}],
        "relations.csv": [_rel("structure:x", "LOCATED_IN", "commune:44109", sources="source:a"),
                          _rel("structure:y", "LOCATED_IN", "commune:44109", sources="source:a"),
                          _rel("structure:x", "MEMBER_OF", "network:rtes", sources="source:a"),
                          _rel("structure:x", "SERVES", "departement:44"),
                          _rel("funder:f", "MEMBER_OF", "network:rtes", sources="source:a"),
                          _rel("structure:y", "CARRIES", "initiative:i", sources="source:a"),
                          _rel("structure:y", "CARRIES", "initiative:j", sources="source:a")],
    })
    _bundle(tmp_path / "seeds" / "b", {
        "networks.csv": [{"id": "network:rtes", "name": "Réseau des territoires pour l'ESS", "sources": "source:b"}],
        "relations.csv": [_rel("structure:x", "MEMBER_OF", "network:rtes", sources="source:b")],
    })
    return tmp_path / "seeds"


def test_each_check_finds_what_it_is_for(tmp_path):
    found = {(f.check, f.id) for f in check(*records_of_bundles(_two_bundles(tmp_path)))}
    assert found == {
        ("conflict", "network:rtes"),                                  # two names in two bundles
        ("orphan", "structure:seule"),
        ("duplicate_name", "structure:x"),                             # "Atelier X" twice in Nantes
        ("wrong_ends", "funder:f -MEMBER_OF-> network:rtes"),          # a funder is no member
        ("serves_unsourced", "structure:x -SERVES-> departement:44"),
        ("initiative_status", "initiative:i"),
    }
    [conflict] = [f for f in check(*records_of_bundles(_two_bundles(tmp_path))) if f.check == "conflict"]
    assert "a/networks.csv:2" in conflict.detail and "b/networks.csv:2" in conflict.detail


def test_the_cli_exits_1_on_findings_0_on_a_clean_bundle(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(_two_bundles(tmp_path))])
    assert result.exit_code == 1 and "6 constat(s)" in result.output and "1 conflict" in result.output
    only = runner.invoke(main, ["check", str(tmp_path / "seeds"), "--only", "orphan", "--format", "csv"])
    assert only.exit_code == 1 and only.stdout.count("\n") == 2          # the header and one orphan
    clean = _bundle(tmp_path / "clean", {
        "structures.csv": [{"id": "structure:x", "name": "X", "sources": "source:a"}],
        "relations.csv": [_rel("structure:x", "LOCATED_IN", "commune:44109", sources="source:a")]})
    result = runner.invoke(main, ["check", str(clean)])
    assert result.exit_code == 0 and "rien à signaler" in result.output
    assert runner.invoke(main, ["check", str(clean), "--only", "nothing"]).exit_code == 2


def test_the_graph_is_checked_as_its_bundles_are(shared_seed_store):
    found = check(*records_of_store(shared_seed_store))
    kinds = {f.check for f in found}
    assert "conflict" not in kinds        # one node per id in a graph: the last bundle won
    assert "wrong_ends" not in kinds      # the loader refused those relations
    # the loaded seed is as clean as its bundles: the graph's check adds no false finding
    bundle = {(f.check, f.id) for f in check(*records_of_bundles(Path("loaders/data/seed")))}
    assert {(f.check, f.id) for f in found} == bundle == set()


def test_the_shipped_seed_passes_every_check():
    """Issue 18: no orphan, conflict, duplicate name, wrong relation end, unsourced SERVES or
    initiative without a status in the shipped seed (CI runs ``maillage check`` on it too)."""
    from loaders.load import SEED_DIR

    assert check(*records_of_bundles(SEED_DIR)) == []

"""RNA waldec/import reader: Latin-1, ``;``, ``0001-01-01``, personal columns."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.bundle import validate
from loaders.opendata import read_rna

FIX = Path(__file__).parent / "fixtures" / "opendata" / "rna"
WALDEC = FIX / "rna_waldec_20240601_dpt_44.csv"


def structures(result):
    return {r["id"]: r for r in result.tables["structures.csv"]}


def test_counts_rejections_and_encoding():
    r = read_rna(WALDEC)
    # 7 rows: 4 associations, 1 dissolved (filtered), 1 broken row, 1 without a title
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (7, 4, 2, 1)
    r.check_counts()
    rejected = {(x.row, x.column): x.reason for x in r.report.rejected}
    assert "12 cellules au lieu de 41" in rejected[(6, None)]
    assert rejected[(7, "titre")] == "titre de l'association absent"
    assert any("cp1252" in w for w in r.report.warnings)


def test_properties_and_latin1_accents():
    s = structures(read_rna(WALDEC))
    ress = s["structure:rna-W442004567"]
    assert ress["name"] == "LA RESSOURCERIE DU PORT"
    assert (ress["legal_form"], ress["rna"], ress["siren"], ress["founded"]) == (
        "association", "W442004567", "812345678", "2011-11-02")
    assert ress["website"] == "https://www.ressourcerie-du-port.example"
    assert ress["description"].startswith("Collecter, valoriser et revendre des objets de réemploi")
    assert ress["sources"] == "source:rna-waldec-2024-06-01"
    assert s["structure:rna-W442005555"]["name"] == "VÉLOCITÉ SOLIDAIRE"
    doutre = s["structure:rna-W491003456"]
    assert doutre["name"] == "COMITÉ DES FÊTES DE LA DOUTRE" and doutre["founded"] == ""  # 0001-01-01


def test_territories_and_sectors():
    r = read_rna(WALDEC)
    rel = {(x["source_id"], x["type"], x["target_id"]) for x in r.tables["relations.csv"]}
    assert ("structure:rna-W751000123", "LOCATED_IN", "commune:75056") in rel  # Paris 10e
    assert ("structure:rna-W442004567", "LOCATED_IN", "commune:44109") in rel
    assert ("structure:rna-W442004567", "ACTIVE_IN", "sector:environnement") in rel
    assert ("structure:rna-W751000123", "ACTIVE_IN", "sector:culture") in rel
    assert ("structure:rna-W442005555", "ACTIVE_IN", "sector:insertion") in rel


def test_personal_columns_dropped():
    r = read_rna(WALDEC)
    dropped = {c.split(":", 1)[1] for c in r.report.dropped_columns}
    assert dropped == {"telephone", "email", "dir_civilite", "adrg_declarant", "adrg_complemid"}
    text = repr(r.tables)
    assert "0240000000" not in text and "contact@" not in text and "NOMFICTIF" not in text


def test_description_is_truncated(tmp_path):
    head = WALDEC.read_bytes().split(b"\r\n", 1)[0].decode("cp1252").split(";")
    row = {c: "" for c in head}
    row.update(id="W442001111", titre="LONGUE", objet="mot " * 400, position="A", adrs_codeinsee="44109")
    p = tmp_path / "rna_waldec_20240101.csv"
    p.write_text(";".join(head) + "\n" + ";".join(row[c] for c in head) + "\n", encoding="utf-8")
    desc = read_rna(p).tables["structures.csv"][0]["description"]
    assert len(desc) <= 500 and desc.endswith("…")


def test_filters_and_dissolved():
    assert read_rna(WALDEC, departement="44").report.loaded == 2
    assert read_rna(WALDEC, commune="75110").report.loaded == 1
    r = read_rna(WALDEC, region="52")
    assert (r.report.loaded, r.filtered) == (3, 2)
    r.check_counts()
    all_rows = structures(read_rna(WALDEC, active_only=False))
    assert "structure:rna-W442009999" in all_rows


def test_import_file_and_zip_of_departements(tmp_path):
    imp = read_rna(FIX / "rna_import_20240601_dpt_44.csv")
    assert imp.report.loaded == 2 and imp.tables["sources.csv"][0]["id"] == "source:rna-import-2024-06-01"
    assert "structure:rna-441P00012345" in structures(imp)
    z = tmp_path / "rna_waldec_20240601.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(WALDEC, "rna_waldec_20240601_dpt_44.csv")
        zf.writestr("rna_waldec_20240601_dpt_49.csv", WALDEC.read_bytes().split(b"\r\n", 1)[0] + b"\r\n")
    r = read_rna(z)
    assert r.report.loaded == 4 and r.report.rejected[0].file == "rna_waldec_20240601.zip/rna_waldec_20240601_dpt_44.csv"
    both = read_rna(FIX)
    assert both.report.loaded == 6 and both.tables["sources.csv"][0]["id"] == "source:rna-waldec-import-2024-06-01"


def test_not_an_rna_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a;b\n1;2\n")
    with pytest.raises(InputError, match="pas un fichier du RNA"):
        read_rna(p)


def test_rows_validate_as_a_bundle():
    r = read_rna(FIX)
    _, report = validate(r.to_tables())
    assert report.rejected == []

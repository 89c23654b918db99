"""Format detection from headers and file names, with clear errors."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.opendata import detect_format, reader_for, read_rna

FIX = Path(__file__).parent / "fixtures" / "opendata"


@pytest.mark.parametrize("path, fmt", [
    ("sirene", "sirene"), ("sirene/StockUniteLegale_utf8.csv", "sirene"),
    ("sirene/StockEtablissement_utf8.csv", "sirene"),
    ("rna", "rna"), ("rna/rna_waldec_20240601_dpt_44.csv", "rna"), ("rna/rna_import_20240601_dpt_44.csv", "rna"),
    ("gogocarto", "gogocarto"), ("gogocarto/transiscope-elements.json", "gogocarto"),
    ("gogocarto/carte-ess-export.csv", "gogocarto"),
    ("datainclusion", "datainclusion"), ("datainclusion/structures.di.csv", "datainclusion"),
    ("tierslieux", "tierslieux"), ("tierslieux/CGET_TiersLieux_2019.csv", "tierslieux"),
    ("tierslieux/bdftl-2023-01-fiche-identite.csv", "tierslieux"),
])
def test_fixtures(path, fmt):
    assert detect_format(FIX / path) == fmt


def test_zip_and_bundle(tmp_path):
    z = tmp_path / "rna_waldec_20240601.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.write(FIX / "rna" / "rna_waldec_20240601_dpt_44.csv", "rna_waldec_20240601_dpt_44.csv")
    assert detect_format(z) == "rna"
    bundle = tmp_path / "bundle"
    read_rna(FIX / "rna").write_bundle(bundle)
    assert detect_format(bundle) == "bundle"
    assert detect_format(bundle / "structures.csv") == "bundle"
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "structures"
    wb.save(tmp_path / "kb.xlsx")
    assert detect_format(tmp_path / "kb.xlsx") == "bundle"


def test_unknown_and_ambiguous(tmp_path):
    p = tmp_path / "mystere.csv"
    p.write_text("a;b;c\n1;2;3\n")
    with pytest.raises(InputError, match=r"mystere\.csv : format inconnu"):
        detect_format(p)
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    (mixed / "a.csv").write_bytes((FIX / "rna" / "rna_import_20240601_dpt_44.csv").read_bytes())
    (mixed / "b.csv").write_bytes((FIX / "tierslieux" / "CGET_TiersLieux_2019.csv").read_bytes())
    with pytest.raises(InputError, match=r"format ambigu.*rna \(a\.csv\).*tierslieux \(b\.csv\)"):
        detect_format(mixed)
    j = tmp_path / "x.json"
    j.write_text(json.dumps({"foo": 1}))
    with pytest.raises(InputError, match="format inconnu"):
        detect_format(j)
    with pytest.raises(InputError, match="introuvable"):
        detect_format(tmp_path / "absent.csv")


def test_reader_for():
    assert reader_for("rna") is read_rna
    with pytest.raises(InputError, match="bundle"):
        reader_for("bundle")

"""Shared helpers of the open-data readers: codes, filters, sentinels, encodings, Lambert-93."""

from __future__ import annotations

import math

import pytest

from graph.errors import InputError
from loaders.opendata import common, lambert
from loaders.opendata.common import (
    CsvSource, ImportResult, Member, TerritoryFilter, clean, commune_code, commune_id,
    date_in_name, departement_of, members, personal_columns, siren_of, sniff_encoding, truncate,
    website,
)


@pytest.mark.parametrize("code, expected", [
    ("75101", "75056"), ("75120", "75056"), ("75116", "75056"), ("69381", "69123"), ("69389", "69123"),
    ("13201", "13055"), ("13216", "13055"), ("44109", "44109"), ("1053", "01053"), ("2a004", "2A004"),
    (" 97411 ", "97411"), ("[ND]", ""), ("", ""), ("ABCDE", ""), ("75121", "75121"), ("commune:44109", "44109"),
])
def test_commune_code(code, expected):
    assert commune_code(code) == expected


def test_commune_id_and_departement():
    assert commune_id("75111") == "commune:75056"
    assert commune_id("") == ""
    assert departement_of("97411") == "974"
    assert departement_of("2B033") == "2B"
    assert departement_of("44109") == "44"


def test_null_sentinels():
    for v in ("[ND]", "0001-01-01", "ZZZZZZZZZ", None, "  "):
        assert clean(v) == ""
    assert clean(" Nantes ") == "Nantes"


def test_siren_website_truncate_date():
    assert siren_of("812 345 678 00017") == "812345678"
    assert siren_of("812345678") == "812345678"
    assert siren_of("00000000000000") == ""
    assert siren_of("1234") == ""
    assert website("www.exemple.org") == "https://www.exemple.org"
    assert website("contact@exemple.org") == ""
    text = "mot " * 200
    cut = truncate(text, 100)
    assert len(cut) <= 100 and cut.endswith("…") and "  " not in cut
    assert truncate("court", 100) == "court"
    assert date_in_name("rna_waldec_20240601.zip") == "2024-06-01"
    assert date_in_name("StockUniteLegale_utf8.zip") == ""


def test_territory_filter():
    f = TerritoryFilter(departement="44")
    assert f("44109") and not f("49007") and not f("")
    assert TerritoryFilter(region="52")("49007") and not TerritoryFilter(region="52")("75111")
    assert TerritoryFilter(region="region:11")("75111")
    paris = TerritoryFilter(commune="75115")  # an arrondissement stands for its commune
    assert paris("75101") and paris("75056") and not paris("44109")
    assert TerritoryFilter(departement=["44", "85"])("85191")
    assert TerritoryFilter(departement="2A")("2A004")
    assert not TerritoryFilter().active and TerritoryFilter()("")
    assert TerritoryFilter(departement="44").postal_ok("44000")
    assert TerritoryFilter(departement="2B").postal_ok("20200")
    with pytest.raises(InputError, match="département inconnu"):
        TerritoryFilter(departement="99")
    with pytest.raises(InputError, match="région inconnue"):
        TerritoryFilter(region="77")


def test_region_table_covers_101_departements():
    assert len(common.REGION_OF_DEPARTEMENT) == 101
    assert len(set(common.REGION_OF_DEPARTEMENT.values())) == 18


def test_personal_columns():
    header = ["id", "titre", "telephone", "email", "courriel", "CONTACT", "MAIL", "prenom1UniteLegale",
              "nomUniteLegale", "siteweb", "dir_civilite"]
    found = personal_columns(header, extra=("nomUniteLegale", "dir_civilite"))
    assert found == ["telephone", "email", "courriel", "CONTACT", "MAIL", "prenom1UniteLegale",
                     "nomUniteLegale", "dir_civilite"]


def test_sniff_encoding():
    assert sniff_encoding("Fête".encode()) == "utf-8"
    assert sniff_encoding(b"\xef\xbb\xbfid") == "utf-8-sig"
    assert sniff_encoding("Fête".encode("cp1252")) == "cp1252"
    assert sniff_encoding("é".encode()[:1], complete=False) == "utf-8"  # cut in the middle of a character
    with pytest.raises(InputError, match="UTF-16"):
        sniff_encoding("id".encode("utf-16"))


def test_csv_source_sniffs_encoding_separator_and_bom(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes("\ufeffid ;titre\r\nW1;Fête à Nantes\r\n\r\nW2;a;b\r\n".encode("utf-8"))
    src = CsvSource(Member(p))
    assert src.header == ["id", "titre"] and src.separator == ";" and src.encoding == "utf-8-sig"
    rows = list(src.rows())
    assert rows[0] == (2, {"id": "W1", "titre": "Fête à Nantes"}, None)
    assert rows[1][0] == 4 and rows[1][1] is None and "3 cellules au lieu de 2" in rows[1][2]
    p.write_bytes("id;titre\nW1;Fête\n".encode("cp1252"))
    src = CsvSource(Member(p), full_sniff=True)
    assert src.encoding == "cp1252" and list(src.rows())[0][1]["titre"] == "Fête"


def test_members_of_zip_and_folder(tmp_path):
    import zipfile

    (tmp_path / "a.csv").write_text("x\n1\n")
    with zipfile.ZipFile(tmp_path / "b.zip", "w") as z:
        z.writestr("inner/c.csv", "y\n2\n")
        z.writestr("__MACOSX/._c.csv", "junk")
    names = [m.name for m in members(tmp_path)]
    assert names == ["a.csv", "b.zip/inner/c.csv"]
    with members(tmp_path / "b.zip")[0].open() as f:
        assert f.read() == b"y\n2\n"
    with pytest.raises(InputError, match="introuvable"):
        members(tmp_path / "missing.csv")


def test_import_result_rows_and_counts():
    r = ImportResult()
    r.add_node("structures.csv", "f:2", id="structure:x", name="X", functions=["information", "lieu"])
    assert r.add_node("structures.csv", "f:3", id="structure:x", name="X again") is None
    r.add_relation("f:2", "structure:x", "LOCATED_IN", "commune:44109")
    r.add_relation("f:2", "structure:x", "LOCATED_IN", "commune:44109")
    row = r.tables["structures.csv"][0]
    assert row["functions"] == "information|lieu" and row["_ref"] == "f:2" and row["siren"] == ""
    assert len(r.tables["relations.csv"]) == 1
    with pytest.raises(ValueError, match="unknown columns"):
        r.add_node("structures.csv", "f:4", id="structure:y", name="Y", altitude="47")
    r.report.read, r.report.loaded, r.filtered = 3, 1, 1
    r.report.reject("f", 4, "name", "vide")
    r.check_counts()
    r.cite("source:test")
    assert row["sources"] == "source:test"


@pytest.mark.parametrize("lon, lat", [(3.0, 46.5), (-1.5536, 47.2173), (2.3522, 48.8566),
                                      (7.7521, 48.5734), (-4.4861, 48.3904), (9.45, 42.7), (5.37, 43.30)])
def test_lambert93_round_trip(lon, lat):
    x, y = lambert.wgs84_to_lambert93(lon, lat)
    lon2, lat2 = lambert.lambert93_to_wgs84(x, y)
    assert math.isclose(lon, lon2, abs_tol=1e-9) and math.isclose(lat, lat2, abs_tol=1e-9)


def test_lambert93_reference_points():
    # IGN constants of Lambert-93 and the two checks of the reference document
    assert math.isclose(lambert.N, 0.7256077650532670, rel_tol=1e-12)
    assert math.isclose(lambert.C, 11754255.426096, rel_tol=1e-12)
    assert math.isclose(lambert.YS, 12655612.049876, abs_tol=1e-3)
    lon, lat = lambert.lambert93_to_wgs84(700000, 6600000)
    assert math.isclose(lon, 3.0, abs_tol=1e-12) and math.isclose(lat, 46.5, abs_tol=1e-12)
    x, y = lambert.wgs84_to_lambert93(-1.5536, 47.2173)
    assert round(x) == 355571 and round(y) == 6689601


def test_sirene_coordinates():
    lon, lat = lambert.sirene_to_wgs84("355570.76", "6689601.12", "44109")
    assert math.isclose(lon, -1.5536, abs_tol=1e-6) and math.isclose(lat, 47.2173, abs_tol=1e-6)
    assert lambert.sirene_to_wgs84("[ND]", "[ND]", "44109") is None
    assert lambert.sirene_to_wgs84("355570", "6689601", "97411") is None  # another projection overseas
    assert lambert.sirene_to_wgs84("", "", "") is None


@pytest.mark.parametrize("module", [
    "loaders.opendata.common", "loaders.opendata.lambert", "loaders.opendata.identity",
    "loaders.opendata.sirene", "loaders.opendata.datainclusion", "loaders.opendata.tierslieux",
    "graph.exports",
])
def test_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0

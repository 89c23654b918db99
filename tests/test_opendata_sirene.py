"""SIRENE stock reader on a hand-written fixture in the published column order."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders.bundle import validate
from loaders.opendata import read_sirene
from loaders.opendata.sirene import legal_form, sector_for_naf

FIX = Path(__file__).parent / "fixtures" / "opendata" / "sirene"
SOURCE = "source:sirene-stock-2024-06-01"


def by_id(result, table="structures.csv"):
    return {r["id"]: r for r in result.tables.get(table, [])}


def rels(result, rtype):
    return {(r["source_id"], r["target_id"]) for r in result.tables.get("relations.csv", []) if r["type"] == rtype}


def test_counts_and_filtering():
    r = read_sirene(FIX)
    # 12 units: 7 ESS and active, 1 masked name ([ND]) and 1 bad SIREN rejected,
    # a non-ESS SAS, a closed association and an entrepreneur individuel filtered out
    assert r.counts() == {"read": 12, "loaded": 7, "rejected": 2, "filtered": 3, "relations.csv": 12,
                          "sectors.csv": 4, "sources.csv": 1, "structures.csv": 7}
    r.check_counts()
    reasons = {(x.row, x.column): x.reason for x in r.report.rejected}
    assert "[ND]" in reasons[(9, "denominationUniteLegale")]
    assert "SIREN invalide" in reasons[(13, "siren")]
    assert not any("TRANSPORTS" in s["name"] or "JARDINS" in s["name"] for s in r.tables["structures.csv"])


def test_properties():
    s = by_id(read_sirene(FIX))
    asso = s["structure:siren-812345678"]
    assert asso["name"] == "ASSOCIATION LA RESSOURCERIE DU PORT"
    assert (asso["legal_form"], asso["siren"], asso["rna"], asso["founded"], asso["employees"]) == (
        "association", "812345678", "W442004567", "2012-03-15", "10")
    assert asso["sources"] == SOURCE and asso["_ref"] == "StockUniteLegale_utf8.csv:2"
    assert "Association déclarée (9220)" in asso["description"] and "38.32Z" in asso["description"]
    assert s["structure:siren-823456781"]["legal_form"] == "scop"
    assert s["structure:siren-878901236"]["legal_form"] == "scic"  # 5560 + SCIC in the name
    assert s["structure:siren-856789014"]["legal_form"] == "fondation"
    assert s["structure:siren-890123458"]["legal_form"] == "mutuelle"
    assert s["structure:siren-812340001"]["legal_form"] == "entreprise_esus"  # SAS with the ESS flag
    culture = s["structure:siren-801234569"]  # no ESS flag, but an association
    assert culture["legal_form"] == "association" and culture["employees"] == "1"


def test_territories_seat_only_and_plm():
    r = read_sirene(FIX)
    located = rels(r, "LOCATED_IN")
    assert ("structure:siren-812345678", "commune:44109") in located  # seat, not Saint-Nazaire
    assert not any(t == "commune:44184" for _, t in located)
    assert ("structure:siren-856789014", "commune:75056") in located  # Paris 11e -> Paris
    assert ("structure:siren-801234569", "commune:69123") in located  # Lyon 1er -> Lyon
    assert len(located) == 7


def test_sectors_from_naf():
    r = read_sirene(FIX)
    assert rels(r, "ACTIVE_IN") == {
        ("structure:siren-812345678", "sector:environnement"), ("structure:siren-878901236", "sector:environnement"),
        ("structure:siren-856789014", "sector:logement-habitat"), ("structure:siren-890123458", "sector:finance-solidaire"),
        ("structure:siren-801234569", "sector:culture"),
    }
    assert set(by_id(r, "sectors.csv")) == {"sector:environnement", "sector:logement-habitat",
                                            "sector:finance-solidaire", "sector:culture"}
    assert sector_for_naf("88.99B") == "sector:services-aux-personnes"
    assert sector_for_naf("58.21Z") == "sector:numerique" and sector_for_naf("58.11Z") == "sector:culture"
    assert sector_for_naf("85.3K", "NAFRev1") == "" and sector_for_naf("94.99Z") == ""


def test_legal_forms():
    assert legal_form("5458", "LES ATELIERS") == "scop"
    assert legal_form("5460", "COOPERATIVE D'ACTIVITE ET D'EMPLOI OUEST") == "cae"
    assert legal_form("6317", "COOP AGRICOLE") == "cooperative"
    assert legal_form("5710", "SCOP SAS LE MAILLON", True) == "scop"
    assert legal_form("5192", "BANQUE POPULAIRE") == "cooperative"
    assert legal_form("7210", "COMMUNE") == "collectivite"
    assert legal_form("9900", "AUTRE") == "other"


def test_personal_columns_dropped():
    r = read_sirene(FIX)
    dropped = {c.split(":", 1)[1] for c in r.report.dropped_columns}
    assert {"nomUniteLegale", "nomUsageUniteLegale", "prenom1UniteLegale", "prenomUsuelUniteLegale",
            "sexeUniteLegale", "pseudonymeUniteLegale"} <= dropped
    assert any("données personnelles" in w and "nomUniteLegale" in w for w in r.report.warnings)
    text = repr(r.tables)
    assert "NOMFICTIF" not in text and "PRENOMFICTIF" not in text


@pytest.mark.parametrize("kwargs, loaded, rejected, filtered", [
    ({"departement": "44"}, 4, 1, 7),
    ({"region": "52"}, 5, 1, 6),
    ({"commune": "75115"}, 1, 0, 11),
    ({"departement": ["69", "75"]}, 2, 0, 10),
    ({"active_only": False}, 8, 2, 2),
])
def test_filters(kwargs, loaded, rejected, filtered):
    r = read_sirene(FIX, **kwargs)
    assert (r.report.read, r.report.loaded, r.report.rejected_rows, r.filtered) == (12, loaded, rejected, filtered)
    r.check_counts()
    if "departement" in kwargs and kwargs["departement"] == "44":
        assert {t for _, t in rels(r, "LOCATED_IN")} <= {"commune:44109", "commune:44162", "commune:44143"}


def test_closed_unit_kept_when_asked():
    s = by_id(read_sirene(FIX, active_only=False))
    assert "structure:siren-845678903" in s


def test_small_chunks_same_result():
    a, b = read_sirene(FIX), read_sirene(FIX, chunksize=3)
    assert a.tables == b.tables and a.counts() == b.counts()
    a, b = read_sirene(FIX, departement="44"), read_sirene(FIX, departement="44", chunksize=2)
    assert a.tables == b.tables


def test_progress_is_reported():
    seen = []
    read_sirene(FIX, progress=seen.append, chunksize=4)
    assert seen == sorted(seen) and seen[-1] == 12 + 13  # both files


def test_single_file_finds_its_sibling_and_zip(tmp_path):
    assert read_sirene(FIX / "StockUniteLegale_utf8.csv", departement="44").report.loaded == 4
    for name in ("StockUniteLegale_utf8", "StockEtablissement_utf8"):
        with zipfile.ZipFile(tmp_path / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as z:
            z.write(FIX / f"{name}.csv", f"{name}.csv")
    r = read_sirene(tmp_path / "StockUniteLegale_utf8.zip", departement="44")
    assert r.report.loaded == 4 and r.report.rejected[0].file == "StockUniteLegale_utf8.csv"
    both = tmp_path / "both"
    both.mkdir()
    with zipfile.ZipFile(both / "sirene.zip", "w") as z:
        for name in ("StockUniteLegale_utf8", "StockEtablissement_utf8"):
            z.write(FIX / f"{name}.csv", f"{name}.csv")
    zipped, plain = read_sirene(both / "sirene.zip"), read_sirene(FIX)
    assert zipped.tables["structures.csv"] == plain.tables["structures.csv"]
    assert zipped.tables["relations.csv"] == plain.tables["relations.csv"]
    assert zipped.tables["sources.csv"][0]["path"] == "sirene.zip/StockUniteLegale_utf8.csv"


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    for name in ("StockUniteLegale_utf8", "StockEtablissement_utf8"):
        header = (FIX / f"{name}.csv").read_text().split("\n", 1)[0].split(",")
        table = pacsv.read_csv(FIX / f"{name}.csv", convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in header}, strings_can_be_null=True))
        if "etablissementSiege" in table.column_names:
            i = table.column_names.index("etablissementSiege")
            table = table.set_column(i, "etablissementSiege", table["etablissementSiege"].cast(pa.bool_()))
        pq.write_table(table, tmp_path / f"{name}.parquet")
    r, ref = read_sirene(tmp_path), read_sirene(FIX)
    assert r.counts() == ref.counts()
    assert by_id(r)["structure:siren-812345678"]["employees"] == "10"
    assert rels(r, "LOCATED_IN") == rels(ref, "LOCATED_IN")


def test_missing_files_and_columns(tmp_path):
    with pytest.raises(InputError, match="StockUniteLegale"):
        read_sirene(FIX / "StockEtablissement_utf8.csv")
    alone = tmp_path / "StockUniteLegale_utf8.csv"
    shutil.copy(FIX / "StockUniteLegale_utf8.csv", alone)
    r = read_sirene(alone)
    assert r.report.loaded == 7 and "LOCATED_IN" not in {x["type"] for x in r.tables["relations.csv"]}
    assert any("StockEtablissement" in w for w in r.report.warnings)
    with pytest.raises(InputError, match="StockEtablissement"):
        read_sirene(alone, departement="44")
    bad = tmp_path / "bad" / "StockUniteLegale.csv"
    bad.parent.mkdir()
    bad.write_text("siren,denominationUniteLegale\n123456789,X\n")
    with pytest.raises(InputError, match="categorieJuridiqueUniteLegale"):
        read_sirene(bad)


def test_rows_validate_as_a_bundle():
    r = read_sirene(FIX)
    bundle, report = validate(r.to_tables())
    assert report.rejected == []
    assert report.loaded == sum(len(v) for v in r.tables.values())

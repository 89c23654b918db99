"""Identity matching across registers: one organisation, one record, every source kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from loaders.bundle import validate
from loaders.opendata import (
    deduplicate, find_duplicates, match_keys, merge_records, merge_results, name_similarity,
    normalise_name, read_datainclusion, read_gogocarto, read_rna, read_sirene, structure_records,
)

FIX = Path(__file__).parent / "fixtures" / "opendata"
COMMUNES = {"Nantes": "44109", "Rezé": "44143", "Saint-Nazaire": "44184", "Paris": "75056", "Angers": "49007"}


def resolver(name, postal_code):
    return COMMUNES.get(name)


@pytest.fixture(scope="module")
def results():
    return [read_sirene(FIX / "sirene"), read_rna(FIX / "rna" / "rna_waldec_20240601_dpt_44.csv"),
            read_gogocarto(FIX / "gogocarto" / "transiscope-elements.json", commune_resolver=resolver),
            read_datainclusion(FIX / "datainclusion", commune_resolver=resolver)]


@pytest.mark.parametrize("name, expected", [
    ("ASSOCIATION LA RESSOURCERIE DU PORT", "ressourcerie du port"),
    ("La Ressourcerie du Port", "ressourcerie du port"),
    ("Asso. « Les Amis du Jardin »", "amis du jardin"),
    ("L'ATELIER DU VÉLO SCOP-SARL", "atelier du velo"),
    ("S.C.O.P. Les Ateliers du Bocage", "ateliers du bocage"),
    ("SCIC SA Énergies & Territoires", "energies et territoires"),
    ("Association", "association"),
])
def test_normalise_name(name, expected):
    assert normalise_name(name) == expected


def test_similarity_and_keys():
    assert name_similarity("Ressourcerie du Port", "LA RESSOURCERIE DU PORT") == 1.0
    assert 0.85 <= name_similarity("Atelier Vélo Solidaire", "Atelier Velo Solidaires") < 1.0
    assert name_similarity("Ressourcerie du Port", "Mutuelle de l'Anjou") < 0.5
    keys = match_keys({"id": "structure:x", "name": "Asso X", "siret": "81234567800017", "rna": "w442004567",
                       "_commune": "44109"})
    assert keys == [("siren", "812345678"), ("rna", "W442004567"), ("name", "x", "44109")]


def test_one_record_per_organisation_with_every_source(results):
    records = [r for res in results for r in structure_records(res.tables)]
    matches = find_duplicates(records)
    ids = {"structure:siren-812345678", "structure:rna-W442004567", "structure:gogo-aB3x",
           "structure:di-dora-4f1c2a8e-0b7d-4a55-9e0b-3c1d2e4f5a61"}
    pairs = {frozenset((m.a, m.b)) for m in matches}
    assert frozenset(("structure:siren-812345678", "structure:rna-W442004567")) in pairs
    assert frozenset(("structure:siren-812345678", "structure:gogo-aB3x")) in pairs
    merged, id_map, review = deduplicate(records)
    ress = [r for r in merged if r["id"] == "structure:siren-812345678"]
    assert len(ress) == 1 and not any(r["id"] in ids - {"structure:siren-812345678"} for r in merged)
    ress = ress[0]
    assert set(id_map) == ids - {"structure:siren-812345678"}
    assert set(ress["sources"].split("|")) == {
        "source:sirene-stock-2024-06-01", "source:rna-waldec-2024-06-01",
        "source:gogocarto-transiscope-elements", "source:datainclusion-structures"}
    assert ress["name"] == "La Ressourcerie du Port"  # mixed case wins over the registers' capitals
    assert (ress["siren"], ress["rna"], ress["legal_form"], ress["founded"]) == (
        "812345678", "W442004567", "association", "2012-03-15")  # SIRENE's founding date wins over RNA's
    origins = json.loads(ress["origins"])
    assert origins["siren"] == "source:sirene-stock-2024-06-01"
    assert origins["name"] == "source:datainclusion-structures"  # the first mixed-case name by rank
    assert origins["website"] == "source:rna-waldec-2024-06-01"
    assert len(merged) == len(records) - 3


def test_never_merge_different_sirens():
    a = {"id": "structure:siren-111111111", "name": "Les Jardins", "siren": "111111111", "_commune": "44109"}
    b = {"id": "structure:gogo-1", "name": "LES JARDINS", "_commune": "44109"}
    c = {"id": "structure:siren-222222222", "name": "Association Les Jardins", "siren": "222222222", "_commune": "44109"}
    matches = find_duplicates([a, b, c])
    assert {frozenset((m.a, m.b)) for m in matches} == {frozenset((a["id"], b["id"])), frozenset((b["id"], c["id"]))}
    merged, id_map, _ = deduplicate([a, b, c])
    assert {r["id"] for r in merged} == {a["id"], c["id"]}  # b joins one of them, never both
    assert len(id_map) == 1
    with pytest.raises(ValueError, match="SIREN différents"):
        merge_records(a, c)
    rna_a = {"id": "structure:rna-W1", "name": "X", "rna": "W440000001", "_commune": "44109"}
    rna_b = {"id": "structure:rna-W2", "name": "X", "rna": "W440000002", "_commune": "44109"}
    assert find_duplicates([rna_a, rna_b]) == []


def test_fuzzy_matches_go_to_review():
    a = {"id": "structure:gogo-1", "name": "Atelier Vélo Solidaire", "_commune": "44109"}
    b = {"id": "structure:di-2", "name": "Atelier Velo Solidaires", "_commune": "44109"}
    c = {"id": "structure:di-3", "name": "Atelier Velo Solidaires", "_commune": "49007"}
    merged, id_map, review = deduplicate([a, b, c])
    assert id_map == {} and len(merged) == 3
    assert len(review) == 1 and review[0].score < 0.9 and "noms proches" in review[0].reason
    merged, id_map, _ = deduplicate([a, b, c], min_score=0.8)
    assert id_map == {"structure:gogo-1": "structure:di-2"}


def test_existing_record_keeps_its_id():
    existing = [{"id": "structure:ressourcerie-du-port", "name": "Ressourcerie du Port", "_commune": "44109",
                 "sources": "source:seed-2009"}]
    new = [{"id": "structure:siren-812345678", "name": "ASSOCIATION LA RESSOURCERIE DU PORT",
            "siren": "812345678", "_commune": "44109", "sources": "source:sirene"}]
    merged, id_map, _ = deduplicate(new, existing)
    assert id_map == {"structure:siren-812345678": "structure:ressourcerie-du-port"}
    assert merged[0]["id"] == "structure:ressourcerie-du-port" and merged[0]["siren"] == "812345678"
    assert merged[0]["sources"] == "source:seed-2009|source:sirene"
    assert find_duplicates(existing, existing) == []  # existing pairs are not compared


def test_merge_results_rewires_relations(results):
    out, review = merge_results(results)
    structures = {r["id"]: r for r in out.tables["structures.csv"]}
    assert "structure:rna-W442004567" not in structures and "structure:gogo-aB3x" not in structures
    rels = out.tables["relations.csv"]
    ress = [r for r in rels if r["source_id"] == "structure:siren-812345678"]
    assert [r["target_id"] for r in ress if r["type"] == "LOCATED_IN"] == ["commune:44109"]
    env = [r for r in ress if r["type"] == "ACTIVE_IN" and r["target_id"] == "sector:environnement"]
    assert len(env) == 1 and len(env[0]["sources"].split("|")) == 3
    assert not any(r["source_id"] in ("structure:rna-W442004567", "structure:gogo-aB3x") for r in rels)
    assert any("fusionnées" in w for w in out.report.warnings)
    bundle, report = validate(out.to_tables())
    assert report.rejected == []


def test_the_early_exit_of_name_similarity_changes_no_pair_at_the_threshold():
    import random

    from loaders.opendata.identity import name_similarity, normalise_name, normalised_similarity

    words = "atelier vélo solidaire jardin partagé amis quartier ressourcerie café culturel épicerie loire".split()
    rng = random.Random(7)
    names = [" ".join(rng.sample(words, rng.randint(1, 4))) + rng.choice(["", "s", " 44"]) for _ in range(150)]
    close = 0
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            full = name_similarity(a, b)
            fast = normalised_similarity(normalise_name(a), normalise_name(b), 0.85)
            assert (fast >= 0.85) == (full >= 0.85) and (full < 0.85 or fast == full), (a, b)
            close += full >= 0.85
    assert close > 20

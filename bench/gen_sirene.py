"""Generate a synthetic SIRENE stock (StockUniteLegale + StockEtablissement) for benchmarks.

``python bench/gen_sirene.py --rows 2000000 --out /tmp/sirene-bench`` writes
``StockUniteLegale_utf8.csv`` (``--rows`` legal units, the 35 published
columns in order) and ``StockEtablissement_utf8.csv`` (about 1.46
establishments per unit, as in the real stock: 43 M / 29 M; the 54 published
columns, with the trailing space of the real Lambert headers). The mix is
roughly the real one: 60 % entrepreneurs individuels (with fictional person
names, which the reader must drop), 12 % associations, 2 % cooperatives,
mutuelles and foundations, 5 % companies with the ESS flag, 30 % ceased
units, some ``[ND]`` masks. Communes are real INSEE codes drawn by population
from the shipped territorial reference (Paris, Lyon and Marseille as
arrondissements), so a département filter keeps a realistic share. The
output depends only on ``--seed``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import gzip
import random
import sys
import time
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.opendata.lambert import wgs84_to_lambert93  # noqa: E402

UL = [c.strip() for c in """siren, statutDiffusionUniteLegale, unitePurgeeUniteLegale, dateCreationUniteLegale,
sigleUniteLegale, sexeUniteLegale, prenom1UniteLegale, prenom2UniteLegale, prenom3UniteLegale,
prenom4UniteLegale, prenomUsuelUniteLegale, pseudonymeUniteLegale, identifiantAssociationUniteLegale,
trancheEffectifsUniteLegale, anneeEffectifsUniteLegale, dateDernierTraitementUniteLegale,
nombrePeriodesUniteLegale, categorieEntreprise, anneeCategorieEntreprise, dateDebut,
etatAdministratifUniteLegale, nomUniteLegale, nomUsageUniteLegale, denominationUniteLegale,
denominationUsuelle1UniteLegale, denominationUsuelle2UniteLegale, denominationUsuelle3UniteLegale,
categorieJuridiqueUniteLegale, activitePrincipaleUniteLegale, nomenclatureActivitePrincipaleUniteLegale,
nicSiegeUniteLegale, economieSocialeSolidaireUniteLegale, societeMissionUniteLegale,
caractereEmployeurUniteLegale, activitePrincipaleNAF25UniteLegale""".replace("\n", " ").split(",")]
ET = [c.strip() for c in """siren, nic, siret, statutDiffusionEtablissement, dateCreationEtablissement,
trancheEffectifsEtablissement, anneeEffectifsEtablissement, activitePrincipaleRegistreMetiersEtablissement,
dateDernierTraitementEtablissement, etablissementSiege, nombrePeriodesEtablissement,
complementAdresseEtablissement, numeroVoieEtablissement, indiceRepetitionEtablissement,
dernierNumeroVoieEtablissement, indiceRepetitionDernierNumeroVoieEtablissement, typeVoieEtablissement,
libelleVoieEtablissement, codePostalEtablissement, libelleCommuneEtablissement,
libelleCommuneEtrangerEtablissement, distributionSpecialeEtablissement, codeCommuneEtablissement,
codeCedexEtablissement, libelleCedexEtablissement, codePaysEtrangerEtablissement,
libellePaysEtrangerEtablissement, identifiantAdresseEtablissement,
coordonneeLambertAbscisseEtablissement, coordonneeLambertOrdonneeEtablissement,
complementAdresse2Etablissement, numeroVoie2Etablissement, indiceRepetition2Etablissement,
typeVoie2Etablissement, libelleVoie2Etablissement, codePostal2Etablissement,
libelleCommune2Etablissement, libelleCommuneEtranger2Etablissement, distributionSpeciale2Etablissement,
codeCommune2Etablissement, codeCedex2Etablissement, libelleCedex2Etablissement,
codePaysEtranger2Etablissement, libellePaysEtranger2Etablissement, dateDebut,
etatAdministratifEtablissement, enseigne1Etablissement, enseigne2Etablissement, enseigne3Etablissement,
denominationUsuelleEtablissement, activitePrincipaleEtablissement,
nomenclatureActivitePrincipaleEtablissement, caractereEmployeurEtablissement,
activitePrincipaleNAF25Etablissement""".replace("\n", " ").split(",")]
assert len(UL) == 35 and len(ET) == 54
UL_IX = {c: i for i, c in enumerate(UL)}
ET_IX = {c: i for i, c in enumerate(ET)}
ET_HEADER = [c + " " if c.startswith("coordonneeLambert") else c for c in ET]

# (weight, catégorie juridique, ESS flag choices, NAF choices)
KINDS = [
    (60, "1000", ("", "N"), ("47.11B", "43.21A", "96.02A", "62.01Z", "86.90D", "49.32Z")),
    (11, "9220", ("O", "O", ""), ("94.99Z", "88.99B", "93.12Z", "90.01Z", "85.59A", "38.32Z")),
    (1, "9230", ("O",), ("88.10A", "87.10A")),
    (0.3, "9300", ("O",), ("88.99B", "72.19Z")),
    (0.4, "5458", ("O",), ("43.32A", "62.02A", "71.12B")),
    (0.6, "5560", ("O",), ("35.11Z", "46.21Z", "56.10A")),
    (0.5, "6317", ("O",), ("01.11Z", "10.51A")),
    (0.2, "8210", ("O",), ("65.12Z",)),
    (5, "5710", ("O", "N", "N", "N", "N", "N", ""), ("70.22Z", "81.30Z", "62.01Z", "47.91B")),
    (12, "5499", ("N", ""), ("56.10A", "41.20A", "68.20B", "45.20A")),
    (8.0, "6540", ("N", ""), ("68.20A", "68.20B")),
]
WORDS = ("ATELIER", "JARDINS", "AMIS", "COOPERATIVE", "SOLIDAIRE", "ENERGIE", "CULTURE", "QUARTIER", "VELO",
         "RESSOURCES", "HABITAT", "TERRE", "PORT", "LOIRE", "BOCAGE", "MAISON", "RESEAU", "AVENIR")
TRANCHES = ("NN", "NN", "00", "01", "02", "03", "11", "12", "21", "22", "31")


def communes() -> tuple[list[tuple[str, float, float]], list[float]]:
    """(code, lon, lat) of every commune and cumulative population weights."""
    path = ROOT / "loaders" / "data" / "territories" / "territories.csv.gz"
    rows = []
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["level"] == "commune" and r["lon"]:
                    rows.append((r["code"], float(r["lon"]), float(r["lat"]), float(r["population"] or 1)))
    if not rows:  # no reference: synthetic codes in every département
        rows = [(f"{d:02d}{c:03d}", 2.0, 47.0, 1.0) for d in range(1, 96) if d != 20 for c in range(1, 300)]
    out, weights = [], []
    for code, lon, lat, pop in rows:
        if code == "75056":
            out += [(f"751{i:02d}", lon, lat) for i in range(1, 21)]
            weights += [pop / 20] * 20
        elif code == "69123":
            out += [(f"6938{i}", lon, lat) for i in range(1, 10)]
            weights += [pop / 9] * 9
        elif code == "13055":
            out += [(f"132{i:02d}", lon, lat) for i in range(1, 17)]
            weights += [pop / 16] * 16
        else:
            out.append((code, lon, lat))
            weights.append(pop)
    return out, list(accumulate(weights))


def generate(out: Path, rows: int, seed: int = 20241122, etab_ratio: float = 1.46) -> tuple[Path, Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    places, cum = communes()
    total = cum[-1]
    kinds_cum = list(accumulate(k[0] for k in KINDS))
    ul_path, et_path = out / "StockUniteLegale_utf8.csv", out / "StockEtablissement_utf8.csv"
    extra_per_unit = max(0.0, etab_ratio - 1.0)
    with open(ul_path, "w", encoding="utf-8", newline="") as fu, \
            open(et_path, "w", encoding="utf-8", newline="") as fe:
        wu, we = csv.writer(fu, lineterminator="\n"), csv.writer(fe, lineterminator="\n")
        wu.writerow(UL)
        we.writerow(ET_HEADER)
        ul_buf, et_buf = [], []
        for i in range(rows):
            siren = f"{100000000 + i * 7 % 899999999:09d}" if rows < 899999999 else f"{i:09d}"
            w, cj, flags, nafs = KINDS[bisect.bisect(kinds_cum, rng.random() * kinds_cum[-1])]
            r = [""] * 35
            year = rng.randint(1950, 2024)
            r[UL_IX["siren"]] = siren
            diffusion = "P" if rng.random() < 0.04 else "O"
            r[UL_IX["statutDiffusionUniteLegale"]] = diffusion
            r[UL_IX["dateCreationUniteLegale"]] = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            r[UL_IX["trancheEffectifsUniteLegale"]] = rng.choice(TRANCHES)
            r[UL_IX["dateDernierTraitementUniteLegale"]] = f"2024-{rng.randint(1, 5):02d}-{rng.randint(1, 28):02d}T03:00:00"
            r[UL_IX["nombrePeriodesUniteLegale"]] = str(rng.randint(1, 6))
            r[UL_IX["dateDebut"]] = r[UL_IX["dateCreationUniteLegale"]]
            ceased = rng.random() < 0.30
            r[UL_IX["etatAdministratifUniteLegale"]] = "C" if ceased else "A"
            name = " ".join(rng.sample(WORDS, 3))
            if cj == "1000":
                r[UL_IX["sexeUniteLegale"]] = rng.choice("MF")
                r[UL_IX["prenom1UniteLegale"]] = r[UL_IX["prenomUsuelUniteLegale"]] = "PRENOMFICTIF"
                r[UL_IX["nomUniteLegale"]] = "NOMFICTIF" if diffusion == "O" else "[ND]"
            else:
                r[UL_IX["denominationUniteLegale"]] = ("[ND]" if diffusion == "P" and rng.random() < 0.2
                                                       else ("ASSOCIATION " if cj.startswith("92") else "") + name)
            if cj.startswith("92") and rng.random() < 0.7:
                r[UL_IX["identifiantAssociationUniteLegale"]] = f"W{rng.randint(100000000, 999999999)}"
            r[UL_IX["categorieJuridiqueUniteLegale"]] = cj
            r[UL_IX["activitePrincipaleUniteLegale"]] = rng.choice(nafs)
            r[UL_IX["nomenclatureActivitePrincipaleUniteLegale"]] = "NAFRev2" if year > 2008 or rng.random() < 0.8 else "NAFRev1"
            r[UL_IX["nicSiegeUniteLegale"]] = "00012"
            r[UL_IX["economieSocialeSolidaireUniteLegale"]] = rng.choice(flags)
            r[UL_IX["caractereEmployeurUniteLegale"]] = rng.choice("ON")
            ul_buf.append(r)
            n_etab = 1 + (1 if rng.random() < extra_per_unit else 0)
            for k in range(n_etab):
                code, lon, lat = places[bisect.bisect(cum, rng.random() * total)]
                e = [""] * 54
                nic = "00012" if k == 0 else f"{20 + k:05d}"
                e[ET_IX["siren"]], e[ET_IX["nic"]], e[ET_IX["siret"]] = siren, nic, siren + nic
                e[ET_IX["statutDiffusionEtablissement"]] = diffusion
                e[ET_IX["dateCreationEtablissement"]] = r[UL_IX["dateCreationUniteLegale"]]
                e[ET_IX["etablissementSiege"]] = "true" if k == 0 else "false"
                e[ET_IX["numeroVoieEtablissement"]] = str(rng.randint(1, 120)) if diffusion == "O" else "[ND]"
                e[ET_IX["typeVoieEtablissement"]] = "RUE" if diffusion == "O" else "[ND]"
                e[ET_IX["libelleVoieEtablissement"]] = rng.choice(WORDS) if diffusion == "O" else "[ND]"
                e[ET_IX["codePostalEtablissement"]] = code[:2] + "000" if code[:2].isdigit() else "20000"
                e[ET_IX["codeCommuneEtablissement"]] = code
                e[ET_IX["libelleCommuneEtablissement"]] = "COMMUNE " + code
                if diffusion == "O" and not code.startswith("97"):
                    x, y = wgs84_to_lambert93(lon + rng.uniform(-0.01, 0.01), lat + rng.uniform(-0.01, 0.01))
                    e[ET_IX["coordonneeLambertAbscisseEtablissement"]] = f"{x:.1f}"
                    e[ET_IX["coordonneeLambertOrdonneeEtablissement"]] = f"{y:.1f}"
                else:
                    e[ET_IX["coordonneeLambertAbscisseEtablissement"]] = "[ND]"
                    e[ET_IX["coordonneeLambertOrdonneeEtablissement"]] = "[ND]"
                e[ET_IX["dateDebut"]] = e[ET_IX["dateCreationEtablissement"]]
                e[ET_IX["etatAdministratifEtablissement"]] = "F" if ceased else "A"
                e[ET_IX["activitePrincipaleEtablissement"]] = r[UL_IX["activitePrincipaleUniteLegale"]]
                e[ET_IX["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
                et_buf.append(e)
            if len(ul_buf) >= 50_000:
                wu.writerows(ul_buf)
                we.writerows(et_buf)
                ul_buf, et_buf = [], []
        wu.writerows(ul_buf)
        we.writerows(et_buf)
    return ul_path, et_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=2_000_000, help="legal units (default 2,000,000)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/maillage-bench/sirene"))
    ap.add_argument("--seed", type=int, default=20241122)
    ap.add_argument("--etab-ratio", type=float, default=1.46, help="establishments per unit (1..2)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    ul, et = generate(args.out, args.rows, args.seed, args.etab_ratio)
    print(f"{ul} ({ul.stat().st_size / 1e6:.0f} Mo), {et} ({et.stat().st_size / 1e6:.0f} Mo) "
          f"en {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Generate a deterministic synthetic national bundle for the scale benchmark.

``python bench/generate.py --structures 250000 [--seed 7] [--out DIR]`` writes a
bundle folder (the project's own format, see ``loaders/data/bundle-schema.json``)
that ``maillage load`` accepts as it is:

* every territory of the shipped reference is used as it is (the bundle points at
  real INSEE/SIREN codes; the reference itself is loaded by ``ensure_territories``);
* ``N`` structures seated in communes drawn with weight ``population ** 1.1``
  (more structures, and more per inhabitant, in cities), with a realistic mix of
  legal forms, sectors, founding years, sizes, and ~12 % of support providers
  (``functions``) serving their commune, EPCI or département;
* networks at every level — national têtes de réseau, one CRESS per région,
  regional, departmental and local networks — whose membership is heavy-tailed
  (Pareto weights: the largest têtes de réseau get thousands of members, most
  local collectives a handful); departmental networks join national ones;
* funders serving régions and départements (Région, Département, regional
  solidarity finance, foundations, banks, CIGALES-like clubs) and a few national
  ones; funding is mostly from one's own département or région;
* shared places, events (workshops, study days, fairs) held in communes and
  places, attended by structures of the same département; initiatives;
* cooperation ties that are mostly local (same commune, then département,
  région), with a few very connected structures.

About 6 relations per structure: ~1.5 million relations for 250,000 structures.
The output depends only on ``--structures`` and ``--seed``: one ``random.Random``
drawn in a fixed order, files written sorted.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import random
import sys
import time
from collections import defaultdict
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph import model  # noqa: E402
from loaders.territories import read_territories  # noqa: E402

GENERATOR_VERSION = 1
SOURCE = "source:bench-synthetic"
SECTORS = [  # (slug, name, weight)
    ("insertion", "Insertion, emploi", 12), ("services-personnes", "Services aux personnes", 14),
    ("environnement", "Environnement et consommation responsable", 10),
    ("culture", "Culture, diversité culturelle", 14), ("sport", "Sport et loisirs", 12),
    ("education", "Éducation populaire", 8), ("sante", "Santé, action sociale", 10),
    ("habitat", "Habitat, logement", 4), ("alimentation", "Alimentation, circuits courts", 5),
    ("finance", "Finance solidaire", 1), ("international", "Solidarité internationale", 3),
    ("mobilite", "Mobilité", 2), ("numerique", "Numérique", 2), ("tourisme", "Tourisme social", 3),
]
LEGAL = [("association", 78), ("scop", 5), ("scic", 2), ("cae", 0.5), ("cooperative", 4),
         ("mutuelle", 2), ("fondation", 2), ("entreprise_esus", 4), ("collectivite", 1), ("other", 1.5)]
FORM_WORD = {"association": "Association", "scop": "SCOP", "scic": "SCIC", "cae": "CAE",
             "cooperative": "Coopérative", "mutuelle": "Mutuelle", "fondation": "Fondation",
             "entreprise_esus": "Entreprise solidaire", "collectivite": "Commune", "other": "Collectif"}
THEMES = ["Les Jardins", "Solidarités", "La Ressourcerie", "Le Lien", "Entraide", "Horizons",
          "Les Ateliers", "Culture et Partage", "Vivre Ensemble", "L'Épicerie", "Le Relais",
          "Les Amis", "Cap Emploi", "Énergies", "La Fabrique", "Terre et Avenir", "Le Chantier"]
NATIONAL_NETWORKS = ["ESS France", "Fédération des Centres sociaux", "Union des SCOP", "Réseau Cocagne",
                     "Fédération Envie", "Emmaüs France", "UNIOPSS", "Coorace", "Réseau des ressourceries",
                     "Mouvement associatif", "Fédération des AMAP", "Réseau Familles rurales",
                     "Union des CAE", "Fédération des tiers-lieux", "Union des SCIC", "Réseau Villes ESS",
                     "Fédération de l'éducation populaire", "Union sport pour tous", "Réseau Alimentation",
                     "Fédération Habitat solidaire"]
NATIONAL_FUNDERS = [("Banque des Territoires", "public"), ("France Active", "solidarity_finance"),
                    ("Bpifrance", "public"), ("Fondation de France", "private_foundation"),
                    ("ADEME", "public"), ("Crédit Coopératif", "bank"), ("France Travail", "public"),
                    ("Fonds social européen", "public"), ("Miimosa", "participatory"),
                    ("Fondation Macif", "private_foundation"), ("La Nef", "bank"),
                    ("France Initiative", "solidarity_finance")]


def _pick(rng: random.Random, weighted):
    """One item of ``[(item, weight), …]``."""
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights)[0]


class Weighted:
    """Repeated weighted draws from a fixed list (cumulative weights + bisect)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def __bool__(self):
        return bool(self.items)


def _count(rng, probs):
    """A count drawn from ``probs[k]`` = P(k)."""
    return _pick(rng, list(enumerate(probs)))


class Geography:
    """Communes, their EPCI, département and région, from the shipped reference."""

    def __init__(self):
        self.territories = read_territories()
        self.parent_region = {}
        self.communes = []
        for t in self.territories:
            if t["level"] == "departement":
                self.parent_region[t["id"]] = t["parents"][0] if t["parents"] else None
        self.epci_of, self.dep_of = {}, {}
        for t in self.territories:
            if t["level"] != "commune":
                continue
            self.communes.append(t)
            for p in t["parents"]:
                if p.startswith("epci:"):
                    self.epci_of[t["id"]] = p
                elif p.startswith("departement:"):
                    self.dep_of[t["id"]] = p
        self.communes = [c for c in self.communes if c["id"] in self.dep_of]
        self.name = {t["id"]: t["name"] for t in self.territories}
        self.regions = sorted(t["id"] for t in self.territories if t["level"] == "region")
        self.departements = sorted(self.parent_region)
        self.region_of = {c["id"]: self.parent_region[self.dep_of[c["id"]]] for c in self.communes}
        self.by_pop = Weighted([c["id"] for c in self.communes],
                               [max(c["population"], 1) ** 1.1 for c in self.communes])
        # the most populated commune of each département and région: seats of its bodies
        self.capital = {}
        for c in sorted(self.communes, key=lambda c: (-c["population"], c["id"])):
            for area in (self.dep_of[c["id"]], self.region_of[c["id"]], self.epci_of.get(c["id"])):
                if area and area not in self.capital:
                    self.capital[area] = c["id"]

    def areas(self, commune):
        return {"commune": commune, "epci": self.epci_of.get(commune), "departement": self.dep_of[commune],
                "region": self.region_of[commune]}


def generate(out: Path, structures: int, seed: int = 7) -> dict:
    """Write the bundle of ``structures`` structures to ``out``; return its counts."""
    rng = random.Random(seed)
    geo = Geography()
    N = structures
    rows: dict[str, list[dict]] = defaultdict(list)
    rels: list[tuple] = []  # (source, type, target, props)
    seen_rel: set = set()

    def rel(src, rtype, dst, **props):
        key = (src, rtype, dst, str(props.get("year", props.get("since", ""))))
        if src != dst and key not in seen_rel:
            seen_rel.add(key)
            rels.append((src, rtype, dst, props))

    def node(file, **props):
        rows[file].append({"sources": SOURCE, **props})

    rows["sources.csv"].append({"id": SOURCE, "title": "Base nationale synthétique (benchmark)",
                                "kind": "dataset", "date": "2026", "licence": "CC0"})
    sector_ids = [f"sector:{s}" for s, _, _ in SECTORS]
    for (slug, name, _), sid in zip(SECTORS, sector_ids):
        node("sectors.csv", id=sid, name=name)
    sector_draw = Weighted(sector_ids, [w for _, _, w in SECTORS])

    # --- networks ------------------------------------------------------------------
    n_networks = max(60, N // 80)
    networks = []  # (id, level, area, weight)
    by_area: dict[tuple[str, str], list] = defaultdict(list)

    def network(name, kind, level, area, weight, functions="reseau"):
        nid = f"network:n{len(networks):05d}"
        seat = geo.capital.get(area) if area else "commune:75056"
        node("networks.csv", id=nid, name=name, kind=kind, level=level, functions=functions,
             stages="emergence|creation|developpement" if "accompagnement" in functions else "")
        rel(nid, "LOCATED_IN", seat or "commune:75056")
        if level == "national":
            for r in geo.regions:
                rel(nid, "SERVES", r)
        elif area:
            rel(nid, "SERVES", area)
        networks.append((nid, level, area, weight))
        by_area[(level, area)].append((nid, weight))
        return nid

    n_national = max(8, min(len(NATIONAL_NETWORKS), n_networks // 40))
    for i in range(n_national):  # têtes de réseau: the heaviest tails
        network(NATIONAL_NETWORKS[i], "federation" if i else "inter_network", "national", None,
                rng.paretovariate(0.9) * 10)
    for r in geo.regions:
        network(f"CRESS {geo.name[r]}", "cress", "region", r, 30.0, "information|accompagnement|reseau")
    rest = n_networks - len(networks)
    for i in range(rest):
        level = _pick(rng, [("region", 0.15), ("departement", 0.4), ("epci", 0.45)])
        c = geo.by_pop.draw(rng)
        area = geo.areas(c)[level] or geo.dep_of[c]
        level = area.split(":")[0]
        kind = {"region": "union", "departement": "federation"}.get(level) or _pick(
            rng, [("collective", 6), ("ptce", 2), ("union", 1)])
        word = {"region": "Union régionale", "departement": "Fédération départementale",
                "epci": "Collectif", "commune": "Collectif"}[level]
        funcs = _pick(rng, [("reseau", 6), ("information|reseau", 3), ("accompagnement|reseau", 2)])
        nid = network(f"{word} {rng.choice(THEMES)} {geo.name[area]}", kind, level, area,
                      rng.paretovariate(1.2), funcs)
        if level in ("departement", "region") and rng.random() < 0.5:
            rel(nid, "MEMBER_OF", networks[rng.randrange(n_national)][0], role="member")
    for nid, level, _, _ in networks[n_national:n_national + len(geo.regions)]:
        rel(nid, "MEMBER_OF", networks[0][0], role="founder")
    network_draw = {k: Weighted([n for n, _ in v], [w for _, w in v]) for k, v in by_area.items()}

    # --- funders ---------------------------------------------------------------------
    funders_at: dict[str, list[str]] = defaultdict(list)
    n_funders = [0]

    def funder(name, kind, area, functions="financement"):
        fid = f"funder:f{n_funders[0]:05d}"
        n_funders[0] += 1
        node("funders.csv", id=fid, name=name, kind=kind, functions=functions,
             stages=_pick(rng, [("", 3), ("creation|developpement", 4), ("emergence|creation", 2),
                                ("consolidation", 1)]))
        rel(fid, "LOCATED_IN", geo.capital.get(area, "commune:75056") if area else "commune:75056")
        for t in ([area] if area else geo.regions):
            rel(fid, "SERVES", t)
        funders_at[area or "national"].append(fid)
        return fid

    for name, kind in NATIONAL_FUNDERS:
        funder(name, kind, None, "financement|accompagnement" if kind == "solidarity_finance" else "financement")
    for r in geo.regions:
        funder(f"Région {geo.name[r]}", "public", r)
        funder(f"France Active {geo.name[r]}", "solidarity_finance", r, "financement|accompagnement")
        funder(f"Fondation {geo.name[r]} Solidaire", "private_foundation", r)
    for d in geo.departements:
        funder(f"Département {geo.name[d]}", "public", d)
    target_funders = max(60, N // 250)
    while n_funders[0] < target_funders:
        c = geo.by_pop.draw(rng)
        level = _pick(rng, [("departement", 0.5), ("epci", 0.4), ("region", 0.1)])
        area = geo.areas(c)[level] or geo.dep_of[c]
        kind = _pick(rng, [("participatory", 2), ("solidarity_finance", 3), ("bank", 2), ("public", 3)])
        funder(f"{'Métropole' if area.startswith('epci') else 'Fonds'} {geo.name[area]} {n_funders[0]}",
               kind, area)

    # --- places, events, initiatives ---------------------------------------------------------
    places_in: dict[str, list[str]] = defaultdict(list)
    for i in range(max(30, N // 100)):
        c = geo.by_pop.draw(rng)
        pid = f"place:p{i:05d}"
        kind = _pick(rng, [("tiers_lieu", 5), ("maison_ess", 1), ("fablab", 2), ("pepiniere", 1),
                           ("coworking", 3), ("ressourcerie", 2), ("lieu_culturel", 2), ("other", 1)])
        node("places.csv", id=pid, name=f"{kind.replace('_', ' ').capitalize()} de {geo.name[c]}", kind=kind,
             functions=_pick(rng, [("lieu", 6), ("lieu|accompagnement", 2), ("lieu|formation", 1)]))
        rel(pid, "LOCATED_IN", c)
        rel(pid, "SERVES", geo.epci_of.get(c) or c)
        places_in[geo.dep_of[c]].append(pid)
    events_in: dict[str, list[str]] = defaultdict(list)
    for i in range(max(50, N // 50)):
        c = geo.by_pop.draw(rng)
        eid = f"event:e{i:06d}"
        kind = _pick(rng, [("atelier", 6), ("journee_etude", 2), ("salon", 1), ("evenement", 2)])
        year = rng.randint(2007, 2025)
        node("events.csv", id=eid, name=f"{kind.replace('_', ' ').capitalize()} ESS {geo.name[c]} {year}",
             date=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", kind=kind)
        rel(eid, "HELD_IN", c)
        dep = geo.dep_of[c]
        if places_in.get(dep) and rng.random() < 0.4:
            rel(eid, "HELD_AT", rng.choice(places_in[dep]))
        org = network_draw.get(("departement", dep)) or network_draw[("region", geo.region_of[c])]
        rel(org.draw(rng), "PARTICIPATED_IN", eid, role="organiser")
        events_in[dep].append(eid)
    initiatives = []
    for i in range(max(20, N // 500)):
        iid = f"initiative:i{i:05d}"
        year = rng.randint(2005, 2025)
        node("initiatives.csv", id=iid, name=f"Programme {rng.choice(THEMES)} {i}",
             kind=_pick(rng, [("programme", 3), ("dispositif", 3), ("projet", 4), ("outil", 1)]),
             theme=rng.choice(model.INITIATIVE_THEMES), year=str(year),
             description="Initiative synthétique du benchmark.")
        area = rng.choice(geo.departements if rng.random() < 0.7 else geo.regions)
        rel(iid, "SERVES", area)
        initiatives.append(iid)

    # --- structures ----------------------------------------------------------------------
    seat_of = []
    in_area: dict[str, list[int]] = defaultdict(list)
    for i in range(N):
        c = geo.by_pop.draw(rng)
        seat_of.append(c)
        for level, area in geo.areas(c).items():
            if area:
                in_area[area].append(i)
    sid = [f"structure:s{i:07d}" for i in range(N)]
    coop_pairs: set = set()
    for i in range(N):
        c = seat_of[i]
        a = geo.areas(c)
        form = _pick(rng, LEGAL)
        founded = min(2025, 1901 + int(124 * rng.betavariate(4, 1.6)))
        row = {"id": sid[i], "name": f"{FORM_WORD[form]} {rng.choice(THEMES)} {geo.name[c]}",
               "legal_form": form, "founded": str(founded)}
        if form != "association" or rng.random() < 0.6:
            row["siren"] = f"{(i * 7919 + 123456789) % 900_000_000 + 100_000_000:09d}"
        if form == "association" and rng.random() < 0.5:
            row["rna"] = f"W{a['departement'].split(':')[1]:0>3}{i % 1_000_000:06d}"
        if rng.random() < 0.6:
            row["employees"] = str(min(5000, int(rng.paretovariate(1.2)) - 1))
        provider = rng.random() < 0.12
        if provider:
            row["functions"] = "|".join(sorted(set(rng.choices(
                model.FUNCTIONS, weights=(4, 5, 1, 3, 1, 2), k=rng.randint(1, 3)))))
            if rng.random() < 0.7:
                row["stages"] = "|".join(s for s in model.STAGES if rng.random() < 0.5) or "creation"
        if rng.random() < 0.3:
            row["website"] = f"https://s{i}.example.org"
        if rng.random() < 0.25:
            row["description"] = f"Structure de l'ESS à {geo.name[c]}, active depuis {founded}."
        if form == "association" and rng.random() < 0.002:
            row["extra_labels"] = "Funder"  # a CIGALES club
        node("structures.csv", **row)
        rel(sid[i], "LOCATED_IN", c)
        if provider:
            level = _pick(rng, [("commune", 0.15), ("epci", 0.5), ("departement", 0.35)])
            rel(sid[i], "SERVES", a[level] or a["departement"])
        for s in set(sector_draw.draw(rng) for _ in range(_count(rng, (0, 0.7, 0.25, 0.05)))):
            rel(sid[i], "ACTIVE_IN", s)
        joined = set()
        for _ in range(_count(rng, (0.25, 0.33, 0.22, 0.12, 0.08))):  # memberships, heavy-tailed
            level = _pick(rng, [("national", 0.3), ("region", 0.2), ("departement", 0.3), ("epci", 0.2)])
            draw = network_draw.get((level, a.get(level))) or network_draw.get(
                ("departement", a["departement"])) or network_draw[("region", a["region"])]
            if level == "national":
                draw = network_draw[("national", None)]
            nid = draw.draw(rng)
            if nid in joined:
                continue
            joined.add(nid)
            rel(sid[i], "MEMBER_OF", nid,
                role=_pick(rng, [("member", 85), ("founder", 5), ("board", 7), ("associate", 3)]),
                since=str(rng.randint(max(founded, 1980), 2025)))
        for _ in range(_count(rng, (0.55, 0.3, 0.1, 0.05))):  # funding, mostly from nearby
            scope = _pick(rng, [("departement", 35), ("region", 30), ("epci", 15), ("national", 20)])
            pool = funders_at.get(a.get(scope) or "") or funders_at.get(
                "national" if scope == "national" else a["departement"])
            rel(sid[i], "FUNDED_BY", rng.choice(pool), year=str(rng.randint(2010, 2025)),
                amount_eur=str(round(rng.lognormvariate(9.5, 1.2), -2)),
                scheme=_pick(rng, [("", 5), ("subvention", 3), ("pret", 1), ("garantie", 1)]))
        if rng.random() < 0.2:
            pool = places_in.get(a["departement"])
            if pool:
                rel(sid[i], "USES", rng.choice(pool), kind=_pick(rng, [("user", 6), ("member", 3),
                                                                       ("resident", 1)]))
        for _ in range(_count(rng, (0.6, 0.3, 0.08, 0.02))):
            pool = events_in.get(a["departement"])
            if pool:
                rel(sid[i], "PARTICIPATED_IN", rng.choice(pool),
                    role=_pick(rng, [("participant", 85), ("speaker", 10), ("organiser", 5)]))
        if rng.random() < 0.02:
            rel(sid[i], "CARRIES", rng.choice(initiatives), role=_pick(rng, [("carrier", 1), ("partner", 3)]))
        # cooperation: mostly local, a few very connected structures
        k = rng.randint(10, 60) if rng.random() < 0.005 else _count(rng, (0.5, 0.25, 0.15, 0.07, 0.03))
        for _ in range(k):
            scope = _pick(rng, [("commune", 55), ("departement", 25), ("region", 12), ("france", 8)])
            pool = in_area[a[scope]] if scope != "france" else None
            if pool is not None and len(pool) < 2:
                pool = in_area[a["departement"]]
            j = rng.choice(pool) if pool else rng.randrange(N)
            pair = (min(i, j), max(i, j))
            if i != j and pair not in coop_pairs:
                coop_pairs.add(pair)
                rel(sid[i], "COOPERATES_WITH", sid[j],
                    kind=rng.choice(model.COOPERATION_KINDS), since=str(rng.randint(2000, 2025)))
    for fid_list in funders_at.values():  # funders and networks carry initiatives too
        for fid in fid_list:
            if rng.random() < 0.2:
                rel(fid, "CARRIES", rng.choice(initiatives), role="funder")

    return _write(out, rows, rels, structures=N, seed=seed)


def _write(out: Path, rows, rels, **meta) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for spec in model.NODE_FILES:
        if spec.filename not in rows:
            continue
        with open(out / spec.filename, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=spec.column_names, lineterminator="\n")
            w.writeheader()
            w.writerows(sorted(rows[spec.filename], key=lambda r: r["id"]))
        counts[spec.filename] = len(rows[spec.filename])
    cols = [c.name for c in model.RELATION_COLUMNS]
    with open(out / model.RELATIONS_FILE, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(cols)
        for src, rtype, dst, props in rels:
            w.writerow([src, rtype, dst, *(props.get(c, "") for c in cols[3:-1]), SOURCE])
    counts[model.RELATIONS_FILE] = len(rels)
    by_type = defaultdict(int)
    for _, rtype, _, _ in rels:
        by_type[rtype] += 1
    manifest = {"generator_version": GENERATOR_VERSION, **meta, "counts": counts,
                "relations_by_type": dict(sorted(by_type.items()))}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def bundle_dir(structures: int, seed: int = 7, base: Path = Path("/tmp/maillage-bench")) -> Path:
    return base / f"bundle-{structures}-s{seed}"


def ensure_bundle(structures: int, seed: int = 7, out: Path | None = None) -> tuple[Path, dict, bool]:
    """The bundle folder (generated unless an identical one exists), its manifest, and
    whether it was generated now."""
    out = out or bundle_dir(structures, seed)
    mf = out / "manifest.json"
    if mf.exists():
        manifest = json.loads(mf.read_text())
        if (manifest.get("generator_version") == GENERATOR_VERSION and manifest.get("structures") == structures
                and manifest.get("seed") == seed):
            return out, manifest, False
    return out, generate(out, structures, seed), True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--structures", type=int, default=10_000, help="number of structures (10000, 100000, 250000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None, help="bundle folder (default /tmp/maillage-bench/bundle-N-sS)")
    args = ap.parse_args(argv)
    out = args.out or bundle_dir(args.structures, args.seed)
    t0 = time.perf_counter()
    manifest = generate(out, args.structures, args.seed)
    print(json.dumps({"measure": "generate", "seconds": round(time.perf_counter() - t0, 2),
                      "path": str(out), **manifest}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

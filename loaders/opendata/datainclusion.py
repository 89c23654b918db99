"""data·inclusion structures (GIP de l'inclusion) -> structures, functions, sectors, networks.

Two versions of the published schema are read, told apart by the header
(:func:`schema_of`). **v1** (the current one: ``source, id, nom, description,
date_maj, siret, commune, code_postal, code_insee, adresse, complement_adresse,
longitude, latitude, telephone, courriel, site_web, horaires_accueil,
accessibilite_lieu, reseaux_porteurs``; ids are ``<source>--<id>``):
``description`` is the description and each ``reseaux_porteurs`` code a
``MEMBER_OF`` network (:func:`network_of_reseau`; public administrations such as
``communes`` or ``caf`` are no network: ``communes``, ``departements``,
``regions`` make the structure a ``collectivite``). **v0**, the older
``structures`` table:
``id, siret, rna, nom, commune, code_postal, code_insee, adresse, longitude,
latitude, typologie, telephone, courriel, site_web, presentation_resume,
presentation_detail, source, date_maj, antenne, lien_source,
horaires_ouverture, accessibilite, labels_nationaux, labels_autres,
thematiques``. Read from CSV (any separator, columns by name) or JSON (a list
of objects, or ``{"items": [...]}``). List cells (``thematiques``,
``labels_nationaux``) may be JSON arrays or text separated by ``|`` ``,`` ``;``.

Each structure gives a row of ``structures.csv``: id
``structure:di-<source>-<id>``, ``name`` = ``nom``, ``legal_form`` from
``typologie`` (:data:`LEGAL_FORM_BY_TYPOLOGIE`; left empty when the
typologie does not say it: an ACI or a GEIQ may be carried by an association
or a company), ``siren`` (from ``siret``), ``rna``,
``website``, ``description`` (``presentation_resume``, else the start of
``presentation_detail``), ``functions`` and ``stages`` from the thématiques
(:func:`support_from_thematiques`: business-creation thématiques are what a
support chain needs), ``ACTIVE_IN`` sectors from the thématiques
(:data:`SECTOR_BY_THEMATIQUE`), ``MEMBER_OF`` the national networks named in
``labels_nationaux`` (:data:`NETWORK_BY_LABEL`, which also adds their rows
to ``networks.csv``), and ``LOCATED_IN`` its commune (``code_insee``, else
``commune_resolver(commune, code_postal)``), and ``lat``/``lon`` from
``latitude``/``longitude`` when they are numbers in range
(:class:`~loaders.opendata.lambert.PointCheck`: refused ones are left empty and
counted in one warning per file). ``telephone``, ``courriel`` and
any ``contact_*`` column are dropped and reported. The schema has no closure
field: ``active_only`` filters nothing here.

Files come as CSV, JSON or ``.xlsx`` (the upload template: its first sheet; its help
row, marked ``__ignore__``, is skipped and said so). Each file is its own source
(``source:datainclusion-<file name>``), so a second file adds its provenance instead
of replacing the first one's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph.errors import InputError
from loaders.opendata.common import (
    CommuneResolver, ImportResult, Member, Progress, TerritoryFilter, clean,
    commune_code, commune_id, current_commune_code, date_in_name, default_commune_resolver,
    drop_personal, id_fragment, members, siren_of, slug, source_row, truncate, website,
)
from loaders.opendata.lambert import PointCheck
from loaders.opendata.sheets import SHEET_SUFFIXES, open_source

DESCRIPTION_LIMIT = 500
REQUIRED = ("id", "nom")
PERSONAL = ("telephone", "courriel", "contact_nom_prenom", "contact_public")

#: typologie (data·inclusion code) -> legal_form; codes absent here leave legal_form empty
LEGAL_FORM_BY_TYPOLOGIE = {
    "ASSO": "association", "ASSO_CHOMEUR": "association", "AI": "association",
    "EI": "entreprise_esus", "ETTI": "entreprise_esus", "EITI": "entreprise_esus",
    "EA": "entreprise_esus", "EATT": "entreprise_esus",
    "CCAS": "collectivite", "CIAS": "collectivite", "MUNI": "collectivite", "CD": "collectivite",
    "CC": "collectivite",
}

#: thématique (or its prefix before ``--``) -> sector id
SECTOR_BY_THEMATIQUE = {
    "creation-activite": "sector:insertion",
    "trouver-un-emploi": "sector:insertion", "choisir-un-metier": "sector:insertion",
    "preparer-sa-candidature": "sector:insertion", "remobilisation": "sector:insertion",
    "accompagnement-social-et-professionnel-personnalise": "sector:insertion",
    "se-former": "sector:education-formation", "apprendre-francais": "sector:education-formation",
    "illettrisme": "sector:education-formation",
    "logement-hebergement": "sector:logement-habitat",
    "mobilite": "sector:mobilite",
    "numerique": "sector:numerique",
    "sante": "sector:sante",
    "famille": "sector:services-aux-personnes", "handicap": "sector:services-aux-personnes",
    "equipement-et-alimentation": "sector:agriculture-alimentation",
    "gestion-financiere": "sector:finance-solidaire",
}

#: labels_nationaux -> (network id, name, support functions of its members)
NETWORK_BY_LABEL = {
    "FRANCE_ACTIVE": ("network:france-active", "France Active", ("financement", "accompagnement")),
    "ADIE": ("network:adie", "Adie", ("financement", "accompagnement")),
    "INITIATIVE_FRANCE": ("network:initiative-france", "Initiative France", ("financement", "accompagnement")),
    "RESEAU_ENTREPRENDRE": ("network:reseau-entreprendre", "Réseau Entreprendre", ("financement", "accompagnement")),
    "BGE": ("network:bge", "BGE", ("accompagnement", "formation")),
    "FRANCE_SERVICE": ("network:france-services", "France services", ("information",)),
    "FRANCE_SERVICES": ("network:france-services", "France services", ("information",)),
    "FABRIQUE_DE_TERRITOIRE": ("network:fabriques-de-territoire", "Fabriques de territoire", ("lieu",)),
    "FRANCE_TIERS_LIEUX": ("network:france-tiers-lieux", "France Tiers-Lieux", ("lieu", "reseau")),
    "COORACE": ("network:coorace", "Coorace", ("accompagnement", "reseau")),
    "EMMAUS": ("network:emmaus", "Emmaüs", ()),
    "SECOURS_POPULAIRE": ("network:secours-populaire", "Secours populaire", ()),
    "RESTOS_DU_COEUR": ("network:restos-du-coeur", "Restos du cœur", ()),
    "CROIX_ROUGE": ("network:croix-rouge", "Croix-Rouge française", ()),
}


#: reseaux_porteurs (schema v1) of the networks above, by their data·inclusion code
_RESEAU_TO_LABEL = {
    "france-active": "FRANCE_ACTIVE", "adie": "ADIE", "initiative-france": "INITIATIVE_FRANCE",
    "reseau-entreprendre": "RESEAU_ENTREPRENDRE", "reseau-bge": "BGE", "france-service": "FRANCE_SERVICE",
    "fabrique-de-territoire": "FABRIQUE_DE_TERRITOIRE", "coorace": "COORACE", "emmaus": "EMMAUS",
    "secours-populaire": "SECOURS_POPULAIRE", "restos-du-coeur": "RESTOS_DU_COEUR", "croix-rouge": "CROIX_ROUGE",
}
#: other reseaux_porteurs that are networks of the ESS or of inclusion (code -> name, functions)
NETWORK_BY_RESEAU = {  # (name, support functions of its members, as in NETWORK_BY_LABEL)
    "chantier-ecole": ("Réseau Chantier École", ()),
    "federation-des-acteurs-de-la-solidarite": ("Fédération des acteurs de la solidarité", ()),
    "fcsf": ("Fédération des centres sociaux et socioculturels de France", ()),
    "geiq": ("GEIQ", ("accompagnement",)), "unea": ("Union nationale des entreprises adaptées", ()),
    "ressourceries": ("Réseau des ressourceries", ()),
    "siae": ("Structures de l'insertion par l'activité économique", ()),
    "mission-locale": ("Missions locales", ("information", "accompagnement")),
    "mjc": ("Maisons des jeunes et de la culture", ()), "unccas": ("Union nationale des CCAS", ("information",)),
    "inae": ("INAÉ Nouvelle-Aquitaine", ()), "banques-alimentaires": ("Banques alimentaires", ()),
    "cresus": ("Fédération des associations Crésus", ("information",)),
    "positive-planet": ("Positive Planet", ("accompagnement",)),
    "reseau-information-jeunesse": ("Réseau Information Jeunesse", ("information",)),
    "maisons-de-l-emploi": ("Maisons de l'emploi", ("information",)),
    "plie": ("Plans locaux pour l'insertion et l'emploi", ("accompagnement",)),
}
#: reseaux_porteurs that are public administrations, not networks a structure is a member of
PUBLIC_BODIES = {"communes", "departements", "regions", "caf", "cpam", "france-travail", "la-poste", "ase",
                 "pjj", "spip", "mutualite-sociale-agricole", "maisons-des-solidarites", "msap", "afpa",
                 "agefiph", "cnam", "epide", "siao"}
PUBLIC_BODIES_LOCAL = {"communes", "departements", "regions", "maisons-des-solidarites"}


def network_of_reseau(code: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(network id, name, functions) of a ``reseaux_porteurs`` code of schema v1, or None for a
    public administration (a commune, the CAF, France Travail: not a network).

    >>> network_of_reseau("france-active")[0], network_of_reseau("chantier-ecole")[0], network_of_reseau("caf")
    ('network:france-active', 'network:chantier-ecole', None)
    """
    if not code or code in PUBLIC_BODIES:
        return None
    if code in _RESEAU_TO_LABEL:
        return NETWORK_BY_LABEL[_RESEAU_TO_LABEL[code]]
    name, functions = NETWORK_BY_RESEAU.get(code, (code.replace("-", " ").capitalize(), ()))
    return f"network:{slug(code, 50)}", name, functions


def support_from_thematiques(thematiques: list[str]) -> tuple[list[str], list[str]]:
    """(functions, stages) a structure offers, read from its thématiques.

    Business-creation thématiques (``creation-activite--…``) give
    ``accompagnement`` and the stages they name (idea -> ``emergence``,
    starting -> ``creation``, growing -> ``developpement``), financing ones
    ``financement``, networking ones ``reseau``; training ones (``se-former``,
    ``apprendre-francais``) give ``formation``; an orientation or access-to-rights
    thématique gives ``information``.

    >>> support_from_thematiques(["creation-activite--financer-son-projet"])
    (['accompagnement', 'financement'], ['creation'])
    """
    functions: list[str] = []
    stages: list[str] = []

    def add(lst, v):
        if v not in lst:
            lst.append(v)

    for t in thematiques:
        t = t.strip().lower()
        if t.startswith("creation-activite"):
            add(functions, "accompagnement")
            sub = t.split("--", 1)[1] if "--" in t else ""
            if "financ" in sub:
                add(functions, "financement")
            if "reseau" in sub:
                add(functions, "reseau")
            if any(w in sub for w in ("idee", "definir", "emergence")):
                add(stages, "emergence")
            if any(w in sub for w in ("demarr", "creer", "structurer", "financ", "lancer")):
                add(stages, "creation")
            if "develop" in sub:
                add(stages, "developpement")
        elif t.startswith(("se-former", "apprendre-francais", "illettrisme")):
            add(functions, "formation")
        elif t.startswith(("acces-aux-droits", "accompagnement-social-et-professionnel")):
            add(functions, "information")
    order = ("information", "accompagnement", "financement", "formation", "lieu", "reseau")
    return sorted(functions, key=order.index), [s for s in ("emergence", "creation", "developpement", "consolidation") if s in stages]


def split_list(value) -> list[str]:
    """A list cell as a list: JSON array, or text separated by ``|`` ``,`` ``;``."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    text = str(value).strip()
    if text.startswith("["):
        try:
            return [str(v).strip() for v in json.loads(text) if str(v).strip()]
        except ValueError:
            text = text.strip("[]")
    return [v.strip().strip("'\"") for v in re.split(r"[|,;]", text) if v.strip().strip("'\"")]


def _rows(member: Member, report):
    """(row number, dict or None, problem) of a CSV or JSON file, and its header."""
    if member.suffix in (".json", ".json.gz"):
        with member.open() as f:
            try:
                data = json.loads(f.read().decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as err:
                raise InputError(f"{member.name} : JSON illisible ({err})") from None
        if isinstance(data, dict):
            data = data.get("items", data.get("data", data.get("structures")))
        if not isinstance(data, list):
            raise InputError(f"{member.name} : liste de structures data·inclusion attendue")
        header = sorted({str(k) for d in data if isinstance(d, dict) for k in d})
        return header, ((i, d if isinstance(d, dict) else None, "objet JSON attendu")
                        for i, d in enumerate(data, start=1))
    src = open_source(member)
    report.warnings.extend(src.warnings)
    return src.header, src.rows()


def is_help_row(row: dict) -> bool:
    """The help row of data·inclusion's upload template: a cell that says ``__ignore__``."""
    return any(isinstance(v, str) and v.strip().lower() == "__ignore__" for v in row.values())


def schema_of(header) -> str:
    """``"v1"`` (``description``, ``reseaux_porteurs``; no thématiques nor labels on a
    structure) or ``"v0"`` (``presentation_resume``, ``thematiques``, ``labels_nationaux``)."""
    h = set(header)
    if "reseaux_porteurs" in h or ("description" in h and not {"presentation_resume", "thematiques",
                                                                 "labels_nationaux", "typologie"} & h):
        return "v1"
    return "v0"


def read_datainclusion(path: Path | str, *, departement=None, region=None, commune=None,
                       active_only: bool = True, progress: Progress | None = None,
                       commune_resolver: CommuneResolver | None = None,
                       source_id: str | None = None) -> ImportResult:
    """Read data·inclusion structures (CSV or JSON) into bundle rows (see the module docstring)."""
    path = Path(path)
    files = [m for m in members(path) if m.suffix in (".csv", ".json", ".json.gz", ".csv.gz", *SHEET_SUFFIXES)]
    if not files:
        raise InputError(f"{path} : aucun fichier de structures data·inclusion (.csv, .json ou .xlsx) trouvé")
    flt = TerritoryFilter(departement, region, commune)
    result = ImportResult()
    report = result.report
    resolver = commune_resolver
    resolver_ready = commune_resolver is not None
    cited = []
    for member in files:
        since = result.snapshot()
        header, rows = _rows(member, report)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(f"{member.name} : colonnes obligatoires absentes : {', '.join(missing)}")
        drop_personal(report, member.name, header, PERSONAL)
        points, schema = PointCheck(), schema_of(header)
        for row_no, row, problem in rows:
            if row is not None and is_help_row(row):
                report.warnings.append(f"{member.name}, ligne {row_no} : ligne d'aide du modèle "
                                       "(« __ignore__ ») : ni lue ni chargée")
                continue
            report.read += 1
            if progress and report.read % 10_000 == 0:
                progress(report.read)
            if row is None:
                report.reject(member.name, row_no, None, problem)
                continue
            if not resolver_ready and not commune_code(str(row.get("code_insee") or "")) and (
                    row.get("commune") or row.get("code_postal")):
                resolver, resolver_ready = default_commune_resolver(), True
                if resolver is None:
                    report.warnings.append("référentiel des communes indisponible : structures sans "
                                           "code_insee laissées sans commune")
            _structure(result, flt, resolver, member, row_no, row, points)
        if points.warning(member.name):
            report.warnings.append(points.warning(member.name))
        # one source per file: a second file does not take over the first one's provenance
        date = date_in_name(path.name + " " + member.name)
        stem = slug(member.basename.split(".", 1)[0], 40) or "structures"
        dated = date and not date_in_name(member.basename)  # a date of the folder's name only
        sid = source_id or f"source:datainclusion-{stem}{'-' + date if dated else ''}"
        result.cite(sid, since)
        cited.append((sid, member, date, schema))
    if progress:
        progress(report.read)
    for sid, member, date, schema in cited:
        source_row(result, sid, title=f"data·inclusion, structures, schéma {schema} ({member.basename})",
                   publisher="GIP de l'inclusion", date=date, path=member.name, licence="Licence Ouverte 2.0")
    result.source_id = cited[0][0] if cited else ""
    return result


def _structure(result, flt, resolver, member, row_no, row, points) -> None:
    report = result.report
    text = {k: clean(v) if not isinstance(v, (list, dict)) else v for k, v in row.items()}
    code = current_commune_code(str(text.get("code_insee") or ""))
    if not code and resolver and (text.get("commune") or text.get("code_postal")):
        code = commune_code(resolver(str(text.get("commune") or ""), str(text.get("code_postal") or "")) or "")
    if flt.active and not (flt(code) if code else flt.postal_ok(str(text.get("code_postal") or ""))):
        result.filtered += 1
        return
    name = str(text.get("nom") or "")
    if not name:
        report.reject(member.name, row_no, "nom", "structure sans nom")
        return
    raw_id = id_fragment(str(text.get("id") or ""))
    if not raw_id:
        report.reject(member.name, row_no, "id", "structure sans identifiant")
        return
    source = slug(str(text.get("source") or ""), 30) if text.get("source") else ""
    if source and str(text.get("id") or "").lower().startswith(f"{source}--"):  # v1: "<source>--<id>"
        source = ""
    node_id = f"structure:di-{source + '-' if source else ''}{raw_id}"
    thematiques = split_list(row.get("thematiques"))
    labels = [label.strip().upper() for label in split_list(row.get("labels_nationaux"))]
    networks = [NETWORK_BY_LABEL[label] for label in labels if label in NETWORK_BY_LABEL]
    reseaux = [r.strip().lower() for r in split_list(row.get("reseaux_porteurs"))]
    networks += [n for r in reseaux if (n := network_of_reseau(r)) is not None]
    functions, stages = support_from_thematiques(thematiques)
    for _, _, net_functions in networks:
        for f in net_functions:
            if f not in functions:
                functions.append(f)
    order = ("information", "accompagnement", "financement", "formation", "lieu", "reseau")
    functions.sort(key=order.index)
    typologie = str(text.get("typologie") or "").upper()
    desc = (str(text.get("description") or "") or str(text.get("presentation_resume") or "")
            or str(text.get("presentation_detail") or ""))
    legal_form = LEGAL_FORM_BY_TYPOLOGIE.get(typologie, "") or (
        "collectivite" if PUBLIC_BODIES_LOCAL & set(reseaux) else "")
    rna = str(text.get("rna") or "").upper()
    ref = f"{member.name}:{row_no}"
    node = result.add_node(
        "structures.csv", ref, id=node_id, name=name, legal_form=legal_form,
        siren=siren_of(str(text.get("siret") or "")), rna=rna if re.fullmatch(r"W[0-9A-Z]{9}", rna) else "",
        functions=functions, stages=stages, website=website(str(text.get("site_web") or "")),
        description=truncate(desc, DESCRIPTION_LIMIT),
    )
    if node is None:
        report.reject(member.name, row_no, "id", f"identifiant {raw_id!r} en double")
        return
    report.loaded += 1
    points.put(node, text.get("latitude"), text.get("longitude"), row_no)
    if code:
        result.add_relation(ref, node_id, "LOCATED_IN", commune_id(code))
    for t in thematiques:
        sector = SECTOR_BY_THEMATIQUE.get(t.split("--", 1)[0].strip().lower())
        if sector:
            result.add_sector(sector, ref)
            result.add_relation(ref, node_id, "ACTIVE_IN", sector)
    for net_id, net_name, net_functions in networks:
        result.add_node("networks.csv", ref, id=net_id, name=net_name, kind="federation",
                        level="national", functions=list(net_functions))
        result.add_relation(ref, node_id, "MEMBER_OF", net_id, role="member")

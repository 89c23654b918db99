"""GoGoCarto / Transiscope exports (JSON or CSV) -> structures or shared places, with sectors.

GoGoCarto (the mapping tool behind Transiscope and many regional ESS maps)
publishes its elements at ``/api/elements.json`` as ``{"licence": …,
"ontology": "gogofull", "data": [element, …]}``; an element has ``id``,
``name``, ``geo.{latitude,longitude}``, ``address.{streetAddress,
addressLocality, postalCode, addressCountry}``, ``categories`` (names),
``categoriesFull`` (``[{id, name, …}]``), ``sourceKey`` (the source of an
aggregated element), ``description``, ``website`` and any custom fields of the
map (often ``email``, ``telephone``…). Each file of a folder is its own source
(``source:gogocarto-<file name>``). Written from the GoGoCartoJs element
documentation and public clients of the API; the CSV export is read with the
same names, flat (``latitude``, ``postalCode``…) or dotted (``geo.latitude``,
``address.postalCode``).

An element becomes a ``SharedPlace`` (``place:gogo-<id>``) when a category
names a kind of place (tiers-lieu, fablab, coworking, pépinière, maison de
l'ESS), else a ``Structure`` (``structure:gogo-<id>``). Categories also give
sectors (:data:`SECTOR_KEYWORDS`) and, for structures, support functions
(:data:`FUNCTION_KEYWORDS`). The commune comes from the postal code and
locality through ``commune_resolver(locality, postal_code)`` (by default the
shipped territorial reference). ``geo.latitude``/``geo.longitude`` (CSV:
``latitude``/``longitude``, or the dotted names) give the node's ``lat``/``lon``
when they are numbers in range (:class:`~loaders.opendata.lambert.PointCheck`);
refused ones are left empty and counted in one warning per file.
Categories given as numbers (the compact export, or a CSV of ids) are named from
the map's taxonomy: the ``taxonomy`` of the export, or a ``taxonomy*.json`` file
(``/api/taxonomy.json``) in the same folder or zip; numbers left unnamed are said
in a warning (they give no sector). Descriptions are kept as text: HTML removed
(:func:`~loaders.opendata.text.plain_text`), phone numbers and e-mail addresses
cut out of them (:func:`~loaders.opendata.text.without_contacts`), the rest kept.
Elements with a negative ``status`` (deleted or refused in GoGoCarto) are
filtered unless ``active_only=False``. Custom fields holding personal data
(``email``, ``telephone``, ``contact``…) are dropped and reported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graph.errors import InputError
from loaders.opendata.common import (
    CommuneResolver, CsvSource, ImportResult, Member, Progress, TerritoryFilter, clean,
    commune_code, commune_id, current_commune_code, date_in_name, default_commune_resolver,
    id_fragment, members, personal_columns, siren_of, slug, source_row, truncate, website,
)
from loaders.opendata.lambert import PointCheck
from loaders.opendata.text import plain_text, without_contacts

DESCRIPTION_LIMIT = 500

#: keyword found in a normalised category name -> sector id (first match per keyword)
SECTOR_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("aliment", "sector:agriculture-alimentation"), ("epicerie", "sector:agriculture-alimentation"),
    ("agricult", "sector:agriculture-alimentation"), ("amap", "sector:agriculture-alimentation"),
    ("maraich", "sector:agriculture-alimentation"), ("circuit court", "sector:agriculture-alimentation"),
    ("restaura", "sector:agriculture-alimentation"),
    ("reemploi", "sector:environnement"), ("recycl", "sector:environnement"),
    ("ressourcerie", "sector:environnement"), ("dechet", "sector:environnement"),
    ("repar", "sector:environnement"), ("energ", "sector:environnement"),
    ("environnement", "sector:environnement"), ("ecolog", "sector:environnement"),
    ("biodiversite", "sector:environnement"),
    ("cultur", "sector:culture"), ("artist", "sector:culture"), ("spectacle", "sector:culture"),
    ("musique", "sector:culture"), ("theatre", "sector:culture"), ("patrimoine", "sector:culture"),
    ("insertion", "sector:insertion"), ("emploi", "sector:insertion"),
    ("habitat", "sector:logement-habitat"), ("logement", "sector:logement-habitat"),
    ("mobilite", "sector:mobilite"), ("velo", "sector:mobilite"), ("transport", "sector:mobilite"),
    ("numerique", "sector:numerique"), ("informatique", "sector:numerique"),
    ("sante", "sector:sante"), ("soin", "sector:sante"),
    ("education", "sector:education-formation"), ("formation", "sector:education-formation"),
    ("finance", "sector:finance-solidaire"), ("monnaie", "sector:finance-solidaire"),
    ("epargne", "sector:finance-solidaire"),
    ("action sociale", "sector:services-aux-personnes"), ("handicap", "sector:services-aux-personnes"),
    ("personnes agees", "sector:services-aux-personnes"), ("petite enfance", "sector:services-aux-personnes"),
    ("sport", "sector:sport-loisirs"), ("loisir", "sector:sport-loisirs"),
    ("tourisme", "sector:tourisme"), ("commerce", "sector:commerce"),
)
#: keyword in a normalised category name -> place kind (the element is then a SharedPlace)
PLACE_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("tiers lieu", "tiers_lieu"), ("tiers-lieu", "tiers_lieu"), ("fablab", "fablab"),
    ("fab lab", "fablab"), ("makerspace", "fablab"), ("coworking", "coworking"),
    ("pepiniere", "pepiniere"), ("maison de l ess", "maison_ess"),
)
#: keyword in a normalised category name -> support function (structures only)
FUNCTION_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("accompagnement", "accompagnement"), ("financement", "financement"),
    ("finance solidaire", "financement"), ("formation", "formation"), ("reseau", "reseau"),
    ("information", "information"),
)


def _norm(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9-]+", " ", text.replace("'", " ")).split())


def _get(el: dict, *paths: str):
    """The first non-empty value among dotted ``paths`` of ``el`` (keys matched case-insensitively;
    a flat key holding the dots, as a CSV header ``geo.latitude``, counts too)."""
    low_el = None
    for p in paths:
        if "." in p:
            if p in el:
                cur = el[p]
            else:
                low_el = low_el if low_el is not None else {str(k).lower(): v for k, v in el.items()}
                cur = low_el.get(p.lower())
            if cur not in (None, "", [], {}):
                return cur
        cur = el
        for part in p.split("."):
            if isinstance(cur, dict):
                if part in cur:
                    cur = cur[part]
                else:
                    low = {str(k).lower(): v for k, v in cur.items()}
                    cur = low.get(part.lower())
            else:
                cur = None
            if cur is None:
                break
        if cur not in (None, "", [], {}):
            return cur
    return None


def _categories(el: dict, taxonomy: dict[str, str] | None = None) -> tuple[list[str], int]:
    """The category names of an element, and how many of its categories were numbers the
    ``taxonomy`` (id -> name) could not name."""
    names: list[str] = []
    full = _get(el, "categoriesFull")
    if isinstance(full, list):
        names += [str(c.get("name") or c.get("id") or "") for c in full if isinstance(c, dict)]
    cats = _get(el, "categories", "taxonomy")
    if isinstance(cats, str):
        cats = [c for c in re.split(r"[|;,]", cats)]
    if isinstance(cats, (int, float)):
        cats = [cats]
    if isinstance(cats, list):
        names += [str(c.get("name") or c.get("id") or "" if isinstance(c, dict) else c) for c in cats]
    out, unnamed = [], 0
    for n in names:
        n = n.strip()
        if n.endswith(".0") and n[:-2].isdigit():
            n = n[:-2]
        if n.isdigit():  # a taxonomy id (the compact export, a CSV of ids): its name, if known
            if not (taxonomy and taxonomy.get(n)):
                unnamed += 1
                continue
            n = taxonomy[n]
        if n and n not in out:
            out.append(n)
    return out, unnamed


def taxonomy_names(data) -> dict[str, str]:
    """``id -> name`` of every category and option of a GoGoCarto taxonomy (``taxonomy.json``,
    or the ``taxonomy`` of an export), however deep they are nested.

    >>> taxonomy_names([{"id": 1, "name": "Catégories", "options": [{"id": 12, "name": "Alimentation",
    ...                  "subcategories": [{"id": 3, "options": [{"id": 31, "name": "AMAP"}]}]}]}])
    {'1': 'Catégories', '12': 'Alimentation', '31': 'AMAP'}
    """
    out: dict[str, str] = {}

    def walk(x) -> None:
        if isinstance(x, dict):
            if x.get("id") not in (None, "") and x.get("name"):
                out.setdefault(str(x["id"]).removesuffix(".0"), str(x["name"]).strip())
            for v in x.values():
                if isinstance(v, (list, dict)):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(data)
    return out


def _is_taxonomy(member: Member) -> bool:
    return "taxonomy" in member.basename.lower() or "taxonomie" in member.basename.lower()


def _read_taxonomies(path: Path, files: list[Member]) -> dict[str, str]:
    """The names of the taxonomy files among ``files`` or beside the file ``path``."""
    found = [m for m in files if _is_taxonomy(m)]
    if path.is_file():
        found += [Member(p) for p in sorted(path.parent.glob("*.json"))
                  if p != path and _is_taxonomy(Member(p))]
    names: dict[str, str] = {}
    for m in found:
        with m.open() as f:
            try:
                names.update(taxonomy_names(json.loads(f.read().decode("utf-8-sig"))))
            except (ValueError, UnicodeDecodeError) as err:
                raise InputError(f"{m.name} : taxonomie GoGoCarto illisible ({err})") from None
    return names


def _match(categories: list[str], table) -> list[str]:
    """Values of ``table`` whose keyword starts a word of a category (``emploi`` is not in ``reemploi``)."""
    found = []
    for cat in categories:
        c = _norm(cat)
        for kw, value in table:
            if value not in found and re.search(r"(?<![a-z0-9])" + re.escape(kw), c):
                found.append(value)
    return found


def _load_elements(member: Member) -> tuple[list[dict], list[str], dict[str, str]]:
    """(elements, their field names, the names of an inline taxonomy) of a JSON or CSV export."""
    if member.suffix in (".json", ".geojson", ".json.gz"):
        with member.open() as f:
            try:
                data = json.loads(f.read().decode("utf-8-sig"))
            except (ValueError, UnicodeDecodeError) as err:
                raise InputError(f"{member.name} : JSON illisible ({err})") from None
        inline = {}
        if isinstance(data, dict):
            inline = taxonomy_names(data.get("taxonomy") or data.get("categories") or [])
            data = data.get("data", data.get("elements"))
        if not isinstance(data, list):
            raise InputError(f"{member.name} : export GoGoCarto attendu ({{\"data\": [éléments]}} ou une liste)")
        elements = [e if isinstance(e, dict) else {} for e in data]
        fields = sorted({str(k) for e in elements for k in e})
        return elements, fields, inline
    src = CsvSource(member)
    rows = []
    for row_no, row, problem in src.rows():
        rows.append(row if row is not None else {"__broken__": problem, "__row__": row_no})
    return rows, src.header, {}


def read_gogocarto(path: Path | str, *, departement=None, region=None, commune=None,
                   active_only: bool = True, progress: Progress | None = None,
                   commune_resolver: CommuneResolver | None = None, id_prefix: str = "gogo",
                   source_id: str | None = None) -> ImportResult:
    """Read a GoGoCarto/Transiscope export into bundle rows (see the module docstring).

    ``commune_resolver(locality, postal_code) -> INSEE code or None`` defaults
    to the shipped territorial reference; ``id_prefix`` tells two maps apart
    (``structure:<id_prefix>-<element id>``).
    """
    path = Path(path)
    found = [m for m in members(path) if m.suffix in (".json", ".geojson", ".json.gz", ".csv")]
    taxonomy = _read_taxonomies(path, found)
    files = [m for m in found if not _is_taxonomy(m)]
    if not files:
        raise InputError(f"{path} : aucun export GoGoCarto (.json ou .csv) trouvé")
    flt = TerritoryFilter(departement, region, commune)
    result = ImportResult()
    report = result.report
    resolver = commune_resolver or default_commune_resolver()
    if resolver is None:
        report.warnings.append("référentiel des communes indisponible : les éléments GoGoCarto "
                               "restent sans commune (pas de lien LOCATED_IN)")
    unresolved = 0
    cited = []
    for member in files:
        since = result.snapshot()
        points, unnamed = PointCheck(), [0, 0, 0]  # elements with unnamed categories, ids, contacts cut
        elements, fields, inline = _load_elements(member)
        names = {**taxonomy, **inline}
        personal = set(personal_columns(fields))
        if personal:
            report.dropped_columns.extend(f"{member.name}:{c}" for c in sorted(personal))
            report.warnings.append(f"{member.name} : champs ignorés (données personnelles) : "
                                   f"{', '.join(sorted(personal))}")
        for i, el in enumerate(elements, start=1):
            report.read += 1
            row_no = int(el.get("__row__", i + (1 if member.suffix == ".csv" else 0)))
            if "__broken__" in el:
                report.reject(member.name, row_no, None, el["__broken__"])
                continue
            for key in personal:
                el.pop(key, None)
            unresolved += _element(result, flt, active_only, resolver, id_prefix, member, row_no, el, points,
                                   names, unnamed)
            if progress and report.read % 10_000 == 0:
                progress(report.read)
        if points.warning(member.name):
            report.warnings.append(points.warning(member.name))
        if unnamed[0]:
            report.warnings.append(
                f"{member.name} : {unnamed[0]} élément(s) dont {unnamed[1]} catégorie(s) ne sont que des numéros "
                "de la taxonomie de la carte, sans nom : pas de secteur ni de type de lieu pour elles (joignez "
                "le fichier taxonomy.json de la carte, /api/taxonomy.json, dans le même dossier)")
        if unnamed[2]:
            report.warnings.append(f"{member.name} : {unnamed[2]} numéro(s) de téléphone ou adresse(s) e-mail "
                                   "retiré(s) des descriptions (le reste du texte est gardé)")
        stem = member.basename.rsplit(".", 1)[0]
        date = date_in_name(member.name)
        sid = source_id or f"source:gogocarto-{slug(stem, 40)}"
        result.cite(sid, since)
        cited.append((sid, member, date))
    if progress:
        progress(report.read)
    if unresolved and resolver is not None:
        report.warnings.append(f"{unresolved} éléments sans commune reconnue (code postal et ville "
                               "introuvables dans le référentiel) : pas de lien LOCATED_IN")
    for sid, member, date in cited:
        source_row(result, sid, title=f"Export GoGoCarto ({member.basename})", publisher="GoGoCarto",
                   date=date, path=member.name, licence="ODbL")
    result.source_id = cited[0][0]
    return result


def _element(result, flt, active_only, resolver, id_prefix, member, row_no, el, points, names, unnamed) -> int:
    """Add one element; return 1 if its commune could not be resolved, else 0."""
    report = result.report
    status = _get(el, "status")
    if active_only and status not in (None, ""):
        try:
            if int(float(status)) < 0:
                result.filtered += 1
                return 0
        except (TypeError, ValueError):
            pass
    postal = re.sub(r"\s", "", str(_get(el, "address.postalCode", "postalCode", "code_postal", "cp") or ""))
    locality = clean(str(_get(el, "address.addressLocality", "addressLocality", "ville", "commune") or ""))
    code = current_commune_code(str(_get(el, "code_insee", "codeInsee", "insee") or ""))
    if not code and resolver and (locality or postal):
        code = commune_code(resolver(locality, postal) or "")
    if flt.active and not (flt(code) if code else flt.postal_ok(postal)):
        result.filtered += 1
        return 0
    name = clean(str(_get(el, "name", "title", "nom") or ""))
    if not name:
        report.reject(member.name, row_no, "name", "élément sans nom")
        return 0
    raw_id = id_fragment(str(_get(el, "id", "_id") or ""))
    if not raw_id:
        report.reject(member.name, row_no, "id", "élément sans identifiant")
        return 0
    categories, ids = _categories(el, names)
    if ids:
        unnamed[0] += 1
        unnamed[1] += ids
    kinds = _match(categories, PLACE_KEYWORDS)
    sectors = _match(categories, SECTOR_KEYWORDS)
    ref = f"{member.name}:{row_no}"
    desc = " ".join(plain_text(str(x)) for x in (_get(el, "description"), _get(el, "descriptionMore")) if x)
    desc, cut = without_contacts(desc)
    unnamed[2] += cut
    common = dict(name=name, website=website(str(_get(el, "website", "site_web", "siteweb", "url") or "")),
                  description=truncate(clean(desc), DESCRIPTION_LIMIT))
    if kinds:
        node = result.add_node("places.csv", ref, id=f"place:{id_prefix}-{raw_id}", kind=kinds[0], **common)
    else:
        node = result.add_node("structures.csv", ref, id=f"structure:{id_prefix}-{raw_id}",
                               siren=siren_of(str(_get(el, "siret", "siren") or "")),
                               functions=_match(categories, FUNCTION_KEYWORDS), **common)
    if node is None:
        report.reject(member.name, row_no, "id", f"identifiant {raw_id!r} en double")
        return 0
    report.loaded += 1
    points.put(node, clean(_get(el, "geo.latitude", "latitude", "lat")),
               clean(_get(el, "geo.longitude", "longitude", "lng", "lon")), row_no)
    if code:
        result.add_relation(ref, node["id"], "LOCATED_IN", commune_id(code))
    if not kinds:
        for sector in sectors:
            result.add_sector(sector, ref)
            result.add_relation(ref, node["id"], "ACTIVE_IN", sector)
    return 0 if code else 1

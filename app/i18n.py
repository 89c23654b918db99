"""The app's words, in French (default) and English.

``t("key", **values)`` returns the string of the current language (chosen in
the sidebar and kept in ``st.session_state["lang"]``); ``vocab(kind, value)``
translates a controlled-vocabulary value (legal form, function, stage, level,
label, relationship type). Pure data plus two lookups: no Streamlit import at
module level, so components can use it in tests.
"""

from __future__ import annotations

LANGS = ("fr", "en")
DEFAULT = "fr"

S: dict[str, tuple[str, str]] = {
    # navigation and shared
    "app.title": ("maillage", "maillage"),
    "app.tagline": ("Les réseaux de coopération de l'économie sociale et solidaire",
                    "The cooperation networks of the social and solidarity economy"),
    "nav.home": ("Accueil", "Home"),
    "nav.structure": ("Structure", "Organisation"),
    "nav.network": ("Réseau", "Network"),
    "nav.territories": ("Territoires", "Territories"),
    "nav.orientation": ("Orientation", "Orientation"),
    "nav.queries": ("Requêtes", "Queries"),
    "nav.data": ("Données", "Data"),
    "lang.label": ("Langue / Language", "Langue / Language"),
    "store.label": ("Base", "Store"),
    "store.error": ("La base est injoignable : {error}", "The store cannot be reached: {error}"),
    "loading.graph": ("Lecture du graphe en mémoire…", "Reading the graph into memory…"),
    "empty.base": ("La base est vide. Chargez les données de démonstration avec `maillage demo`.",
                   "The store is empty. Load the demo data with `maillage demo`."),
    "open.card": ("Ouvrir la fiche", "Open the card"),
    "of": ("{shown} sur {total} {what}", "{shown} of {total} {what}"),
    "download.csv": ("Télécharger (CSV)", "Download (CSV)"),
    "col.name": ("Nom", "Name"),
    "col.kind": ("Type", "Kind"),
    "col.count": ("Nombre", "Count"),
    "col.link": ("Fiche", "Card"),
    "none": ("—", "—"),
    "any": ("(tous)", "(any)"),
    # home
    "home.title": ("Qui coopère avec qui dans l'ESS ?", "Who works with whom in the ESS?"),
    "home.intro": (
        "Une base de données qualifiée des structures, réseaux, financeurs et lieux de "
        "l'économie sociale et solidaire, pour savoir vers qui se tourner et voir le "
        "maillage territorial.",
        "A curated database of the structures, networks, funders and places of the social "
        "and solidarity economy: who to turn to, and how well each territory is covered."),
    "home.search": ("Rechercher une structure, un réseau, un lieu, une commune…",
                    "Search an organisation, a network, a place, a commune…"),
    "home.no_match": ("Aucun résultat pour « {text} ».", "Nothing matches “{text}”."),
    "home.counts": ("Ce que contient la base", "What the base holds"),
    "home.by_dep": ("Par département (siège ou territoire d'intervention)",
                    "By département (seat or area served)"),
    "home.sources": ("Sources", "Sources"),
    "home.networks": ("Réseaux les plus connectés", "Most connected networks"),
    "home.relations": ("Relations", "Relationships"),
    "col.relations": ("Relations", "Relationships"),
    "col.members": ("Membres", "Members"),
    "col.title": ("Titre", "Title"),
    "col.publisher": ("Éditeur", "Publisher"),
    "col.date": ("Date", "Date"),
    "col.nodes": ("Nœuds cités", "Nodes citing it"),
    "col.departement": ("Département", "Département"),
    "col.total": ("Total", "Total"),
    # structure
    "st.pick": ("Choisir une fiche (nom)", "Pick a card (name)"),
    "st.pick_help": ("Tapez une partie du nom puis choisissez.", "Type part of the name, then pick."),
    "st.none": ("Cherchez une structure, un réseau, un financeur ou un lieu.",
                "Search for an organisation, a network, a funder or a place."),
    "st.unknown": ("Aucun nœud d'identifiant {id}.", "No node with id {id}."),
    "st.card": ("Fiche", "Card"),
    "st.relations": ("Relations", "Relationships"),
    "st.ego": ("Réseau autour de {name}", "Network around {name}"),
    "st.depth": ("Profondeur", "Depth"),
    "st.types": ("Types de relations", "Relationship types"),
    "st.scores": ("Position dans le réseau de coopération", "Position in the cooperation network"),
    "st.cluster": ("Groupe", "Cluster"),
    "st.betweenness": ("Intermédiarité", "Betweenness"),
    "st.participation": ("Participation", "Participation"),
    "st.constraint": ("Contrainte (Burt)", "Constraint (Burt)"),
    "st.degree": ("Partenaires", "Partners"),
    "st.isolated": ("Structure isolée : aucun lien de coopération connu.",
                    "Isolated: no known cooperation tie."),
    "kept.at": ("Groupes et passeurs calculés sur toute la base le {at} (en {seconds} s).",
                "Clusters and brokers computed on the whole base on {at} (in {seconds} s)."),
    "kept.stale": ("La base a changé depuis ce calcul : ces résultats décrivent la version précédente. {job}",
                   "The base has changed since: these results describe the previous version. {job}"),
    "kept.running": ("Nouveau calcul en cours (étape {step}/{steps} : {what}).",
                     "A new computation is running (step {step}/{steps}: {what})."),
    "kept.queued": ("Un nouveau calcul va démarrer.", "A new computation is starting."),
    "kept.manual": ("Recalculez avec `maillage analyse refresh`.", "Recompute with `maillage analyse refresh`."),
    "kept.failed": ("Le dernier calcul a échoué ({error}) : relancez `maillage analyse refresh`.",
                    "The last computation failed ({error}): run `maillage analyse refresh`."),
    "kept.filtered": ("Calculé pour ces filtres à partir de la base actuelle.",
                      "Computed for these filters from the current base."),
    "st.written": ("Scores enregistrés dans la base le {at}", "Scores written to the store on {at}"),
    "st.partners": ("Partenaires possibles", "Possible partners"),
    "st.no_partners": ("Pas de suggestion pour l'instant.", "No suggestion yet."),
    "st.not_structure": ("Les scores et suggestions concernent les structures.",
                         "Scores and suggestions apply to structures."),
    "col.reasons": ("Pourquoi", "Why"),
    "col.score": ("Score", "Score"),
    "st.truncated": ("Réseau tronqué : les {center} voisins les plus connectés au plus, {n} nœuds au plus par "
                     "voisin très connecté ; la liste complète est dans les relations ci-dessus.",
                     "Network trimmed: the {center} most connected neighbours at most, {n} nodes at most per "
                     "highly connected neighbour; the full list is in the relations above."),
    "st.prev": ("← Précédents", "← Previous"),
    "st.next": ("Suivants →", "Next →"),
    "prop.labels": ("Type", "Kind"),
    "prop.legal_form": ("Forme juridique", "Legal form"), "prop.kind": ("Type", "Kind"),
    "prop.level": ("Échelon", "Level"), "prop.founded": ("Création", "Founded"),
    "prop.employees": ("Salariés", "Employees"), "prop.date": ("Date", "Date"),
    "prop.year": ("Année", "Year"), "prop.status": ("Statut", "Status"), "prop.theme": ("Thème", "Theme"), "prop.siren": ("SIREN", "SIREN"),
    "prop.rna": ("RNA", "RNA"), "prop.population": ("Population", "Population"),
    "prop.density": ("Densité", "Density"), "prop.code": ("Code INSEE", "INSEE code"),
    "prop.functions": ("Fonctions", "Functions"), "prop.stages": ("Étapes", "Stages"),
    "prop.website": ("Site web", "Website"),
    "prop.sources": ("Sources", "Sources"),
    # network
    "net.title": ("Le réseau de coopération", "The cooperation network"),
    "net.intro": (
        "Deux structures sont liées quand elles coopèrent, ou partagent un réseau, un "
        "événement, un lieu, un financeur ou une initiative. Couleur : groupe ; taille : "
        "intermédiarité.",
        "Two organisations are tied when they cooperate, or share a network, an event, a "
        "place, a funder or an initiative. Colour: cluster; size: betweenness."),
    "net.territory": ("Territoire", "Territory"),
    "net.sector": ("Secteur", "Sector"),
    "net.legal_form": ("Forme juridique", "Legal form"),
    "net.sources": ("Liens pris en compte", "Ties counted"),
    "net.year": ("Le réseau en", "The network in"),
    "net.all_years": ("Toutes les années", "All years"),
    "net.shown": ("{nodes} structures, {edges} liens, {clusters} groupes (modularité {q})",
                  "{nodes} organisations, {edges} ties, {clusters} clusters (modularity {q})"),
    "net.draw_max": ("Structures dessinées (les plus centrales)", "Organisations drawn (the most central)"),
    "net.capped": ("Les {drawn} structures les plus centrales (intermédiarité) sur {total} sont "
                   "dessinées et exportées ; groupes et intermédiaires portent sur toutes.",
                   "The {drawn} most central organisations (betweenness) of {total} are drawn and "
                   "exported; clusters and brokers cover them all."),
    "net.aggregated": ("Trop de structures pour les dessiner une à une : chaque groupe est un nœud.",
                       "Too many organisations to draw one by one: each cluster is one node."),
    "net.view": ("Vue", "View"),
    "net.graph": ("Graphe", "Graph"),
    "net.map": ("Carte", "Map"),
    "net.clusters": ("Groupes", "Clusters"),
    "net.brokers": ("Passeurs (intermédiaires entre groupes)", "Brokers (between clusters)"),
    "net.export": ("Exporter ce qui est affiché", "Export what is shown"),
    "net.empty": ("Aucune structure ne correspond à ces filtres.", "No organisation matches these filters."),
    "net.map_note": ("{placed} structures placées ({approx} au centre de leur territoire "
                     "d'intervention, faute de siège connu) ; {missing} sans territoire.",
                     "{placed} organisations placed ({approx} at the centre of the area they "
                     "serve, their seat being unknown); {missing} without a territory."),
    "col.cluster": ("Groupe", "Cluster"),
    "col.size": ("Taille", "Size"),
    "col.sectors": ("Secteurs", "Sectors"),
    "col.territories": ("Territoires", "Territories"),
    "col.networks": ("Réseaux", "Networks"),
    "col.bridges": ("Passerelles", "Bridges"),
    "src.cooperation": ("coopération déclarée", "declared cooperation"),
    "src.network": ("réseau commun", "shared network"),
    "src.event": ("événement commun", "shared event"),
    "src.place": ("lieu partagé", "shared place"),
    "src.funder": ("financeur commun", "shared funder"),
    "src.initiative": ("initiative commune", "shared initiative"),
    # territories
    "ter.title": ("Couverture territoriale", "Territorial coverage"),
    "ter.intro": (
        "Pour un besoin d'accompagnement, combien d'acteurs interviennent sur chaque "
        "territoire ? Les zones blanches sont les territoires sans aucun acteur.",
        "For a support need, how many providers serve each territory? White zones are "
        "territories that nobody serves."),
    "ter.scope": ("Périmètre", "Scope"),
    "ter.level": ("Maille", "Level"),
    "ter.need": ("Besoin", "Need"),
    "ter.stage": ("Étape du projet", "Project stage"),
    "ter.sector": ("Secteur", "Sector"),
    "ter.metrics_covered": ("Territoires couverts", "Territories covered"),
    "ter.metrics_pop": ("Population couverte", "Population covered"),
    "ter.metrics_white": ("Zones blanches", "White zones"),
    "ter.white": ("Zones blanches, par population", "White zones, by population"),
    "ter.ranking": ("Couverture par territoire", "Coverage by territory"),
    "ter.density": ("Urbain / rural", "Urban / rural"),
    "ter.chain": ("Chaîne d'accompagnement (étapes couvertes)", "Support chain (stages covered)"),
    "ter.overlaps": ("Chevauchements (plusieurs acteurs, même secteur)",
                     "Overlaps (several providers, same sector)"),
    "ter.pick": ("Qui intervient sur…", "Who serves…"),
    "ter.served_by": ("{n} acteur(s) pour « {need} » sur {name}", "{n} provider(s) of “{need}” for {name}"),
    "ter.no_white": ("Aucune zone blanche dans ce périmètre.", "No white zone in this scope."),
    "ter.legend": ("Couleur : nombre d'acteurs (blanc = aucun). Points : sièges des acteurs.",
                   "Colour: number of providers (white = none). Dots: providers' seats."),
    "col.population": ("Population", "Population"),
    "col.providers": ("Acteurs", "Providers"),
    "col.provider_names": ("Qui", "Who"),
    "col.nearest_km": ("Acteur le plus proche (km)", "Nearest provider (km)"),
    "col.density": ("Densité", "Density"),
    "col.territory_rate": ("Territoires couverts", "Territories covered"),
    "col.population_rate": ("Population couverte", "Population covered"),
    "col.median_km": ("Distance médiane (km)", "Median distance (km)"),
    "col.missing": ("Étapes manquantes", "Missing stages"),
    "col.complete": ("Complète", "Complete"),
    "col.sector": ("Secteur", "Sector"),
    # orientation
    "or.title": ("Vers qui se tourner ?", "Who to turn to?"),
    "or.intro": (
        "Pour un porteur de projet : sa commune, son besoin, l'étape de son projet et son "
        "secteur. Les acteurs les plus proches d'abord, avec la raison de chaque choix.",
        "For a project holder: their commune, need, stage and sector. The most local "
        "providers first, each with why it was chosen."),
    "or.commune": ("Commune (nom ou code INSEE)", "Commune (name or INSEE code)"),
    "or.which": ("Laquelle ?", "Which one?"),
    "or.not_found": ("Commune introuvable : « {text} ».", "No commune called “{text}”."),
    "or.found": ("{count} acteur(s) pour « {need} » à {name}", "{count} provider(s) of “{need}” in {name}"),
    "or.none": ("Aucun acteur connu pour ce besoin ici : c'est une zone blanche.",
                "No known provider for this need here: a white zone."),
    "or.initiatives": ("Initiatives qui y répondent", "Initiatives that answer it"),
    "or.more": ("Afficher plus", "Show more"),
    "col.level": ("Échelon", "Level"),
    "col.reason": ("Pourquoi", "Why"),
    "col.distance": ("Distance (km)", "Distance (km)"),
    # queries
    "q.title": ("Requêtes", "Queries"),
    "q.library": ("Bibliothèque", "Library"),
    "q.console": ("Console Cypher (lecture seule)", "Cypher console (read-only)"),
    "q.pick": ("Requête", "Query"),
    "q.run": ("Exécuter", "Run"),
    "q.rows": ("{n} ligne(s)", "{n} row(s)"),
    "q.truncated": ("Résultat tronqué à {n} lignes.", "Result cut at {n} rows."),
    "q.timeout": ("Délai (s)", "Timeout (s)"),
    "q.max_rows": ("Lignes au plus", "Rows at most"),
    "q.text": ("Requête Cypher", "Cypher query"),
    "q.readonly": ("Les écritures sont refusées par le moteur.", "Writes are refused by the engine."),
    "q.graph": ("Graphe du résultat", "Result as a graph"),
    "q.params": ("Paramètres", "Parameters"),
    "q.list_help": ("Valeurs séparées par des virgules", "Comma-separated values"),
    # data
    "d.title": ("Données", "Data"),
    "d.import": ("Importer un bundle", "Import a bundle"),
    "d.upload": ("Fichiers CSV du bundle (structures.csv, relations.csv…) ou un classeur XLSX",
                 "Bundle CSV files (structures.csv, relations.csv…) or one XLSX workbook"),
    "d.report": ("Rapport de validation (rien n'est encore écrit)",
                 "Validation report (nothing written yet)"),
    "d.summary": ("{read} lignes lues, {loaded} valides, {rejected} rejetées",
                  "{read} rows read, {loaded} valid, {rejected} rejected"),
    "d.write": ("Écrire dans la base", "Write to the store"),
    "d.written": ("Écrit : {summary}", "Written: {summary}"),
    "d.quality": ("Qualité des données", "Data quality"),
    "d.no_territory": ("Organisations sans territoire", "Organisations without a territory"),
    "d.isolated": ("Structures isolées (aucun lien de coopération)",
                   "Isolated organisations (no cooperation tie)"),
    "d.duplicates": ("Doublons possibles", "Possible duplicates"),
    "d.count": ("{n} au total", "{n} in all"),
    "net.show_isolated": ("Montrer les structures isolées", "Show isolated organisations"),
    "d.no_duplicates": ("Aucun doublon probable.", "No likely duplicate."),
    "d.merge_hint": ("Pour fusionner deux fiches d'une même organisation : `maillage merge A B` (A est gardée, "
                     "la fusion est annulable avec `maillage merge --undo B`) ; `maillage dedupe --review` "
                     "donne un score à chaque paire.",
                     "To merge two records of one organisation: `maillage merge A B` (A is kept; undo with "
                     "`maillage merge --undo B`); `maillage dedupe --review` scores each pair."),
    "col.file": ("Fichier", "File"),
    "col.row": ("Ligne", "Row"),
    "col.column": ("Colonne", "Column"),
    "col.reason_rej": ("Motif", "Reason"),
    "col.why": ("Indice", "Clue"),
    "dup.name": ("même nom", "same name"),
    "dup.siren": ("même SIREN", "same SIREN"),
    "dup.rna": ("même RNA", "same RNA"),
    "dup.website": ("même site web", "same website"),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "label": {
        "Structure": ("Structure", "Organisation"), "Network": ("Réseau", "Network"),
        "Funder": ("Financeur", "Funder"), "SharedPlace": ("Lieu partagé", "Shared place"),
        "Territory": ("Territoire", "Territory"), "Sector": ("Secteur", "Sector"),
        "Event": ("Événement", "Event"), "Initiative": ("Initiative", "Initiative"),
        "Source": ("Source", "Source"),
    },
    "label_plural": {
        "Structure": ("structures", "organisations"), "Network": ("réseaux", "networks"),
        "Funder": ("financeurs", "funders"), "SharedPlace": ("lieux partagés", "shared places"),
        "Territory": ("territoires", "territories"), "Sector": ("secteurs", "sectors"),
        "Event": ("événements", "events"), "Initiative": ("initiatives", "initiatives"),
        "Source": ("sources", "sources"),
    },
    "function": {
        "information": ("information, orientation", "information, orientation"),
        "accompagnement": ("accompagnement", "support, coaching"),
        "financement": ("financement", "funding"), "formation": ("formation", "training"),
        "lieu": ("lieu", "premises"), "reseau": ("réseau", "networking"),
    },
    "stage": {
        "emergence": ("émergence", "emergence"), "creation": ("création", "creation"),
        "developpement": ("développement", "development"),
        "consolidation": ("consolidation", "consolidation"),
    },
    "level": {
        "commune": ("commune", "commune"), "epci": ("EPCI", "EPCI"),
        "departement": ("département", "département"), "region": ("région", "région"),
        "national": ("national", "national"), "international": ("international", "international"),
    },
    "status": {
        "proposed": ("proposée", "proposed"), "running": ("en cours", "running"), "ended": ("terminée", "ended"),
    },
    "density": {
        "urban": ("urbain", "urban"), "intermediate": ("intermédiaire", "intermediate"),
        "rural": ("rural", "rural"), "all": ("ensemble", "all"),
    },
    "legal_form": {
        "association": ("association", "association"), "scop": ("SCOP", "SCOP"),
        "scic": ("SCIC", "SCIC"), "cae": ("CAE", "CAE"), "cooperative": ("coopérative", "cooperative"),
        "mutuelle": ("mutuelle", "mutual"), "fondation": ("fondation", "foundation"),
        "entreprise_esus": ("entreprise ESUS", "ESUS company"),
        "collectivite": ("collectivité", "local authority"), "other": ("autre", "other"),
    },
    "rel": {
        "MEMBER_OF": ("membre de", "member of"), "COOPERATES_WITH": ("coopère avec", "cooperates with"),
        "FUNDED_BY": ("financé par", "funded by"), "LOCATED_IN": ("siège à", "seated in"),
        "SERVES": ("intervient sur", "serves"), "USES": ("utilise", "uses"),
        "ACTIVE_IN": ("actif dans", "active in"), "PARTICIPATED_IN": ("a participé à", "took part in"),
        "CARRIES": ("porte", "carries"), "HELD_AT": ("tenu à", "held at"),
        "HELD_IN": ("tenu à", "held in"), "PART_OF": ("fait partie de", "part of"),
    },
    "rel_in": {
        "MEMBER_OF": ("membres", "members"), "COOPERATES_WITH": ("coopère avec", "cooperates with"),
        "FUNDED_BY": ("finance", "funds"), "LOCATED_IN": ("siège de", "seat of"),
        "SERVES": ("servi par", "served by"), "USES": ("utilisé par", "used by"),
        "ACTIVE_IN": ("acteurs du secteur", "active organisations"),
        "PARTICIPATED_IN": ("participants", "participants"), "CARRIES": ("portée par", "carried by"),
        "HELD_AT": ("accueille", "hosts"), "HELD_IN": ("accueille", "hosts"),
        "PART_OF": ("contient", "contains"),
    },
}


from app.i18n_report import REPORT as _REPORT, VOCAB as _REPORT_VOCAB  # noqa: E402 - the diagnostic's words

S.update(_REPORT)
VOCAB.update(_REPORT_VOCAB)

from app.i18n_contrib import CONTRIB as _CONTRIB, VOCAB as _CONTRIB_VOCAB  # noqa: E402 - the contributions' words

S.update(_CONTRIB)
VOCAB.update(_CONTRIB_VOCAB)


def current() -> str:
    """The language of this session (``fr`` unless the sidebar says otherwise)."""
    try:
        import streamlit as st

        lang = st.session_state.get("lang", DEFAULT)
    except Exception:  # pragma: no cover - outside a Streamlit run
        lang = DEFAULT
    return lang if lang in LANGS else DEFAULT


def t(key: str, lang: str | None = None, **values) -> str:
    """The string ``key`` in ``lang`` (default: the session's), formatted with ``values``."""
    pair = S.get(key)
    if pair is None:
        return key
    text = pair[LANGS.index(lang or current())]
    return text.format(**values) if values else text


def vocab(kind: str, value, lang: str | None = None) -> str:
    """A vocabulary value in words (``vocab("stage", "creation") == "création"``)."""
    if value is None or value == "":
        return ""
    pair = VOCAB.get(kind, {}).get(str(value))
    return pair[LANGS.index(lang or current())] if pair else str(value)


def number(n, lang: str | None = None) -> str:
    """An integer with thousands separators: ``1 240`` in French, ``1,240`` in English."""
    text = f"{int(n):,}"
    return text.replace(",", "\u202f") if (lang or current()) == "fr" else text

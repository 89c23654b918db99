"""The words of the diagnostic territorial (``maillage report``, the Territoires page's
"Diagnostic"), French and English: merged into :data:`app.i18n.S` and
:data:`app.i18n.VOCAB`, read with ``t("rep.…")`` like every other label."""

from __future__ import annotations

REPORT: dict[str, tuple[str, str]] = {
    "rep.button": ("Diagnostic", "Diagnostic"),
    "rep.of": ("Diagnostic de", "Diagnostic of"),
    "rep.button_help": ("Le diagnostic territorial de l'ESS de ce territoire, à lire ou à télécharger",
                        "This territory's diagnostic of the social and solidarity economy, to read or download"),
    "rep.download_html": ("Télécharger (HTML)", "Download (HTML)"),
    "rep.download_pdf": ("Télécharger (PDF)", "Download (PDF)"),
    "rep.no_pdf": ("PDF indisponible : {error}", "PDF unavailable: {error}"),
    "rep.computing": ("Calcul du diagnostic…", "Computing the diagnostic…"),
    "rep.title": ("Diagnostic territorial de l'ESS", "Territorial diagnostic of the social and solidarity economy"),
    "rep.subtitle": ("{name} ({level} {code})", "{name} ({level} {code})"),
    "rep.generated": ("Établi le {date} à partir de la base maillage (version {version}, modifiée le {changed}).",
                      "Made on {date} from the maillage base (version {version}, changed on {changed})."),
    "rep.needs": ("Besoins examinés : {needs}.", "Needs looked at: {needs}."),
    "rep.toc": ("Sommaire", "Contents"),
    "rep.source_note": ("Ce que compte cette partie, et d'où viennent les chiffres", "What this part counts, and where the figures come from"),
    # 1
    "rep.s1": ("1. Le territoire en chiffres", "1. The territory in figures"),
    "rep.s1.note": (
        "Population et densité : référentiel territorial livré avec maillage ({reference}). Acteurs : les "
        "structures, réseaux, financeurs et lieux partagés dont le siège est sur le territoire ou qui y "
        "interviennent, ou dans une commune ou un EPCI qu'il contient (une structure qui est aussi financeur "
        "compte dans les deux). Comparaison : les mêmes comptes pour {others}, pour 10 000 habitants. "
        "Sources : les fiches des acteurs (section 7).",
        "Population and density: the territorial reference shipped with maillage ({reference}). Actors: "
        "the organisations, networks, funders and shared places seated in the territory or serving it, or a "
        "commune or EPCI inside it (an organisation that is also a funder counts in both). Comparison: the "
        "same counts for {others}, per 10,000 inhabitants. Sources: the actors' records (part 7)."),
    "rep.population": ("Population", "Population"),
    "rep.density": ("Densité", "Density"),
    "rep.part_of": ("Fait partie de", "Part of"),
    "rep.parts": ("Contient", "Contains"),
    "rep.parts_text": ("{communes} commune(s), {epci} EPCI", "{communes} commune(s), {epci} EPCI"),
    "rep.actors": ("Acteurs de l'ESS connus", "Known ESS actors"),
    "rep.by_density": ("Communes par densité", "Communes by density"),
    "rep.largest": ("Communes les plus peuplées", "Most populated communes"),
    "rep.kinds": ("Acteurs par type", "Actors by kind"),
    "rep.legal_forms": ("Structures par forme juridique (part des structures)", "Organisations by legal form (share)"),
    "rep.sectors": ("Acteurs par secteur", "Actors by sector"),
    "rep.unknown_form": ("non renseignée", "not stated"),
    "rep.col.count": ("nombre", "count"),
    "rep.col.per10k": ("pour 10 000 hab.", "per 10,000 inh."),
    "rep.col.share": ("part", "share"),
    "rep.col.communes": ("Communes", "Communes"),
    "rep.col.commune": ("Commune", "Commune"),
    "rep.col.population": ("Population", "Population"),
    "rep.col.density": ("Densité", "Density"),
    "rep.col.function": ("Fonction", "Function"),
    "rep.col.name": ("Nom", "Name"),
    # 2
    "rep.s2": ("2. La chaîne d'accompagnement", "2. The support chain"),
    "rep.s2.note": (
        "Pour chaque fonction et chaque étape d'un projet : les acteurs qui interviennent sur tout le "
        "territoire, directement ou par un territoire qui le contient (une étape compte quand l'acteur la "
        "déclare ; ceux qui ne déclarent aucune étape sont comptés à part, « + n »), ceux présents seulement "
        "dans une partie du territoire, et l'acteur le plus proche : distance du centre du territoire au "
        "siège le plus proche d'un acteur de la fonction, en France. Sources : les fiches des acteurs "
        "(fonctions, étapes, sièges, territoires d'intervention).",
        "For each function and each stage of a project: the providers serving the whole territory, "
        "directly or through a territory containing it (a stage counts when the provider states it; those "
        "stating no stage are counted apart, “+ n”), those present in a part of the territory only, and the "
        "nearest provider: distance from the territory's centre to the nearest seat of a provider of the "
        "function, in France. Sources: the providers' records (functions, stages, seats, areas served)."),
    "rep.chart_chain": ("Acteurs qui interviennent sur tout le territoire, par fonction et par étape",
                        "Providers serving the whole territory, by function and stage"),
    "rep.unspecified": ("étapes non précisées", "stages not stated"),
    "rep.col.serving": ("Acteurs (tout le territoire)", "Providers (whole territory)"),
    "rep.col.inside": ("Dans une partie", "In a part"),
    "rep.col.nearest": ("Le plus proche", "Nearest"),
    "rep.nearest": ("{name}, {km} km", "{name}, {km} km"),
    "rep.gaps": ("Les manques de la chaîne", "Gaps in the chain"),
    "rep.gap.absent": ("{need} : aucun acteur n'intervient sur tout le territoire", "{need}: no provider serves the whole territory"),
    "rep.gap.stage": ("{need} : personne ne déclare intervenir à l'étape : {stage}", "{need}: nobody states working at the stage(s): {stage}"),
    "rep.gap.unspecified": (" ({n} acteur(s) aux étapes non précisées : à vérifier)", " ({n} provider(s) with stages not stated: to check)"),
    "rep.gap.inside": (" ; {n} acteur(s) dans une partie du territoire", "; {n} provider(s) in a part of the territory"),
    "rep.no_gap": ("Aucun manque : chaque étape de chaque fonction a au moins un acteur.",
                   "No gap: every stage of every function has a provider."),
    # 3
    "rep.s3": ("3. Les zones blanches", "3. White zones"),
    "rep.s3.note": (
        "Une commune est en zone blanche pour une fonction quand aucun acteur de cette fonction n'intervient "
        "sur elle ni sur un territoire qui la contient. Carte : contours simplifiés du référentiel "
        "territorial, sans fond de carte ; couleur : nombre de fonctions manquantes ; cercles : communes sans "
        "couverture, selon leur population. Sources : les fiches des acteurs et le référentiel territorial.",
        "A commune is a white zone for a function when no provider of it serves the commune or a territory "
        "containing it. Map: the territorial reference's simplified outlines, no basemap; colour: how many "
        "functions are missing; circles: uncovered communes, sized by population. Sources: the providers' "
        "records and the territorial reference."),
    "rep.s3.context": ("La carte montre {scope}, dont {name} fait partie (les autres communes en clair).",
                       "The map shows {scope}, of which {name} is part (the other communes lighter)."),
    "rep.legend.none": ("tout est couvert", "all covered"),
    "rep.legend.n": ("{n} fonction(s) manquante(s)", "{n} function(s) missing"),
    "rep.legend.circle": ("○ les 30 communes sans couverture les plus peuplées (taille : population)",
                          "○ the 30 most populated uncovered communes (size: population)"),
    "rep.map_title": ("{name} — {population} hab. — manque : {missing}", "{name} — {population} inh. — missing: {missing}"),
    "rep.col.uncovered": ("Communes sans acteur", "Communes without a provider"),
    "rep.col.uncovered_pop": ("Population concernée", "Population concerned"),
    "rep.col.uncovered_share": ("Part de la population", "Share of the population"),
    "rep.col.missing": ("Fonctions manquantes", "Missing functions"),
    "rep.col.nearest_km": ("Acteur le plus proche", "Nearest provider"),
    "rep.white_table": ("Communes en zone blanche, les plus peuplées d'abord", "White-zone communes, most populated first"),
    "rep.no_white": ("Aucune zone blanche : chaque commune a au moins un acteur pour chaque fonction.",
                     "No white zone: every commune has a provider of every function."),
    "rep.more": ("… et {n} autre(s)", "… and {n} more"),
    # 4
    "rep.s4": ("4. Chevauchements : pistes de mutualisation", "4. Overlaps: candidates for pooling"),
    "rep.s4.note": (
        "Plusieurs acteurs d'une même fonction et d'un même secteur interviennent sur un même territoire : "
        "des complémentarités ou des concurrences à examiner. Les acteurs sans secteur déclaré forment le "
        "groupe « tous secteurs ». Sources : les fiches des acteurs.",
        "Several providers of one function in one sector serve the same territory: complementarities or "
        "competition to look at. Providers with no sector form the “all sectors” group. Sources: the "
        "providers' records."),
    "rep.s4.below": ("Sont examinés le territoire et, un échelon plus bas, ceux de ses {below} où les acteurs "
                     "sont plus nombreux que sur tout le territoire.",
                     "Looked at: the territory and, one level down, those of its {below} where there are more "
                     "providers than on the whole territory."),
    "rep.all_sectors": ("tous secteurs", "all sectors"),
    "rep.col.territory": ("Territoire", "Territory"),
    "rep.col.sector": ("Secteur", "Sector"),
    "rep.col.providers": ("Acteurs", "Providers"),
    "rep.col.who": ("Qui", "Who"),
    "rep.no_overlap": ("Aucun chevauchement.", "No overlap."),
    # 5
    "rep.s5": ("5. Coopérations", "5. Cooperation"),
    "rep.s5.note": (
        "Groupes et passeurs : analyse de toute la base (coopérations déclarées, réseaux, événements, lieux, "
        "financeurs et initiatives partagés ; groupes de Louvain, intermédiarité), gardée avec la version de "
        "la base sur laquelle elle a été calculée. Réseaux présents : installés ou intervenant ici, par un "
        "territoire qui contient celui-ci, ou dont un acteur installé ici est membre ; réseaux absents : "
        "présents chez les voisins, pas ici. Sources : les fiches des acteurs et des réseaux.",
        "Clusters and brokers: an analysis of the whole base (declared cooperation, shared networks, events, "
        "places, funders and initiatives; Louvain clusters, betweenness), kept with the version of the base "
        "it was computed on. Networks present: seated or working here, through a territory containing this "
        "one, or with a member seated here; networks absent: present in the neighbouring territories, not "
        "here. Sources: the records of the actors and networks."),
    "rep.kept.current": ("Groupes et passeurs calculés le {at} sur la version courante de la base.",
                         "Clusters and brokers computed on {at} on the current version of the base."),
    "rep.kept.stale": ("Attention : groupes et passeurs calculés le {at} sur une version antérieure de la base ; "
                       "la base a changé depuis. Relancez `maillage analyse refresh`.",
                       "Beware: clusters and brokers computed on {at} on an earlier version of the base, which has "
                       "changed since. Run `maillage analyse refresh`."),
    "rep.kept.missing": ("Groupes et passeurs pas encore calculés pour cette base : lancez `maillage analyse refresh`.",
                         "Clusters and brokers not computed yet for this base: run `maillage analyse refresh`."),
    "rep.clusters": ("Groupes de coopération présents", "Cooperation clusters present"),
    "rep.col.cluster": ("Groupe", "Cluster"),
    "rep.col.here": ("Structures d'ici", "Organisations here"),
    "rep.col.size": ("Taille", "Size"),
    "rep.col.sectors": ("Secteurs", "Sectors"),
    "rep.col.territories": ("Territoires", "Territories"),
    "rep.col.networks": ("Réseaux", "Networks"),
    "rep.brokers": ("Passeurs : structures qui relient des groupes", "Brokers: organisations linking clusters"),
    "rep.col.betweenness": ("Intermédiarité", "Betweenness"),
    "rep.col.participation": ("Participation", "Participation"),
    "rep.col.partners": ("Partenaires", "Partners"),
    "rep.isolated": ("Structures isolées : aucun lien de coopération connu ({n})",
                     "Isolated organisations: no known cooperation tie ({n})"),
    "rep.not_in_result": ("{n} structure(s) arrivée(s) après le calcul : absente(s) des groupes.",
                          "{n} organisation(s) added after the computation: not in the clusters."),
    "rep.no_structures": ("Aucune structure connue sur le territoire.", "No known organisation in the territory."),
    "rep.picture": ("Les coopérations entre les structures du territoire", "Cooperation between the territory's organisations"),
    "rep.picture_note": ("Les {n} structures les plus centrales ayant des liens ; couleur : groupe ; taille : "
                         "intermédiarité ; trait : force du lien.",
                         "The {n} most central organisations with ties; colour: cluster; size: betweenness; "
                         "line: strength of the tie."),
    "rep.networks": ("Réseaux présents", "Networks present"),
    "rep.how.attached": ("sur le territoire", "in the territory"),
    "rep.how.above": ("par un territoire qui le contient", "through a containing territory"),
    "rep.how.members": ("{n} membre(s) installé(s) ici", "{n} member(s) seated here"),
    "rep.col.how": ("Présence", "Presence"),
    "rep.absent": ("Réseaux présents chez les voisins et absents ici", "Networks present next door and absent here"),
    "rep.absent_note": ("Voisins : les autres {level} de {parent}.", "Neighbours: the other {level} of {parent}."),
    "rep.col.present_in": ("Présent dans", "Present in"),
    "rep.no_absent": ("Aucun : les réseaux des voisins sont aussi présents ici.",
                      "None: the neighbours' networks are present here too."),
    "rep.no_neighbours": ("Pas de comparaison avec des voisins à l'échelle d'une région.",
                          "No comparison with neighbours for a région."),
    "rep.no_networks": ("Aucun réseau connu ici.", "No known network here."),
    # 6
    "rep.s6": ("6. Lieux partagés et initiatives", "6. Shared places and initiatives"),
    "rep.s6.note": (
        "Lieux partagés installés ou intervenant sur le territoire ; initiatives qui y interviennent ou qu'un "
        "acteur du territoire porte ; essaimage : des initiatives portées ailleurs qui répondent à un manque "
        "trouvé ici (section 2 ou 3), par leur thème ou leur description, ou parce qu'un acteur de la "
        "fonction les porte ; les plus proches d'abord. Sources : les fiches des lieux et des initiatives.",
        "Shared places seated or working in the territory; initiatives working here or carried by an actor "
        "of the territory; spreading: initiatives carried elsewhere that answer a gap found here (part 2 or "
        "3), by their theme or description, or because a provider of the function carries them; nearest "
        "first. Sources: the records of places and initiatives."),
    "rep.places": ("Lieux partagés", "Shared places"),
    "rep.col.kind": ("Type", "Kind"),
    "rep.col.where": ("Où", "Where"),
    "rep.col.functions": ("Fonctions", "Functions"),
    "rep.col.users": ("Utilisateurs", "Users"),
    "rep.no_places": ("Aucun lieu partagé connu sur le territoire.", "No known shared place in the territory."),
    "rep.initiatives": ("Initiatives portées ici", "Initiatives carried here"),
    "rep.col.initiative": ("Initiative", "Initiative"),
    "rep.col.theme": ("Thème", "Theme"),
    "rep.col.carriers": ("Portée par", "Carried by"),
    "rep.col.areas": ("Intervient sur", "Works in"),
    "rep.no_initiatives": ("Aucune initiative connue ici.", "No known initiative here."),
    "rep.essaimage": ("Essaimage : des initiatives d'ailleurs pour les manques d'ici",
                      "Spreading: initiatives from elsewhere for the gaps here"),
    "rep.col.gap": ("Manque", "Gap"),
    "rep.col.distance": ("Distance", "Distance"),
    "rep.no_essaimage": ("Aucune initiative d'ailleurs ne répond aux manques trouvés.",
                         "No initiative from elsewhere answers the gaps found."),
    # 7
    "rep.s7": ("7. Sources, date et limites", "7. Sources, date and limits"),
    "rep.sources": ("Sources citées par les fiches de ce diagnostic", "Sources cited by the records in this diagnostic"),
    "rep.col.title": ("Titre", "Title"),
    "rep.col.publisher": ("Éditeur", "Publisher"),
    "rep.col.date": ("Date", "Date"),
    "rep.col.cited": ("Fiches", "Records"),
    "rep.no_sources": ("Aucune source citée.", "No source cited."),
    "rep.reference": ("Référentiel territorial : {sources} (codes INSEE, population, contours ; voir "
                      "loaders/data/territories/ATTRIBUTION.md).",
                      "Territorial reference: {sources} (INSEE codes, population, outlines; see "
                      "loaders/data/territories/ATTRIBUTION.md)."),
    "rep.dates": ("Base : version {version}, modifiée le {changed}. Comptes de la France : {france}.",
                  "Base: version {version}, changed on {changed}. Counts of France: {france}."),
    "rep.france.kept": ("gardés avec la version courante", "kept with the current version"),
    "rep.france.live": ("comptés à la demande", "counted on demand"),
    "rep.limits": ("Ce que la base ne sait pas", "What the base does not know"),
    "rep.lim.empty": ("Aucun acteur connu pour : {needs}.", "No known provider of: {needs}."),
    "rep.lim.inside_only": ("Présents seulement dans une partie du territoire : {needs}.",
                            "Present in a part of the territory only: {needs}."),
    "rep.lim.stages": ("Étapes que personne ne déclare : {items}.", "Stages nobody states: {items}."),
    "rep.lim.communes": ("{n} commune(s) sur {total} sans aucune organisation connue ({population} habitants), "
                         "dont {names}.",
                         "{n} commune(s) of {total} without any known organisation ({population} inhabitants), "
                         "among them {names}."),
    "rep.lim.records": ("Sur {structures} structure(s) : {functions} sans fonction d'accompagnement déclarée, "
                        "{forms} sans forme juridique ; {sectors} acteur(s) sur {actors} sans secteur.",
                        "Of {structures} organisation(s): {functions} without a support function stated, "
                        "{forms} without a legal form; {sectors} actor(s) of {actors} without a sector."),
    "rep.footer": ("Diagnostic produit par maillage : chaque chiffre est calculé à partir de la base au moment "
                   "de la demande.",
                   "Diagnostic made by maillage: every figure is computed from the base when asked."),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "place_kind": {
        "tiers_lieu": ("tiers-lieu", "third place"), "maison_ess": ("maison de l'ESS", "ESS house"),
        "fablab": ("fablab", "fablab"), "pepiniere": ("pépinière", "incubator premises"),
        "coworking": ("coworking", "coworking"), "ressourcerie": ("ressourcerie", "reuse centre"),
        "lieu_culturel": ("lieu culturel", "cultural venue"), "other": ("autre", "other"),
    },
    "theme": {
        "entreprendre": ("entreprendre", "enterprise"), "cooperer": ("coopérer", "cooperation"),
        "innover": ("innover", "innovation"),
    },
    "level_plural": {
        "commune": ("communes", "communes"), "epci": ("EPCI", "EPCI"),
        "departement": ("départements", "départements"), "region": ("régions", "régions"),
    },
}

"""The words of contributions (sign-in box, Contribuer page, a node's proposals and history),
French and English: merged into :data:`app.i18n.S` and :data:`app.i18n.VOCAB`, read with
``t("c.…")`` like every other label."""

from __future__ import annotations

CONTRIB: dict[str, tuple[str, str]] = {
    "nav.contribute": ("Contribuer", "Contribute"),
    # sign-in box
    "c.sign_in": ("Connexion des contributeurs", "Contributors' sign-in"),
    "c.login": ("Identifiant", "Login"),
    "c.password": ("Mot de passe", "Password"),
    "c.sign_in_button": ("Se connecter", "Sign in"),
    "c.sign_out": ("Se déconnecter", "Sign out"),
    "c.signed_in": ("connecté : {login} ({organisation}, {role})", "signed in: {login} ({organisation}, {role})"),
    # page
    "c.title": ("Contribuer", "Contribute"),
    "c.intro": ("Proposez une structure, une relation, une correction ou une suppression, avec sa source ; "
                "un éditeur la valide avant qu'elle n'entre dans la base.",
                "Propose an organisation, a relationship, a correction or a removal, with its source; "
                "an editor reviews it before it enters the base."),
    "c.read_only": ("La base est en lecture seule : aucun compte n'est configuré. Pour ouvrir les contributions, "
                    "créez des comptes en ligne de commande, par exemple "
                    "`maillage users add LOGIN --organisation ORG --role editor` (rôles : reader, contributor, "
                    "editor).",
                    "The base is read-only: no account is configured. To open contributions, create accounts "
                    "from the command line, e.g. `maillage users add LOGIN --organisation ORG --role editor` "
                    "(roles: reader, contributor, editor)."),
    "c.please_sign_in": ("Connectez-vous (barre latérale) pour proposer des modifications.",
                         "Sign in (sidebar) to propose changes."),
    "c.reader": ("Votre compte a le rôle lecteur : il ne propose pas de modification. "
                 "Demandez le rôle contributeur à un éditeur.",
                 "Your account has the reader role: it cannot propose changes. Ask an editor for the "
                 "contributor role."),
    "c.tab_node": ("Nouvelle fiche", "New entry"),
    "c.tab_relation": ("Nouvelle relation", "New relationship"),
    "c.tab_fix": ("Correction", "Correction"),
    "c.tab_remove": ("Suppression", "Removal"),
    "c.tab_mine": ("Mes propositions", "My proposals"),
    "c.tab_queue": ("À valider", "To review"),
    "c.queue_count": ("{n} proposition(s) en attente, la plus ancienne d'abord.",
                      "{n} proposal(s) waiting, oldest first."),
    "c.tab_accepted": ("Acceptées", "Accepted"),
    # forms
    "c.label": ("Type de fiche", "Kind of node"),
    "c.seat": ("Commune du siège", "Seat commune"),
    "c.seat_help": ("Nom ou code INSEE de la commune (Nantes, 44109, Saint-Denis (974)…) ; vide : sans siège",
                    "Name or INSEE code of the commune (Nantes, 44109, Saint-Denis (974)…); empty: no seat"),
    "c.seat_found": ("Siège : {name} ({code})", "Seat: {name} ({code})"),
    "c.seat_unknown": ("Commune introuvable : « {text} ».", "Commune not found: “{text}”."),
    "c.seat_which": ("Quelle commune ?", "Which commune?"),
    "c.propose_node": ("Proposer cette fiche", "Propose this entry"),
    "c.find": ("Rechercher une fiche par son nom", "Search a node by name"),
    "c.from": ("Depuis la fiche", "From the node"),
    "c.other": ("Autre extrémité : rechercher par nom", "Other end: search by name"),
    "c.rel_type": ("Relation", "Relationship"),
    "c.no_relation_type": ("Aucune relation ne se propose depuis ce type de fiche.",
                           "No relationship can be proposed from this kind of node."),
    "c.propose_relation": ("Proposer cette relation", "Propose this relationship"),
    "c.choose": ("Choisir", "Choose"),
    "c.property": ("Propriété", "Property"),
    "c.current": ("Valeur actuelle : {value}", "Current value: {value}"),
    "c.new_value": ("Nouvelle valeur (vide : effacer)", "New value (empty: clear)"),
    "c.propose_fix": ("Proposer la correction", "Propose the correction"),
    "c.remove_what": ("Supprimer", "Remove"),
    "c.remove_node": ("cette fiche (et ses relations)", "this node (and its relationships)"),
    "c.remove_relation": ("une de ses relations", "one of its relationships"),
    "c.which_relation": ("Quelle relation ?", "Which relationship?"),
    "q.console_editors": ("Sur ce serveur Neo4j, les comptes et les contributions sont dans la même base que "
                          "le graphe : la console Cypher est réservée aux éditeurs connectés. Les requêtes "
                          "de la bibliothèque restent ouvertes à tous.",
                          "On this Neo4j server, accounts and contributions share the graph's database: the "
                          "Cypher console is for signed-in editors. The library's queries stay open to all."),
    "c.refresh_failed": ("Écrit, mais le recalcul des analyses n'a pas pu démarrer ({error}) : lancez "
                         "`maillage analyse refresh`.",
                         "Written, but the analyses' refresh could not start ({error}): run "
                         "`maillage analyse refresh`."),
    "c.relations_cut": ("Les {shown} premières relations sur {n} (les autres : `maillage propose removal "
                        "SOURCE TYPE CIBLE --key CLÉ`).",
                        "The first {shown} relationships of {n} (the others: `maillage propose removal "
                        "SOURCE TYPE TARGET --key KEY`)."),
    "c.no_relations": ("Cette fiche n'a aucune relation.", "This node has no relationship."),
    "c.propose_removal": ("Proposer la suppression", "Propose the removal"),
    "c.source_kind": ("Source", "Source"),
    "c.source_text": ("Document, adresse (URL) ou précision", "Document, address (URL) or detail"),
    "c.source_help": ("Titre du document, URL (http…), ou vide pour « connaissance directe de votre organisation »",
                      "Title of the document, URL (http…), or empty for “direct knowledge of your organisation”"),
    "c.comment": ("Commentaire pour l'éditeur (facultatif)", "Comment for the editor (optional)"),
    "c.proposed": ("Proposition n° {number} enregistrée : elle attend la validation d'un éditeur.",
                   "Proposal no. {number} recorded: it waits for an editor's review."),
    "c.modify": ("Proposer une modification", "Propose a change"),
    # proposals, queue, history
    "c.mine_none": ("Vous n'avez encore rien proposé.", "You have not proposed anything yet."),
    "c.queue_none": ("Aucune proposition en attente.", "No proposal waiting."),
    "c.accepted_none": ("Aucune contribution acceptée.", "No accepted contribution."),
    "c.item": ("n° {number} · {kind} · {what}", "no. {number} · {kind} · {what}"),
    "c.proposed_at": ("Proposée le {at}", "Proposed on {at}"),
    "c.reviewed_at": ("Acceptée le {at}", "Accepted on {at}"),
    "c.source_is": ("**Source** : {source}", "**Source**: {source}"),
    "c.comment_is": ("**Commentaire** : {comment}", "**Comment**: {comment}"),
    "c.amend": ("Amender (modifier les valeurs proposées)", "Amend (edit the proposed values)"),
    "c.reason": ("Raison (obligatoire pour un refus)", "Reason (required to reject)"),
    "c.accept": ("Accepter", "Accept"),
    "c.reject": ("Refuser", "Reject"),
    "c.accepted": ("Contribution n° {number} acceptée et écrite dans la base.",
                   "Contribution no. {number} accepted and written to the base."),
    "c.rejected": ("Contribution n° {number} refusée.", "Contribution no. {number} rejected."),
    "c.revert": ("Annuler cette contribution", "Revert this contribution"),
    "c.revert_reason": ("Raison de l'annulation", "Reason for the revert"),
    "c.reverted": ("Contribution n° {number} annulée.", "Contribution no. {number} reverted."),
    "c.history": ("Historique des contributions", "Contributions history"),
    "c.history_none": ("Aucune contribution acceptée pour cette fiche.", "No accepted contribution for this node."),
    "c.seat_prop": ("siège", "seat"),
    "c.removal_of": ("suppression de {name}", "removal of {name}"),
    "col.number": ("N°", "No."),
    "col.contrib_kind": ("Type", "Kind"),
    "col.what": ("Ce qui change", "What changes"),
    "col.property": ("Propriété", "Property"),
    "col.before": ("Avant", "Before"),
    "col.after": ("Après", "After"),
    "col.source": ("Source", "Source"),
    "col.status": ("Statut", "Status"),
    "col.editor_reason": ("Raison de l'éditeur", "Editor's reason"),
    "col.proposer_org": ("Proposée par", "Proposed by"),
    "col.reviewer_org": ("Validée par", "Reviewed by"),
    # the Données page
    "d.disabled_roles": ("Import réservé aux éditeurs : connectez-vous avec un compte éditeur pour écrire dans "
                         "la base.",
                         "Import is for editors: sign in with an editor's account to write to the base."),
    "d.disabled_none": ("Import désactivé : aucun compte n'est configuré. Créez un compte éditeur "
                        "(`maillage users add LOGIN --organisation ORG --role editor`), ou lancez l'application "
                        "avec MAILLAGE_ALLOW_IMPORT=1 pour autoriser l'écriture sans compte.",
                        "Import disabled: no account is configured. Create an editor's account "
                        "(`maillage users add LOGIN --organisation ORG --role editor`), or start the app with "
                        "MAILLAGE_ALLOW_IMPORT=1 to allow writing without accounts."),
    # properties the card does not show
    "prop.name": ("Nom", "Name"),
    "prop.description": ("Description", "Description"),
    "prop.lat": ("Latitude", "Latitude"),
    "prop.lon": ("Longitude", "Longitude"),
    "prop.since": ("Depuis (année)", "Since (year)"),
    "prop.until": ("Jusqu'à (année)", "Until (year)"),
    "prop.role": ("Rôle", "Role"),
    "prop.amount_eur": ("Montant (€)", "Amount (€)"),
    "prop.scheme": ("Dispositif", "Scheme"),
    "prop.title": ("Titre", "Title"),
    "prop.publisher": ("Éditeur", "Publisher"),
    "prop.path": ("Chemin", "Path"),
    "prop.licence": ("Licence", "Licence"),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "role": {
        "reader": ("lecteur", "reader"), "contributor": ("contributeur", "contributor"),
        "editor": ("éditeur", "editor"),
    },
    "contrib_kind": {
        "add_node": ("nouvelle fiche", "new node"), "add_relation": ("nouvelle relation", "new relationship"),
        "correct": ("correction", "correction"), "remove_node": ("suppression d'une fiche", "node removal"),
        "remove_relation": ("suppression d'une relation", "relationship removal"),
    },
    "contrib_status": {
        "pending": ("en attente", "pending"), "accepted": ("acceptée", "accepted"),
        "rejected": ("refusée", "rejected"), "reverted": ("annulée", "reverted"),
    },
    "source_kind": {
        "document": ("un document", "a document"), "url": ("une adresse (URL)", "an address (URL)"),
        "direct": ("connaissance directe", "direct knowledge"),
    },
}

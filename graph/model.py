"""The graph model of maillage, as data.

Labels, relationship types, the controlled vocabularies of DESIGN.md and the
columns of the bundle format all live here, so that loaders, queries, analyses
and the app agree on one definition. Labels and relationship types are only
ever formatted into Cypher from these whitelists (see :func:`label` and
:func:`rel_type`), never from user input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --- controlled vocabularies -------------------------------------------------

LEGAL_FORMS = (
    "association", "scop", "scic", "cae", "cooperative", "mutuelle",
    "fondation", "entreprise_esus", "collectivite", "other",
)
NETWORK_KINDS = (
    "federation", "union", "inter_network", "cress", "ptce", "collective",
    "international",
)
FUNDER_KINDS = (
    "public", "solidarity_finance", "private_foundation", "participatory", "bank",
)
PLACE_KINDS = (
    "tiers_lieu", "maison_ess", "fablab", "pepiniere", "coworking",
    "ressourcerie", "lieu_culturel", "other",
)
EVENT_KINDS = ("atelier", "journee_etude", "salon", "evenement")
INITIATIVE_KINDS = ("programme", "dispositif", "projet", "outil")
INITIATIVE_THEMES = ("entreprendre", "cooperer", "innover")
#: where an initiative stands: a workshop's proposal, a programme running, one that ended
INITIATIVE_STATUSES = ("proposed", "running", "ended")
#: Support functions whose availability coverage measures.
FUNCTIONS = (
    "information", "accompagnement", "financement", "formation", "lieu", "reseau",
)
#: Project stages, in the order a project goes through them.
STAGES = ("emergence", "creation", "developpement", "consolidation")
#: Territorial levels, smallest first; ``national``/``international`` only for scopes of networks.
TERRITORY_LEVELS = ("commune", "epci", "departement", "region")
NETWORK_LEVELS = ("commune", "epci", "departement", "region", "national", "international")
DENSITY_CLASSES = ("urban", "intermediate", "rural")
MEMBER_ROLES = ("member", "founder", "board", "animator", "associate")
COOPERATION_KINDS = (
    "partnership", "co_organisation", "subcontracting", "mutualisation",
    "joint_project", "other",
)
USE_KINDS = ("resident", "member", "user")
#: ``interviewee``: interviewed one by one for a study or a consultation; it gives no tie
#: with the other interviewees (see :data:`graph.analysis.projection.UNTIED_ROLES`)
PARTICIPATION_ROLES = ("organiser", "participant", "speaker", "interviewee")
CARRY_ROLES = ("carrier", "partner", "funder")

# --- labels and relationship types -------------------------------------------

STRUCTURE, NETWORK, FUNDER, PLACE, TERRITORY = (
    "Structure", "Network", "Funder", "SharedPlace", "Territory",
)
SECTOR, EVENT, INITIATIVE, SOURCE = "Sector", "Event", "Initiative", "Source"
LABELS = (STRUCTURE, NETWORK, FUNDER, PLACE, TERRITORY, SECTOR, EVENT, INITIATIVE, SOURCE)

#: Organisations: the node kinds that can provide support, cooperate, be members.
ACTORS = (STRUCTURE, NETWORK, FUNDER)
_ANY_NON_TERRITORY = (STRUCTURE, NETWORK, FUNDER, PLACE, SECTOR, EVENT, INITIATIVE)

#: relationship type -> (allowed source labels, allowed target labels, property names)
RELATIONSHIPS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "MEMBER_OF": ((STRUCTURE, NETWORK), (NETWORK,), ("since", "until", "role")),
    "COOPERATES_WITH": (ACTORS, ACTORS, ("kind", "since", "until", "description")),
    "FUNDED_BY": ((STRUCTURE, NETWORK), (FUNDER,), ("year", "amount_eur", "scheme")),
    "LOCATED_IN": (_ANY_NON_TERRITORY, (TERRITORY,), ()),
    "SERVES": ((STRUCTURE, NETWORK, FUNDER, PLACE, INITIATIVE), (TERRITORY,), ()),
    "USES": ((STRUCTURE, NETWORK), (PLACE,), ("kind",)),
    "ACTIVE_IN": ((STRUCTURE, NETWORK, FUNDER), (SECTOR,), ()),
    "PARTICIPATED_IN": ((STRUCTURE, NETWORK, FUNDER), (EVENT,), ("role",)),
    "CARRIES": ((STRUCTURE, NETWORK, FUNDER), (INITIATIVE,), ("role",)),
    "HELD_AT": ((EVENT,), (PLACE,), ()),
    "HELD_IN": ((EVENT,), (TERRITORY,), ()),
    "PART_OF": ((TERRITORY,), (TERRITORY,), ()),
}
REL_TYPES = tuple(RELATIONSHIPS)


def label(name: str) -> str:
    """Return ``name`` backtick-quoted if it is a known label, else raise ValueError."""
    if name not in LABELS:
        raise ValueError(f"unknown label {name!r}; expected one of {', '.join(LABELS)}")
    return f"`{name}`"


def rel_type(name: str) -> str:
    """Return ``name`` backtick-quoted if it is a known relationship type, else raise ValueError."""
    if name not in RELATIONSHIPS:
        raise ValueError(
            f"unknown relationship type {name!r}; expected one of {', '.join(REL_TYPES)}"
        )
    return f"`{name}`"


# --- the bundle format ---------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a bundle file.

    ``type`` is one of ``string``, ``integer``, ``number``, ``date`` (ISO
    ``YYYY`` or ``YYYY-MM`` or ``YYYY-MM-DD``), ``list`` (values separated by
    ``|``). ``vocabulary`` restricts values (each item, for lists).
    """

    name: str
    type: str = "string"
    required: bool = False
    vocabulary: tuple[str, ...] | None = None
    description: str = ""


@dataclass(frozen=True)
class NodeFile:
    """A bundle file holding one node label."""

    filename: str
    label: str
    columns: tuple[Column, ...]
    description: str = ""
    optional: bool = False
    extra_labels_allowed: tuple[str, ...] = field(default=())

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


LIST_SEPARATOR = "|"

_ID = Column("id", required=True, description="stable id, unique per label, e.g. structure:ecossolies")
_NAME = Column("name", required=True, description="the organisation's or thing's usual name")
_SOURCES = Column("sources", "list", description="ids of the documents or datasets stating it (see sources.csv)")
_DESC = Column("description", description="one or two sentences from the source")
_WEB = Column("website", description="public website of the organisation (no personal data)")
_EXTRA = Column(
    "extra_labels", "list", vocabulary=(STRUCTURE, FUNDER, NETWORK),
    description="further labels where reality has two (a CIGALES club is Structure and Funder)",
)
_FUNCS = Column("functions", "list", vocabulary=FUNCTIONS, description="support functions offered")
_STAGES = Column("stages", "list", vocabulary=STAGES, description="project stages supported")
_LAT = Column("lat", "number", description="latitude of the node's own point (WGS84 degrees, -90 to 90), "
                                           "e.g. a SIRENE seat or a map's marker; empty: the seat commune's centroid is used")
_LON = Column("lon", "number", description="longitude of the node's own point (WGS84 degrees, -180 to 180)")

NODE_FILES: tuple[NodeFile, ...] = (
    NodeFile("sources.csv", SOURCE, (
        _ID, Column("title", required=True), Column("publisher"), Column("date", "date"),
        Column("kind", description="document, dataset, register"), Column("path"),
        Column("licence"), Column("sources", "list"),
    ), "the documents and datasets the facts come from", optional=True),
    NodeFile("structures.csv", STRUCTURE, (
        _ID, _NAME, Column("legal_form", vocabulary=LEGAL_FORMS), Column("siren"),
        Column("rna"), Column("founded", "date"), Column("employees", "integer"),
        _FUNCS, _STAGES, _WEB, _DESC, _EXTRA, _SOURCES, _LAT, _LON,
        Column("origins", description="JSON object property -> source id it came from, "
                                      "kept when records of several registers were merged"),
    ), "ESS structures: associations, cooperatives, mutuelles, foundations, collectivités"),
    NodeFile("networks.csv", NETWORK, (
        _ID, _NAME, Column("kind", vocabulary=NETWORK_KINDS),
        Column("level", vocabulary=NETWORK_LEVELS), _FUNCS, _STAGES, _WEB, _DESC,
        _EXTRA, _SOURCES,
    ), "networks: federations, unions, inter-networks, CRESS, PTCE, collectives"),
    NodeFile("funders.csv", FUNDER, (
        _ID, _NAME, Column("kind", vocabulary=FUNDER_KINDS), _FUNCS, _STAGES, _WEB,
        _DESC, Column("legal_form", vocabulary=LEGAL_FORMS), _EXTRA, _SOURCES,
    ), "funders: public bodies, solidarity finance, foundations, participatory finance, banks"),
    NodeFile("places.csv", PLACE, (
        _ID, _NAME, Column("kind", vocabulary=PLACE_KINDS), _FUNCS, _WEB, _DESC, _SOURCES,
        _LAT, _LON,
    ), "shared places: tiers-lieux, maisons de l'ESS, fablabs, pépinières"),
    NodeFile("sectors.csv", SECTOR, (_ID, _NAME, _DESC, _SOURCES), "ESS activity sectors"),
    NodeFile("events.csv", EVENT, (
        _ID, _NAME, Column("date", "date"), Column("kind", vocabulary=EVENT_KINDS), _DESC,
        _SOURCES,
    ), "workshops, study days, fairs, events"),
    NodeFile("initiatives.csv", INITIATIVE, (
        _ID, _NAME, Column("kind", vocabulary=INITIATIVE_KINDS),
        Column("theme", vocabulary=INITIATIVE_THEMES), Column("year", "integer"),
        Column("status", vocabulary=INITIATIVE_STATUSES), _DESC,
        _SOURCES,
    ), "programmes, schemes, projects and tools worth spreading"),
    NodeFile("territories.csv", TERRITORY, (
        _ID, _NAME, Column("level", required=True, vocabulary=TERRITORY_LEVELS),
        Column("code", required=True), Column("population", "integer"),
        Column("lat", "number"), Column("lon", "number"),
        Column("density", vocabulary=DENSITY_CLASSES), _SOURCES,
    ), "territories beyond the shipped reference (rarely needed)", optional=True),
)
NODE_FILE_BY_NAME = {f.filename: f for f in NODE_FILES}
NODE_FILE_BY_LABEL = {f.label: f for f in NODE_FILES}

RELATION_COLUMNS: tuple[Column, ...] = (
    Column("source_id", required=True), Column("type", required=True, vocabulary=REL_TYPES),
    Column("target_id", required=True),
    Column("since", "integer"), Column("until", "integer"), Column("role"), Column("kind"),
    Column("description"), Column("year", "integer"), Column("amount_eur", "number"),
    Column("scheme"), _SOURCES,
)
RELATIONS_FILE = "relations.csv"

#: property vocabularies that depend on the relationship type
RELATION_VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    ("MEMBER_OF", "role"): MEMBER_ROLES,
    ("COOPERATES_WITH", "kind"): COOPERATION_KINDS,
    ("USES", "kind"): USE_KINDS,
    ("PARTICIPATED_IN", "role"): PARTICIPATION_ROLES,
    ("CARRIES", "role"): CARRY_ROLES,
}

#: id prefix expected for each label (``structure:ecossolies``)
ID_PREFIXES = {
    STRUCTURE: "structure", NETWORK: "network", FUNDER: "funder", PLACE: "place",
    SECTOR: "sector", EVENT: "event", INITIATIVE: "initiative", SOURCE: "source",
}


def territory_id(level: str, code: str) -> str:
    """Return the id of a territory, e.g. ``territory_id('commune', '44109') == 'commune:44109'``."""
    if level not in TERRITORY_LEVELS:
        raise ValueError(f"unknown territory level {level!r}")
    return f"{level}:{code}"


_LABEL_BY_PREFIX = {prefix: lab for lab, prefix in ID_PREFIXES.items()}
_LABEL_BY_PREFIX.update({level: TERRITORY for level in TERRITORY_LEVELS})


def label_for_id(node_id: str) -> str:
    """The label a node id belongs to, from its prefix (``'commune:44109'`` → ``'Territory'``).

    Raises ValueError for an id without a known prefix.
    """
    prefix = str(node_id).split(":", 1)[0]
    try:
        return _LABEL_BY_PREFIX[prefix]
    except KeyError:
        raise ValueError(
            f"id {node_id!r} does not start with a known prefix "
            f"({', '.join(sorted(_LABEL_BY_PREFIX))}, followed by ':')") from None

"""Builders of small typed graphs, for tests and docstring examples.

:func:`toy_graph` writes a typed graph (the shape :mod:`graph.convert` produces) in
a few lines: labels, territory levels and codes come from the ids' prefixes, and a
node named in a relationship but not declared is created with its defaults.
:func:`demo_graph` is a small Nantes-like knowledge base used by the examples.

Examples
--------
>>> from graph.analysis._testing import toy_graph
>>> G = toy_graph([("structure:a", "MEMBER_OF", "network:n", {"since": 2003})],
...               nodes={"structure:a": {"name": "A", "functions": ["accompagnement"]}})
>>> G.nodes["structure:a"]["labels"], G.nodes["network:n"]["labels"]
(('Structure',), ('Network',))
>>> list(G.edges(data=True))
[('structure:a', 'network:n', {'type': 'MEMBER_OF', 'since': 2003})]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx

from graph import model

__all__ = ["toy_graph", "toy_territories", "demo_graph"]


def _defaults(node_id: str) -> dict:
    label = model.label_for_id(node_id)
    props: dict = {"labels": (label,), "name": node_id}
    if label == model.TERRITORY:
        level, code = node_id.split(":", 1)
        props.update(level=level, code=code)
    return props


def toy_graph(edges: Iterable[tuple] = (), nodes: Mapping[str, Mapping] | None = None,
              ) -> nx.MultiDiGraph:
    """Build a typed graph from ``(source, TYPE, target[, props])`` tuples.

    Parameters
    ----------
    edges : iterable of tuples
        ``(source_id, TYPE, target_id)`` or ``(source_id, TYPE, target_id, props)``;
        TYPE is a relationship type of :mod:`graph.model`.
    nodes : mapping, optional
        id → properties; ``labels`` (a tuple) overrides the label implied by the
        id's prefix. Nodes only named in ``edges`` get the defaults.

    Returns
    -------
    networkx.MultiDiGraph
        node keys are ids, edge keys are types (``TYPE#2`` for a repeat).
    """
    G = nx.MultiDiGraph()
    for node_id, props in (nodes or {}).items():
        G.add_node(node_id, **{**_defaults(node_id), **props})
    for edge in edges:
        src, rtype, dst, props = (*edge, {}) if len(edge) == 3 else edge
        model.rel_type(rtype)  # ValueError for an unknown type
        for n in (src, dst):
            if n not in G:
                G.add_node(n, **_defaults(n))
        key, i = rtype, 1
        while G.has_edge(src, dst, key):
            i += 1
            key = f"{rtype}#{i}"
        G.add_edge(src, dst, key=key, type=rtype, **props)
    return G


_TOY_TERRITORIES = {
    "region:10": dict(name="Région A", population=13000, lat=45.5, lon=0.5),
    "region:20": dict(name="Région B", population=800, lat=48.0, lon=2.0),
    "departement:11": dict(name="Dép A1", population=12000, lat=45.05, lon=0.0),
    "departement:12": dict(name="Dép A2", population=1000, lat=45.55, lon=1.0),
    "departement:21": dict(name="Dép B1", population=800, lat=48.0, lon=2.0),
    "epci:111": dict(name="Agglo A", population=12000, lat=45.05, lon=0.0, density="urban"),
    "commune:11001": dict(name="Ville", population=10000, lat=45.0, lon=0.0, density="urban"),
    "commune:11002": dict(name="Bourg", population=2000, lat=45.1, lon=0.0,
                          density="intermediate"),
    "commune:12001": dict(name="Village", population=500, lat=45.5, lon=1.0, density="rural"),
    "commune:12002": dict(name="Hameau", population=500, lat=45.6, lon=1.0, density="rural"),
    "commune:21001": dict(name="Lointain", population=800, lat=48.0, lon=2.0, density="rural"),
}
_TOY_PART_OF = [
    ("departement:11", "region:10"), ("departement:12", "region:10"),
    ("departement:21", "region:20"), ("epci:111", "departement:11"),
    ("commune:11001", "epci:111"), ("commune:11001", "departement:11"),
    ("commune:11002", "epci:111"), ("commune:11002", "departement:11"),
    ("commune:12001", "departement:12"), ("commune:12002", "departement:12"),
    ("commune:21001", "departement:21"),
]


def toy_territories() -> tuple[dict, list[tuple]]:
    """Nodes and ``PART_OF`` edges of a small made-up territory tree, for tests.

    Two régions (10, 20), three départements (11, 12 in 10; 21 in 20), one EPCI
    (111, in 11) and five communes: Ville and Bourg (EPCI 111), Village and Hameau
    (département 12), Lointain (département 21), with populations, centroids and
    density classes.

    Examples
    --------
    >>> nodes, part_of = toy_territories()
    >>> G = toy_graph(part_of, nodes=nodes)
    >>> sorted(G.successors("commune:11001"))
    ['departement:11', 'epci:111']
    """
    nodes = {k: dict(v) for k, v in _TOY_TERRITORIES.items()}
    return nodes, [(a, "PART_OF", b) for a, b in _TOY_PART_OF]


_TERRITORIES = {
    "region:52": dict(name="Pays de la Loire", population=3873096, lat=47.47, lon=-0.82,
                      density="intermediate"),
    "departement:44": dict(name="Loire-Atlantique", population=1429272, lat=47.35,
                           lon=-1.72, density="intermediate"),
    "departement:49": dict(name="Maine-et-Loire", population=818273, lat=47.39, lon=-0.56,
                           density="intermediate"),
    "epci:244400404": dict(name="Nantes Métropole", population=656275, lat=47.23,
                           lon=-1.57, density="urban"),
    "epci:200000438": dict(name="CC du Pays de Pontchâteau St-Gildas-des-Bois",
                           population=37215, lat=47.46, lon=-2.07, density="rural"),
    "commune:44109": dict(name="Nantes", population=320732, lat=47.2325, lon=-1.5546,
                          density="urban"),
    "commune:44162": dict(name="Saint-Herblain", population=49029, lat=47.2244,
                          lon=-1.6346, density="urban"),
    "commune:44129": dict(name="Pontchâteau", population=11000, lat=47.4333, lon=-2.0889,
                          density="intermediate"),
    "commune:44154": dict(name="Saint-Gildas-des-Bois", population=3600, lat=47.5208,
                          lon=-2.0378, density="rural"),
    "commune:49007": dict(name="Angers", population=155850, lat=47.4784, lon=-0.5632,
                          density="urban"),
}
_PART_OF = [
    ("departement:44", "region:52"), ("departement:49", "region:52"),
    ("epci:244400404", "departement:44"), ("epci:200000438", "departement:44"),
    ("commune:44109", "epci:244400404"), ("commune:44109", "departement:44"),
    ("commune:44162", "epci:244400404"), ("commune:44162", "departement:44"),
    ("commune:44129", "epci:200000438"), ("commune:44129", "departement:44"),
    ("commune:44154", "epci:200000438"), ("commune:44154", "departement:44"),
    ("commune:49007", "departement:49"),
]
_ACTORS = {
    "structure:ecossolies": dict(name="Les Ecossolies", legal_form="association",
                                 functions=["information", "accompagnement", "reseau"],
                                 stages=["emergence", "creation"]),
    "structure:radar": dict(name="RADAR", legal_form="association"),
    "structure:trempolino": dict(name="Trempolino", legal_form="association"),
    "structure:arais": dict(name="ARAIS", legal_form="association"),
    "structure:envie44": dict(name="Envie 44", legal_form="entreprise_esus"),
    "structure:ouvre-boites": dict(name="Ouvre-Boites 44", legal_form="cae",
                                   functions=["accompagnement"],
                                   stages=["creation", "developpement"]),
    "structure:ressourcerie": dict(name="Ressourcerie du Pays de Pontchâteau",
                                   legal_form="association"),
    "structure:angers-insertion": dict(name="Angers Insertion", legal_form="association"),
    "funder:nantes-initiatives": dict(labels=("Funder", "Structure"),
                                      name="Nantes Initiatives", kind="solidarity_finance",
                                      functions=["financement"], stages=["creation"]),
    "funder:nantes-metropole": dict(name="Nantes Métropole", kind="public",
                                    functions=["financement"]),
    "network:inter-reseau": dict(name="Inter-réseau ESS", kind="inter_network",
                                 functions=["information", "reseau"]),
    "network:cress-pdl": dict(name="CRESS Pays de la Loire", kind="cress",
                              level="region", functions=["reseau"]),
    "place:ecopole": dict(name="Ecopôle", kind="other", functions=["information", "lieu"]),
    "sector:insertion": dict(name="Insertion, emploi"),
    "sector:culture": dict(name="Culture"),
    "sector:environnement": dict(name="Environnement"),
    "event:atelier-2007-02": dict(name="Atelier ressources existantes", date="2007-02",
                                  kind="atelier"),
    "initiative:fabrique": dict(name="La Fabrique à initiatives", kind="dispositif",
                                theme="entreprendre", year=2008,
                                description="Accompagne l'émergence de projets d'utilité sociale."),
}
_RELATIONS = [
    ("structure:ecossolies", "LOCATED_IN", "commune:44109"),
    ("structure:ecossolies", "SERVES", "epci:244400404"),
    ("structure:radar", "LOCATED_IN", "commune:44109"),
    ("structure:trempolino", "LOCATED_IN", "commune:44109"),
    ("structure:trempolino", "ACTIVE_IN", "sector:culture"),
    ("structure:arais", "LOCATED_IN", "commune:44162"),
    ("structure:arais", "ACTIVE_IN", "sector:insertion"),
    ("structure:envie44", "LOCATED_IN", "commune:44162"),
    ("structure:envie44", "ACTIVE_IN", "sector:insertion"),
    ("structure:envie44", "ACTIVE_IN", "sector:environnement"),
    ("structure:ouvre-boites", "LOCATED_IN", "commune:44109"),
    ("structure:ouvre-boites", "SERVES", "departement:44"),
    ("structure:ressourcerie", "LOCATED_IN", "commune:44129"),
    ("structure:ressourcerie", "ACTIVE_IN", "sector:environnement"),
    ("structure:angers-insertion", "LOCATED_IN", "commune:49007"),
    ("structure:angers-insertion", "ACTIVE_IN", "sector:insertion"),
    ("funder:nantes-initiatives", "LOCATED_IN", "commune:44109"),
    ("funder:nantes-initiatives", "SERVES", "departement:44"),
    ("funder:nantes-metropole", "SERVES", "epci:244400404"),
    ("network:inter-reseau", "SERVES", "epci:244400404"),
    ("network:cress-pdl", "LOCATED_IN", "commune:44109"),
    ("network:cress-pdl", "SERVES", "region:52"),
    ("place:ecopole", "LOCATED_IN", "commune:44109"),
    ("structure:ecossolies", "MEMBER_OF", "network:inter-reseau", {"since": 2003}),
    ("structure:radar", "MEMBER_OF", "network:inter-reseau", {"since": 2003}),
    ("structure:trempolino", "MEMBER_OF", "network:inter-reseau", {"since": 2003}),
    ("structure:arais", "MEMBER_OF", "network:inter-reseau", {"since": 2003}),
    ("structure:ecossolies", "MEMBER_OF", "network:cress-pdl", {"since": 2004}),
    ("structure:ouvre-boites", "MEMBER_OF", "network:cress-pdl", {"since": 2004}),
    ("structure:ecossolies", "PARTICIPATED_IN", "event:atelier-2007-02", {"role": "organiser"}),
    ("structure:radar", "PARTICIPATED_IN", "event:atelier-2007-02", {"role": "organiser"}),
    ("structure:arais", "PARTICIPATED_IN", "event:atelier-2007-02", {"role": "participant"}),
    ("structure:ecossolies", "COOPERATES_WITH", "structure:ouvre-boites",
     {"kind": "partnership", "since": 2008}),
    ("structure:envie44", "COOPERATES_WITH", "structure:arais",
     {"kind": "joint_project", "since": 2005}),
    ("structure:envie44", "COOPERATES_WITH", "structure:ressourcerie",
     {"kind": "mutualisation", "since": 2009}),
    ("structure:envie44", "FUNDED_BY", "funder:nantes-metropole", {"year": 2006}),
    ("structure:arais", "FUNDED_BY", "funder:nantes-metropole", {"year": 2007}),
    ("structure:trempolino", "USES", "place:ecopole", {"kind": "member"}),
    ("structure:radar", "USES", "place:ecopole", {"kind": "user"}),
    ("structure:ecossolies", "CARRIES", "initiative:fabrique", {"role": "carrier"}),
    ("initiative:fabrique", "SERVES", "departement:44"),
]


def demo_graph() -> nx.MultiDiGraph:
    """A small Nantes-like typed graph: 10 territories, 8 structures, 2 funders (one
    also a Structure), 2 networks, a shared place, 3 sectors, an event, an initiative.

    Examples
    --------
    >>> from graph.analysis._testing import demo_graph
    >>> G = demo_graph()
    >>> G.number_of_nodes(), G.number_of_edges()
    (28, 54)
    """
    edges = [(a, "PART_OF", b) for a, b in _PART_OF] + _RELATIONS
    return toy_graph(edges, nodes={**_TERRITORIES, **_ACTORS})

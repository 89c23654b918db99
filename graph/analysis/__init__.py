"""Analyses of the ESS knowledge graph: pure functions, no store, no UI.

Every function takes the typed graph of :mod:`graph.convert` (a
``networkx.MultiDiGraph`` keyed by node id) and/or its cooperation projection,
and returns plain Python values. The projection is a ``networkx.Graph``
(:func:`cooperation_graph`) or, for a national base whose pairwise graph does not
fit in memory, the same kept by group (:func:`cooperation_ties`, computed on with
NumPy arrays and loops compiled by Numba: Louvain's local moving, betweenness);
clusters and brokers take either.

========================  ===========================================================
module                    functions
========================  ===========================================================
:mod:`.projection`        :func:`cooperation_graph`, :func:`cooperation_ties` (the same
                          projection kept by group, :class:`Ties`: for a national base)
:mod:`.clusters`          :func:`cooperation_clusters`, :func:`describe_clusters`
:mod:`.brokers`           :func:`brokers`, :func:`isolated_structures`,
                          :func:`participation_coefficient`, :func:`burt_constraint`
:mod:`.clusters_brokers`  :func:`clusters_and_brokers` (both on a ``Ties``, betweenness in
                          a background thread while Louvain runs)
:mod:`.partners`          :func:`suggest_partners`, :func:`partners_projection`
:mod:`.coverage`          :func:`coverage`, :func:`white_zones`,
                          :func:`coverage_by_density`, :func:`support_chain`,
                          :func:`overlaps`, :func:`matching_providers`
:mod:`.orientation`       :func:`orient`
:mod:`.writeback`         :func:`cluster_rows`, :func:`broker_rows`, :func:`coverage_rows`
:mod:`._index`            :class:`GraphIndex` (territories, seats, sectors of a graph; pass
                          it as ``index=`` to share it between coverage analyses)
========================  ===========================================================

Examples
--------
>>> from graph import analysis
>>> from graph.analysis._testing import demo_graph
>>> G = demo_graph()
>>> P = analysis.cooperation_graph(G)
>>> result = analysis.cooperation_clusters(P, seed=0, G=G)
>>> [c.size for c in result.clusters], result.isolated
([3, 2, 2], ['funder:nantes-initiatives', 'structure:angers-insertion'])
>>> [z["name"] for z in analysis.white_zones(analysis.coverage(G, need="accompagnement"))]
['Angers']
"""

from .brokers import brokers, burt_constraint, isolated_structures, participation_coefficient
from .clusters import Cluster, Clustering, cooperation_clusters, describe_clusters
from .clusters_brokers import clusters_and_brokers, cooperation_digest
from .coverage import (
    coverage, coverage_by_density, matching_providers, overlaps, support_chain, white_zones,
)
from ._index import GraphIndex
from .orientation import orient
from .partners import partners_projection, suggest_partners
from .projection import Ties, cooperation_graph, cooperation_ties
from .writeback import broker_rows, cluster_rows, coverage_rows

__all__ = [
    "Cluster", "Clustering", "GraphIndex", "Ties", "broker_rows", "brokers", "burt_constraint", "cluster_rows",
    "clusters_and_brokers", "cooperation_clusters", "cooperation_digest", "cooperation_graph", "cooperation_ties",
    "coverage", "coverage_by_density",
    "coverage_rows", "describe_clusters", "isolated_structures", "matching_providers",
    "orient", "overlaps", "participation_coefficient", "partners_projection", "suggest_partners", "support_chain",
    "white_zones",
]

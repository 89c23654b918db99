"""Bridges, participation, Burt's constraint and degrees, computed from a projection's groups.

The same figures as :mod:`.clusters` and :mod:`.brokers` give on the pairwise
cooperation graph, but read from :class:`~graph.analysis.ties.Ties`: a group of
*n* structures adds ``share`` to each of its ``n(n-1)/2`` pairs, so the weight
from structure *i* into cluster *C* is its explicit ties into *C* plus
``share × (members of the group in C, i left out)`` for each of its groups. The
cost follows memberships times the clusters present in each group, not pairs.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from .ties import Ties

__all__ = ["bridges_ties", "constraint_ties", "participation_ties"]


def _cluster_of(T: Ties, membership: dict) -> list:
    """Cluster of each node number (None when the node has no cluster)."""
    return [membership.get(n) for n in T.nodes]


def bridges_ties(T: Ties, of: list) -> dict[int, list]:
    """For each node number with ties outside its cluster: ``[external weight, clusters]``.

    ``of`` gives each node number's cluster (None: not clustered, its ties are left out,
    as a neighbour missing from the clustering is on the pairwise graph).

    Examples
    --------
    >>> T = Ties(["a", "b", "c", "d"], list("abcd"), {(2, 3): [1.0, ["other"]]},
    ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
    >>> bridges_ties(T, [0, 0, 0, 1])
    {2: [1.0, {1}], 3: [1.0, {0}]}
    """
    out: dict[int, list] = defaultdict(lambda: [0.0, set()])
    for (i, j), (w, _) in T.pairs.items():
        a, b = of[i], of[j]
        if a is not None and b is not None and a != b:
            out[i][0] += w
            out[i][1].add(b)
            out[j][0] += w
            out[j][1].add(a)
    for _, _, members, share in T.groups:
        count = Counter(of[i] for i in members if of[i] is not None)
        if len(count) < 2:
            continue
        size = sum(count.values())
        for i in members:
            c = of[i]
            if c is None:
                continue
            entry = out[i]
            entry[0] += share * (size - count[c])
            entry[1].update(x for x in count if x != c)
    return dict(sorted(out.items()))


def participation_ties(T: Ties, membership: dict) -> list[float]:
    """Participation coefficient of each node number (see
    :func:`~graph.analysis.brokers.participation_coefficient`): the same values as on
    the pairwise graph; a structure missing from ``membership`` counts as its own cluster.

    Examples
    --------
    >>> T = Ties(["x", "a", "b"], list("xab"), {(0, 1): [1.0, ["other"]]},
    ...          [("network", "network:n", (0, 2), 1.0)], {})
    >>> participation_ties(T, {"x": 0, "a": 0, "b": 1})
    [0.5, 0.0, 0.0]
    """
    of = _cluster_of(T, membership)
    into: list[dict] = [defaultdict(float) for _ in T.nodes]

    def key(j):
        return of[j] if of[j] is not None else ("node", j)

    for (i, j), (w, _) in T.pairs.items():
        into[i][key(j)] += w
        into[j][key(i)] += w
    for _, _, members, share in T.groups:
        count = Counter(of[i] for i in members if of[i] is not None)
        loose = [i for i in members if of[i] is None]
        for i in members:
            row = into[i]
            for c, k in count.items():
                k -= c == of[i]
                if k:
                    row[c] += share * k
            for j in loose:
                if j != i:
                    row[("node", j)] += share
    result = []
    for row in into:
        total = sum(row.values())
        result.append(1.0 - sum((k / total) ** 2 for k in row.values()) if total else 0.0)
    return result


class _Incidence:
    """Memberships as flat NumPy arrays: ``members[x]`` belongs to group ``owner[x]``
    (explicit pairs are groups of two whose share is the pair's weight)."""

    def __init__(self, T: Ties):
        self.members, self.owner, self.share = T.memberships()
        self.groups = len(self.share)
        self.n = len(T.nodes)
        self.by_node = np.argsort(self.members, kind="stable")   # node → its memberships
        self.node_ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.members, minlength=self.n), out=self.node_ptr[1:])

    def row(self, i: int) -> np.ndarray:
        """Tie strength of node ``i`` to every node (dense, self left at 0)."""
        mine = self.owner[self.by_node[self.node_ptr[i]:self.node_ptr[i + 1]]]
        in_mine = np.zeros(self.groups, dtype=bool)
        in_mine[mine] = True
        sel = in_mine[self.owner]
        a = np.bincount(self.members[sel], weights=self.share[self.owner[sel]],
                        minlength=self.n)
        a[i] = 0.0
        return a


def constraint_ties(T: Ties, nodes: list[int]) -> dict[int, float | None]:
    """Burt's constraint (see :func:`~graph.analysis.brokers.burt_constraint`) of the given
    node numbers, from the groups: for a neighbour *j* of *i*, the indirect part
    ``sum_q p_iq p_qj`` is ``(1/s_i) sum_{g ∋ j} share_g (X_g - x_j)`` with
    ``x_q = A_iq / s_q`` and ``X_g`` its sum over the group, so each node costs a few
    passes over the memberships, whatever its degree. None for nodes without ties.

    Examples
    --------
    >>> import networkx as nx
    >>> T = Ties(["a", "b", "c", "hub"], list("abch"),
    ...          {(0, 3): [1.0, []], (1, 3): [1.0, []], (0, 1): [1.0, []], (2, 3): [1.0, []]},
    ...          [], {})
    >>> {T.nodes[i]: round(c, 4) for i, c in constraint_ties(T, [3, 0, 2]).items()}
    {'hub': 0.6111, 'a': 1.0069, 'c': 1.0}
    """
    if not nodes:
        return {}
    inc = _Incidence(T)
    s = np.asarray(T.strength(), dtype=np.float64)
    safe = np.where(s > 0, s, 1.0)
    group_share = inc.share[inc.owner]
    out: dict[int, float | None] = {}
    for i in nodes:
        if s[i] == 0:
            out[i] = None
            continue
        a = inc.row(i)
        x = a / safe
        X = np.bincount(inc.owner, weights=x[inc.members], minlength=inc.groups)
        reach = np.bincount(inc.members, weights=group_share * (X[inc.owner] - x[inc.members]),
                            minlength=inc.n)
        nbrs = np.flatnonzero(a)
        p = a[nbrs] / s[i]
        indirect = reach[nbrs] / s[i]
        out[i] = float(np.sum((p + indirect) ** 2))
    return out

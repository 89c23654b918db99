"""The cooperation projection kept by group: who shares what, not every pair.

A network of 150 members is 11,175 pairs in a structure–structure graph, and a
national base has thousands of such groups: about 11 million pairs for 250,000
structures, more than a ``networkx.Graph`` holds in a few gigabytes. :class:`Ties`
keeps the same projection as its groups (members and per-pair share) and explicit
cooperation pairs, so that clusters, brokers and degrees are computed from the
groups, at a cost that follows memberships rather than pairs. :meth:`Ties.to_graph`
gives the pairwise graph (whole, or for the structures a view draws).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
from numba import njit

from ._moving import group_tables

__all__ = ["Ties"]


class Ties:
    """The cooperation projection as explicit pairs plus shared groups.

    Built by :func:`graph.analysis.projection.cooperation_ties`. Structures are
    numbered 0..n-1 in ``nodes`` (sorted ids). The tie strength of structures *i*
    and *j* is their explicit cooperation weight plus, for every group both belong
    to, that group's ``share`` (``weight / (n - 1)``):

    * ``pairs``: ``(i, j)`` with ``i < j`` → ``[weight, kinds]`` (explicit cooperation);
    * ``groups``: ``(source, group id, members, share)``, members a sorted tuple of
      node numbers, in ``(source, group id)`` order;
    * ``graph``: ``as_of``, ``weights``, ``max_group_size``, ``skipped_groups``, as
      on the projection graph.
    """

    def __init__(self, nodes: list[str], names: list[str], pairs: dict, groups: list,
                 graph: dict):
        self.nodes = nodes
        self.names = names
        self.index = {n: i for i, n in enumerate(nodes)}
        self.pairs = pairs
        self.groups = groups
        self.graph = graph
        self._csr = None
        self._memberships = None
        self._strength: list[float] | None = None
        self._degrees: np.ndarray | None = None
        self._tables: tuple | None = None

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, node) -> bool:
        return node in self.index

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        """Distinct tied pairs."""
        return int(self.degrees().sum()) // 2

    def strength(self) -> list[float]:
        """Each node's total tie strength (sum of its ties' weights), computed once.

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
        >>> T.strength()
        [2.0, 2.0, 1.0]
        >>> T.number_of_edges()
        3
        """
        if self._strength is not None:
            return list(self._strength)
        k = [0.0] * len(self.nodes)
        for (i, j), (w, _) in self.pairs.items():
            k[i] += w
            k[j] += w
        for _, _, members, share in self.groups:
            total = share * (len(members) - 1)
            for i in members:
                k[i] += total
        self._strength = k
        return list(k)

    def degrees(self) -> np.ndarray:
        """Each node's number of distinct tied structures (computed once, without keeping
        the CSR).

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
        >>> T.degrees().tolist()
        [2, 2, 2]
        """
        if self._degrees is None:
            if self._csr is not None:
                self._degrees = np.diff(self._csr[0])
            else:
                self._degrees = _distinct_neighbours(*self.tables()[:4])
        return self._degrees.copy()

    def tables(self) -> tuple:
        """The memberships as CSR tables, built once: ``group_ptr, group_members,
        node_ptr, node_groups, shares`` (:func:`~graph.analysis._moving.group_tables`;
        groups numbered as in :meth:`memberships`). Read them, do not change them."""
        if self._tables is None:
            members, owner, shares = self.memberships()
            self._tables = (*group_tables(members, owner, len(shares), len(self.nodes)), shares)
        return self._tables

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct pairs as a symmetric CSR adjacency: ``indptr``, ``indices``
        (neighbours sorted within a row) and ``weights`` (tie strength), as NumPy arrays."""
        if self._csr is None:
            self._csr = _csr(self)
        return self._csr

    def incidence(self) -> tuple[np.ndarray, np.ndarray]:
        """The structure–group graph as a symmetric CSR (``indptr``, ``indices``):
        structures are nodes ``0..n-1``, then one node per group and one per explicit
        pair, each tied to its members. Two structures are *d* ties apart in the
        projection when they are *2d* apart here, so shortest paths run through groups
        at the cost of memberships rather than pairs.

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
        >>> indptr, indices = T.incidence()   # a, b, c, then the network, then the pair
        >>> [indices[indptr[v]:indptr[v + 1]].tolist() for v in range(5)]
        [[3, 4], [3, 4], [3], [0, 1, 2], [0, 1]]
        """
        n = len(self.nodes)
        members, owner, _ = self.memberships()
        owner = owner + n
        total = n + len(self.groups) + len(self.pairs)
        r = np.concatenate([members, owner])
        c = np.concatenate([owner, members])
        order = np.lexsort((c, r))
        indptr = np.zeros(total + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=total), out=indptr[1:])
        return indptr, c[order].astype(np.int32)

    def memberships(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every membership as flat arrays: structure ``members[x]`` belongs to group
        ``owner[x]``, groups numbered in ``groups`` order and then one per explicit pair (a
        group of two); ``shares[g]`` is group *g*'s share (a pair's: its weight).

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
        >>> [a.tolist() for a in T.memberships()]
        [[0, 1, 2, 0, 1], [0, 0, 0, 1, 1], [0.5, 1.0]]
        """
        if getattr(self, "_memberships", None) is not None:  # Ties are not changed once made
            return self._memberships
        sizes = [len(g[2]) for g in self.groups]
        members = np.fromiter((i for g in self.groups for i in g[2]), dtype=np.int64,
                              count=sum(sizes))
        owner = np.repeat(np.arange(len(self.groups), dtype=np.int64), sizes)
        shares = np.array([g[3] for g in self.groups], dtype=np.float64)
        if self.pairs:
            ij = np.array(list(self.pairs.keys()), dtype=np.int64).reshape(-1, 2)
            members = np.concatenate([members, ij.ravel()])
            owner = np.concatenate([owner, len(self.groups) + np.repeat(
                np.arange(len(ij), dtype=np.int64), 2)])
            shares = np.concatenate([shares, np.array([v[0] for v in self.pairs.values()],
                                                      dtype=np.float64)])
        for a in (members, owner, shares):
            a.setflags(write=False)  # kept and shared between callers
        self._memberships = (members, owner, shares)
        return self._memberships

    def subset(self, nodes) -> "Ties":
        """The projection restricted to ``nodes`` (ids; others ignored), as
        ``networkx.Graph.subgraph`` restricts the pairwise one: ties between kept
        structures keep their weights (a group keeps its share, whatever members
        are left).

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (0, 1, 2), 0.5)], {})
        >>> S = T.subset(["b", "c"])
        >>> S.nodes, S.pairs, S.groups, S.strength()
        (['b', 'c'], {}, [('network', 'network:n', (0, 1), 0.5)], [0.5, 0.5])
        """
        old = sorted({self.index[n] for n in nodes if n in self.index})
        new = {i: x for x, i in enumerate(old)}
        pairs = {(new[i], new[j]): v for (i, j), v in self.pairs.items() if i in new and j in new}
        groups = []
        for source, gid, members, share in self.groups:
            kept = tuple(new[i] for i in members if i in new)
            if len(kept) > 1:
                groups.append((source, gid, kept, share))
        return Ties([self.nodes[i] for i in old], [self.names[i] for i in old], pairs, groups,
                    dict(self.graph))

    def neighbours(self, node: str) -> list[str]:
        """``node`` and the structures one tie from it (ids, in order).

        Examples
        --------
        >>> T = Ties(["a", "b", "c"], ["a", "b", "c"], {(0, 1): [1.0, ["other"]]},
        ...          [("network", "network:n", (1, 2), 0.5)], {})
        >>> T.neighbours("a"), T.neighbours("b")
        (['a', 'b'], ['a', 'b', 'c'])
        """
        members, owner, _ = self.memberships()
        start = self.index[node]
        first = np.unique(np.append(members[np.isin(owner, owner[members == start])], start))
        return [self.nodes[i] for i in first.tolist()]

    def around(self, node: str, limit: int) -> list[str]:
        """``node`` and the structures one or two ties from it (ids), at most ``limit``:
        when there are more, its own neighbours first, then those sharing the most
        groups with them.

        Examples
        --------
        >>> T = Ties(["a", "b", "c", "d"], ["a", "b", "c", "d"], {(0, 1): [1.0, ["other"]],
        ...          (1, 2): [1.0, ["other"]], (2, 3): [1.0, ["other"]]}, [], {})
        >>> T.around("a", 10)
        ['a', 'b', 'c']
        """
        members, owner, _ = self.memberships()
        n = len(self.nodes)
        start = self.index[node]
        mine = np.isin(owner, owner[members == start])
        first = np.unique(members[mine])
        second = np.isin(owner, np.unique(owner[np.isin(members, first)]))
        shared = np.bincount(members[second], minlength=n).astype(np.float64)
        shared[first] = np.inf                       # own neighbours (and itself) first
        shared[start] = np.inf
        reached = np.flatnonzero(shared)
        if len(reached) > limit:
            reached = reached[np.argsort(-shared[reached], kind="stable")[:limit]]
        return [self.nodes[i] for i in sorted(reached.tolist())]

    def _touching(self, wanted: set[int] | None) -> tuple[list, list]:
        """The explicit pairs (``((i, j), value)``) and groups with a member in ``wanted``
        (all of them when None), in their order: a few structures' projection looks at
        their own groups, not at every group of a national base."""
        if wanted is None:
            return list(self.pairs.items()), self.groups
        members, owner, _ = self.memberships()
        touched = np.unique(owner[np.isin(members, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))])
        ng = len(self.groups)
        groups = [self.groups[g] for g in touched[touched < ng].tolist()]
        base = len(members) - 2 * len(self.pairs)  # memberships() puts pair p at base + 2p, + 1
        pairs = []
        for p in (touched[touched >= ng] - ng).tolist():
            key = (int(members[base + 2 * p]), int(members[base + 2 * p + 1]))
            pairs.append((key, self.pairs[key]))
        return pairs, groups

    def to_graph(self, nodes=None, *, touching=None) -> nx.Graph:
        """The pairwise projection as a ``networkx.Graph`` (see
        :func:`~graph.analysis.projection.cooperation_graph`), for every structure or
        for the induced subgraph of ``nodes`` (ids); with ``touching`` (ids), only the
        ties with an end among them (a few structures' own ties, not the millions
        between their neighbours)."""
        if nodes is None:
            wanted = None
            order = range(len(self.nodes))
        else:
            wanted = {self.index[n] for n in nodes if n in self.index}
            order = sorted(wanted)
        ids = self.nodes
        ties: dict[tuple[int, int], list] = {}
        ends = None if touching is None else {self.index[n] for n in touching if n in self.index}
        pairs, groups = self._touching(wanted if ends is None else ends)
        for (i, j), (w, kinds) in pairs:
            if (wanted is None or (i in wanted and j in wanted)) and (ends is None or i in ends or j in ends):
                entry = ties.setdefault((i, j), [0.0, defaultdict(set)])
                entry[1]["cooperation"].update(kinds)
                entry[0] += w
        for source, gid, members, share in groups:
            inside = members if wanted is None else [i for i in members if i in wanted]
            if ends is None:
                pairs_in = ((inside[a], j) for a in range(len(inside)) for j in inside[a + 1:])
            else:  # each pair once: (end, other) with the end first when both are ends
                pairs_in = ((min(i, j), max(i, j)) for i in inside if i in ends
                            for j in inside if j != i and (j not in ends or i < j))
            for i, j in pairs_in:
                entry = ties.setdefault((i, j), [0.0, defaultdict(set)])
                entry[0] += share
                entry[1][source].add(gid)
        P = nx.Graph(**{k: (dict(v) if isinstance(v, dict) else v) for k, v in self.graph.items()})
        for i in order:
            P.add_node(ids[i], name=self.names[i])
        for (i, j), (weight, reasons) in sorted(ties.items()):  # numbers follow sorted ids
            P.add_edge(ids[i], ids[j], weight=weight,
                       reasons={s: sorted(r) for s, r in sorted(reasons.items())})
        return P


@njit(cache=True, nogil=True)
def _distinct_neighbours(group_ptr, group_members, node_ptr, node_groups):  # pragma: no cover
    """How many distinct structures share a group with each structure."""
    n = node_ptr.shape[0] - 1
    out = np.zeros(n, dtype=np.int64)
    mark = np.full(n, -1, dtype=np.int64)
    for i in range(n):
        mark[i] = i
        count = 0
        for x in range(node_ptr[i], node_ptr[i + 1]):
            g = node_groups[x]
            for y in range(group_ptr[g], group_ptr[g + 1]):
                j = group_members[y]
                if mark[j] != i:
                    mark[j] = i
                    count += 1
        out[i] = count
    return out


def _unique_pairs(T: Ties) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct pairs of ``T`` (``rows < cols``, sorted) with their summed weights."""
    n = len(T.nodes)
    parts_i, parts_j, parts_w = [], [], []
    if T.pairs:
        ij = np.array(list(T.pairs.keys()), dtype=np.int64).reshape(-1, 2)
        parts_i.append(ij[:, 0])
        parts_j.append(ij[:, 1])
        parts_w.append(np.array([v[0] for v in T.pairs.values()], dtype=np.float64))
    by_size: dict[int, list] = defaultdict(list)
    for _, _, members, share in T.groups:
        by_size[len(members)].append((members, share))
    for size, items in by_size.items():
        a, b = np.triu_indices(size, k=1)
        m = np.array([x[0] for x in items], dtype=np.int64)          # groups x size
        parts_i.append(m[:, a].ravel())
        parts_j.append(m[:, b].ravel())
        shares = np.array([x[1] for x in items], dtype=np.float64)
        parts_w.append(np.repeat(shares, len(a)))
    if not parts_i:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    i = np.concatenate(parts_i)
    j = np.concatenate(parts_j)
    w = np.concatenate(parts_w)
    key = i * n + j                                  # members are sorted: i < j
    del i, j
    uniq, inverse = np.unique(key, return_inverse=True)
    del key
    weights = np.bincount(inverse, weights=w)
    rows, cols = np.divmod(uniq, n)
    return rows, cols, weights


def _csr(T: Ties) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct pairs of ``T`` with summed weights, both directions, sorted by row."""
    n = len(T.nodes)
    rows, cols, weights = _unique_pairs(T)
    # both directions, sorted by row then column
    r = np.concatenate([rows, cols])
    c = np.concatenate([cols, rows])
    w2 = np.concatenate([weights, weights])
    order = np.lexsort((c, r))
    r, c, w2 = r[order], c[order], w2[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
    return indptr, c.astype(np.int32), w2

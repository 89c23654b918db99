"""Louvain's local moving on a projection kept by group, compiled with Numba.

The projection is given as groups (each an explicit pair or a shared network,
place, event… with its ``share`` per pair) and memberships, two CSR tables:
``group_ptr``/``group_members`` (each group's members) and ``node_ptr``/``node_groups``
(each structure's groups). The weight from structure *i* into a cluster *C* is
the sum over *i*'s groups *g* of ``share(g) × (members of g in C, i left out)``;
a visit costs the memberships of the structure's groups, never a pairwise graph.

Without Numba (``NUMBA_DISABLE_JIT=1``) the same function runs as plain Python,
which gives the same result, many times slower.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.typed import Dict

__all__ = ["aggregate_groups", "group_tables", "local_moving", "pair_tables"]


def group_tables(members: np.ndarray, owner: np.ndarray, groups: int, n: int):
    """``(group_ptr, group_members, node_ptr, node_groups)`` from flat memberships
    (structure ``members[x]`` is in group ``owner[x]``, ``owner`` sorted).

    Examples
    --------
    Two groups of three (0, 1, 2 and 3, 4, 5) tied by the pair (2, 3):

    >>> import numpy as np
    >>> members = np.array([0, 1, 2, 3, 4, 5, 2, 3])
    >>> owner = np.array([0, 0, 0, 1, 1, 1, 2, 2])
    >>> tables = group_tables(members, owner, 3, 6)
    >>> shares = np.array([1.0, 1.0, 1.0])
    >>> k = np.array([2.0, 2.0, 3.0, 3.0, 2.0, 2.0])     # each one's tie strength
    >>> local_moving(*tables, shares, k, np.arange(6), 1.0, 1e-7).tolist()
    [1, 1, 1, 5, 5, 5]
    """
    group_ptr = np.zeros(groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=groups), out=group_ptr[1:])
    order = np.argsort(members, kind="stable")
    node_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(members, minlength=n), out=node_ptr[1:])
    return (group_ptr, members.astype(np.int64), node_ptr,
            owner[order].astype(np.int64))


def pair_tables(a: np.ndarray, b: np.ndarray, n: int):
    """:func:`group_tables` of weighted pairs ``a[x]–b[x]`` (self-loops left out: they
    weigh in a node's strength only)."""
    keep = a != b
    a, b = a[keep], b[keep]
    members = np.empty(2 * len(a), dtype=np.int64)
    members[0::2], members[1::2] = a, b
    owner = np.repeat(np.arange(len(a), dtype=np.int64), 2)
    return group_tables(members, owner, len(a), n), keep


@njit(cache=True, nogil=True)
def aggregate_groups(group_ptr, group_members, shares, comm, clusters):  # pragma: no cover
    """The ties between clusters that groups make: arrays ``a <= b`` and ``w``, sorted,
    ``a == b`` the weight inside a cluster. A group of *n* with share *s* gives
    ``s × n_a × n_b`` between clusters *a* and *b* and ``s × n_a (n_a - 1) / 2``
    inside *a*. Members whose cluster is negative are left out."""
    total = Dict.empty(key_type=types.int64, value_type=types.float64)
    count = np.zeros(clusters, dtype=np.int64)
    seen = np.empty(clusters, dtype=np.int64)
    for g in range(shares.shape[0]):
        ns = 0
        for y in range(group_ptr[g], group_ptr[g + 1]):
            c = comm[group_members[y]]
            if c < 0:
                continue
            if count[c] == 0:
                seen[ns] = c
                ns += 1
            count[c] += 1
        s = shares[g]
        for x in range(ns):
            a = seen[x]
            na = count[a]
            if na > 1:
                key = a * clusters + a
                total[key] = total.get(key, 0.0) + s * na * (na - 1) / 2.0
            for y in range(x + 1, ns):
                b = seen[y]
                key = min(a, b) * clusters + max(a, b)
                total[key] = total.get(key, 0.0) + s * na * count[b]
        for x in range(ns):
            count[seen[x]] = 0
    keys = np.empty(len(total), dtype=np.int64)
    w = np.empty(len(total))
    x = 0
    for key, value in total.items():
        keys[x] = key
        w[x] = value
        x += 1
    order = np.argsort(keys)
    keys, w = keys[order], w[order]
    return keys // clusters, keys % clusters, w


@njit(cache=True, nogil=True)
def local_moving(group_ptr, group_members, node_ptr, node_groups, shares, k, order,
                 resolution, threshold):  # pragma: no cover - compiled
    """Each structure of ``order`` in turn moves to the neighbouring cluster that
    raises modularity most, in passes, until a pass gains less than ``threshold``.
    A structure is visited again only if something around it moved in the last pass.
    Returns each structure's cluster (a structure number)."""
    n = k.shape[0]
    m = k.sum() / 2.0
    comm = np.arange(n)
    tot = k.copy()
    wts = np.zeros(n)
    seen = np.empty(n, dtype=np.int64)
    flag = np.zeros(n, dtype=np.bool_)
    active = np.ones(n, dtype=np.bool_)
    marked = np.zeros(shares.shape[0], dtype=np.bool_)
    if m == 0.0:
        return comm
    two_m2 = 2.0 * m * m
    gained = threshold + 1.0
    while gained > threshold:
        gained = 0.0
        visit = order[active[order]]
        active[:] = False
        marked[:] = False
        for i in visit:
            ki = k[i]
            ci = comm[i]
            flag[ci] = True
            seen[0] = ci
            ns = 1
            for x in range(node_ptr[i], node_ptr[i + 1]):
                g = node_groups[x]
                s = shares[g]
                for y in range(group_ptr[g], group_ptr[g + 1]):
                    j = group_members[y]
                    if j == i:
                        continue
                    c = comm[j]
                    if not flag[c]:
                        flag[c] = True
                        seen[ns] = c
                        ns += 1
                    wts[c] += s
            tot[ci] -= ki
            base = resolution * ki / two_m2
            remove_cost = -wts[ci] / m + tot[ci] * base
            best = ci
            best_gain = 0.0
            for z in range(ns):
                c = seen[z]
                gain = remove_cost + wts[c] / m - tot[c] * base
                if gain > best_gain:
                    best = c
                    best_gain = gain
                wts[c] = 0.0
                flag[c] = False
            tot[best] += ki
            if best != ci:
                comm[i] = best
                active[i] = True
                for x in range(node_ptr[i], node_ptr[i + 1]):
                    g = node_groups[x]
                    if not marked[g]:
                        marked[g] = True
                        for y in range(group_ptr[g], group_ptr[g + 1]):
                            active[group_members[y]] = True
                gained += best_gain
    return comm

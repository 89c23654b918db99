"""Shortest-path betweenness on a CSR adjacency (Brandes), compiled.

Brandes' algorithm [1]_, compiled with Numba: a breadth-first search from each
source counts shortest paths, then dependencies flow back from the farthest node.
Hop counts only (unweighted), undirected. On a sample of sources it is the
estimator of Brandes and Pich [2]_, scaled as NetworkX scales it.
"""

from __future__ import annotations

import random
import threading

import numpy as np
from numba import njit

__all__ = ["Searches", "betweenness_csr", "dependencies", "rescale", "sample_sources"]


def dependencies(indptr: np.ndarray, indices: np.ndarray, sources: list[int],
                 counted: int) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies of nodes ``0..counted-1`` (the
    unscaled betweenness of those sources' searches).

    Examples
    --------
    >>> indptr = np.array([0, 1, 3, 5, 6]); indices = np.array([1, 0, 2, 1, 3, 2])
    >>> dependencies(indptr, indices, [0, 3], 4).tolist()     # the path 0-1-2-3
    [0.0, 3.0, 3.0, 0.0]
    """
    return Searches(indptr, indices, sources, counted, threads=0).result()


class Searches:
    """The searches of :func:`dependencies`, run by background threads meanwhile.

    The compiled search releases the interpreter lock, so ``threads`` threads run
    on other cores while the caller goes on (Louvain, say); :meth:`result` then
    takes the remaining sources in the calling thread too and returns the sum. The
    graph is first renumbered in breadth-first order, so that neighbours sit close
    in memory (about twice as fast on a national projection); results come back in
    the given numbering. Sources go in chunks of ``chunk``, summed in order, so the
    figures do not depend on which thread took which chunk.
    """

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, sources, counted: int, *,
                 threads: int = 1, chunk: int = 16):
        self.counted = int(counted)
        sources = np.asarray(sources, dtype=np.int64)
        self._chunks = [sources[x:x + chunk] for x in range(0, len(sources), chunk)]
        self._parts: list = [None] * len(self._chunks)
        self._next = 0
        self._lock = threading.Lock()
        self._graph = None
        self._error: BaseException | None = None
        self._ready = threading.Lock()
        self._arrays = (indptr, indices)
        self._threads = [threading.Thread(target=self._work, daemon=True,
                                          name=f"maillage-paths-{t}") for t in range(threads)]
        for t in self._threads:
            t.start()

    def _prepared(self):
        with self._ready:                        # the first thread renumbers, once
            if self._graph is None:
                ptr, idx, new = _relabel(*self._arrays)
                target = np.zeros(len(ptr) - 1, dtype=np.bool_)
                target[new[:self.counted]] = True
                self._graph = (ptr, idx, target, new)
                self._arrays = None
        return self._graph

    def _work(self) -> None:
        try:
            ptr, idx, target, new = self._prepared()
            while True:
                with self._lock:
                    x = self._next
                    self._next += 1
                if x >= len(self._chunks) or self._error is not None:
                    return
                part = _dependencies(ptr, idx, new[self._chunks[x]], target)
                self._parts[x] = part[new[:self.counted]]
        except BaseException as error:            # re-raised by result()
            self._error = error

    def result(self) -> np.ndarray:
        """Help with the sources left, wait for the threads, and return the sum."""
        self._work()
        for t in self._threads:
            t.join()
        if self._error is not None:
            raise self._error
        bc = np.zeros(self.counted)
        for part in self._parts:
            bc += part
        return bc


@njit(cache=True, nogil=True)
def _relabel(indptr, indices):  # pragma: no cover - compiled
    """The graph renumbered in breadth-first order (from the highest degrees), and
    ``new`` with ``new[old]`` the new number of each node."""
    total = indptr.shape[0] - 1
    new = np.full(total, -1, dtype=np.int64)
    order = np.empty(total, dtype=np.int64)
    tail = 0
    for start in np.argsort(-(indptr[1:] - indptr[:-1]), kind="mergesort"):
        if new[start] >= 0:
            continue
        new[start] = tail
        order[tail] = start
        head, tail = tail, tail + 1
        while head < tail:
            v = order[head]
            head += 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if new[w] < 0:
                    new[w] = tail
                    order[tail] = w
                    tail += 1
    ptr = np.zeros(total + 1, dtype=np.int64)
    for u in range(total):
        v = order[u]
        ptr[u + 1] = ptr[u] + indptr[v + 1] - indptr[v]
    idx = np.empty(indices.shape[0], dtype=np.int32)
    for u in range(total):
        v = order[u]
        base = ptr[u] - indptr[v]
        for e in range(indptr[v], indptr[v + 1]):
            idx[base + e] = new[indices[e]]
    return ptr, idx, new


@njit(cache=True, nogil=True)
def _dependencies(indptr, indices, sources, target):  # pragma: no cover - compiled
    total = indptr.shape[0] - 1
    bc = np.zeros(total)
    dist = np.full(total, -1, dtype=np.int32)
    sigma = np.zeros(total)
    delta = np.zeros(total)
    stack = np.empty(total, dtype=np.int64)      # the search's queue, then its stack
    for s in sources:
        dist[s] = 0
        sigma[s] = 1.0
        stack[0] = s
        head, tail = 0, 1
        while head < tail:
            v = stack[head]
            head += 1
            dv = dist[v] + 1
            for e in range(indptr[v], indptr[v + 1]):
                w = indices[e]
                if dist[w] < 0:
                    dist[w] = dv
                    stack[tail] = w
                    tail += 1
                if dist[w] == dv:
                    sigma[w] += sigma[v]
        for x in range(tail - 1, -1, -1):        # farthest first
            w = stack[x]
            coeff = ((1.0 if target[w] else 0.0) + delta[w]) / sigma[w]
            dw = dist[w] - 1
            for e in range(indptr[w], indptr[w + 1]):
                v = indices[e]
                if dist[v] == dw:
                    delta[v] += sigma[v] * coeff
            if w != s:
                bc[w] += delta[w]
        for x in range(tail):
            w = stack[x]
            dist[w] = -1
            sigma[w] = 0.0
            delta[w] = 0.0
    return bc


def betweenness_csr(indptr: np.ndarray, indices: np.ndarray, *, k: int | None = None,
                    seed: int | None = 0, normalized: bool = True,
                    order: list | None = None, counted: int | None = None,
                    workers: int | None = 1) -> np.ndarray:
    """Betweenness centrality of every node of an undirected graph given as CSR.

    Parameters
    ----------
    indptr, indices : numpy arrays
        Symmetric adjacency (each tie in both rows), no self-loops.
    k : int or None, optional
        Number of sampled sources (None: every node, exact).
    seed : int or None, optional (default=0)
        Seed of the sample, drawn as :func:`networkx.betweenness_centrality` draws it
        (``random.Random(seed).sample`` of the nodes in order), so that both give the
        same figures on the same graph and sample.
    normalized : bool, optional (default=True)
        Divide by ``(n-1)(n-2)/2``, as NetworkX does for undirected graphs.
    order : list, optional
        The node labels in NetworkX's iteration order, to draw the same sample as
        NetworkX (by default 0..n-1).
    counted : int, optional
        Only nodes ``0..counted-1`` are endpoints (sources, targets, and normalised
        over); the others are only passed through — the groups of a structure–group
        graph. By default every node counts.
    workers : int, optional (default=1)
        Threads sharing the sources: this one and ``workers - 1`` others
        (:class:`Searches`); the same figures whatever their number.

    Returns
    -------
    numpy.ndarray of float, one value per node.

    Examples
    --------
    >>> import networkx as nx, numpy as np
    >>> G = nx.path_graph(4)
    >>> indptr = np.array([0, 1, 3, 5, 6]); indices = np.array([1, 0, 2, 1, 3, 2])
    >>> betweenness_csr(indptr, indices).round(4).tolist()
    [0.0, 0.6667, 0.6667, 0.0]

    References
    ----------
    .. [1] Brandes, U. "A faster algorithm for betweenness centrality." Journal of
           Mathematical Sociology 25(2), 163–177 (2001).
    .. [2] Brandes, U., Pich, C. "Centrality estimation in large networks."
           Int. J. Bifurcation and Chaos 17(7), 2303–2318 (2007).
    """
    total = len(indptr) - 1
    n = total if counted is None else counted
    if n == 0:
        return np.zeros(0)
    sources = sample_sources(n, k, seed, order)
    workers = max(1, min(int(workers or 1), len(sources)))
    bc = Searches(indptr, indices, sources, n, threads=workers - 1).result()
    return rescale(bc, n, sources, normalized)


def sample_sources(n: int, k: int | None, seed: int | None = 0,
                   order: list | None = None) -> list[int]:
    """The sources of :func:`betweenness_csr`: every node, or ``k`` of them drawn as
    NetworkX draws them."""
    if k is None or k >= n:
        return list(range(n))
    labels = list(range(n)) if order is None else order
    position = {lab: i for i, lab in enumerate(labels)}
    return [position[x] for x in random.Random(seed).sample(labels, k)]


def rescale(bc: np.ndarray, n: int, sources: list, normalized: bool = True) -> np.ndarray:
    """Scale summed dependencies of ``sources`` as :func:`betweenness_csr` returns them."""
    # as NetworkX rescales (networkx 3.5+): pairs (s, t) with s != t and v neither
    bc = bc[:n]
    N = n - 1
    if N < 2:
        return bc
    sampled = len(sources) < n
    K = len(sources) if sampled else N
    if normalized:
        scale, scale_source = 1 / (K * (N - 1)), (1 / ((K - 1) * (N - 1)) if K > 1 else np.nan)
    else:
        scale, scale_source = N / (K * 2), (N / ((K - 1) * 2) if K > 1 else np.nan)
    if sampled:
        is_source = np.zeros(n, dtype=bool)
        is_source[sources] = True
        bc *= np.where(is_source, scale_source, scale)
    else:
        bc *= scale
    return bc

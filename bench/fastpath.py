"""A prototype of the proposed fix for the write path, measured beside the real one.

Profiling ``write_bundle`` shows that most of a batch's time is spent in Python
before the engine sees it: ``refuse_nul`` walks every value of every row, then the
``falkordb`` client turns the rows into a ``CYPHER rows=[…]`` text with a recursive
pure-Python ``stringify_param_value``. :class:`FastFalkorStore` does both in C:
one ``json.dumps`` of the batch, map keys unquoted by one regular expression (keys
are the model's column names), a NUL found as ``\\u0000`` in that text, and the
client's own path kept for the rare batch holding another control character
(FalkorDB's parser reads ``\\n``, ``\\t``, ``\\"``, ``\\\\`` but not ``\\uXXXX``).
Same statements, same batches, same engine: only the serialisation differs.

It lives in the benchmark, not in ``graph/``: the proposal is to move
:meth:`FastFalkorStore._write_batch` into ``graph/embedded.py``.
"""

from __future__ import annotations

import json
import re
import time

import redis.exceptions as rx
from measure import emit, open_graph

from graph.embedded import ENGINE_LIMITS, FalkorStore, _translate
from graph.store import DEFAULT_BATCH_SIZE
from loaders.bundle import ValidBundle
from loaders.load import write_bundle

_KEY = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)":')


def cypher_literal(rows: list[dict]) -> str | None:
    """``rows`` as a Cypher list literal, or None when the client's own path must be used."""
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    if "\\u" in text:  # a control character (or NUL): let the client and refuse_nul handle it
        return None
    return _KEY.sub(r"\1:", text)


class FastFalkorStore(FalkorStore):
    def _write_batch(self, cypher, rows):
        try:
            literal = cypher_literal(rows)
        except ValueError:  # NaN or infinity
            literal = None
        if literal is None:
            return super()._write_batch(cypher, rows)
        try:
            self.graph.query(f"CYPHER rows={literal} {cypher}", timeout=ENGINE_LIMITS["TIMEOUT_MAX"])
        except (rx.RedisError, OSError) as err:
            raise _translate(err, cypher) from None


class PipelinedFalkorStore(FastFalkorStore):
    """:class:`FastFalkorStore` whose batches are sent by one background thread, so that
    the next batch is serialised here while the engine runs the previous one (two cores:
    the loader and the engine each keep one busy). Batches keep their order;
    :meth:`flush` waits for them and raises the first error."""

    def __init__(self, *args, **kwargs):
        from concurrent.futures import ThreadPoolExecutor

        super().__init__(*args, **kwargs)
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending = []

    def _send(self, cypher, literal, rows):
        if literal is None:
            return FalkorStore._write_batch(self, cypher, rows)
        try:
            self.graph.query(f"CYPHER rows={literal} {cypher}", timeout=ENGINE_LIMITS["TIMEOUT_MAX"])
        except (rx.RedisError, OSError) as err:
            raise _translate(err, cypher) from None

    def _write_batch(self, cypher, rows):
        try:
            literal = cypher_literal(rows)
        except ValueError:
            literal = None
        self._pending.append(self._pool.submit(self._send, cypher, literal, rows))
        while len(self._pending) > 2:  # at most two batches in flight
            self._pending.pop(0).result()

    def flush(self):
        while self._pending:
            self._pending.pop(0).result()


def fast_load(engine, bundle, territory_nodes, part_of, *, read_validate_s: float,
              pipelined: bool = False) -> dict:
    """The fresh load of :mod:`bench.run` (schema, territories, nodes, relations) through
    :class:`FastFalkorStore` (or :class:`PipelinedFalkorStore`), in a new graph; rows/s
    with the same read + validate time."""
    from graph import model

    base = open_graph(engine, "fast")
    store = (PipelinedFalkorStore if pipelined else FastFalkorStore)(base.db, graph="fast", timeout=600)
    flush = getattr(store, "flush", lambda: None)
    store.clear()
    t0 = time.perf_counter()
    store.ensure_schema()
    n = write_bundle(store, ValidBundle(nodes={model.TERRITORY: territory_nodes},
                                        relations={(model.TERRITORY, "PART_OF", model.TERRITORY): part_of}),
                     batch_size=10_000)
    flush()
    t_terr = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_nodes = write_bundle(store, ValidBundle(nodes=bundle.nodes, extra_labels=bundle.extra_labels),
                           batch_size=DEFAULT_BATCH_SIZE)
    flush()
    t_nodes = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_rels = write_bundle(store, ValidBundle(relations=bundle.relations), batch_size=DEFAULT_BATCH_SIZE)
    flush()
    t_rels = time.perf_counter() - t0
    from measure import graph_counts

    labels, types = graph_counts(store)
    store.clear()
    rows = n + n_nodes + n_rels
    write_s = t_terr + t_nodes + t_rels
    return emit("load.fresh_pipelined" if pipelined else "load.fresh_fast_serialiser", rows=rows, seconds=write_s + read_validate_s,
                rows_per_s=rows / (write_s + read_validate_s), write_only_rows_per_s=rows / write_s,
                territories_s=t_terr, nodes_per_s=n_nodes / t_nodes, relations_per_s=n_rels / t_rels,
                relationships=sum(types.values()))

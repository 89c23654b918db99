"""A prototype for the write path, measured beside the real one: pipelined sends.

The serialiser once prototyped here (one ``json.dumps`` of the batch instead of the
``falkordb`` client's pure-Python ``stringify_param_value``) is now the real path:
:func:`graph.embedded.cypher_literal` in ``FalkorStore._write_batch``. What remains
a proposal is :class:`PipelinedFalkorStore`: the next batch is serialised here
while the engine runs the previous one (two cores: the loader and the engine each
keep one busy). Same statements, same batches, same engine; only the overlap differs.
"""

from __future__ import annotations

import time

import redis.exceptions as rx
from measure import emit, open_graph

from graph.embedded import ENGINE_LIMITS, FalkorStore, _translate, cypher_literal
from graph.store import DEFAULT_BATCH_SIZE
from loaders.bundle import ValidBundle
from loaders.load import write_bundle


class PipelinedFalkorStore(FalkorStore):
    """:class:`FalkorStore` whose batches are sent by one background thread. Batches keep
    their order; :meth:`flush` waits for them and raises the first error."""

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
        literal = cypher_literal(rows)
        self._pending.append(self._pool.submit(self._send, cypher, literal, rows))
        while len(self._pending) > 2:  # at most two batches in flight
            self._pending.pop(0).result()

    def flush(self):
        while self._pending:
            self._pending.pop(0).result()


def pipelined_load(engine, bundle, territory_nodes, part_of, *, read_validate_s: float) -> dict:
    """The fresh load of :mod:`bench.run` (schema, territories, nodes, relations) through
    :class:`PipelinedFalkorStore`, in a new graph; rows/s with the same read + validate time."""
    from graph import model

    base = open_graph(engine, "pipelined")
    store = PipelinedFalkorStore(base.db, graph="pipelined", timeout=600)
    flush = store.flush
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
    return emit("load.fresh_pipelined", rows=rows, seconds=write_s + read_validate_s,
                rows_per_s=rows / (write_s + read_validate_s), write_only_rows_per_s=rows / write_s,
                territories_s=t_terr, nodes_per_s=n_nodes / t_nodes, relations_per_s=n_rels / t_rels,
                relationships=sum(types.values()))

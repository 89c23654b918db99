"""The load path that writes while it reads (``loaders.load._load_overlapped``, with the
store's pipelined batches) gives exactly the graph of one step after the other."""

from __future__ import annotations

import pytest
from test_merge import snapshot

from graph.errors import InputError
from loaders.bundle import read_bundle, validate
from graph.reading import known_ids_in
from loaders.load import load_path, seed_bundles, territory_count, write_validated


def test_overlapped_load_is_the_sequential_load(engine, territory_store, store):
    from conftest import _copy

    sequential = _copy(engine, territory_store.graph_name)
    try:
        seen = []
        for bundle in seed_bundles():
            report = load_path(territory_store, bundle, batch_size=7,
                               progress_factory=lambda total: seen.append(total) or (lambda n: None))
            assert report.loaded > 0
            valid, _ = validate(read_bundle(bundle), known_ids=known_ids_in(sequential))
            write_validated(sequential, valid, batch_size=1000)
        assert len(seen) == len(seed_bundles())               # one bar per load, nodes and relations
        assert snapshot(territory_store) == snapshot(sequential)
        assert territory_store.run("MATCH ()-[r]->() RETURN count(r) AS n").n[0] == \
            sequential.run("MATCH ()-[r]->() RETURN count(r) AS n").n[0]
    finally:
        sequential.clear()


def test_a_wrong_path_writes_nothing(store, tmp_path):
    with pytest.raises(InputError, match="introuvable"):
        load_path(store, tmp_path / "nowhere")
    assert territory_count(store) == 0


def test_relations_validated_by_chunks_are_the_same(monkeypatch):
    import loaders.bundle as bundle_module

    for path in seed_bundles():
        whole, report = validate(read_bundle(path))
        monkeypatch.setattr(bundle_module, "RELATION_CHUNK", 5)
        parts = []
        chunked, chunked_report = validate(read_bundle(path), relations_ready=parts.append)
        monkeypatch.undo()
        assert chunked.relations == whole.relations
        assert chunked_report.rejected == report.rejected and chunked_report.warnings == report.warnings
        assert (chunked_report.read, chunked_report.loaded) == (report.read, report.loaded)
        assert sum(p.relation_count for p in parts) == whole.relation_count
        assert len(parts) >= whole.relation_count // 5


def test_a_failed_write_stops_the_load(territory_store, monkeypatch):
    from graph.errors import QueryError

    calls = []
    real = type(territory_store)._send_batch

    def failing(self, cypher, prepared, rows):
        calls.append(cypher)
        if len(calls) == 3:
            raise QueryError("panne simulée")
        return real(self, cypher, prepared, rows)

    monkeypatch.setattr(type(territory_store), "_send_batch", failing)
    bundle = seed_bundles()[0]
    with pytest.raises(QueryError, match="panne simulée"):
        load_path(territory_store, bundle, batch_size=2)
    assert len(calls) == 3                       # nothing sent after the failed batch

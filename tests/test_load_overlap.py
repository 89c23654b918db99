"""The load path that writes while it reads (``loaders.load._load_overlapped``, with the
store's pipelined batches) gives exactly the graph of one step after the other."""

from __future__ import annotations

import pytest
from test_merge import snapshot

from graph.errors import InputError
from loaders.bundle import read_bundle, validate
from loaders.load import known_ids_in, load_path, seed_bundles, territory_count, write_validated


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

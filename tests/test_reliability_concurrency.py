"""Concurrent use: readers while a load writes, and two loads at once.

* readers (the app, `maillage cypher`) querying while a loader writes see only
  committed batches: every count they read is a multiple of the batch size,
  never decreases, and no read fails;
* two `maillage load` processes started together on the same graph both
  complete (the engine serialises their transactions) and leave exactly the
  graph one clean load gives (counts and bundle export), without duplicates.
"""

from __future__ import annotations

import threading
import time

import pytest

from loaders.load import load_path
from queries import library
from test_reliability_common import (
    PrivateEngine, fingerprint, generate_bundle, maillage, maillage_env, mini_territories, store_of, summary,
)

BATCH = 500


@pytest.fixture(scope="module")
def engine():
    """An engine of its own: these loads stay off the session engine (and its AOF)."""
    with PrivateEngine() as private:
        yield private


class Reader(threading.Thread):
    def __init__(self, store, statement):
        super().__init__(daemon=True)
        self.store, self.statement = store, statement
        self.seen: list[int] = []
        self.errors: list[Exception] = []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                self.seen.append(int(self.store.run(self.statement).iloc[0, 0]))
            except Exception as err:  # noqa: BLE001 - any failed read is a test failure
                self.errors.append(err)


def test_readers_see_only_committed_batches(engine):
    writer = store_of(engine, "reliab_conc_rw")
    writer.ensure_schema()
    rows = [{"id": f"structure:c{i:05d}", "props": {"name": f"C{i}", "functions": ["information"]},
             "sources": ["source:test"]} for i in range(30_000)]
    readers = [Reader(store_of(engine, "reliab_conc_rw"), "MATCH (s:Structure) RETURN count(s) AS n"),
               Reader(store_of(engine, "reliab_conc_rw"),
                      "MATCH (s:Structure) WHERE s.name IS NOT NULL AND s.functions IS NOT NULL RETURN count(s) AS n")]
    try:
        for r in readers:
            r.start()
        upsert = library().get("upsert.node", backend=writer.backend).render(LABEL="Structure")
        assert writer.write_rows(upsert, rows, batch_size=BATCH) == len(rows)
        time.sleep(0.05)
    finally:
        for r in readers:
            r.halt.set()
            r.join(10)
    for r in readers:
        assert r.errors == []
        assert r.seen and all(n % BATCH == 0 for n in r.seen), sorted(set(n for n in r.seen if n % BATCH))
        assert r.seen == sorted(r.seen), "a reader saw the count go down"
        assert len({n for n in r.seen if 0 < n < len(rows)}) >= 3, "the readers saw no intermediate state"
        assert r.seen[-1] == len(rows)
    writer.clear()


@pytest.fixture(scope="module")
def mid_bundle(tmp_path_factory):
    return generate_bundle(tmp_path_factory.mktemp("mid") / "bundle", 8_000, 8_000)


@pytest.fixture(scope="module")
def clean_mid(engine, mid_bundle, tmp_path_factory):
    store = store_of(engine, "reliab_conc_clean")
    mini_territories(store)
    load_path(store, mid_bundle, batch_size=BATCH)
    fp = fingerprint(store, tmp_path_factory.mktemp("clean"))
    store.clear()
    return fp


def test_two_loaders_at_once_give_the_graph_of_one(engine, mid_bundle, clean_mid, tmp_path):
    store = store_of(engine, "reliab_conc_two")
    mini_territories(store)
    env = maillage_env(engine, "reliab_conc_two")
    try:
        procs = [maillage("load", str(mid_bundle), "--batch-size", str(BATCH), env=env) for _ in range(2)]
        while store.run("MATCH (s:Structure) RETURN count(s) AS n").iloc[0, 0] < 2 * BATCH:
            assert all(p.poll() is None for p in procs), "a loader ended before the writes began"
            time.sleep(0.01)
        assert all(p.poll() is None for p in procs)  # both are writing at once
        outputs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err) in zip(procs, outputs):
            assert p.returncode == 0, err[-2000:]
            assert "Traceback" not in err
            assert summary(out) == (16_000, 16_000, 0)
        dup = store.run("MATCH (s:Structure) WITH s.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS n")
        assert dup.iloc[0, 0] == 0
        assert fingerprint(store, tmp_path / "two") == clean_mid
    finally:
        store.clear()

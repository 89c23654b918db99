"""Crashes during a load: SIGKILL the engine, or the loader, in the middle of 100,000 rows.

The bundle (60,000 structures, 40,000 cooperation relations) is loaded by
`maillage load --batch-size 1000` in a subprocess. Each batch is one
transaction (`UNWIND $rows … MERGE`), so whatever the moment of the kill the
graph must hold whole batches only. How the tests prove it:

* a watcher polls the committed count of structures while the load runs: every
  value it sees, and the count after the crash, must be a multiple of the batch
  size (a half-written batch would leave any other number);
* every node present is complete (name, legal form, functions, sources all set);
* after an engine crash, nothing acknowledged more than the AOF window
  (`everysec`: 1 s, taken as 2 s for scheduling) before the kill is missing;
* re-running the same load completes, and the graph is then identical to the
  graph of a clean load: same counts by label and type, and byte-identical
  bundle exports.

The engine-kill test runs on an engine of its own (:class:`PrivateEngine`) that
it kills; the clean load and the loader-kill test share another private engine
(the loader's death does not harm it). The figures of each run are printed (``pytest -s``).
"""

from __future__ import annotations

import signal
import threading
import time

import pytest

from graph.embedded import START_TIMEOUT
from loaders.load import load_path
from test_reliability_common import (
    PrivateEngine, fingerprint, generate_bundle, kill_engine, maillage, maillage_env, mini_territories,
    start_within, store_of, summary,
)

pytestmark = pytest.mark.slow

STRUCTURES, RELATIONS, BATCH = 60_000, 40_000, 1_000
AOF_WINDOW = 2.0  # seconds: everysec, plus scheduling slack


@pytest.fixture(scope="module")
def big_bundle(tmp_path_factory):
    return generate_bundle(tmp_path_factory.mktemp("big") / "bundle", STRUCTURES, RELATIONS)


@pytest.fixture(scope="module")
def quiet_engine():
    """An engine of its own for the big loads that do not kill it (kept off the session engine's AOF)."""
    with PrivateEngine() as engine:
        yield engine


@pytest.fixture(scope="module")
def clean_load(quiet_engine, big_bundle, tmp_path_factory):
    """Counts and export of a clean load of the big bundle (graph of its own)."""
    store = store_of(quiet_engine, "reliab_crash_clean")
    mini_territories(store)
    report = load_path(store, big_bundle, batch_size=BATCH)
    assert (report.read, report.loaded, report.rejected_rows) == (STRUCTURES + RELATIONS,) * 2 + (0,)
    fp = fingerprint(store, tmp_path_factory.mktemp("clean"))
    store.clear()
    return fp


class Watcher(threading.Thread):
    """Polls the committed count of structures until told to stop; keeps (time, count)."""

    def __init__(self, store):
        super().__init__(daemon=True)
        self.store, self.seen, self.errors = store, [], []
        self.halt = threading.Event()

    def run(self):
        while not self.halt.is_set():
            try:
                n = int(self.store.run("MATCH (s:Structure) RETURN count(s) AS n").iloc[0, 0])
                self.seen.append((time.monotonic(), n))
            except Exception as err:  # noqa: BLE001 - the engine is killed under our feet
                self.errors.append(err)
                return
            time.sleep(0.01)

    def wait_for(self, count: int, proc, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.seen and self.seen[-1][1] >= count:
                return
            assert proc.poll() is None, f"the load ended before {count} structures: {proc.communicate()}"
            time.sleep(0.005)
        raise AssertionError(f"the load did not reach {count} structures in {timeout} s")


def _complete(store) -> None:
    """Every node is whole: no batch left a node with only some of its properties."""
    df = store.run("MATCH (s:Structure) WHERE s.name IS NULL OR s.legal_form IS NULL OR s.functions IS NULL "
                   "OR s.sources IS NULL RETURN count(s) AS n")
    assert df.iloc[0, 0] == 0
    df = store.run("MATCH ()-[r:COOPERATES_WITH]->() WHERE r.kind IS NULL OR r.sources IS NULL RETURN count(r) AS n")
    assert df.iloc[0, 0] == 0


def _counts(store) -> tuple[int, int]:
    n = int(store.run("MATCH (s:Structure) RETURN count(s) AS n").iloc[0, 0])
    r = int(store.run("MATCH ()-[r:COOPERATES_WITH]->() RETURN count(r) AS n").iloc[0, 0])
    return n, r


def _reload_and_compare(env, big_bundle, store, clean_load, folder) -> None:
    proc = maillage("load", str(big_bundle), "--batch-size", str(BATCH), env=env)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert summary(out) == (STRUCTURES + RELATIONS, STRUCTURES + RELATIONS, 0)
    assert fingerprint(store, folder) == clean_load


@pytest.mark.parametrize("kill_at", [
    pytest.param(4 * BATCH, id="early"),
    pytest.param(STRUCTURES * 2 // 3, id="middle"),
])
def test_engine_killed_mid_load(big_bundle, clean_load, kill_at, tmp_path):
    with PrivateEngine() as engine:
        store = store_of(engine, "maillage")
        mini_territories(store)
        env = maillage_env(engine)
        watcher = Watcher(store_of(engine, "maillage"))
        watcher.start()
        proc = maillage("load", str(big_bundle), "--batch-size", str(BATCH), env=env)
        watcher.wait_for(kill_at, proc)
        t_kill = time.monotonic()
        kill_engine(engine)
        watcher.halt.set()
        watcher.join(5)
        out, err = proc.communicate(timeout=60)
        # the loader says, in one line, that it lost the engine
        assert proc.returncode == 1 and "Traceback" not in err, err[-2000:]
        assert err.strip().splitlines()[-1].startswith("Error: lost the connection to the graph engine")
        assert all(n % BATCH == 0 for _, n in watcher.seen), "a reader saw a half-written batch"

        restart = start_within(engine, START_TIMEOUT)
        store = store_of(engine, "maillage")
        nodes, rels = _counts(store)
        assert nodes % BATCH == 0 and rels % BATCH == 0, (nodes, rels)
        _complete(store)
        acknowledged = max([n for t, n in watcher.seen if t <= t_kill - AOF_WINDOW] or [0])
        assert nodes >= acknowledged, f"lost committed batches: {nodes} < {acknowledged}"
        print(f"\n[engine SIGKILL] last seen {watcher.seen[-1][1]} structures, after restart "
              f"{nodes} structures + {rels} relations ({nodes // BATCH + rels // BATCH} whole batches of {BATCH}), "
              f"restart {restart:.1f} s, {len(watcher.seen)} reads during the load, all multiples of {BATCH}")
        _reload_and_compare(env, big_bundle, store, clean_load, tmp_path / "after")


def test_loader_killed_mid_load(quiet_engine, big_bundle, clean_load, tmp_path):
    engine = quiet_engine
    store = store_of(engine, "reliab_crash_loader")
    mini_territories(store)
    env = maillage_env(engine, "reliab_crash_loader")
    watcher = Watcher(store_of(engine, "reliab_crash_loader"))
    watcher.start()
    try:
        proc = maillage("load", str(big_bundle), "--batch-size", str(BATCH), env=env)
        watcher.wait_for(STRUCTURES // 2, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        time.sleep(0.3)  # anything the engine still had from the dead client is applied or dropped now
        watcher.halt.set()
        watcher.join(5)
        assert not watcher.errors
        assert all(n % BATCH == 0 for _, n in watcher.seen), "a reader saw a half-written batch"
        nodes, rels = _counts(store)
        assert nodes % BATCH == 0 and rels % BATCH == 0, (nodes, rels)
        assert nodes >= watcher.seen[-1][1]
        _complete(store)
        print(f"\n[loader SIGKILL] {nodes} structures + {rels} relations after the kill "
              f"({nodes // BATCH} whole batches), {len(watcher.seen)} reads during the load")
        _reload_and_compare(env, big_bundle, store, clean_load, tmp_path / "after")
    finally:
        watcher.halt.set()
        store.clear()

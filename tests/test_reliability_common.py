"""Helpers shared by the reliability tests (no tests here).

* :class:`PrivateEngine`: an embedded engine of its own in a short temporary
  folder, for the tests that kill, stop or restore an engine — never the
  session engine of ``conftest.py``.
* :func:`mini_territories`: the handful of territories the test bundles point
  to, so that a load does not first write the whole reference of France.
* :func:`summary`: the counts of the last line of ``maillage load``.
* :func:`maillage`: the command line in a subprocess, with its own environment.
* :func:`generate_bundle` and :func:`fingerprint`: a large bundle, and what a
  graph holds (counts + bundle export), to compare two graphs exactly.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from graph.embedded import EmbeddedEngine, FalkorStore

REPO = Path(__file__).resolve().parent.parent
SUMMARY = re.compile(r"^(\d+) lignes lues, (\d+) chargées, (\d+) rejetées$", re.M)

#: (id, name, level, code, parent ids)
MINI_TERRITORIES = [
    ("region:52", "Pays de la Loire", "region", "52", []),
    ("departement:44", "Loire-Atlantique", "departement", "44", ["region:52"]),
    ("epci:244400404", "Nantes Métropole", "epci", "244400404", ["departement:44"]),
    ("commune:44109", "Nantes", "commune", "44109", ["epci:244400404", "departement:44"]),
    ("commune:44162", "Saint-Herblain", "commune", "44162", ["epci:244400404", "departement:44"]),
    ("commune:2A004", "Ajaccio", "commune", "2A004", []),
]


def store_of(engine: EmbeddedEngine, graph: str) -> FalkorStore:
    return FalkorStore(engine.client(), graph=graph, url=f"embedded://{engine.home}?graph={graph}")


def mini_territories(store) -> None:
    """Write :data:`MINI_TERRITORIES` (so loads skip the full reference of France)."""
    store.ensure_schema()
    rows = [{"id": i, "props": {"name": n, "level": lv, "code": c}, "sources": ["source:test"]}
            for i, n, lv, c, _ in MINI_TERRITORIES]
    store.run("UNWIND $rows AS row MERGE (t:Territory {id: row.id}) SET t += row.props, "
              "t.sources = row.sources", {"rows": rows}, write=True)
    links = [{"a": i, "b": p} for i, *_, parents in MINI_TERRITORIES for p in parents]
    store.run("UNWIND $rows AS row MATCH (a:Territory {id: row.a}), (b:Territory {id: row.b}) "
              "MERGE (a)-[r:PART_OF {key: ''}]->(b) SET r.sources = ['source:test']",
              {"rows": links}, write=True)


def summary(output: str) -> tuple[int, int, int]:
    """``(read, loaded, rejected)`` from the last summary line of ``maillage load``."""
    found = SUMMARY.findall(output)
    assert found, f"no summary line in:\n{output[-2000:]}"
    return tuple(int(x) for x in found[-1])  # type: ignore[return-value]


def pid_alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def kill_engine(engine: EmbeddedEngine) -> int:
    """SIGKILL the engine's server and wait until it is gone; return its pid."""
    pid = engine.pid()
    assert pid and pid_alive(pid), "the engine does not run"
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not pid_alive(pid)
    return pid


class PrivateEngine:
    """An engine in a fresh short folder under /tmp (sockets allow ~104 bytes of path).

    ``with PrivateEngine() as engine:`` starts it; leaving the block stops it (or
    kills it if it does not answer) and deletes the folder. ``env`` sets extra
    environment variables while the engine starts (``MAILLAGE_FSYNC``).
    """

    def __init__(self, prefix: str = "mrel", start: bool = True, env: dict | None = None):
        self.home = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
        self.engine = EmbeddedEngine(self.home)
        self.start_now = start
        self.env = env or {}

    def start(self) -> EmbeddedEngine:
        saved = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            self.engine.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return self.engine

    def __enter__(self) -> EmbeddedEngine:
        if self.start_now:
            self.start()
        return self.engine

    def __exit__(self, *exc) -> None:
        terminate(self.engine)
        shutil.rmtree(self.home, ignore_errors=True)


def terminate(engine: EmbeddedEngine, grace: float = 15.0) -> None:
    """Stop the engine's server by its pid: SIGTERM (a clean shutdown), SIGKILL if it lingers.

    Unlike :meth:`EmbeddedEngine.stop` this takes no lock and sends no command,
    so it also ends a server that is still loading its files or does not answer.
    """
    pid = engine.pid()
    if not pid or not pid_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)


def start_within(engine: EmbeddedEngine, seconds: float) -> float:
    """Start ``engine`` and return how long it took; fail if the store is not open within ``seconds``."""
    import threading

    outcome: list = []

    def run():
        try:
            engine.start()
            outcome.append(None)
        except Exception as err:  # noqa: BLE001 - reported below
            outcome.append(err)

    t0 = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    elapsed = time.monotonic() - t0
    assert outcome, f"the engine did not open within {seconds:.0f} s (still loading its files)"
    if outcome[0] is not None:
        raise outcome[0]
    return elapsed


def maillage_env(engine: EmbeddedEngine, graph: str = "maillage", **extra) -> dict:
    env = dict(os.environ)
    env.update({"MAILLAGE_HOME": str(engine.home),
                "MAILLAGE_STORE": f"embedded://{engine.home}?graph={graph}",
                "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


def maillage(*args: str, env: dict, **popen) -> subprocess.Popen:
    """``maillage ARGS`` in a subprocess (the package as the repository has it)."""
    cmd = [sys.executable, "-c", "from app.cli import main; main()", *args]
    return subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **popen)


def generate_bundle(folder: Path, structures: int, relations: int) -> Path:
    """A bundle of ``structures`` Structure rows and ``relations`` COOPERATES_WITH rows."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "structures.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "legal_form", "functions", "sources"])
        for i in range(structures):
            w.writerow([f"structure:s{i:06d}", f"Structure {i}", "association",
                        "information|reseau", "source:generated"])
    with open(folder / "relations.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source_id", "type", "target_id", "kind", "sources"])
        for i in range(relations):
            w.writerow([f"structure:s{i % structures:06d}", "COOPERATES_WITH",
                        f"structure:s{(i * 7 + 1) % structures:06d}", "partnership", "source:generated"])
    return folder


def counts(store) -> dict:
    labels = store.query("stats.labels")
    rels = store.query("stats.relationships")
    return {"nodes": dict(zip(labels["label"], map(int, labels["count"]))),
            "relationships": dict(zip(rels["type"], map(int, rels["count"])))}


def fingerprint(store, folder: Path) -> tuple[dict, dict[str, str]]:
    """What ``store``'s graph holds: counts by label/type and the text of its bundle export."""
    from graph.bundle_export import export_bundle

    export_bundle(store, folder)
    return counts(store), {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}

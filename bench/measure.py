"""Small helpers of the benchmark: JSON lines, timers, a memory sampler, private engines."""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
RESULTS: list[dict] = []


def emit(measure: str, **values) -> dict:
    """Print one JSON line for ``measure`` (and keep it for the final table)."""
    row = {"measure": measure, **{k: (round(v, 4) if isinstance(v, float) else v) for k, v in values.items()}}
    RESULTS.append(row)
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


@contextmanager
def timer():
    """``with timer() as t: ...`` then ``t()`` is the elapsed seconds (frozen at exit)."""
    start = time.perf_counter()
    end = [None]

    def elapsed() -> float:
        return (end[0] or time.perf_counter()) - start

    try:
        yield elapsed
    finally:
        end[0] = time.perf_counter()


def peak_rss_mb() -> float:
    """Peak resident memory of this process (MB): ``VmHWM`` of ``/proc/self/status``, else
    ``getrusage``, whose ``ru_maxrss`` survives ``exec`` (a child started by the loader would
    report the loader's peak)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class MemoryMonitor:
    """Samples the resident memory of some processes every ``interval`` seconds.

    ``watch(name, pid)`` adds a process; ``peak(name)`` is its highest RSS seen (MB);
    ``peak_sum(names)`` the highest simultaneous sum of those processes' RSS.
    """

    def __init__(self, interval: float = 0.2):
        import psutil

        self._psutil = psutil
        self.interval = interval
        self.procs: dict[str, object] = {}
        self.peaks: dict[str, float] = {}
        self.sum_peaks: dict[tuple, float] = {}
        self.sums: list[tuple] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch(self, name: str, pid: int) -> None:
        with self._lock:
            self.procs[name] = self._psutil.Process(pid)
            self.peaks.setdefault(name, 0.0)

    def unwatch(self, name: str) -> None:
        with self._lock:
            self.procs.pop(name, None)

    def track_sum(self, *names: str) -> None:
        with self._lock:
            self.sums.append(tuple(names))
            self.sum_peaks.setdefault(tuple(names), 0.0)

    def sample(self) -> None:
        with self._lock:
            now = {}
            for name, p in list(self.procs.items()):
                try:
                    now[name] = p.memory_info().rss / MB
                except (self._psutil.NoSuchProcess, self._psutil.AccessDenied):
                    continue
                self.peaks[name] = max(self.peaks.get(name, 0.0), now[name])
            for names in self.sums:
                if all(n in now for n in names):
                    self.sum_peaks[names] = max(self.sum_peaks[names], sum(now[n] for n in names))

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def peak(self, name: str) -> float:
        self.sample()
        return self.peaks.get(name, 0.0)

    def peak_sum(self, *names: str) -> float:
        return self.sum_peaks.get(tuple(names), 0.0)

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)


def start_engine(home: Path):
    """A fresh private embedded engine in ``home`` (a short path: the socket must fit)."""
    from graph.embedded import EmbeddedEngine

    home.mkdir(parents=True, exist_ok=True)
    engine = EmbeddedEngine(home)
    engine.start()
    return engine


def open_graph(engine, graph: str, timeout: float = 600.0):
    from graph.embedded import FalkorStore

    return FalkorStore(engine.client(), graph=graph, url=f"embedded://{engine.home}?graph={graph}",
                       timeout=timeout)


def graph_counts(store) -> tuple[dict, dict]:
    """Nodes by label and relationships by type of a store's graph (library stats queries)."""
    labels = store.query("stats.labels")
    rels = store.query("stats.relationships")
    return (dict(zip(labels["label"], map(int, labels["count"]))),
            dict(zip(rels["type"], map(int, rels["count"]))))


def env_info() -> dict:
    import platform

    info = {"python": platform.python_version(), "cpus": os.cpu_count()}
    try:
        import psutil

        info["ram_gb"] = round(psutil.virtual_memory().total / 1024**3, 1)
        info["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    except ImportError:
        pass
    try:
        with open("/proc/cpuinfo") as fh:
            info["cpu"] = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), None)
    except OSError:
        pass
    return info

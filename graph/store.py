"""The graph store interface and its factory.

Everything in maillage talks to the graph through a :class:`GraphStore`:
``run()`` is the single place where timeouts, the read-only guarantee, row
caps, the refusal of ``LOAD CSV`` (maillage works offline), logging of a
failing query with its parameters and the translation of driver errors live. :func:`open_store` picks the backend from a URL:

=============================  ==============================================
``embedded://`` (default)       FalkorDB started locally (:mod:`graph.embedded`)
``embedded:///path/to/dir``     the same, with its data in that folder
``falkordb://host:port``        an existing FalkorDB server
``neo4j://``, ``bolt://`` …     Neo4j 5 (:mod:`graph.neo4j_store`)
=============================  ==============================================

The URL comes from the argument, else the ``MAILLAGE_STORE`` environment
variable, else ``embedded://``.
"""

from __future__ import annotations

import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import parse_qs, urlparse

import pandas as pd

from graph.errors import (  # noqa: F401  (re-exported: the store's errors)
    MaillageError, ParameterError, QueryError, QueryTimeout, ReadOnlyViolation,
    StoreError, StoreUnavailable, UnknownQuery,
)

log = logging.getLogger("maillage.store")

DEFAULT_URL = "embedded://"
#: seconds a read may run before the engine stops it
DEFAULT_TIMEOUT = 30.0
#: rows an interactive read returns at most (``run(..., max_rows=None)`` lifts it)
DEFAULT_MAX_ROWS = 10_000
DEFAULT_BATCH_SIZE = 5_000
DEFAULT_GRAPH = "maillage"
#: rows per page when a whole result is read in pages (below every engine's result cap)
PAGE_ROWS = 50_000


class GraphStore(ABC):
    """A property graph that runs Cypher and returns pandas DataFrames.

    Subclasses implement :meth:`_execute`, :meth:`_write_batch`, :meth:`close`
    and :meth:`ensure_schema`; the rest is shared.
    """

    #: ``"falkordb"`` or ``"neo4j"``: picks ``name.<backend>.cypher`` variants in the library
    backend: str = ""
    url: str = ""
    #: rows the engine returns at most, cutting the rest without an error (None: no cap)
    result_cap: int | None = None

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT):
        self.timeout = timeout

    # -- the one entry point for Cypher -------------------------------------
    def run(self, cypher: str, params: dict | None = None, *, write: bool = False,
            timeout: float | None = None, max_rows: int | None = DEFAULT_MAX_ROWS,
            columns: Sequence[str] = ()) -> pd.DataFrame:
        """Run one Cypher statement and return its rows as a DataFrame.

        Parameters
        ----------
        cypher : str
            The statement. Values enter only through ``params``.
        params : dict, optional
            The ``$parameters``.
        write : bool, default False
            Reads (the default) run in the engine's read-only mode: any write
            raises :class:`ReadOnlyViolation`.
        timeout : float, optional
            Seconds before the engine stops the query (default: the store's).
        max_rows : int or None, default 10,000
            Rows kept at most; ``df.attrs["truncated"]`` says whether rows were cut.
            None asks for every row: reaching the engine's own cap (:attr:`result_cap`)
            then raises QueryError instead of returning part of the result.
        columns : sequence of str, optional
            The columns the statement returns, for an empty result from an engine that
            names none when no row comes back (ArcadeDB's Bolt plugin).

        Raises
        ------
        ReadOnlyViolation, QueryTimeout, QueryError, StoreUnavailable
        """
        params = dict(params or {})
        t = self.timeout if timeout is None else timeout
        try:
            check_statement(cypher)
            names, rows = self._execute(cypher, params, write=write, timeout=t)
        except MaillageError as err:
            log.warning("query failed: %s\n--- cypher ---\n%s\n--- params ---\n%r",
                        err, cypher, _short(params))
            raise
        if max_rows is None and self.result_cap and len(rows) >= self.result_cap:
            # the engine cut the result silently: a caller that asked for every row must not
            # go on with part of them (read in pages: graph.reading.fetch_all)
            raise QueryError(f"the engine returned its maximum of {self.result_cap:,} rows, so the result "
                             "is incomplete; read it in pages (SKIP/LIMIT) or narrow the query")
        if write:
            self.bump_version()
        truncated = max_rows is not None and len(rows) > max_rows
        if truncated:
            rows = rows[:max_rows]
        if not names and not rows:
            names = list(columns)
        df = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
        df.attrs["truncated"] = truncated
        return df

    def write_rows(self, cypher: str, rows: Sequence[dict], *, batch_size: int = DEFAULT_BATCH_SIZE,
                   progress: Callable[[int], None] | None = None) -> int:
        """Send ``rows`` as ``$rows`` to an ``UNWIND $rows`` statement, one transaction per batch.

        Returns the number of rows sent. ``progress(n)`` is called after each batch
        with the number of rows it held.
        """
        try:
            check_statement(cypher)
        except MaillageError as err:
            log.warning("batch write refused: %s\n%s", err, cypher)
            raise
        try:
            return self._write_batches(cypher, rows, batch_size, progress)
        finally:  # batches written before a failure changed the graph too
            self.bump_version()

    def write_steps(self, steps: Sequence[tuple[str, dict]], *, guard: int = 0) -> list[list[list]]:
        """Run several write statements as one unit and return the rows of each.

        On Neo4j the steps run in one transaction. On FalkorDB they run inside one
        ``MULTI``/``EXEC`` block: the engine runs them one after the other with no other
        client's statement between them, and a statement that fails leaves nothing of its own.
        The step at index ``guard`` is the one whose condition the unit rests on (a
        contribution still pending, a value unchanged since the proposal): when it returns
        no row, :class:`~graph.errors.Conflict` is raised — Neo4j rolls the transaction back,
        and on FalkorDB the later steps must be written to do nothing in that case (they
        match what the guard step wrote). The version is bumped only when the unit wrote.
        """
        from graph.errors import Conflict

        for cypher, _ in steps:
            check_statement(cypher)
        results = self._write_steps([(c, dict(p or {})) for c, p in steps], guard)
        if not results[guard]:
            raise Conflict("the graph changed since this change was prepared; nothing was written")
        self.bump_version()
        return results

    def _write_steps(self, steps: list[tuple[str, dict]], guard: int) -> list[list[list]]:
        """The rows of each step of :meth:`write_steps` (backends run them as one unit)."""
        raise NotImplementedError

    def accounts_store(self) -> "GraphStore":
        """Where local accounts and their sessions live (:mod:`graph.contrib.accounts`).

        On FalkorDB, a graph of its own beside the knowledge graph (``<graph>__accounts`` on
        the same server), so that no read of the knowledge graph — the app's Cypher console
        included — can reach a password hash or tell who proposed what. On Neo4j, the same
        database (a second database needs Neo4j Enterprise), where the nodes carry no ``id``
        so that no export, count or analysis sees them.
        """
        return self

    # -- the graph version -----------------------------------------------------
    def version(self) -> dict:
        """The graph's version: ``{"version": token, "changes": n, "changed_at": iso}``.

        Every write through this store (:meth:`run` with ``write=True``,
        :meth:`write_rows`) gives the graph a new random token
        afterwards, so that whatever was computed from the graph (an in-memory
        cache, a kept analysis, a snapshot) is valid exactly as long as the token it
        carries is the current one. ``version`` is ``""`` before the first write
        and after :meth:`clear` (an empty graph).
        Writes made by other tools (Neo4j Browser, cypher-shell) do not change it.
        """
        from queries import library

        q = library().get("stats.version", backend=self.backend)
        _, rows = self._execute(q.text, {}, write=False, timeout=self.timeout)
        if not rows:
            return {"version": "", "changes": 0, "changed_at": None}
        token, changes, at = rows[0]
        return {"version": token or "", "changes": changes or 0, "changed_at": at}

    def write_derived(self, cypher: str, params: dict | None = None) -> pd.DataFrame:
        """Write what is not the knowledge itself — a kept analysis (:mod:`graph.kept`), an
        account, a proposal waiting for review (:mod:`graph.contrib`) — in one statement,
        leaving the graph's version as it is; return the statement's rows."""
        check_statement(cypher)
        names, rows = self._execute(cypher, dict(params or {}), write=True, timeout=self.timeout)
        return pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)

    def query_derived(self, name: str, /, **params) -> pd.DataFrame:
        """:meth:`write_derived` for the library write ``name`` (bookkeeping: accounts, proposals)."""
        from queries import library

        q = library().get(name, backend=self.backend)
        if not q.writes or q.template:
            raise ParameterError(f"query {name} is not a plain write")
        return self.write_derived(q.text, q.bind(params))

    def bump_version(self) -> str:
        """Give the graph a new version token (after a write) and return it."""
        import secrets
        from datetime import datetime, timezone

        from queries import library

        q = library().get("admin.version_bump", backend=self.backend)
        token = secrets.token_hex(8)
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._execute(q.text, {"token": token, "at": at}, write=True, timeout=self.timeout)
        return token

    def _write_batches(self, cypher, rows, batch_size, progress) -> int:
        """The batches of :meth:`write_rows`, in order. With :attr:`pipelined_writes` and
        more than one batch, a background thread sends batch *n* (the engine runs it on
        its own core) while this one prepares batch *n + 1*; batch *n + 1* is sent only
        once *n* has succeeded, so a failure stops the load at the same row as one batch
        after the other."""
        from concurrent.futures import Future, ThreadPoolExecutor

        def now(prepared, batch) -> Future:            # one batch after the other
            done: Future = Future()
            try:
                self._send_batch(cypher, prepared, batch)
                done.set_result(None)
            except MaillageError as err:
                done.set_exception(err)
            return done

        def settle(future, start, size) -> int:
            try:
                future.result()
            except MaillageError as err:
                log.warning("batch write failed at row %d: %s\n%s", start, err, cypher)
                raise
            if progress:
                progress(size)
            return size

        pool = (ThreadPoolExecutor(max_workers=1, thread_name_prefix="maillage-write")
                if self.pipelined_writes and len(rows) > batch_size else None)
        sent, pending = 0, None
        try:
            for start in range(0, len(rows), batch_size):
                batch = list(rows[start:start + batch_size])
                prepared = self._prepare_batch(cypher, batch)
                if pending is not None:
                    sent += settle(*pending)
                future = (pool.submit(self._send_batch, cypher, prepared, batch) if pool
                          else now(prepared, batch))
                pending = (future, start, len(batch))
            if pending is not None:
                sent += settle(*pending)
        finally:
            if pool is not None:
                pool.shutdown()
        return sent

    def query(self, name: str, /, **params) -> pd.DataFrame:
        """Run the library query ``name`` (e.g. ``"explore.neighbourhood"``) with ``params``."""
        from queries import library

        q = library().get(name, backend=self.backend)
        bound = q.bind(params)
        return self.run(render_for(q, bound), bound, write=q.writes, columns=q.returns)

    # -- backend specifics ---------------------------------------------------
    @abstractmethod
    def _execute(self, cypher: str, params: dict, *, write: bool,
                 timeout: float) -> tuple[list[str], list[list]]:
        """Run and return (column names, rows of plain Python values)."""

    @abstractmethod
    def _write_batch(self, cypher: str, rows: list[dict]) -> None:
        """Run ``cypher`` with ``$rows`` in one write transaction."""

    #: Whether :meth:`write_rows` may send a batch from a background thread while it
    #: prepares the next (:meth:`_prepare_batch` here, :meth:`_send_batch` there).
    pipelined_writes = False

    def _prepare_batch(self, cypher: str, rows: list[dict]):
        """The part of a batch write done before sending (by default nothing)."""
        return rows

    def _send_batch(self, cypher: str, prepared, rows: list[dict]) -> None:
        """Send a batch prepared by :meth:`_prepare_batch`."""
        self._write_batch(cypher, rows)

    @abstractmethod
    def ensure_schema(self) -> None:
        """Create the unique ids and indexes of :mod:`graph.model` (idempotent)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every node and relationship of this store's graph."""

    def close(self) -> None:  # pragma: no cover - trivial default
        """Release connections (the embedded engine keeps running for other processes)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


#: string literals, quoted names and comments: the parts of a statement that are not Cypher code
#: (a string or comment left open stays code, so a doubtful statement is refused, not let through)
_NOT_CODE = re.compile(r"""'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`[^`]*`|//[^\n\r]*|/\*.*?\*/""", re.S)
#: the same without backslash escapes, in case an engine reads ``'a\'`` as a whole string
_NOT_CODE_RAW = re.compile(r"""'[^']*'|"[^"]*"|`[^`]*`|//[^\n\r]*|/\*.*?\*/""", re.S)
_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.I)


def check_statement(cypher: str) -> None:
    """Refuse what no maillage statement needs and the engine would do outside the graph.

    ``LOAD CSV`` makes the engine open a file or a URL (``https://…``, even from a
    read-only query): maillage works offline and reads its files with ``maillage
    load``, so the clause is refused, in reads and writes, before anything is sent.
    A NUL character would cut the statement short in the engine.
    """
    if "\x00" in cypher:
        raise QueryError("the query text holds a NUL character (\\x00); remove it")
    for pattern in (_NOT_CODE, _NOT_CODE_RAW):
        if _LOAD_CSV.search(pattern.sub(" ", cypher)):
            raise QueryError(
                "LOAD CSV is refused: the engine would open a file or a URL, and maillage works "
                "offline; load files with `maillage load` instead")


#: the clauses that change a graph, as code (not a property key ``n.set``, a label ``:Merge``
#: or a map key ``{create: 1}``)
_WRITE_CLAUSE = re.compile(
    r"(?<![.:$\w])(CREATE|MERGE|SET|DELETE|REMOVE|DROP|FOREACH|LOAD|ALTER|GRANT|DENY|REVOKE)(?!\s*:)\b",
    re.I)


#: a procedure call (``CALL db.labels()``), not a subquery (``CALL { … }``)
_PROCEDURE = re.compile(r"(?<![.:$\w])CALL\s+([A-Za-z_][\w.]*)\s*\(", re.I)
#: the procedures that only read the schema
_READ_PROCEDURES = {"db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization"}


def write_clause(cypher: str) -> str | None:
    """The first clause of ``cypher`` that may write (``"SET"``), or None for a statement of reads.

    For a server whose query plans do not say read or write: a text check that errs on
    the side of refusing, so a procedure call is refused unless it only reads the schema.
    """
    for pattern in (_NOT_CODE, _NOT_CODE_RAW):
        code = pattern.sub(" ", cypher)
        found = _WRITE_CLAUSE.search(code)
        if found:
            return found.group(1).upper()
        for call in _PROCEDURE.finditer(code):
            if call.group(1).lower() not in _READ_PROCEDURES:
                return f"CALL {call.group(1)}"
    return None


def refuse_nul(params: dict, engine: str) -> None:
    """ParameterError if a string of ``params`` holds a NUL character, which ``engine`` cannot store."""
    path = _nul_path(params)
    if path:
        raise ParameterError(f"parameter {path} holds a NUL character (\\x00), which the {engine} "
                             "engine cannot store in a string; remove it from the value")


def _nul_path(params: dict) -> str | None:
    """The path (``$rows[3].name``) of the first string in ``params`` holding a NUL character."""
    stack = [(f"${k}", v) for k, v in reversed(list(params.items()))]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return path
        elif isinstance(value, dict):
            for k, v in reversed(list(value.items())):
                if "\x00" in str(k):
                    return f"{path} (key {k!r})"
                stack.append((f"{path}.{k}", v))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(value))))
    return None


def _short(params: dict, limit: int = 500) -> str:
    text = repr(params)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} chars)"


def render_for(q, bound: dict) -> str:
    """The text of library query ``q`` ready to run with ``bound`` params.

    A read template whose only placeholder is ``LABEL`` takes the label of its
    ``id`` parameter's prefix (``structure:…`` → ``Structure``), so the label
    index serves the lookup; other templates are internal and refused here.
    """
    if not q.template:
        return q.text
    from graph import model

    if q.template == ("LABEL",) and "id" in bound:
        try:
            return q.render(LABEL=model.label_for_id(bound["id"]))
        except ValueError as err:
            raise ParameterError(f"query {q.name}: {err}") from None
    raise ParameterError(f"query {q.name} is an internal template; it cannot be run by name")


def store_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``$MAILLAGE_STORE``, else ``embedded://``."""
    return url or os.environ.get("MAILLAGE_STORE") or DEFAULT_URL


def open_store(url: str | None = None, *, graph: str | None = None,
               timeout: float = DEFAULT_TIMEOUT) -> GraphStore:
    """Open the store named by ``url`` (see the module docstring) and return it.

    ``graph`` (or ``?graph=NAME`` in the URL) picks the graph inside a FalkorDB
    server; Neo4j uses ``NEO4J_DATABASE`` instead.
    """
    url = store_url(url)
    try:
        parsed = urlparse(url)
        port = parsed.port
    except ValueError as err:
        raise StoreUnavailable(f"malformed store URL {redact_url(url)!r}: {err}") from None
    query = parse_qs(parsed.query)
    graph = graph or (query.get("graph") or [None])[0] or DEFAULT_GRAPH
    scheme = parsed.scheme
    if scheme == "embedded":
        from graph.embedded import EmbeddedEngine, FalkorStore

        engine = EmbeddedEngine.for_path(parsed.path or None)
        store = FalkorStore(engine.client(), graph=graph, url=url, timeout=timeout)
        store.home = engine.home  # the data folder, where read copies are kept (graph.read_copy)
        return store
    if scheme == "falkordb":
        from graph.embedded import FalkorStore, connect_tcp

        return FalkorStore(connect_tcp(parsed.hostname or "localhost", port or 6379),
                           graph=graph, url=url, timeout=timeout)
    if scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_env(url, timeout=timeout)
    raise StoreUnavailable(
        f"unknown store URL {redact_url(url)!r}: use embedded://, embedded:///path, "
        "falkordb://host:port, neo4j://host:port or bolt://host:port"
    )


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")
_SECRET_PARAM = re.compile(r"([?&][^=&#]*(?:pass|secret|token|key|auth)[^=&#]*=)[^&#]*", re.I)


def redact_url(url: str) -> str:
    """``url`` fit to show or log: the user and password (``//user:pw@``) and secret-looking
    query values (``?password=…``) become ``***``. Works on URLs ``urlparse`` refuses."""
    url = _USERINFO.sub(r"\1***@", url)
    return _SECRET_PARAM.sub(r"\1***", url)


def strip_userinfo(url: str) -> str:
    """``url`` without its ``user:password@`` part (the credentials go to the driver apart)."""
    return _USERINFO.sub(r"\1", url)


def iter_batches(rows: Iterable[dict], size: int) -> Iterable[list[dict]]:
    """Yield lists of at most ``size`` rows."""
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch

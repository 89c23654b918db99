"""Neo4j 5 behind the :class:`~graph.store.GraphStore` interface.

Connection settings come from the URL (``neo4j://host:7687``, ``bolt://…``)
and the environment: ``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD``
and ``NEO4J_DATABASE`` (default ``neo4j``). Reads run in READ transactions
*and* are first checked with ``EXPLAIN``: the driver's access mode is only a
routing hint, so a statement whose plan is not read-only (query type ``r``) is
refused before it runs. The password is never logged.

This module is the only one that imports ``neo4j``.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

import neo4j
from neo4j.exceptions import (
    AuthError, ClientError, CypherSyntaxError, DriverError, Neo4jError, ServiceUnavailable,
)

from graph import model
from graph.errors import (
    QueryError, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable,
)
from graph.store import GraphStore, strip_userinfo, write_clause


def _plain(value):
    if isinstance(value, neo4j.graph.Node):
        return {"_labels": sorted(value.labels), **dict(value)}
    if isinstance(value, neo4j.graph.Relationship):
        return {"_type": value.type, **dict(value)}
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_plain(n) for n in value.nodes],
                "edges": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def _translate(err: Exception) -> Exception:
    text = getattr(err, "message", None) or str(err)
    code = getattr(err, "code", "") or ""
    if isinstance(err, AuthError):
        return StoreUnavailable("Neo4j refused the credentials: check NEO4J_USER and NEO4J_PASSWORD")
    if isinstance(err, ServiceUnavailable):
        return StoreUnavailable(f"Neo4j cannot be reached: {text}")
    if "AccessMode" in code or "write" in text.lower() and "read" in text.lower():
        return ReadOnlyViolation("this query writes to the graph, and only reads are allowed here")
    if "TransactionTimedOut" in code or "Terminated" in code or "timeout" in text.lower():
        return QueryTimeout(f"the query was stopped after its time limit: {text}")
    if isinstance(err, (CypherSyntaxError, ClientError)) or "unknown procedure" in text.lower():
        return QueryError(f"Neo4j refused the query: {text}")
    return StoreError(f"Neo4j error: {text}")


def _operators(plan) -> set[str]:
    """The operator names (``LoadCSV``, ``Expand(All)``…) of an EXPLAIN plan, ``@neo4j`` dropped."""
    found, stack = set(), [plan]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.add(str(node.get("operatorType", "")).split("@")[0])
            stack.extend(node.get("children") or [])
    return found


def _agent(driver) -> str:
    try:
        return driver.get_server_info().agent or ""
    except (DriverError, Neo4jError, AttributeError):
        return ""


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j 5 server."""

    backend = "neo4j"

    def __init__(self, driver: "neo4j.Driver", *, database: str = "neo4j", url: str = "",
                 timeout: float = 30.0):
        super().__init__(timeout=timeout)
        self.driver = driver
        self.database = database
        self.url = url
        #: the server's own name and version ("Neo4j/5.26.0"), as it announces itself
        self.agent = _agent(driver)
        #: ArcadeDB's Bolt plugin, CI's stand-in for Neo4j (tests/bolt_server.py), which differs
        #: in two ways that matter here. Its EXPLAIN plans every statement as "w", so reads are
        #: checked by their text (write_clause) instead, with the server's update counters
        #: behind; and it cannot add a second label to a node when both labels carry a
        #: uniqueness constraint, so ids get plain indexes there.
        self.stand_in = "arcadedb" in self.agent.lower()

    @classmethod
    def from_env(cls, url: str, *, timeout: float = 30.0) -> "Neo4jStore":
        """Connect to ``url``; credentials from the URL (``bolt://user:pw@host``) or the environment."""
        parsed = urlsplit(url)
        user = unquote(parsed.username) if parsed.username else os.environ.get("NEO4J_USER", "neo4j")
        password = (unquote(parsed.password) if parsed.password is not None
                    else os.environ.get("NEO4J_PASSWORD", ""))
        plain = strip_userinfo(url)
        database = os.environ.get("NEO4J_DATABASE", "neo4j")
        try:
            driver = neo4j.GraphDatabase.driver(plain, auth=(user, password))
            driver.verify_connectivity()
        except (DriverError, Neo4jError, ValueError) as err:
            raise _translate(err) from None
        return cls(driver, database=database, url=url, timeout=timeout)

    def _execute(self, cypher, params, *, write, timeout):
        # the transaction's time limit belongs on the unit of work: both driver majors refuse a
        # neo4j.Query object inside a managed transaction (tx.run)
        @neo4j.unit_of_work(timeout=timeout)
        def work(tx):
            result = tx.run(cypher, params)
            keys = list(result.keys())
            rows = [[_plain(v) for v in record.values()] for record in result]
            counters = result.consume().counters
            if not write and (counters.contains_updates or counters.contains_system_updates):
                # raised inside the unit of work, so the driver rolls the transaction back
                raise ReadOnlyViolation("this query writes to the graph, and only reads are allowed here "
                                        f"(the server reported {counters})")
            return keys, rows

        try:
            with self.driver.session(database=self.database,
                                     default_access_mode=neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS) as s:
                if write:
                    return s.execute_write(work)
                if not self.stand_in:
                    self._check_plan(s, cypher, params)
                elif clause := write_clause(cypher):
                    raise ReadOnlyViolation(
                        "this query may write to the graph, and only reads are allowed here "
                        f"(it holds {clause})")
                return s.execute_read(work)
        except (DriverError, Neo4jError) as err:
            raise _translate(err) from None

    @staticmethod
    def _check_plan(session, cypher, params) -> None:
        """Refuse, before it runs, a statement that Neo4j does not plan as a read."""
        plan = session.run("EXPLAIN " + cypher, params).consume()
        if plan.query_type not in ("r",):
            raise ReadOnlyViolation(
                "this query writes to the graph, and only reads are allowed here "
                f"(Neo4j plans it as query type {plan.query_type!r})")
        if "LoadCSV" in _operators(plan.plan):  # behind the text check of GraphStore.run
            raise QueryError("LOAD CSV is refused: the engine would open a file or a URL, and "
                             "maillage works offline; load files with `maillage load` instead")

    def _write_batch(self, cypher, rows):
        try:
            with self.driver.session(database=self.database) as s:
                s.execute_write(lambda tx: tx.run(cypher, {"rows": rows}).consume())
        except (DriverError, Neo4jError) as err:
            raise _translate(err) from None

    def _write_steps(self, steps, guard):
        from graph.errors import Conflict

        def work(tx):
            out = []
            for i, (cypher, params) in enumerate(steps):
                rows = [[_plain(v) for v in record.values()] for record in tx.run(cypher, params)]
                if i == guard and not rows:   # raised inside the unit of work: rolled back
                    raise Conflict("the graph changed since this change was prepared; nothing was written")
                out.append(rows)
            return out

        try:
            with self.driver.session(database=self.database) as s:
                return s.execute_write(work)
        except (DriverError, Neo4jError) as err:
            raise _translate(err) from None

    def ensure_schema(self) -> None:
        from queries import library

        q = library().get("schema.index_plain" if self.stand_in else "schema.index", backend=self.backend)
        for lab in model.LABELS:
            self.run(q.render(LABEL=lab), write=True)

    def clear(self) -> None:
        from queries import library

        q = library().get("admin.delete_batch")
        while True:  # not through run(): its version bump would be deleted by the next batch
            _, rows = self._execute(q.text, q.bind({}), write=True, timeout=self.timeout)
            if int(rows[0][0]) == 0:
                break

    def close(self) -> None:
        self.driver.close()

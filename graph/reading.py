"""Reading the store: library queries read page by page, rows as plain dicts, id lookups.

Whole-graph reads (exports, the app's graph, the analyses' inputs) go through
:func:`fetch_pages`: keyset pages of indexed range reads, each below the engine's
result cap. Nothing here reads or writes a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from graph.errors import QueryError
from graph.store import PAGE_ROWS, GraphStore
from queries import library


def known_ids_in(store: GraphStore) -> Callable[[str, list[str]], set[str]]:
    """A ``known_ids(label, ids)`` lookup against ``store`` (for relation endpoints)."""
    q = library().get("export.ids", backend=store.backend)

    def known(label: str, ids: list[str]) -> set[str]:
        text = q.render(LABEL=label)
        found: set[str] = set()
        for start in range(0, len(ids), 10_000):
            df = store.run(text, {"ids": ids[start:start + 10_000]}, max_rows=None)
            found.update(df["id"].tolist() if len(df) else [])
        return found

    return known


def fetch_pages(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[list[dict]]:
    """The rows of a paged library query, one page (a list of dicts) at a time.

    A keyset-paged query (``// cursor: id after`` in its header) gets the last row's
    ``id`` as ``$after`` for the next page: each page is one indexed range read, not
    a re-sort of everything before it. Other paged queries (``$skip``/``$limit``) are
    read with SKIP. Pages stay below the engine's result cap, which would cut a larger
    page silently (and ``store.run`` raises if one reaches it). Missing values are None
    (never the NaN pandas puts in a column).
    """
    q = library().get(name, backend=store.backend)
    if store.result_cap:
        page = min(page, store.result_cap - 1)
    cursor = q.cursor
    values = {**params, "limit": page}
    if cursor is None:
        values["skip"] = 0
    while True:
        df = store.run(q.text, q.bind(values), max_rows=None, timeout=600)
        rows = frame_records(df)
        del df
        if rows:
            yield rows
        if len(rows) < page:
            return
        if cursor is None:
            values["skip"] += page
            continue
        last = rows[-1][cursor[0]]
        if last is None or (cursor[1] in values and not last > values[cursor[1]]):
            raise QueryError(f"query {name}: its cursor {cursor[0]} does not increase ({last!r} after "
                             f"{values.get(cursor[1])!r}), so its pages cannot be followed")
        values[cursor[1]] = last


def fetch_rows(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[dict]:
    """The rows of a paged library query one at a time, pages read as they are consumed."""
    for rows in fetch_pages(store, name, page, **params):
        yield from rows


def fetch_all(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> list[dict]:
    """Every row of a paged library query (``export.nodes``…), read page by page (:func:`fetch_pages`)."""
    return list(fetch_rows(store, name, page, **params))


def frame_records(df) -> list[dict]:
    """A query result's rows as dicts, missing values None (never the NaN pandas puts in a column)."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def fetch_relationships(store: GraphStore, name: str, page: int = PAGE_ROWS, **params) -> Iterator[dict]:
    """The relationships of a query grouped by source (``source, relationships`` rows of
    ``[type, target, properties]``: ``export.relationships``),
    one ``source, type, target, properties`` dict at a time, in source, type, target
    (then ``key``) order. Pages are read as they are consumed."""
    for rows in fetch_pages(store, name, page, **params):
        for row in rows:
            source = row["source"]
            for rtype, target, props in sorted(row["relationships"] or (), key=_relationship_order):
                yield {"source": source, "type": rtype, "target": target, "properties": props}


def _relationship_order(rel) -> tuple:
    rtype, target, props = rel
    return rtype, target or "", str((props or {}).get("key") or "")

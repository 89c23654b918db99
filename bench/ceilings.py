"""The load paths the project's own loader is compared with.

* :func:`naive_merge`: the baseline a first script would write — the same MERGE
  upserts as ``queries/upsert/``, but one row per statement (one round trip each);
* :func:`bulk_loader`: the engine's bulk path, the ``falkordb-bulk-loader`` tool
  (``GRAPH.BULK`` binary inserts into a new graph), on the same rows;
* :func:`create_only`: ``UNWIND $rows … CREATE`` without MERGE, same batches as the
  loader: the ceiling of the Cypher path (what MERGE costs).

Each writes into its own new graph of the engine it is given.
"""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measure import emit, open_graph

from graph import model
from queries import library


def _single_row(text: str) -> str:
    """An ``UNWIND $rows AS row`` upsert as a one-row statement on ``$param``s."""
    body = text.split("UNWIND $rows AS row", 1)[1]
    return body.replace("row.", "$").strip()


def naive_merge(engine, bundle, *, sample: int, seed: int = 0) -> dict:
    """Per-row MERGE of ``sample`` node rows and ``sample`` relation rows (new graph, indexed)."""
    store = open_graph(engine, "naive")
    store.clear()
    store.ensure_schema()
    lib = library()
    rng = random.Random(seed)
    node_rows = [(lab, r) for lab, rows in sorted(bundle.nodes.items()) for r in rows]
    rel_rows = [(k, r) for k, rows in sorted(bundle.relations.items()) for r in rows]
    nodes = rng.sample(node_rows, min(sample, len(node_rows)))
    rels = rng.sample(rel_rows, min(sample, len(rel_rows)))
    node_q = lib.get("upsert.node", backend=store.backend)
    rel_q = lib.get("upsert.relation", backend=store.backend)
    t0 = time.perf_counter()
    for lab, row in nodes:
        store.run(_single_row(node_q.render(LABEL=lab)), row, write=True)
    t_nodes = time.perf_counter() - t0
    # endpoints of the sampled relations, written in batches (not timed)
    ends: dict[str, set] = {}
    for (src, _, dst), r in rels:
        ends.setdefault(src, set()).add(r["source_id"])
        ends.setdefault(dst, set()).add(r["target_id"])
    for lab, ids in ends.items():
        store.write_rows(node_q.render(LABEL=lab), [{"id": i, "props": {}, "sources": []} for i in sorted(ids)])
    t0 = time.perf_counter()
    for (src, rtype, dst), row in rels:
        store.run(_single_row(rel_q.render(SRC=src, TYPE=rtype, DST=dst)), row, write=True)
    t_rels = time.perf_counter() - t0
    store.clear()
    n = len(nodes) + len(rels)
    return emit("naive_merge", rows=n, node_rows=len(nodes), relation_rows=len(rels),
                seconds=t_nodes + t_rels, nodes_per_s=len(nodes) / t_nodes,
                relations_per_s=len(rels) / t_rels, rows_per_s=n / (t_nodes + t_rels))


# --- the FalkorDB bulk loader -------------------------------------------------------

def _bulk_type(values) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int}:
        return "INT"
    if kinds <= {int, float}:
        return "DOUBLE"
    if kinds <= {list, tuple}:
        return "ARRAY"
    return "STRING"


def _bulk_cell(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "ARRAY":
        return repr([str(v) for v in value])
    return str(value)


def _write_bulk_file(path: Path, id_cols: list[str], rows: list[dict], ids, prop_of) -> None:
    names = sorted({k for r in rows for k in prop_of(r)})
    kinds = {k: _bulk_type(prop_of(r).get(k) for r in rows) for k in names}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(id_cols + [f"{k}:{kinds[k]}" for k in names])
        for r in rows:
            props = prop_of(r)
            w.writerow(list(ids(r)) + [_bulk_cell(props.get(k), kinds[k]) for k in names])


def write_bulk_csv(folder: Path, bundle, territory_nodes, part_of) -> tuple[list, int]:
    """The bundle plus the territorial reference as bulk-loader CSV files; (args, rows)."""
    folder.mkdir(parents=True, exist_ok=True)
    args, rows = [], 0
    nodes = {lab: list(r) for lab, r in bundle.nodes.items()}
    nodes.setdefault(model.TERRITORY, []).extend(territory_nodes)
    for lab, lrows in sorted(nodes.items()):
        path = folder / f"{lab}.csv"
        _write_bulk_file(path, ["id:ID"], lrows, lambda r: (r["id"],),
                         lambda r: {**r["props"], "sources": r["sources"]})
        args += ["-N", lab, str(path)]
        rows += len(lrows)
    by_type: dict[str, list] = {}
    for (_, rtype, _), rrows in bundle.relations.items():
        by_type.setdefault(rtype, []).extend(rrows)
    by_type.setdefault("PART_OF", []).extend(part_of)
    for rtype, rrows in sorted(by_type.items()):
        path = folder / f"rel-{rtype}.csv"
        _write_bulk_file(path, [":START_ID", ":END_ID"], rrows, lambda r: (r["source_id"], r["target_id"]),
                         lambda r: {"key": r["key"], **r["props"], "sources": r["sources"]})
        args += ["-R", rtype, str(path)]
        rows += len(rrows)
    return args, rows


#: seconds the bulk tool's connection waits on the engine (redis-py's default is 5)
BULK_SOCKET_TIMEOUT = 600.0


def bulk_loader(engine, bundle, territory_nodes, part_of, work: Path) -> dict:
    """Time ``falkordb-bulk-insert`` on the same rows (CSV preparation not timed)."""
    exe = Path(sys.executable).parent / "falkordb-bulk-insert"
    if not exe.exists():
        return emit("bulk_loader", error="falkordb-bulk-loader is not installed (pip install -e '.[bench]')")
    folder = work / "bulk-csv"
    t0 = time.perf_counter()
    args, rows = write_bulk_csv(folder, bundle, territory_nodes, part_of)
    prep = time.perf_counter() - t0
    present = sorted(set(bundle.nodes) | {model.TERRITORY})
    index = [x for lab in present for x in ("-i", f"{lab}:id")]
    # The tool connects with FalkorDB.from_url(url) and no timeout, so redis-py's default
    # socket timeout (5 s) bounds every GRAPH.BULK it writes or reads. At 250,000
    # structures the engine's automatic AOF rewrites start during the load and stall its
    # main thread (fork preparation 1.0-2.6 s measured here, more on a busy machine): a
    # stall past 5 s aborted the load with "TimeoutError: Timeout writing to socket".
    # Same limit as the project's own store (open_graph: 600 s), given in the URL, where
    # redis-py reads socket_timeout; the engine and the rows are unchanged.
    url = f"unix://{engine.socket}?socket_timeout={BULK_SOCKET_TIMEOUT:g}"
    cmd = [str(exe), "bulk", "--server-url", url, "--enforce-schema",
           "--max-token-count", "1024", *args, *index]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    shutil.rmtree(folder, ignore_errors=True)
    if proc.returncode != 0:
        return emit("bulk_loader", error=(proc.stderr or proc.stdout)[-800:], seconds=seconds)
    store = open_graph(engine, "bulk")
    from measure import graph_counts

    labels, types = graph_counts(store)
    store.clear()
    tail = [ln for ln in proc.stdout.splitlines() if "complete" in ln.lower()][-1:]
    return emit("bulk_loader", rows=rows, seconds=seconds, rows_per_s=rows / seconds,
                csv_prep_seconds=prep, nodes=sum(labels.values()), relationships=sum(types.values()),
                report=tail[0][-160:] if tail else "")


# --- UNWIND CREATE without MERGE ------------------------------------------------------

CREATE_NODE = "UNWIND $rows AS row CREATE (n:__LABEL__) SET n = row.props, n.id = row.id, n.sources = row.sources"
CREATE_REL = ("UNWIND $rows AS row MATCH (a:__SRC__ {id: row.source_id}) MATCH (b:__DST__ {id: row.target_id}) "
              "CREATE (a)-[r:__TYPE__]->(b) SET r = row.props, r.key = row.key, r.sources = row.sources")


def create_only(engine, bundle, territory_nodes, part_of, *, batch_size: int) -> dict:
    """Same rows, same batches, ``CREATE`` instead of ``MERGE`` (indexed new graph)."""
    store = open_graph(engine, "create")
    store.clear()
    store.ensure_schema()
    nodes = {lab: list(r) for lab, r in bundle.nodes.items()}
    nodes.setdefault(model.TERRITORY, []).extend(territory_nodes)
    rels = dict(bundle.relations)
    rels[(model.TERRITORY, "PART_OF", model.TERRITORY)] = part_of
    t0 = time.perf_counter()
    n_nodes = sum(store.write_rows(CREATE_NODE.replace("__LABEL__", model.label(lab).strip("`")), rows,
                                   batch_size=batch_size) for lab, rows in sorted(nodes.items()))
    t_nodes = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_rels = 0
    for (src, rtype, dst), rows in sorted(rels.items()):
        q = (CREATE_REL.replace("__SRC__", src).replace("__DST__", dst)
             .replace("__TYPE__", model.rel_type(rtype).strip("`")))
        n_rels += store.write_rows(q, rows, batch_size=batch_size)
    t_rels = time.perf_counter() - t0
    store.clear()
    return emit("create_only", rows=n_nodes + n_rels, seconds=t_nodes + t_rels,
                nodes_per_s=n_nodes / t_nodes, relations_per_s=n_rels / t_rels,
                rows_per_s=(n_nodes + n_rels) / (t_nodes + t_rels))

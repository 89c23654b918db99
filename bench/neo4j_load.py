"""The Neo4j column: the same bundle loaded into a Neo4j server and into the embedded engine.

``python bench/neo4j_load.py --structures 100000 --neo4j bolt://host:7687`` loads the
synthetic bundle of :mod:`bench.generate` with :func:`loaders.load.load_path` (what
``maillage load`` runs), in one run: into a fresh private embedded engine, then into
the Neo4j database (``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``; **it is
cleared first**), then re-loads the bundle into both. One JSON line per measure:
rows/s of each load, the counts after each (a re-load must leave them unchanged) and
whether both engines hold the same counts.

``--stand-in`` starts ArcadeDB's Bolt plugin (``tests/bolt_server.py``, extra
``neo4j-test``) instead of a given server: the CI's stand-in for Neo4j, whose speed
says nothing of Neo4j's. Not a test, not run by CI.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import emit, env_info, graph_counts, open_graph, peak_rss_mb, start_engine  # noqa: E402

import generate  # noqa: E402
from loaders.load import load_path, territory_rows  # noqa: E402


def timed_load(engine_name: str, store, path: Path, measure: str, rows_expected: int) -> dict:
    t0 = time.perf_counter()
    report = load_path(store, path)
    seconds = time.perf_counter() - t0
    nodes, rels = graph_counts(store)
    return emit(f"{measure}.{engine_name}", rows=rows_expected, seconds=seconds,
                rows_per_s=rows_expected / seconds, read=report.read, rejected=report.rejected_rows,
                nodes=sum(nodes.values()), relationships=sum(rels.values()),
                loader_peak_rss_mb=peak_rss_mb())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--structures", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--bundle", type=Path, default=None, help="bundle folder (default: generated under /tmp)")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--neo4j", help="bolt:// or neo4j:// URL of a server whose database may be cleared")
    where.add_argument("--stand-in", action="store_true", help="start ArcadeDB's Bolt plugin for the run")
    ap.add_argument("--skip-embedded", action="store_true", help="load into Neo4j only")
    args = ap.parse_args(argv)

    from graph.store import open_store

    emit("env", **env_info())
    path, manifest, _ = generate.ensure_bundle(args.structures, args.seed, args.bundle)
    terr_nodes, part_of = territory_rows()
    relations = manifest["counts"]["relations.csv"]
    nodes = sum(manifest["counts"].values()) - relations
    rows = len(terr_nodes) + len(part_of) + nodes + relations
    emit("bundle", path=str(path), structures=args.structures, nodes=nodes, relations=relations,
         rows_with_territories=rows)

    bolt_dir = None
    url = args.neo4j
    if args.stand_in:
        sys.path.insert(0, str(HERE.parent / "tests"))
        import bolt_server

        bolt_dir = Path(tempfile.mkdtemp(prefix="mbench-bolt-"))
        env = bolt_server.start(bolt_dir, 0, "maillage-bench", max_hours=3)
        os.environ.update({k: v for k, v in env.items() if k.startswith("NEO4J_")})
        url = env["MAILLAGE_TEST_NEO4J_URI"]
    engine = None
    try:
        stores = []
        if not args.skip_embedded:
            engine = start_engine(Path(tempfile.mkdtemp(prefix="mbn", dir="/tmp")))
            stores.append(("embedded", open_graph(engine, "bench")))
        neo = open_store(url, timeout=600.0)
        emit("neo4j.server", url=url, agent=getattr(neo, "agent", ""))
        neo.clear()
        stores.append(("neo4j", neo))
        counts = {}
        for name, store in stores:
            fresh = timed_load(name, store, path, "load.fresh", rows)
            again = timed_load(name, store, path, "load.reload", rows)
            emit(f"load.reload_unchanged.{name}",
                 unchanged=(fresh["nodes"], fresh["relationships"]) == (again["nodes"], again["relationships"]))
            counts[name] = (again["nodes"], again["relationships"])
        if len(counts) == 2:
            emit("load.same_counts", same=counts["embedded"] == counts["neo4j"], **{
                f"{k}_{part}": v[i] for k, v in counts.items() for i, part in enumerate(("nodes", "rels"))})
        for _, store in stores:
            store.close()
    finally:
        if engine is not None:
            engine.stop()
        if bolt_dir is not None:
            bolt_server.stop(bolt_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

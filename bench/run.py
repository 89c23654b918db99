"""The national-scale benchmark: load, re-load, analyses, ego networks, memory, against the targets.

``python bench/run.py --structures 250000`` generates (or reuses) the synthetic
bundle of :mod:`bench.generate`, starts a **fresh private embedded engine** in a
temporary folder under ``/tmp`` (short: the Unix socket path must fit), and times
in one run:

1. fresh load (read + validate + territorial reference + upserts), rows/s for nodes
   and relations, then a check of the counts;
2. re-load of the same bundle (idempotent: counts must not change);
3. the seed base in a graph of its own (for the ego-network ratio);
4. in a separate process, like the app: the in-memory graph, coverage of every
   commune for every function, the cooperation projection with clusters (modularity)
   and brokers, igraph's multilevel Louvain on the same projection, the ego network
   (Structure page reads + pyvis HTML) of a typical structure and of the largest
   tête de réseau, and the same on the seed base;
5. in a second fresh engine: the naive one-row-per-statement MERGE on a sample, the
   FalkorDB bulk loader on the same rows, and ``UNWIND … CREATE`` without MERGE;
6. peak memory of the engine (``psutil`` on its ``redis-server``) and of the processes.

One JSON line per measure on stdout, then a table of the targets of issue 7, each
met or missed by how much. Nothing leaves the machine: the engines listen on Unix
sockets only. Not a test, not run by CI.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from measure import (  # noqa: E402
    RESULTS, MemoryMonitor, emit, env_info, graph_counts, open_graph, peak_rss_mb, start_engine,
)

import generate  # noqa: E402
from graph.store import DEFAULT_BATCH_SIZE  # noqa: E402
from loaders.bundle import ValidBundle, read_bundle, validate  # noqa: E402
from graph.reading import known_ids_in  # noqa: E402
from loaders.load import ensure_territories, load_path, seed_bundles, territory_rows  # noqa: E402


def fresh_load(store, path: Path) -> tuple[ValidBundle, dict]:
    """The real load path, timed whole: :func:`loaders.load.load_path` (the territorial
    reference written while the bundle is read, the nodes while the relations are
    validated, batches pipelined). Then read + validate again alone, not counted: the
    table shows that share, and the ceilings reuse the rows."""
    t0 = time.perf_counter()
    report = load_path(store, path)
    total = time.perf_counter() - t0
    if report.rejected:
        emit("load.rejected", rows=report.rejected_rows, first=str(report.rejected[:3]))
    t0 = time.perf_counter()
    tables = read_bundle(path)
    read_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    bundle, _ = validate(tables, known_ids=known_ids_in(store))
    validate_s = time.perf_counter() - t0
    del tables
    terr_nodes, part_of = territory_rows()
    rows = len(terr_nodes) + len(part_of) + bundle.node_count + bundle.relation_count
    emit("load.read_validate", rows=report.read, seconds=read_s + validate_s, read_s=read_s,
         validate_s=validate_s, rows_per_s=report.read / (read_s + validate_s), note="measured alone")
    emit("load.fresh", rows=rows, seconds=total, rows_per_s=rows / total,
         territory_rows=len(terr_nodes) + len(part_of), node_rows=bundle.node_count,
         relation_rows=bundle.relation_count, loader_peak_rss_mb=peak_rss_mb())
    return bundle, {"rows": rows, "seconds": total}


def _limit_memory(gb: float):
    def apply():
        import resource

        limit = int(gb * 1024**3)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def run_app_phase(home: Path, monitor: MemoryMonitor, *, budget: float, memory_gb: float) -> None:
    """The app-like measures in a process of their own, its address space capped at
    ``memory_gb`` (others share this machine: a MemoryError is reported, not a swap storm)."""
    cmd = [sys.executable, str(HERE / "app_phase.py"), "--home", str(home), "--budget", str(budget)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, preexec_fn=_limit_memory(memory_gb))
    # betweenness runs in a thread of the app process; the benchmark's igraph child does not count
    monitor.watch("app", proc.pid)
    monitor.track_sum("engine", "app")
    for line in proc.stdout:
        line = line.strip()
        if line.startswith("{"):
            row = json.loads(line)
            RESULTS.append(row)
            print(line, flush=True)
        elif line:
            print(line, file=sys.stderr)
    proc.wait()
    emit("memory.app_phase", app_peak_mb=monitor.peak("app"), engine_peak_mb=monitor.peak("engine"),
         simultaneous_peak_mb=monitor.peak_sum("engine", "app"), exit_code=proc.returncode)
    monitor.unwatch("app")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--structures", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--sample", type=int, default=2000, help="rows of each kind for the naive baseline")
    ap.add_argument("--bundle", type=Path, default=None, help="bundle folder (default: generated under /tmp)")
    ap.add_argument("--skip", action="append", default=[], choices=["reload", "app", "ceilings"],
                    help="leave a step out (repeatable)")
    ap.add_argument("--budget", type=float, default=900.0, help="seconds each analysis step may take")
    ap.add_argument("--app-memory-gb", type=float, default=12.0,
                    help="address-space cap of the app-phase process (GB)")
    ap.add_argument("--keep", action="store_true", help="keep the engines' temporary folder")
    ap.add_argument("--results", type=Path, default=None, help="also write the JSON lines to this file")
    args = ap.parse_args(argv)

    emit("machine", structures=args.structures, **env_info())
    t0 = time.perf_counter()
    path, manifest, made = generate.ensure_bundle(args.structures, args.seed, args.bundle)
    emit("bundle", path=str(path), generated=made, seconds=time.perf_counter() - t0,
         relations=manifest["counts"]["relations.csv"],
         nodes=sum(v for k, v in manifest["counts"].items() if k != "relations.csv"),
         relations_per_structure=manifest["counts"]["relations.csv"] / args.structures)

    work = Path(tempfile.mkdtemp(prefix="mb", dir="/tmp"))
    monitor = MemoryMonitor()
    engines = []
    try:
        engine = start_engine(work / "a")
        engines.append(engine)
        monitor.watch("engine", engine.pid())
        store = open_graph(engine, "maillage")
        bundle, fresh = fresh_load(store, path)
        labels, types = graph_counts(store)
        terr_nodes, part_of = territory_rows()
        want_nodes = bundle.node_count + len(terr_nodes)
        want_rels = bundle.relation_count + len(part_of)
        got_nodes = sum(v for k, v in labels.items()) - sum(len(v) for v in bundle.extra_labels.values())
        emit("load.counts", nodes=got_nodes, expected_nodes=want_nodes, relationships=sum(types.values()),
             expected_relationships=want_rels, ok=(got_nodes, sum(types.values())) == (want_nodes, want_rels),
             engine_rss_mb=monitor.peak("engine"))

        if "reload" not in args.skip:
            t0 = time.perf_counter()
            report = load_path(store, path)
            dt = time.perf_counter() - t0
            labels2, types2 = graph_counts(store)
            emit("reload", rows=report.loaded, seconds=dt, rows_per_s=report.loaded / dt,
                 unchanged=(labels2, types2) == (labels, types),
                 added_nodes=sum(labels2.values()) - sum(labels.values()),
                 added_relationships=sum(types2.values()) - sum(types.values()))

        seed_store = open_graph(engine, "seed")
        ensure_territories(seed_store)
        for b in seed_bundles():
            load_path(seed_store, b)
        emit("memory.after_load", engine_peak_mb=monitor.peak("engine"), loader_peak_mb=peak_rss_mb())

        if "app" not in args.skip:
            run_app_phase(engine.home, monitor, budget=args.budget, memory_gb=args.app_memory_gb)
        engine_a_peak = monitor.peak("engine")
        engine.stop()
        monitor.unwatch("engine")

        if "ceilings" not in args.skip:
            import ceilings

            b_engine = start_engine(work / "b")
            engines.append(b_engine)
            monitor.watch("engine_b", b_engine.pid())
            ceilings.naive_merge(b_engine, bundle, sample=args.sample)
            ceilings.bulk_loader(b_engine, bundle, terr_nodes, part_of, work)
            gc.collect()
            ceilings.create_only(b_engine, bundle, terr_nodes, part_of, batch_size=DEFAULT_BATCH_SIZE)
            emit("memory.ceilings_engine", engine_b_peak_mb=monitor.peak("engine_b"))
            b_engine.stop()
        emit("memory", engine_peak_mb=engine_a_peak, loader_peak_mb=peak_rss_mb())
    finally:
        for e in engines:
            try:
                e.stop()
            except Exception as err:  # noqa: BLE001 - best effort, report and go on
                print(f"could not stop the engine of {e.home}: {err}", file=sys.stderr)
        monitor.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    from targets import print_table

    print_table(RESULTS, args.structures)
    if args.results:
        args.results.parent.mkdir(parents=True, exist_ok=True)
        args.results.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RESULTS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

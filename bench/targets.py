"""The targets of issue 7 and the final table of :mod:`bench.run`: each met, or missed by how much."""

from __future__ import annotations

TARGET_SIZE = 250_000


def _get(results: list[dict], measure: str) -> dict:
    return next((r for r in reversed(results) if r.get("measure") == measure), {})


def _at_least(value, limit):
    if value is None or limit is None:
        return "not measured"
    if value >= limit:
        return f"met ({value / limit:.2f}x the minimum)"
    return f"MISSED by {limit - value:,.0f} ({(1 - value / limit) * 100:.0f} % short)"


def _at_most(value, limit, unit=""):
    if value is None or limit is None:
        return "not measured"
    if value <= limit:
        return f"met ({value / limit * 100:.0f} % of the limit)"
    return f"MISSED by {value - limit:,.1f}{unit} ({value / limit:.2f}x the limit)"


def evaluate(results: list[dict]) -> list[tuple[str, str, str, str]]:
    """Rows ``(target, measured, limit, verdict)``."""
    fresh = _get(results, "load.fresh").get("rows_per_s")
    bulk = _get(results, "bulk_loader").get("rows_per_s")
    naive = _get(results, "naive_merge").get("rows_per_s")
    create = _get(results, "create_only").get("rows_per_s")
    reload = _get(results, "reload")
    cov = _get(results, "coverage_all_communes")
    cb = _get(results, "clusters_brokers")
    ego_t, ego_s, hub = _get(results, "ego.typical"), _get(results, "ego.seed_typical"), _get(results, "ego.hub")
    mem = _get(results, "memory.app_phase")
    rows = []

    def row(name, measured, limit, verdict):
        rows.append((name, measured, limit, verdict))

    def fmt(x, spec=",.0f", unit=""):
        return "–" if x is None else f"{x:{spec}}{unit}"

    row("fresh load, rows/s overall", fmt(fresh), "≥ 50,000", _at_least(fresh, 50_000))
    row("fresh load vs bulk loader", fmt(fresh / bulk if fresh and bulk else None, ".2f", "x"),
        f"≥ 0.5x ({fmt(bulk)} rows/s)", _at_least(fresh, bulk / 2 if bulk else None))
    row("fresh load vs naive MERGE", fmt(fresh / naive if fresh and naive else None, ".1f", "x"),
        f"≥ 20x ({fmt(naive)} rows/s)", _at_least(fresh, naive * 20 if naive else None))
    if create:
        row("(info) UNWIND CREATE ceiling", fmt(create), "–", f"fresh load = {fresh / create:.2f}x of it"
            if fresh else "–")
    g = _get(results, "app_graph_read")
    if g.get("store_relationships"):
        row("(info) app graph read: nodes, edges", f"{g['nodes']:,} / {g['edges']:,}",
            f"store {g['store_nodes']:,} / {g['store_relationships']:,}",
            "whole graph" if (g["nodes"], g["edges"]) == (g["store_nodes"], g["store_relationships"])
            else "INCOMPLETE: the analyses below ran on part of the base")
    rr = reload.get("rows_per_s")
    row("re-load, rows/s", fmt(rr), "≥ 20,000", _at_least(rr, 20_000))
    row("re-load, no duplicates", str(reload.get("unchanged", "–")), "counts unchanged",
        "met" if reload.get("unchanged") else ("not measured" if not reload else
                                               f"MISSED (+{reload.get('added_nodes')} nodes, "
                                               f"+{reload.get('added_relationships')} relationships)"))
    row("coverage, all communes x all functions", fmt(cov.get("seconds"), ".2f", " s"), "< 10 s",
        _at_most(cov.get("seconds"), 10.0, " s"))
    est = "" if cb.get("complete", True) else " (estimated: a step ran out of budget)"
    row("clusters + brokers (national projection)", fmt(cb.get("seconds"), ".1f", " s") + est, "< 120 s",
        _at_most(cb.get("seconds"), 120.0, " s"))
    row("(info) modularity: maillage / igraph", f"{fmt(cb.get('modularity'), '.3f')} / "
        f"{fmt(cb.get('igraph_modularity'), '.3f')}", "reported",
        f"Louvain time = {fmt(cb.get('clusters_to_igraph_time'), '.1f')}x igraph's multilevel")
    row("ego network, typical structure", fmt(ego_t.get("total_ms"), ".0f", " ms"), "< 300 ms",
        _at_most(ego_t.get("total_ms"), 300.0, " ms"))
    ratio = ego_t["total_ms"] / ego_s["total_ms"] if ego_t.get("total_ms") and ego_s.get("total_ms") else None
    row("ego network, national / seed base", fmt(ratio, ".2f", "x"),
        f"≤ 2x ({fmt(ego_s.get('total_ms'), '.0f')} ms on the seed base)", _at_most(ratio, 2.0, "x"))
    if ego_t.get("error"):
        row("ego network, typical structure", "error", "< 300 ms", "MISSED: " + ego_t["error"][:80])
    if hub.get("error"):
        row("hub ego network paged, not drawn whole", "error", "paged", "MISSED: " + hub["error"][:80])
    elif hub:
        whole = hub.get("nodes_drawn", 0) > hub.get("degree", 0)
        row("hub ego network paged, not drawn whole",
            f"{hub.get('nodes_drawn'):,} nodes drawn of {hub.get('degree'):,} relations, "
            f"{hub.get('total_ms', 0):,.0f} ms", "paged",
            "MISSED: drawn whole" if whole else "met")
    for label in ("typical_paged_store", "hub_paged_store"):
        e = _get(results, f"ego.{label}")
        if e.get("total_ms") is not None:
            row(f"(info) ego from store reads only, {label.split('_')[0]}", fmt(e["total_ms"], ".0f", " ms"),
                "< 300 ms", f"{e['nodes_drawn']} nodes drawn; {_at_most(e['total_ms'], 300.0, ' ms')}")
    eng, app = mem.get("engine_peak_mb"), mem.get("app_peak_mb")
    total = eng + app if eng is not None and app is not None else None
    row("peak memory engine + app", fmt(total, ",.0f", " MB"),
        f"< 4,096 MB (engine {fmt(eng, ',.0f')}, app {fmt(app, ',.0f')})", _at_most(total, 4096.0, " MB"))
    return rows


def print_table(results: list[dict], structures: int) -> None:
    rows = evaluate(results)
    w = [max(len(r[i]) for r in rows + [("target", "measured", "limit", "verdict")]) for i in range(4)]
    head = ("target", "measured", "limit", "verdict")
    print()
    if structures != TARGET_SIZE:
        print(f"(targets are set for {TARGET_SIZE:,} structures; this run has {structures:,})")
    print("  ".join(h.ljust(w[i]) for i, h in enumerate(head)))
    print("  ".join("-" * x for x in w))
    for r in rows:
        print("  ".join(c.ljust(w[i]) for i, c in enumerate(r)))


def main(argv=None) -> int:
    """``python bench/targets.py A.jsonl [B.jsonl …]``: the table of recorded runs (a measure
    found in several files is taken from the last one)."""
    import argparse
    import json

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("results", nargs="+")
    args = ap.parse_args(argv)
    rows = [json.loads(ln) for f in args.results for ln in open(f, encoding="utf-8") if ln.strip()]
    size = next((r["structures"] for r in reversed(rows) if r.get("measure") == "machine"), TARGET_SIZE)
    print_table(rows, size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

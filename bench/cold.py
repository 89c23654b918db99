"""What a user waits for: each question as a fresh ``maillage`` process, beside ``RETURN 1``.

``python bench/cold.py --home DIR [--rounds 3] [--results FILE] [--whole]`` runs, on the
embedded engine of ``DIR`` (``MAILLAGE_HOME``, already loaded: ``maillage load`` of the
bench bundle), one cold process per command and round, end to end (start-up, store
reads, the analysis, the table printed), with ``maillage cypher "RETURN 1"`` timed in
the same round as the baseline. The target of issue 16 for a question about one place
or one structure is at most 5x that baseline (10x for a département's diagnostic,
issue 19). Each round's ratio is to that round's baseline (ratios in one run beat
absolute times on a noisy machine); the verdict uses the median ratio.

Partners, clusters, brokers and national white zones read the kept analyses and the
read copy of the graph (``maillage analyse refresh`` first, or a load that started it):
they have the 5x target too. ``--whole`` adds what still reads the whole graph or
computes over it: the refresh itself, national coverage by département (no kept
result), the GraphML export; ``--engine-read`` also drops the read copy and times one
read of the whole graph from the engine (two minutes on the 250,000 bundle).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

BASELINE = ("cypher", "RETURN 1")
#: (name, arguments): questions about one place or one structure (target: 5x the baseline)
QUESTIONS = [
    ("orient commune", ("orient", "44109", "--need", "financement", "--stage", "creation")),
    ("orient by name", ("orient", "Saint-Denis (974)", "--need", "accompagnement")),
    ("coverage région", ("analyse", "coverage", "--level", "departement", "--need", "accompagnement",
                         "--scope", "region:75", "--view", "territories")),
    ("coverage département", ("analyse", "coverage", "--level", "commune", "--need", "financement",
                              "--scope", "departement:44")),
    ("structure card", ("query", "explore.node", "--param", "id=structure:s0029204")),
    ("neighbourhood", ("query", "explore.neighbourhood_counts", "--param", "id=structure:s0029204")),
    ("stats", ("stats",)),
    ("partners", ("analyse", "partners", "structure:s0029204", "--top", "5")),
    ("clusters (kept)", ("analyse", "clusters")),
    ("brokers (kept)", ("analyse", "brokers", "--top", "20")),
    ("white zones France (kept)", ("analyse", "coverage", "--need", "financement")),
    ("report département", ("report", "departement:44", "--out", "/tmp/maillage-cold-report.html")),
]
#: commands that read the whole graph or compute over it (no 5x target: reported as measured)
WHOLE = [
    ("refresh", ("analyse", "refresh")),
    ("coverage France by dép.", ("analyse", "coverage", "--level", "departement", "--need", "accompagnement")),
    ("export graphml", ("export", "/tmp/maillage-cold-export.graphml", "--format", "graphml")),
]
ENGINE_READ = ("partners, graph from the engine", ("analyse", "partners", "structure:s0029204", "--top", "5"))
TARGET_RATIO = 5.0
#: questions with a target of their own (issue 19: a département's diagnostic within 10x)
TARGET_RATIOS = {"report département": 10.0}


def _time(args, env) -> tuple[float, int]:
    t0 = time.perf_counter()
    done = subprocess.run(["maillage", *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t0
    if done.returncode:
        print(f"  {' '.join(args)} failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
    return elapsed, done.returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--home", required=True, help="MAILLAGE_HOME of a loaded embedded engine")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--results", default=None, help="append one JSON line per command here")
    ap.add_argument("--whole", action="store_true", help="also the whole-graph commands (slow)")
    ap.add_argument("--engine-read", action="store_true",
                    help="also drop the read copy and time one whole-graph read from the engine")
    a = ap.parse_args(argv)
    env = {**os.environ, "MAILLAGE_HOME": a.home}
    env.pop("MAILLAGE_STORE", None)
    commands = QUESTIONS + (WHOLE if a.whole else [])
    once = dict(WHOLE)
    if a.engine_read:
        commands.append(ENGINE_READ)
        once[ENGINE_READ[0]] = ENGINE_READ[1]
    times: dict[str, list[float]] = {name: [] for name, _ in commands}
    ratios: dict[str, list[float]] = {name: [] for name, _ in commands}
    base: list[float] = []
    failed: set[str] = set()
    _time(BASELINE, env)  # the engine started and the files in the page cache, as for a user
    for r in range(a.rounds):
        b, _ = _time(BASELINE, env)
        base.append(b)
        for name, args in commands:
            if r and name in once:
                continue  # once is enough for minutes-long commands
            if name == ENGINE_READ[0]:
                _time(("db", "version", "--drop-copies"), env)
            s, rc = _time(args, env)
            if rc:
                failed.add(name)
            times[name].append(s)
            ratios[name].append(s / b)
        print(f"round {r + 1}: RETURN 1 {b:.2f} s", file=sys.stderr)
    print(f"{'command':<32} {'median s':>9} {'x RETURN 1':>11}  verdict (target {TARGET_RATIO:g}x)")
    print(f"{'RETURN 1':<32} {statistics.median(base):>9.2f} {1:>11.2f}")
    rows = []
    for name, _ in commands:
        med, ratio = statistics.median(times[name]), statistics.median(ratios[name])
        if name in failed:
            verdict = "FAILED"
        elif name in once:
            verdict = "whole-graph read (no target here)"
        elif ratio <= (target := TARGET_RATIOS.get(name, TARGET_RATIO)):
            verdict = f"met ({ratio / target * 100:.0f} % of the limit)"
        else:
            verdict = f"MISSED ({ratio / target:.2f}x the limit)"
        print(f"{name:<32} {med:>9.2f} {ratio:>11.2f}  {verdict}")
        rows.append({"measure": f"cold.{name}", "seconds": times[name], "baseline": base,
                     "ratio_median": round(ratio, 2), "verdict": verdict})
    if a.results:
        with open(a.results, "a", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Time ``read_sirene`` on a (synthetic) national-scale SIRENE stock.

``python bench/sirene_import.py [DIR] [--departement 44] [--rows 2000000]``
reads the stock in ``DIR`` (generated with :mod:`bench.gen_sirene` when
missing), keeping the ESS units of one département as the CLI would, and
prints the rows read per second (legal units + establishments) and the peak
resident memory of the process (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from loaders.opendata import read_sirene  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (ru_maxrss is in KB on Linux)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1024 / (1024 if sys.platform == "darwin" else 1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", nargs="?", type=Path, default=Path("/tmp/maillage-bench/sirene"))
    ap.add_argument("--departement", default="44")
    ap.add_argument("--rows", type=int, default=2_000_000, help="rows to generate when DIR is missing")
    ap.add_argument("--national", action="store_true", help="no territory filter (all ESS units)")
    args = ap.parse_args(argv)
    if not (args.path / "StockUniteLegale_utf8.csv").exists():
        import gen_sirene

        print(f"génération de {args.rows} unités légales dans {args.path}…", flush=True)
        gen_sirene.generate(args.path, args.rows)
    size = sum(p.stat().st_size for p in args.path.glob("Stock*.csv"))
    rss0 = peak_rss_mb()
    done = [0]
    t0 = time.perf_counter()
    kwargs = {} if args.national else {"departement": args.departement}
    result = read_sirene(args.path, progress=lambda n: done.__setitem__(0, n), **kwargs)
    dt = time.perf_counter() - t0
    c = result.counts()
    print(f"fichiers : {size / 1e6:.0f} Mo ; filtre : {kwargs or 'aucun'}")
    print(f"lignes lues : {done[0]:,} (dont {c['read']:,} unités légales) en {dt:.1f} s "
          f"= {done[0] / dt:,.0f} lignes/s")
    print(f"retenues : {c['loaded']:,} structures, {c['rejected']:,} rejetées, {c['filtered']:,} filtrées ; "
          f"{c.get('relations.csv', 0):,} relations")
    print(f"mémoire résidente max : {peak_rss_mb():.0f} Mo (avant lecture : {rss0:.0f} Mo)")
    result.check_counts()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

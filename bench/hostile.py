"""Hostile uploads, measured: peak memory over a normal picture and CPU seconds per case, against the budgets.

Usage: python bench/hostile.py [--only SUBSTRING]
Each case is built here (never stored), written to a temporary file and decoded in a fresh process
(tests/hostile_files.measure): peak resident memory from ``resource.getrusage(...).ru_maxrss``, CPU from
``time.process_time()``. Budgets (issue 10): any single upload <= 300 MB over a normal picture, <= ~10 s of CPU.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile_files import CASES, CPU_BUDGET_S, MEMORY_BUDGET_MB, measure, normal_photo  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        normal = Path(tmp) / "normal.jpg"
        normal.write_bytes(normal_photo())
        base = measure(normal)
        print(f"normal 1200x900 JPEG: peak {base['peak_mb']:.0f} MB, CPU {base['cpu_s']:.2f} s ({base['outcome']})")
        print(f"budgets: {MEMORY_BUDGET_MB} MB over that peak, {CPU_BUDGET_S} s of CPU\n")
        print(f"{'case':34} {'file':>9} {'MB over':>8} {'CPU s':>6}  ok  outcome")
        failed = 0
        for name, build, kind in CASES:
            if args.only not in name:
                continue
            path = Path(tmp) / "case.bin"
            path.write_bytes(build())
            r = measure(path, kind)
            over = r["peak_mb"] - base["peak_mb"]
            ok = over <= MEMORY_BUDGET_MB and r["cpu_s"] <= CPU_BUDGET_S
            failed += not ok
            why = f": {r['reasons'][0][:90]}" if r["reasons"] else ""
            print(f"{name:34} {path.stat().st_size / 1e3:>7.0f}kB {over:>8.0f} {r['cpu_s']:>6.2f}  "
                  f"{'✓' if ok else '✗'}   {r['outcome']}{why}", flush=True)
    print("\nall within budget" if not failed else f"\n{failed} case(s) over budget")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Warm script-run time of each page: what a user waits for after moving a control.

For every page in PAGES: open it through the entry script with AppTest (the first,
cold run fills the caches), then rerun it ``--repeat`` times and print the median
and the fastest. A rerun executes streamlit_app.py, st.navigation and the page,
exactly as a widget change in the browser does; AppTest's own bookkeeping is
included, so the numbers are an upper bound. Budget: 150 ms per warm run.

Usage: python bench/page_speed.py [--repeat 15] [pages/sigmoid.py ...]
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Pages to time; add a page's path here (with URL state to open it in, if any).
PAGES: dict[str, dict] = {
    "pages/home.py": {},
    "pages/sigmoid.py": {},
    "pages/loss.py": {},
    "pages/loss.py?view=3-D surface": {"view": "3-D surface"},
    "pages/loss.py?lr=300&steps=100": {"lr": "300", "steps": "100"},
    "pages/vectorization.py": {},
    "pages/broadcasting.py": {},
}
BUDGET_MS = 150.0


def time_page(page: str, query: dict, repeat: int) -> tuple[float, float, float]:
    """(cold ms, median warm ms, fastest warm ms) of one page's script run."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.query_params.update(query)
    path = page.split("?", 1)[0]
    t0 = time.perf_counter()
    at.switch_page(path).run()
    cold = time.perf_counter() - t0
    if at.exception:
        raise RuntimeError(f"{page} raised: {at.exception}")
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - t0)
    return cold * 1e3, statistics.median(runs) * 1e3, min(runs) * 1e3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("pages", nargs="*", help="page paths (default: all in PAGES)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # AppTest's "missing ScriptRunContext" noise
    pages = {p: PAGES.get(p, {}) for p in args.pages} if args.pages else PAGES
    print(f"{'page':40s} {'cold ms':>9s} {'warm median ms':>15s} {'warm best ms':>13s}  budget {BUDGET_MS:.0f} ms")
    over = 0
    for page, query in pages.items():
        cold, med, best = time_page(page, query, args.repeat)
        flag = "ok" if med <= BUDGET_MS else "OVER"
        over += med > BUDGET_MS
        print(f"{page:40s} {cold:9.1f} {med:15.1f} {best:13.1f}  {flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

"""Warm script-run time of each page: what a user waits for after moving a control.

For every page in PAGES: open it through the entry script with AppTest (the first,
cold run fills the caches), then rerun it ``--repeat`` times and print the median
and the fastest. A rerun executes streamlit_app.py, st.navigation and the page,
as a widget change in the browser does. Budget: 150 ms per warm run, checked on
the AppTest time, which is an upper bound: on every run() AppTest starts a fresh
script cache (so the page is compiled again; ~30-60 ms for a 500-line page) and
resets Streamlit's pages/-discovery flag (so ensure_entry_navigation reruns once).
A server compiles a page once per process and does neither. The "page exec"
column is the page's own execution inside st.navigation in the real run: what a
server spends, without AppTest's extras.

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

#: In a PAGES entry: the key of a button to press once after opening, before timing (not a URL key).
CLICK = "_click"
#: Pages to time; add a page's path here (with URL state to open it in, if any). Text after the
#: path ("?..." or " (...)") only names the row.
PAGES: dict[str, dict] = {
    "pages/home.py": {},
    "pages/sigmoid.py": {},
    "pages/loss.py": {},
    "pages/loss.py?view=3-D surface": {"view": "3-D surface"},
    "pages/loss.py?lr=300&steps=100": {"lr": "300", "steps": "100"},
    "pages/backprop.py": {},
    # the largest data set the page allows: the lecture's loop and five gradient checks over m = 2000 examples
    "pages/backprop.py?bp_m=2000": {"bp_m": "2000"},
    "pages/vectorization.py": {},
    "pages/broadcasting.py": {},
    "pages/images.py": {},
    "pages/images.py?picture=digit": {"picture": "digit"},
    "pages/train.py": {},
    # after one press of Train (2000 iterations on the default digits): every later rerun redraws the results
    "pages/train.py (trained)": {CLICK: "train"},
    # The default model, test example 0; the cold run trains the shared default model (st.cache_resource).
    "pages/classify.py": {},
    "pages/classify.py?example=26&threshold=0.8": {"example": "26", "threshold": "0.8"},
}
BUDGET_MS = 150.0


class PageExecTimer:
    """Records how long each page execution through st.navigation (``StreamlitPage.run``) takes."""

    def __init__(self):
        self.times: list[float] = []

    def __enter__(self):
        from streamlit.navigation.page import StreamlitPage

        self._orig = orig = StreamlitPage.run
        times = self.times

        def run(page_self):
            t0 = time.perf_counter()
            try:
                return orig(page_self)
            finally:  # also when the page stops or reruns (st.stop, st.rerun raise)
                times.append(time.perf_counter() - t0)

        StreamlitPage.run = run
        return self

    def __exit__(self, *exc):
        from streamlit.navigation.page import StreamlitPage

        StreamlitPage.run = self._orig


def time_page(page: str, query: dict, repeat: int) -> tuple[float, float, float, float]:
    """(cold ms, median warm ms, fastest warm ms, median page exec ms) of one page's script run."""
    from streamlit.testing.v1 import AppTest

    query = dict(query)
    click = query.pop(CLICK, None)
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    at.query_params.update(query)
    path = page.split("?", 1)[0].split(" (", 1)[0]
    t0 = time.perf_counter()
    at.switch_page(path).run()
    cold = time.perf_counter() - t0
    if click:
        at.button(key=click).click().run()
    if at.exception:
        raise RuntimeError(f"{page} raised: {at.exception}")
    runs, execs = [], []
    with PageExecTimer() as timer:
        for _ in range(repeat):
            n = len(timer.times)
            t0 = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - t0)
            if len(timer.times) > n:
                execs.append(timer.times[-1])  # the last execution of this run is the real one
    if at.exception:
        raise RuntimeError(f"{page} raised on a rerun: {at.exception}")
    page_exec = statistics.median(execs) * 1e3 if execs else float("nan")
    return cold * 1e3, statistics.median(runs) * 1e3, min(runs) * 1e3, page_exec


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("pages", nargs="*", help="page paths (default: all in PAGES)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # AppTest's "missing ScriptRunContext" noise
    pages = {p: PAGES.get(p, {}) for p in args.pages} if args.pages else PAGES
    print(f"{'page':44s} {'cold ms':>9s} {'warm median ms':>15s} {'warm best ms':>13s} {'page exec ms':>13s}"
          f"  budget {BUDGET_MS:.0f} ms (warm median)")
    over = 0
    for page, query in pages.items():
        cold, med, best, page_exec = time_page(page, query, args.repeat)
        flag = "ok" if med <= BUDGET_MS else "OVER"
        over += med > BUDGET_MS
        print(f"{page:44s} {cold:9.1f} {med:15.1f} {best:13.1f} {page_exec:13.1f}  {flag}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())

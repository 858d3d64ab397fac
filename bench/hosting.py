"""Hosting readiness, measured: cold start (process start -> first page rendered in Chromium), idle memory,
and a fresh server's first visitor to each deep link.

Cold deep links (issue 14): for each page, a new server process; once it answers its health check, one
visitor opens the page's link (``/loss``, ``/classify?source=example``, …) and we time until the full page
is there: the script idle, no skeleton, every Plotly chart drawn, no exception. That is what a learner
waits for when the class's first link of the day reaches a fresh server. Also printed: the same from
process start (add the server's own start-up).

The bare app (one formula, one slider, one chart) is measured the same way, in the same rounds, interleaved with
our links: it is the floor for any Streamlit page with a chart on this machine at this moment, and each link is
printed as a multiple of it. This machine is shared: the bare app itself has taken 1.9 s on a quiet afternoon
and up to 4.0 s on a busy one, so the absolute goal below holds only on a quiet machine; the ratio is the measure.

Usage: python bench/hosting.py [--runs 3] [--deep-runs 2]
Needs Debian's Chromium (apt-get install -y chromium) and the dev requirements.
Goals: cold start <= 4 s, idle server memory <= 250 MB (issue 6); each cold deep link <= 3 s on a quiet machine
(issue 14), which is <= 1.5 x the bare app in the same run (it took 1.9-2.0 s when the 3 s goal was met).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, start_server, stop_server  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


#: The deep links a class is sent to; Classify opens the bundled example (the default model, trained once).
DEEP_LINKS = ["sigmoid", "loss", "backprop", "vectorization", "broadcasting", "images", "train", "classify?source=example"]
BARE = "(bare app: one formula, one chart)"
FULL_PAGE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (!document.querySelector('[data-testid="stMain"] h1')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    return [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(c => c.querySelector('.main-svg'));
}"""


#: The floor for a first visit: a bare Streamlit app with one slider, one formula and one Plotly chart.
BARE_APP = """
import numpy as np
import plotly.graph_objects as go
import streamlit as st

st.title("bare")
st.latex(r"\\sigma(z) = 1 / (1 + e^{-z})")
x = st.slider("frequency", 0.0, 10.0, 5.0)
t = np.linspace(0.0, 10.0, 200)
st.plotly_chart(go.Figure(go.Scatter(x=t, y=np.sin(t * x))))
"""


def _visit(browser, url: str) -> tuple[float, bool]:
    """(seconds from the request to the full page, an exception shown) for a browser with nothing cached."""
    page = browser.new_page()  # a new context each time: no cached files, no compiled scripts
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(FULL_PAGE, timeout=60_000, polling=50)
        return time.perf_counter() - t0, page.locator('[data-testid="stException"]').count() > 0
    finally:
        page.close()


def cold_deep_link(browser, link: str, script: Path | None = None) -> tuple[float, float, bool, float]:
    """(seconds from the request, seconds from process start, an exception shown, seconds for a second new
    visitor) for a fresh server's first visitor; the second visitor (another browser with nothing cached) comes
    once the first has its page, so the difference is what the server's first run still costs.
    ``script``: another app to serve instead of ours (the bare app)."""
    t0 = time.perf_counter()
    if script is None:
        proc, url = start_server()
    else:
        from bench.server_cost import start  # noqa: PLC0415  (only this measure needs it)

        proc, url = start(script, script.parent, pin=False)  # as our server: not pinned
    try:
        first, failed = _visit(browser, f"{url}/{link}")
        done = time.perf_counter()
        second, failed_again = _visit(browser, f"{url}/{link}")
    finally:
        if script is None:
            stop_server(proc)
        else:
            proc.terminate()
            proc.wait(timeout=10)
    return first, done - t0, failed or failed_again, second


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--deep-runs", type=int, default=2, help="fresh servers per deep link")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    starts, rss_idle, rss_after_tour, failed = [], [], [], set()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            proc, url = start_server()
            page = browser.new_page()
            page.goto(url)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
            starts.append(time.perf_counter() - t0)
            time.sleep(2)
            rss_idle.append(rss_mb(proc.pid))
            for path in ("sigmoid", "loss", "vectorization", "broadcasting", "images", "train", "classify"):
                page.goto(f"{url}/{path}")
                page.wait_for_selector(IDLE, timeout=60_000)
                if page.locator('[data-testid="stException"]').count():
                    failed.add(path)  # an error page is lighter than the real one: the number would flatter us
            time.sleep(2)
            rss_after_tour.append(rss_mb(proc.pid))
            page.close()
            stop_server(proc)
        deep = {BARE: [], **{link: [] for link in DEEP_LINKS}}
        with tempfile.TemporaryDirectory() as tmp:
            bare = Path(tmp) / "bare_app.py"
            bare.write_text(BARE_APP)
            for _ in range(args.deep_runs):  # rounds, each link once per round: a busier minute slows all alike
                for link in deep:
                    deep[link].append(cold_deep_link(browser, "", bare) if link == BARE else cold_deep_link(browser, link))
        browser.close()
    print(f"cold start (process start -> first page rendered), {args.runs} runs: "
          f"median {statistics.median(starts):.2f} s, max {max(starts):.2f} s   (goal <= 4 s)")
    print(f"server memory idle after the first page: median {statistics.median(rss_idle):.0f} MB   (goal <= 250 MB)")
    print(f"server memory after one visitor opened every page: median {statistics.median(rss_after_tour):.0f} MB")
    print("a fresh server's first visitor to a deep link, full page (every chart drawn), "
          f"median of {args.deep_runs}: from the request / from process start; the first as a multiple of the bare "
          "app's; then a second new visitor to the same, now warm, server")
    floor = statistics.median(r[0] for r in deep[BARE])
    for link, runs in deep.items():
        first = statistics.median(r[0] for r in runs)
        print(f"  /{link:<26}{first:6.2f} s {statistics.median(r[1] for r in runs):6.2f} s {first / floor:6.2f} x"
              f"   second visitor {statistics.median(r[3] for r in runs):5.2f} s")
        if any(r[2] for r in runs):
            failed.add(link)
    worst_link = max(DEEP_LINKS, key=lambda link: statistics.median(r[0] for r in deep[link]))
    worst = statistics.median(r[0] for r in deep[worst_link])
    print(f"slowest cold deep link: /{worst_link}, {worst:.2f} s from the request (goal <= 3 s on a quiet machine), "
          f"{worst / floor:.2f} x the bare app's {floor:.2f} s in the same rounds (goal <= 1.5 x)")
    if failed:
        print(f"WARNING: these pages showed an exception during the tour: {', '.join(sorted(failed))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

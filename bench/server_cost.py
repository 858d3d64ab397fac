"""Server CPU per interaction: our app against a bare one-slider Streamlit app, measured in one run.

The server runs pinned to one core (``taskset``), one headless Chromium (this script and its children)
on the other. A scripted tour opens every page and moves each page's main slider four times with the
keyboard, and presses Train once (pages are opened from the top navigation, a rerun in the same
session as a learner's click, after one full first load); after each step the script waits until the app is idle and the server's
CPU time (utime + stime of all its threads, ``/proc/<pid>/stat``) has stopped rising, and records the
CPU milliseconds that step cost. Then every page is opened once more in the same tab ("again"): the browser has
Streamlit's scripts by then, so that is the page's own run (with its pictures), without Streamlit serving them (the first page with a
chart fetches Plotly's 4.7 MB). The same is done for a bare app (one slider, one Plotly chart: Streamlit's
own floor) started by this script. Prints per-step costs, medians and the ratio.

The bare app runs twice: as Streamlit ships it, and with the one change our app makes to the process
(``ui/warm.py``: ``gc.freeze()`` after the first run, so Streamlit's ``gc.collect(2)`` after every run skips
the imported modules). The first ratio is the issue's goal; the second says what our pages cost on top of a
floor given the same treatment, which is the honest measure of the pages themselves.

Goals (issue 14): median server CPU per interaction <= 1.3 x the bare app's, no warm page load above
120 ms of server CPU. A benchmark, not a CI gate. Loopback only.

Usage: python bench/server_cost.py [--moves 4] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, _free_port  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
SERVER_CORE, CLIENT_CORE = 0, 1
#: Each page and the key of its main slider (None: the page's first slider; "" : nothing to move).
TOUR = [
    ("", ""),
    ("sigmoid", "z"),
    ("loss", "y_hat"),
    ("backprop", None),
    ("vectorization", "n_x"),
    ("broadcasting", "rows"),
    ("images", "batch_m"),
    ("train", "train_threshold"),
    ("classify", "threshold"),
]

BARE_APP = '''
import numpy as np
import plotly.graph_objects as go
import streamlit as st

x = st.slider("frequency", 0.0, 10.0, 5.0, step=0.1, key="x", bind="query-params")
t = np.linspace(0.0, 10.0, 200)
st.plotly_chart(go.Figure(go.Scatter(x=t, y=np.sin(t * x))), key="chart")
'''
#: The bare app given ui/warm.py's treatment: the objects alive after its first run are frozen.
BARE_APP_FROZEN = BARE_APP + '''
import gc
if not getattr(gc, "_bare_app_frozen", False):
    gc.collect()
    gc.freeze()
    gc._bare_app_frozen = True
'''


def cpu_ms(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * TICK_MS  # utime, stime (fields 14 and 15 of stat)


def start(script: Path, cwd: Path, *, pin: bool = True):
    """Serve ``script`` headless on a free port (pinned to SERVER_CORE unless ``pin=False``); (process, URL)."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="server-cost-", suffix=".log", delete=False)
    pinned = ["taskset", "-c", str(SERVER_CORE)] if pin else []
    proc = subprocess.Popen(
        [*pinned, sys.executable, "-m", "streamlit", "run", str(script),
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"{script} did not start; log in {log.name}")


def settle(page, pid: int, quiet_s: float = 0.4, limit_s: float = 60.0) -> None:
    """Wait until the app is idle and the server's CPU time has not moved for ``quiet_s``."""
    page.wait_for_selector(IDLE, timeout=limit_s * 1000)
    last, still_since, deadline = cpu_ms(pid), time.monotonic(), time.monotonic() + limit_s
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = cpu_ms(pid)
        if now != last:
            last, still_since = now, time.monotonic()
        elif time.monotonic() - still_since >= quiet_s:
            page.wait_for_selector(IDLE, timeout=limit_s * 1000)
            return


def measure(page, pid: int, action) -> float:
    before = cpu_ms(pid)
    action()
    settle(page, pid)
    return cpu_ms(pid) - before


def move_slider(page, key):
    thumb = (page.locator(f".st-key-{key} input[type='range']") if key
             else page.locator("[data-testid='stMain'] input[type='range']")).first
    thumb.focus()
    page.keyboard.press("ArrowRight")


SECTIONS = {"": None, "train": "Model", "classify": "Model"}  # every other page is under "Concepts"


def navigate(page, path: str) -> None:
    """Open a page from the top navigation, as a learner does (a rerun in the same session, no reload)."""
    section = SECTIONS.get(path, "Concepts")
    if section is None:
        page.locator('[data-testid="stTopNav"] a').filter(has_text="Start here").first.click()
        return
    page.locator('[data-testid="stTopNavSection"]', has_text=section).click()
    page.locator(f'a[href$="/{path}"]').first.click()


def tour(page, url: str, pid: int, moves: int, rows: list, train: bool, served: list) -> None:
    """``served`` gets (page, bytes of static files the browser fetched while opening it): Streamlit's own
    scripts, fonts and Plotly, fetched once per fresh browser by the first page that needs them."""
    fetched: list[int] = []
    page.on("requestfinished", lambda r: fetched.append((r.sizes() or {}).get("responseBodySize", 0)))
    rows.append(("first", "home", measure(page, pid, lambda: page.goto(url))))
    tour_pages = [(path, key) for path, key in TOUR if not path or (ROOT / "pages" / f"{path}.py").exists()]
    for path, key in tour_pages:
        fetched.clear()
        rows.append(("load", path or "home", measure(page, pid, lambda p=path: navigate(page, p))))
        served.append((path or "home", sum(fetched)))
        if train and path == "train":
            button = page.locator(".st-key-train button")
            rows.append(("train", path, measure(page, pid, button.click)))
        if key == "":
            continue
        for _ in range(moves):
            rows.append(("move", path or "home", measure(page, pid, lambda k=key: move_slider(page, k))))
    for path, _ in tour_pages:  # each page again, same tab: Streamlit's scripts are loaded, the server runs the page
        rows.append(("again", path or "home", measure(page, pid, lambda p=path: navigate(page, p))))


def bare(page, url: str, pid: int, moves: int, rows: list) -> None:
    rows.append(("first", "bare", measure(page, pid, lambda: page.goto(url))))
    for _ in range(moves):
        rows.append(("move", "bare", measure(page, pid, lambda: move_slider(page, "x"))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=4, help="moves of each page's main control")
    parser.add_argument("--rounds", type=int, default=2, help="tours; the first warms caches and is not counted")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    os.sched_setaffinity(0, {CLIENT_CORE})  # Chromium and the Playwright driver inherit this
    with tempfile.TemporaryDirectory() as tmp:
        bare_script, frozen_script = Path(tmp) / "bare_app.py", Path(tmp) / "bare_app_frozen.py"
        bare_script.write_text(BARE_APP)
        frozen_script.write_text(BARE_APP_FROZEN)
        app, app_url = start(ROOT / "streamlit_app.py", ROOT)
        floor, floor_url = start(bare_script, Path(tmp))
        frozen, frozen_url = start(frozen_script, Path(tmp))
        ours, base, base_frozen, served = [], [], [], []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for r in range(max(args.rounds, 2)):
                    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = ctx.new_page()
                    page.set_default_timeout(60_000)
                    rows_ours, rows_base, rows_frozen = [], [], []
                    rows_served = []
                    tour(page, app_url, app.pid, args.moves, rows_ours, train=True, served=rows_served)
                    bare(page, floor_url, floor.pid, args.moves, rows_base)
                    bare(page, frozen_url, frozen.pid, args.moves, rows_frozen)
                    ctx.close()
                    if r > 0:  # the first round warms imports, caches and the default model
                        ours += rows_ours
                        served += rows_served
                        base += rows_base
                        base_frozen += rows_frozen
                browser.close()
        finally:
            for proc in (app, floor, frozen):
                proc.terminate()
                proc.wait(timeout=10)

    def med(rows, kind, where=None):
        values = [ms for k, w, ms in rows if k == kind and (where is None or w == where)]
        return statistics.median(values) if values else float("nan")

    print(f"server CPU per step (ms, median of warm rounds; {TICK_MS:.0f} ms clock ticks), server on core "
          f"{SERVER_CORE}, Chromium on core {CLIENT_CORE}")
    print(f"{'page':<26}{'load':>8}{'again':>8}{'move':>8}   static files fetched on the first load (fresh browser)")
    for where in dict.fromkeys(w for _, w, _ in ours):
        kb = statistics.median([b for w, b in served if w == where] or [0]) / 1024
        print(f"{where:<26}{med(ours, 'load', where):>8.0f}{med(ours, 'again', where):>8.0f}"
              f"{med(ours, 'move', where):>8.0f}   {kb:,.0f} kB")
    train = [ms for k, _, ms in ours if k == "train"]
    if train:
        print(f"{'train (default digits)':<26}{statistics.median(train):>8.0f}")
    moves_ours, moves_base, moves_frozen = med(ours, "move"), med(base, "move"), med(base_frozen, "move")
    print(f"{'bare one-slider app':<26}{'':>8}{moves_base:>8.0f}")
    print(f"{'bare app, gc frozen':<26}{'':>8}{moves_frozen:>8.0f}")
    print(f"first load (new session, full page): ours {med(ours, 'first'):.0f} ms, bare {med(base, 'first'):.0f} ms")
    loads = [ms for k, w, ms in ours if k == "load"]
    pages = {w: med(ours, "again", w) for k, w, _ in ours if k == "again"}
    slowest = max(pages, key=pages.get)
    print(f"median move: ours {moves_ours:.0f} ms, bare {moves_base:.0f} ms, ratio {moves_ours / moves_base:.2f}x "
          f"(goal <= 1.3x); slowest warm page load, the page's own run (opened again): {slowest} {pages[slowest]:.0f} ms "
          f"(goal <= 120 ms); with a fresh browser's static files: {max(loads):.0f} ms")
    print(f"against the bare app given the same gc freeze: {moves_ours:.0f} vs {moves_frozen:.0f} ms, "
          f"ratio {moves_ours / max(moves_frozen, TICK_MS):.2f}x (a {TICK_MS:.0f} ms clock tick is the resolution)")


if __name__ == "__main__":
    main()

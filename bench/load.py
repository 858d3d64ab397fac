"""Load: N concurrent browser sessions against one local server (a benchmark, not a CI gate).

Each session (its own Playwright context, so its own Streamlit session) opens every page by URL,
trains on the bundled digits and classifies an uploaded image. Reports errors (goal 0), p50/p95
interaction latency (goal p95 < 1 s) and peak server memory (goal <= 700 MB).

Only loopback traffic; the run is bounded (one tour per session, a time limit per step).
Usage: python bench/load.py [--sessions 20] [--ramp 0]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.hosting import rss_mb  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, server_log, start_server, stop_server  # noqa: E402

PAGES = ("", "sigmoid", "loss", "vectorization", "broadcasting", "images", "train", "classify?source=upload")
STEP_TIMEOUT_MS = 120_000


def digit_png() -> bytes:
    """A dark '1'-like stroke on white, as a photo of a handwritten digit would be."""
    img = np.full((120, 120), 255, np.uint8)
    img[20:100, 55:68] = 20
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


class MemoryPeak(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except OSError:
                return
            time.sleep(0.1)


async def timed(latencies, label, coro):
    t0 = time.perf_counter()
    await coro
    latencies.append((label, time.perf_counter() - t0))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def metric(page, label):
    """A st.metric by its label: it appears only when the step's result is drawn (not just when a rerun ends)."""
    return page.locator('[data-testid="stMetric"]', has=page.get_by_text(label, exact=True))


async def idle(page):
    await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)


async def session(browser, url, png, latencies, errors, k, delay=0.0):
    await asyncio.sleep(delay)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await ctx.new_page()
    try:
        for path in PAGES:
            async def open_(p=path):
                await page.goto(f"{url}/{p}")
                await idle(page)
            await timed(latencies, f"open /{path}", open_())
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"session {k}: exception on /{path}")
            if path == "train":
                async def train():  # the default: 3 vs not 3, 800 examples, 2000 iterations
                    await page.get_by_role("button", name="Train", exact=True).click()
                    await metric(page, "train accuracy").wait_for(timeout=STEP_TIMEOUT_MS)
                    await idle(page)
                await timed(latencies, "train digits", train())
            if path == "classify?source=upload":
                async def classify():
                    await page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
                        files=[{"name": "digit.png", "mimeType": "image/png", "buffer": png}])
                    await metric(page, "verdict").wait_for(timeout=STEP_TIMEOUT_MS)
                    await idle(page)
                await timed(latencies, "classify upload", classify())
                if await page.locator('[data-testid="stException"]').count():
                    errors.append(f"session {k}: exception after classify")
    except Exception as exc:  # a failed step is counted, the other sessions go on
        errors.append(f"session {k}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await ctx.close()


async def run(n, ramp=0.0):
    from playwright.async_api import async_playwright

    proc, url = start_server()
    cpu0 = cpu_seconds(proc.pid)  # start-up (imports), not the visitors' share
    mem = MemoryPeak(proc.pid)
    mem.start()
    latencies, errors = [], []
    png = digit_png()
    t0 = time.perf_counter()
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            await asyncio.gather(*(session(browser, url, png, latencies, errors, k, ramp * k / n) for k in range(n)))
            await browser.close()
    finally:
        mem.stop.set()
        log = server_log(proc)
        cpu = cpu_seconds(proc.pid) - cpu0
        stop_server(proc)
    wall = time.perf_counter() - t0
    secs = sorted(s for _, s in latencies)
    p50 = statistics.median(secs)
    p95 = secs[int(0.95 * (len(secs) - 1))]
    arrival = f"arriving over {ramp:g} s" if ramp else "all at once"
    print(f"{n} sessions {arrival}, {len(secs)} interactions in {wall:.1f} s on this 2-core machine")
    print(f"errors: {len(errors)}   (goal 0)")
    for e in errors[:10]:
        print("  ", e)
    print(f"interaction latency: p50 {p50 * 1e3:.0f} ms, p95 {p95 * 1e3:.0f} ms, max {secs[-1] * 1e3:.0f} ms   (goal p95 < 1 s)")
    by = {}
    for label, s in latencies:
        by.setdefault(label, []).append(s)
    for label, vals in by.items():
        print(f"   {label:<22} p50 {statistics.median(vals) * 1e3:7.0f} ms   max {max(vals) * 1e3:7.0f} ms")
    print(f"peak server memory: {mem.peak:.0f} MB   (goal <= 700 MB)")
    # The browsers run on the same cores as the server here, so latency measures both; the server's own
    # CPU time is what a host must provide, whatever the clients run on.
    print(f"server CPU time after start-up: {cpu:.1f} s, {cpu / n:.2f} s per visitor's tour "
          f"(every page, one digits training, one classification; the first visitor also trains the default model)")
    tracebacks = [block for block in log.split("Traceback (most recent call last):")[1:]]
    if tracebacks:
        print(f"server tracebacks: {len(tracebacks)}; the last one ends with:")
        print("\n".join(tracebacks[-1].strip().splitlines()[-6:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="spread the sessions' starts evenly over this many seconds (a class arriving), default 0")
    args = parser.parse_args()
    asyncio.run(run(args.sessions, args.ramp))


if __name__ == "__main__":
    main()

"""Hosting readiness, measured: cold start (process start -> first page rendered in Chromium) and idle memory.

Usage: python bench/hosting.py [--runs 3]
Needs Debian's Chromium (apt-get install -y chromium) and the dev requirements.
Goals (issue 6): cold start <= 4 s, idle server memory <= 250 MB.
"""

from __future__ import annotations

import argparse
import statistics
import sys
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
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
        browser.close()
    print(f"cold start (process start -> first page rendered), {args.runs} runs: "
          f"median {statistics.median(starts):.2f} s, max {max(starts):.2f} s   (goal <= 4 s)")
    print(f"server memory idle after the first page: median {statistics.median(rss_idle):.0f} MB   (goal <= 250 MB)")
    print(f"server memory after one visitor opened every page: median {statistics.median(rss_after_tour):.0f} MB")
    if failed:
        print(f"WARNING: these pages showed an exception during the tour: {', '.join(sorted(failed))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

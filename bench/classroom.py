"""A classroom on one server: N simulated learners, each a websocket session, no browser per learner.

Every learner speaks Streamlit's own protocol (``bench/st_client.py``): it opens every page, moves each
page's main control four times with a think-time pause between moves, and trains once on the Train page.
The server is pinned to one core (``taskset``) and this script to the other, so the numbers are the
server's, not the clients'. Reports per-interaction latency p50/p95 (a page open or a control move: request
sent -> the run finished), the Train button's wait p50/p95 (queue for the training lock included), errors
(an exception drawn on a page, a time-out, a dropped connection) and the server's peak RSS.

Runs on the bundled data are shared between sessions (``ui.train_run.SharedRuns``): learners who train with the
same settings, as a class told "now press Train" does, wait for one training. ``--own-runs`` gives each learner
its own number of iterations first (2000 + its index), so every press trains for real: the worst case.

Goals on this 2-core machine (issue 14): 40 learners, 0 errors, interaction p95 <= 1 s,
training wait p95 <= 15 s, RSS <= 700 MB. A benchmark, not a CI gate. Loopback only, bounded in count and
time (one tour per learner, a time limit per step and for the whole run).

Usage: python bench/classroom.py [--learners 40] [--ramp 30] [--think 5.0] [--seed 0] [--own-runs]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import MemoryPeak  # noqa: E402
from bench.st_client import StreamlitSession  # noqa: E402
from tests.e2e.conftest import server_log, start_server, stop_server  # noqa: E402

STEP_TIMEOUT_S = 120.0
RUN_LIMIT_S = 900.0

#: (page, query string, widget key, four values). Values stay inside each control's range.
TOUR = [
    ("sigmoid", "", "z", [4.0, -2.5, 0.0, 6.0]),
    ("loss", "", "y_hat", [0.3, 0.55, 0.9, 0.1]),
    ("backprop", "", None, []),  # opened if the app has it; its controls are moved by server_cost.py
    ("vectorization", "", "n_x", [50, 400, 1000, 20]),
    ("broadcasting", "", "rows", [2, 5, 8, 1]),
    ("images", "", "batch_m", [2, 6, 8, 3]),
    ("train", "", "train_threshold", [0.3, 0.6, 0.8, 0.5]),
    ("classify", "source=example", "threshold", [0.3, 0.7, 0.9, 0.5]),
]


def pin(pid: int, core: int) -> None:
    """Pin every thread of ``pid`` (and the threads it starts later) to one core."""
    subprocess.run(["taskset", "-a", "-cp", str(core), str(pid)], check=True, stdout=subprocess.DEVNULL)


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * (len(values) - 1))))]


class Stats:
    def __init__(self):
        self.interactions: list[float] = []
        self.trainings: list[float] = []
        self.errors: list[str] = []
        self.done = 0


def has_page(page: str) -> bool:
    return page == "" or (ROOT / "pages" / f"{page}.py").exists()


async def learner(i: int, url: str, args, stats: Stats) -> None:
    rng = random.Random(args.seed * 1000 + i)
    await asyncio.sleep(rng.uniform(0, args.ramp))

    def check(result, what):
        stats.interactions.append(result.seconds)
        for exc in result.exceptions:
            stats.errors.append(f"learner {i} {what}: {exc}")

    try:
        async with StreamlitSession(url, timeout_s=STEP_TIMEOUT_S) as s:
            check(await s.open(""), "home")
            for page, qs, key, values in TOUR:
                if not has_page(page):
                    continue
                await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)
                check(await s.open(page, qs), page)
                if page == "train":
                    if args.own_runs:
                        check(await s.set("iters", 2000 + i), f"train iters={2000 + i}")
                    result = await s.click("train")
                    stats.trainings.append(result.seconds)
                    for exc in result.exceptions:
                        stats.errors.append(f"learner {i} train: {exc}")
                    if not result.kinds["download_button"]:  # the model download appears once a run is done
                        stats.errors.append(f"learner {i} train: no trained result shown")
                for v in values if key else []:
                    await asyncio.sleep(rng.uniform(0.5, 1.5) * args.think)
                    check(await s.set(key, v), f"{page} {key}={v}")
        stats.done += 1
    except TimeoutError:
        stats.errors.append(f"learner {i}: a step took over {STEP_TIMEOUT_S:.0f} s")
    except Exception as exc:  # a dropped connection, a missing widget: all count as errors
        stats.errors.append(f"learner {i}: {type(exc).__name__}: {exc}")


async def classroom(url: str, args, stats: Stats) -> None:
    tasks = [asyncio.create_task(learner(i, url, args, stats)) for i in range(args.learners)]
    done, pending = await asyncio.wait(tasks, timeout=RUN_LIMIT_S)
    for t in pending:
        t.cancel()
    if pending:
        stats.errors.append(f"{len(pending)} learners unfinished after {RUN_LIMIT_S:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--ramp", type=float, default=30.0, help="arrivals spread over this many seconds")
    parser.add_argument("--think", type=float, default=5.0,
                        help="mean pause between a learner's actions (s): reading the page between moves")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--server-core", type=int, default=0)
    parser.add_argument("--own-runs", action="store_true",
                        help="each learner trains its own settings (no run shared between learners)")
    args = parser.parse_args()
    if not 1 <= args.learners <= 200:
        parser.error("--learners must be within 1..200")

    proc, url = start_server()
    pin(proc.pid, args.server_core)
    others = sorted(set(os.sched_getaffinity(0)) - {args.server_core}) or [args.server_core]
    os.sched_setaffinity(0, others)
    peak = MemoryPeak(proc.pid)
    peak.start()
    stats = Stats()
    t0 = time.perf_counter()
    try:
        asyncio.run(classroom(url, args, stats))
    finally:
        peak.stop.set()
        wall = time.perf_counter() - t0
        log_tail = server_log(proc)[-1500:]
        stop_server(proc)

    it, tr = stats.interactions, stats.trainings
    print(f"learners {args.learners} (arrivals over {args.ramp:.0f} s, think ~{args.think:.1f} s), "
          f"server pinned to core {args.server_core}, wall {wall:.0f} s, finished tours {stats.done}")
    print(f"interactions {len(it)}: p50 {percentile(it, 50):.3f} s, p95 {percentile(it, 95):.3f} s, "
          f"max {max(it, default=float('nan')):.3f} s (goal p95 <= 1 s)")
    print(f"training waits {len(tr)}: p50 {percentile(tr, 50):.2f} s, p95 {percentile(tr, 95):.2f} s "
          f"(goal p95 <= 15 s); mean interaction {statistics.fmean(it) if it else float('nan'):.3f} s")
    print(f"errors {len(stats.errors)} (goal 0); peak server RSS {peak.peak:.0f} MB (goal <= 700 MB)")
    for e in stats.errors[:10]:
        print("  ", e[:300])
    if stats.errors:
        print("server log tail:\n" + log_tail)


if __name__ == "__main__":
    main()

"""Mutation testing for logreg's math: break the code one small change at a time and see if the tests notice.

Each mutant is one edit of one module (an operator flipped, a constant changed, a ``.T`` or a ``/ m``
dropped, a return value replaced by zeros, a statement removed). It is written into a private copy of
the tree under a temporary directory (the tracked files are never touched) and that module's fast unit
tests run against it. A mutant the tests fail on is *killed*; one they pass is a *survivor*: either a
missing test or an equivalent change (listed, with a reason, in the README's testing section).

Usage:
    python bench/mutate.py                     # every module, 2 pytest processes at a time
    python bench/mutate.py losses neuron       # some modules
    python bench/mutate.py --list gradcheck    # the mutants, without running anything
    python bench/mutate.py --show neuron:17    # one mutant as a diff

A benchmark, not a CI gate: it prints the score per module and in total, and writes bench/out/mutate.json.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from mutants import find_mutants, mutated_source  # noqa: E402

#: module -> the unit tests that speak for it (tests/test_<module>*.py are added automatically)
EXTRA_TESTS = {"gradcheck": ["tests/test_loops.py"], "loops": ["tests/test_graph.py"]}
#: heavy libraries the tests use, imported once before forking (never the code under test)
PRELOAD = ("numpy", "pytest", "hypothesis", "hypothesis.extra.numpy", "sklearn.linear_model", "_pytest.python")
MODULES = ("activations", "losses", "neuron", "loops", "gradcheck", "broadcasting", "diagnostics")

def tests_for(module: str, root: Path = ROOT) -> list[str]:
    """tests/test_<module>*.py and the extra files that test it, relative to ``root``."""
    own = sorted(str(p.relative_to(root)) for p in (root / "tests").glob(f"test_{module}*.py"))
    return sorted(set(own + EXTRA_TESTS.get(module, [])))


def equivalents_listed(root: Path = ROOT) -> set[str]:
    """Survivors the README names as equivalent: lines ``- `<key>` ...`` under "Equivalent mutants"."""
    text = (root / "README.md").read_text()
    part = text.split("Equivalent mutants", 1)[1] if "Equivalent mutants" in text else ""
    part = part.split("\n## ", 1)[0]
    return set(re.findall(r"^- `(.+?)`", part, re.M))


def copy_tree(dest: Path) -> Path:
    skip = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".hypothesis", ".ruff_cache", ".pytest_cache",
                                  "docs", "out", "*.pyc")
    shutil.copytree(ROOT, dest, ignore=skip)
    return dest


def _preload() -> None:
    """Import the heavy, never-mutated libraries once; every forked test run inherits them (saves ~1 s each)."""
    sys.dont_write_bytecode = True  # never a stale .pyc of another mutant
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # one BLAS thread per run: the runs themselves are the parallelism
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    assert "logreg" not in sys.modules  # the code under test is imported fresh in each child


def _fork_pytest(tree: Path, tests: list[str]) -> int:
    """Run ``pytest -x -q -p no:cacheprovider tests`` in a forked child inside ``tree``; return its pid.

    Its output goes to ``tree/pytest.log`` (overwritten by the next run in that tree)."""
    pid = os.fork()
    if pid:
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # also done in the child: whichever runs first
        return pid
    rc = 3
    try:
        os.setpgid(0, 0)
        os.chdir(tree)
        sys.path.insert(0, str(tree))
        log = os.open(tree / "pytest.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(log, 1)
        os.dup2(log, 2)
        import pytest
        from hypothesis import settings

        # no deadlines (a loaded machine must not kill a mutant) and the same examples every run
        settings.register_profile("mutate", deadline=None, derandomize=True, database=None)
        settings.load_profile("mutate")
        rc = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests]))
    finally:
        os._exit(rc)


def run_all(jobs: list[tuple], trees: list[Path], timeout: dict, progress=None) -> list[tuple]:
    """Run each (mutant or None, module) job in a free tree, at most len(trees) at a time.

    Returns (job, outcome, seconds, the end of pytest's output) in completion order; outcome is "killed" (a test failed),
    "error" (collection or import failed: killed too), "timeout" (killed too) or "survived".
    """
    pending, free, running, done = list(reversed(jobs)), list(trees), {}, []
    try:
        _schedule(pending, free, running, done, timeout, progress)
    finally:
        for pid in running:  # interrupted: stop the test runs still going
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        for _, _, path, original, _ in running.values():
            path.write_text(original)
    return done


def _schedule(pending, free, running, done, timeout, progress):
    while pending or running:
        while pending and free:
            m, module = job = pending.pop()
            tree = free.pop()
            path = tree / "logreg" / f"{module}.py"
            original = path.read_text()
            if m is not None:
                path.write_text(mutated_source(original, m))
            running[_fork_pytest(tree, tests_for(module, tree))] = (job, tree, path, original, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        now = time.monotonic()
        if pid == 0:
            for cpid, (job, _, _, _, t0) in running.items():
                if now - t0 > timeout.get(job[1], 600):
                    with contextlib.suppress(OSError):
                        os.killpg(cpid, signal.SIGKILL)
            time.sleep(0.02)
            continue
        job, tree, path, original, t0 = running.pop(pid)
        path.write_text(original)
        free.append(tree)
        rc = os.waitstatus_to_exitcode(status)
        outcome = {0: "survived", 1: "killed"}.get(rc, "timeout" if rc == -signal.SIGKILL else "error")
        done.append((job, outcome, now - t0, (tree / "pytest.log").read_text(errors="replace")[-3000:]))
        if progress:
            progress(len(done), outcome)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("modules", nargs="*", default=list(MODULES))
    ap.add_argument("--jobs", type=int, default=2, help="test runs at a time (default 2)")
    ap.add_argument("--list", action="store_true", help="print the mutants and stop")
    ap.add_argument("--show", metavar="MODULE:INDEX", help="print one mutant as a diff and stop")
    args = ap.parse_args(argv)

    if args.show:
        module, index = args.show.split(":")
        m = find_mutants(module, ROOT)[int(index)]
        source = (ROOT / "logreg" / f"{module}.py").read_text()
        sys.stdout.writelines(difflib.unified_diff(source.splitlines(True), mutated_source(source, m).splitlines(True),
                                                   f"logreg/{module}.py", f"mutant {args.show} ({m.kind})"))
        return 0
    mutants = {mod: find_mutants(mod, ROOT) for mod in args.modules}
    if args.list:
        for mod, ms in mutants.items():
            for m in ms:
                print(f"{mod}:{m.index:<4} line {m.line:<4} {m.kind:<15} {m.before}  →  {m.after}")
        return 0

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the temporary trees are removed
    _preload()
    with tempfile.TemporaryDirectory(prefix="mutate-") as tmp:
        trees = [copy_tree(Path(tmp) / f"tree{k}") for k in range(args.jobs)]
        base = run_all([(None, mod) for mod in mutants], trees, {})
        failing = [(job[1], log) for job, outcome, _, log in base if outcome != "survived"]
        for module, log in failing:
            print(f"the tests of {module} fail without any mutant: fix them first\n{log}")
        if failing:
            return 2
        timeout = {job[1]: max(30.0, 5 * took) for job, _, took, _ in base}

        def progress(n, outcome):
            mark = {"killed": ".", "survived": "S", "timeout": "T", "error": "E"}[outcome]
            print(mark, end="\n" if n % 60 == 0 else "", flush=True)

        t0 = time.perf_counter()
        todo = [(m, mod) for mod, ms in mutants.items() for m in ms]
        results = [(job[0], outcome, took) for job, outcome, took, _ in run_all(todo, trees, timeout, progress)]
        print(f"\n{len(todo)} mutants in {time.perf_counter() - t0:.0f} s ({args.jobs} at a time)\n")

    results.sort(key=lambda r: (MODULES.index(r[0].module) if r[0].module in MODULES else 99, r[0].index))
    listed = equivalents_listed()
    print(f"{'module':<14}{'mutants':>8}{'killed':>8}{'survived':>9}{'equivalent':>11}{'score':>8}{'adjusted':>10}")
    total = {"n": 0, "killed": 0, "survived": 0, "eq": 0}
    for mod in mutants:
        rs = [(m, o) for m, o, _ in results if m.module == mod]
        killed = sum(o != "survived" for _, o in rs)
        eq = sum(o == "survived" and m.key in listed for m, o in rs)
        row = {"n": len(rs), "killed": killed, "survived": len(rs) - killed, "eq": eq}
        for k in total:
            total[k] += row[k]
        _print_row(mod, row)
    _print_row("total", total)
    print("\nscore = killed / mutants; adjusted = killed / (mutants - survivors the README lists as equivalent)")
    timeouts = sum(o == "timeout" for _, o, _ in results)
    errors = sum(o == "error" for _, o, _ in results)
    print(f"killed by: a failing test {total['killed'] - timeouts - errors}, an import or collection error {errors}, "
          f"a timeout {timeouts}")
    survivors = [m for m, o, _ in results if o == "survived"]
    if survivors:
        print("\nsurvivors (`*` = listed as equivalent in the README):")
        for m in survivors:
            print(f"{'*' if m.key in listed else ' '} {m.module}:{m.index} line {m.line} {m.kind}: `{m.key}`")
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "mutate.json").write_text(json.dumps(
        [{**asdict(m), "outcome": o, "seconds": round(t, 2), "key": m.key} for m, o, t in results], indent=1))
    return 0


def _print_row(name, r):
    score = r["killed"] / r["n"] if r["n"] else 1.0
    adjusted = r["killed"] / (r["n"] - r["eq"]) if r["n"] - r["eq"] else 1.0
    print(f"{name:<14}{r['n']:>8}{r['killed']:>8}{r['survived']:>9}{r['eq']:>11}{score:>8.1%}{adjusted:>10.1%}")


if __name__ == "__main__":
    sys.exit(main())

"""The Train page end to end: press Train -> results drawn, through the entry script (AppTest).

Goal (issue 4): a cat-sized run (12288 features x 209 examples, 2000 iterations) completes in
under a second end to end. Also times the default digits run and the learning-rate comparison,
and prints the training share (the rest is drawing: charts, images, the model file).

Usage: python bench/train_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import logging
import statistics
import sys
import time
from pathlib import Path

import h5py
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cat_shaped_h5(m: int, prefix: str, seed: int) -> bytes:
    """Random pictures with the course's schema and shapes (the real files are not redistributed here)."""
    rng = np.random.default_rng(seed)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset(f"{prefix}_x", data=rng.integers(0, 256, (m, 64, 64, 3), dtype=np.uint8))
        f.create_dataset(f"{prefix}_y", data=np.arange(m) % 2)
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return buf.getvalue()


def clicks(at, key: str, repeat: int) -> tuple[float, float]:
    """Median wall time of a click -> finished rerun, and the median training time the page reports."""
    walls, trains = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        at.button(key=key).click().run(timeout=300)
        walls.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
        if key == "train":
            trains.append(at.session_state["train_run"]["seconds"])
    return statistics.median(walls), (statistics.median(trains) if trains else float("nan"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from threadpoolctl import threadpool_limits

    from tests.app.conftest import open_page

    threadpool_limits(1, user_api="blas")  # as the app does (streamlit_app.py)
    print(f"{'case':58s} {'end to end':>11s} {'training':>9s}")

    at = open_page("pages/train.py", {"data": "cats", "iters": "2000", "alpha": "0.005"}, timeout=300)
    at.file_uploader(key="cat_train").set_value(("train_catvnoncat.h5", cat_shaped_h5(209, "train_set", 1), "x"))
    at.file_uploader(key="cat_test").set_value(("test_catvnoncat.h5", cat_shaped_h5(50, "test_set", 2), "x"))
    at.run(timeout=300)
    wall, train = clicks(at, "train", args.repeat)
    verdict = "ok" if wall < 1.0 else "OVER the 1 s goal"
    print(f"{'cat-sized 12288 x 209, 2000 iterations (goal < 1 s)':58s} {wall * 1e3:9.0f}ms {train * 1e3:7.0f}ms  {verdict}")
    at.number_input(key="cmp_iters").set_value(1500)
    wall, _ = clicks(at, "compare", args.repeat)
    print(f"{'cat-sized, compare 0.01 / 0.001 / 0.0001 x 1500 iterations':58s} {wall * 1e3:9.0f}ms")

    at = open_page("pages/train.py", timeout=300)
    wall, train = clicks(at, "train", args.repeat)
    print(f"{'digits 3 vs not 3, 784 x 800, 2000 iterations (default)':58s} {wall * 1e3:9.0f}ms {train * 1e3:7.0f}ms")


if __name__ == "__main__":
    main()

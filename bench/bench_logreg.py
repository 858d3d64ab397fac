"""Speed of logreg's gradient descent, measured as ratios within one run.

Prints, with absolute times:
  1. ours vs the course's vectorized loop, cat-shaped (12288 x 209) and MNIST-shaped (784 x 4000),
     with a check that both produce the same iterates (w, b, every recorded cost to 1e-8);
  2. ours vs scikit-learn LogisticRegression (no penalty, lbfgs): time to reach our final cost;
  3. vectorized vs for-loop: np.dot vs a Python loop, propagate vs propagate_loop.

Usage: python bench/bench_logreg.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import logreg  # noqa: E402


def course_optimize(w, b, X, Y, num_iterations, learning_rate):
    """The course's gradient descent as learners write it: propagate every iteration, cost every time."""
    costs = []
    m = X.shape[1]
    for i in range(num_iterations):
        A = 1 / (1 + np.exp(-(np.dot(w.T, X) + b)))
        cost = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
        dw = np.dot(X, (A - Y).T) / m
        db = np.sum(A - Y) / m
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(float(cost))
    return w, float(b), costs


def best_of(fn, repeats):
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def synthetic(n_x, m, seed):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 256, (n_x, m)).astype(np.float64) / 255.0
    direction = rng.standard_normal(n_x)
    score = direction @ (X - 0.5)
    Y = (score + rng.normal(0, score.std(), m) > 0).astype(np.float64)[None, :]
    return X, Y


def versus_course(name, n_x, m, iterations, lr, repeats):
    X, Y = synthetic(n_x, m, seed=1)
    w0, b0 = logreg.initialize_with_zeros(n_x)
    t_course, (wc, bc, cc) = best_of(lambda: course_optimize(w0, b0, X, Y, iterations, lr), repeats)
    t_ours, (p, _, co) = best_of(lambda: logreg.optimize(w0, b0, X, Y, iterations, lr), repeats)
    method = logreg.neuron.choose_method(n_x, m, iterations)
    dw = float(np.max(np.abs(p["w"] - wc)))
    db = abs(p["b"] - bc)
    dc = float(np.max(np.abs(np.array(co) - np.array(cc))))
    same = max(dw, db, dc) <= 1e-8
    print(
        f"{name:<28} course {t_course * 1e3:9.1f} ms   ours ({method}) {t_ours * 1e3:8.1f} ms   "
        f"speed-up {t_course / t_ours:7.1f}x   same iterates: {same} (max |diff| w {dw:.1e}, b {db:.1e}, cost {dc:.1e})"
    )
    return X, Y, p, co


def versus_sklearn(X, Y, our_time_fn, our_cost):
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        print("scikit-learn not installed: skipped (pip install -r requirements-dev.txt)")
        return
    t_ours, _ = best_of(our_time_fn, 3)
    for max_iter in (1, 2, 3, 5, 8, 12, 20, 30, 50, 80, 120, 200, 400, 800):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            t_sk, clf = best_of(
                lambda mi=max_iter: LogisticRegression(C=np.inf, max_iter=mi, tol=1e-12).fit(X.T, Y.ravel()), 3
            )
        z = clf.decision_function(X.T)[None, :]
        sk_cost = logreg.cost_from_logits(z, Y)
        if sk_cost <= our_cost:
            print(
                f"{'vs scikit-learn (lbfgs)':<28} sklearn reaches our cost {our_cost:.5f} at max_iter={max_iter} in "
                f"{t_sk * 1e3:.1f} ms; ours {t_ours * 1e3:.1f} ms   ratio sklearn/ours {t_sk / t_ours:.2f}x"
            )
            return
    print(f"{'vs scikit-learn (lbfgs)':<28} sklearn did not reach our cost {our_cost:.5f} within 800 iterations")


def vectorized_vs_loop(repeats):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(1_000_000), rng.standard_normal(1_000_000)
    t_loop, _ = best_of(lambda: logreg.dot_loop(a, b), 1)
    t_vec, _ = best_of(lambda: np.dot(a, b), repeats * 5)
    print(f"{'dot, n = 1e6':<28} loop {t_loop * 1e3:9.1f} ms   np.dot {t_vec * 1e3:8.3f} ms   speed-up {t_loop / t_vec:9.0f}x")
    X, Y = synthetic(100, 500, seed=2)
    w = 0.01 * rng.standard_normal((100, 1))
    t_loop, _ = best_of(lambda: logreg.propagate_loop(w, 0.1, X, Y), 1)
    t_vec, _ = best_of(lambda: logreg.propagate(w, 0.1, X, Y), repeats * 5)
    print(
        f"{'propagate, 100 x 500':<28} loop {t_loop * 1e3:9.1f} ms   vectorized {t_vec * 1e3:8.3f} ms   "
        f"speed-up {t_loop / t_vec:9.0f}x"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repeat each, fewer MNIST iterations")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    print(f"numpy {np.__version__}; best of {repeats} run(s) each\n")
    X, Y, p, co = versus_course("cat-shaped 12288 x 209", 12288, 209, 2000, 0.005, repeats)
    versus_course("MNIST-shaped 784 x 4000", 784, 4000, 500 if args.quick else 2000, 0.005, repeats)
    w0, b0 = logreg.initialize_with_zeros(X.shape[0])
    final_cost = logreg.cost_from_logits(p["w"].T @ X + p["b"], Y)
    versus_sklearn(X, Y, lambda: logreg.optimize(w0, b0, X, Y, 2000, 0.005), final_cost)
    vectorized_vs_loop(repeats)


if __name__ == "__main__":
    main()

"""Training runs: the course's :func:`logreg.model` on a training set, and what the run means.

:func:`train` runs one learning rate with live progress and reads the outcome (accuracies,
a diagnosis of the cost curve, divergence caught and explained); :func:`compare_learning_rates`
runs several from the same start, as the course's comparison does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .activations import sigmoid
from .diagnostics import Diagnosis, diagnose
from .neuron import choose_method, model
from .trainsets import TrainingSet

#: The most learning rates compared at once.
MAX_RATES = 6
#: The most cost values recorded in one run (record_every is chosen to stay below it).
MAX_RECORDS = 400


@dataclass(frozen=True)
class TrainResult:
    """One run of :func:`logreg.model` on a training set, with what it means.

    Attributes
    ----------
    w : ndarray of shape (n_x, 1); b : float
    costs : list of float, recorded every ``record_every`` iterations (from iteration 0)
    record_every, num_iterations : int; learning_rate : float; init : str
    train_accuracy, test_accuracy : float, percent at threshold 0.5
    diagnosis : Diagnosis of the cost history, the final logits and the training labels
    diverged : bool, True if the weights left the floating-point range (w and b are then the start values)
    method : {"primal", "gram"}, the form of gradient descent that ran (:func:`logreg.neuron.choose_method`)
    y_hat_train, y_hat_test : ndarray of shape (1, m) or None, ŷ of the trained (w, b) on each part, kept so a new
        threshold is applied without recomputing them (:func:`logreg.evaluation.decide`); None if it diverged
    """

    w: np.ndarray = field(repr=False)
    b: float
    costs: list[float] = field(repr=False)
    record_every: int
    num_iterations: int
    learning_rate: float
    init: str
    train_accuracy: float
    test_accuracy: float
    diagnosis: Diagnosis
    diverged: bool = False
    method: str = "primal"
    y_hat_train: np.ndarray | None = field(default=None, repr=False)
    y_hat_test: np.ndarray | None = field(default=None, repr=False)

    @property
    def iterations_recorded(self) -> np.ndarray:
        return np.arange(len(self.costs)) * self.record_every


def default_record_every(num_iterations: int) -> int:
    """Record often enough for a smooth curve, at most :data:`MAX_RECORDS` points."""
    return max(1, -(-int(num_iterations) // MAX_RECORDS))


def train(ts: TrainingSet, *, learning_rate, num_iterations, init="zeros", seed=0, record_every=None,
          callback=None) -> TrainResult:
    """Run the course's ``model`` on ``ts`` and read the outcome.

    Parameters
    ----------
    ts : TrainingSet
    learning_rate : float > 0 (keyword-only)
    num_iterations : int > 0 (keyword-only)
    init : {"zeros", "random"}, default="zeros" (keyword-only)
    seed : int, default=0 (keyword-only), for ``init="random"``
    record_every : int or None (keyword-only), default :func:`default_record_every`
    callback : callable(iteration, cost) or None (keyword-only), live progress

    Returns
    -------
    TrainResult
        A run whose weights overflow is not an exception: it comes back with ``diverged=True``,
        the costs recorded until then, and a diagnosis that says to lower the learning rate.
    """
    num_iterations = v.check_positive_int(num_iterations, "num_iterations")
    if record_every is None:
        record_every = default_record_every(num_iterations)
    method = choose_method(ts.n_x, ts.X_train.shape[1], num_iterations)  # named here, so the result can say which ran
    seen: list[float] = []

    def record(i, c):
        seen.append(c)
        if callback is not None:
            callback(i, c)

    try:
        with np.errstate(over="ignore", invalid="ignore"):
            d = model(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, num_iterations, learning_rate,
                      init=init, seed=seed, record_every=record_every, callback=record, method=method)
            Z = d["w"].T @ ts.X_train + d["b"]
            A_test = sigmoid(d["w"].T @ ts.X_test + d["b"])
        if not (np.isfinite(Z).all() and np.isfinite(d["costs"]).all()):
            raise FloatingPointError("z = w^T x + b left the floating-point range")
    except FloatingPointError:
        w0 = np.zeros((ts.n_x, 1))
        finite = [c for c in seen if np.isfinite(c)]
        return TrainResult(
            w=w0, b=0.0, costs=finite, record_every=record_every, num_iterations=int(num_iterations),
            learning_rate=float(learning_rate), init=init, train_accuracy=float("nan"), test_accuracy=float("nan"),
            diagnosis=Diagnosis("diverging", f"w and z = wᵀx + b grew past the floating-point range (α = {learning_rate:g}): "
                                "every step overshot further than the last. Lower the learning rate (try a tenth)."),
            diverged=True, method=method,
        )
    return TrainResult(
        w=d["w"], b=float(d["b"]), costs=[float(c) for c in d["costs"]], record_every=record_every,
        num_iterations=int(num_iterations), learning_rate=float(learning_rate), init=init,
        train_accuracy=d["train_accuracy"], test_accuracy=d["test_accuracy"],
        diagnosis=diagnose(d["costs"], Z=Z, Y=ts.Y_train, X=ts.X_train, record_every=record_every),
        method=method,
        y_hat_train=sigmoid(Z), y_hat_test=A_test,
    )


def parse_rates(rates) -> list[float]:
    """Distinct learning rates, each > 0 and finite, at most :data:`MAX_RATES`, largest first."""
    out = sorted({v.check_positive_float(r, "each learning rate", maximum=1e4) for r in rates}, reverse=True)
    if not out:
        raise ValueError("choose at least one learning rate to compare")
    if len(out) > MAX_RATES:
        raise ValueError(f"compare at most {MAX_RATES} learning rates at once; got {len(out)}")
    return out


def compare_learning_rates(ts: TrainingSet, rates, *, num_iterations=1500, record_every=None, init="zeros", seed=0,
                           callback=None) -> list[TrainResult]:
    """Train once per learning rate from the same start (the course's comparison: 0.01, 0.001, 0.0001).

    ``callback(k, n)`` is called after run k of n, for a progress bar.
    """
    rates = parse_rates(rates)
    out = []
    for k, rate in enumerate(rates):
        out.append(train(ts, learning_rate=rate, num_iterations=num_iterations, record_every=record_every,
                         init=init, seed=seed))
        if callback is not None:
            callback(k + 1, len(rates))
    return out

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
from .losses import cost_from_logits
from .neuron import choose_method, model
from .trainsets import TrainingSet

#: The most learning rates compared at once.
MAX_RATES = 6
#: The most gaps between recorded costs in one run: a run records at most MAX_RECORDS + 1 costs, its start and the
#: cost of the model it returns included (the default record_every is chosen to stay within it).
MAX_RECORDS = 400


@dataclass(frozen=True)
class TrainResult:
    """One run of :func:`logreg.model` on a training set, with what it means.

    Attributes
    ----------
    w : ndarray of shape (n_x, 1); b : float
    costs : tuple of float, J after 0, record_every, 2 record_every, ... updates, and last J of the returned (w, b)
        itself, after all ``num_iterations`` updates (the course's ``optimize`` records before each update, so it
        never records the cost of the model it returns)
    recorded_at : tuple of int, the number of updates behind each cost (the chart's x axis, the CSV's iterations);
        the last gap is shorter than ``record_every`` when ``num_iterations`` is not a multiple of it
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
    costs: tuple[float, ...] = field(repr=False)
    recorded_at: tuple[int, ...] = field(repr=False)
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

    def freeze(self) -> TrainResult:
        """Make its arrays read-only (for a run shared by every session through a cache) and return self."""
        for a in (self.w, self.y_hat_train, self.y_hat_test):
            if a is not None:
                a.flags.writeable = False
        return self

    @property
    def iterations_recorded(self) -> np.ndarray:
        """The iteration (number of updates made) of each recorded cost, shape (len(costs),)."""
        return np.asarray(self.recorded_at, dtype=int)


def default_record_every(num_iterations: int) -> int:
    """Record often enough for a smooth curve, in at most :data:`MAX_RECORDS` gaps.

    A spacing that divides ``num_iterations`` (up to twice the least) is preferred: the final cost, recorded after the
    last update, then lies on the same even grid as the others, and a diagnosis can name the step of every cost.
    """
    num_iterations = int(num_iterations)
    least = max(1, -(-num_iterations // MAX_RECORDS))
    return next((k for k in range(least, 2 * least + 1) if num_iterations % k == 0), least)


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
        Its costs end with the cost of the returned (w, b), after all ``num_iterations`` updates.
        A run whose weights overflow is not an exception: it comes back with ``diverged=True``,
        the finite costs recorded until then, and a diagnosis that says to lower the learning rate.
    """
    num_iterations = v.check_positive_int(num_iterations, "num_iterations")
    if record_every is None:
        record_every = default_record_every(num_iterations)
    record_every = v.check_positive_int(record_every, "record_every")
    method = choose_method(ts.n_x, ts.X_train.shape[1], num_iterations)  # named here, so the result can say which ran
    seen: list[tuple[int, float]] = []

    def record(i, c):
        seen.append((i, c))
        if callback is not None:
            callback(i, c)

    try:
        with np.errstate(over="ignore", invalid="ignore"):
            d = model(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, num_iterations, learning_rate,
                      init=init, seed=seed, record_every=record_every, callback=record, method=method)
            Z = d["w"].T @ ts.X_train + d["b"]
            A_test = sigmoid(d["w"].T @ ts.X_test + d["b"])
            # optimize records J before each update: the returned (w, b)'s own cost is computed here, from its Z
            final = cost_from_logits(Z, ts.Y_train)
        if not (np.isfinite(Z).all() and np.isfinite(d["costs"]).all() and np.isfinite(final)):
            raise FloatingPointError("z = w^T x + b left the floating-point range")
    except FloatingPointError:
        w0 = np.zeros((ts.n_x, 1))
        finite = [(i, c) for i, c in seen if np.isfinite(c)]
        return TrainResult(
            w=w0, b=0.0, costs=tuple(float(c) for _, c in finite), recorded_at=tuple(int(i) for i, _ in finite),
            record_every=record_every, num_iterations=int(num_iterations),
            learning_rate=float(learning_rate), init=init, train_accuracy=float("nan"), test_accuracy=float("nan"),
            diagnosis=Diagnosis("diverging", f"w and z = wᵀx + b grew past the floating-point range (α = {learning_rate:g}): "
                                "every step overshot further than the last. Lower the learning rate (try a tenth)."),
            diverged=True, method=method,
        )
    if callback is not None:
        callback(num_iterations, final)
    costs = [float(c) for c in d["costs"]] + [float(final)]
    recorded_at = (*range(0, num_iterations, record_every), num_iterations)
    # the diagnosis names a cost's step as k * record_every: true only when the last gap is a whole record_every
    even = num_iterations % record_every == 0
    return TrainResult(
        w=d["w"], b=float(d["b"]), costs=tuple(costs), recorded_at=recorded_at, record_every=record_every,
        num_iterations=int(num_iterations), learning_rate=float(learning_rate), init=init,
        train_accuracy=d["train_accuracy"], test_accuracy=d["test_accuracy"],
        diagnosis=diagnose(costs, Z=Z, Y=ts.Y_train, X=ts.X_train, record_every=record_every if even else None),
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

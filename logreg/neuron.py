"""Logistic regression as a one-neuron network: the course's vectorized API.

Forward and backward pass side by side (``propagate``), gradient descent
(``optimize``), decisions (``predict``) and the whole recipe (``model``).
Shapes follow the convention in :mod:`logreg`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import _validate as v
from ._text import plural
from .activations import sigmoid
from .losses import cost_from_logits

#: The Gram (dual) form stores an m x m matrix; above this m it is never chosen.
GRAM_MAX_M = 3000
#: Learning rates above this are refused (they only demonstrate divergence long before).
MAX_LEARNING_RATE = 1e4
MAX_ITERATIONS = 1_000_000


def initialize_with_zeros(dim):
    """w of zeros with shape (dim, 1) and b = 0.0.

    Parameters
    ----------
    dim : int, the number of features n_x
    """
    dim = v.check_positive_int(dim, "dim")
    return np.zeros((dim, 1)), 0.0


def initialize_random(dim, *, scale=0.01, seed=0):
    """Small random w ~ N(0, scale^2) with shape (dim, 1) and b = 0.0, from ``seed``."""
    dim = v.check_positive_int(dim, "dim")
    scale = v.check_positive_float(scale, "scale", maximum=10.0)
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((dim, 1)), 0.0


def check_wbXY(w, b, X, Y):
    """(w, b, X, Y) validated together, once: shapes (n_x, 1), float, (n_x, m), (1, m); labels 0/1."""
    X = v.check_X(X)
    w = v.check_w(w, X.shape[0])
    b = v.check_b(b)
    Y = v.check_Y(Y, X.shape[1])
    return w, b, X, Y


def propagate_unchecked(w, b, X, Y):
    """propagate without input checks (inputs already validated)."""
    m = X.shape[1]
    # forward: Z = w^T X + b, A = sigma(Z), cost from Z (stable even when A saturates)
    Z = w.T @ X + b
    A = sigmoid(Z)
    cost = cost_from_logits(Z, Y)
    # backward: dZ = A - Y, then the chain rule through Z = w^T X + b
    dZ = A - Y
    dw = (X @ dZ.T) / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def propagate(w, b, X, Y):
    """Forward and backward pass: the cost J(w, b) and its gradients.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1)
    b : float
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0 or 1

    Returns
    -------
    grads : dict with ``"dw"`` of shape (n_x, 1) and ``"db"`` float
    cost : float, the cross-entropy J(w, b)
    """
    return propagate_unchecked(*check_wbXY(w, b, X, Y))


def _work(n_x, m, num_iterations):
    """Multiply-adds of (primal, gram) for these sizes."""
    primal = 2.0 * n_x * m * num_iterations
    gram = n_x * m * m + m * m * num_iterations + 2.0 * n_x * m
    return primal, gram


def choose_method(n_x, m, num_iterations):
    """The form ``optimize(method="auto")`` runs: the cheaper exact one, by multiply-adds.

    primal: two mat-vecs with X per iteration, 2 n_x m each.
    gram:   K = X^T X once (n_x m^2), then one m x m mat-vec per iteration;
            chosen only when it needs less than half the primal's work and m <= GRAM_MAX_M.
    """
    if m > GRAM_MAX_M:
        return "primal"
    primal, gram = _work(n_x, m, num_iterations)
    return "gram" if gram < 0.5 * primal else "primal"



def method_reason(n_x, m, num_iterations) -> str:
    """One sentence, with the numbers, on why :func:`choose_method` picks its form for these sizes."""
    sizes = (f"n_x = {plural(n_x, 'feature')}, m = {plural(m, 'example')} and "
             f"{plural(num_iterations, 'iteration')}")
    if m > GRAM_MAX_M:
        return (f"With {sizes}, m is above {GRAM_MAX_M}: the Gram form's m × m matrix would be too large, "
                "so `optimize` runs the primal form.")
    primal, gram = _work(n_x, m, num_iterations)
    if choose_method(n_x, m, num_iterations) == "gram":
        return (f"With {sizes}, the Gram form needs about {gram:.2g} multiply-adds (K = XᵀX once, then an m × m "
                f"product per step) against the primal form's {primal:.2g}, {primal / gram:.1f} times fewer, "
                "so `optimize` runs the Gram form.")
    return (f"With {sizes}, the primal form needs about {primal:.2g} multiply-adds against the Gram form's "
            f"{gram:.2g} (K = XᵀX once, then an m × m product per step); the Gram form is used only when it needs "
            "less than half, so `optimize` runs the primal form.")


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False, *, record_every=100,
             callback: Callable[[int, float], object] | None = None, method="auto"):
    """Full-batch gradient descent: w := w - alpha dw, b := b - alpha db.

    Parameters
    ----------
    w : ndarray of shape (n_x, 1), the starting weights
    b : float, the starting bias
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    num_iterations : int, default=100
    learning_rate : float, default=0.009
    print_cost : bool, default=False
        Print the cost every ``record_every`` iterations, as the course does.
    record_every : int, default=100 (keyword-only)
        Record the cost at iterations 0, record_every, 2 record_every, ... below ``num_iterations``: the cost
        of (w, b) before that iteration's update, i.e. after that many updates. As in the course, the cost of
        the returned parameters (after all ``num_iterations`` updates) is not among them; compute it with
        :func:`propagate` when it is needed (the Train page's runs add it, :func:`logreg.runs.train`).
    callback : callable(iteration, cost), optional (keyword-only)
        Called with each recorded cost, for live progress.
    method : {"auto", "primal", "gram"}, default="auto" (keyword-only)
        ``"primal"`` updates w directly. ``"gram"`` keeps w = w0 + X c and
        carries z through K = X^T X (m x m), exact in exact arithmetic and much
        cheaper when m << n_x and there are many iterations. ``"auto"`` picks the
        cheaper one.

    Returns
    -------
    params : dict with ``"w"`` (n_x, 1) and ``"b"`` float
    grads : dict with ``"dw"`` (n_x, 1) and ``"db"`` float of the last iteration
    costs : list of float, the recorded costs, one per iteration 0, record_every, ... below num_iterations
    """
    w, b, X, Y = check_wbXY(w, b, X, Y)
    return optimize_unchecked(w, b, X, Y, num_iterations, learning_rate, print_cost, record_every=record_every,
                              callback=callback, method=method)


def optimize_unchecked(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False, *, record_every=100,
                       callback=None, method="auto"):
    """:func:`optimize` for arrays already validated (by :func:`check_wbXY`); the scalars are still checked."""
    num_iterations = v.check_positive_int(num_iterations, "num_iterations", maximum=MAX_ITERATIONS)
    learning_rate = v.check_positive_float(learning_rate, "learning_rate", maximum=MAX_LEARNING_RATE)
    record_every = v.check_positive_int(record_every, "record_every")
    if method not in ("auto", "primal", "gram"):
        raise ValueError(f"method must be 'auto', 'primal' or 'gram'; got {method!r}")
    if method == "auto":
        method = choose_method(X.shape[0], X.shape[1], num_iterations)

    def record(i, c):
        if print_cost:
            print(f"Cost after iteration {i}: {c:f}")
        if callback is not None:
            callback(i, c)

    run = optimize_gram if method == "gram" else optimize_primal
    params, grads, costs = run(w, b, X, Y, num_iterations, learning_rate, record_every, record)
    if not (np.isfinite(params["w"]).all() and np.isfinite(params["b"])):
        raise FloatingPointError("gradient descent diverged to non-finite weights; lower the learning rate")
    return params, grads, costs


def optimize_primal(w, b, X, Y, num_iterations, learning_rate, record_every, record):
    """The primal form: w itself is updated, w := w - alpha dw, b := b - alpha db (called by ``optimize``)."""
    # propagate_unchecked inlined so the cost (m logs) is only computed when it is recorded.
    m = X.shape[1]
    w = w.copy()
    costs = []
    for i in range(num_iterations):
        Z = w.T @ X + b
        dZ = sigmoid(Z) - Y
        if i % record_every == 0:
            c = cost_from_logits(Z, Y)
            costs.append(c)
            record(i, c)
        dw = (X @ dZ.T) / m
        db = float(np.sum(dZ) / m)
        w -= learning_rate * dw
        b -= learning_rate * db
    return {"w": w, "b": b}, {"dw": dw, "db": db}, costs


def optimize_gram(w0, b0, X, Y, num_iterations, learning_rate, record_every, record):
    """The Gram form: the same steps carried through K = XᵀX (m × m), w rebuilt at the end (called by ``optimize``)."""
    # Every update adds a combination of X's columns to w and the same coefficients' sum to b:
    # with X1 = [X; 1] (a row of ones for b), theta = [w; b] = theta0 + X1 c, c of shape (m,).
    # Then z = theta^T X1 = z0 + K c with K = X1^T X1 = X^T X + 1 (m x m), so an iteration
    # costs O(m^2) instead of O(n_x m).
    # The update c -= (alpha / m)(sigma(z) - y) unrolls to c_i = -(alpha / m) S_i + i (alpha / m) y
    # with S_i = sum_{k<i} sigma(z_k). So -z_i = N [S_i; 1; i] with
    # N = [(alpha / m) K | -z0 | -(alpha / m) K y]: per iteration one mat-vec and four cheap ufuncs.
    m = X.shape[1]
    y = Y.ravel()
    step = learning_rate / m
    K = X.T @ X
    K += 1.0
    N = np.empty((m, m + 2))
    np.multiply(K, step, out=N[:, :m])
    N[:, m] = -((w0.T @ X).ravel() + b0)
    N[:, m + 1] = -step * (K @ y)
    del K
    state = np.zeros(m + 2)  # [S; 1; i]
    state[m] = 1.0
    S = state[:m]  # a view: accumulating into S updates state
    g = np.empty(m)  # -z
    a = np.empty(m)  # sigma(z)
    costs = []
    outer = np.geterr()
    with np.errstate(over="ignore"):  # exp(-z) = inf for z < -709 gives sigma = 1 / inf = 0, exactly right
        for i in range(num_iterations):
            state[m + 1] = i
            np.dot(N, state, out=g)
            if i % record_every == 0:
                cst = cost_from_logits(-g, y)
                costs.append(cst)
                with np.errstate(**outer):
                    record(i, cst)
            np.exp(g, out=a)
            a += 1.0
            np.reciprocal(a, out=a)
            S += a
    last_dz = a - y
    c = (-step) * S + (num_iterations * step) * y
    w = w0 + X @ c[:, None]
    b = b0 + float(np.sum(c))
    grads = {"dw": (X @ last_dz[:, None]) / m, "db": float(np.sum(last_dz) / m)}
    return {"w": w, "b": b}, grads, costs


def predict_proba(w, b, X):
    """y_hat = sigma(w^T X + b), shape (1, m)."""
    X = v.check_X(X)
    w = v.check_w(w, X.shape[0])
    b = v.check_b(b)
    return sigmoid(w.T @ X + b)


def predict(w, b, X, threshold=0.5):
    """Labels 1.0 where y_hat > threshold, else 0.0; shape (1, m)."""
    threshold = v.check_probability(threshold, "threshold")
    return (predict_proba(w, b, X) > threshold).astype(np.float64)


def predict_unchecked(w, b, X, threshold=0.5):
    """:func:`predict` for w, b, X already validated (threshold is still checked)."""
    threshold = v.check_probability(threshold, "threshold")
    return (sigmoid(w.T @ X + b) > threshold).astype(np.float64)


def accuracy(Y_prediction, Y) -> float:
    """Percentage of labels predicted right (the course's 100 - mean|Y_hat - Y| * 100)."""
    Y_prediction = v.as_float_array(Y_prediction, "Y_prediction")
    Y = v.as_float_array(Y, "Y")
    if Y_prediction.shape != Y.shape:
        raise ValueError(f"Y_prediction has shape {Y_prediction.shape} but Y has shape {Y.shape}")
    return float(100.0 - np.mean(np.abs(Y_prediction - Y)) * 100.0)


def model(
    X_train,
    Y_train,
    X_test,
    Y_test,
    num_iterations=2000,
    learning_rate=0.5,
    print_cost=False,
    *,
    threshold=0.5,
    init="zeros",
    seed=0,
    record_every=100,
    callback=None,
    method="auto",
):
    """Initialise, train with gradient descent, and predict on both sets.

    Parameters
    ----------
    X_train : ndarray of shape (n_x, m_train)
    Y_train : ndarray of shape (1, m_train)
    X_test : ndarray of shape (n_x, m_test)
    Y_test : ndarray of shape (1, m_test)
    num_iterations : int, default=2000
    learning_rate : float, default=0.5
    print_cost : bool, default=False
    threshold, init ({"zeros", "random"}), seed, record_every, callback, method :
        keyword-only extras.

    Returns
    -------
    d : dict with ``costs``, ``Y_prediction_test``, ``Y_prediction_train``, ``w``,
        ``b``, ``learning_rate``, ``num_iterations``, ``train_accuracy``,
        ``test_accuracy`` (percent) and ``grads``; ``costs`` as :func:`optimize` records them (before each
        recorded update: the trained (w, b)'s own cost is not among them).
    """
    X_train = v.check_X(X_train, "X_train")
    Y_train = v.check_Y(Y_train, X_train.shape[1], "Y_train")
    X_test = v.check_X(X_test, "X_test", n_x=X_train.shape[0])
    Y_test = v.check_Y(Y_test, X_test.shape[1], "Y_test")
    if init == "zeros":
        w, b = initialize_with_zeros(X_train.shape[0])
    elif init == "random":
        w, b = initialize_random(X_train.shape[0], seed=seed)
    else:
        raise ValueError(f"init must be 'zeros' or 'random'; got {init!r}")
    # each array was checked once above: the inner steps take them as they are
    params, grads, costs = optimize_unchecked(
        w, b, X_train, Y_train, num_iterations, learning_rate, print_cost,
        record_every=record_every, callback=callback, method=method,
    )
    w, b = params["w"], params["b"]
    Y_prediction_train = predict_unchecked(w, b, X_train, threshold)
    Y_prediction_test = predict_unchecked(w, b, X_test, threshold)
    d = {
        "costs": costs,
        "Y_prediction_test": Y_prediction_test,
        "Y_prediction_train": Y_prediction_train,
        "w": w,
        "b": b,
        "learning_rate": learning_rate,
        "num_iterations": num_iterations,
        "train_accuracy": accuracy(Y_prediction_train, Y_train),
        "test_accuracy": accuracy(Y_prediction_test, Y_test),
        "grads": grads,
    }
    if print_cost:
        print(f"train accuracy: {d['train_accuracy']} %")
        print(f"test accuracy: {d['test_accuracy']} %")
    return d

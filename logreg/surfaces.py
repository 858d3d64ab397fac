"""The cost J(w, b) of a one-feature model as a surface, and gradient descent walking on it.

For the loss page: a small 1-D data set, J evaluated on a (w, b) grid for the
cross-entropy and for the squared error of the same model, the path that
gradient descent takes from a chosen start, and one propagate step with every
intermediate array kept (Z, A, dZ, dw, db) so that their shapes can be shown.
Shapes follow the convention in :mod:`logreg`.
"""

from __future__ import annotations

import numpy as np

from . import _validate as v
from .activations import sigmoid
from .losses import loss_from_logits, squared_error
from .neuron import MAX_LEARNING_RATE, check_wbXY, propagate_unchecked

#: Grid sizes above this per axis are refused (a page draws the grid).
MAX_GRID = 400
#: More gradient-descent steps than this are refused (a page draws every step).
MAX_STEPS = 10_000
#: The 1-D data set holds at most this many examples.
MAX_EXAMPLES = 10_000

COST_KINDS = ("cross_entropy", "squared_error")


def toy_dataset_1d(m=20, *, overlap=1.0, seed=0):
    """A one-feature data set with two overlapping classes, samples in columns.

    Class 0 is centred at x = -1 and class 1 at x = +1, with standard deviation
    ``overlap``, so that the best w is finite and J has a clear minimum.

    Parameters
    ----------
    m : int, default=20, the number of examples (half of each class, rounded)
    overlap : float, default=1.0 (keyword-only), the spread of each class
    seed : int, default=0 (keyword-only)

    Returns
    -------
    X : ndarray of shape (1, m)
    Y : ndarray of shape (1, m), labels 0 or 1
    """
    m = v.check_positive_int(m, "m", maximum=MAX_EXAMPLES)
    if m < 2:
        raise ValueError(f"m must be at least 2 (one example of each class); got {m}")
    overlap = v.check_positive_float(overlap, "overlap", maximum=100.0)
    rng = np.random.default_rng(seed)
    Y = (np.arange(m) % 2).astype(np.float64).reshape(1, m)
    X = (2.0 * Y - 1.0) + overlap * rng.standard_normal((1, m))
    return X, Y


def _check_1d(X, Y):
    X = v.check_X(X, n_x=1)
    Y = v.check_Y(Y, X.shape[1])
    return X, Y


def _check_axis(values, name):
    values = v.as_float_array(values, name)
    if values.ndim != 1 or not 1 <= values.size <= MAX_GRID:
        raise ValueError(f"{name} must be 1-D with 1 to {MAX_GRID} values; got shape {values.shape}")
    return values


def cost_grid(X, Y, w_values, b_values, *, kind="cross_entropy"):
    """J(w, b) of the model y_hat = sigma(w x + b) at every (w, b) of a grid.

    Parameters
    ----------
    X : ndarray of shape (1, m), one feature
    Y : ndarray of shape (1, m), labels 0 or 1
    w_values : ndarray of shape (n_w,)
    b_values : ndarray of shape (n_b,)
    kind : {"cross_entropy", "squared_error"}, default="cross_entropy" (keyword-only)
        The cross-entropy (1/m) sum L(y_hat, y), convex in (w, b), or the mean
        of 1/2 (y_hat - y)^2, which is not.

    Returns
    -------
    J : ndarray of shape (n_b, n_w), ``J[i, j]`` is the cost at ``b_values[i]``, ``w_values[j]``
        (rows follow b, columns follow w, as a contour plot expects).
    """
    X, Y = _check_1d(X, Y)
    w = _check_axis(w_values, "w_values")
    b = _check_axis(b_values, "b_values")
    if kind not in COST_KINDS:
        raise ValueError(f"kind must be one of {', '.join(COST_KINDS)}; got {kind!r}")
    # Z[i, j, k] = w_j x_k + b_i : every grid point's logits at once, shape (n_b, n_w, m)
    Z = w[None, :, None] * X[0][None, None, :] + b[:, None, None]
    y = Y[0][None, None, :]
    if kind == "cross_entropy":
        per_example = loss_from_logits(Z, y)
    else:
        per_example = squared_error(sigmoid(Z), y)
    return np.mean(per_example, axis=-1)


def gradient_descent_path(X, Y, w0, b0, learning_rate, num_steps):
    """Every point gradient descent visits: w := w - alpha dw, b := b - alpha db.

    Each step calls :func:`logreg.propagate`'s forward and backward pass on the
    whole data set, as ``optimize`` does, and records where it stands.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m)
    w0 : float or ndarray of shape (n_x, 1), the start (a float means every weight)
    b0 : float, the starting bias
    learning_rate : float, alpha > 0
    num_steps : int >= 0

    Returns
    -------
    path : dict of ndarrays, each with ``num_steps + 1`` entries (step 0 is the start):
        ``"w"`` of shape (num_steps + 1, n_x), ``"b"``, ``"cost"``, ``"db"`` of shape
        (num_steps + 1,) and ``"dw"`` of shape (num_steps + 1, n_x); the gradients are
        those at each point, so step k + 1 = step k - alpha * gradient k.
    """
    X = v.check_X(X)
    n_x = X.shape[0]
    if np.ndim(w0) == 0:
        w0 = np.full((n_x, 1), float(v.check_b(w0, "w0")))
    w, b, X, Y = check_wbXY(w0, b0, X, Y)
    learning_rate = v.check_positive_float(learning_rate, "learning_rate", maximum=MAX_LEARNING_RATE)
    num_steps = v.check_positive_int(num_steps, "num_steps", maximum=MAX_STEPS, allow_zero=True)
    ws = np.empty((num_steps + 1, n_x))
    dws = np.empty((num_steps + 1, n_x))
    bs, dbs, costs = np.empty(num_steps + 1), np.empty(num_steps + 1), np.empty(num_steps + 1)
    w = w.copy()
    for k in range(num_steps + 1):
        grads, cost = propagate_unchecked(w, b, X, Y)
        ws[k], bs[k], costs[k] = w[:, 0], b, cost
        dws[k], dbs[k] = grads["dw"][:, 0], grads["db"]
        if k < num_steps:
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
    if not (np.isfinite(ws).all() and np.isfinite(bs).all()):
        raise FloatingPointError("gradient descent diverged to non-finite weights; lower the learning rate")
    return {"w": ws, "b": bs, "cost": costs, "dw": dws, "db": dbs}


def propagate_steps(w, b, X, Y):
    """One vectorized forward and backward pass, keeping every intermediate array.

    The same computation as :func:`logreg.propagate`, step by step, for showing
    each array beside its formula.

    Returns
    -------
    steps : dict with ``"Z"`` (1, m), ``"A"`` (1, m), ``"dZ"`` (1, m),
        ``"dw"`` (n_x, 1), ``"db"`` float and ``"cost"`` float
    """
    w, b, X, Y = check_wbXY(w, b, X, Y)
    m = X.shape[1]
    Z = w.T @ X + b  # (1, n_x) @ (n_x, m) + scalar -> (1, m)
    A = sigmoid(Z)  # element-wise, (1, m)
    dZ = A - Y  # (1, m)
    dw = (X @ dZ.T) / m  # (n_x, m) @ (m, 1) -> (n_x, 1)
    db = float(np.sum(dZ) / m)  # a scalar
    cost = float(np.mean(loss_from_logits(Z, Y)))
    return {"Z": Z, "A": A, "dZ": dZ, "dw": dw, "db": db, "cost": cost}

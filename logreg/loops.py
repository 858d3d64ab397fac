"""Deliberately un-vectorized references: explicit Python loops over examples and features.

They exist for the vectorization page, to time against and to check that the
vectorized code computes the very same numbers. Do not use them for real work.
"""

from __future__ import annotations

import math

import numpy as np

from . import _validate as v


def dot_loop(a, b) -> float:
    """The lecture's non-vectorized dot product: sum_i a_i b_i, one element of the NumPy arrays at a time.

    As on the slide, ``c += a[i] * b[i]`` indexes the arrays themselves; each ``a[i]`` makes a NumPy
    scalar, which is part of what the loop costs (copying to Python lists first runs about 2x faster).

    Parameters
    ----------
    a, b : array_like of the same size, flattened

    Returns
    -------
    c : float
    """
    a = v.as_float_array(a, "a").ravel()
    b = v.as_float_array(b, "b").ravel()
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same length; got {a.size} and {b.size}")
    c = 0.0
    for i in range(len(a)):
        c += a[i] * b[i]
    return float(c)


def _sigmoid_scalar(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _softplus(z: float) -> float:
    # log(1 + e^z) without overflow
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def propagate_loop(w, b, X, Y):
    """``propagate`` written with for loops over the m examples and the n_x features.

    Same arguments and return values as :func:`logreg.propagate`.
    """
    X = v.check_X(X)
    w = v.check_w(w, X.shape[0])
    b = v.check_b(b)
    Y = v.check_Y(Y, X.shape[1])
    n_x, m = X.shape
    Xl, wl, yl = X.tolist(), w[:, 0].tolist(), Y[0].tolist()  # plain floats: what a loop really costs
    J = 0.0
    dw = [0.0] * n_x
    db = 0.0
    for i in range(m):
        z = b
        for j in range(n_x):
            z += wl[j] * Xl[j][i]
        a = _sigmoid_scalar(z)
        J += yl[i] * _softplus(-z) + (1.0 - yl[i]) * _softplus(z)
        dz = a - yl[i]
        for j in range(n_x):
            dw[j] += Xl[j][i] * dz
        db += dz
    return {"dw": np.array(dw).reshape(n_x, 1) / m, "db": db / m}, J / m


def two_feature_loop(w1, w2, b, X, Y) -> dict:
    """The lecture's loop for two features: J, dw1, dw2 and db summed over the m examples, then divided by m.

    The same numbers as :func:`logreg.propagate` with ``w = [[w1], [w2]]``, written one example
    at a time, with one named accumulator per parameter as on the lecture's slide.

    Parameters
    ----------
    w1, w2, b : float
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m)

    Returns
    -------
    dict with ``"J"``, ``"dw1"``, ``"dw2"``, ``"db"`` (floats)
    """
    X = v.check_X(X, n_x=2)
    w = v.check_w([[w1], [w2]], 2)
    b = v.check_b(b)
    Y = v.check_Y(Y, X.shape[1])
    w1, w2 = float(w[0, 0]), float(w[1, 0])
    x1, x2, y = X[0].tolist(), X[1].tolist(), Y[0].tolist()
    m = len(y)
    J = dw1 = dw2 = db = 0.0
    for i in range(m):
        z = w1 * x1[i] + w2 * x2[i] + b  # forward
        a = _sigmoid_scalar(z)
        J += y[i] * _softplus(-z) + (1.0 - y[i]) * _softplus(z)  # -(y log a + (1-y) log(1-a)), from z
        dz = a - y[i]  # backward
        dw1 += x1[i] * dz
        dw2 += x2[i] * dz
        db += dz
    return {"J": J / m, "dw1": dw1 / m, "dw2": dw2 / m, "db": db / m}

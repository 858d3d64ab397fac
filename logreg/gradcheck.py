"""Finite-difference check of the analytic gradients returned by ``propagate``."""

from __future__ import annotations

import numpy as np

from . import _validate as v
from .losses import cost_from_logits
from .neuron import check_wbXY, propagate_unchecked


def numerical_gradients(w, b, X, Y, *, eps=1e-6):
    """Central differences (J(theta + eps) - J(theta - eps)) / (2 eps) for every w_j and b."""
    w, b, X, Y = check_wbXY(w, b, X, Y)
    eps = v.check_positive_float(eps, "eps", maximum=1.0)

    def J(w_, b_):
        return cost_from_logits(w_.T @ X + b_, Y)

    dw = np.zeros_like(w)
    for j in range(w.shape[0]):
        step = np.zeros_like(w)
        step[j, 0] = eps
        dw[j, 0] = (J(w + step, b) - J(w - step, b)) / (2 * eps)
    db = (J(w, b + eps) - J(w, b - eps)) / (2 * eps)
    return {"dw": dw, "db": float(db)}


def gradient_check(w, b, X, Y, *, eps=1e-6, grads=None):
    """Relative difference ||g_analytic - g_numeric|| / (||g_analytic|| + ||g_numeric||).

    Below about 1e-7 the backward pass is right; above 1e-3 it is almost surely wrong.
    ``grads`` (keyword-only): an analytic gradient to check, ``{"dw": (n_x, 1), "db": float}`` from
    another backward pass; by default ``propagate``'s. A ``dw`` of another shape is a ValueError.

    Returns
    -------
    diff : float
    analytic, numeric : dicts like ``grads``
    """
    w, b, X, Y = check_wbXY(w, b, X, Y)
    analytic = propagate_unchecked(w, b, X, Y)[0] if grads is None else grads
    if np.shape(analytic["dw"]) != w.shape or np.ndim(analytic["db"]) != 0:
        raise ValueError(f"grads must hold dw of shape {w.shape} like w and a scalar db; got dw of shape "
                         f"{np.shape(analytic['dw'])} and db of shape {np.shape(analytic['db'])}")
    numeric = numerical_gradients(w, b, X, Y, eps=eps)
    ga = np.append(analytic["dw"].ravel(), analytic["db"])
    gn = np.append(numeric["dw"].ravel(), numeric["db"])
    denom = np.linalg.norm(ga) + np.linalg.norm(gn)
    diff = 0.0 if denom == 0 else float(np.linalg.norm(ga - gn) / denom)
    return diff, analytic, numeric

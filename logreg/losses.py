"""Loss L(y_hat, y) for one example and cost J(w, b) over m examples.

The cross-entropy is computed from the logit z when it is available
(``cost_from_logits``), so that a saturated prediction (sigma(z) rounding to
exactly 0 or 1) still gives a finite, exact cost instead of log(0).
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array

#: y_hat is clipped this far from 0 and 1 when only probabilities are given.
EPS = 1e-15


def loss(y_hat, y):
    """Cross-entropy loss of each example.

    L(y_hat, y) = -(y log y_hat + (1 - y) log(1 - y_hat))

    Parameters
    ----------
    y_hat : float or ndarray, predictions in [0, 1]
    y : float or ndarray broadcastable with ``y_hat``, labels in [0, 1]
    """
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    if ((y_hat < 0) | (y_hat > 1)).any():
        raise ValueError("y_hat must lie in [0, 1]")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must lie in [0, 1]")
    p = np.clip(y_hat, EPS, 1.0 - EPS)
    out = -(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return out.item() if out.ndim == 0 else out


def loss_from_logits(z, y):
    """Per-example cross-entropy from the logit z: y softplus(-z) + (1 - y) softplus(z)."""
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    # a weight of 0 times softplus(+-inf) = inf must count 0, not NaN (a saturated, right answer costs nothing)
    with np.errstate(invalid="ignore"):
        pos = np.where(y != 0.0, y * np.logaddexp(0.0, -z), 0.0)
        neg = np.where(y != 1.0, (1.0 - y) * np.logaddexp(0.0, z), 0.0)
    out = pos + neg
    return out.item() if out.ndim == 0 else out


def cost(A, Y) -> float:
    """J = (1/m) sum L(a_i, y_i) from probabilities A of shape (1, m)."""
    return float(np.mean(loss(A, Y)))


def cost_from_logits(Z, Y) -> float:
    """J = (1/m) sum L(sigma(z_i), y_i) from logits Z of shape (1, m); never log(0)."""
    return float(np.mean(loss_from_logits(Z, Y)))


def squared_error(y_hat, y):
    """Per-example squared error 1/2 (y_hat - y)^2, the non-convex alternative the course rejects."""
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    out = 0.5 * (y_hat - y) ** 2
    return out.item() if out.ndim == 0 else out


def squared_error_cost(A, Y) -> float:
    """(1/m) sum 1/2 (a_i - y_i)^2."""
    return float(np.mean(squared_error(A, Y)))

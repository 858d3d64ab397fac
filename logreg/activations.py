"""The logistic function sigma(z) = 1 / (1 + e^(-z)), computed without overflow."""

from __future__ import annotations

import numpy as np


def _as_logits(z) -> np.ndarray:
    try:
        z = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"z must be a real number or an array of them; got {type(z).__name__}") from None
    if np.isnan(z).any():
        raise ValueError("z contains NaN; sigma(NaN) is undefined")
    return z  # +-inf is fine: sigma(+inf) = 1, sigma(-inf) = 0


def sigmoid(z):
    """Numerically stable logistic function.

    Parameters
    ----------
    z : float or array_like of any shape

    Returns
    -------
    s : float or ndarray of the same shape as ``z``, values in [0, 1]
    """
    # exp of a non-positive number never overflows: pick the algebraic form per sign.
    z = _as_logits(z)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s.item() if s.ndim == 0 else s


def sigmoid_naive(z):
    """The textbook ``1 / (1 + np.exp(-z))``, kept to show how it fails at extreme z.

    Overflow warnings are silenced and reported by :func:`naive_overflows` instead.
    """
    z = _as_logits(z)
    with np.errstate(over="ignore"):
        s = 1.0 / (1.0 + np.exp(-z))
    return s.item() if s.ndim == 0 else s


def naive_overflows(z) -> np.ndarray:
    """Where ``np.exp(-z)`` overflows float64 (the naive form's warning)."""
    z = np.asarray(z, dtype=np.float64)
    return -z > np.log(np.finfo(np.float64).max)


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) (1 - sigma(z))."""
    s = np.asarray(sigmoid(z))
    d = s * (1.0 - s)
    return d.item() if d.ndim == 0 else d


def log_sigmoid(z):
    """log(sigma(z)) = -log(1 + e^(-z)), finite for every finite z."""
    z = _as_logits(z)
    return -np.logaddexp(0.0, -z)

"""Backward passes with one planted mistake each, for gradient checking to catch.

Every function takes ``(w, b, X, Y)`` in the course's shapes and returns ``{"dw", "db"}``
like :func:`logreg.propagate`. :func:`backward` is right; each other one has a single,
named, classic mistake. They are fixed code, chosen from a list, never typed by a user.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid
from .gradcheck import gradient_check, numerical_gradients
from .neuron import check_wbXY

#: Relative difference below this: the backward pass is right (float64 central differences).
PASS = 1e-7
#: Above this: it is almost surely wrong. In between: look closer.
FAIL = 1e-3
#: Both gradients this small (‖analytic‖ + ‖numerical‖): float64 rounding, not the backward pass, decides the
#: relative difference. Where σ is flat (a within ~1e-16 of y), A − Y keeps only rounding of about 1e-16 per
#: example; on the page's data every disagreement of a correct pass was below 5e-10.
TOO_SMALL = 1e-8


def backward(w, b, X, Y):
    """The correct backward pass: dZ = A - Y, dw = X dZ^T / m, db = sum(dZ) / m."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    dw = X @ dZ.T / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}


def backward_sign_flipped(w, b, X, Y):
    """Mistake: dZ = Y - A. Every gradient points uphill; descent would climb."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = Y - A  # the sign of the loss's derivative is lost
    dw = X @ dZ.T / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}


def backward_no_mean(w, b, X, Y):
    """Mistake: the 1/m is forgotten, so the gradient of the sum is returned, m times too large."""
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    dw = X @ dZ.T  # no / m
    db = float(np.sum(dZ))  # no / m
    return {"dw": dw, "db": db}


def backward_transposed(w, b, X, Y):
    """Mistake: dw = dZ X^T / m, the product in the wrong order: the right numbers in a (1, n_x) row.

    NumPy accepts it for every shape. The harm comes later: w - alpha dw broadcasts the
    (n_x, 1) column against the (1, n_x) row into an (n_x, n_x) matrix.
    """
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    dw = dZ @ X.T / m  # (1, m) @ (m, n_x) -> (1, n_x), not (n_x, 1)
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}


def backward_wrong_db(w, b, X, Y):
    """Mistake: db = mean(A), the "- Y" left out of the bias's gradient (dw is right)."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    dZ = A - Y
    dw = X @ dZ.T / m
    db = float(np.mean(A))  # should be the mean of dZ = A - Y
    return {"dw": dw, "db": db}


#: Every backward pass the page offers: an id -> (label, function). The label is what a link's URL holds.
BACKWARDS = {
    "none": ("none (correct)", backward),
    "sign": ("dz = y − a", backward_sign_flipped),
    "no_mean": ("forgot 1/m", backward_no_mean),
    "transpose": ("dw = dZ Xᵀ / m", backward_transposed),
    "db": ("db = mean(A)", backward_wrong_db),
}


def verdict(diff: float, scale: float | None = None) -> str:
    """"pass", "look closer" or "fail" for a relative difference, by the thresholds above; "too small to compare"
    when ``scale`` (the two gradients' norms summed, :func:`check_backward`'s ``"scale"``) is under :data:`TOO_SMALL`."""
    if scale is not None and scale < TOO_SMALL:
        return "too small to compare"
    return "pass" if diff < PASS else ("fail" if diff > FAIL else "look closer")


def check_backward(name, w, b, X, Y, *, eps=1e-6) -> dict:
    """Run the backward pass ``BACKWARDS[name]`` and check it with :func:`logreg.gradient_check`.

    Returns
    -------
    dict with ``"grads"`` (what the backward pass returned), ``"diff"`` (the relative difference, or
    None when gradient_check refused the gradient), ``"error"`` (gradient_check's message, or None),
    ``"flat_diff"`` (the relative difference of the values alone, ignoring their shape), ``"numeric"`` and
    ``"scale"`` (‖analytic‖ + ‖numerical‖: under :data:`TOO_SMALL`, rounding decides the comparison).
    """
    if name not in BACKWARDS:
        raise ValueError(f"name must be one of {sorted(BACKWARDS)}; got {name!r}")
    w, b, X, Y = check_wbXY(w, b, X, Y)
    grads = BACKWARDS[name][1](w, b, X, Y)
    try:
        diff, _, numeric = gradient_check(w, b, X, Y, eps=eps, grads=grads)
        error = None
    except ValueError as exc:
        diff, error = None, str(exc)
        numeric = numerical_gradients(w, b, X, Y, eps=eps)
    ga = np.append(np.ravel(grads["dw"]), grads["db"])
    gn = np.append(numeric["dw"].ravel(), numeric["db"])
    denom = np.linalg.norm(ga) + np.linalg.norm(gn)
    flat = 0.0 if denom == 0 else float(np.linalg.norm(ga - gn) / denom)
    return {"grads": grads, "diff": diff, "error": error, "flat_diff": flat, "numeric": numeric, "scale": float(denom)}

"""Computation graphs with live numbers: the forward pass, the backward pass, and a numerical check.

Two graphs from the lecture:

- the warm-up ``J = 3(a + b c)``, split into ``u = b c``, ``v = a + u``, ``J = 3 v``;
- one example of logistic regression with two features,
  ``z = w1 x1 + w2 x2 + b`` -> ``a = sigma(z)`` -> ``L(a, y)``.

Each derivative is the chain rule, read right to left; beside it, a central difference
of the same function, so a learner can see that the two agree. Nothing here returns
NaN or inf for finite inputs: where ``a`` rounds to 0 or 1 (a *saturated* neuron)
the quantities that cannot be computed are ``None`` and ``saturated`` says why.
"""

from __future__ import annotations

import math

import numpy as np

from .losses import loss_from_logits

#: The warm-up graph's inputs, in the order the page shows them.
WARMUP_INPUTS = ("a", "b", "c")
#: sigma'(z) = a (1 - a) below this: the neuron is saturated (|z| above about 6.9).
SATURATION = 1e-3
#: The step of the central differences on z (and on w_j, scaled by 1 / |x_j|, so z moves by it): small enough that the
#: curvature of L adds ~1e-11, large enough that rounding L (up to ~1e3) adds ~1e-9.
STEP_Z = 1e-5
_TINY = 1e-290


def _real(x, name: str) -> float:
    """A finite real number (a Python or NumPy scalar), as float; ValueError otherwise."""
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number; got {type(x).__name__}")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; got {x}")
    return x


def relative_difference(analytic: float, numeric: float) -> float:
    """|analytic - numeric| / (|analytic| + |numeric|), the check's scale-free error.

    0 when both are below float64's normal range (~2e-308), where numbers keep too few digits to compare.
    """
    denom = abs(analytic) + abs(numeric)
    return 0.0 if denom < _TINY else abs(analytic - numeric) / denom


def _step_for_weight(x: float) -> float:
    """The nudge of w_j that moves z = ... + w_j x_j + ... by STEP_Z (so tiny features still move z)."""
    return STEP_Z / abs(x) if abs(x) > _TINY else STEP_Z


def central_difference(f, x: float, h: float) -> float:
    """(f(x + h) - f(x - h)) / 2h: the slope of f at x, with an error of order h^2 (plus rounding / h)."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


# --- warm-up: J = 3(a + b c) -------------------------------------------------------------------


def warmup_forward(a, b, c) -> float:
    """J = 3 (a + b c), the lecture's first computation graph."""
    u = b * c
    v_ = a + u
    return 3.0 * v_


def warmup_graph(a, b, c) -> dict:
    """Forward values and derivatives dJ/d(node) of ``J = 3(a + b c)``.

    Returns
    -------
    dict with ``"value"`` (node -> forward value, nodes a, b, c, u, v, J) and ``"grad"``
    (node -> dJ/d node, by the chain rule from J backwards).
    """
    a, b, c = _real(a, "a"), _real(b, "b"), _real(c, "c")
    # forward, left to right
    u = b * c
    v_ = a + u
    J = 3.0 * v_
    # backward, right to left: each derivative is the one after it times a local derivative
    dJ = 1.0
    dv = 3.0 * dJ  # J = 3 v
    du = 1.0 * dv  # v = a + u
    da = 1.0 * dv
    db = c * du  # u = b c
    dc = b * du
    return {"value": {"a": a, "b": b, "c": c, "u": u, "v": v_, "J": J},
            "grad": {"a": da, "b": db, "c": dc, "u": du, "v": dv, "J": dJ}}


def warmup_nudge(a, b, c, *, which: str, eps: float) -> dict:
    """Add ``eps`` to one input and see J move by about dJ/d(input) * eps.

    Returns
    -------
    dict with ``"J"``, ``"J_nudged"``, ``"change"`` (J_nudged - J), ``"predicted"``
    (derivative * eps), ``"derivative"`` and ``"numeric"`` (a central difference).
    """
    if which not in WARMUP_INPUTS:
        raise ValueError(f"which must be one of {WARMUP_INPUTS}; got {which!r}")
    eps = _real(eps, "eps")
    if eps == 0:
        raise ValueError("eps must not be 0")
    g = warmup_graph(a, b, c)
    x = dict(g["value"])
    J = x["J"]
    inputs = {k: x[k] for k in WARMUP_INPUTS}

    def J_at(t):
        return warmup_forward(**{**inputs, which: t})

    J_nudged = J_at(inputs[which] + eps)
    deriv = g["grad"][which]
    return {"J": J, "J_nudged": J_nudged, "change": J_nudged - J, "predicted": deriv * eps,
            "derivative": deriv, "numeric": central_difference(J_at, inputs[which], 1e-6 * max(1.0, abs(inputs[which])))}


# --- one example of logistic regression ---------------------------------------------------------


def _loss_of_z(z: float, y: float) -> float:
    return float(loss_from_logits(z, y))


def _numeric_da(a: float, q: float, y: float) -> float | None:
    """Central difference of L(a, y) in a, nudging whichever of a and q = 1 - a is nearer 0.

    Near a = 1, float64 holds a only to ~1e-16, so a nudge of a is rounded away; q = 1 - a (from
    sigma(-z)) still has full precision, and dL/da = -dL/dq. None when a or q is 0 or below float64's
    normal range (there dL/da ~ 1/a overflows, and a nudge of a is rounded away).
    """
    if min(a, q) < _TINY:
        return None
    if a <= q:
        return central_difference(lambda t: -(y * math.log(t) + (1.0 - y) * math.log1p(-t)), a, 1e-5 * a)
    return -central_difference(lambda t: -(y * math.log1p(-t) + (1.0 - y) * math.log(t)), q, 1e-5 * q)


def neuron_graph(x1, x2, w1, w2, b, y) -> dict:
    """Forward and backward pass of one example through z -> a = sigma(z) -> L(a, y).

    Parameters
    ----------
    x1, x2 : float, the example's two features
    w1, w2, b : float, the parameters
    y : 0 or 1, the label

    Returns
    -------
    dict with
    - ``"z"``, ``"a"``, ``"L"``: forward values (L from z, finite even when a rounds to 0 or 1);
    - ``"da"``: dL/da = -y/a + (1-y)/(1-a), or None where it overflows;
    - ``"sigma_prime"``: da/dz = a (1 - a);
    - ``"dz_chain"``: da * a(1 - a) multiplied out, or None where one factor cannot be computed;
    - ``"dz"``: the simplified a - y, always finite; ``"dw1"``, ``"dw2"``, ``"db"``: x1 dz, x2 dz, dz;
    - ``"numeric"``: central differences of L for the same derivatives (``"da"`` None where a is
      within ~1e-290 of 0 or 1); ``"rel_diff"``: their relative differences (None where a side is None);
    - ``"saturated"``: a(1 - a) < ``SATURATION``; ``"a_rounds"``: a is exactly 0.0 or 1.0 in float64.
    """
    x1, x2, w1, w2, b = (_real(t, n) for t, n in ((x1, "x1"), (x2, "x2"), (w1, "w1"), (w2, "w2"), (b, "b")))
    y = _real(y, "y")
    if y not in (0.0, 1.0):
        raise ValueError(f"y must be 0 or 1; got {y:g}")
    # forward
    z = w1 * x1 + w2 * x2 + b
    a = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
    one_minus_a = 1.0 / (1.0 + math.exp(z)) if z <= 0 else math.exp(-z) / (1.0 + math.exp(-z))  # sigma(-z), no cancellation
    L = _loss_of_z(z, y)
    # backward. dL/da from z: 1/a = 1 + e^-z and 1/(1 - a) = 1 + e^z, which overflow only for |z| > 709
    try:
        da = -(1.0 + math.exp(-z)) if y == 1.0 else 1.0 + math.exp(z)
    except OverflowError:
        da = None
    sigma_prime = a * one_minus_a
    dz_chain = da * sigma_prime if da is not None and sigma_prime > 0 else None
    dz = -one_minus_a if y == 1.0 else a  # a - y, without the cancellation of 1 - a near a = 1
    grads = {"da": da, "dz": dz, "dw1": x1 * dz, "dw2": x2 * dz, "db": dz}

    def L_params(w1_, w2_, b_):
        return _loss_of_z(w1_ * x1 + w2_ * x2 + b_, y)

    numeric = {
        "da": _numeric_da(a, one_minus_a, y),
        "dz": central_difference(lambda t: _loss_of_z(t, y), z, STEP_Z),
        "dw1": central_difference(lambda t: L_params(t, w2, b), w1, _step_for_weight(x1)),
        "dw2": central_difference(lambda t: L_params(w1, t, b), w2, _step_for_weight(x2)),
        "db": central_difference(lambda t: L_params(w1, w2, t), b, STEP_Z),
    }
    rel = {k: (relative_difference(grads[k], numeric[k]) if grads[k] is not None and numeric[k] is not None else None)
           for k in numeric}
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "y": y, "z": z, "a": a, "one_minus_a": one_minus_a, "L": L,
            **grads, "sigma_prime": sigma_prime, "dz_chain": dz_chain, "numeric": numeric, "rel_diff": rel,
            "saturated": sigma_prime < SATURATION, "a_rounds": a in (0.0, 1.0)}


def naive_chain_is_nan(z, y) -> bool:
    """Whether the unsimplified chain (-y/a + (1-y)/(1-a)) * a(1-a), from a rounded a, gives NaN or inf."""
    z, y = _real(z, "z"), _real(y, "y")
    with np.errstate(all="ignore"):
        a = np.float64(1.0) / (1.0 + np.exp(np.float64(-z)))
        out = (-y / a + (1.0 - y) / (1.0 - a)) * (a * (1.0 - a))
    return not bool(np.isfinite(out))



def check_range(x, name: str, low: float, high: float) -> float:
    """A typed number: finite and within [low, high], as float; ValueError saying which otherwise."""
    x = _real(x, name)
    if not low <= x <= high:
        raise ValueError(f"{name} must lie in [{low:g}, {high:g}]; got {x:g}")
    return x

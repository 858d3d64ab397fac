"""Input checks shared by every public entry point.

Errors are ``ValueError`` that say what was expected and what was received,
never ``assert`` (asserts vanish under ``python -O``).
"""

from __future__ import annotations

import numbers

import numpy as np


def _shape_str(shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def as_float_array(x, name: str) -> np.ndarray:
    """Convert to a float64 array, refusing non-numeric, complex and non-finite data."""
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged nested lists and the like
        raise ValueError(f"{name} must be a numeric array; could not convert it ({exc})") from None
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers; got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    # A finite sum proves every element finite (NaN and inf propagate) at the cost of one pass
    # and no temporary; only when it is not finite do we count (it may be an overflow of the sum).
    with np.errstate(over="ignore", invalid="ignore"):
        total = arr.sum() if arr.size else 0.0
    if not np.isfinite(total) and (bad := int(arr.size - np.count_nonzero(np.isfinite(arr)))):
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s); clean or drop them first")
    return arr


def check_X(X, name: str = "X", n_x: int | None = None) -> np.ndarray:
    """``X`` of shape (n_x, m), samples in columns, finite, at least one sample."""
    X = as_float_array(X, name)
    if X.ndim != 2:
        raise ValueError(
            f"{name} must have shape (n_x, m) with samples in columns; got {X.ndim}-D shape "
            f"{_shape_str(X.shape)}" + (" (reshape a single example with x.reshape(-1, 1))" if X.ndim == 1 else "")
        )
    if X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"{name} must not be empty; got shape {_shape_str(X.shape)}")
    if n_x is not None and X.shape[0] != n_x:
        raise ValueError(f"{name} must have shape (n_x, m) with n_x={n_x}; got {_shape_str(X.shape)}")
    return X


def check_Y(Y, m: int, name: str = "Y") -> np.ndarray:
    """Labels ``Y`` of shape (1, m) holding only 0 and 1."""
    Y = as_float_array(Y, name)
    if Y.shape != (1, m):
        hint = " (use Y.reshape(1, -1))" if Y.size == m else ""
        raise ValueError(f"{name} must have shape (1, m) with m={m}; got {_shape_str(Y.shape)}{hint}")
    if not np.isin(Y, (0.0, 1.0)).all():
        bad = np.unique(Y[~np.isin(Y, (0.0, 1.0))])[:5]
        raise ValueError(f"{name} must contain only 0 and 1; got other values such as {bad.tolist()}")
    return Y


def check_w(w, n_x: int | None = None, name: str = "w") -> np.ndarray:
    w = as_float_array(w, name)
    if w.ndim != 2 or w.shape[1] != 1 or w.shape[0] == 0:
        raise ValueError(f"{name} must be a column of shape (n_x, 1); got {_shape_str(w.shape)}")
    if n_x is not None and w.shape[0] != n_x:
        raise ValueError(f"{name} must have shape (n_x, 1) with n_x={n_x} (rows of X); got {_shape_str(w.shape)}")
    return w


def check_b(b, name: str = "b") -> float:
    if isinstance(b, np.ndarray):
        if b.size != 1:
            raise ValueError(f"{name} must be a scalar; got an array of shape {_shape_str(b.shape)}")
        b = b.reshape(()).item()
    if isinstance(b, bool) or not isinstance(b, numbers.Real):
        raise ValueError(f"{name} must be a real number; got {type(b).__name__}")
    b = float(b)
    if not np.isfinite(b):
        raise ValueError(f"{name} must be finite; got {b}")
    return b


def check_positive_int(value, name: str, *, maximum: int | None = None, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    value = int(value)
    low = 0 if allow_zero else 1
    if value < low:
        raise ValueError(f"{name} must be >= {low}; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}; got {value}")
    return value


def check_positive_float(value, name: str, *, maximum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum:g}; got {value:g}")
    return value


def check_probability(value, name: str, *, open_interval: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {value!r}")
    value = float(value)
    ok = (0.0 < value < 1.0) if open_interval else (0.0 <= value <= 1.0)
    if not ok:
        rng = "(0, 1)" if open_interval else "[0, 1]"
        raise ValueError(f"{name} must lie in {rng}; got {value}")
    return value

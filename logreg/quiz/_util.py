"""Helpers shared by the generators: reading a page's state safely, drawing numbers, building a choice."""

from __future__ import annotations

import math

import numpy as np

from .answers import ChoiceKey


def num(state: dict, name: str, default: float, lo: float, hi: float) -> float:
    """``state[name]`` as a float in [lo, hi]; the default when it is missing, not a number or not finite."""
    v = state.get(name, default)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return float(default)
    return float(min(hi, max(lo, v))) if math.isfinite(v) else float(default)


def whole(state: dict, name: str, default: int, lo: int, hi: int) -> int:
    return int(round(num(state, name, default, lo, hi)))


def shape(state: dict, name: str, default: tuple, max_dims: int = 4, max_size: int = 10_000) -> tuple:
    """``state[name]`` as a shape tuple of small non-negative ints, or the default."""
    v = state.get(name, default)
    try:
        t = tuple(int(s) for s in v)
    except (TypeError, ValueError):
        return tuple(default)
    if len(t) > max_dims or any(s < 0 or s > max_size for s in t):
        return tuple(default)
    return t


def fixed_text(x: float, decimals: int = 2, *, sign: bool = False) -> str:
    """``x`` with ``decimals`` decimals, or as many more as give a small non-zero ``x`` two significant digits,
    so the number shown is never "0.00" or "-0.00" when it is not 0 (and 0 is never "-0"); ``sign`` adds "+"."""
    x = float(x) + 0.0  # -0.0 + 0.0 is 0.0
    if x != 0 and math.isfinite(x):
        decimals = min(12, max(decimals, 1 - math.floor(math.log10(abs(x)))))
    return f"{x:{'+' if sign else ''}.{decimals}f}"


def pick(rng: np.random.Generator, values):
    """One of ``values``, drawn with ``rng`` (a plain Python value, not a NumPy scalar)."""
    values = list(values)
    return values[int(rng.integers(len(values)))]


def grid(lo: float, hi: float, step: float) -> list[float]:
    """lo, lo + step, …, hi, rounded to the step's decimals so prompts show exactly the numbers used."""
    n = int(round((hi - lo) / step))
    decimals = max(0, -int(math.floor(math.log10(step))))
    return [round(lo + i * step, decimals) for i in range(n + 1)]


def choice(rng: np.random.Generator, options, correct: int, *, shuffle: bool = True) -> ChoiceKey:
    """A :class:`ChoiceKey` over ``options`` (in an order drawn from ``rng`` if ``shuffle``); ``correct`` indexes ``options``."""
    options = list(options)
    order = [int(i) for i in rng.permutation(len(options))] if shuffle else list(range(len(options)))
    return ChoiceKey(tuple(options[i] for i in order), order.index(correct))


def logit(a: float) -> float:
    """The z with σ(z) = a."""
    return float(np.log(a) - np.log1p(-a))

"""Small helpers for the sentences the app writes (shared by :mod:`logreg` and :mod:`ui`)."""

from __future__ import annotations


def noun(count, one: str, many: str | None = None) -> str:
    """``one`` when ``count`` is exactly 1, else ``many`` (default ``one + "s"``): "iteration", "iterations".

    Also for verbs that agree with a count: ``noun(k, "was", "were")``.
    """
    return one if count == 1 else (many if many is not None else one + "s")


def plural(count, one: str, many: str | None = None, *, spec: str = "") -> str:
    """``count`` and its noun, agreeing: "1 iteration", "2 iterations", "0 iterations".

    ``spec`` formats the number (``spec=","`` writes "1,000 numbers").
    """
    return f"{count:{spec}} {noun(count, one, many)}"

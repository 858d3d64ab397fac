"""Arithmetic printed for a learner that adds up as printed.

Each number rounded on its own can break a sum by one in the last digit (1.3655 − 0.1263 = 1.2392 printed at
three decimals reads 1.366 − 0.126 = 1.239), and a small step can print as nothing (2.000 − 0.000 = 2.000 for a
step that moved w). These helpers add decimals, three up to eight, until the numbers as printed add up digit for
digit and a nonzero term does not print as 0; if none does, the caller writes ≈ instead of =.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

FEWEST, MOST = 3, 8


def rounded_decimal(x: float, decimals: int) -> Decimal:
    """``x`` rounded to ``decimals`` places, as a Decimal that adds exactly; never −0."""
    return Decimal(f"{x:.{decimals}f}") + 0  # + 0 turns Decimal("-0.000") into 0.000


def signed(d: Decimal) -> str:
    """A Decimal with its sign, in plain notation: "+1.250", "-0.003"."""
    return f"{d:+f}"


def exact_sum(terms, total: float) -> tuple[list[Decimal], Decimal, bool]:
    """(terms, total, exact): the terms and their total rounded to the fewest decimals (3 to 8) at which the printed
    terms add up to the printed total and no nonzero term prints as 0; ``exact`` False if no such precision exists
    (the terms then at 3 decimals)."""
    for decimals in range(FEWEST, MOST + 1):
        shown = [rounded_decimal(t, decimals) for t in terms]
        whole = rounded_decimal(total, decimals)
        if sum(shown, Decimal(0)) == whole and all(s != 0 or t == 0 for s, t in zip(shown, terms, strict=True)):
            return shown, whole, True
    return [rounded_decimal(t, FEWEST) for t in terms], rounded_decimal(total, FEWEST), False


def apart(x: float, other: float, decimals: int = 4, other_decimals: int = 2) -> str:
    """``x`` to ``decimals`` places, or more (up to 12) until it does not print as ``other`` printed to
    ``other_decimals`` (ŷ = 0.50004 beside a threshold of 0.50 reads "0.50004", not "0.5000")."""
    while decimals < 12 and x != other and float(f"{x:.{decimals}f}") == float(f"{other:.{other_decimals}f}"):
        decimals += 1
    return f"{x:.{decimals}f}"


def update_latex(name: str, k: int, before: float, lr: float, grad: float, after: float) -> str:
    """One step of the update rule with its numbers, e.g. w₃ = w₂ − α dw₂, one equality a row, each exact for the
    numbers as printed: the gradient has enough decimals that α × (it, as printed) rounds to the product shown, and
    the value before minus that product is the value after, digit for digit; a step that moved the value shows a
    product that is not 0. If no precision up to eight decimals does both, the last row says ≈."""
    alpha = Decimal(f"{lr:g}")
    for decimals in range(FEWEST, MOST + 1):
        g_decimals = max(decimals, math.ceil(math.log10(lr)) + decimals)
        B, G, A = rounded_decimal(before, decimals), rounded_decimal(grad, g_decimals), rounded_decimal(after, decimals)
        P = (alpha * G).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN) + 0
        exact = B - P == A
        if exact and (P != 0 or after == before):
            break
    last = "=" if exact else r"\approx"
    mid = "=" if alpha * G == P else r"\approx"  # α × (dw as printed) has more digits than the product shown
    return (rf"\begin{{aligned}}{name}_{{{k + 1}}} &= {name}_{{{k}}} - \alpha\, d{name}_{{{k}}} \\"
            rf"&= {B:f} - {lr:g} \times ({G:f}) \\"
            rf"&{mid} {B:f} - ({P:f}) \\ &{last} {A:f}\end{{aligned}}")

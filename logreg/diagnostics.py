"""Read a training run: is the cost falling, oscillating, diverging, or has the neuron saturated?"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v


@dataclass(frozen=True)
class Diagnosis:
    status: str  # "converging", "slow", "oscillating", "diverging", "too-short"
    message: str
    saturated_fraction: float = 0.0


def diagnose(costs, *, Z=None, saturation=15.0) -> Diagnosis:
    """Explain a list of recorded costs (and optionally the final logits).

    Parameters
    ----------
    costs : sequence of float, recorded in order
    Z : ndarray of shape (1, m), optional
        Final logits; the fraction with |z| > ``saturation`` (sigma within ~3e-7 of
        0 or 1, where sigma' is ~0 and learning stalls) is reported.
    saturation : float, default=15.0

    Returns
    -------
    Diagnosis
    """
    c = v.as_float_array(costs, "costs").ravel()
    sat = 0.0
    if Z is not None:
        z = v.as_float_array(Z, "Z")
        sat = float(np.mean(np.abs(z) > saturation)) if z.size else 0.0
    sat_note = (
        f" {sat:.0%} of the examples have |z| > {saturation:g}: σ is flat there, so their gradients vanish."
        if sat > 0.5 else ""
    )
    if c.size < 3:
        return Diagnosis("too-short", "Too few recorded costs to judge; record more often or train longer." + sat_note, sat)
    diffs = np.diff(c)
    rises = int(np.sum(diffs > 1e-12 * np.maximum(1.0, np.abs(c[:-1]))))
    if c[-1] > c[0] and rises > len(diffs) / 2:
        return Diagnosis(
            "diverging",
            f"The cost rose from {c[0]:.4g} to {c[-1]:.4g}: each step overshoots the minimum. "
            "Lower the learning rate (try a tenth)." + sat_note,
            sat,
        )
    if rises > 0:
        return Diagnosis(
            "oscillating",
            f"The cost went up {rises} time(s) out of {len(diffs)} recorded steps: the learning rate is at the edge "
            "of stability. It may still settle; a smaller rate gives a smooth descent." + sat_note,
            sat,
        )
    drop = (c[0] - c[-1]) / max(abs(c[0]), 1e-12)
    if drop < 0.05:
        return Diagnosis(
            "slow",
            f"The cost fell only {drop:.1%}: the steps are tiny. Raise the learning rate or train longer." + sat_note,
            sat,
        )
    return Diagnosis("converging", f"The cost fell steadily by {drop:.1%}." + sat_note, sat)

"""Read a training run: converging, slow, overshooting, diverging, or unable to fit a line at all?

One diagnosis for every page that runs gradient descent. It is computed from the run
itself: the recorded costs and, when given, the final logits ``Z`` and the labels ``Y``.

How a cost curve is read
------------------------
- A *rise* is a recorded cost above the one before by more than rounding (1e-9 of the
  costs' size): near the bottom of the bowl costs wobble in the 16th digit, which is not
  a rise.
- The *last quarter* of the run is compared with the whole descent and with the quarter
  before it. A run that is levelling off makes little of its progress at the end (under
  1 %, or under 10 % and at most half as much as the quarter before); a run whose steps
  are too small is still falling in a near-straight line (its last quarter falls at least
  0.8 times as far as the quarter before).
- A run *diverges* when the cost ends above its start, rose in most steps, and either
  never fell or climbed: higher on average in each third of the run than in the one
  before, its last third wholly above its first. A cost that cycles between the same
  values is *oscillating*, however high it goes.
- An oscillating run is *still bouncing* when its last third of the steps (at least two)
  holds a rise and a fall, *still rising* when it holds rises only; otherwise the message
  says what the cost did since its last rise.
- Given the data ``X`` with the final logits ``Z`` and the labels ``Y``, the gradient at the
  end of the run is measured too, as a share of the steepest it can be (|dw_j| is at most
  the mean |x_j| and |db| at most 1): a curve that bends (a steep start, then a slower
  stretch) can look level while the slope is still a good part of its maximum. Only a run
  whose slope is under :data:`FLAT` of it has levelled off.
- The *constant-guess cost* H(p) = -(p log p + (1 - p) log(1 - p)), p the share of
  label 1, is the cost of answering ŷ = p for every example, which needs no features at
  all. A run that levels off near it has found no line that does better than guessing.

With the cross-entropy the gradient of one step is bounded: ``dw = X (A - Y)^T / m`` and
|a - y| < 1, so each component of ``dw`` is at most the mean |x| of its feature. A learning
rate far too large therefore makes ``w`` jump past the minimum and bounce back and forth,
by at most ``alpha * mean|x|`` per step, rather than fly off to infinity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _validate as v
from ._text import noun
from .activations import sigmoid

#: A rise smaller than this share of the costs' size is rounding, not a rise.
RISE_TOLERANCE = 1e-9
#: A run is levelling off when its last quarter made less than this share of its descent.
SETTLED_TAIL = 0.10
#: A run whose last quarter fell at least this share of the quarter before is still on a near-straight line.
STRAIGHT = 0.8
#: A run has levelled off only if its final slope (when known) is under this share of the steepest it can be.
FLAT = 0.05
#: A levelled-off cost at or above this share of the constant-guess cost H(p): no line helps.
NO_BETTER_THAN_GUESSING = 0.90
#: A levelled-off run whose cost fell by less than this share found little to fit (said when the labels are unknown).
LITTLE = 0.10

STATUSES = ("converging", "slow", "oscillating", "diverging", "cannot-separate", "too-short")
#: How a page should show each status (st.success / st.info / st.warning / st.error).
LEVELS = {"converging": "success", "slow": "warning", "oscillating": "warning", "diverging": "error",
          "cannot-separate": "warning", "too-short": "info"}
HEADLINES = {"converging": "Converging", "slow": "Slow", "oscillating": "Overshooting",
             "diverging": "Diverging", "cannot-separate": "No straight line fits", "too-short": "Too short to judge"}


@dataclass(frozen=True)
class Diagnosis:
    """What a run did. ``status`` is one of :data:`STATUSES`; ``message`` says why, with the run's numbers."""

    status: str
    message: str
    saturated_fraction: float = 0.0

    @property
    def level(self) -> str:
        """"success", "info", "warning" or "error": how loudly a page should show it."""
        return LEVELS.get(self.status, "info")

    @property
    def headline(self) -> str:
        """The status in words for a learner, e.g. "Overshooting" for ``"oscillating"``."""
        return HEADLINES.get(self.status, self.status)


def constant_guess_cost(Y) -> float:
    """H(p): the cross-entropy of answering ŷ = p = mean(Y) for every example (0 if one class only)."""
    p = float(np.mean(Y))
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return float(-(p * np.log(p) + (1.0 - p) * np.log1p(-p)))


def slope_share(X, Y, Z) -> float:
    """The gradient of the cost at ``Z = wᵀX + b``, as a share of the largest it can be.

    ‖(dw, db)‖ / ‖(mean|x_1|, …, mean|x_n|, 1)‖: with the cross-entropy |a − y| < 1, so each
    |dw_j| = |Σ x_j (a − y)| / m is at most the mean |x_j|, and |db| at most 1. 0 at the bottom
    of the bowl; near 1 where every example is confidently wrong.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), labels 0 and 1
    Z : ndarray of shape (1, m), the logits at the point

    Returns
    -------
    float in [0, 1]
    """
    X = v.as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_x, m); got {X.shape}")
    Y = v.as_float_array(Y, "Y").reshape(1, -1)
    Z = v.as_float_array(Z, "Z").reshape(1, -1)
    if not X.shape[1] == Y.shape[1] == Z.shape[1] or X.shape[1] == 0:
        raise ValueError(f"X, Y and Z must have the same number of examples m > 0; got X {X.shape}, Y {Y.shape}, Z {Z.shape}")
    dZ = sigmoid(Z) - Y
    m = X.shape[1]
    grad = np.append((X @ dZ.T / m).ravel(), dZ.sum() / m)
    most = np.append(np.abs(X).mean(axis=1), 1.0)
    return float(np.linalg.norm(grad) / np.linalg.norm(most))


def _percent(share: float) -> str:
    """A share as a percentage to one decimal, never rounded to 0.0 % or 100.0 % when it is neither."""
    text = f"{share:.1%}"
    if share > 0 and text == "0.0%":
        return "under 0.1%"
    if share < 1 and text == "100.0%":
        return "over 99.9%"
    return text


def cost_span(a: float, b: float) -> str:
    """"a → b" for two costs, with as many significant digits (4 to 12) as it takes for different costs to print
    differently: a fall of 2e-7 is not "0.3543 → 0.3543"."""
    for digits in range(4, 13):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right or a == b:
            break
    return f"{left} → {right}"


def _saturation_note(z, y, saturation: float) -> str:
    """What the saturated examples (|z| > ``saturation``) still do, when more than half of them are; else "".

    σ is flat there, but the cross-entropy's dz = a − y has no σ′ in it: an example decided right has dz ≈ 0 and
    no longer moves w, one decided wrong has |dz| ≈ 1 and drives the step. With the labels ``y`` each kind is counted.
    """
    sat = np.abs(z) > saturation
    if z.size == 0 or sat.mean() <= 0.5:
        return ""
    gap = float(sigmoid(np.array(-saturation)))  # beyond |z| = saturation, σ is closer than this to 0 or 1
    bound = float(f"{gap:.1e}")
    if bound < gap:  # round up, so "within" stays true: σ(−15) = 3.06e-7 is not within 3.1e-7 rounded down
        bound = float(f"{gap + 0.5 * 10 ** (math.floor(math.log10(gap)) - 1):.1e}")
    n = int(sat.sum())
    who = f"{n} of the {z.size} examples" if n < z.size else ("the one example" if n == 1 else f"all {n} examples")
    head = (f" At the end, {who} {noun(n, 'has', 'have')} |z| > {saturation:g}, "
            f"where σ(z) is within {bound:.1e} of 0 or 1.").replace("e-0", "e-")
    why = " (the cross-entropy's dz = a − y has no σ′ in it: a flat σ does not silence a wrong answer)."
    if y is None:
        return (head + " Those decided right have dz = a − y ≈ 0 and no longer move w; any decided wrong have |dz| ≈ 1 "
                "and still drive the step" + why)
    wrong = int((sat & ((z > 0) != (y == 1))).sum())
    right = int(sat.sum()) - wrong
    parts = ([f"{right} {'is' if right == 1 else 'are'} confidently right: dz = a − y ≈ 0, so "
              f"{'it no longer moves' if right == 1 else 'they no longer move'} w"] if right else [])
    parts += ([f"{wrong} confidently wrong: |dz| = |a − y| ≈ 1, so {'it drives' if wrong == 1 else 'they drive'} the "
               "step"] if wrong else [])
    return head + " Of these, " + "; ".join(parts) + why


def _where(k: int, record_every) -> str:
    """Index k of the recorded costs as words: "step 3", or "recorded cost 3" when the spacing is unknown."""
    return f"step {k * record_every}" if record_every else f"recorded cost {k}"


def _oscillating(c, up, tol, record_every, note, sat) -> Diagnosis:
    k = int(up[0]) + 1
    times = {1: "once", 2: "twice"}.get(up.size, f"{up.size} times")
    steps = "steps" if record_every == 1 else "recorded steps"
    at = "at" if up.size == 1 else "first at"
    first = f"J went up {times} in {c.size - 1} {steps}, {at} {_where(k, record_every)} ({c[k - 1]:.4g} → {c[k]:.4g})"
    # The end of the run: its last third of the steps (at least two, so that a bounce can show), and the range of
    # its last third of the costs (at least two).
    end = np.diff(c[-max(3, c.size // 3):])
    rising, falling = bool((end > tol).any()), bool((end < -tol).any())
    third = c[-(max(2, c.size // 3)):]
    if rising and falling:
        now = f"; it is still bouncing at the end, between {third.min():.4g} and {third.max():.4g}"
    elif rising:
        now = f"; it is still rising at the end, to {c[-1]:.4g} (it started at {c[0]:.4g})"
    else:
        j = int(up[-1]) + 1
        now = "" if up.size == 1 else f", last at {_where(j, record_every)} ({c[j - 1]:.4g} → {c[j]:.4g})"
        if c[-1] < c[j] - tol:
            now += f"; since then it has been coming back down, to {c[-1]:.4g} (it started at {c[0]:.4g})"
        else:
            now += f"; since then it has stayed at {c[-1]:.4g} (it started at {c[0]:.4g})"
    return Diagnosis(
        "oscillating",
        first + now + ". A step that raises J has jumped past the bottom of the bowl to its far side. With the cross-entropy the "
        "gradient is bounded (|a − y| < 1, so |dw| is at most the mean |x|): a learning rate far too large makes w "
        "bounce back and forth rather than blow up. Lower it (try a tenth) for a smooth descent." + note,
        sat,
    )


def diagnose(costs, *, Z=None, Y=None, X=None, saturation=15.0, record_every=None) -> Diagnosis:
    """Explain a list of recorded costs (and optionally the final logits and the labels).

    Parameters
    ----------
    costs : sequence of float, recorded in order (the first before any step)
    Z : ndarray of shape (1, m), optional (keyword-only)
        Final logits; when more than half have |z| > ``saturation`` (σ within ~3e-7 of
        0 or 1) the message says what they still do: with ``Y``, how many are confidently
        right (dz ≈ 0, finished) and how many confidently wrong (|dz| ≈ 1, driving the step).
    Y : ndarray of shape (1, m), optional (keyword-only)
        The training labels. With them a run that levels off near the constant-guess cost
        is diagnosed ``"cannot-separate"`` (no straight line splits the classes), and with
        ``Z`` too its accuracy is compared with always answering the larger class.
    X : ndarray of shape (n_x, m), optional (keyword-only)
        The training data, with ``Z`` and ``Y``: the final slope (:func:`slope_share`) must be
        under :data:`FLAT` for the run to count as levelled off.
    saturation : float, default=15.0 (keyword-only)
    record_every : int or None, default=None (keyword-only)
        Steps between recorded costs; given, messages name steps ("step 40"), else
        positions in the record.

    Returns
    -------
    Diagnosis
    """
    c = v.as_float_array(costs, "costs").ravel()
    if record_every is not None:
        record_every = v.check_positive_int(record_every, "record_every")
    z = None
    sat = 0.0
    if Z is not None:
        z = v.as_float_array(Z, "Z").ravel()
        sat = float(np.mean(np.abs(z) > saturation)) if z.size else 0.0
    y = None
    if Y is not None:
        y = v.as_float_array(Y, "Y").ravel()
        if not np.isin(y, (0.0, 1.0)).all():
            raise ValueError(f"Y must contain only 0 and 1; got other values such as {np.unique(y[~np.isin(y, (0.0, 1.0))])[:3].tolist()}")
        if z is not None and z.size != y.size:
            raise ValueError(f"Z and Y must have the same number of examples; got {z.size} and {y.size}")
    slope = None
    if X is not None:
        if z is None or y is None:
            raise ValueError("X needs Z and Y too: the slope at the end of the run is measured from all three")
        slope = slope_share(X, y, z)
    note = _saturation_note(z, y, saturation) if z is not None else ""
    if c.size < 3:
        advice = ("Too few steps to judge: take at least two." if record_every == 1
                  else "Too few recorded costs to judge; record more often or train longer.")
        return Diagnosis("too-short", advice + note, sat)

    diffs = np.diff(c)
    tol = RISE_TOLERANCE * max(1.0, float(np.max(np.abs(c))))
    up = np.flatnonzero(diffs > tol)
    never_down = not (diffs < -tol).any()
    parts = np.array_split(c, 3)
    thirds = [float(np.mean(t)) for t in parts]
    margin = 0.05 * float(np.ptp(c))  # a cycle's thirds differ by less than this; a climb's by more
    # ... and a climb leaves its start behind: the last third lies wholly above the first (a bounce that grows
    # back to its old lows is still a bounce, whatever its averages do).
    climbing = thirds[0] + margin < thirds[1] < thirds[2] - margin and parts[2].min() > parts[0].max()
    if c[-1] > c[0] and up.size > diffs.size / 2 and (climbing or never_down):
        how = "and never once coming down" if never_down else "and higher in each third of the run"
        return Diagnosis(
            "diverging",
            f"The cost climbed from {c[0]:.4g} to {c[-1]:.4g}, going up in {up.size} of {diffs.size} recorded steps "
            f"{how}: the steps overshoot the minimum further and further. Lower the learning rate (try a tenth)." + note,
            sat,
        )

    drop = float(c[0] - c[-1])
    k = max(1, diffs.size // 4)
    last = float(c[-1 - k] - c[-1])  # the descent in the last quarter of the run
    prev = float(c[-1 - 2 * k] - c[-1 - k])  # ... and in the quarter before it (2k <= diffs.size: k is a quarter, or 1 of >= 2)
    tail = last / drop if drop > 0 else 1.0
    looks_level = drop > 0 and (tail < SETTLED_TAIL / 10 or (tail < SETTLED_TAIL and last <= 0.5 * prev))
    still_steep = looks_level and slope is not None and slope >= FLAT  # a bend in the curve, not the bottom
    settled = looks_level and not still_steep
    early_only = up.size and up[-1] < max(1, diffs.size // 3)
    if up.size and not (early_only and settled):
        return _oscillating(c, up, tol, record_every, note, sat)
    bumps = (f" The first steps overshot: J went up at {_where(int(up[0]) + 1, record_every)} and peaked at "
             f"{c[int(up[0]) + 1:].max():.4g} before it settled." if up.size else "")

    if settled and y is not None:
        H = constant_guess_cost(y)
        if H > 0 and c[-1] >= NO_BETTER_THAN_GUESSING * H:
            p = float(np.mean(y))
            acc = ""
            if z is not None:
                correct = float(np.mean((z > 0) == (y == 1)))
                acc = (f" It classifies {correct:.0%} of the training examples right; always answering the larger "
                       f"class gets {max(p, 1 - p):.0%}.")
                if correct >= max(p, 1 - p) + 0.05:
                    acc = acc[:-1] + (": the line gets some examples right, yet the cost, which weighs how confident "
                                      "every answer is, stays close to guessing's.")
            return Diagnosis(
                "cannot-separate",
                f"The cost levelled off at {c[-1]:.4g}, close to {H:.4g}, the cost of answering ŷ = {p:.2f} (the share "
                f"of label 1) for every example without looking at it: no straight line wᵀx + b = 0 brings the cost "
                f"much below guessing's.{acc} More steps or another learning rate will not change that; "
                "the model needs other features, or more than one neuron." + note,
                sat,
            )
    if drop <= 0:
        return Diagnosis(
            "slow",
            f"The cost did not fall ({cost_span(c[0], c[-1])}): the steps are too small to move it, or the start is "
            "already a flat spot. Raise the learning rate or train longer." + note,
            sat,
        )
    share = drop / max(abs(c[0]), 1e-12)
    if not settled and last >= STRAIGHT * prev:
        return Diagnosis(
            "slow",
            f"The cost fell {_percent(share)} ({cost_span(c[0], c[-1])}) and is still falling in a near-straight line: "
            f"the last quarter of the run took it down as far as the quarter before. It has not begun to level off, "
            "so this run stopped before the bottom. Train longer, or raise the learning rate." + bumps + note,
            sat,
        )
    part = "under 1 %" if tail < 0.01 else f"{tail:.0%}"
    ending = (f"has levelled off: the last quarter of the run made {part} of the descent" if settled
              else f"is still falling, more slowly (the last quarter of the run made {part} of the descent)")
    if still_steep:
        ending += (f". It is not at the bottom yet: the slope at the end is still {slope:.0%} of the steepest it can be. "
                   "Train longer")
    little = ""
    if settled and share < LITTLE:
        if y is None:  # the cost it started from may be the bottom, or no better than guessing: say both
            little = (" It levelled off close to where it started: the model found little to fit, so more steps will not "
                      "help; if the cost is still high, a straight line may not be able to split these classes.")
        else:  # a cost near guessing's was diagnosed above: this run started near where it ends
            little = " It levelled off close to where it started: the first (w, b) was already near the bottom"
            little += (f" (the slope at the end is {_percent(slope)} of the steepest it can be)." if slope is not None
                       else " the run found.")
    return Diagnosis("converging",
                     f"The cost fell {_percent(share)} ({cost_span(c[0], c[-1])}) and {ending}." + bumps + little + note, sat)

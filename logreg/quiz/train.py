"""Questions for the Train page: reading a cost curve and a train/test accuracy pair.

The curves are real gradient-descent runs (``logreg.surfaces`` on the Loss page's toy data) and the
accuracies come from ``logreg.accuracy`` on generated predictions; the keys are read off them.
"""

from __future__ import annotations

import numpy as np

from .. import diagnostics, neuron, surfaces
from . import Question
from ._util import choice, pick
from .answers import ChoiceKey

#: The Train page's headings that show why (its cost curve and diagnosis; its train and test accuracies).
TRAIN_CURVE = "2 · Train with gradient descent"
TRAIN_ACCURACY = "3 · What the neuron learned"

STEPS = 30
TOO_LARGE, TOO_SMALL = "α is too large", "α is too small"
REGIMES = ("overfitting (high variance)", "underfitting (high bias)", "a good fit (low bias, low variance)")
#: Bias: the model cannot even fit the training set. Variance: it fits it far better than new data.
HIGH_BIAS_BELOW = 0.85
HIGH_VARIANCE_GAP = 0.08
#: The two rules, stated in the question (the Train page shows the two accuracies, not these names).
RULES = (f"below {HIGH_BIAS_BELOW:.0%} on training is underfitting; a test accuracy more than "
         f"{HIGH_VARIANCE_GAP * 100:g} points below training is overfitting; otherwise, a good fit")


def _toy():
    return surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)


def _run(lr: float, w0: float, b0: float) -> np.ndarray:
    X, Y = _toy()
    return surfaces.gradient_descent_path(X, Y, w0, b0, lr, STEPS)["cost"]


def alpha_from_curve(state, rng) -> Question:
    lr = pick(rng, [100.0, 300.0, 0.001, 0.003])
    w0, b0 = pick(rng, [(-4.0, 4.0), (0.0, 0.0), (2.0, -2.0)])
    costs = _run(lr, w0, b0)
    status = diagnostics.diagnose(costs).status  # "diverging"/"oscillating": too large; "slow": too small
    if status not in ("diverging", "oscillating", "slow"):
        raise RuntimeError(f"a generated curve should be clear-cut; got {status!r} for lr={lr}")
    key = choice(rng, [TOO_LARGE, TOO_SMALL], 0 if status != "slow" else 1, shuffle=False)
    shown = ", ".join(f"{c:.3f}" for c in costs[: STEPS : STEPS // 5])
    went = "went up" if costs[-1] > costs[0] else "fell only a little"
    return Question(
        "train", "alpha_from_curve",
        f"Over {STEPS} iterations the cost {went}: J = {shown}, …, {costs[-1]:.3f}. Is α too large or too small?", key,
        (f"The run used α = {lr:g}. " + ("Each step jumps past the minimum, higher up the other side." if status != "slow"
                                          else "Each step is tiny, so the cost barely moves."),
         "Rising cost: divide α by 10. A flat, slow fall: multiply α by 10 (or train longer)."),
        TRAIN_CURVE, {"lr": lr, "w0": w0, "b0": b0})


def best_alpha(state, rng) -> Question:
    rates = [pick(rng, [0.001, 0.003]), pick(rng, [1.0, 3.0, 5.0]), pick(rng, [100.0, 300.0])]
    w0, b0 = pick(rng, [(-4.0, 4.0), (0.0, 0.0), (2.0, -2.0)])
    final = [float(_run(r, w0, b0)[-1]) for r in rates]
    key = choice(rng, [f"α = {r:g}" for r in rates], int(np.argmin(final)))
    return Question(
        "train", "best_alpha", f"Three runs of {STEPS} iterations from the same start with different α. Which α ends at the "
        "lowest cost?", key,
        ("Final costs: " + ", ".join(f"α = {r:g}: {c:.3f}" for r, c in zip(rates, final, strict=True)) + ".",
         "Too small crawls, too large overshoots and climbs; the middle one reaches the bottom of the bowl."),
        TRAIN_CURVE, {"rates": tuple(rates), "w0": w0, "b0": b0})


def fit_regime(train_acc: float, test_acc: float) -> int:
    """Index into REGIMES for a train/test accuracy pair (fractions in [0, 1])."""
    if train_acc < HIGH_BIAS_BELOW:
        return 1
    if train_acc - test_acc > HIGH_VARIANCE_GAP:
        return 0
    return 2


def _predictions(m: int, errors: int, rng) -> tuple[np.ndarray, np.ndarray]:
    Y = rng.integers(0, 2, size=(1, m)).astype(float)
    P = Y.copy()
    wrong = rng.choice(m, size=errors, replace=False)
    P[0, wrong] = 1.0 - P[0, wrong]
    return P, Y


def train_vs_test(state, rng) -> Question:
    m_train, m_test = pick(rng, [(200, 50), (209, 50), (800, 200)])
    scenario = pick(rng, REGIMES)
    if scenario == REGIMES[0]:
        e_train, e_test = rng.uniform(0.0, 0.02), rng.uniform(0.12, 0.25)
    elif scenario == REGIMES[1]:
        e_train = rng.uniform(0.25, 0.4)
        e_test = e_train + rng.uniform(-0.02, 0.03)
    else:
        e_train = rng.uniform(0.02, 0.05)
        e_test = e_train + rng.uniform(0.0, 0.03)
    acc = []
    for m, e in ((m_train, e_train), (m_test, e_test)):
        P, Y = _predictions(m, int(round(e * m)), rng)
        acc.append(neuron.accuracy(P, Y) / 100.0)
    idx = fit_regime(*acc)
    key: ChoiceKey = choice(rng, list(REGIMES), idx)
    return Question(
        "train", "train_vs_test",
        f"After training, the accuracy is {acc[0]:.0%} on the training set and {acc[1]:.0%} on the test set. "
        f"What is this called? (Here: {RULES}.)", key,
        (f"Train {acc[0]:.0%}, test {acc[1]:.0%}: the gap is {acc[0] - acc[1]:+.0%}.",
         "Low training accuracy is high bias; a large drop from train to test is high variance."),
        TRAIN_ACCURACY, {"train": acc[0], "test": acc[1]})


GENERATORS = {"train": {"alpha_from_curve": alpha_from_curve, "best_alpha": best_alpha, "train_vs_test": train_vs_test}}

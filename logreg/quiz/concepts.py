"""Questions for the Sigmoid, Loss & cost and Backprop pages; every key comes from ``logreg`` itself."""

from __future__ import annotations

import numpy as np

from .. import activations, losses, neuron
from . import Question
from ._util import choice, fixed_text, grid, logit, num, pick
from .answers import NumberKey

# Headings on the pages that show why (kept equal to the pages' own headings; the app tests check them).
SIGMOID_TOP = "Sigmoid: turning a score into a probability"
SIGMOID_OPTIONS = "Why not just ŷ = w x + b?"
SIGMOID_DERIVATIVE = "Its derivative"
LOSS_ONE = "The loss of one example"
LOSS_COST = "The cost J(w, b) over a small data set"
BACKPROP = "2 · One example of logistic regression"


# ----------------------------------------------------------------------------------------------- sigmoid


def _sigmoid_z(state, rng) -> float:
    """A z near the page's readout (so the question follows the slider), within the page's range."""
    z0 = num(state, "z", 2.0, -8.0, 8.0)
    return round(float(np.clip(z0 + pick(rng, [-1.0, -0.5, 0.0, 0.5, 1.0]), -8.0, 8.0)), 1) + 0.0  # never -0.0 (z0 = -0.04)


def sigma_at_z(state, rng) -> Question:
    z = _sigmoid_z(state, rng)
    s = activations.sigmoid(z)
    return Question(
        "sigmoid", "sigma_at_z", rf"What is $\sigma(z)$ at $z = {z:g}$? (two decimals; within ±0.01)",
        NumberKey(s, 0.01),
        (rf"$\sigma({z:g}) = 1 / (1 + e^{{{0.0 - z:g}}}) = {s:.4f}$.",
         "z = 0 gives exactly 0.5; large positive z gives ŷ near 1, large negative z near 0."),
        SIGMOID_TOP, {"z": z})


def above_half(state, rng) -> Question:
    z = pick(rng, [v for v in grid(-3.0, 3.0, 0.1) if v != 0.0])
    s = activations.sigmoid(z)
    key = choice(rng, ["yes, above 0.5", "no, below 0.5"], 0 if s > 0.5 else 1, shuffle=False)
    return Question(
        "sigmoid", "above_half", rf"For $z = {z:g}$, is $\hat y = \sigma(z)$ above 0.5?", key,
        (rf"$\sigma({z:g}) = {s:.3f}$.", "σ(z) > 0.5 exactly when z > 0: the sign of z decides the prediction."),
        SIGMOID_TOP, {"z": z})


def steeper(state, rng) -> Question:
    # As the page's sliders show them (two decimals): a link may hold b = 0.05, and the prompt must say 0.05.
    w_page = round(num(state, "w", 1.5, -5.0, 5.0), 2) or 1.0
    # w = 0 is no option: σ(0·x + b) is flat, so it never crosses 0.5 (for b = 0 it sits on it).
    others = [v for v in grid(-5.0, 5.0, 0.5) if v != 0.0 and abs(abs(v) - abs(w_page)) >= 0.5]
    w_other = pick(rng, others)
    b = round(num(state, "b", 0.0, -5.0, 5.0), 2)
    # steepness of sigma(w x + b) where it crosses 0.5 (w x + b = 0): the size of its slope, |w| * sigma'(0)
    slopes = [abs(w) * activations.sigmoid_derivative(0.0) for w in (w_page, w_other)]
    key = choice(rng, [f"w = {w_page:g}", f"w = {w_other:g}"], int(np.argmax(slopes)))
    inner = "w x" + (f" + {b:g}" if b > 0 else f" - {-b:g}" if b < 0 else "")
    return Question(
        "sigmoid", "steeper", rf"Which $w$ makes $\sigma({inner})$ steeper where it crosses 0.5?", key,
        (f"The steepness there is the size of the slope, |w|·σ'(0) = |w| / 4: {slopes[0]:.3f} for w = {w_page:g}, "
         f"{slopes[1]:.3f} for w = {w_other:g}.",
         "The larger |w|, the closer σ(w x + b) gets to a step; its sign only flips the curve."),
        SIGMOID_OPTIONS, {"w": (w_page, w_other), "b": b})


def derivative(state, rng) -> Question:
    z = _sigmoid_z(state, rng)
    s, ds = activations.sigmoid(z), activations.sigmoid_derivative(z)
    return Question(
        "sigmoid", "derivative", rf"What is $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ at $z = {z:g}$? (within ±0.005)",
        NumberKey(ds, 0.005),
        (f"σ({z:g}) = {s:.4f}, so σ' = {s:.4f} × {1 - s:.4f} = {ds:.4f}.",
         "σ' is largest (0.25) at z = 0 and vanishes for large |z|. With the cross-entropy it cancels out of the "
         "gradient (dz = a − y), so a confident wrong answer still teaches; with squared error it would not."),
        SIGMOID_DERIVATIVE, {"z": z})


# ----------------------------------------------------------------------------------------------- loss


def _describe(y_hat, y):
    return f"ŷ = {y_hat:g} with y = {y}"


def which_costs_more(state, rng) -> Question:
    y = pick(rng, [0, 1])
    y_page = round(num(state, "y_hat", 0.8, 0.05, 0.95), 2)
    first = y_page if rng.random() < 0.5 else pick(rng, grid(0.05, 0.95, 0.05))
    second = pick(rng, [v for v in grid(0.05, 0.95, 0.05) if abs(v - first) >= 0.1])
    pair = [first, second]
    ls = [losses.loss(p, float(y)) for p in pair]
    key = choice(rng, [_describe(p, y) for p in pair], int(np.argmax(ls)))
    return Question(
        "loss", "which_costs_more", "Which costs more: " + " or ".join(_describe(p, y) for p in pair) + "?", key,
        (f"L = {ls[0]:.3f} for ŷ = {pair[0]:g} and {ls[1]:.3f} for ŷ = {pair[1]:g}.",
         "The further ŷ is from y, the larger −log of the probability given to the true label."),
        LOSS_ONE, {"y_hat": tuple(pair), "y": y})


def loss_when_equal(state, rng) -> Question:
    y = pick(rng, [0, 1])
    value = losses.loss(float(y), float(y))
    return Question(
        "loss", "loss_when_equal", rf"What is $\mathcal{{L}}(\hat y, y)$ when $\hat y = y = {y}$? (within ±0.01)",
        NumberKey(value, 0.01),
        ("A perfect, confident prediction costs nothing: −log 1 = 0.",
         "(The code clips ŷ 1e-15 away from 0 and 1, so it returns about 1e-15.)"),
        LOSS_ONE, {"y": y})


def loss_value(state, rng) -> Question:
    y_hat = round(num(state, "y_hat", 0.8, 0.01, 0.99), 2)
    y = pick(rng, [0, 1])
    value = losses.loss(y_hat, float(y))
    term = r"-\log \hat y" if y == 1 else r"-\log(1 - \hat y)"
    return Question(
        "loss", "loss_value", rf"What is $\mathcal{{L}}(\hat y, y)$ for $\hat y = {y_hat:g}$, $y = {y}$? (within ±0.01)",
        NumberKey(value, 0.01),
        (rf"With $y = {y}$ only ${term}$ remains: $\mathcal{{L}} = {value:.3f}$.",
         "Move the ŷ slider to this value: the matching curve reads the same number."),
        LOSS_ONE, {"y_hat": y_hat, "y": y})


def cost_of_batch(state, rng) -> Question:
    a = np.array([[pick(rng, grid(0.1, 0.9, 0.1)) for _ in range(3)]])
    Y = np.array([[pick(rng, [0, 1]) for _ in range(3)]], dtype=float)
    J = losses.cost(a, Y)
    pairs = ", ".join(f"(ŷ = {p:g}, y = {int(t)})" for p, t in zip(a[0], Y[0], strict=True))
    return Question(
        "loss", "cost_of_batch", f"What is the cost J for these m = 3 examples: {pairs}? (within ±0.01)",
        NumberKey(J, 0.01),
        (f"J is the mean of the three losses: {' + '.join(f'{v:.3f}' for v in losses.loss(a, Y)[0])}, divided by 3.",
         "The cost averages the loss over the examples; gradient descent minimises that average."),
        LOSS_COST, {"a": tuple(a[0]), "y": tuple(Y[0])})


# ----------------------------------------------------------------------------------------------- backprop


def _one_example_grads(a: float, y: int, x1: float):
    """propagate on one example with one feature, arranged so that σ(z) = a (w = 0, b = logit(a))."""
    grads, _ = neuron.propagate(np.zeros((1, 1)), logit(a), np.array([[x1]]), np.array([[float(y)]]))
    return grads


def _a_y_x1(state, rng):
    a = round(num(state, "a", pick(rng, grid(0.1, 0.9, 0.1)), 0.05, 0.95), 2)
    y = int(num(state, "y", pick(rng, [0, 1]), 0, 1) >= 0.5)
    x1 = round(num(state, "x1", pick(rng, [v for v in grid(-3.0, 3.0, 0.5) if v]), -10.0, 10.0), 2) or 1.0
    return a, y, x1


def dz(state, rng) -> Question:
    a, y, _ = _a_y_x1(state, rng)
    d = _one_example_grads(a, y, 1.0)["db"]  # for one example db = dz
    return Question(
        "backprop", "dz", f"For one example with a = {a:g} and y = {y}, what is dz = ∂L/∂z? (within ±0.01)",
        NumberKey(d, 0.01),
        (f"dz = a − y = {a:g} − {y} = {d:.2f}.", "σ' cancels against the log-loss's 1/a terms, leaving the prediction error."),
        BACKPROP, {"a": a, "y": y})


def dw1(state, rng) -> Question:
    a, y, x1 = _a_y_x1(state, rng)
    g = _one_example_grads(a, y, x1)
    return Question(
        "backprop", "dw1", f"One example: x1 = {x1:g}, a = {a:g}, y = {y}. What is dw1 = ∂L/∂w1? (within ±0.01)",
        NumberKey(float(g["dw"][0, 0]), 0.01),
        (f"dz = a − y = {g['db']:.2f}, and dw1 = x1 · dz = {x1:g} × {g['db']:.2f} = {fixed_text(g['dw'][0, 0])}.",
         "z = w1 x1 + … + b, so ∂z/∂w1 = x1: the chain rule multiplies dz by the input."),
        BACKPROP, {"a": a, "y": y, "x1": x1})


def db_batch(state, rng) -> Question:
    a = [pick(rng, grid(0.1, 0.9, 0.1)) for _ in range(3)]
    Y = np.array([[float(pick(rng, [0, 1])) for _ in range(3)]])
    # w = 1 and X = logit(a) make Z = X, so A is exactly these a's
    grads, _ = neuron.propagate(np.ones((1, 1)), 0.0, np.array([[logit(v) for v in a]]), Y)
    pairs = ", ".join(f"(a = {v:g}, y = {int(t)})" for v, t in zip(a, Y[0], strict=True))
    return Question(
        "backprop", "db_batch", f"Three examples: {pairs}. What is db = (1/m) Σ dz? (within ±0.01)",
        NumberKey(grads["db"], 0.01),
        (f"dz = a − y for each: {', '.join(f'{v - t:.1f}' for v, t in zip(a, Y[0], strict=True))}; their mean is {grads['db']:.3f}.",
         "Vectorized: db = np.sum(dZ) / m, one line for any m."),
        BACKPROP, {"a": tuple(a), "y": tuple(Y[0])})


def update_sign(state, rng) -> Question:
    a, y, x1 = _a_y_x1(state, rng)
    alpha = pick(rng, [0.01, 0.1, 0.5, 1.0])
    g = _one_example_grads(a, y, x1)
    w_new = 0.0 - alpha * float(g["dw"][0, 0])  # one gradient step from w1 = 0
    key = choice(rng, ["w1 goes up", "w1 goes down"], 0 if w_new > 0 else 1, shuffle=False)
    return Question(
        "backprop", "update_sign",
        f"One example: x1 = {x1:g}, a = {a:g}, y = {y}. After w1 := w1 − α dw1 with α = {alpha:g}, does w1 go up or down?",
        key,
        # enough digits that the signs shown give the key: x1 = 0.01, a = 0.95 printed "-0.00" and "+0.000"
        (f"dw1 = x1 (a − y) = {fixed_text(g['dw'][0, 0])}, so w1 changes by −α dw1 = {fixed_text(w_new, 3, sign=True)}.",
         "Gradient descent moves w1 against the sign of its gradient, pushing a towards y."),
        BACKPROP, {"a": a, "y": y, "x1": x1, "alpha": alpha})


GENERATORS = {
    "sigmoid": {"sigma_at_z": sigma_at_z, "above_half": above_half, "steeper": steeper, "derivative": derivative},
    "loss": {"which_costs_more": which_costs_more, "loss_when_equal": loss_when_equal, "loss_value": loss_value,
             "cost_of_batch": cost_of_batch},
    "backprop": {"dz": dz, "dw1": dw1, "db_batch": db_batch, "update_sign": update_sign},
}

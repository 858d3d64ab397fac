"""logreg.graph (computation graphs with live numbers), loops.two_feature_loop and logreg.bugs (planted mistakes).

Derivatives are checked against central differences computed here, in the test, from the forward formulas
alone; so a wrong chain rule in logreg.graph fails even if its own numerical check agreed with it.
"""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg import bugs, datasets, graph, propagate
from logreg.gradcheck import gradient_check
from logreg.loops import two_feature_loop
from logreg.surfaces import propagate_steps

WARM = st.floats(-100, 100, allow_nan=False)
NEURON = st.floats(-20, 20, allow_nan=False)  # the page's ranges for x1, x2, w1, w2, b
LABEL = st.sampled_from([0, 1])


def slope(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def loss_of_z(z, y):
    return float(y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z))


# --- warm-up J = 3(a + b c) ----------------------------------------------------------------------


def test_warmup_lecture_numbers():
    g = graph.warmup_graph(5, 3, 2)  # the lecture's example
    assert g["value"] == {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "J": 33}
    assert g["grad"] == {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "J": 1}


@settings(max_examples=60, deadline=None)
@given(a=WARM, b=WARM, c=WARM)
def test_warmup_values_and_derivatives_match_finite_differences(a, b, c):
    g = graph.warmup_graph(a, b, c)

    def J(a_, b_, c_):
        return 3 * (a_ + b_ * c_)

    assert g["value"]["J"] == pytest.approx(J(a, b, c), rel=1e-12, abs=1e-9)
    h = 1e-3  # J is linear in each input: the central difference is exact up to rounding
    numeric = {"a": slope(lambda t: J(t, b, c), a, h), "b": slope(lambda t: J(a, t, c), b, h),
               "c": slope(lambda t: J(a, b, t), c, h)}
    for k in "abc":
        assert g["grad"][k] == pytest.approx(numeric[k], rel=1e-6, abs=1e-5), k
    u, v = g["value"]["u"], g["value"]["v"]
    assert g["grad"]["u"] == pytest.approx(slope(lambda t: 3 * (a + t), u, h), rel=1e-6)
    assert g["grad"]["v"] == pytest.approx(slope(lambda t: 3 * t, v, h), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(a=WARM, b=WARM, c=WARM, which=st.sampled_from(graph.WARMUP_INPUTS), eps=st.sampled_from([1e-3, 1e-2, 0.1, 1.0]))
def test_nudge_moves_J_by_derivative_times_eps(a, b, c, which, eps):
    n = graph.warmup_nudge(a, b, c, which=which, eps=eps)
    assert n["change"] == pytest.approx(n["predicted"], rel=1e-6, abs=1e-9)
    assert n["numeric"] == pytest.approx(n["derivative"], rel=1e-6, abs=1e-5)
    assert n["derivative"] == graph.warmup_graph(a, b, c)["grad"][which]


def test_warmup_refuses_bad_input():
    with pytest.raises(ValueError, match="finite"):
        graph.warmup_graph(float("nan"), 1, 1)
    with pytest.raises(ValueError, match="which"):
        graph.warmup_nudge(1, 2, 3, which="d", eps=0.1)
    with pytest.raises(ValueError, match="real number"):
        graph.warmup_graph("1", 1, 1)


# --- one example of logistic regression -------------------------------------------------------------


def test_neuron_hand_computed():
    g = graph.neuron_graph(1.0, 2.0, 0.5, -0.3, 0.1, 1)  # z = 0: a = 1/2
    assert g["z"] == pytest.approx(0.0, abs=1e-15) and g["a"] == pytest.approx(0.5)
    assert g["L"] == pytest.approx(math.log(2))
    assert g["da"] == pytest.approx(-2.0) and g["sigma_prime"] == pytest.approx(0.25)
    assert g["dz"] == pytest.approx(-0.5) and g["dz_chain"] == pytest.approx(-0.5)
    assert (g["dw1"], g["dw2"], g["db"]) == pytest.approx((-0.5, -1.0, -0.5))
    assert not g["saturated"] and not g["a_rounds"]


@settings(max_examples=150, deadline=None)
@given(x1=NEURON, x2=NEURON, w1=NEURON, w2=NEURON, b=NEURON, y=LABEL)
def test_neuron_derivatives_match_finite_differences(x1, x2, w1, w2, b, y):
    g = graph.neuron_graph(x1, x2, w1, w2, b, y)
    z = w1 * x1 + w2 * x2 + b
    assert g["z"] == pytest.approx(z, rel=1e-12, abs=1e-12)
    assert g["L"] == pytest.approx(loss_of_z(z, y), rel=1e-12, abs=1e-300)
    # the test's own central differences, in the parameters, from the forward formula only, in 120-digit decimals
    # (in float64 a nudge of w_j moves z by h·x_j, which rounding swallows when x_j is tiny)
    with localcontext() as ctx:
        ctx.prec = 120
        p = {k: Decimal(v) for k, v in (("x1", x1), ("x2", x2), ("w1", w1), ("w2", w2), ("b", b))}

        def softplus(u):  # ln(1 + e^u); for very negative u, 1 + e^u would round to 1 even at 120 digits
            return u.exp() if u < -100 else (1 + u.exp()).ln()

        def L(**nudge):
            q = {**p, **nudge}
            z_ = q["w1"] * q["x1"] + q["w2"] * q["x2"] + q["b"]
            return y * softplus(-z_) + (1 - y) * softplus(z_)

        step = Decimal("1e-30")  # how far each nudge moves z
        h = {"w1": step / abs(p["x1"]) if x1 else step, "w2": step / abs(p["x2"]) if x2 else step, "b": step}
        num = {f"d{k}": float((L(**{k: p[k] + h[k]}) - L(**{k: p[k] - h[k]})) / (2 * h[k])) for k in h}
    for k, value in num.items():
        assert g[k] == pytest.approx(value, rel=1e-9, abs=1e-300), k
    # and the module's own check agrees to the page's "pass" level wherever both sides exist
    for k, r in g["rel_diff"].items():
        if r is not None:
            assert r < bugs.PASS, (k, r, g)
    assert g["dz"] == pytest.approx(g["a"] - y, abs=1e-15)
    assert (g["dw1"], g["dw2"], g["db"]) == (x1 * g["dz"], x2 * g["dz"], g["dz"])


@settings(max_examples=100, deadline=None)
@given(z=st.floats(-40, 40), y=LABEL)
def test_da_and_the_unsimplified_chain_match_a_high_precision_difference(z, y):
    """dL/da against a central difference in 60-digit decimals: float64 cannot nudge a near 1 (its 1 - a is
    only good to ~1e-16), which is exactly what the module has to work around."""
    g = graph.neuron_graph(1.0, 0.0, z, 0.0, 0.0, y)
    with localcontext() as ctx:
        ctx.prec = 60
        a = 1 / (1 + (-Decimal(z)).exp())

        def L_of_a(t):
            return -(y * t.ln() + (1 - y) * (1 - t).ln())

        h = min(a, 1 - a) * Decimal("1e-20")
        da = float((L_of_a(a + h) - L_of_a(a - h)) / (2 * h))
    assert g["da"] == pytest.approx(da, rel=1e-12)
    assert g["numeric"]["da"] == pytest.approx(da, rel=1e-7)
    assert g["dz_chain"] == pytest.approx(g["dz"], rel=1e-9, abs=1e-300)


@settings(max_examples=150, deadline=None)
@given(x1=NEURON, x2=NEURON, w1=NEURON, w2=NEURON, b=NEURON, y=LABEL)
def test_no_nan_or_inf_anywhere(x1, x2, w1, w2, b, y):
    g = graph.neuron_graph(x1, x2, w1, w2, b, y)
    flat = [v for k, v in g.items() if isinstance(v, float)]
    flat += [v for d in (g["numeric"], g["rel_diff"]) for v in d.values() if v is not None]
    assert all(math.isfinite(v) for v in flat), g


@pytest.mark.parametrize("y", [0, 1])
def test_saturation_is_reported_not_nan(y):
    g = graph.neuron_graph(20.0, 2.0, 20.0, -0.3, 0.2, y)  # z = 399.6: a rounds to exactly 1.0
    assert g["saturated"] and g["a_rounds"] and g["a"] == 1.0
    assert graph.naive_chain_is_nan(g["z"], y)  # what the textbook product would print
    assert g["dz"] == pytest.approx(-math.exp(-399.6) if y else 1.0, rel=1e-9)
    assert g["numeric"]["da"] is not None and g["rel_diff"]["dz"] < bugs.PASS
    g = graph.neuron_graph(20.0, 20.0, 20.0, 20.0, 20.0, 0)  # z = 820: da overflows float64
    assert g["da"] is None and g["dz_chain"] is None and g["numeric"]["da"] is None and g["dz"] == 1.0
    assert not graph.naive_chain_is_nan(1.0, 1)


@pytest.mark.parametrize("z", [-700.0, -720.0, -740.0, -745.0, 700.0, 720.0, 740.0, 745.0])
@pytest.mark.parametrize("y", [0, 1])
def test_a_below_float64s_normal_range_is_no_trouble(z, y):
    # sigma(z) or 1 - sigma(z) is subnormal here (|z| > 708): 1/a overflows and a relative nudge of a rounds to 0
    g = graph.neuron_graph(20.0, 0.0, z / 20, 0.0, 0.0, y)
    values = [v for v in g.values() if isinstance(v, float)] + [v for v in g["numeric"].values() if v is not None]
    assert all(math.isfinite(v) for v in values)
    assert g["numeric"]["da"] is None and g["rel_diff"]["da"] is None
    tiny = math.exp(-abs(z))  # sigma(z) for z < 0, 1 - sigma(z) for z > 0
    dz = (tiny - y) if z < 0 else (-tiny if y == 1 else 1.0)
    assert g["dz"] == pytest.approx(dz, rel=1e-12, abs=1e-300)


def test_neuron_refuses_bad_input():
    with pytest.raises(ValueError, match="y must be 0 or 1"):
        graph.neuron_graph(1, 1, 1, 1, 1, 0.5)
    with pytest.raises(ValueError, match="x1 must be finite"):
        graph.neuron_graph(float("inf"), 1, 1, 1, 1, 1)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -21.0, 20.5, True, "3"])
def test_check_range_refuses(value):
    with pytest.raises(ValueError, match="x1"):
        graph.check_range(value, "x1", -20, 20)


def test_check_range_accepts_the_ends():
    assert graph.check_range(-20, "x1", -20, 20) == -20.0 and graph.check_range(np.float64(20), "x1", -20, 20) == 20.0


# --- m examples: the lecture's loop against the vectorized step --------------------------------------


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 40), w1=NEURON, w2=NEURON, b=NEURON, seed=st.integers(0, 1000))
def test_two_feature_loop_equals_vectorized(m, w1, w2, b, seed):
    rng = np.random.default_rng(seed)
    X = 3 * rng.standard_normal((2, m))
    Y = rng.integers(0, 2, (1, m))
    loop = two_feature_loop(w1, w2, b, X, Y)
    grads, cost = propagate(np.array([[w1], [w2]]), b, X, Y)
    steps = propagate_steps(np.array([[w1], [w2]]), b, X, Y)
    assert loop["J"] == pytest.approx(cost, rel=1e-10, abs=1e-300) and loop["J"] == pytest.approx(steps["cost"], rel=1e-10)
    np.testing.assert_allclose([loop["dw1"], loop["dw2"]], grads["dw"][:, 0], rtol=1e-9, atol=1e-12)
    assert loop["db"] == pytest.approx(grads["db"], rel=1e-9, abs=1e-12)


def test_two_feature_loop_wants_two_features():
    with pytest.raises(ValueError, match="n_x=2"):
        two_feature_loop(1, 1, 0, np.ones((3, 4)), np.ones((1, 4)))


# --- gradient checking and the planted bugs -------------------------------------------------------------


def page_data(m, w1, w2, b):
    X, Y = datasets.make_blobs(m, noise=1.5, seed=0)
    return np.array([[w1], [w2]]), b, X, Y


@settings(max_examples=40, deadline=None)
@given(m=st.integers(2, 300), w1=NEURON, w2=NEURON, b=NEURON)
def test_gradient_check_passes_the_correct_backward_and_catches_every_bug(m, w1, w2, b):
    w, b, X, Y = page_data(m, w1, w2, b)
    assert bugs.check_backward("none", w, b, X, Y)["diff"] < bugs.PASS
    for name in ("sign", "no_mean", "db"):
        res = bugs.check_backward(name, w, b, X, Y)
        assert res["diff"] > bugs.FAIL, (name, res["diff"])
        assert bugs.verdict(res["diff"]) == "fail"
    res = bugs.check_backward("transpose", w, b, X, Y)
    assert res["diff"] is None and "shape (2, 1)" in res["error"] and "(1, 2)" in res["error"]
    assert res["flat_diff"] < bugs.PASS  # the right numbers in the wrong shape: only the shape check catches it


def test_the_relative_differences_the_page_promises():
    w, b, X, Y = page_data(40, 0.8, -0.3, 0.2)
    assert bugs.check_backward("sign", w, b, X, Y)["diff"] == pytest.approx(1.0)  # -g against g
    assert bugs.check_backward("no_mean", w, b, X, Y)["diff"] == pytest.approx(39 / 41, rel=1e-7)  # (m-1)/(m+1)


def test_gradient_check_itself_measures_the_difference():
    """Fails if gradient_check is replaced by anything that returns 0 (or any constant)."""
    w, b, X, Y = page_data(40, 0.8, -0.3, 0.2)
    right = bugs.backward(w, b, X, Y)
    wrong = bugs.backward_sign_flipped(w, b, X, Y)
    d_right = gradient_check(w, b, X, Y, grads=right)[0]
    d_wrong = gradient_check(w, b, X, Y, grads=wrong)[0]
    d_half = gradient_check(w, b, X, Y, grads={"dw": right["dw"] / 2, "db": right["db"] / 2})[0]
    assert d_right < 1e-7 and d_wrong == pytest.approx(1.0) and d_half == pytest.approx(1 / 3)


def test_gradient_check_refuses_a_gradient_of_the_wrong_shape():
    w, b, X, Y = page_data(10, 0.8, -0.3, 0.2)
    with pytest.raises(ValueError, match=r"dw of shape \(2, 1\)"):
        gradient_check(w, b, X, Y, grads={"dw": np.zeros((1, 2)), "db": 0.0})
    with pytest.raises(ValueError, match="scalar db"):
        gradient_check(w, b, X, Y, grads={"dw": np.zeros((2, 1)), "db": np.zeros(3)})


def test_check_backward_refuses_unknown_names():
    w, b, X, Y = page_data(10, 0.8, -0.3, 0.2)
    with pytest.raises(ValueError, match="name must be one of"):
        bugs.check_backward("eval('1')", w, b, X, Y)


def test_verdict_thresholds():
    assert [bugs.verdict(d) for d in (1e-9, 1e-5, 0.5)] == ["pass", "look closer", "fail"]
    assert [bugs.verdict(0.5, s) for s in (0.9 * bugs.TOO_SMALL, bugs.TOO_SMALL)] == ["too small to compare", "fail"]


def test_a_correct_pass_where_sigma_is_flat_is_too_small_to_compare_not_failed():
    X, Y = datasets.make_blobs(2, noise=1.5, seed=0)
    w, b = np.array([[10.0], [20.0]]), -10.0  # every a within 1e-16 of its y: A - Y keeps only rounding
    res = bugs.check_backward("none", w, b, X, Y)
    assert res["diff"] > bugs.FAIL  # the relative difference alone would call the correct pass wrong ...
    assert res["scale"] == pytest.approx(np.linalg.norm(np.append(res["grads"]["dw"], res["grads"]["db"]))
                                         + np.linalg.norm(np.append(res["numeric"]["dw"], res["numeric"]["db"])))
    assert res["scale"] < bugs.TOO_SMALL and bugs.verdict(res["diff"], res["scale"]) == "too small to compare"
    # ... and on the page's default data no correct pass is ever caught by the floor's absence again
    for m in (2, 3, 5):
        X, Y = datasets.make_blobs(m, noise=1.5, seed=0)
        for w1 in (-20.0, -3.0, 0.0, 3.0, 20.0):
            for w2 in (-20.0, 0.0, 20.0):
                for b in (-10.0, 0.0, 10.0):
                    r = bugs.check_backward("none", np.array([[w1], [w2]]), b, X, Y)
                    assert bugs.verdict(r["diff"], r["scale"]) in ("pass", "too small to compare"), (m, w1, w2, b)

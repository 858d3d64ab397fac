import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg import dot_loop, gradient_check, numerical_gradients, propagate, propagate_loop
from logreg.loops import two_feature_loop


@settings(max_examples=40, deadline=None)
@given(n_x=st.integers(1, 12), m=st.integers(1, 12), seed=st.integers(0, 10_000))
def test_loop_reference_equals_vectorized(n_x, m, seed):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((n_x, 1))
    b = float(rng.normal())
    X = 3 * rng.standard_normal((n_x, m))
    Y = rng.integers(0, 2, (1, m))
    g_loop, c_loop = propagate_loop(w, b, X, Y)
    g_vec, c_vec = propagate(w, b, X, Y)
    np.testing.assert_allclose(g_loop["dw"], g_vec["dw"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g_loop["db"], g_vec["db"], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(c_loop, c_vec, rtol=1e-10)


@settings(deadline=None)  # a Python loop on a loaded machine: no per-example deadline
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=50))
def test_dot_loop_equals_np_dot(values):
    a = np.array(values)
    b = a[::-1].copy()
    np.testing.assert_allclose(dot_loop(a, b), np.dot(a, b), rtol=1e-9, atol=1e-6)


def test_dot_loop_length_mismatch():
    with pytest.raises(ValueError, match="same length"):
        dot_loop([1, 2], [1, 2, 3])


def test_loop_validates_like_vectorized():
    with pytest.raises(ValueError, match="Y must contain only 0 and 1"):
        propagate_loop(np.ones((1, 1)), 0.0, np.ones((1, 2)), np.array([[0, 3]]))


def test_gradient_check_passes_for_propagate():
    rng = np.random.default_rng(0)
    w, X = rng.standard_normal((4, 1)), rng.standard_normal((4, 9))
    Y = rng.integers(0, 2, (1, 9))
    diff, analytic, numeric = gradient_check(w, 0.3, X, Y)
    assert diff < 1e-7
    np.testing.assert_allclose(analytic["dw"], numeric["dw"], rtol=1e-5, atol=1e-8)


def test_gradient_check_catches_a_wrong_gradient(monkeypatch):
    # gradient_check must compare propagate's gradients with finite differences: feed it a backward pass
    # that forgets the 1/m and it must report a large relative difference, computed the documented way.
    import logreg.gradcheck as gc

    rng = np.random.default_rng(1)
    w, X = rng.standard_normal((3, 1)), rng.standard_normal((3, 5))
    Y = rng.integers(0, 2, (1, 5))
    right, cost = propagate(w, 0.0, X, Y)
    wrong = {"dw": right["dw"] * 5, "db": right["db"] * 5}  # what forgetting the 1/m (m = 5) gives
    monkeypatch.setattr(gc, "propagate_unchecked", lambda *args: (wrong, cost))
    diff, analytic, numeric = gradient_check(w, 0.0, X, Y)
    ga = np.append(wrong["dw"].ravel(), wrong["db"])
    gn = np.append(numeric["dw"].ravel(), numeric["db"])
    assert analytic is wrong
    np.testing.assert_allclose(gn, np.append(right["dw"].ravel(), right["db"]), rtol=1e-5, atol=1e-8)
    assert diff == pytest.approx(np.linalg.norm(ga - gn) / (np.linalg.norm(ga) + np.linalg.norm(gn)))
    assert diff == pytest.approx(4 / 6, rel=1e-4)  # |5g - g| / (|5g| + |g|)


# --- gradcheck, found by bench/mutate.py -------------------------------------------------------------------


def test_numerical_gradients_are_central_differences_close_to_propagate():
    rng = np.random.default_rng(2)
    w, X = rng.standard_normal((3, 1)), rng.standard_normal((3, 7))
    Y = rng.integers(0, 2, (1, 7))
    analytic, _ = propagate(w, -0.2, X, Y)
    numeric = numerical_gradients(w, -0.2, X, Y)  # the default eps
    np.testing.assert_allclose(numeric["dw"], analytic["dw"], rtol=1e-6, atol=1e-9)
    assert isinstance(numeric["db"], float) and numeric["db"] == pytest.approx(analytic["db"], rel=1e-6, abs=1e-9)
    with pytest.raises(ValueError, match="eps"):
        numerical_gradients(w, 0.0, X, Y, eps=0.0)
    with pytest.raises(ValueError, match="eps"):
        gradient_check(w, 0.0, X, Y, eps=-1e-6)


def test_gradient_check_validates_its_inputs_with_clear_messages():
    X, Y = np.ones((2, 4)), np.array([[0, 1, 0, 1]])
    for check in (gradient_check, numerical_gradients):
        with pytest.raises(ValueError, match=r"w must have shape \(n_x, 1\) with n_x=2"):
            check(np.ones((3, 1)), 0.0, X, Y)


def test_gradient_check_is_zero_when_both_gradients_are_zero():
    # X = 0 and half the labels 1 at w = 0, b = 0: dw = 0 and db = mean(0.5 - y) = 0, exactly
    diff, analytic, numeric = gradient_check(np.zeros((2, 1)), 0.0, np.zeros((2, 4)), np.array([[1, 0, 1, 0]]))
    assert not analytic["dw"].any() and analytic["db"] == 0.0 and not numeric["dw"].any()
    assert diff == 0.0


@pytest.mark.parametrize(("w", "b", "Xb", "msg"), [
    (np.ones((2, 1)), 0.0, np.array([[1.0, np.nan], [0.0, 0.0]]), r"X contains 1 NaN"),
    (np.ones((3, 1)), 0.0, np.ones((2, 2)), r"w must have shape \(n_x, 1\) with n_x=2"),
    (np.ones((2, 1)), np.inf, np.ones((2, 2)), r"b must be finite"),
])
def test_loop_reference_refuses_bad_inputs_with_the_same_messages(w, b, Xb, msg):
    Y = np.array([[0, 1]])
    for f in (propagate_loop, propagate):
        with pytest.raises(ValueError, match=msg):
            f(w, b, Xb, Y)


def test_gradient_check_refuses_grads_of_the_wrong_shape():
    # the transposed-dw mistake (dw of shape (1, n_x)) holds the right numbers: only the shape check catches it
    rng = np.random.default_rng(3)
    w, X = rng.standard_normal((3, 1)), rng.standard_normal((3, 6))
    Y = rng.integers(0, 2, (1, 6))
    right, _ = propagate(w, 0.1, X, Y)
    assert gradient_check(w, 0.1, X, Y, grads=right)[0] < 1e-7
    bad_dw = r"grads must hold dw of shape \(3, 1\) like w and a scalar db; got dw of shape \(1, 3\) and db of shape \(\)"
    with pytest.raises(ValueError, match=bad_dw):
        gradient_check(w, 0.1, X, Y, grads={"dw": right["dw"].T, "db": right["db"]})
    with pytest.raises(ValueError, match=r"got dw of shape \(3, 1\) and db of shape \(1,\)"):
        gradient_check(w, 0.1, X, Y, grads={"dw": right["dw"], "db": np.array([right["db"]])})


# --- two_feature_loop's inputs (its numbers are checked against propagate in tests/test_graph.py) ---------------


@pytest.mark.parametrize(("w1", "b", "Xb", "Yb", "msg"), [
    (1.0, 0.0, np.ones((3, 2)), [[0, 1]], r"X must have shape \(n_x, m\) with n_x=2; got \(3, 2\)"),
    (np.nan, 0.0, np.ones((2, 2)), [[0, 1]], r"w contains 1 NaN"),
    (1.0, np.inf, np.ones((2, 2)), [[0, 1]], r"b must be finite"),
    (1.0, 0.0, np.ones((2, 2)), [[0, 3]], r"Y must contain only 0 and 1"),
    (1.0, 0.0, np.ones((2, 2)), [[0, 1, 1]], r"Y must have shape \(1, m\) with m=2; got \(1, 3\)"),
])
def test_two_feature_loop_refuses_bad_inputs_with_clear_messages(w1, b, Xb, Yb, msg):
    with pytest.raises(ValueError, match=msg):
        two_feature_loop(w1, 0.5, b, Xb, Yb)


def test_two_feature_loop_computes_in_float64_whatever_float_type_it_is_given():
    # float32 parameters (a widget or a saved model may hand them over) are widened first: no float32 rounding in z
    rng = np.random.default_rng(4)
    X, Y = rng.standard_normal((2, 7)), rng.integers(0, 2, (1, 7))
    w1, w2, b = np.float32(0.1), np.float32(-0.7), np.float32(0.3)
    loop = two_feature_loop(w1, w2, b, X, Y)
    assert loop == two_feature_loop(float(w1), float(w2), float(b), X, Y)
    assert all(type(value) is float for value in loop.values())

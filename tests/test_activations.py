import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logreg import log_sigmoid, sigmoid, sigmoid_derivative, sigmoid_naive
from logreg.activations import naive_overflows


def test_hand_computed_values():
    np.testing.assert_allclose(sigmoid(np.array([0.0, 2.0])), [0.5, 0.88079708], rtol=1e-7)
    assert sigmoid(0) == 0.5
    assert isinstance(sigmoid(1.0), float)
    np.testing.assert_allclose(sigmoid(-1.0), 1 / (1 + np.e), rtol=1e-12)


def test_stable_at_extremes_without_warnings():
    z = np.array([-1e4, -800.0, -40.0, 0.0, 40.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(z)
        ls = log_sigmoid(z)
    assert np.isfinite(s).all() and np.isfinite(ls).all()
    assert s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(ls[0], -1e4)  # log sigma(-1e4) = -1e4 - log(1 + e^-1e4)
    np.testing.assert_allclose(sigmoid(np.array([np.inf, -np.inf])), [1.0, 0.0])


def test_shape_preserved_and_nan_refused():
    z = np.zeros((3, 4, 2))
    assert sigmoid(z).shape == (3, 4, 2)
    with pytest.raises(ValueError, match="NaN"):
        sigmoid(np.array([0.0, np.nan]))
    with pytest.raises(ValueError, match="real number"):
        sigmoid("abc")


def test_naive_overflows_where_stable_does_not():
    z = np.array([-1000.0, -10.0, 0.0])
    assert naive_overflows(z).tolist() == [True, False, False]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        naive = sigmoid_naive(z)  # warnings silenced inside, reported via naive_overflows
    np.testing.assert_allclose(naive, sigmoid(z))


@given(st.floats(-700, 700))
def test_matches_naive_where_naive_is_fine(z):
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-300)


@given(st.floats(-10, 10))
def test_derivative_is_s_times_one_minus_s_and_matches_finite_difference(z):
    h = 1e-5
    fd = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(sigmoid_derivative(z), fd, rtol=1e-5, atol=1e-10)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)


# --- found by bench/mutate.py ----------------------------------------------------------------------------------


def test_both_branches_of_the_stable_form_between_the_hand_values():
    # z in (0, 1) and (-1, 0): the sign test picks the algebraic form; both must give sigma(z)
    for z in (0.25, 0.5, 0.999, -0.25, -0.999, 3.0, -3.0):
        assert sigmoid(z) == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-14)
        assert sigmoid(np.array([z]))[0] == pytest.approx(1 / (1 + np.exp(-z)), rel=1e-14)


def test_scalars_in_scalars_out_for_every_function():
    for f in (sigmoid, sigmoid_naive, sigmoid_derivative):
        assert isinstance(f(0.3), float), f.__name__
        assert f(np.array([0.3, 0.4])).shape == (2,), f.__name__
    np.testing.assert_allclose(sigmoid_naive(0.3), sigmoid(0.3), rtol=1e-15)
    assert sigmoid_derivative(0.0) == 0.25 and sigmoid_derivative(2.0) == pytest.approx(0.104993585403507, rel=1e-12)


def test_log_sigmoid_hand_values():
    assert log_sigmoid(0.0) == pytest.approx(-np.log(2), rel=1e-15)
    np.testing.assert_allclose(log_sigmoid(np.array([2.0, -2.0])), np.log([sigmoid(2.0), sigmoid(-2.0)]), rtol=1e-14)


def test_naive_overflows_exactly_where_exp_leaves_float64():
    edge = np.log(np.finfo(np.float64).max)  # e^edge is still finite; the next float up is not
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(edge)) and not np.isfinite(np.exp(np.nextafter(edge, np.inf)))
    assert naive_overflows([-edge, -np.nextafter(edge, np.inf)]).tolist() == [False, True]


def test_every_form_checks_its_input_like_sigmoid():
    for f in (sigmoid_naive, log_sigmoid):
        with pytest.raises(ValueError, match="NaN"):
            f(np.nan)
        np.testing.assert_allclose(f([0.0, 0.0]), [f(0.0)] * 2)  # lists are accepted

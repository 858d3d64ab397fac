import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from logreg import cost, cost_from_logits, loss, loss_from_logits, sigmoid, squared_error, squared_error_cost


def test_loss_hand_values():
    np.testing.assert_allclose(loss(0.9, 1), -np.log(0.9))
    np.testing.assert_allclose(loss(0.9, 0), -np.log(0.1))
    np.testing.assert_allclose(loss(np.array([0.5, 0.5]), np.array([1, 0])), [np.log(2)] * 2)
    assert loss(1.0, 0) > 30  # clipped, finite, large


def test_loss_refuses_out_of_range():
    with pytest.raises(ValueError, match=r"y_hat must lie in \[0, 1\]"):
        loss(1.5, 1)
    with pytest.raises(ValueError, match="NaN"):
        loss(np.nan, 1)


def test_cost_is_mean_loss():
    A = np.array([[0.8, 0.1, 0.6]])
    Y = np.array([[1, 0, 0]])
    expected = -(np.log(0.8) + np.log(0.9) + np.log(0.4)) / 3
    np.testing.assert_allclose(cost(A, Y), expected)
    np.testing.assert_allclose(cost_from_logits(np.log(A / (1 - A)), Y), expected)


def test_cost_from_logits_finite_when_saturated():
    Z = np.array([[-1e4, 1e4, 800.0]])
    Y = np.array([[1, 0, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = cost_from_logits(Z, Y)
    # exact: softplus(1e4) + softplus(1e4) + softplus(-800) = 2e4 + ~0, over 3
    np.testing.assert_allclose(J, 2e4 / 3)
    # the naive route through rounded probabilities would give inf or a clipped 34.5
    assert sigmoid(Z)[0, 0] == 0.0


@given(st.floats(-15, 15), st.sampled_from([0.0, 1.0]))
def test_logit_loss_matches_probability_loss(z, y):
    np.testing.assert_allclose(loss_from_logits(z, y), loss(sigmoid(z), y), rtol=1e-6, atol=1e-12)


def test_squared_error():
    assert squared_error(0.2, 1.0) == pytest.approx(0.32)
    assert squared_error_cost(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]])) == pytest.approx(0.25)


def test_loss_from_infinite_logits_is_zero_when_right_and_infinite_when_wrong_never_nan():
    z = np.array([np.inf, -np.inf, np.inf, -np.inf])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    out = loss_from_logits(z, y)
    np.testing.assert_array_equal(out, [0.0, 0.0, np.inf, np.inf])


# --- found by bench/mutate.py ----------------------------------------------------------------------------------


def test_the_clip_keeps_certain_wrong_predictions_finite_at_minus_log_eps():
    from logreg.losses import EPS

    assert EPS == 1e-15
    for y_hat, y in ((1.0, 0), (0.0, 1)):
        assert loss(y_hat, y) == pytest.approx(-np.log(EPS), rel=1e-4)  # about 34.5, not inf
    # certain and right costs (almost) nothing, and 0 and 1 are allowed predictions
    assert 0 <= loss(0.0, 0) < 1e-14 and 0 <= loss(1.0, 1) < 1e-14


def test_labels_outside_zero_one_are_refused():
    for y in (2.0, -1.0, 1.5):
        with pytest.raises(ValueError, match=r"y must lie in \[0, 1\]"):
            loss(0.5, y)
    with pytest.raises(ValueError, match=r"y_hat must lie in \[0, 1\]"):
        loss(-0.1, 1)


def test_scalars_in_scalars_out():
    for value in (loss(0.9, 1), loss_from_logits(0.5, 1.0), squared_error(0.2, 1.0)):
        assert isinstance(value, float)
    assert loss_from_logits(0.0, 1.0) == pytest.approx(np.log(2), rel=1e-15)
    assert loss_from_logits(np.array([0.0, 0.0]), np.array([1.0, 0.0])).shape == (2,)


def test_inputs_may_be_lists_and_labels_may_be_soft():
    np.testing.assert_allclose(loss_from_logits([0.0, 0.0], [1.0, 0.0]), [np.log(2)] * 2, rtol=1e-15)
    # a soft label weighs both terms: y softplus(-z) + (1 - y) softplus(z)
    for z, y in ((0.0, 0.5), (1.5, 0.3), (-2.0, 0.8)):
        assert loss_from_logits(z, y) == pytest.approx(loss(sigmoid(z), y), rel=1e-12)
    np.testing.assert_allclose(squared_error([0.0, 1.0], [1.0, 1.0]), [0.5, 0.0])
    with pytest.raises(ValueError, match="NaN"):
        squared_error(np.nan, 1.0)


def test_squared_error_checks_both_arguments():
    for args in ((np.nan, 1.0), (0.5, np.nan)):
        with pytest.raises(ValueError, match="NaN"):
            squared_error(*args)

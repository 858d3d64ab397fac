import numpy as np
import pytest

from logreg import optimize
from logreg.diagnostics import diagnose


def _data():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((2, 100)) * 5
    Y = (X[0:1] + rng.normal(0, 3, (1, 100)) > 0).astype(float)
    return X, Y


def test_real_runs_are_classified():
    X, Y = _data()
    _, _, good = optimize(np.zeros((2, 1)), 0.0, X, Y, num_iterations=200, learning_rate=0.05, record_every=10)
    _, _, slow = optimize(np.zeros((2, 1)), 0.0, X, Y, num_iterations=200, learning_rate=1e-6, record_every=10)
    assert diagnose(good).status == "converging"
    assert diagnose(slow).status == "slow"


def test_rising_costs_are_diverging_and_bumps_oscillating():
    d = diagnose([0.7, 0.9, 1.5, 3.0])
    assert d.status == "diverging" and "Lower the learning rate" in d.message
    assert diagnose([0.7, 0.5, 0.55, 0.4, 0.3]).status == "oscillating"
    assert diagnose([0.7]).status == "too-short"


def test_saturation_reported():
    d = diagnose([0.7, 0.5, 0.3], Z=np.array([[30.0, -40.0, 20.0, 0.1]]))
    assert d.saturated_fraction == pytest.approx(0.75) and "σ is flat" in d.message


def test_nan_costs_refused():
    with pytest.raises(ValueError, match="NaN"):
        diagnose([0.7, float("nan")])

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


# --- boundaries and wording (found by bench/mutate.py) -------------------------------------------------------


def test_a_diagnosis_without_logits_reports_no_saturation():
    from logreg.diagnostics import Diagnosis

    assert Diagnosis("diverging", "w overflowed").saturated_fraction == 0.0  # training.py builds one like this
    d = diagnose([0.7, 0.5, 0.3])
    assert d.status == "converging" and d.saturated_fraction == 0.0 and "σ is flat" not in d.message
    assert diagnose([0.7, 0.5, 0.3], Z=np.zeros((1, 0))).saturated_fraction == 0.0


def test_saturation_counts_beyond_the_threshold_and_is_noted_above_half():
    # |z| = 15 exactly is not beyond 15; half saturated is not "more than half"
    d = diagnose([0.7, 0.5, 0.3], Z=np.array([[15.0, -15.0, 20.0, -20.0]]))
    assert d.saturated_fraction == 0.5 and "σ is flat" not in d.message
    d = diagnose([0.7, 0.5, 0.3], Z=np.array([[0.0, 1.0, 2.0, 3.0]]))
    assert d.saturated_fraction == 0.0 and "σ is flat" not in d.message


def test_three_costs_are_enough_to_judge_and_two_are_not():
    assert diagnose([0.7, 0.5, 0.3]).status == "converging"
    assert diagnose([0.7, 0.5]).status == "too-short"


def test_a_plateau_or_a_rounding_level_rise_is_not_a_rise():
    assert diagnose([0.7, 0.5, 0.5, 0.5]).status == "converging"  # equal costs do not count as going up
    # a rise of at most 1e-12 times max(1, |cost|) is rounding: at a large cost ...
    assert diagnose([2e6, 1e6, 1e6 + 1e-7, 5e5]).status == "converging"
    # ... and below 1 the tolerance stays 1e-12 (not 1e-12 |cost|)
    assert diagnose([0.01, 0.001, 0.001 + 1e-13, 0.0001]).status == "converging"
    # exactly at the tolerance is still rounding
    assert diagnose([0.0, 1e-12, 1e-12]).status == "slow"


def test_the_rounding_tolerance_follows_each_cost_not_the_first():
    # after a huge first cost, a rise of 1e-9 at cost 1 is a real rise
    assert diagnose([1e6, 1.0, 1.0 + 1e-9, 0.5]).status == "oscillating"


def test_diverging_needs_a_higher_end_and_mostly_rises():
    assert diagnose([0.5, 0.4, 0.3, 0.6]).status == "oscillating"  # ends higher, but rose once in three
    assert diagnose([0.5, 0.6, 0.7, 0.8, 0.1]).status == "oscillating"  # mostly rises, but ends lower
    assert diagnose([0.5, 0.4, 0.45, 0.48, 0.5]).status == "oscillating"  # ends where it began
    assert diagnose([0.5, 0.3, 0.35, 0.4, 0.45]).status == "oscillating"  # ends below the first cost
    assert diagnose([0.5, 0.6, 0.55, 0.6, 0.58]).status == "oscillating"  # rose in exactly half the steps
    assert diagnose([0.5, 0.6, 0.55, 0.6, 0.65]).status == "diverging"  # in three steps out of four


def test_the_drop_is_relative_to_the_first_cost_and_five_percent_is_enough():
    d = diagnose([100.0, 99.0, 98.0])
    assert d.status == "slow" and "fell only 2.0%" in d.message
    d = diagnose([1.0, 0.5, 0.48])
    assert d.status == "converging" and d.message.startswith("The cost fell steadily by 52.0%.")
    d = diagnose([4.0, 3.0, 2.0, 1.0])
    assert d.message.startswith("The cost fell steadily by 75.0%.")
    assert diagnose([20.0, 19.5, 19.0]).status == "converging"  # a drop of exactly 5 % is not slow
    d = diagnose([0.0, 0.0, 0.0])  # nothing to lose: no division by zero
    assert d.status == "slow" and "nan" not in d.message

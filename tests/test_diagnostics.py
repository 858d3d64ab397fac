import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from logreg import datasets, optimize, surfaces
from logreg.diagnostics import (
    FLAT,
    NO_BETTER_THAN_GUESSING,
    RISE_TOLERANCE,
    STATUSES,
    Diagnosis,
    constant_guess_cost,
    diagnose,
    slope_share,
)


# --------------------------------------------------------------------------- issue 15: real runs, one diagnosis
def _run(X, Y, lr, iters=2000, w0=None, b0=0.0, every=5):
    w0 = np.zeros((X.shape[0], 1)) if w0 is None else w0
    params, _, costs = optimize(w0, b0, X, Y, num_iterations=iters, learning_rate=lr, record_every=every)
    return costs, params["w"].T @ X + params["b"]


def test_xor_levels_off_at_the_guessing_cost_and_is_called_unseparable_not_slow():
    X, Y = datasets.make_xor(200, seed=0)
    costs, Z = _run(X, Y, 0.5)
    d = diagnose(costs, Z=Z, Y=Y, record_every=5)
    assert d.status == "cannot-separate" and d.level == "warning" and d.headline == "No straight line fits"
    assert "no straight line" in d.message and f"{costs[-1]:.4g}" in d.message and "0.6931" in d.message
    acc = np.mean((Z > 0) == (Y == 1))
    assert f"{acc:.0%} of the training examples" in d.message and "larger class gets 50%" in d.message
    assert "Raise the learning rate" not in d.message
    # without the labels it cannot know what guessing costs: it says the curve levelled off, never "slow"
    blind = diagnose(costs, Z=Z)
    assert blind.status == "converging" and "found little to fit" in blind.message
    assert "found little to fit" not in diagnose(_run(*datasets.make_blobs(200, seed=0), 0.5)[0]).message


def test_blobs_converge_a_tiny_rate_is_slow_a_huge_one_oscillates():
    X, Y = datasets.make_blobs(200, seed=0)
    costs, Z = _run(X, Y, 0.5)
    good = diagnose(costs, Z=Z, Y=Y, record_every=5)
    assert good.status == "converging" and good.level == "success" and "levelled off" in good.message
    costs, Z = _run(X, Y, 1e-4)
    slow = diagnose(costs, Z=Z, Y=Y, record_every=5)
    assert slow.status == "slow" and "near-straight line" in slow.message and "Train longer" in slow.message
    costs, Z = _run(X, Y, 100.0)
    wild = diagnose(costs, Z=Z, Y=Y, record_every=5)
    assert wild.status == "oscillating" and wild.headline == "Overshooting"
    assert "still bouncing at the end" in wild.message and "rather than blow up" in wild.message


def test_loss_page_alpha_300_bounces_and_never_blows_up():
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    p = surfaces.gradient_descent_path(X, Y, -4.0, 4.0, 300.0, 100)
    d = diagnose(p["cost"], Y=Y, record_every=1)
    assert d.status == "oscillating" and "first at step 1 (5.924 → 37.89)" in d.message
    # the bound the message teaches: |dw| <= mean |x|, so one step moves w at most alpha * mean |x|
    assert np.abs(p["dw"]).max() <= np.abs(X).mean() + 1e-12
    assert np.abs(np.diff(p["w"][:, 0])).max() <= 300.0 * np.abs(X).mean() + 1e-9
    ten = diagnose(p["cost"][:11], Y=Y, record_every=1)  # 10 steps: one overshoot, falling back
    assert ten.status == "oscillating" and "coming back down, to 8.91" in ten.message
    five = diagnose(surfaces.gradient_descent_path(X, Y, -4.0, 4.0, 5.0, 30)["cost"], Y=Y, record_every=1)
    assert five.status == "converging"


def test_a_cycle_is_oscillating_and_only_a_climb_is_diverging():
    cycle = [0.69] + [0.95, 2.05] * 40
    assert diagnose(cycle).status == "oscillating"
    climb = np.linspace(0.7, 3.0, 30) + 0.05 * (np.arange(30) % 2)  # up with small wiggles, never down
    d = diagnose(climb)
    assert d.status == "diverging" and d.level == "error" and "going up in 29 of 29 recorded steps and never once coming down" in d.message
    dips = np.linspace(0.7, 3.0, 30) + 0.2 * (np.arange(30) % 3 == 1)  # up, with a dip after every third step
    d = diagnose(dips)
    assert d.status == "diverging" and "going up in 19 of 29 recorded steps and higher in each third" in d.message


def test_an_early_bump_then_a_levelled_descent_is_converging_with_a_note():
    c = [1.0, 1.2] + list(0.3 + 0.9 * 0.5 ** np.arange(1, 40))
    d = diagnose(c, record_every=10)
    assert d.status == "converging" and "overshot: J went up at step 10 and peaked at 1.2" in d.message
    late = c + [c[-1] + 0.1, c[-1]]  # a rise near the end is not "at first"
    assert diagnose(late).status == "oscillating"


def test_rounding_wobble_at_the_bottom_is_not_a_rise():
    c = list(0.3 + 0.5 ** np.arange(40)) + [0.3 + 1e-13, 0.3, 0.3 + 2e-13]
    assert diagnose(c).status == "converging"


def test_straight_descent_is_slow_and_bending_descent_is_converging():
    straight = 5.0 - 0.1 * np.arange(11)
    assert diagnose(straight).status == "slow"
    bending = 1.0 + np.exp(-0.15 * np.arange(11))
    d = diagnose(bending)
    assert d.status == "converging" and "still falling, more slowly" in d.message
    assert diagnose([0.7, 0.7, 0.7]).status == "slow"  # did not move at all
    # one big first step, then a straight line: under 10 % of the drop in the last quarter, yet not levelling off
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    c = surfaces.gradient_descent_path(X, Y, -4.0, 4.0, 30.0, 10)["cost"]
    assert (c[-3] - c[-1]) / (c[0] - c[-1]) < 0.1 and diagnose(c, Y=Y).status == "slow"
    # a big descent whose remainder is a crawl (under 1 % of it) has levelled off, even at a constant crawl
    assert diagnose([5.0] + list(1.0 + 0.001 * np.arange(20, 0, -1))).status == "converging"


def test_constant_guess_cost_by_hand():
    assert constant_guess_cost([[0, 1, 0, 1]]) == pytest.approx(np.log(2))
    p = 0.25
    assert constant_guess_cost([[1, 0, 0, 0]]) == pytest.approx(-(p * np.log(p) + (1 - p) * np.log(1 - p)))
    assert constant_guess_cost([[1, 1]]) == 0.0


def test_a_well_fitted_overlapping_set_is_not_called_unseparable():
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    costs, Z = _run(X, Y, 5.0, iters=200, every=1)
    assert diagnose(costs, Z=Z, Y=Y).status == "converging"  # 0.348, half the guessing cost


def test_messages_name_steps_only_when_the_spacing_is_known():
    c = [1.0, 2.0, 1.5, 2.5, 1.4]
    assert "recorded cost 1" in diagnose(c).message
    assert "step 20" in diagnose(c, record_every=20).message


def test_bad_labels_and_mismatched_sizes_are_refused():
    with pytest.raises(ValueError, match="only 0 and 1"):
        diagnose([0.7, 0.6, 0.5], Y=[[0, 2]])
    with pytest.raises(ValueError, match="same number of examples"):
        diagnose([0.7, 0.6, 0.5], Z=[[0.1, 0.2, 0.3]], Y=[[0, 1]])
    with pytest.raises(ValueError, match="record_every"):
        diagnose([0.7, 0.6, 0.5], record_every=0)


def test_every_status_has_a_level_and_headline():
    for s in STATUSES:
        d = Diagnosis(s, "")
        assert d.level in ("success", "info", "warning", "error") and d.headline and d.headline != s
# --------------------------------------------------------------------------- end of issue 15 block


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
    assert d.saturated_fraction == pytest.approx(0.75) and "3 of the 4 examples have |z| > 15" in d.message
    assert "vanish" not in d.message  # without the labels it says what each kind does, not that all stop learning
    # σ(−15) = 3.06e-7: the bound is rounded up, so "within" holds for every |z| > 15
    assert "where σ(z) is within 3.1e-7 of 0 or 1" in d.message
    assert "At the end, the one example has |z| > 15" in diagnose([0.7, 0.5, 0.3], Z=np.array([[30.0]])).message
    assert "At the end, all 2 examples have" in diagnose([0.7, 0.5, 0.3], Z=np.array([[30.0, -20.0]])).message


def test_saturated_examples_are_counted_as_finished_or_driving_the_step():
    # the cross-entropy's dz = a - y: a confident right answer gives dz ~ 0, a confident wrong one |dz| ~ 1
    Z = np.array([[20.0, -30.0, 25.0, -18.0, 0.3]])
    Y = np.array([[1, 0, 0, 1, 1]])
    d = diagnose([0.7, 0.5, 0.3], Z=Z, Y=Y)
    assert "At the end, 4 of the 5 examples have |z| > 15" in d.message
    assert "2 are confidently right: dz = a − y ≈ 0, so they no longer move w" in d.message
    assert "2 confidently wrong: |dz| = |a − y| ≈ 1, so they drive the step" in d.message
    one = diagnose([0.7, 0.5, 0.3], Z=np.array([[20.0, -30.0, 25.0]]), Y=np.array([[1, 0, 0]]))
    assert "2 are confidently right" in one.message and "1 confidently wrong" in one.message and "it drives" in one.message
    right = diagnose([0.7, 0.5, 0.3], Z=np.array([[20.0, -30.0]]), Y=np.array([[1, 0]]))
    assert "2 are confidently right" in right.message and "confidently wrong" not in right.message
    # the numbers the note stands on: at |z| = 20, dz of a wrong answer is within 1e-8 of 1, a right one within 1e-8 of 0
    a = 1 / (1 + np.exp(-Z))
    assert np.allclose(np.abs(a - Y)[0, [2, 3]], 1, atol=1e-7) and np.allclose((a - Y)[0, [0, 1]], 0, atol=1e-7)


def test_nan_costs_refused():
    with pytest.raises(ValueError, match="NaN"):
        diagnose([0.7, float("nan")])


# --- boundaries and wording (found by bench/mutate.py) -------------------------------------------------------


def test_a_diagnosis_without_logits_reports_no_saturation():
    from logreg.diagnostics import Diagnosis

    assert Diagnosis("diverging", "w overflowed").saturated_fraction == 0.0  # training.py builds one like this
    d = diagnose([0.7, 0.5, 0.3])
    assert d.saturated_fraction == 0.0 and "have |z| >" not in d.message
    assert diagnose([0.7, 0.5, 0.3], Z=np.zeros((1, 0))).saturated_fraction == 0.0


def test_saturation_counts_beyond_the_threshold_and_is_noted_above_half():
    # |z| = 15 exactly is not beyond 15; half saturated is not "more than half"
    d = diagnose([0.7, 0.5, 0.3], Z=np.array([[15.0, -15.0, 20.0, -20.0]]))
    assert d.saturated_fraction == 0.5 and "have |z| >" not in d.message
    d = diagnose([0.7, 0.5, 0.3], Z=np.array([[0.0, 1.0, 2.0, 3.0]]))
    assert d.saturated_fraction == 0.0 and "have |z| >" not in d.message


def test_three_costs_are_enough_to_judge_and_two_are_not():
    assert diagnose([0.7, 0.5, 0.3]).status == "slow"  # a straight descent: judged, and not yet levelled off
    assert diagnose([0.7, 0.5]).status == "too-short"


def test_a_plateau_or_a_rounding_level_rise_is_not_a_rise():
    assert diagnose([0.7, 0.5, 0.5, 0.5]).status == "converging"  # equal costs do not count as going up
    # rises of rounding size at a large and at a small cost change nothing: the descent is still straight
    assert diagnose([2e6, 1e6, 1e6 + 1e-7, 5e5]).status == "slow"
    assert diagnose([0.01, 0.001, 0.001 + 1e-13, 0.0001]).status == "slow"
    assert diagnose([0.0, 1e-12, 1e-12]).status == "slow"


def test_diverging_needs_a_higher_end_and_mostly_rises():
    assert diagnose([0.5, 0.4, 0.3, 0.6]).status == "oscillating"  # ends higher, but rose once in three
    assert diagnose([0.5, 0.6, 0.7, 0.8, 0.1]).status == "oscillating"  # mostly rises, but ends lower
    assert diagnose([0.5, 0.4, 0.45, 0.48, 0.5]).status == "oscillating"  # ends where it began
    assert diagnose([0.5, 0.3, 0.35, 0.4, 0.45]).status == "oscillating"  # ends below the first cost
    assert diagnose([0.5, 0.6, 0.55, 0.6, 0.58]).status == "oscillating"  # rose in exactly half the steps
    assert diagnose([0.5, 0.6, 0.55, 0.6, 0.65]).status == "diverging"  # in three steps out of four


def test_the_drop_is_reported_relative_to_the_first_cost():
    d = diagnose([100.0, 99.0, 98.0])
    assert d.status == "slow" and d.message.startswith("The cost fell 2.0% (100 → 98)")
    d = diagnose([0.0, 0.0, 0.0])  # nothing to lose: no division by zero
    assert d.status == "slow" and "nan" not in d.message and d.message.startswith("The cost did not fall")


# --- exact boundaries of the rules in the module docstring, and the words a learner reads ----------------------


def _rise_at(costs, k, by):
    """``costs`` with the cost after step k raised ``by`` above the one before it: one rise, at step k."""
    c = list(costs)
    c[k + 1] = c[k] + by
    return c


def test_constant_guess_cost_of_one_class_is_a_float_zero():
    for Y in ([[0, 0, 0]], [[1, 1]]):  # p = 0 and p = 1: no log(0), no nan
        h = constant_guess_cost(Y)
        assert h == 0.0 and type(h) is float


def test_how_often_and_in_how_many_steps_j_went_up():
    assert "J went up once in 2 recorded steps, at recorded cost 1 (0.7 → 0.9)" in diagnose([0.7, 0.9, 0.8]).message
    assert "J went up once in 2 steps, at step 1 (0.7 → 0.9)" in diagnose([0.7, 0.9, 0.8], record_every=1).message
    assert "J went up once in 2 recorded steps, at step 5" in diagnose([0.7, 0.9, 0.8], record_every=5).message
    assert "J went up twice in 4 recorded steps" in diagnose([0.7, 0.9, 0.8, 0.85, 0.6]).message
    assert "J went up 3 times in 6 recorded steps" in diagnose([0.7, 0.9, 0.8, 0.85, 0.6, 0.65, 0.5]).message


def test_still_bouncing_means_a_rise_in_the_last_third_of_the_steps():
    descent = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]  # 11 steps; the last third is steps 8, 9, 10 (11 - 11 // 3 = 8)
    assert "it is still bouncing at the end, between 1 and 4.5." in diagnose(_rise_at(descent, 8, 0.5)).message
    late = diagnose(_rise_at(descent, 7, 0.5))
    assert late.status == "oscillating" and "since then it has been coming back down, to 1 (it started at 12)." in late.message
    assert "still bouncing at the end, between 0.3 and 0.6." in diagnose([0.5, 0.3, 0.6]).message  # 2 steps: the last


def test_the_bouncing_range_is_that_of_the_last_third_of_the_costs():
    # 12 costs: the last 4 (3, 3.5 and 1 alone would say "between 1 and 3.5"); 5 costs: the last 2, at least
    assert "between 1 and 4." in diagnose([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 3.5, 1]).message
    assert "between 0.7 and 0.75." in diagnose([1.0, 0.9, 0.8, 0.7, 0.75]).message


def test_too_short_advice_depends_on_whether_every_step_was_recorded():
    assert diagnose([0.7, 0.6], record_every=1).message == "Too few steps to judge: take at least two."
    for every in (None, 5):
        assert diagnose([0.7, 0.6], record_every=every).message == (
            "Too few recorded costs to judge; record more often or train longer.")


def test_a_rise_of_exactly_the_rounding_tolerance_is_not_a_rise():
    # the largest |cost| is 1, so the tolerance is RISE_TOLERANCE itself, and RISE_TOLERANCE - 0.0 is exactly it
    d = diagnose([1.0, 0.5, 0.0, RISE_TOLERANCE])
    assert d.status == "converging" and "overshot" not in d.message
    assert diagnose([1.0, 0.5, 0.0, 2 * RISE_TOLERANCE]).status == "oscillating"


def test_diverging_at_the_edges_of_its_three_conditions():
    # the end, not the first step, is compared with the start
    assert diagnose([1.0, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4]).status == "diverging"
    # up in exactly half the steps (2 of 4) is not "most", though it ends higher and each third is higher
    assert diagnose([1.0, 2.0, 1.9, 3.0, 2.9]).status == "oscillating"
    # each third must beat the one before by more than 5 % of the costs' range: here a range of 20, so by more than 1
    assert diagnose([100, 102, 101, 103, 110, 120]).status == "oscillating"  # thirds 101, 102, 115
    assert diagnose([100, 102, 101, 104, 110, 120]).status == "diverging"  # thirds 101, 102.5, 115
    assert diagnose([100, 105, 120, 110, 114, 118]).status == "oscillating"  # thirds 102.5, 115, 116
    assert diagnose([100, 105, 120, 110, 114, 119]).status == "diverging"  # thirds 102.5, 115, 116.5
    assert diagnose([1.0, 1.1, 1.2, 1.0, 1.1, 1.2, 2, 3, 4]).status == "oscillating"  # two level thirds, then a climb


def test_levelling_off_at_the_edges_of_its_rule():
    # 8 steps, so the last quarter is the last 2 steps; each run falls by 100, from 101 to 1
    # exactly 1 % at a constant crawl is not "under 1 %": the run is still on a straight line
    assert diagnose([101, 50, 10, 4, 3, 2.5, 2, 1.5, 1]).status == "slow"
    assert diagnose([101, 50, 10, 5, 2.9, 2.425, 1.95, 1.475, 1.0]).message == (
        "The cost fell 99.0% (101 → 1) and has levelled off: the last quarter of the run made under 1 % of the descent.")
    # exactly 1 % after a quarter that fell three times as far: levelled off, and said as 1 %
    assert diagnose([101, 50, 10, 6, 5, 3, 2, 1.5, 1]).message == (
        "The cost fell 99.0% (101 → 1) and has levelled off: the last quarter of the run made 1% of the descent.")
    # 5 %, exactly half as much as the quarter before ("at most half")
    assert diagnose([101, 70, 50, 30, 16, 11, 6, 3, 1]).message == (
        "The cost fell 99.0% (101 → 1) and has levelled off: the last quarter of the run made 5% of the descent.")
    # exactly 10 % is not "under 10 %", though under half the quarter before
    assert diagnose([101, 70, 50, 40, 31, 20, 11, 5, 1]).message == (
        "The cost fell 99.0% (101 → 1) and is still falling, more slowly (the last quarter of the run made 10% of the "
        "descent).")
    # the last quarter fell exactly 0.8 times as far as the quarter before: "at least 0.8", a near-straight line
    d = diagnose([11, 8, 6, 4, 3.25, 2.6, 2, 1.5, 1])
    assert d.status == "slow" and d.message.startswith("The cost fell 90.9% (11 → 1) and is still falling in a near-straight")
    # three costs: the last step is the last quarter, the first the quarter before
    assert diagnose([1.0, 0.5, 0.45]).message == (
        "The cost fell 55.0% (1 → 0.45) and has levelled off: the last quarter of the run made 9% of the descent.")


def test_an_overshoot_is_early_only_in_the_first_third_of_the_steps():
    descent = [0.3 + 0.9 * 0.5**i for i in range(11)]  # 10 steps, levelling off; the first third is steps 0, 1, 2
    early = diagnose(_rise_at(descent, 2, 0.05))
    assert early.status == "converging" and "The first steps overshot: J went up at recorded cost 3" in early.message
    assert diagnose(_rise_at(descent, 3, 0.05)).status == "oscillating"


def test_cannot_separate_at_exactly_its_share_of_the_guessing_cost():
    Y = np.array([[0, 1]])
    limit = NO_BETTER_THAN_GUESSING * constant_guess_cost(Y)  # 0.9 log 2
    c = [limit + 0.3 * 0.5**i for i in range(15)] + [limit]
    d = diagnose(c, Y=Y)
    assert d.status == "cannot-separate" and d.message.startswith("The cost levelled off at 0.6238, close to 0.6931")
    assert "It classifies" not in d.message  # without the logits there is no accuracy to report
    # one class only: guessing costs nothing, so a run that levels off is simply converging
    assert diagnose(c, Y=np.ones((1, 4))).status == "converging"


def test_the_accuracy_it_reports_counts_z_0_as_label_0_like_predict():
    Y = np.array([[0, 0, 0, 1]])
    h = constant_guess_cost(Y)
    c = [h + 0.3 * 0.5**i for i in range(15)] + [h]
    d = diagnose(c, Y=Y, Z=np.zeros((1, 4)))  # σ(0) = 0.5 is not above 0.5: all four answered 0
    assert "It classifies 75% of the training examples right; always answering the larger class gets 75%." in d.message


def test_a_run_that_starts_near_the_bottom_is_said_to_not_found_little_to_fit():
    # the Loss page at w0 = 1, b0 = 0: 0.3811 -> 0.3482 (the bottom), 17 of 20 right; "found little to fit" was false
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    p = surfaces.gradient_descent_path(X, Y, 1.0, 0.0, 1.0, 30)
    w, b = p["w"][-1], p["b"][-1]
    Z = w * X + b
    d = diagnose(p["cost"], Z=Z, Y=Y, X=X, record_every=1)
    assert d.status == "converging" and "found little to fit" not in d.message
    assert "the first (w, b) was already near the bottom (the slope at the end is" in d.message
    assert "already near the bottom the run found." in diagnose(p["cost"], Z=Z, Y=Y, record_every=1).message


def test_shares_and_costs_never_round_to_what_they_are_not():
    slow = diagnose([0.35432, 0.35431995, 0.3543199])  # a fall of 3e-7: not "0.0%", not "0.3543 → 0.3543"
    assert slow.message.startswith("The cost fell under 0.1% (0.35432 → 0.3543199)")
    deep = diagnose([0.6931 * 0.1**i for i in range(6)])  # 0.6931 → 6.9e-6: 99.999 %, not "100.0%"
    assert "The cost fell over 99.9% (0.6931 → 6.931e-06)" in deep.message
    assert diagnose([10 + 0.5**i for i in range(13)] + [10.0]).message.startswith("The cost fell 9.1% (11 → 10)")


def test_cannot_separate_says_when_the_line_beats_guessing_on_accuracy():
    # XOR: 67 % right against 50 % for the larger class, yet the cost stays near guessing's
    Y = np.array([[0, 0, 1, 1, 0, 1]])
    h = constant_guess_cost(Y)
    c = [h + 0.3 * 0.5**i for i in range(15)] + [h]
    Z = np.array([[-0.1, -0.1, 0.1, 0.1, 0.1, -0.1]])  # 4 of 6 right
    d = diagnose(c, Y=Y, Z=Z)
    assert "It classifies 67% of the training examples right; always answering the larger class gets 50%: the line " \
           "gets some examples right, yet the cost" in d.message
    assert "brings the cost much below guessing's" in d.message and "splits these classes" not in d.message


def test_a_fall_of_exactly_ten_percent_is_not_little():
    d = diagnose([9 + 0.5**i for i in range(13)] + [9.0])  # 10 → 9, levelled off
    assert d.message.startswith("The cost fell 10.0% (10 → 9) and has levelled off") and "little to fit" not in d.message
    assert "little to fit" in diagnose([9.1 + 0.9 * 0.5**i for i in range(13)] + [9.1]).message  # 9 %


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), max_size=30))
@example([0.0, -0.5, -0.6])  # starts at 0 and falls: the relative fall must not divide by zero
def test_any_finite_costs_get_a_diagnosis(costs):
    d = diagnose(costs)
    assert d.status in STATUSES and d.message and "nan" not in d.message and "inf" not in d.message


# --- what the message says about the end of a run is what the costs did -----------------------------------------


def test_a_climb_that_flattens_is_diverging_not_bouncing():
    d = diagnose([1, 2, 3, 3.01, 3.02, 3.03], record_every=1)  # it never came down, so it never bounced
    assert d.status == "diverging" and "going up in 5 of 5 recorded steps and never once coming down" in d.message
    assert "bouncing" not in d.message


def test_since_then_counts_from_the_last_rise_not_the_first():
    d = diagnose([5, 4, 6, 3, 7, 2, 8, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0], record_every=1)
    assert ("J went up 3 times in 12 steps, first at step 2 (4 → 6), last at step 6 (2 → 8); "
            "since then it has been coming back down, to 1 (it started at 5).") in d.message
    # a rise one step before the end is not "coming back down": it rose and fell at the end
    assert "still bouncing at the end, between 2.9 and 3." in diagnose([1, 2, 1.9, 3, 2.9]).message


def test_a_run_still_climbing_at_the_end_is_said_to_be_rising_and_one_that_stopped_to_have_stayed():
    assert "it is still rising at the end, to 4 (it started at 5)." in diagnose([5, 1, 2, 3, 4]).message
    d = diagnose([5, 4, 6, 5, 7, 7, 7, 7, 7, 7], record_every=1)
    assert d.status == "oscillating" and "last at step 4 (5 → 7); since then it has stayed at 7 (it started at 5)." in d.message


def test_an_early_bump_peaks_at_the_highest_cost_after_it_not_at_the_start():
    d = diagnose([5, 1, 3, 3, 3, 3, 3, 3, 3], record_every=1)
    assert d.status == "converging" and "J went up at step 2 and peaked at 3 before it settled." in d.message


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(0, 10), min_size=3, max_size=30))
def test_what_a_message_says_about_the_run_is_what_its_costs_did(costs):
    import re

    d = diagnose(costs)
    c = np.asarray(costs, dtype=float)
    tol = RISE_TOLERANCE * max(1.0, float(np.abs(c).max()))
    diffs = np.diff(c)
    end = np.diff(c[-max(3, c.size // 3):])
    if "still bouncing" in d.message:
        assert (end > tol).any() and (end < -tol).any()
    if "still rising at the end" in d.message:
        assert (end > tol).any() and not (end < -tol).any()
    if "coming back down" in d.message or "stayed at" in d.message:
        last = int(np.flatnonzero(diffs > tol)[-1]) + 1
        assert not (diffs[last:] > tol).any()
        assert (c[-1] < c[last] - tol) == ("coming back down" in d.message)
    if "never once coming down" in d.message:
        assert not (diffs < -tol).any()
    peak = re.search(r"peaked at (\S+) before it settled", d.message)
    if peak:
        first = int(np.flatnonzero(diffs > tol)[0]) + 1
        assert peak.group(1) == f"{c[first:].max():.4g}"


def test_the_end_of_a_run_counts_only_changes_beyond_rounding():
    # |costs| <= 1, so the rounding tolerance is exactly 1e-9, and 1e-9 - 0.0 is exactly it: neither a rise nor a fall
    one = diagnose([12, 11, 10, 9, 8, 7, 6, 5, 5.5, 3, 2, 1])
    assert "J went up once in 11 recorded steps, at recorded cost 8 (5 → 5.5); since then" in one.message  # no "last at"
    d = diagnose([1.0, 0.5, 0.25, 0.75, 0.0, 1e-9])  # the last step is rounding: not rising again
    assert d.status == "oscillating" and "since then it has been coming back down, to 1e-09" in d.message
    d = diagnose([1.0, 0.5, -1.0, 1e-9, 0.0])  # nor is a fall of exactly the tolerance a fall
    assert d.status == "oscillating" and "it is still rising at the end, to 0 (it started at 1)" in d.message
    d = diagnose([1.0, 0.5, -1.0, 1e-9, 1e-9, 0.0, 0.0])  # came down by exactly the tolerance: it stayed
    assert d.status == "oscillating" and "since then it has stayed at 0 (it started at 1)" in d.message
    d = diagnose([-1.0, -0.004, -0.003, -0.002, -0.001, 1e-9, 0.0])  # a climb whose one "fall" is rounding
    assert d.status == "diverging" and "never once coming down" in d.message


# --------------------------------------------------------------------------- the slope at the end of the run
def _toy_run(w0, b0, lr, steps):
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    p = surfaces.gradient_descent_path(X, Y, w0, b0, lr, steps)
    return X, Y, p["cost"], p["w"][-1:] @ X + p["b"][-1]


def test_slope_share_by_hand_and_at_the_bottom():
    X, Y = np.array([[1.0, -3.0]]), np.array([[1.0, 0.0]])
    Z = np.zeros((1, 2))  # a = 0.5: dZ = (-0.5, 0.5), dw = (1 * -0.5 + -3 * 0.5) / 2 = -1, db = 0
    assert slope_share(X, Y, Z) == pytest.approx(1.0 / np.hypot(2.0, 1.0))  # ‖(dw, db)‖ / ‖(mean|x|, 1)‖
    X, Y, costs, Z = _toy_run(-4.0, 4.0, 5.0, 200)  # a long good run sits at the bottom of the bowl
    assert slope_share(X, Y, Z) < 1e-6
    with pytest.raises(ValueError, match="same number of examples"):
        slope_share(X, Y, Z[:, :3])
    with pytest.raises(ValueError, match="X needs Z and Y"):
        diagnose(costs, X=X)


@given(st.integers(1, 4), st.integers(1, 12), st.integers(0, 2**32 - 1), st.floats(0.1, 100))
@settings(max_examples=60, deadline=None)
def test_slope_share_lies_between_0_and_1(n_x, m, seed, scale):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m)) * scale
    Y = rng.integers(0, 2, (1, m)).astype(float)
    Z = rng.standard_normal((1, m)) * scale
    assert 0.0 <= slope_share(X, Y, Z) <= 1.0 + 1e-12


def test_a_bend_in_the_curve_is_not_the_bottom_and_not_unseparable():
    # from (-3, -1) with α = 0.1 the cost falls steeply, then slowly: by the curve alone it "levelled off" near the
    # guessing cost 0.69, yet a line fits these points (the bottom is 0.348) and the slope is still large
    X, Y, costs, Z = _toy_run(-3.0, -1.0, 0.1, 30)
    assert diagnose(costs, Z=Z, Y=Y).status == "cannot-separate"  # the curve alone is fooled
    d = diagnose(costs, Z=Z, Y=Y, X=X, record_every=1)
    share = slope_share(X, Y, Z)
    assert share > FLAT and d.status == "converging" and "No straight line" not in d.message
    assert f"still {share:.0%} of the steepest it can be" in d.message and "Train longer" in d.message
    assert "levelled off" not in d.message
    # the same start, run long enough, does reach the bottom: the diagnosis said the truth
    X, Y, costs, Z = _toy_run(-3.0, -1.0, 0.1, 3000)
    assert costs[-1] < 0.35 and diagnose(costs, Z=Z, Y=Y, X=X).status == "converging"
    # a good run at the bottom has levelled off, slope or not
    X, Y, costs, Z = _toy_run(-4.0, 4.0, 5.0, 30)
    assert "has levelled off" in diagnose(costs, Z=Z, Y=Y, X=X).message


def test_xor_is_still_unseparable_when_the_slope_is_measured():
    X, Y = datasets.make_xor(200, noise=0.2, seed=0)
    for lr in (0.005, 0.5):
        costs, Z = _run(X, Y, lr)
        assert slope_share(X, Y, Z) < FLAT
        assert diagnose(costs, Z=Z, Y=Y, X=X, record_every=5).status == "cannot-separate"


def test_a_bounce_that_returns_to_its_lows_is_oscillating_not_diverging():
    X, Y, costs, Z = _toy_run(1.0, -0.5, 30.0, 15)
    thirds = np.array_split(costs, 3)
    assert costs[-1] > costs[0] and thirds[2].min() < thirds[0].max()  # ends higher, but back at its old lows
    d = diagnose(costs, Y=Y, record_every=1)
    assert d.status == "oscillating" and "still bouncing at the end" in d.message

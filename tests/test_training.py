"""logreg.training: training sets from each source, runs, and reading a result."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg import datasets, training
from logreg.modelio import load_model


def two_class_pictures(n0, n1, size=12):
    rng = np.random.default_rng(0)
    dark = [rng.integers(0, 60, (size + k, size, 3), dtype=np.uint8) for k in range(n0)]
    bright = [rng.integers(190, 256, (size, size + k), dtype=np.uint8) for k in range(n1)]  # grey, other sizes
    return dark, bright


def test_from_images_resizes_splits_stratified_and_flattens_the_course_way():
    dark, bright = two_class_pictures(8, 8)
    ts = training.from_images([dark, bright], ("dark", "bright"), size=6, channels=3, seed=1)
    assert ts.images_train.shape[1:] == (6, 6, 3) and ts.n_x == 108
    assert ts.counts() == {"dark": (6, 2), "bright": (6, 2)}
    # X is images.reshape(m, -1).T / 255: column j is image j unrolled
    np.testing.assert_allclose(ts.X_train[:, 2], ts.images_train[2].reshape(-1) / 255.0)
    assert ts.X_train.min() >= 0 and ts.X_train.max() <= 1
    assert (ts.image_size, ts.channels, ts.preprocessing) == (6, 3, "resize")
    # the same seed gives the same split, another seed another one
    again = training.from_images([dark, bright], ("dark", "bright"), size=6, channels=3, seed=1)
    np.testing.assert_array_equal(again.X_test, ts.X_test)
    other = training.from_images([dark, bright], ("dark", "bright"), size=6, channels=3, seed=2)
    assert not np.array_equal(other.X_test, ts.X_test)


@pytest.mark.parametrize("per_class,names,match", [
    (([np.zeros((4, 4), np.uint8)], [np.zeros((4, 4), np.uint8)] * 3), ("a", "b"), "at least 2"),
    (([np.zeros((4, 4), np.uint8)] * 2,) * 2, ("a", "a"), "different names"),
    (([np.zeros((4, 4), np.uint8)] * 2,) * 2, ("a", " "), "non-empty"),
    (([np.zeros((4, 4), np.uint8)] * (training.MAX_IMAGES_PER_CLASS + 1), [np.zeros((4, 4), np.uint8)] * 2),
     ("a", "b"), "at most"),
])
def test_from_images_refuses_what_cannot_be_trained(per_class, names, match):
    with pytest.raises(ValueError, match=match):
        training.from_images(per_class, names, size=4)


def test_from_cat_h5_needs_both_classes_in_each_file():
    x = np.zeros((4, 8, 8, 3), np.uint8)
    ts = training.from_cat_h5(x, [0, 1, 0, 1], x, [1, 0, 1, 0], [b"non-cat", b"cat"])
    assert ts.class_names == ("non-cat", "cat") and ts.n_x == 192 and ts.name.startswith("cat vs non-cat")
    with pytest.raises(ValueError, match="test file has no example of the class 'non-cat'"):
        training.from_cat_h5(x, [0, 1, 0, 1], x, [1, 1, 1, 1], [b"non-cat", b"cat"])


def test_freeze_makes_a_shared_set_read_only():
    X, Y = datasets.make_blobs(40, seed=0)
    ts = training.from_points(X, Y).freeze()
    with pytest.raises(ValueError):
        ts.X_train[0, 0] = 1.0


def test_train_matches_the_course_model_and_records_from_zero():
    from logreg import model

    X, Y = datasets.make_blobs(60, seed=3)
    ts = training.from_points(X, Y, seed=3)
    seen = []
    r = training.train(ts, learning_rate=0.1, num_iterations=250, record_every=10, callback=lambda i, c: seen.append(i))
    d = model(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, 250, 0.1, record_every=10)
    np.testing.assert_allclose(r.w, d["w"])
    np.testing.assert_allclose(r.costs[:-1], d["costs"])  # the course's record, then the returned model's own cost
    assert seen == [*range(0, 250, 10), 250] and list(r.iterations_recorded) == seen
    assert r.train_accuracy == d["train_accuracy"] and r.diagnosis.status == "converging"


@pytest.mark.parametrize(("iters", "every"), [(1, None), (2, None), (12, 5), (2000, None), (1001, None), (250, 10)])
def test_the_last_recorded_cost_is_the_cost_of_the_returned_model(iters, every):
    # review: costs were recorded before each update only, so the chart, its title, the diagnosis, the CSV and the
    # comparison's "final cost" all ended one update (or one record_every) short of the model the run returned
    from logreg import propagate

    X, Y = datasets.make_blobs(60, seed=3)
    ts = training.from_points(X, Y, seed=3)
    r = training.train(ts, learning_rate=0.5, num_iterations=iters, record_every=every)
    _, J = propagate(r.w, r.b, ts.X_train, ts.Y_train)
    assert r.costs[-1] == pytest.approx(J, rel=1e-12, abs=1e-300)
    at = r.iterations_recorded
    assert at[0] == 0 and at[-1] == iters and len(at) == len(r.costs) and np.all(np.diff(at) > 0)
    assert np.all(np.diff(at)[:-1] == r.record_every) and np.diff(at)[-1] <= r.record_every
    csv = training.costs_csv(r).splitlines()
    assert csv[-1].startswith(f"{iters},") and float(csv[-1].split(",")[1]) == pytest.approx(J, rel=1e-9)


def test_two_steps_are_enough_to_judge_and_one_step_is_said_to_be_too_few():
    ts = training.from_points(*datasets.make_blobs(60, seed=3), seed=3)
    assert training.train(ts, learning_rate=0.5, num_iterations=1).diagnosis.status == "too-short"
    assert training.train(ts, learning_rate=0.5, num_iterations=2).diagnosis.status != "too-short"


def test_default_record_every_keeps_curves_short():
    assert training.default_record_every(100) == 1
    assert training.default_record_every(2000) == 5
    r = training.train(training.from_points(*datasets.make_blobs(20, seed=0)), learning_rate=0.1, num_iterations=4000)
    assert len(r.costs) <= training.MAX_RECORDS + 1  # the start, then at most MAX_RECORDS more
    for iters in (1000, 1100, 1500, 9900, 4001, 10_000):
        every = training.default_record_every(iters)
        assert -(-iters // every) <= training.MAX_RECORDS
    assert training.default_record_every(1000) == 4  # 3 would leave a last gap of 1: 4 divides 1000


def test_a_diagnosis_names_steps_only_on_an_even_grid():
    # 11 iterations recorded every 5: at 0, 5, 10 and 11, and J rises first in the last gap, 10 -> 11. Counting
    # record_every per recorded cost would call that "step 15", past the end of the run
    import re

    X = np.array([[1.0, -1.0, 2.0, -2.0, 0.5, -0.3]])
    Y = np.array([[1, 0, 1, 0, 0, 1]])
    ts = training.TrainingSet(X, Y, X, Y, ("a", "b"), "tiny")
    r = training.train(ts, learning_rate=30.0, num_iterations=11, record_every=5)
    assert list(r.iterations_recorded) == [0, 5, 10, 11]
    assert r.costs[-1] > r.costs[-2] and "J went up once" in r.diagnosis.message
    named = [int(s) for s in re.findall(r"step (\d+)", r.diagnosis.message)]
    assert set(named) <= set(r.iterations_recorded.tolist()), r.diagnosis.message
    even = training.train(ts, learning_rate=30.0, num_iterations=15, record_every=5)  # 0, 5, 10, 15: steps named
    assert "J went up once in 3 recorded steps, at step 15 (" in even.diagnosis.message


def test_overflowing_weights_come_back_as_a_diverged_run_with_advice():
    # a tiny non-separable set and a huge rate: every step overshoots further until w leaves float range
    X = np.array([[1e300, -1e300, 1e300, 2e300]])
    Y = np.array([[1, 0, 1, 0]])
    ts = training.TrainingSet(X, Y, X, Y, ("a", "b"), "huge")
    r = training.train(ts, learning_rate=1e4, num_iterations=50)
    assert r.diverged and r.diagnosis.status == "diverging" and "Lower the learning rate" in r.diagnosis.message
    assert all(np.isfinite(r.costs))
    with pytest.raises(ValueError, match="diverged"):
        training.model_file_bytes(training.from_digits(datasets.digits_task(1, max_per_class=4)), r)


def test_compare_learning_rates_runs_each_rate_largest_first():
    ts = training.from_points(*datasets.make_blobs(80, seed=1))
    calls = []
    runs = training.compare_learning_rates(ts, [0.001, 0.1, 0.01], num_iterations=200,
                                           callback=lambda k, n: calls.append((k, n)))
    assert [r.learning_rate for r in runs] == [0.1, 0.01, 0.001]
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert runs[0].costs[-1] < runs[1].costs[-1] < runs[2].costs[-1]
    for bad, match in (([], "at least one"), ([0.1] * 2 + list(np.arange(1, 8) / 10), "at most"), ([-1], "learning")):
        with pytest.raises(ValueError, match=match):
            training.parse_rates(bad)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1)), min_size=1, max_size=60))
def test_confusion_matrix_counts_every_pair_as_scikit_learn_does(pairs):
    from sklearn.metrics import confusion_matrix

    y, p = np.array(pairs).T
    C = training.confusion_matrix(p.reshape(1, -1), y.reshape(1, -1))
    np.testing.assert_array_equal(C, confusion_matrix(y, p, labels=[0, 1]))
    assert C.sum() == len(pairs)


def test_evaluate_and_mistakes_most_confident_first():
    w, b = np.array([[2.0]]), 0.0
    X = np.array([[-3.0, -0.1, 0.2, 3.0, -2.0]])
    Y = np.array([[0, 1, 0, 1, 1]])
    ev = training.evaluate(w, b, X, Y)
    np.testing.assert_array_equal(ev.Y_prediction, [[0, 0, 1, 1, 0]])
    assert ev.accuracy == 40.0
    assert list(ev.mistakes(Y)) == [4, 2, 1]  # |ŷ - y| largest first
    assert list(ev.mistakes(Y, limit=1)) == [4]
    assert training.evaluate(w, b, X, Y, threshold=0.01).Y_prediction.tolist() == [[0, 1, 1, 1, 1]]


def test_mistakes_rank_by_how_wrong_not_by_the_distance_from_one_half():
    # review C.6: at threshold 0.9 a close call (label 1, ŷ 0.89) came before a confident mistake (label 1, ŷ 0.2)
    y_hat = np.array([[0.89, 0.2, 0.95, 0.03, 0.6]])
    Y = np.array([[1, 1, 0, 1, 1]])
    ev = training.decide(y_hat, Y, threshold=0.9)
    np.testing.assert_array_equal(ev.Y_prediction, [[0, 0, 1, 0, 0]])
    assert list(ev.mistakes(Y)) == [3, 2, 1, 4, 0]  # |ŷ - y| = 0.97, 0.95, 0.8, 0.4, 0.11
    how_wrong = np.abs(y_hat[0] - Y[0])[ev.mistakes(Y)]
    assert np.all(np.diff(how_wrong) <= 0)


def test_probability_grid_and_decision_line_agree():
    X, _ = datasets.make_moons(50, seed=0)
    w, b = np.array([[1.5], [-2.0]]), 0.3
    x1, x2, P = training.probability_grid(w, b, X, n=30)
    assert P.shape == (30, 30)
    np.testing.assert_allclose(P[4, 7], 1 / (1 + np.exp(-(1.5 * x1[7] - 2.0 * x2[4] + 0.3))))
    lx, ly = training.decision_line(w, b, (x1[0], x1[-1]), (x2[0], x2[-1]))
    np.testing.assert_allclose(1.5 * lx - 2.0 * ly + 0.3, 0, atol=1e-12)
    lx, ly = training.decision_line(np.array([[3.0], [0.0]]), 1.5, (-1, 1), (-2, 2))  # vertical line x1 = -0.5
    np.testing.assert_allclose(lx, [-0.5, -0.5])
    assert training.decision_line(np.zeros((2, 1)), 1.0, (0, 1), (0, 1)) is None


def test_costs_csv_and_model_file_round_trip():
    ts = training.from_digits(datasets.digits_task(7, [1], max_per_class=30))
    r = training.train(ts, learning_rate=0.1, num_iterations=12, record_every=5)
    lines = training.costs_csv(r).splitlines()
    assert lines[0] == "iteration,cost" and [ln.split(",")[0] for ln in lines[1:]] == ["0", "5", "10", "12"]
    np.testing.assert_allclose([float(ln.split(",")[1]) for ln in lines[1:]], r.costs, rtol=1e-9)
    mf = load_model(training.model_file_bytes(ts, r))
    assert (mf.preprocessing, mf.image_size, mf.channels, mf.class_names) == ("mnist", 28, 1, ("1", "7"))
    np.testing.assert_array_equal(training.model_file(ts, r).w, r.w)
    points = training.from_points(*datasets.make_blobs(20, seed=0))
    with pytest.raises(ValueError, match="picture models"):
        training.model_file_bytes(points, training.train(points, learning_rate=0.1, num_iterations=5))


def test_from_image_array_keeps_at_most_max_per_class_and_says_so():
    X = np.zeros((10, 4, 4, 3), np.uint8)
    Y = np.array([[0, 1, 0, 0, 1, 0, 0, 1, 0, 1]])
    ts = training.from_image_array(X, Y, ("a", "b"), max_per_class=4)
    assert sum(tr + te for tr, te in ts.counts().values()) == 8
    assert ts.notes == ("only the first 4 pictures of a class are used (a: 6 given)",)
    assert training.from_image_array(X, Y, ("a", "b")).notes == ()


@pytest.mark.parametrize("threshold", [0.01, 0.3, 0.5, 0.9])
def test_evaluate_decides_exactly_as_predict(threshold):
    from logreg import predict, predict_proba

    rng = np.random.default_rng(7)
    X, Y = rng.standard_normal((5, 40)), (rng.random((1, 40)) > 0.5).astype(float)
    w, b = rng.standard_normal((5, 1)), 0.3
    ev = training.evaluate(w, b, X, Y, threshold)
    np.testing.assert_array_equal(ev.Y_prediction, predict(w, b, X, threshold))
    np.testing.assert_allclose(ev.y_hat, predict_proba(w, b, X))
    assert ev.confusion.sum() == 40 and ev.confusion[1].sum() == Y.sum()


def test_a_run_records_the_form_that_ran_and_reads_its_labels():
    from logreg.neuron import choose_method

    small = training.from_digits(datasets.digits_task(3, max_per_class=40))
    r = training.train(small, learning_rate=0.1, num_iterations=300)
    assert r.method == choose_method(small.n_x, small.X_train.shape[1], 300) == "gram"
    X, Y = datasets.make_xor(200, noise=0.2, seed=0)
    xor = training.train(training.from_points(X, Y), learning_rate=0.5, num_iterations=500)
    assert xor.method == "primal"
    assert xor.diagnosis.status == "cannot-separate"  # the labels reach the diagnosis
    assert "step " in xor.diagnosis.message or "levelled off" in xor.diagnosis.message


def test_a_new_threshold_on_the_kept_y_hat_equals_a_full_evaluation():
    from logreg import predict_proba

    ts = training.from_digits(datasets.digits_task(3, max_per_class=40))
    r = training.train(ts, learning_rate=0.1, num_iterations=50)
    np.testing.assert_allclose(r.y_hat_train, predict_proba(r.w, r.b, ts.X_train))
    np.testing.assert_allclose(r.y_hat_test, predict_proba(r.w, r.b, ts.X_test))
    for threshold in (0.05, 0.5, 0.97):
        fast = training.decide(r.y_hat_test, ts.Y_test, threshold)
        full = training.evaluate(r.w, r.b, ts.X_test, ts.Y_test, threshold)
        assert fast.accuracy == full.accuracy
        np.testing.assert_array_equal(fast.confusion, full.confusion)
    with pytest.raises(ValueError, match="Y must have shape"):
        training.decide(r.y_hat_test, ts.Y_train, 0.5)


@pytest.mark.parametrize("iters", [300, 3])  # the Gram form, then the primal form (tests above name which runs when)
def test_the_same_run_twice_gives_the_same_numbers_to_the_last_bit(iters):
    """What the Train page says when it shows a run shared by another session (ui.train_run.SharedRuns)."""
    ts = training.from_digits(datasets.digits_task(3, max_per_class=40))
    for init, seed in (("zeros", 0), ("random", 5)):
        a, b = (training.train(ts, learning_rate=0.05, num_iterations=iters, init=init, seed=seed) for _ in range(2))
        assert a.method == b.method and a.costs == b.costs and a.b == b.b
        np.testing.assert_array_equal(a.w, b.w)
        np.testing.assert_array_equal(a.y_hat_test, b.y_hat_test)
    r = training.train(ts, learning_rate=0.05, num_iterations=iters).freeze()
    assert not (r.w.flags.writeable or r.y_hat_train.flags.writeable or r.y_hat_test.flags.writeable)
    assert isinstance(r.costs, tuple)

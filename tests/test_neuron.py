import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import logreg
from logreg import initialize_with_zeros, model, optimize, predict, predict_proba, propagate
from logreg.neuron import choose_method

# The course's worked example; the expected numbers are the course's published outputs.
W = np.array([[1.0], [2.0]])
B = 2.0
X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
Y = np.array([[1, 0, 1]])


def test_initialize_with_zeros():
    w, b = initialize_with_zeros(2)
    assert w.shape == (2, 1) and not w.any() and b == 0.0 and isinstance(b, float)
    with pytest.raises(ValueError):
        initialize_with_zeros(0)


def test_propagate_course_values():
    grads, cost = propagate(W, B, X, Y)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], rtol=1e-7)
    np.testing.assert_allclose(grads["db"], 0.00145557813678, rtol=1e-9)
    np.testing.assert_allclose(cost, 5.801545319394553, rtol=1e-12)
    assert grads["dw"].shape == (2, 1) and isinstance(grads["db"], float) and isinstance(cost, float)


@pytest.mark.parametrize("method", ["primal", "gram"])
def test_optimize_course_values(method):
    params, grads, costs = optimize(W, B, X, Y, num_iterations=100, learning_rate=0.009, method=method)
    np.testing.assert_allclose(params["w"], [[0.19033591], [0.12259159]], rtol=1e-7)
    np.testing.assert_allclose(params["b"], 1.92535983008, rtol=1e-10)
    np.testing.assert_allclose(grads["dw"], [[0.67752042], [1.41625495]], rtol=1e-7)
    np.testing.assert_allclose(grads["db"], 0.219194504541, rtol=1e-9)
    np.testing.assert_allclose(costs, [5.80154532], rtol=1e-8)


def test_optimize_does_not_modify_inputs_and_records_every_n():
    w = W.copy()
    seen = []
    _, _, costs = optimize(w, B, X, Y, num_iterations=25, learning_rate=0.01, record_every=10,
                           callback=lambda i, c: seen.append((i, c)))
    np.testing.assert_array_equal(w, W)
    assert [i for i, _ in seen] == [0, 10, 20]
    assert costs == [c for _, c in seen]


def test_print_cost(capsys):
    optimize(W, B, X, Y, num_iterations=201, learning_rate=0.009, print_cost=True)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Cost after iteration 0: 5.80154") and len(out) == 3


def test_predict_course_values():
    w = np.array([[0.1124579], [0.23106775]])
    b = -0.3
    Xp = np.array([[1.0, -1.1, -3.2], [1.2, 2.0, 0.1]])
    np.testing.assert_array_equal(predict(w, b, Xp), [[1.0, 1.0, 0.0]])
    p = predict_proba(w, b, Xp)
    assert p.shape == (1, 3)
    # the threshold moves the decision
    assert predict(w, b, Xp, threshold=0.99).sum() == 0
    with pytest.raises(ValueError, match="threshold"):
        predict(w, b, Xp, threshold=1.5)


def _separable(seed, n_x=3, m=60):
    rng = np.random.default_rng(seed)
    Xs = rng.standard_normal((n_x, m))
    Ys = (Xs[0:1] + 0.5 * Xs[1:2] > 0).astype(float)
    return Xs, Ys


def test_model_trains_and_reports():
    Xtr, Ytr = _separable(0)
    Xte, Yte = _separable(1)
    d = model(Xtr, Ytr, Xte, Yte, num_iterations=500, learning_rate=0.5)
    for key in ("costs", "Y_prediction_test", "Y_prediction_train", "w", "b", "learning_rate", "num_iterations"):
        assert key in d
    assert d["Y_prediction_test"].shape == (1, 60) and d["w"].shape == (3, 1)
    assert len(d["costs"]) == 5 and d["costs"][-1] < d["costs"][0]
    assert d["train_accuracy"] > 95 and d["test_accuracy"] > 90
    assert d["train_accuracy"] == 100 - np.mean(np.abs(d["Y_prediction_train"] - Ytr)) * 100


def test_model_random_init_is_seeded():
    Xtr, Ytr = _separable(0)
    a = model(Xtr, Ytr, Xtr, Ytr, num_iterations=10, init="random", seed=3)
    b = model(Xtr, Ytr, Xtr, Ytr, num_iterations=10, init="random", seed=3)
    c = model(Xtr, Ytr, Xtr, Ytr, num_iterations=10, init="random", seed=4)
    np.testing.assert_array_equal(a["w"], b["w"])
    assert not np.array_equal(a["w"], c["w"])


def test_matches_sklearn_unpenalized():
    sk = pytest.importorskip("sklearn.linear_model")
    rng = np.random.default_rng(7)
    Xs = rng.standard_normal((2, 200))
    Ys = (Xs[0] - Xs[1] + rng.normal(0, 1.0, 200) > 0).astype(float)[None, :]  # overlapping: finite optimum
    params, _, _ = optimize(np.zeros((2, 1)), 0.0, Xs, Ys, num_iterations=5000, learning_rate=1.0)
    ref = sk.LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(Xs.T, Ys.ravel())
    np.testing.assert_allclose(params["w"].ravel(), ref.coef_.ravel(), rtol=1e-4)
    np.testing.assert_allclose(params["b"], ref.intercept_[0], rtol=1e-4, atol=1e-6)


@settings(max_examples=30, deadline=None)
@given(
    n_x=st.integers(1, 40), m=st.integers(1, 30), iters=st.integers(1, 60),
    lr=st.floats(1e-3, 2.0), seed=st.integers(0, 2**16), random_start=st.booleans(),
)
def test_gram_path_equals_primal_path(n_x, m, iters, lr, seed, random_start):
    rng = np.random.default_rng(seed)
    Xs = rng.standard_normal((n_x, m))
    Ys = rng.integers(0, 2, (1, m)).astype(float)
    w0 = 0.1 * rng.standard_normal((n_x, 1)) if random_start else np.zeros((n_x, 1))
    b0 = float(rng.normal())
    p1, g1, c1 = optimize(w0, b0, Xs, Ys, iters, lr, method="primal", record_every=7)
    p2, g2, c2 = optimize(w0, b0, Xs, Ys, iters, lr, method="gram", record_every=7)
    np.testing.assert_allclose(p1["w"], p2["w"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(p1["b"], p2["b"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g1["dw"], g2["dw"], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(c1, c2, rtol=1e-8, atol=1e-12)


def test_auto_method_choice():
    assert choose_method(12288, 209, 2000) == "gram"
    assert choose_method(784, 4000, 2000) == "primal"
    assert choose_method(2, 200, 1000) == "primal"
    assert choose_method(12288, 209, 1) == "primal"


def test_saturated_training_stays_finite():
    # perfectly separable, large rate: z saturates, cost must stay finite and never NaN
    Xs = np.array([[-50.0, -40.0, 40.0, 50.0]])
    Ys = np.array([[0, 0, 1, 1]])
    params, _, costs = optimize(np.zeros((1, 1)), 0.0, Xs, Ys, num_iterations=300, learning_rate=100.0,
                                record_every=1)
    assert np.isfinite(costs).all() and costs[-1] < 1e-10
    assert np.isfinite(params["w"]).all()


BAD = [
    (np.ones((2, 1)), 0.0, np.ones(3), np.ones((1, 3)), r"X must have shape \(n_x, m\)"),
    (np.ones((3, 1)), 0.0, np.ones((2, 3)), np.ones((1, 3)), r"w must have shape \(n_x, 1\) with n_x=2"),
    (np.ones(2), 0.0, np.ones((2, 3)), np.ones((1, 3)), r"w must be a column"),
    (np.ones((2, 1)), 0.0, np.ones((2, 3)), np.ones(3), r"Y must have shape \(1, m\) with m=3.*reshape"),
    (np.ones((2, 1)), 0.0, np.ones((2, 3)), np.array([[0, 2, 1]]), r"Y must contain only 0 and 1"),
    (np.ones((2, 1)), 0.0, np.array([[1.0, np.nan, 0], [0, 0, 0]]), np.ones((1, 3)), r"X contains 1 NaN"),
    (np.ones((2, 1)), np.inf, np.ones((2, 3)), np.ones((1, 3)), r"b must be finite"),
    (np.ones((2, 1)), np.ones(2), np.ones((2, 3)), np.ones((1, 3)), r"b must be a scalar"),
    (np.ones((2, 1)), 0.0, np.ones((2, 0)), np.ones((1, 0)), r"X must not be empty"),
    (np.ones((2, 1)), 0.0, np.array([["a", "b"], ["c", "d"]]), np.ones((1, 2)), r"X must hold real numbers"),
]


@pytest.mark.parametrize("w,b,Xb,Yb,msg", BAD)
def test_bad_inputs_raise_clear_errors(w, b, Xb, Yb, msg):
    with pytest.raises(ValueError, match=msg):
        propagate(w, b, Xb, Yb)
    with pytest.raises(ValueError, match=msg):
        optimize(w, b, Xb, Yb)


@pytest.mark.parametrize("kw,msg", [
    ({"num_iterations": 0}, "num_iterations must be >= 1"),
    ({"num_iterations": 2.5}, "num_iterations must be an integer"),
    ({"learning_rate": -1}, "learning_rate must be a positive"),
    ({"learning_rate": float("nan")}, "learning_rate must be a positive"),
    ({"method": "fast"}, "method must be"),
    ({"record_every": 0}, "record_every must be >= 1"),
])
def test_bad_hyperparameters(kw, msg):
    with pytest.raises(ValueError, match=msg):
        optimize(W, B, X, Y, **kw)


def test_public_api_names():
    for name in ("sigmoid", "initialize_with_zeros", "propagate", "optimize", "predict", "model"):
        assert callable(getattr(logreg, name))


def test_one_train_call_validates_each_array_once(monkeypatch):
    """runs.train -> model -> optimize -> predict: X_train and X_test are checked once each, not at every layer."""
    from logreg import _validate, datasets, training

    ts = training.from_digits(datasets.digits_task(3, max_per_class=30))
    seen = []
    original = _validate.check_X

    def counting(X, *args, **kwargs):
        seen.append(id(X))
        return original(X, *args, **kwargs)

    monkeypatch.setattr(_validate, "check_X", counting)
    training.train(ts, learning_rate=0.1, num_iterations=20)
    assert sorted(seen) == sorted([id(ts.X_train), id(ts.X_test)]), len(seen)
    seen.clear()
    model(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, num_iterations=5)  # the course's model() too
    assert len(seen) == 2


@pytest.mark.parametrize("n_x, m, iters", [(12288, 209, 2000), (784, 96, 300), (784, 800, 2000), (2, 150, 500),
                                          (784, 4000, 2000), (12288, 209, 1),
                                          (100_000, 3000, 1_000_000), (100_000, 3001, 1_000_000)])  # at GRAM_MAX_M
def test_the_reason_names_the_form_that_is_chosen(n_x, m, iters):
    method = choose_method(n_x, m, iters)
    reason = logreg.neuron.method_reason(n_x, m, iters)
    assert reason.endswith(f"runs the {'Gram' if method == 'gram' else 'primal'} form.")
    assert f"n_x = {n_x} features, m = {m} examples and {iters} iteration{'' if iters == 1 else 's'}" in reason


def test_the_reason_counts_one_of_anything_in_the_singular():
    reason = logreg.neuron.method_reason(1, 1, 1)
    assert "n_x = 1 feature, m = 1 example and 1 iteration" in reason
    assert not any(f"1 {word}s" in reason for word in ("feature", "example", "iteration"))


# --- found by bench/mutate.py ----------------------------------------------------------------------------------


def test_auto_choice_follows_the_documented_multiply_add_count():
    # primal: 2 n_x m per iteration; gram: n_x m^2 once + m^2 per iteration + 2 n_x m; gram if under half
    for n_x in (1, 10, 784, 12288):
        for m in (1, 10, 209, 1000):
            for iters in (1, 10, 100, 2000, 100_000):
                primal = 2.0 * n_x * m * iters
                gram = n_x * m * m + m * m * iters + 2.0 * n_x * m
                expected = "gram" if gram < 0.5 * primal else "primal"
                assert choose_method(n_x, m, iters) == expected, (n_x, m, iters)


def test_auto_never_picks_gram_above_its_m_limit():
    from logreg.neuron import GRAM_MAX_M

    assert GRAM_MAX_M == 3000
    assert choose_method(100_000, 3000, 1_000_000) == "gram"  # cheaper, and m x m still fits
    assert choose_method(100_000, 3001, 1_000_000) == "primal"  # cheaper, but the m x m matrix is too big


def test_iteration_and_learning_rate_limits():
    from logreg.neuron import MAX_ITERATIONS, MAX_LEARNING_RATE

    assert MAX_ITERATIONS == 1_000_000 and MAX_LEARNING_RATE == 1e4
    with pytest.raises(ValueError, match="num_iterations must be <= 1000000"):
        optimize(W, B, X, Y, num_iterations=MAX_ITERATIONS + 1)
    with pytest.raises(ValueError, match="learning_rate must be <= 10000"):
        optimize(W, B, X, Y, learning_rate=1.01e4)
    optimize(W, B, X, Y, num_iterations=1, learning_rate=1e4)  # the limit itself is allowed


def test_initialize_random_defaults_and_checks():
    from logreg.neuron import initialize_random

    w, b = initialize_random(3)
    np.testing.assert_array_equal(w, 0.01 * np.random.default_rng(0).standard_normal((3, 1)))
    assert w.shape == (3, 1) and b == 0.0 and isinstance(b, float)
    for bad in ({"scale": 0.0}, {"scale": -0.01}, {"scale": 11.0}):
        with pytest.raises(ValueError, match="scale"):
            initialize_random(3, **bad)
    with pytest.raises(ValueError, match="dim"):
        initialize_random(0)


def test_optimize_defaults_are_the_courses():
    # num_iterations=100, learning_rate=0.009, print_cost=False, record_every=100
    explicit = optimize(W, B, X, Y, num_iterations=100, learning_rate=0.009, record_every=100)
    default = optimize(W, B, X, Y)
    np.testing.assert_array_equal(default[0]["w"], explicit[0]["w"])
    assert default[0]["b"] == explicit[0]["b"] and default[2] == explicit[2] and len(default[2]) == 1
    _, _, costs = optimize(W, B, X, Y, num_iterations=201)
    assert len(costs) == 3  # iterations 0, 100 and 200


def test_optimize_prints_nothing_unless_asked(capsys):
    optimize(W, B, X, Y, num_iterations=5)
    model(X, Y, X, Y, num_iterations=5)
    assert capsys.readouterr().out == ""
    model(X, Y, X, Y, num_iterations=5, print_cost=True)
    out = capsys.readouterr().out
    assert "Cost after iteration 0" in out and "train accuracy:" in out and "test accuracy:" in out


def test_model_defaults_and_what_it_reports():
    Xtr, Ytr = _separable(0, m=20)
    d = model(Xtr, Ytr, Xtr, Ytr)
    assert d["num_iterations"] == 2000 and d["learning_rate"] == 0.5 and len(d["costs"]) == 20
    p, _, costs = optimize(np.zeros((3, 1)), 0.0, Xtr, Ytr, 2000, 0.5)
    np.testing.assert_allclose(d["w"], p["w"], rtol=1e-12)
    assert d["b"] == pytest.approx(p["b"], rel=1e-12) and d["costs"] == pytest.approx(costs, rel=1e-12)
    assert set(d["grads"]) == {"dw", "db"}


def test_a_tie_between_the_two_forms_goes_to_primal():
    # n_x = 4, m = 1, 4 iterations: gram = 4 + 4 + 8 = 16 = half of primal's 2 * 4 * 1 * 4
    assert choose_method(4, 1, 4) == "primal"


def test_auto_runs_the_form_it_chooses_and_a_forced_method_is_obeyed(monkeypatch):
    import logreg.neuron as neuron

    ran = []
    for name in ("optimize_primal", "optimize_gram"):
        real = getattr(neuron, name)
        monkeypatch.setattr(neuron, name, lambda *a, _real=real, _name=name: ran.append(_name) or _real(*a))
    wide = np.random.default_rng(0).standard_normal((200, 5))  # m << n_x: gram is cheaper
    tall = np.random.default_rng(1).standard_normal((2, 50))
    for Xs, method, expected in ((wide, "auto", "optimize_gram"), (tall, "auto", "optimize_primal"),
                                 (wide, "primal", "optimize_primal"), (tall, "gram", "optimize_gram")):
        ran.clear()
        Ys = (Xs[0:1] > 0).astype(float)
        optimize(np.zeros((Xs.shape[0], 1)), 0.0, Xs, Ys, num_iterations=100, learning_rate=0.1, method=method)
        assert ran == [expected], (Xs.shape, method)


def test_gram_form_reports_progress_like_the_primal(capsys):
    seen = {}
    for method in ("primal", "gram"):
        seen[method] = []
        optimize(W, B, X, Y, num_iterations=25, learning_rate=0.01, record_every=10, method=method,
                 callback=lambda i, c, k=method: seen[k].append((i, c)), print_cost=True)
    assert [i for i, _ in seen["gram"]] == [0, 10, 20]
    np.testing.assert_allclose([c for _, c in seen["gram"]], [c for _, c in seen["primal"]], rtol=1e-10)
    assert capsys.readouterr().out.count("Cost after iteration") == 6


def test_weights_that_leave_float_range_raise():
    Xs = np.array([[1e308, -1e308, 1e308, 1e308]])  # X dZ^T overflows, so w does, while b (a mean of dZ) stays finite
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="lower the learning rate"):
        optimize(np.zeros((1, 1)), 0.0, Xs, np.array([[1, 0, 1, 1]]), num_iterations=1, learning_rate=1e4)


def test_predict_proba_values_checks_and_the_threshold_tie():
    w, b = np.array([[0.5], [-1.0]]), 0.25
    Xp = np.array([[1.0, 2.0, -1.0], [0.0, 3.0, 1.0]])
    np.testing.assert_allclose(predict_proba(w, b, Xp), 1 / (1 + np.exp(-(w.T @ Xp + b))), rtol=1e-15)
    for args, msg in (((np.ones((3, 1)), 0.0, Xp), r"w must have shape"),
                      ((w, np.inf, Xp), "b must be finite"),
                      ((w, 0.0, np.array([[1.0, np.nan], [0.0, 0.0]])), "NaN")):
        with pytest.raises(ValueError, match=msg):
            predict_proba(*args)
    # y_hat = 0.5 exactly is not above a 0.5 threshold
    np.testing.assert_array_equal(predict(np.zeros((2, 1)), 0.0, Xp), [[0.0, 0.0, 0.0]])


def test_accuracy_is_the_percentage_right():
    from logreg.neuron import accuracy

    assert accuracy([[1, 0, 1, 1]], [[1, 1, 1, 1]]) == 75.0
    assert accuracy(np.array([[0.0, 1.0]]), np.array([[0.0, 1.0]])) == 100.0
    with pytest.raises(ValueError, match=r"Y_prediction has shape \(1, 2\) but Y has shape \(1, 3\)"):
        accuracy([[0, 1]], [[0, 1, 1]])


def test_model_checks_each_input_by_name_and_its_defaults():
    Xtr, Ytr = _separable(0, m=20)
    for args, msg in (((Xtr[:, :3].ravel(), Ytr, Xtr, Ytr), "X_train"),
                      ((Xtr, Ytr[:, :5], Xtr, Ytr), "Y_train"),
                      ((Xtr, Ytr, Xtr[:2], Ytr), "X_test"),
                      ((Xtr, Ytr, Xtr, Ytr[:, :5]), "Y_test")):
        with pytest.raises(ValueError, match=msg):
            model(*args, num_iterations=5)
    with pytest.raises(ValueError, match="init must be 'zeros' or 'random'"):
        model(Xtr, Ytr, Xtr, Ytr, num_iterations=5, init="ones")
    a = model(Xtr, Ytr, Xtr, Ytr, num_iterations=5, init="random")
    b = model(Xtr, Ytr, Xtr, Ytr, num_iterations=5, init="random", seed=0)
    np.testing.assert_array_equal(a["w"], b["w"])  # the default seed is 0
    assert len(model(Xtr, Ytr, Xtr, Ytr, num_iterations=201)["costs"]) == 3  # recorded every 100


def test_a_tie_with_m_above_one_goes_to_primal_too():
    # n_x = 6, m = 2, 6 iterations: gram = 24 + 24 + 2 * 6 * 2 = 72 = half of primal's 2 * 6 * 2 * 6
    assert choose_method(6, 2, 6) == "primal"


def test_predict_proba_refuses_a_flat_X():
    with pytest.raises(ValueError, match=r"X must have shape \(n_x, m\)"):
        predict_proba(np.ones((2, 1)), 0.0, np.ones(2))


def test_optimize_unchecked_has_the_defaults_of_optimize(capsys):
    from logreg.neuron import optimize_unchecked

    for args in ((), (150,)):  # 150 iterations: costs recorded at 0 and 100 by the default record_every
        got = optimize_unchecked(W, B, X, Y, *args)
        want = optimize(W, B, X, Y, *(args or (100,)), learning_rate=0.009, print_cost=False, record_every=100)
        np.testing.assert_array_equal(got[0]["w"], want[0]["w"])
        assert got[0]["b"] == want[0]["b"] and got[2] == want[2] and len(got[2]) == len(args) + 1
    assert capsys.readouterr().out == ""


def test_predict_unchecked_is_predict_without_the_array_checks():
    from logreg.neuron import predict_unchecked

    rng = np.random.default_rng(5)
    w, Xp = rng.standard_normal((3, 1)), rng.standard_normal((3, 50))
    for b in (-1.5, 0.0, 0.7):
        for kw in ({}, {"threshold": 0.2}, {"threshold": 0.9}):
            np.testing.assert_array_equal(predict_unchecked(w, b, Xp, **kw), predict(w, b, Xp, **kw))
    # the default threshold is 0.5 and y_hat = 0.5 exactly is not above it; b moves every z the same way
    np.testing.assert_array_equal(predict_unchecked(np.zeros((3, 1)), 0.0, Xp), np.zeros((1, 50)))
    np.testing.assert_array_equal(predict_unchecked(np.zeros((3, 1)), 1.0, Xp), np.ones((1, 50)))
    with pytest.raises(ValueError, match=r"threshold must lie in \[0, 1\]; got 1.5"):
        predict_unchecked(w, 0.0, Xp, threshold=1.5)
    Xtr, Ytr = _separable(0, m=20)
    with pytest.raises(ValueError, match=r"threshold must lie in \[0, 1\]; got -0.1"):
        model(Xtr, Ytr, Xtr, Ytr, num_iterations=5, threshold=-0.1)  # model() predicts through predict_unchecked

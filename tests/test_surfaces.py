import numpy as np
import pytest

import logreg
from logreg.surfaces import cost_grid, gradient_descent_path, propagate_steps, toy_dataset_1d


def test_toy_dataset_shapes_labels_and_seed():
    X, Y = toy_dataset_1d(7, seed=3)
    assert X.shape == (1, 7) and Y.shape == (1, 7)
    assert set(np.unique(Y)) == {0.0, 1.0}
    np.testing.assert_array_equal(X, toy_dataset_1d(7, seed=3)[0])
    assert not np.array_equal(X, toy_dataset_1d(7, seed=4)[0])
    with pytest.raises(ValueError, match="at least 2"):
        toy_dataset_1d(1)


def test_cost_grid_matches_propagate_and_squared_error_at_every_point():
    X, Y = toy_dataset_1d(9, overlap=1.5)
    w = np.array([-2.0, 0.0, 0.7])
    b = np.array([-1.0, 0.5])
    J = cost_grid(X, Y, w, b)
    S = cost_grid(X, Y, w, b, kind="squared_error")
    assert J.shape == S.shape == (2, 3)
    for i, bi in enumerate(b):
        for j, wj in enumerate(w):
            _, c = logreg.propagate(np.array([[wj]]), bi, X, Y)
            assert J[i, j] == pytest.approx(c, rel=1e-12)
            A = logreg.sigmoid(wj * X + bi)
            assert S[i, j] == pytest.approx(np.mean(0.5 * (A - Y) ** 2), rel=1e-12)


def test_cross_entropy_grid_is_convex_along_lines_but_squared_error_is_not():
    X, Y = toy_dataset_1d(20, overlap=1.5)
    w = np.linspace(-12, 12, 121)
    J = cost_grid(X, Y, w, np.array([0.0]))[0]
    S = cost_grid(X, Y, w, np.array([0.0]), kind="squared_error")[0]
    assert (np.diff(J, 2) >= -1e-12).all()  # convex along w
    assert (np.diff(S, 2) < -1e-6).any()  # the squared error bends the wrong way somewhere


def test_cost_grid_refuses_bad_input():
    X, Y = toy_dataset_1d(4)
    with pytest.raises(ValueError, match="kind"):
        cost_grid(X, Y, [0.0], [0.0], kind="hinge")
    with pytest.raises(ValueError, match="n_x=1"):
        cost_grid(np.ones((2, 4)), Y, [0.0], [0.0])
    with pytest.raises(ValueError, match="1-D"):
        cost_grid(X, Y, np.zeros(1000), [0.0])


def test_gradient_descent_path_follows_the_update_rule_and_agrees_with_optimize():
    X, Y = toy_dataset_1d(20, overlap=1.5)
    p = gradient_descent_path(X, Y, -4.0, 4.0, 0.5, 25)
    assert p["w"].shape == (26, 1) and p["b"].shape == p["cost"].shape == (26,)
    np.testing.assert_allclose(p["w"][1:], p["w"][:-1] - 0.5 * p["dw"][:-1])
    np.testing.assert_allclose(p["b"][1:], p["b"][:-1] - 0.5 * p["db"][:-1])
    params, _, costs = logreg.optimize(np.array([[-4.0]]), 4.0, X, Y, 25, 0.5, method="primal", record_every=1)
    np.testing.assert_allclose(p["w"][-1], params["w"][:, 0])
    assert p["b"][-1] == pytest.approx(params["b"])
    np.testing.assert_allclose(p["cost"][:-1], costs)


def test_gradient_descent_path_slow_good_and_overshooting_rates():
    X, Y = toy_dataset_1d(20, overlap=1.5)
    slow = gradient_descent_path(X, Y, -4.0, 4.0, 0.1, 10)["cost"]
    good = gradient_descent_path(X, Y, -4.0, 4.0, 5.0, 10)["cost"]
    wild = gradient_descent_path(X, Y, -4.0, 4.0, 100.0, 10)["cost"]
    assert (np.diff(slow) < 0).all() and slow[-1] > 0.5 * slow[0]
    assert good[-1] < 0.1 * good[0]
    assert wild[1] > wild[0]  # the first step already overshoots uphill


def test_gradient_descent_path_zero_steps_and_validation():
    X, Y = toy_dataset_1d(6)
    p = gradient_descent_path(X, Y, 1.0, 0.0, 1.0, 0)
    assert p["w"].shape == (1, 1)
    with pytest.raises(ValueError, match="learning_rate"):
        gradient_descent_path(X, Y, 1.0, 0.0, -1.0, 5)
    with pytest.raises(ValueError, match="num_steps"):
        gradient_descent_path(X, Y, 1.0, 0.0, 1.0, 10**6)


def test_propagate_steps_equal_propagate():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((4, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    w = rng.standard_normal((4, 1))
    s = propagate_steps(w, 0.3, X, Y)
    grads, cost = logreg.propagate(w, 0.3, X, Y)
    assert s["Z"].shape == s["A"].shape == s["dZ"].shape == (1, 7)
    assert s["dw"].shape == (4, 1)
    np.testing.assert_allclose(s["dw"], grads["dw"])
    assert s["db"] == pytest.approx(grads["db"]) and s["cost"] == pytest.approx(cost)
    np.testing.assert_allclose(s["A"], logreg.sigmoid(s["Z"]))

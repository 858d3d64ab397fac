"""logreg.inference: one picture through a model file, by hand-computed values and the bundled digits."""

from __future__ import annotations

import numpy as np
import pytest

from logreg import images, inference
from logreg.activations import sigmoid
from logreg.modelio import load_model, save_model


def make_model(w, *, size, channels, b=0.0, preprocessing="resize", names=("dark", "bright")):
    return load_model(save_model(np.asarray(w, dtype=np.float64).reshape(-1, 1), b, image_size=size,
                                 channels=channels, class_names=names, preprocessing=preprocessing))


def ring(h=120, w=160, ink=20, paper=235):
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((yy - h / 2) / 1.3, xx - w / 2)
    img = np.full((h, w), paper, np.uint8)
    img[(r > 22) & (r < 32)] = ink
    return img


def bar(h=120, w=160, ink=20, paper=235):
    img = np.full((h, w), paper, np.uint8)
    img[25:95, 75:85] = ink
    return img


@pytest.fixture(scope="module")
def default():
    return inference.train_digits_model()


def test_hand_computed_z_and_y_hat_grey():
    # 2 x 2 grey model: w = [1, -2, 0.5, 0], b = 0.25; picture [[255, 0], [51, 255]]
    m = make_model([1.0, -2.0, 0.5, 0.0], size=2, channels=1, b=0.25)
    img = np.array([[255, 0], [51, 255]], np.uint8)
    r = inference.classify_image(m, img)
    x = np.array([[1.0], [0.0], [0.2], [1.0]])
    np.testing.assert_allclose(r.x, x)
    assert r.x.shape == (4, 1)
    z = 1.0 * 1 + (-2.0) * 0 + 0.5 * 0.2 + 0.0 * 1 + 0.25
    assert r.z == pytest.approx(z)
    assert r.y_hat == pytest.approx(1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(r.contributions, [[1.0], [0.0], [0.1], [0.0]])
    assert r.positive_sum == pytest.approx(1.1)
    assert r.negative_sum == 0.0
    assert r.positive_sum + r.negative_sum + r.b == pytest.approx(r.z)


def test_rgb_resize_stages_and_course_flatten_order():
    rng = np.random.default_rng(0)
    w = rng.standard_normal((4 * 4 * 3, 1))
    m = make_model(w, size=4, channels=3, b=-0.5)
    img = rng.integers(0, 256, (12, 20, 3), dtype=np.uint8)
    r = inference.classify_image(m, img)
    names = [n for n, _ in r.stages]
    assert names[0] == "original" and "centre-cropped to 12 x 12" in names[1] and "resized to 4 x 4, RGB" in names[2]
    assert r.model_input.shape == (4, 4, 3)
    expected_input = images.to_model_input(img, 4, 3)
    np.testing.assert_array_equal(r.model_input, expected_input)
    x = expected_input.reshape(-1, 1) / 255.0  # R, G, B of pixel (0, 0) first
    np.testing.assert_allclose(r.x, x)
    assert r.z == pytest.approx((w.T @ x).item() - 0.5)
    assert r.y_hat == pytest.approx(float(sigmoid(r.z)))
    assert r.contributions.sum() + r.b == pytest.approx(r.z)


def test_square_picture_is_not_cropped_and_grey_model_gets_one_channel():
    m = make_model(np.ones(9), size=3, channels=1)
    r = inference.classify_image(m, np.full((6, 6, 3), 255, np.uint8))
    assert [n for n, _ in r.stages] == ["original", "resized to 3 x 3, grey"]
    assert r.model_input.shape == (3, 3, 1)
    assert r.z == pytest.approx(9.0)


def test_preprocessed_example_goes_in_as_it_is():
    m = make_model(np.arange(16) / 16.0, size=4, channels=1, b=0.1)
    ex = np.arange(16, dtype=np.uint8).reshape(4, 4) * 10
    r = inference.classify_image(m, ex, preprocessed=True)
    assert len(r.stages) == 1 and r.model_input.shape == (4, 4, 1)
    np.testing.assert_allclose(r.x, ex.reshape(-1, 1) / 255.0)
    with pytest.raises(ValueError, match=r"\(4, 4, 1\)"):
        inference.classify_image(m, np.zeros((5, 5), np.uint8), preprocessed=True)


def test_mnist_model_shows_every_stage_and_ends_28x28x1(default):
    r = inference.classify_image(default.model, np.repeat(ring()[..., None], 3, axis=2))
    names = [n for n, _ in r.stages]
    assert names[0] == "original" and names[1] == "grey"
    assert any("inverted" in n for n in names) and any("cropped to the ink" in n for n in names)
    assert r.stages[-1][1].shape == (28, 28, 1) and r.x.shape == (784, 1)
    # light digit on dark after inversion: the corners are background (0)
    assert r.model_input[0, 0, 0] == 0 and r.model_input.max() == 255


def test_blank_picture_has_no_digit(default):
    with pytest.raises(images.ImageError, match="no digit"):
        inference.classify_image(default.model, np.full((50, 50), 240, np.uint8))


def test_decide_is_predicts_rule():
    assert inference.decide(0.5, 0.5) == 0  # strictly above, as logreg.predict
    assert inference.decide(0.51, 0.5) == 1
    assert inference.decide(0.3, 0.2) == 1
    with pytest.raises(ValueError):
        inference.decide(0.5, 1.5)


def test_default_model_learns_the_task(default):
    m = default.model
    assert m.preprocessing == "mnist" and (m.image_size, m.channels) == (28, 1)
    assert m.class_names == ("not 0", "0")
    assert m.info["task"] == "digit 0 (label 1) vs a digit other than 0 (label 0)"
    assert default.test_accuracy > 93.0
    assert default.task.X_train.shape == (784, 800)


def test_default_model_on_drawn_digits(default):
    # dark ink on light paper, much bigger than 28 x 28: the MNIST steps make it look like the training data
    assert inference.classify_image(default.model, ring()).y_hat > 0.9
    assert inference.classify_image(default.model, bar()).y_hat < 0.1
    # the same 0 from the test set, printed dark on white and enlarged, keeps its verdict
    task = default.task
    zeros = np.flatnonzero(task.digits_test == 0)[:10]
    agree = 0
    for i in zeros:
        ex = task.images_test[i]
        photo = np.pad(np.kron(255 - ex, np.ones((4, 4), np.uint8)), 30, constant_values=255)
        a = inference.decide(inference.classify_image(default.model, ex, preprocessed=True).y_hat)
        b = inference.decide(inference.classify_image(default.model, photo).y_hat)
        agree += a == b
    assert agree >= 8


def test_flip_threshold_is_the_lowest_slider_step_that_decides_0():
    assert inference.flip_threshold(0.8196) == 0.82 and inference.decide(0.8196, 0.82) == 0
    assert inference.decide(0.8196, 0.81) == 1  # one step lower still decides 1
    assert inference.flip_threshold(0.82) == 0.82  # equal is not above
    assert inference.flip_threshold(0.8200001) == 0.83
    assert inference.flip_threshold(0.995) is None  # no slider value above 0.99
    for p in np.random.default_rng(0).uniform(0.01, 0.99, 200):
        t = inference.flip_threshold(p)
        assert inference.decide(p, t) == 0 and (t <= 0.01 or inference.decide(p, round(t - 0.01, 2)) == 1), (p, t)


def test_threshold_lesson_of_the_default_model(default):
    task = default.task
    lesson = inference.threshold_lesson(default.model, task.X_test, task.Y_test, 26)
    y26 = inference.classify_image(default.model, task.images_test[26], preprocessed=True).y_hat
    assert lesson.y_hat == pytest.approx(y26) and task.digits_test[26] == 3
    assert inference.decide(y26, 0.5) == 1 and inference.decide(y26, lesson.threshold) == 0
    assert inference.decide(y26, round(lesson.threshold - 0.01, 2)) == 1
    for k in lesson.turned_wrong:  # real 0s right at 0.5, wrong at the new threshold
        yk = inference.classify_image(default.model, task.images_test[k], preprocessed=True).y_hat
        assert task.digits_test[k] == 0 and inference.decide(yk, 0.5) == 1 and inference.decide(yk, lesson.threshold) == 0
    A = lesson.y_hats
    others = (task.Y_test[0] == 1) & (A > 0.5) & (A <= lesson.threshold)
    assert sorted(lesson.turned_wrong) == list(np.flatnonzero(others))
    # not a lesson: a real 0 (label 1), and a non-0 already decided right
    assert inference.threshold_lesson(default.model, task.X_test, task.Y_test, int(np.flatnonzero(others)[0])) is None
    right = int(np.flatnonzero((task.Y_test[0] == 0) & (A < 0.5))[0])
    assert inference.threshold_lesson(default.model, task.X_test, task.Y_test, right) is None


def test_lesson_text_says_what_the_numbers_say(default):
    task = default.task
    lesson = inference.threshold_lesson(default.model, task.X_test, task.Y_test, 26)
    names = ("a digit other than 0 (label 0)", "digit 0 (label 1)")
    text = inference.lesson_text(lesson, names, task.digits_test)
    assert f"ŷ = {lesson.y_hat:.4f}" in text and f"from {lesson.threshold:.2f} on it is {names[0]}" in text
    assert "a 3 that" in text and f"called {names[1]}, wrong" in text
    if lesson.turned_wrong:
        assert f"example {lesson.turned_wrong[0]} (a real 0" in text
    assert "threshold" in inference.lesson_text(None, names, task.digits_test)


def test_default_model_carries_the_statistics_of_its_training_inputs(default):
    stats = default.model.novelty
    assert stats is not None and stats.mean_input.shape == (784, 1)
    np.testing.assert_allclose(stats.mean_input, default.task.X_train.mean(axis=1, keepdims=True), atol=1e-6)
    ex = inference.classify_image(default.model, default.task.images_test[0], preprocessed=True)
    assert not inference.novelty_of(default.model, ex).unusual
    noise = np.random.default_rng(0).integers(0, 256, (60, 60), dtype=np.uint8)
    assert inference.novelty_of(default.model, inference.classify_image(default.model, noise)).unusual


def test_a_model_without_statistics_gives_no_hint():
    m = make_model(np.ones(4), size=2, channels=1)
    assert m.novelty is None
    assert inference.novelty_of(m, inference.classify_image(m, np.zeros((2, 2), np.uint8))) is None

import numpy as np
import pytest
from PIL import Image

from logreg import inference, novelty


@pytest.fixture(scope="module")
def default():
    """The Classify page's default model and the statistics of its training inputs."""
    d = inference.train_digits_model()
    return d, novelty.fit(d.task.X_train)


def photo_like(seed, h=120, w=160):
    """A photo-like picture: a smooth random landscape at several scales, a sky gradient, a house with a window."""
    rng = np.random.default_rng(seed)
    f = np.zeros((h, w))
    for s in (2, 4, 8, 16, 32):
        f += np.kron(rng.standard_normal((h // s + 2, w // s + 2)), np.ones((s, s)))[:h, :w] * np.sqrt(s)
    f = (f - f.min()) / np.ptp(f)
    img = 0.5 * np.linspace(0.9, 0.5, h)[:, None] + 0.5 * f
    top, left = rng.integers(h // 3, h // 2), rng.integers(w // 6, w // 3)
    img[top:top + h // 3, left:left + w // 3] = 0.3 + 0.3 * rng.random()
    img[top + 5:top + 15, left + 5:left + 15] = 0.1
    rgb = np.stack([img, 0.95 * img, 0.8 * img], axis=2)
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def test_no_test_set_digit_raises_the_hint(default):
    d, stats = default
    X = d.task.X_test
    scores = [novelty.assess(X[:, [j]], stats) for j in range(X.shape[1])]
    assert not any(s.unusual for s in scores)
    assert max(s.score for s in scores) < stats.limit


def test_beyond_every_training_picture_but_under_the_limit_is_not_called_within_their_range(default):
    # review C.7: a test digit 4.7 deviations out, beyond the training pictures' 4.0, was "within the range"
    d, stats = default
    X = d.task.X_test
    assessed = [novelty.assess(X[:, [j]], stats) for j in range(X.shape[1])]
    beyond = [a for a in assessed if stats.largest_training_score < a.score <= stats.limit]
    inside = [a for a in assessed if a.score <= stats.largest_training_score]
    assert beyond and inside  # the default model's test set has both
    for a in beyond:
        assert not a.unusual and "within the range" not in a.message
        assert a.message.startswith("This input is further out than any training picture, but not enough for the hint")
        assert f"{a.score:.1f} standard deviations" in a.message
        assert f"no training picture is more than {stats.largest_training_score:.1f} away" in a.message
        assert f"the hint starts at {stats.limit:.1f}" in a.message
    assert all(a.message.startswith("This input is within the range of the training pictures") for a in inside)


@pytest.mark.parametrize("seed", range(8))
def test_a_photo_like_picture_raises_it(default, seed):
    d, stats = default
    x = inference.classify_image(d.model, photo_like(seed)).x  # what the Classify page feeds the neuron
    n = novelty.assess(x, stats)
    assert n.unusual and n.score > stats.limit
    assert n.worst == "lit strength" and n.z["lit strength"] < 0  # a faint smear where digits have strokes
    assert "unlike the pictures the model was trained on" in n.message and "below" in n.message


def test_a_photographed_digit_on_paper_does_not_raise_it(default):
    d, stats = default
    rng = np.random.default_rng(1)
    for j in range(0, 40, 4):
        digit = d.task.images_test[j]
        big = np.array(Image.fromarray(255 - digit).resize((112, 112), Image.Resampling.BILINEAR), dtype=float)
        paper = np.clip(0.9 * big + 20 + rng.normal(0, 4, big.shape), 0, 255).astype(np.uint8)  # grey paper, noise
        n = novelty.assess(inference.classify_image(d.model, np.stack([paper] * 3, axis=2)).x, stats)
        assert not n.unusual, (j, n.message)


def test_noise_and_a_blank_bright_square_raise_it(default):
    d, stats = default
    noise = np.random.default_rng(0).integers(0, 256, (28 * 28, 1)) / 255.0
    assert novelty.assess(noise, stats).unusual
    block = np.zeros((28, 28))
    block[4:24, 4:24] = 1.0
    n = novelty.assess(block.reshape(-1, 1), stats)
    assert n.unusual and n.z[n.worst] > 0 and "above" in n.message


def test_features_by_hand():
    x = np.array([[0.0], [0.05], [0.5], [1.0]])
    mean = np.array([[0.25], [0.25], [0.25], [0.25]])
    f = novelty.features(x, mean, 2.0)[:, 0]
    lit = np.array([0.5, 1.0])
    np.testing.assert_allclose(f, [np.mean(x), 0.5, lit.mean(), np.std(x), np.linalg.norm(x - mean) / 2.0])
    assert novelty.features(np.zeros((4, 1)), mean, 1.0)[2, 0] == 0.0  # nothing lit: strength 0, not NaN


def test_fit_z_scores_and_limit():
    rng = np.random.default_rng(0)
    X = rng.random((50, 200)) * 0.5
    stats = novelty.fit(X)
    F = novelty.features(X, X.mean(axis=1, keepdims=True), stats.typical_distance)
    np.testing.assert_allclose(stats.feature_mean, F.mean(axis=1))
    np.testing.assert_allclose(stats.typical_distance, np.median(np.linalg.norm(X - X.mean(1, keepdims=True), axis=0)))
    assert stats.limit == max(novelty.MIN_LIMIT, 1.5 * stats.largest_training_score)
    n = novelty.assess(X[:, [3]], stats)
    expected = (F[:, 3] - F.mean(axis=1)) / F.std(axis=1)
    np.testing.assert_allclose([n.z[k] for k in novelty.FEATURES], expected)
    assert n.score == pytest.approx(np.abs(expected).max()) and not n.unusual and "within the range" in n.message


def test_stats_survive_a_round_trip_through_arrays(default):
    _, stats = default
    arrays = stats.to_arrays()
    assert sum(a.size for a in arrays.values()) == 28 * 28 + 13  # what a model file must store
    back = novelty.NoveltyStats.from_arrays(dict(arrays), n_x=784)
    x = np.random.default_rng(2).random((784, 1))
    assert novelty.assess(x, back).score == pytest.approx(novelty.assess(x, stats).score, rel=1e-5)
    with pytest.raises(ValueError, match="n_x=10"):
        novelty.NoveltyStats.from_arrays(arrays, n_x=10)
    with pytest.raises(ValueError, match="lack 'novelty_scalars'"):
        novelty.NoveltyStats.from_arrays({k: a for k, a in arrays.items() if k != "novelty_scalars"})
    with pytest.raises(ValueError, match="positive"):
        novelty.NoveltyStats.from_arrays({**arrays, "novelty_feature_std": np.zeros(5)})


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        novelty.fit(np.full((4, 3), 255.0))
    with pytest.raises(ValueError, match="at least 2"):
        novelty.fit(np.zeros((4, 1)))
    with pytest.raises(ValueError, match="all the same"):
        novelty.fit(np.zeros((4, 3)))
    stats = novelty.fit(np.random.default_rng(0).random((4, 10)))
    with pytest.raises(ValueError, match="shape"):
        novelty.assess(np.zeros((5, 1)), stats)
    with pytest.raises(ValueError, match="shape"):
        novelty.assess(np.zeros(4), stats)

"""Data for the dashboard: bundled MNIST digits, toy 2-D sets, a drawn sample picture.

Everything comes back in the course's convention: ``X`` of shape (n_x, m) with one
example per column, ``Y`` of shape (1, m) with labels 0 and 1. Nothing is read at
import time and nothing is fetched from the internet. Files a visitor uploads (the course's
cat .h5 files, a zip of class folders) are read by :mod:`logreg.uploads`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import _validate as v

DATA_DIR = Path(__file__).resolve().parent / "data"
MNIST_FILE = DATA_DIR / "mnist5k.npz"

#: Limit on the number of points a toy set may have.
MAX_TOY_M = 100_000


# --------------------------------------------------------------------------- MNIST digits


@lru_cache(maxsize=1)
def _load_mnist() -> tuple[np.ndarray, np.ndarray]:
    with np.load(MNIST_FILE, allow_pickle=False) as f:
        images, labels = f["images"], f["labels"]
    if images.shape != (5000, 28, 28) or labels.shape != (5000,) or images.dtype != np.uint8:
        raise ValueError(f"{MNIST_FILE} is damaged: images {images.shape} {images.dtype}, labels {labels.shape}")
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def load_digits_subset():
    """The bundled 5000 MNIST digits (500 of each digit), read once per process.

    Returns
    -------
    images : ndarray of shape (5000, 28, 28), uint8, 0 = background, 255 = ink (read-only)
    labels : ndarray of shape (5000,), uint8, the digit 0..9 (read-only)

    See ``logreg/data/LICENSE-MNIST.md`` for the source and licence.
    """
    return _load_mnist()


@dataclass(frozen=True)
class DigitsTask:
    """A binary digits task "positive vs negatives", split into train and test.

    Attributes
    ----------
    X_train : ndarray of shape (784, m_train), float64 in [0, 1] (pixels / 255)
    Y_train : ndarray of shape (1, m_train), 1 for the positive digit, else 0
    X_test : ndarray of shape (784, m_test)
    Y_test : ndarray of shape (1, m_test)
    images_train : ndarray of shape (m_train, 28, 28), uint8, the raw images for display
    images_test : ndarray of shape (m_test, 28, 28), uint8
    digits_train : ndarray of shape (m_train,), the original digit of each example
    digits_test : ndarray of shape (m_test,)
    class_names : tuple (name of label 0, name of label 1), e.g. ("not 3", "3")
    positive : int
    negatives : tuple of int
    """

    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    images_train: np.ndarray
    images_test: np.ndarray
    digits_train: np.ndarray
    digits_test: np.ndarray
    class_names: tuple[str, str]
    positive: int
    negatives: tuple[int, ...]


def _check_digit(d, name: str) -> int:
    if isinstance(d, bool) or not isinstance(d, numbers.Integral) or not 0 <= int(d) <= 9:
        raise ValueError(f"{name} must be a digit 0..9; got {d!r}")
    return int(d)


def stratified_split(y01: np.ndarray, test_fraction: float, rng: np.random.Generator):
    """Indices (train, test) with each class split in the same proportion; both classes in both parts."""
    train, test = [], []
    for cls in (0, 1):
        idx = rng.permutation(np.flatnonzero(y01 == cls))
        if idx.size < 2:
            raise ValueError(f"class {cls} needs at least 2 examples to appear in train and test; got {idx.size}")
        n_test = min(max(int(round(test_fraction * idx.size)), 1), idx.size - 1)
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def digits_task(positive, negatives=None, *, test_fraction=0.2, seed=0, max_per_class=None) -> DigitsTask:
    """Build "is it a ``positive``?" from the bundled digits, with a seeded stratified split.

    Parameters
    ----------
    positive : int, the digit labelled 1
    negatives : iterable of int or None, default=None
        Digits labelled 0. ``None`` means every other digit ("not 3").
    test_fraction : float in (0, 1), default=0.2 (keyword-only)
        Share of each class held out for testing.
    seed : int, default=0 (keyword-only)
        Seed of ``np.random.default_rng`` for subsampling and splitting.
    max_per_class : int or None, default=None (keyword-only)
        Keep at most this many examples of each binary class (a random subset),
        e.g. to balance "3" (500) against "not 3" (4500) or to keep training fast.

    Returns
    -------
    DigitsTask
    """
    positive = _check_digit(positive, "positive")
    if negatives is None:
        negatives = tuple(d for d in range(10) if d != positive)
        negative_name = f"not {positive}"
    else:
        if isinstance(negatives, numbers.Integral):
            negatives = (negatives,)
        negatives = tuple(sorted({_check_digit(d, "each negative digit") for d in negatives}))
        if not negatives:
            raise ValueError("negatives must name at least one digit (or be None for all other digits)")
        if positive in negatives:
            raise ValueError(f"the positive digit {positive} cannot also be a negative; got negatives {list(negatives)}")
        negative_name = "/".join(str(d) for d in negatives)
    test_fraction = v.check_probability(test_fraction, "test_fraction", open_interval=True)
    if max_per_class is not None:
        max_per_class = v.check_positive_int(max_per_class, "max_per_class", maximum=5000)
        if max_per_class < 2:
            raise ValueError(f"max_per_class must be at least 2 (one train and one test example); got {max_per_class}")
    rng = np.random.default_rng(seed)

    images, labels = load_digits_subset()
    pos_idx = np.flatnonzero(labels == positive)
    neg_idx = np.flatnonzero(np.isin(labels, negatives))
    if max_per_class is not None:
        pos_idx = np.sort(rng.choice(pos_idx, size=min(max_per_class, pos_idx.size), replace=False))
        neg_idx = np.sort(rng.choice(neg_idx, size=min(max_per_class, neg_idx.size), replace=False))
    keep = np.concatenate([pos_idx, neg_idx])
    y01 = (labels[keep] == positive).astype(np.int64)
    tr, te = stratified_split(y01, test_fraction, rng)
    tr, te = keep[tr], keep[te]

    def as_X(idx):  # the course's flatten: one image per column, then / 255
        return images[idx].reshape(idx.size, -1).T / 255.0

    return DigitsTask(
        X_train=as_X(tr),
        Y_train=(labels[tr] == positive).astype(np.int64).reshape(1, -1),
        X_test=as_X(te),
        Y_test=(labels[te] == positive).astype(np.int64).reshape(1, -1),
        images_train=images[tr],
        images_test=images[te],
        digits_train=labels[tr],
        digits_test=labels[te],
        class_names=(negative_name, str(positive)),
        positive=positive,
        negatives=negatives,
    )


# --------------------------------------------------------------------------- toy 2-D sets


def _toy_setup(m, noise, seed):
    m = v.check_positive_int(m, "m", maximum=MAX_TOY_M)
    if m < 2:
        raise ValueError(f"m must be at least 2 (one point per class); got {m}")
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) or not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0; got {noise!r}")
    rng = np.random.default_rng(seed)
    m1 = m // 2
    y = np.r_[np.zeros(m - m1, dtype=np.int64), np.ones(m1, dtype=np.int64)]
    return m, float(noise), rng, y


def _finish(P, y, rng):
    """Shuffle the points (so classes are interleaved) and return X (2, m), Y (1, m)."""
    order = rng.permutation(y.size)
    return P[order].T.copy(), y[order].reshape(1, -1)


def make_blobs(m=200, *, noise=1.0, seed=0):
    """Two Gaussian blobs centred at (-1.5, -1) (label 0) and (1.5, 1) (label 1): linearly separable-ish.

    Parameters
    ----------
    m : int, default=200, number of points (half of each class, label 0 gets the odd one)
    noise : float >= 0, default=1.0 (keyword-only), standard deviation of each blob
    seed : int, default=0 (keyword-only)

    Returns
    -------
    X : ndarray of shape (2, m)
    Y : ndarray of shape (1, m), int 0/1
    """
    m, noise, rng, y = _toy_setup(m, noise, seed)
    centers = np.array([[-1.5, -1.0], [1.5, 1.0]])
    P = centers[y] + noise * rng.standard_normal((m, 2))
    return _finish(P, y, rng)


def make_moons(m=200, *, noise=0.1, seed=0):
    """Two interleaving half circles (label 0 on top, label 1 below, shifted): not linearly separable.

    Same parameters and returns as :func:`make_blobs`; ``noise`` is the std of Gaussian jitter.
    """
    m, noise, rng, y = _toy_setup(m, noise, seed)
    t = rng.uniform(0.0, np.pi, m)
    P = np.where(
        (y == 0)[:, None],
        np.c_[np.cos(t), np.sin(t)],
        np.c_[1.0 - np.cos(t), 0.5 - np.sin(t)],
    )
    P = P + noise * rng.standard_normal((m, 2))
    return _finish(P, y, rng)


def make_circles(m=200, *, noise=0.05, factor=0.5, seed=0):
    """A small circle (label 1, radius ``factor``) inside a large one (label 0, radius 1).

    Same parameters and returns as :func:`make_blobs`, plus ``factor`` in (0, 1) (keyword-only).
    No line separates them; a logistic regression on (x1, x2) is stuck near 50 %.
    """
    m, noise, rng, y = _toy_setup(m, noise, seed)
    factor = v.check_probability(factor, "factor", open_interval=True)
    t = rng.uniform(0.0, 2.0 * np.pi, m)
    r = np.where(y == 1, factor, 1.0)
    P = np.c_[r * np.cos(t), r * np.sin(t)] + noise * rng.standard_normal((m, 2))
    return _finish(P, y, rng)


def make_xor(m=200, *, noise=0.2, seed=0):
    """Four Gaussian clusters at (+-1, +-1); label 1 where x1 and x2 have opposite signs (XOR).

    Same parameters and returns as :func:`make_blobs`; ``noise`` is the std of each cluster.
    """
    m, noise, rng, y = _toy_setup(m, noise, seed)
    s1 = rng.choice([-1.0, 1.0], m)
    s2 = np.where(y == 1, -s1, s1)  # opposite signs for label 1
    P = np.c_[s1, s2] + noise * rng.standard_normal((m, 2))
    return _finish(P, y, rng)


# --------------------------------------------------------------------------- a drawn sample picture


def sample_scene(h=64, w=100):
    """A small landscape drawn with NumPy (no photo needed): sky, sun, hill, house.

    The default size is the lecture's example, (64, 100, 3). The picture is
    asymmetric and uses all three channels, so flips, transposes and channel
    mix-ups are visible.

    Returns
    -------
    ndarray of shape (h, w, 3), uint8
    """
    h = v.check_positive_int(h, "h", maximum=2048)
    w = v.check_positive_int(w, "w", maximum=2048)
    yy, xx = np.mgrid[0:h, 0:w] / np.array([h, w]).reshape(2, 1, 1)  # coordinates in [0, 1)
    img = np.empty((h, w, 3))
    img[..., 0] = 90 + 80 * yy  # sky: blue, paler towards the horizon
    img[..., 1] = 150 + 70 * yy
    img[..., 2] = 235
    sun = (xx - 0.8) ** 2 + ((yy - 0.22) * h / w) ** 2 < 0.012
    img[sun] = (255, 200, 40)
    hill = yy > 0.62 + 0.12 * np.sin(2.5 * np.pi * xx + 0.3)
    img[hill] = np.stack([40 + 30 * yy[hill], 140 + 60 * yy[hill], 50 + 0 * yy[hill]], axis=1)
    wall = (xx > 0.15) & (xx < 0.38) & (yy > 0.5) & (yy < 0.85)
    img[wall] = (200, 60, 50)
    roof = (yy > 0.3) & (yy <= 0.5) & (np.abs(xx - 0.265) < (yy - 0.3) * 0.75)
    img[roof] = (110, 60, 40)
    door = (xx > 0.24) & (xx < 0.29) & (yy > 0.68) & (yy < 0.85)
    img[door] = (60, 35, 20)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)

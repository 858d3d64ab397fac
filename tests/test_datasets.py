"""logreg.datasets: bundled digits, the digits task split, toy 2-D sets, the course's .h5 files (generated here)."""

from __future__ import annotations

import io

import h5py
import numpy as np
import pytest

from logreg import datasets, uploads

# --------------------------------------------------------------------------- bundled MNIST subset


def test_load_digits_subset_shapes_and_balance():
    imgs, labels = datasets.load_digits_subset()
    assert imgs.shape == (5000, 28, 28) and imgs.dtype == np.uint8
    assert labels.shape == (5000,) and labels.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(labels), [500] * 10)
    assert imgs.max() == 255 and np.median(imgs) == 0  # light ink on a black background
    with pytest.raises(ValueError):
        imgs[0, 0, 0] = 1  # read-only: the cached copy cannot be corrupted by a caller


def test_digits_task_all_others():
    t = datasets.digits_task(3, seed=1)
    assert t.class_names == ("not 3", "3")
    assert t.negatives == (0, 1, 2, 4, 5, 6, 7, 8, 9)
    m_tr, m_te = t.X_train.shape[1], t.X_test.shape[1]
    assert t.X_train.shape == (784, m_tr) and t.X_test.shape == (784, m_te)
    assert m_tr + m_te == 5000 and m_te == 1000  # 20 % of each class
    assert t.Y_train.shape == (1, m_tr) and t.Y_test.shape == (1, m_te)
    assert t.Y_test.sum() == 100 and t.Y_train.sum() == 400  # stratified
    assert 0.0 <= t.X_train.min() and t.X_train.max() <= 1.0
    # column j is image j, flattened the course's way and divided by 255
    for j in (0, 17, m_tr - 1):
        np.testing.assert_allclose(t.X_train[:, j], t.images_train[j].ravel() / 255.0)
    np.testing.assert_array_equal(t.Y_train[0], t.digits_train == 3)
    np.testing.assert_array_equal(t.Y_test[0], t.digits_test == 3)


def test_digits_task_chosen_negatives_and_cap():
    t = datasets.digits_task(1, [7, 4], max_per_class=60, test_fraction=0.25, seed=5)
    assert t.class_names == ("4/7", "1") and t.negatives == (4, 7)
    assert set(np.unique(t.digits_train)) | set(np.unique(t.digits_test)) == {1, 4, 7}
    assert (t.Y_train == 1).sum() == 45 and (t.Y_train == 0).sum() == 45
    assert (t.Y_test == 1).sum() == 15 and (t.Y_test == 0).sum() == 15
    single = datasets.digits_task(3, 8)
    assert single.class_names == ("8", "3")


def test_digits_task_seeded():
    a = datasets.digits_task(2, [5], seed=3, max_per_class=50)
    b = datasets.digits_task(2, [5], seed=3, max_per_class=50)
    c = datasets.digits_task(2, [5], seed=4, max_per_class=50)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    assert not np.array_equal(a.X_train, c.X_train)


def test_digits_task_train_and_test_disjoint():
    t = datasets.digits_task(0, [6], seed=0)
    train = {im.tobytes() for im in t.images_train}
    assert not any(im.tobytes() in train for im in t.images_test)


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((10,), {}, "digit 0..9"),
        ((True,), {}, "digit 0..9"),
        ((3, [3, 8]), {}, "cannot also be a negative"),
        ((3, []), {}, "at least one digit"),
        ((3, [11]), {}, "digit 0..9"),
        ((3,), {"test_fraction": 0.0}, "test_fraction"),
        ((3,), {"test_fraction": 1.0}, "test_fraction"),
        ((3,), {"max_per_class": 1}, "at least 2"),
    ],
)
def test_digits_task_validation(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.digits_task(*args, **kwargs)


# --------------------------------------------------------------------------- toy sets

TOYS = [datasets.make_blobs, datasets.make_moons, datasets.make_circles, datasets.make_xor]


@pytest.mark.parametrize("make", TOYS)
def test_toy_shapes_balance_and_seed(make):
    X, Y = make(101, seed=7)
    assert X.shape == (2, 101) and Y.shape == (1, 101)
    assert set(np.unique(Y)) == {0, 1} and Y.sum() == 50
    X2, Y2 = make(101, seed=7)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(Y, Y2)
    X3, _ = make(101, seed=8)
    assert not np.array_equal(X, X3)
    assert Y[0, :50].sum() not in (0, 50)  # shuffled: the classes are interleaved


@pytest.mark.parametrize("make", TOYS)
def test_toy_validation(make):
    with pytest.raises(ValueError, match="m must"):
        make(1)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-1.0)


def test_circles_geometry_without_noise():
    X, Y = datasets.make_circles(200, noise=0.0, factor=0.3)
    r = np.hypot(*X)
    np.testing.assert_allclose(r[Y[0] == 1], 0.3)
    np.testing.assert_allclose(r[Y[0] == 0], 1.0)


def test_moons_geometry_without_noise():
    X, Y = datasets.make_moons(200, noise=0.0)
    top, bottom = X[:, Y[0] == 0], X[:, Y[0] == 1]
    np.testing.assert_allclose(np.hypot(*top), 1.0)
    np.testing.assert_allclose(np.hypot(bottom[0] - 1.0, bottom[1] - 0.5), 1.0)
    assert top[1].min() >= 0 and bottom[1].max() <= 0.5


def test_xor_labels_are_opposite_signs():
    X, Y = datasets.make_xor(300, noise=0.0)
    np.testing.assert_array_equal(Y[0], (np.sign(X[0]) != np.sign(X[1])).astype(int))


def test_blobs_are_separated_by_their_means():
    X, Y = datasets.make_blobs(400, noise=0.5)
    mu0, mu1 = X[:, Y[0] == 0].mean(axis=1), X[:, Y[0] == 1].mean(axis=1)
    np.testing.assert_allclose(mu0, [-1.5, -1.0], atol=0.15)
    np.testing.assert_allclose(mu1, [1.5, 1.0], atol=0.15)


# --------------------------------------------------------------------------- the course's cat .h5 files


def h5_bytes(datasets_: dict) -> bytes:
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for k, val in datasets_.items():
            f.create_dataset(k, data=val)
    return buf.getvalue()


def course_files(m_train=6, m_test=3, side=64):
    rng = np.random.default_rng(0)
    classes = np.array([b"non-cat", b"cat"])
    train = {
        "train_set_x": rng.integers(0, 256, (m_train, side, side, 3), dtype=np.uint8),
        "train_set_y": np.array([0, 1] * (m_train // 2), dtype=np.int64),
        "list_classes": classes,
    }
    test = {
        "test_set_x": rng.integers(0, 256, (m_test, side, side, 3), dtype=np.uint8),
        "test_set_y": np.array([1] + [0] * (m_test - 1), dtype=np.int64),
        "list_classes": classes,
    }
    return train, test


def test_load_cat_h5_from_bytes_filelike_and_paths(tmp_path):
    train, test = course_files()
    tr, te = h5_bytes(train), h5_bytes(test)
    (tmp_path / "train.h5").write_bytes(tr)
    (tmp_path / "test.h5").write_bytes(te)
    for args in [(tr, te), (io.BytesIO(tr), io.BytesIO(te)), (tmp_path / "train.h5", str(tmp_path / "test.h5"))]:
        xtr, ytr, xte, yte, classes = uploads.load_cat_h5(*args)
        assert xtr.shape == (6, 64, 64, 3) and xtr.dtype == np.uint8
        assert ytr.shape == (1, 6) and yte.shape == (1, 3) and xte.shape == (3, 64, 64, 3)
        np.testing.assert_array_equal(xtr, train["train_set_x"])
        np.testing.assert_array_equal(ytr[0], train["train_set_y"])
        assert classes[ytr[0, 1]].decode() == "cat" and classes[0] == b"non-cat"


def test_load_cat_h5_classes_fall_back_to_train_file():
    train, test = course_files()
    del test["list_classes"]
    *_, classes = uploads.load_cat_h5(h5_bytes(train), h5_bytes(test))
    assert list(classes) == [b"non-cat", b"cat"]
    del train["list_classes"]
    with pytest.raises(ValueError, match="list_classes"):
        uploads.load_cat_h5(h5_bytes(train), h5_bytes(test))


def _broken(which, change):
    train, test = course_files()
    change(train if which == "train" else test)
    return h5_bytes(train), h5_bytes(test)


@pytest.mark.parametrize(
    "which, change, message",
    [
        ("train", lambda d: d.pop("train_set_y"), "'train_set_y'"),
        ("test", lambda d: d.pop("test_set_x"), "'test_set_x'"),
        ("train", lambda d: d.update(train_set_x=np.zeros((6, 64, 64), np.uint8)), r"\(m, height, width, 3\)"),
        ("train", lambda d: d.update(train_set_y=np.array([0, 1, 2, 0, 1, 0])), "only labels 0 and 1"),
        ("test", lambda d: d.update(test_set_y=np.array([0, 1])), "to match test_set_x"),
        ("test", lambda d: d.update(test_set_x=np.zeros((3, 32, 32, 3), np.uint8)), "differ in size"),
        ("train", lambda d: d.update(list_classes=np.array([b"a", b"b", b"c"])), "2 names"),
    ],
)
def test_load_cat_h5_schema_errors(which, change, message):
    with pytest.raises(ValueError, match=message):
        uploads.load_cat_h5(*_broken(which, change))


def test_load_cat_h5_refuses_non_hdf5_empty_and_oversized():
    train, test = course_files()
    tr, te = h5_bytes(train), h5_bytes(test)
    with pytest.raises(ValueError, match="not an HDF5"):
        uploads.load_cat_h5(b"PNG? no, just text", te)
    with pytest.raises(ValueError, match="empty"):
        uploads.load_cat_h5(tr, b"")
    with pytest.raises(ValueError, match="MB"):
        uploads.load_cat_h5(tr, te, max_bytes=1000)
    with pytest.raises(ValueError, match="at most 4 are accepted"):
        uploads.load_cat_h5(tr, te, max_examples=4)
    with pytest.raises(ValueError, match="path, bytes or a file-like"):
        uploads.load_cat_h5(123, te)


def test_load_cat_h5_missing_path(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        uploads.load_cat_h5(tmp_path / "nope.h5", tmp_path / "nope2.h5")


def test_sample_scene_is_the_lectures_shape_and_uses_all_channels():
    img = datasets.sample_scene()
    assert img.shape == (64, 100, 3) and img.dtype == np.uint8
    assert all(len(np.unique(img[..., c])) >= 3 for c in range(3))
    assert not np.array_equal(img[..., 0], img[..., 1]) and not np.array_equal(img[..., 1], img[..., 2])
    assert not np.array_equal(img, img[:, ::-1]) and not np.array_equal(img, img[::-1])  # asymmetric
    np.testing.assert_array_equal(img, datasets.sample_scene())  # deterministic
    assert datasets.sample_scene(32, 48).shape == (32, 48, 3)


def test_load_cat_h5_refuses_a_small_file_that_declares_too_many_pixels():
    # 400 blank 64 x 64 x 3 pictures in chunks never written (HDF5 reads them as the fill value): a few kB of
    # file for 4.9 million values (compressed files, the other way to do this, are refused outright)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset("train_set_x", shape=(400, 64, 64, 3), dtype="u1", chunks=(100, 64, 64, 3))
        f.create_dataset("train_set_y", data=np.zeros(400, np.int64))
    assert len(buf.getvalue()) < 200_000
    _, test = course_files()
    with pytest.raises(ValueError, match="declares 4,915,200 pixel values; at most 1,000,000 are accepted"):
        uploads.load_cat_h5(buf.getvalue(), h5_bytes(test), max_values=1_000_000)

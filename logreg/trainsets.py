"""Training sets: one shape for every data source of the Train page.

A :class:`TrainingSet` holds ``X_train (n_x, m_train)``, ``Y_train (1, m_train)``, the
test part, the class names and, for pictures, the images and the preprocessing a model
file needs. Builders turn each source (bundled digits, a 2-D toy set, the course's cat
files, your own images) into one, with a seeded stratified split.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .datasets import DigitsTask, stratified_split
from .geometry import flatten_dataset, to_model_input
from .modelio import MAX_IMAGE_SIZE, check_class_names

#: The most examples of one class accepted from snapshots or uploads.
MAX_IMAGES_PER_CLASS = 300
#: The most pictures (train and test together) taken from the course's cat files: as many as a zip's two classes
#: may give, which bounds a set's memory the same way (600 of 64 x 64 x 3 are 29 MB as float32 X). The course's
#: files hold 209 + 50.
MAX_CAT_EXAMPLES = 2 * MAX_IMAGES_PER_CLASS


@dataclass(frozen=True)
class TrainingSet:
    """A binary task split into train and test, in the course's shapes.

    Attributes
    ----------
    X_train : ndarray of shape (n_x, m_train), float64, or float32 for pictures (k / 255 needs no more, and a set
        of pictures is the big thing a session keeps; training computes in float64)
    Y_train : ndarray of shape (1, m_train), int64 0/1
    X_test : ndarray of shape (n_x, m_test)
    Y_test : ndarray of shape (1, m_test)
    class_names : (name of label 0, name of label 1)
    name : str, a short description ("3 vs not 3 (digits)")
    images_train, images_test : ndarray of shape (m, s, s) or (m, s, s, c), uint8, or None for 2-D points
    image_size : int or None, the side of the square images
    channels : int or None, 1 (grey) or 3 (RGB)
    preprocessing : {"mnist", "resize"} or None, how a new picture must be prepared for this model
    notes : list of str, things the user should know (skipped files, ...)
    """

    X_train: np.ndarray = field(repr=False)
    Y_train: np.ndarray = field(repr=False)
    X_test: np.ndarray = field(repr=False)
    Y_test: np.ndarray = field(repr=False)
    class_names: tuple[str, str]
    name: str
    images_train: np.ndarray | None = field(default=None, repr=False)
    images_test: np.ndarray | None = field(default=None, repr=False)
    image_size: int | None = None
    channels: int | None = None
    preprocessing: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def is_image(self) -> bool:
        return self.image_size is not None

    @property
    def n_x(self) -> int:
        return self.X_train.shape[0]

    def counts(self) -> dict[str, tuple[int, int]]:
        """``{class name: (train count, test count)}``: the class balance."""
        return {
            name: (int(np.sum(self.Y_train == k)), int(np.sum(self.Y_test == k)))
            for k, name in enumerate(self.class_names)
        }

    def freeze(self) -> TrainingSet:
        """Make every array read-only (for sets shared through a cache) and return self."""
        for a in (self.X_train, self.Y_train, self.X_test, self.Y_test, self.images_train, self.images_test):
            if a is not None:
                a.flags.writeable = False
        return self


def _check_names(class_names) -> tuple[str, str]:
    return check_class_names(tuple(str(n) for n in class_names))


def _split(Y: np.ndarray, test_fraction, seed):
    test_fraction = v.check_probability(test_fraction, "test_fraction", open_interval=True)
    return stratified_split(Y.ravel(), test_fraction, np.random.default_rng(seed))


def from_digits(task: DigitsTask) -> TrainingSet:
    """The bundled-digits task as a training set (28 x 28 grey, MNIST preprocessing for new pictures)."""
    pos, neg = task.class_names[1], task.class_names[0]
    return TrainingSet(
        X_train=task.X_train, Y_train=task.Y_train, X_test=task.X_test, Y_test=task.Y_test,
        class_names=task.class_names, name=f"{pos} vs {neg} (digits)",
        images_train=task.images_train, images_test=task.images_test,
        image_size=28, channels=1, preprocessing="mnist",
    )


def from_points(X, Y, *, name="2-D points", class_names=("class 0", "class 1"), test_fraction=0.25, seed=0) -> TrainingSet:
    """2-D (or any n_x) points with a seeded stratified train/test split.

    Parameters
    ----------
    X : ndarray of shape (n_x, m)
    Y : ndarray of shape (1, m), 0/1 with at least 2 examples of each class
    name : str (keyword-only)
    class_names : (str, str) (keyword-only)
    test_fraction : float in (0, 1), default=0.25 (keyword-only)
    seed : int, default=0 (keyword-only)
    """
    X = v.check_X(X)
    Y = v.check_Y(Y, X.shape[1]).astype(np.int64)
    tr, te = _split(Y, test_fraction, seed)
    return TrainingSet(X_train=X[:, tr], Y_train=Y[:, tr], X_test=X[:, te], Y_test=Y[:, te],
                       class_names=_check_names(class_names), name=name)


def _image_set(imgs_train, Y_train, imgs_test, Y_test, class_names, name, notes=()) -> TrainingSet:
    """Pictures (m, s, s, c) uint8 -> flattened the course's way and divided by 255 (float32: half the memory)."""
    s, c = imgs_train.shape[1], imgs_train.shape[3]
    return TrainingSet(
        X_train=flatten_dataset(imgs_train) / np.float32(255.0), Y_train=Y_train,
        X_test=flatten_dataset(imgs_test) / np.float32(255.0), Y_test=Y_test,
        class_names=_check_names(class_names), name=name,
        images_train=imgs_train, images_test=imgs_test,
        image_size=s, channels=c, preprocessing="resize", notes=tuple(notes),
    )


def from_cat_h5(train_x, train_y, test_x, test_y, classes, *, max_examples=MAX_CAT_EXAMPLES) -> TrainingSet:
    """The course's cat files as read by :func:`logreg.uploads.load_cat_h5` (64 x 64 x 3 -> 12288 features).

    At most ``max_examples`` pictures in all (train and test), checked before any float copy is made.
    """
    train_x, test_x = np.asarray(train_x), np.asarray(test_x)
    if train_x.ndim != 4 or train_x.shape[1] != train_x.shape[2] or train_x.shape[3] != 3:
        raise ValueError(f"the course's images must have shape (m, s, s, 3); got {train_x.shape}")
    if train_x.shape[1] > MAX_IMAGE_SIZE:  # the model file's limit: a model that cannot be saved is no use
        raise ValueError(f"the pictures are {train_x.shape[1]} x {train_x.shape[1]}; at most {MAX_IMAGE_SIZE} x "
                         f"{MAX_IMAGE_SIZE} are accepted (the course's are 64 x 64)")
    max_examples = v.check_positive_int(max_examples, "max_examples")
    if train_x.shape[0] + test_x.shape[0] > max_examples:
        raise ValueError(f"the files hold {train_x.shape[0]} + {test_x.shape[0]} pictures; at most {max_examples} in all "
                         "are used (the course's hold 209 + 50)")
    names = tuple(n.decode("utf-8", "replace") if isinstance(n, bytes) else str(n) for n in np.asarray(classes).ravel())
    if len(names) != 2:
        raise ValueError(f"two class names are needed; got {names!r}")
    Y_tr = np.asarray(train_y, dtype=np.int64).reshape(1, -1)
    Y_te = np.asarray(test_y, dtype=np.int64).reshape(1, -1)
    for part, Y in (("train", Y_tr), ("test", Y_te)):
        missing = [names[k] for k in (0, 1) if not np.any(Y == k)]
        if missing:
            raise ValueError(f"the {part} file has no example of the class {missing[0]!r}; both classes are needed")
    return _image_set(train_x, Y_tr, test_x, Y_te, names, f"{names[1]} vs {names[0]} (the course's files)")


def from_images(per_class, class_names, *, size=64, channels=3, test_fraction=0.25, seed=0, notes=()) -> TrainingSet:
    """Your own two classes: lists of decoded pictures -> resized, split, flattened.

    Parameters
    ----------
    per_class : (sequence of images for label 0, sequence of images for label 1)
        Each image an ndarray (h, w) or (h, w, 3) uint8, any size (centre-cropped and resized).
    class_names : (str, str)
    size : int, default=64 (keyword-only), the side of the model's input
    channels : {1, 3}, default=3 (keyword-only)
    test_fraction : float in (0, 1), default=0.25 (keyword-only)
    seed : int, default=0 (keyword-only)
    notes : sequence of str (keyword-only), carried to the set (e.g. skipped files)

    Raises
    ------
    ValueError
        fewer than 2 pictures in a class (one for training, one for testing), or too many.
    """
    names = _check_names(class_names)
    if len(per_class) != 2:
        raise ValueError(f"pictures for exactly two classes are needed; got {len(per_class)}")
    for name, imgs in zip(names, per_class, strict=True):
        if len(imgs) < 2:
            raise ValueError(f"the class {name!r} has {len(imgs)} picture(s); at least 2 are needed "
                             "(one to train on, one to test with)")
        if len(imgs) > MAX_IMAGES_PER_CLASS:
            raise ValueError(f"the class {name!r} has {len(imgs)} pictures; at most {MAX_IMAGES_PER_CLASS} are accepted")
    X = np.stack([to_model_input(img, size, channels) for imgs in per_class for img in imgs])
    Y = np.array([[k for k, imgs in enumerate(per_class) for _ in imgs]], dtype=np.int64)
    return from_image_array(X, Y, names, test_fraction=test_fraction, seed=seed, notes=notes)


def from_image_array(X, Y, class_names, *, name=None, test_fraction=0.25, seed=0, notes=(),
                     max_per_class=MAX_IMAGES_PER_CLASS) -> TrainingSet:
    """Pictures already of one size, ``X (m, s, s, c)`` uint8 and ``Y (1, m)``, split and flattened.

    A class with more than ``max_per_class`` pictures keeps its first ``max_per_class`` (said in ``notes``):
    it bounds the memory one upload takes (X is float32, 4 bytes per pixel value).
    """
    X = np.asarray(X)
    if X.ndim != 4 or X.dtype != np.uint8 or X.shape[1] != X.shape[2] or X.shape[3] not in (1, 3):
        raise ValueError(f"pictures must be uint8 of shape (m, s, s, 1 or 3); got {X.dtype} {X.shape}")
    Y = v.check_Y(Y, X.shape[0]).astype(np.int64)
    names = _check_names(class_names)
    max_per_class = v.check_positive_int(max_per_class, "max_per_class")
    keep = np.concatenate([np.flatnonzero(Y[0] == k)[:max_per_class] for k in (0, 1)])
    if keep.size < Y.shape[1]:
        dropped = [f"{names[k]}: {int(np.sum(Y == k))}" for k in (0, 1) if np.sum(Y == k) > max_per_class]
        notes = (*notes, f"only the first {max_per_class} pictures of a class are used ({', '.join(dropped)} given)")
        keep.sort()
        X, Y = X[keep], Y[:, keep]
    for k in (0, 1):
        if np.sum(Y == k) < 2:
            raise ValueError(f"the class {names[k]!r} has {int(np.sum(Y == k))} picture(s); at least 2 are needed "
                             "(one to train on, one to test with)")
    tr, te = _split(Y, test_fraction, seed)
    return _image_set(X[tr], Y[:, tr], X[te], Y[:, te], names, name or f"{names[1]} vs {names[0]} (your pictures)",
                      notes)

"""Training sets and training runs for the Train page: one shape for every data source.

A :class:`TrainingSet` holds ``X_train (n_x, m_train)``, ``Y_train (1, m_train)``, the
test part, the class names and, for pictures, the images and the preprocessing a model
file needs. Builders turn each source (bundled digits, a 2-D toy set, the course's cat
files, your own images) into one; :func:`train` and :func:`compare_learning_rates` run
the course's :func:`logreg.model` on it; the rest reads a result (confusion matrix,
mistakes, the probability over the plane, the cost history as CSV, the model file).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .activations import sigmoid
from .datasets import DigitsTask, _stratified_split
from .diagnostics import Diagnosis, diagnose
from .images import flatten_dataset, to_model_input
from .modelio import MAX_NAME_LEN, ModelFile, load_model, save_model
from .neuron import accuracy, model, predict

#: The most examples of one class accepted from snapshots or uploads.
MAX_IMAGES_PER_CLASS = 300
#: The most learning rates compared at once.
MAX_RATES = 6
#: The most cost values recorded in one run (record_every is chosen to stay below it).
MAX_RECORDS = 400


@dataclass(frozen=True)
class TrainingSet:
    """A binary task split into train and test, in the course's shapes.

    Attributes
    ----------
    X_train : ndarray of shape (n_x, m_train), float64
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
    names = tuple(str(n).strip() for n in class_names)
    if len(names) != 2 or not all(names):
        raise ValueError(f"two non-empty class names are needed; got {class_names!r}")
    if any(len(n) > MAX_NAME_LEN for n in names):
        raise ValueError(f"class names must be at most {MAX_NAME_LEN} characters long")
    if names[0] == names[1]:
        raise ValueError(f"the two classes need different names; both are {names[0]!r}")
    return names


def _split(Y: np.ndarray, test_fraction, seed):
    test_fraction = v.check_probability(test_fraction, "test_fraction", open_interval=True)
    return _stratified_split(Y.ravel(), test_fraction, np.random.default_rng(seed))


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
    """Pictures (m, s, s, c) uint8 -> flattened the course's way and divided by 255."""
    s, c = imgs_train.shape[1], imgs_train.shape[3]
    return TrainingSet(
        X_train=flatten_dataset(imgs_train) / 255.0, Y_train=Y_train,
        X_test=flatten_dataset(imgs_test) / 255.0, Y_test=Y_test,
        class_names=_check_names(class_names), name=name,
        images_train=imgs_train, images_test=imgs_test,
        image_size=s, channels=c, preprocessing="resize", notes=tuple(notes),
    )


def from_cat_h5(train_x, train_y, test_x, test_y, classes) -> TrainingSet:
    """The course's cat files as read by :func:`logreg.datasets.load_cat_h5` (64 x 64 x 3 -> 12288 features)."""
    train_x, test_x = np.asarray(train_x), np.asarray(test_x)
    if train_x.ndim != 4 or train_x.shape[1] != train_x.shape[2] or train_x.shape[3] != 3:
        raise ValueError(f"the course's images must have shape (m, s, s, 3); got {train_x.shape}")
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
    it bounds the memory one upload takes (X is float64, 8 bytes per pixel value).
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


# --------------------------------------------------------------------------- training runs


@dataclass(frozen=True)
class TrainResult:
    """One run of :func:`logreg.model` on a training set, with what it means.

    Attributes
    ----------
    w : ndarray of shape (n_x, 1); b : float
    costs : list of float, recorded every ``record_every`` iterations (from iteration 0)
    record_every, num_iterations : int; learning_rate : float; init : str
    train_accuracy, test_accuracy : float, percent at threshold 0.5
    diagnosis : Diagnosis of the cost history and the final logits
    diverged : bool, True if the weights left the floating-point range (w and b are then the start values)
    """

    w: np.ndarray = field(repr=False)
    b: float
    costs: list[float] = field(repr=False)
    record_every: int
    num_iterations: int
    learning_rate: float
    init: str
    train_accuracy: float
    test_accuracy: float
    diagnosis: Diagnosis
    diverged: bool = False

    @property
    def iterations_recorded(self) -> np.ndarray:
        return np.arange(len(self.costs)) * self.record_every


def default_record_every(num_iterations: int) -> int:
    """Record often enough for a smooth curve, at most :data:`MAX_RECORDS` points."""
    return max(1, -(-int(num_iterations) // MAX_RECORDS))


def train(ts: TrainingSet, *, learning_rate, num_iterations, init="zeros", seed=0, record_every=None,
          callback=None) -> TrainResult:
    """Run the course's ``model`` on ``ts`` and read the outcome.

    Parameters
    ----------
    ts : TrainingSet
    learning_rate : float > 0 (keyword-only)
    num_iterations : int > 0 (keyword-only)
    init : {"zeros", "random"}, default="zeros" (keyword-only)
    seed : int, default=0 (keyword-only), for ``init="random"``
    record_every : int or None (keyword-only), default :func:`default_record_every`
    callback : callable(iteration, cost) or None (keyword-only), live progress

    Returns
    -------
    TrainResult
        A run whose weights overflow is not an exception: it comes back with ``diverged=True``,
        the costs recorded until then, and a diagnosis that says to lower the learning rate.
    """
    if record_every is None:
        record_every = default_record_every(v.check_positive_int(num_iterations, "num_iterations"))
    seen: list[float] = []

    def record(i, c):
        seen.append(c)
        if callback is not None:
            callback(i, c)

    try:
        with np.errstate(over="ignore", invalid="ignore"):
            d = model(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, num_iterations, learning_rate,
                      init=init, seed=seed, record_every=record_every, callback=record)
            Z = d["w"].T @ ts.X_train + d["b"]
        if not (np.isfinite(Z).all() and np.isfinite(d["costs"]).all()):
            raise FloatingPointError("z = w^T x + b left the floating-point range")
    except FloatingPointError:
        w0 = np.zeros((ts.n_x, 1))
        finite = [c for c in seen if np.isfinite(c)]
        return TrainResult(
            w=w0, b=0.0, costs=finite, record_every=record_every, num_iterations=int(num_iterations),
            learning_rate=float(learning_rate), init=init, train_accuracy=float("nan"), test_accuracy=float("nan"),
            diagnosis=Diagnosis("diverging", f"w and z = wᵀx + b grew past the floating-point range (α = {learning_rate:g}): "
                                "every step overshot further than the last. Lower the learning rate (try a tenth)."),
            diverged=True,
        )
    return TrainResult(
        w=d["w"], b=float(d["b"]), costs=[float(c) for c in d["costs"]], record_every=record_every,
        num_iterations=int(num_iterations), learning_rate=float(learning_rate), init=init,
        train_accuracy=d["train_accuracy"], test_accuracy=d["test_accuracy"], diagnosis=diagnose(d["costs"], Z=Z),
    )


def parse_rates(rates) -> list[float]:
    """Distinct learning rates, each > 0 and finite, at most :data:`MAX_RATES`, largest first."""
    out = sorted({v.check_positive_float(r, "each learning rate", maximum=1e4) for r in rates}, reverse=True)
    if not out:
        raise ValueError("choose at least one learning rate to compare")
    if len(out) > MAX_RATES:
        raise ValueError(f"compare at most {MAX_RATES} learning rates at once; got {len(out)}")
    return out


def compare_learning_rates(ts: TrainingSet, rates, *, num_iterations=1500, record_every=None, init="zeros", seed=0,
                           callback=None) -> list[TrainResult]:
    """Train once per learning rate from the same start (the course's comparison: 0.01, 0.001, 0.0001).

    ``callback(k, n)`` is called after run k of n, for a progress bar.
    """
    rates = parse_rates(rates)
    out = []
    for k, rate in enumerate(rates):
        out.append(train(ts, learning_rate=rate, num_iterations=num_iterations, record_every=record_every,
                         init=init, seed=seed))
        if callback is not None:
            callback(k + 1, len(rates))
    return out


# --------------------------------------------------------------------------- reading a result


def confusion_matrix(Y_prediction, Y) -> np.ndarray:
    """Counts ``C[true, predicted]`` for labels 0 and 1: ``[[TN, FP], [FN, TP]]``."""
    Y_prediction = v.as_float_array(Y_prediction, "Y_prediction").ravel()
    Y = v.as_float_array(Y, "Y").ravel()
    if Y_prediction.shape != Y.shape:
        raise ValueError(f"Y_prediction has {Y_prediction.size} labels but Y has {Y.size}")
    C = np.zeros((2, 2), dtype=np.int64)
    np.add.at(C, (Y.astype(np.int64), Y_prediction.astype(np.int64)), 1)
    return C


@dataclass(frozen=True)
class Evaluation:
    """Predictions of (w, b) on one part of a training set at a threshold."""

    y_hat: np.ndarray = field(repr=False)  # (1, m) probabilities
    Y_prediction: np.ndarray = field(repr=False)  # (1, m) 0.0/1.0
    accuracy: float  # percent
    confusion: np.ndarray  # (2, 2)

    def mistakes(self, Y, limit=None) -> np.ndarray:
        """Indices of the misclassified examples, the most confident mistakes first."""
        Y = np.asarray(Y).ravel()
        wrong = np.flatnonzero(self.Y_prediction.ravel() != Y)
        confidence = np.abs(self.y_hat.ravel()[wrong] - 0.5)
        wrong = wrong[np.argsort(-confidence, kind="stable")]
        return wrong if limit is None else wrong[:limit]


def evaluate(w, b, X, Y, threshold=0.5) -> Evaluation:
    """ŷ, the 0/1 predictions at ``threshold``, the accuracy and the confusion matrix of (w, b) on (X, Y)."""
    Y_prediction = predict(w, b, X, threshold)
    y_hat = sigmoid(np.asarray(w).T @ np.asarray(X, dtype=np.float64) + float(b))
    return Evaluation(y_hat=y_hat, Y_prediction=Y_prediction, accuracy=accuracy(Y_prediction, Y),
                      confusion=confusion_matrix(Y_prediction, Y))


def probability_grid(w, b, X, *, n=80, margin=0.5):
    """σ(w₁x₁ + w₂x₂ + b) over a grid covering the 2-D points ``X (2, m)`` plus ``margin``.

    Returns
    -------
    x1 : ndarray of shape (n,); x2 : ndarray of shape (n,); P : ndarray of shape (n, n), P[i, j] at (x1[j], x2[i])
    """
    X = v.check_X(X, n_x=2)
    w = v.check_w(w, 2)
    n = v.check_positive_int(n, "n", maximum=400)
    lo, hi = X.min(axis=1) - margin, X.max(axis=1) + margin
    x1, x2 = np.linspace(lo[0], hi[0], n), np.linspace(lo[1], hi[1], n)
    G1, G2 = np.meshgrid(x1, x2)
    P = sigmoid(w[0, 0] * G1 + w[1, 0] * G2 + float(b))
    return x1, x2, P


def decision_line(w, b, x1_range, x2_range):
    """End points of the line wᵀx + b = 0 inside the box, or None if w = 0 (no boundary).

    Returns
    -------
    (x1 : ndarray of shape (2,), x2 : ndarray of shape (2,)) or None
    """
    w = v.check_w(w, 2).ravel()
    b = float(b)
    (a1, a2), (c1, c2) = x1_range, x2_range
    if abs(w[1]) >= abs(w[0]):
        if w[1] == 0:
            return None
        x1 = np.array([a1, a2], dtype=float)
        return x1, -(w[0] * x1 + b) / w[1]
    x2 = np.array([c1, c2], dtype=float)
    return -(w[1] * x2 + b) / w[0], x2


def costs_csv(result: TrainResult) -> str:
    """The cost history as CSV text: ``iteration,cost`` then one line per recorded cost."""
    buf = io.StringIO()
    buf.write("iteration,cost\n")
    for i, c in zip(result.iterations_recorded, result.costs, strict=True):
        buf.write(f"{int(i)},{c:.10g}\n")
    return buf.getvalue()


def model_file_bytes(ts: TrainingSet, result: TrainResult, *, threshold=0.5) -> bytes:
    """The trained model as a pickle-free ``.npz`` with its preprocessing, for the classify page."""
    if not ts.is_image:
        raise ValueError("model files hold picture models (the classify page needs an image size); "
                         "this training set is 2-D points")
    if result.diverged:
        raise ValueError("this run diverged; there is no model to save")
    threshold = v.check_probability(threshold, "threshold")
    info = {"task": ts.name, "learning_rate": result.learning_rate, "num_iterations": result.num_iterations,
            "init": result.init, "train_accuracy": result.train_accuracy, "test_accuracy": result.test_accuracy,
            "threshold": threshold, "m_train": int(ts.X_train.shape[1])}
    return save_model(result.w, result.b, image_size=ts.image_size, channels=ts.channels, class_names=ts.class_names,
                      preprocessing=ts.preprocessing, info=info)


def model_file(ts: TrainingSet, result: TrainResult, *, threshold=0.5) -> ModelFile:
    """The trained model as the classify page reads it (through the file format, so it is checked the same way)."""
    return load_model(model_file_bytes(ts, result, threshold=threshold))


"""One picture through a trained neuron: the preprocessing it was trained with, z, y_hat, and why.

Pure NumPy (+ the Pillow steps in :mod:`logreg.images`). Used by the Classify page:
the page decodes the file, calls :func:`classify_image`, and draws what comes back.

For one example ``x`` of shape (n_x, 1) the neuron computes

    z = w^T x + b = sum_i w_i x_i + b,        y_hat = sigma(z),

so each pixel's share of ``z`` is ``w_i * x_i`` (the contribution map ``w * x``):
the neuron is a template matcher, and ``w`` is the template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from . import datasets, images, novelty
from .activations import sigmoid
from .classnames import class_text
from .modelio import ModelFile, load_model, save_model
from .neuron import model as train_model

#: The default model's task: "is it a 0?" (a ring is easy to write and its template is easy to see).
DEFAULT_POSITIVE = 0


@dataclass(frozen=True)
class Classification:
    """What one neuron did with one picture.

    Attributes
    ----------
    stages : list of (name, ndarray uint8), the picture after each preprocessing step;
        the first is the picture given, the last is ``model_input``
    model_input : ndarray of shape (image_size, image_size, channels), uint8
    x : ndarray of shape (n_x, 1), float64, ``image_to_column(model_input) / scaling``
    z : float, ``w^T x + b``
    y_hat : float, ``sigma(z)``, the probability of class 1
    contributions : ndarray of shape (n_x, 1), ``w * x`` (sums to ``z - b``)
    b : float, the bias
    """

    stages: list = field(repr=False)
    model_input: np.ndarray = field(repr=False)
    x: np.ndarray = field(repr=False)
    z: float
    y_hat: float
    contributions: np.ndarray = field(repr=False)
    b: float

    @property
    def positive_sum(self) -> float:
        """Sum of the contributions that push z up (towards class 1)."""
        c = self.contributions
        return float(c[c > 0].sum())

    @property
    def negative_sum(self) -> float:
        """Sum of the contributions that push z down (towards class 0), a number <= 0."""
        c = self.contributions
        return float(c[c < 0].sum())


def _as_model_shape(img, model: ModelFile) -> np.ndarray:
    """An image already of the model's size -> (size, size, channels) uint8, else ValueError."""
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = arr[..., None]
    s, c = model.image_size, model.channels
    if arr.shape[:2] != (s, s) or arr.shape[2] not in (1, 3):
        raise ValueError(f"a preprocessed example must have shape ({s}, {s}, {c}); got {np.asarray(img).shape}")
    if arr.shape[2] != c:
        arr = images.to_model_input(arr[..., 0] if arr.shape[2] == 1 else arr, s, c)
    return images.check_image(arr).reshape(s, s, c)


def preprocess_stages(model: ModelFile, img, *, preprocessed=False) -> list[tuple[str, np.ndarray]]:
    """The picture after each step of the preprocessing ``model`` was trained with.

    Parameters
    ----------
    model : ModelFile
    img : ndarray of shape (h, w) or (h, w, 3), uint8, the decoded picture
    preprocessed : bool, default=False (keyword-only)
        True for an example from the model's own test set, which is already in
        the model's input format and goes in as it is.

    Returns
    -------
    list of (name, ndarray uint8); the last has shape (image_size, image_size, channels)

    Raises
    ------
    ImageError
        if the picture cannot be used (e.g. a blank picture for a digits model).
    """
    if preprocessed:
        return [("test-set example, already preprocessed", _as_model_shape(img, model))]
    img = images.check_image(img)
    stages: list[tuple[str, np.ndarray]] = [("original", img)]
    s, c = model.image_size, model.channels
    if model.preprocessing == "mnist":
        steps = images.mnist_stages(img)
        # mnist_stages starts with the grey picture; keep every later step, the last as (28, 28, 1)
        stages += steps[:-1]
        name, last = steps[-1]
        stages.append((name, last[..., None]))
        return stages
    h, w = img.shape[:2]
    if h != w:
        stages.append((f"centre-cropped to {min(h, w)} x {min(h, w)}", images.center_crop(img)))
    stages.append((f"resized to {s} x {s}, {'RGB' if c == 3 else 'grey'}", images.to_model_input(img, s, c)))
    return stages


def classify_image(model: ModelFile, img, *, preprocessed=False) -> Classification:
    """Preprocess ``img`` as ``model`` expects, flatten, scale, and run the neuron.

    Parameters
    ----------
    model : ModelFile, with ``w`` of shape (n_x, 1) and ``b``
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    preprocessed : bool, default=False (keyword-only), see :func:`preprocess_stages`

    Returns
    -------
    Classification
    """
    stages = preprocess_stages(model, img, preprocessed=preprocessed)
    model_input = stages[-1][1]
    x = images.image_to_column(model_input).astype(np.float64) / model.scaling  # (n_x, 1) in [0, 1]
    w, b = model.w, model.b
    z = float((w.T @ x)[0, 0] + b)  # z = w^T x + b
    y_hat = float(sigmoid(z))  # y_hat = sigma(z)
    return Classification(stages=stages, model_input=model_input, x=x, z=z, y_hat=y_hat,
                          contributions=w * x, b=float(b))


def decide(y_hat, threshold=0.5) -> int:
    """The decision rule: class 1 if ``y_hat > threshold``, else class 0 (as :func:`logreg.predict`)."""
    threshold = v.check_probability(threshold, "threshold")
    return int(float(y_hat) > threshold)


def novelty_of(model: ModelFile, result: Classification) -> novelty.Novelty | None:
    """How unlike the model's training inputs the input ``result.x`` is (:func:`logreg.novelty.assess`).

    None when the model carries no statistics of its training inputs (a file saved before they were stored).
    (Its scaling is always 255: :func:`logreg.modelio.load_model` refuses any other.)
    """
    if model.novelty is None:
        return None
    return novelty.assess(result.x, model.novelty)


def flip_threshold(y_hat, *, step=0.01, highest=0.99) -> float | None:
    """The lowest threshold on a slider of ``step`` at which ``y_hat`` is decided 0 (``y_hat <= threshold``),
    or None if even ``highest`` is below ``y_hat``."""
    t = round(float(np.ceil(round(float(y_hat) / step, 9)) * step), 10)
    return t if t <= highest else None


@dataclass(frozen=True)
class ThresholdLesson:
    """One test example decided 1 though it is a 0-label example, the threshold that makes it right, and the
    label-1 examples that same threshold makes wrong (the trade the threshold makes)."""

    example: int
    y_hat: float
    threshold: float
    turned_wrong: list[int]
    y_hats: np.ndarray = field(repr=False)


def threshold_lesson(model: ModelFile, X_test, Y_test, example: int, *, step=0.01) -> ThresholdLesson | None:
    """What raising the threshold does to test example ``example`` and to the rest of the test set.

    None if that example is not a label-0 example decided 1 at threshold 0.5, or no threshold on the slider
    turns it right.
    """
    A = sigmoid(model.w.T @ np.asarray(X_test, dtype=np.float64) + model.b)[0]
    Y = np.asarray(Y_test).reshape(-1)
    if not 0 <= example < A.size or Y[example] != 0 or decide(A[example]) != 1:
        return None
    t = flip_threshold(A[example], step=step)
    if t is None:
        return None
    wrong = [int(j) for j in np.flatnonzero((Y == 1) & (A > 0.5) & (A <= t))]
    return ThresholdLesson(example=int(example), y_hat=float(A[example]), threshold=t, turned_wrong=wrong, y_hats=A)



def lesson_text(lesson: ThresholdLesson | None, names: tuple[str, str], digits) -> str:
    """The Classify page's "Try this" for ``lesson``, every number computed from the model.

    ``names`` are the two classes as shown ("a digit other than 0 (label 0)", "digit 0 (label 1)"), ``digits``
    the digit drawn in each test example.
    """
    tail = ("Then write a 0 on paper, take a webcam picture, and compare w ⊙ x with w: which strokes voted for the "
            "0, and which against?")
    if lesson is None:
        return "with the default model, move the threshold and watch the verdict move while z stays. " + tail
    then = ""
    if lesson.turned_wrong:
        k, n = lesson.turned_wrong[0], len(lesson.turned_wrong)
        others = "the only real 0 of the test set that does" if n == 1 else f"one of {n} real 0s of the test set"
        then = (f" Then look at example {k} (a real 0, ŷ = {lesson.y_hats[k]:.4f}) at that threshold: it turns "
                f"wrong, {others}.")
    return (f"with the default model, open test example {lesson.example} (a {int(digits[lesson.example])} that the "
            f"neuron finds rather 0-like: ŷ = {lesson.y_hat:.4f}, so at threshold 0.50 it is called {names[1]}, "
            f"wrong) and raise the threshold until the verdict turns right: from {lesson.threshold:.2f} on it is "
            f"{names[0]}.{then} The verdict moves, the evidence z does not: the threshold trades one kind of mistake "
            "for the other. " + tail)

@dataclass(frozen=True)
class DefaultModel:
    """The bundled-digits model: the model file, its task and its accuracies."""

    model: ModelFile
    task: datasets.DigitsTask = field(repr=False)
    train_accuracy: float
    test_accuracy: float
    num_iterations: int
    learning_rate: float


def train_digits_model(positive=DEFAULT_POSITIVE, negatives=None, *, num_iterations=1000, learning_rate=0.5,
                       max_per_class=500, seed=0) -> DefaultModel:
    """Train "is it a ``positive``?" on the bundled MNIST digits, as a model file with MNIST preprocessing.

    Parameters
    ----------
    positive : int, default=DEFAULT_POSITIVE, the digit labelled 1
    negatives : iterable of int or None, default=None (every other digit)
    num_iterations, learning_rate : gradient descent settings (keyword-only)
    max_per_class : int, default=500 (keyword-only), balances the two classes and keeps training fast
    seed : int, default=0 (keyword-only)

    Returns
    -------
    DefaultModel
    """
    task = datasets.digits_task(positive, negatives, max_per_class=max_per_class, seed=seed)
    d = train_model(task.X_train, task.Y_train, task.X_test, task.Y_test, num_iterations=num_iterations,
                    learning_rate=learning_rate)
    names = [class_text(task.class_names, k, digits=True) for k in (1, 0)]
    info = {"task": f"{names[0]} vs {names[1]}", "train_accuracy": d["train_accuracy"],
            "test_accuracy": d["test_accuracy"], "num_iterations": num_iterations, "learning_rate": learning_rate,
            "m_train": int(task.X_train.shape[1])}
    # through the file format, so the default model is checked like any uploaded one
    mf = load_model(save_model(d["w"], d["b"], image_size=28, channels=1, class_names=task.class_names,
                               preprocessing="mnist", info=info, novelty=novelty.fit(task.X_train)))
    return DefaultModel(model=mf, task=task, train_accuracy=d["train_accuracy"], test_accuracy=d["test_accuracy"],
                        num_iterations=num_iterations, learning_rate=learning_rate)

"""Reading a trained (w, b): predictions, confusion matrix, mistakes, the probability over the plane,
the cost history as CSV and the model file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from . import novelty
from .activations import sigmoid
from .modelio import ModelFile, load_model, save_model
from .neuron import accuracy, check_wbXY
from .runs import TrainResult
from .trainsets import TrainingSet


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
        """Indices of the misclassified examples, the most confident mistakes first: largest |ŷ - y| first.

        |ŷ - y| is the probability the neuron gave the wrong class (the same order as each example's loss),
        whatever the threshold: at threshold 0.9, ŷ = 0.89 on a label 1 is a close call (0.11), ŷ = 0.2 on a
        label 1 a confident mistake (0.8).
        """
        Y = np.asarray(Y).ravel()
        wrong = np.flatnonzero(self.Y_prediction.ravel() != Y)
        how_wrong = np.abs(self.y_hat.ravel()[wrong] - Y[wrong])
        wrong = wrong[np.argsort(-how_wrong, kind="stable")]
        return wrong if limit is None else wrong[:limit]


def evaluate(w, b, X, Y, threshold=0.5) -> Evaluation:
    """ŷ, the 0/1 predictions at ``threshold``, the accuracy and the confusion matrix of (w, b) on (X, Y).

    The inputs are checked once; ŷ = σ(wᵀX + b) is computed once and decided as :func:`logreg.predict` does.
    """
    w, b, X, Y = check_wbXY(w, b, X, Y)
    return decide(sigmoid(w.T @ X + b), Y, threshold)


def decide(y_hat, Y, threshold=0.5) -> Evaluation:
    """:func:`evaluate` from ŷ already computed (a trained run keeps it): only the threshold is applied.

    Parameters
    ----------
    y_hat : ndarray of shape (1, m), probabilities; Y : ndarray of shape (1, m), 0/1; threshold : float in [0, 1]
    """
    y_hat = v.as_float_array(y_hat, "y_hat")
    Y = v.check_Y(Y, y_hat.shape[-1])
    threshold = v.check_probability(threshold, "threshold")
    Y_prediction = (y_hat > threshold).astype(np.float64)
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
    """The trained model as a pickle-free ``.npz`` with its preprocessing, for the classify page, and the
    statistics of its training inputs (Classify's "unlike the training pictures" hint, :mod:`logreg.novelty`)."""
    if not ts.is_image:
        raise ValueError("model files hold picture models (the classify page needs an image size); "
                         "this training set is 2-D points")
    if result.diverged:
        raise ValueError("this run diverged; there is no model to save")
    threshold = v.check_probability(threshold, "threshold")
    info = {"task": ts.name, "learning_rate": result.learning_rate, "num_iterations": result.num_iterations,
            "init": result.init, "train_accuracy": result.train_accuracy, "test_accuracy": result.test_accuracy,
            "threshold": threshold, "m_train": int(ts.X_train.shape[1])}
    try:
        stats = novelty.fit(ts.X_train)
    except ValueError:  # fewer than two pictures, or all alike: nothing to compare a new picture with
        stats = None
    return save_model(result.w, result.b, image_size=ts.image_size, channels=ts.channels, class_names=ts.class_names,
                      preprocessing=ts.preprocessing, info=info, novelty=stats)


def model_file(ts: TrainingSet, result: TrainResult, *, threshold=0.5) -> ModelFile:
    """The trained model as the classify page reads it (through the file format, so it is checked the same way)."""
    return load_model(model_file_bytes(ts, result, threshold=threshold))

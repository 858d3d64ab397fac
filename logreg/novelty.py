"""Is a picture far from what the model was trained on? A simple, explained "out of its training data" hint.

A one-neuron model answers every input, even a photo of a house given to a digit model. This module
says when an input looks nothing like the training inputs, from statistics stored with the model.

The measure
-----------
The model sees an input as the column ``x`` (values in [0, 1], after the model's own preprocessing).
Five plain statistics describe it:

- ``brightness``: the mean of ``x``;
- ``lit share``: the share of values above 0.1 (how much of the picture is not dark);
- ``lit strength``: the mean of those lit values (strong strokes, or a faint smear?);
- ``contrast``: the standard deviation of ``x``;
- ``distance``: ``||x - mean training input||``, in units of the training inputs' median distance.

For each, the training inputs give a mean and a standard deviation, and a new input gets a z-score
(how many standard deviations it lies from the training mean). The *score* is the largest |z|. The hint
is raised when the score passes a limit set from the training set: 1.5 times the largest score any
training input has, and at least 6.

Why not the distance alone, or principal components? Measured on the bundled digits: after the MNIST
preprocessing (crop to the ink, scale, centre) a photo becomes a faint smear that is *closer* to the
mean digit, and better explained by the digits' top principal directions, than many real digits are.
What gives it away is that its lit pixels are faint (``lit strength`` about 9 standard deviations
below the digits'), where every digit is drawn with strong strokes. A hint, not a proof: an input can
pass every statistic and still be unlike the training set.

What a model file needs to store: :meth:`NoveltyStats.to_arrays` (``n_x + 12`` numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate as v

FEATURES = ("brightness", "lit share", "lit strength", "contrast", "distance")
#: A value above this counts as lit (inputs are in [0, 1]).
LIT = 0.1
#: The hint's limit is this many times the largest training score ...
LIMIT_FACTOR = 1.5
#: ... and never below this many standard deviations.
MIN_LIMIT = 6.0
#: The smallest deviation kept for a statistic (one that never varies in training: any change is unusual).
MIN_STD = 1e-6
#: Largest feature mean or deviation accepted from a file (real ones are at most a few units).
MAX_FEATURE = 1e3
#: The measure in a few words, for the page that shows the hint.
EXPLANATION = (
    "A single neuron answers every input, even a photo of a house given to a digit model. To say when an input is "
    "far from its training data, the model keeps five statistics of its training inputs $x$: brightness (mean of "
    "$x$), lit share (share of values above 0.1), lit strength (mean of those lit values), contrast (standard "
    "deviation of $x$) and distance from the mean training input. A new input gets a z-score for each (how many "
    "standard deviations it lies from the training mean); the hint appears when the largest passes a limit set from "
    "the training set (1.5 × the largest any training input reaches, and at least 6). A hint, not a proof: an input "
    "can pass every statistic and still be unlike the training pictures."
)


@dataclass(frozen=True)
class NoveltyStats:
    """What is kept from the training inputs. ``mean_input`` has shape (n_x, 1); the feature arrays (5,)."""

    mean_input: np.ndarray
    typical_distance: float
    feature_mean: np.ndarray
    feature_std: np.ndarray
    limit: float
    largest_training_score: float

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The statistics as named arrays, to save beside a model's ``w`` and ``b`` (e.g. in its .npz)."""
        return {
            "novelty_mean_input": self.mean_input.astype(np.float32),
            "novelty_scalars": np.array([self.typical_distance, self.limit, self.largest_training_score]),
            "novelty_feature_mean": self.feature_mean.copy(),
            "novelty_feature_std": self.feature_std.copy(),
        }

    @classmethod
    def from_arrays(cls, arrays, n_x: int | None = None) -> NoveltyStats:
        """Read :meth:`to_arrays`' output back (from a model file), checking shapes and values.

        Every number must be one :func:`fit` can produce: ``mean_input`` in [0, 1], a positive typical
        distance of at most ``sqrt(n_x)`` (the farthest two inputs in [0, 1] can be), deviations of at least
        1e-6 and feature means and deviations within ±:data:`MAX_FEATURE`, a limit of at least
        :data:`MIN_LIMIT`; so :func:`assess` always computes finite z-scores.
        """
        try:
            mean = v.as_float_array(arrays["novelty_mean_input"], "novelty_mean_input")
            scalars = v.as_float_array(arrays["novelty_scalars"], "novelty_scalars")
            fmean = v.as_float_array(arrays["novelty_feature_mean"], "novelty_feature_mean")
            fstd = v.as_float_array(arrays["novelty_feature_std"], "novelty_feature_std")
        except KeyError as exc:
            raise ValueError(f"the novelty statistics lack {exc.args[0]!r}") from None
        if mean.ndim != 2 or mean.shape[1] != 1 or (n_x is not None and mean.shape[0] != n_x):
            raise ValueError(f"novelty_mean_input must have shape (n_x, 1){f' with n_x={n_x}' if n_x else ''}; "
                             f"got {mean.shape}")
        if scalars.shape != (3,) or fmean.shape != (len(FEATURES),) or fstd.shape != (len(FEATURES),):
            raise ValueError(f"novelty statistics must hold 3 scalars and {len(FEATURES)} feature means and "
                             f"deviations; got shapes {scalars.shape}, {fmean.shape}, {fstd.shape}")
        if mean.size == 0 or mean.min() < 0 or mean.max() > 1:
            raise ValueError("novelty_mean_input must hold a mean input in [0, 1]")
        typical, limit, largest = (float(s) for s in scalars)
        if not (0 < typical <= np.sqrt(mean.shape[0]) + 1e-9):
            raise ValueError("novelty statistics must have a positive typical distance of at most sqrt(n_x)")
        if np.any(fstd < MIN_STD) or np.any(np.abs(fstd) > MAX_FEATURE) or np.any(np.abs(fmean) > MAX_FEATURE):
            raise ValueError(f"novelty statistics must have positive deviations (at least {MIN_STD:g}) and feature "
                             f"means and deviations within ±{MAX_FEATURE:g}")
        if not (MIN_LIMIT <= limit <= MAX_FEATURE / MIN_STD and 0 <= largest <= limit):
            raise ValueError(f"the novelty limit must lie between {MIN_LIMIT:g} and {MAX_FEATURE / MIN_STD:g} and "
                             "the largest training score between 0 and the limit")
        return cls(mean, typical, fmean, fstd, limit, largest)


@dataclass(frozen=True)
class Novelty:
    """How one input compares with the training inputs."""

    score: float  # the largest |z|
    z: dict  # feature name -> z-score
    values: dict  # feature name -> the input's value
    worst: str  # the feature with the largest |z|
    unusual: bool  # score > limit
    message: str


def _check_inputs(X, name="X") -> np.ndarray:
    X = v.as_float_array(X, name)
    if X.ndim != 2 or 0 in X.shape:
        raise ValueError(f"{name} must have shape (n_x, m) with one input per column; got {X.shape}")
    if X.min() < -1e-9 or X.max() > 1 + 1e-9:
        raise ValueError(f"{name} must hold inputs scaled to [0, 1] (pixels / 255); got values in "
                         f"[{X.min():.3g}, {X.max():.3g}]")
    return X


def features(X, mean_input, typical_distance) -> np.ndarray:
    """The five statistics of each input: an array of shape (5, m), rows in the order of :data:`FEATURES`."""
    lit = X > LIT
    n_lit = lit.sum(axis=0)
    strength = np.where(n_lit > 0, (X * lit).sum(axis=0) / np.maximum(n_lit, 1), 0.0)
    distance = np.linalg.norm(X - mean_input, axis=0) / typical_distance
    return np.vstack([X.mean(axis=0), lit.mean(axis=0), strength, X.std(axis=0), distance])


def fit(X) -> NoveltyStats:
    """Statistics of the training inputs ``X`` of shape (n_x, m), values in [0, 1], m >= 2."""
    X = _check_inputs(X)
    if X.shape[1] < 2:
        raise ValueError(f"at least 2 training inputs are needed; got {X.shape[1]}")
    mean = X.mean(axis=1, keepdims=True)
    typical = float(np.median(np.linalg.norm(X - mean, axis=0)))
    if typical <= 0:
        raise ValueError("the training inputs are all the same; there is no spread to compare with")
    F = features(X, mean, typical)
    fmean = F.mean(axis=1)
    fstd = np.maximum(F.std(axis=1), MIN_STD)
    largest = float(np.max(np.abs((F - fmean[:, None]) / fstd[:, None])))
    return NoveltyStats(mean, typical, fmean, fstd, max(MIN_LIMIT, LIMIT_FACTOR * largest), largest)


def assess(x, stats: NoveltyStats) -> Novelty:
    """Compare one input ``x`` of shape (n_x, 1), in [0, 1], with the training inputs' statistics."""
    x = _check_inputs(x, "x")
    if x.shape != stats.mean_input.shape:
        raise ValueError(f"x must have shape {stats.mean_input.shape} like the training inputs; got {x.shape}")
    f = features(x, stats.mean_input, stats.typical_distance)[:, 0]
    z = (f - stats.feature_mean) / stats.feature_std
    k = int(np.argmax(np.abs(z)))
    score, worst = float(abs(z[k])), FEATURES[k]
    unusual = score > stats.limit
    side = "above" if z[k] > 0 else "below"
    if unusual:
        message = (f"This input is unlike the pictures the model was trained on: its {worst} is {f[k]:.3g}, "
                   f"{score:.1f} standard deviations {side} theirs ({stats.feature_mean[k]:.3g} on average; no "
                   f"training picture is more than {stats.largest_training_score:.1f} away). The neuron still "
                   "answers, but its answer says little about a picture like this.")
    elif score > stats.largest_training_score:
        message = (f"This input is further out than any training picture, but not enough for the hint: its most "
                   f"unusual statistic, {worst}, is {score:.1f} standard deviations from theirs (no training picture "
                   f"is more than {stats.largest_training_score:.1f} away; the hint starts at {stats.limit:.1f}).")
    else:
        message = (f"This input is within the range of the training pictures: its most unusual statistic, "
                   f"{worst}, is {score:.1f} standard deviations from theirs (the hint starts at {stats.limit:.1f}).")
    return Novelty(score, dict(zip(FEATURES, z.tolist(), strict=True)), dict(zip(FEATURES, f.tolist(), strict=True)),
                   worst, unusual, message)

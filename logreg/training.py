"""Training sets, runs and their evaluation for the Train page, one import for the page.

- :mod:`logreg.trainsets` -- :class:`TrainingSet` and its builders (digits, 2-D points, the course's
  cat files, your own pictures), with a seeded stratified split;
- :mod:`logreg.runs` -- :func:`train` and :func:`compare_learning_rates` (the course's ``model``);
- :mod:`logreg.evaluation` -- confusion matrix, mistakes, the probability over the plane, the cost
  history as CSV and the model file.
"""

from __future__ import annotations

from .evaluation import (
    Evaluation,
    confusion_matrix,
    costs_csv,
    decide,
    decision_line,
    evaluate,
    model_file,
    model_file_bytes,
    probability_grid,
)
from .runs import MAX_RATES, MAX_RECORDS, TrainResult, compare_learning_rates, default_record_every, parse_rates, train
from .trainsets import (
    MAX_CAT_EXAMPLES,
    MAX_IMAGES_PER_CLASS,
    TrainingSet,
    from_cat_h5,
    from_digits,
    from_image_array,
    from_images,
    from_points,
)

__all__ = [
    "MAX_CAT_EXAMPLES", "MAX_IMAGES_PER_CLASS", "MAX_RATES", "MAX_RECORDS", "Evaluation", "TrainResult", "TrainingSet",
    "compare_learning_rates", "confusion_matrix", "costs_csv", "decide", "decision_line", "default_record_every", "evaluate",
    "from_cat_h5", "from_digits", "from_image_array", "from_images", "from_points", "model_file", "model_file_bytes",
    "parse_rates", "probability_grid", "train",
]

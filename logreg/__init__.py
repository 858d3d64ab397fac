"""logreg: logistic regression as a one-neuron network, vectorized with NumPy.

Shape convention (the course's, used everywhere in this package)
-----------------------------------------------------------------
- ``X`` : ndarray of shape (n_x, m)  -- one example per column, n_x features
- ``Y`` : ndarray of shape (1, m)    -- labels 0 or 1, a row
- ``w`` : ndarray of shape (n_x, 1)  -- weights, a column
- ``b`` : float                      -- bias
- ``Z``, ``A`` : ndarray of shape (1, m) -- Z = w^T X + b, A = sigma(Z)

The public names are the course's: ``sigmoid``, ``initialize_with_zeros``,
``propagate``, ``optimize``, ``predict``, ``model``. Extras are keyword-only.
This package never imports streamlit or plotly.
"""

from . import broadcasting, datasets, diagnostics, images, modelio
from .activations import log_sigmoid, sigmoid, sigmoid_derivative, sigmoid_naive
from .gradcheck import gradient_check, numerical_gradients
from .loops import dot_loop, propagate_loop
from .losses import cost, cost_from_logits, loss, loss_from_logits, squared_error, squared_error_cost
from .neuron import (
    accuracy,
    initialize_random,
    initialize_with_zeros,
    model,
    optimize,
    predict,
    predict_proba,
    propagate,
)

__all__ = [
    "broadcasting",
    "datasets",
    "diagnostics",
    "images",
    "modelio",
    "accuracy",
    "cost",
    "cost_from_logits",
    "dot_loop",
    "gradient_check",
    "initialize_random",
    "initialize_with_zeros",
    "log_sigmoid",
    "loss",
    "loss_from_logits",
    "model",
    "numerical_gradients",
    "optimize",
    "predict",
    "predict_proba",
    "propagate",
    "propagate_loop",
    "sigmoid",
    "sigmoid_derivative",
    "sigmoid_naive",
    "squared_error",
    "squared_error_cost",
]

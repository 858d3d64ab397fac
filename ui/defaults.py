"""The default model of the Classify page: trained once per server process, shared read-only by every session.

Here rather than in the page so that the server's warm-up (:func:`ui.warm.warm_up`) can train it before the
first visitor arrives: ``st.cache_resource`` keeps one result per process, whichever caller filled it.
"""

from __future__ import annotations

import streamlit as st

from logreg import inference

#: The test example Classify's "Try this" starts from: a 3 the default model finds rather 0-like.
TRY_EXAMPLE = 26


@st.cache_resource(show_spinner="Training the default model on the bundled digits (once for everyone)…")
def default_model() -> inference.DefaultModel:
    """Trained once per server process, shared read-only by all sessions."""
    dm = inference.train_digits_model()
    dm.model.w.flags.writeable = False
    return dm


@st.cache_resource(show_spinner=False)
def default_lesson() -> inference.ThresholdLesson | None:
    """What raising the threshold does to the Try-this example, computed from the default model."""
    dm = default_model()
    return inference.threshold_lesson(dm.model, dm.task.X_test, dm.task.Y_test, TRY_EXAMPLE)

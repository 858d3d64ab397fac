"""The default model of the Classify page: trained once per server process, shared read-only by every session.

Here rather than in the page so that the server's warm-up (:func:`ui.warm.warm_up`) can train it before the
first visitor arrives: ``st.cache_resource`` keeps one result per process, whichever caller filled it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import streamlit as st

from logreg import inference

#: The test example Classify's "Try this" starts from: a 3 the default model finds rather 0-like.
TRY_EXAMPLE = 26


@st.cache_resource(show_spinner="Training the default model on the bundled digits (once for everyone)…")
def default_model() -> inference.DefaultModel:
    """Trained once per server process, shared read-only by all sessions."""
    dm = inference.train_digits_model()
    _read_only(dm.model, dm.model.novelty, dm.task)
    return dm


@st.cache_resource(show_spinner=False)
def default_lesson() -> inference.ThresholdLesson | None:
    """What raising the threshold does to the Try-this example, computed from the default model."""
    dm = default_model()
    lesson = inference.threshold_lesson(dm.model, dm.task.X_test, dm.task.Y_test, TRY_EXAMPLE)
    return _read_only(lesson)


def _read_only(*records):
    """Make the arrays in these dataclasses' fields read-only and return the first: a cached resource is one
    object handed to every session (no copy), so a write into it would change what every visitor sees."""
    for record in records:
        for f in dataclasses.fields(record) if record is not None else ():
            value = getattr(record, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
    return records[0]

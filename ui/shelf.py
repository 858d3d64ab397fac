"""This session's model shelf: the models trained or imported here, each with its test pictures.

Train puts models on it, Classify lists them. A model and its test examples are one entry, so
evicting the oldest model drops its pictures too (they can be megabytes), and the session never
holds more than :data:`MAX_MODELS` of either. Train → Classify opens the model just put on the shelf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from logreg.modelio import ModelFile

#: Models kept per session (oldest dropped first).
MAX_MODELS = 5
_SHELF = "_model_shelf"
_HANDOVER = "_model_shelf_handover"


@dataclass(frozen=True)
class Shelved:
    """One model on the shelf and, if it was trained here, its test pictures and their labels."""

    model: ModelFile
    images: np.ndarray | None = None  # (m_test, s, s) or (m_test, s, s, c), uint8
    labels: np.ndarray | None = None  # (m_test,), 0/1

    @property
    def examples(self) -> tuple[np.ndarray, np.ndarray] | None:
        return None if self.images is None else (self.images, self.labels)


def _shelf() -> dict[str, Shelved]:
    return st.session_state.setdefault(_SHELF, {})


def add(name: str, model: ModelFile, examples: tuple[np.ndarray, np.ndarray] | None = None) -> list[str]:
    """Put ``model`` (with its test ``examples`` (images, labels)) on the shelf as the newest; return evicted names.

    The next Classify run opens it (see :func:`take_handover`).
    """
    shelf = _shelf()
    shelf.pop(name, None)
    images, labels = examples if examples is not None else (None, None)
    shelf[name] = Shelved(model, images, labels)
    evicted = []
    while len(shelf) > MAX_MODELS:
        old = next(iter(shelf))
        shelf.pop(old)
        evicted.append(old)
    st.session_state[_HANDOVER] = name
    return evicted


def names() -> list[str]:
    """The shelved models' names, newest first."""
    return list(reversed(st.session_state.get(_SHELF, {})))


def get(name: str) -> Shelved | None:
    return st.session_state.get(_SHELF, {}).get(name)


def take_handover() -> str | None:
    """The name of the model put on the shelf since Classify last looked (once), if it is still there."""
    name = st.session_state.pop(_HANDOVER, None)
    return name if get(name) is not None else None

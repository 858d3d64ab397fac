"""Check yourself: questions generated from a page's state and a seed, with keys computed by ``logreg``/NumPy.

Usage::

    qs = quiz.questions("sigmoid", {"w": 1.5, "b": 0.0, "z": 2.0}, seed=7)
    quiz.grade(qs[0], "0.88")   # Verdict("right" | "wrong" | "unreadable", message)

A page passes its current controls as plain values; missing or out-of-range ones fall back to the
page's defaults. The same (page, state, seed) always gives the same questions, so a teacher's link
(page state in the URL plus a seed) shows every learner the same ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from .answers import MAX_ANSWER_CHARS, ChoiceKey, NumberKey, ShapeKey, Verdict, parse_number, parse_shape
from .answers import grade as _grade

#: Questions shown together in one "Check yourself" block.
PER_BLOCK = 3


@dataclass(frozen=True)
class Question:
    """One question: what to ask, its key, and why.

    ``prompt`` may contain LaTeX between ``$``; ``explanation`` is two short lines;
    ``section`` names the heading on the page that shows the answer.
    """

    page: str
    kind: str
    prompt: str
    key: NumberKey | ShapeKey | ChoiceKey
    explanation: tuple[str, str]
    section: str
    params: dict = field(default_factory=dict, compare=False)

    @property
    def answer_type(self) -> str:
        return self.key.kind

    @property
    def qid(self) -> str:
        """A short, stable id: the same question gets the same id in every session.

        Two questions share an id only when a learner is asked the same thing: the same prompt, the same options
        (in any order) with the same one right, the same key, explanation and pointer. The block shows a question
        whose id was answered as answered, so the prompt alone is not enough: ``steeper`` and ``best_alpha`` ask
        one prompt of different options."""
        key = (tuple(sorted(self.key.options)), self.key.shown()) if isinstance(self.key, ChoiceKey) else repr(self.key)
        asked = (self.page, self.kind, self.prompt, key, self.explanation, self.section)
        return hashlib.sha1(repr(asked).encode()).hexdigest()[:10]


def _registry():
    from . import arrays, concepts, train

    return {**concepts.GENERATORS, **arrays.GENERATORS, **train.GENERATORS}


def kinds(page: str) -> list[str]:
    """The question kinds available on ``page``, in a fixed order."""
    gens = _registry()
    if page not in gens:
        raise ValueError(f"no questions for page {page!r}; pages: {', '.join(PAGES)}")
    return list(gens[page])


def make(page: str, kind: str, state: dict | None, rng: np.random.Generator) -> Question:
    """One question of ``kind`` for ``page``, its numbers drawn from ``rng`` around ``state``."""
    gens = _registry()
    if page not in gens or kind not in gens[page]:
        raise ValueError(f"unknown question kind {kind!r} for page {page!r}")
    return gens[page][kind](dict(state or {}), rng)


def questions(page: str, state: dict | None, seed: int, n: int = PER_BLOCK) -> list[Question]:
    """``n`` questions of different kinds for ``page``, fully determined by ``state`` and ``seed``."""
    names = kinds(page)
    rng = np.random.default_rng([abs(int(seed)), PAGES.index(page)])
    order = rng.permutation(len(names))[: max(1, min(n, len(names)))]
    return [make(page, names[i], state, rng) for i in order]


def grade(question: Question, text) -> Verdict:
    """Grade a learner's typed or chosen answer; never raises."""
    return _grade(question.key, text)


PAGES = ("sigmoid", "loss", "backprop", "vectorization", "broadcasting", "images", "train")

__all__ = [
    "MAX_ANSWER_CHARS",
    "PAGES",
    "PER_BLOCK",
    "ChoiceKey",
    "NumberKey",
    "Question",
    "ShapeKey",
    "Verdict",
    "grade",
    "kinds",
    "make",
    "parse_number",
    "parse_shape",
    "questions",
]

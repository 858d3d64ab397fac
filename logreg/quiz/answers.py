"""Answer keys and a strict parser for typed answers (numbers, shapes, choices); nothing is ever evaluated.

Every key is one of three classes, and a learner's text is graded against it:

- :class:`NumberKey` : a number, right within a stated absolute tolerance;
- :class:`ShapeKey` : an array shape, or ``None`` for "NumPy raises an error";
- :class:`ChoiceKey` : one option out of a few.

Text that cannot be read (empty, too long, not a number or shape) is neither right nor wrong:
the verdict says so and the question stays open.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from .. import broadcasting

#: Longest answer read; anything longer is refused before any parsing.
MAX_ANSWER_CHARS = 64
#: Shapes larger than this in any dimension (or with more dimensions) are not read.
MAX_SHAPE_DIMS = 6
MAX_SHAPE_SIZE = 10**9

_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d{1,3})?$", re.ASCII)
# Thousands grouping: the first group starts with 1-9 ("0,375" is a decimal comma, never a grouping).
_THOUSANDS_RE = re.compile(r"^[+-]?[1-9]\d{0,2}(?:([, _])\d{3})(?:\1\d{3})*(?:\.\d+)?$", re.ASCII)
# One comma, three digits after it, no point: 1,609 is 1609 in English and 1.609 in much of Europe.
_AMBIGUOUS_COMMA_RE = re.compile(r"^[+-]?[1-9]\d{0,2},\d{3}$", re.ASCII)
#: Keys at least this large read an ambiguous "d,ddd" as thousands; smaller ones cannot tell, so ask again.
AMBIGUOUS_BELOW = 1000
_ERROR_WORDS = {"error", "an error", "valueerror", "it fails", "fails", "raises an error", "raises"}


@dataclass(frozen=True)
class Verdict:
    """The outcome of grading one answer: ``status`` is "right", "wrong" or "unreadable"."""

    status: str
    message: str
    answer: object = None  # the parsed answer (float, shape tuple, "error" or an option), when readable

    @property
    def readable(self) -> bool:
        return self.status != "unreadable"

    @property
    def right(self) -> bool:
        return self.status == "right"


def _normalise(text) -> str | None:
    """NFKC-folded, lower-case, trimmed text with the usual typographic variants mapped; None if too long."""
    if not isinstance(text, str) or len(text) > MAX_ANSWER_CHARS:
        return None
    t = unicodedata.normalize("NFKC", text).strip().lower()
    for a, b in (("\u2212", "-"), ("\u2013", "-"), ("\u00d7", "x"), ("\u2715", "x"), ("*", "x")):
        t = t.replace(a, b)
    return t


def parse_number(text) -> float | None:
    """A decimal number such as ``0.62``, ``-3``, ``.5``, ``1e-3``, ``−0.3`` or ``19,200``; None if it is not one.

    A trailing ``%`` is read as a percentage (``62%`` is 0.62). Fractions, expressions, ``nan``
    and ``inf`` are not numbers here. A decimal comma is not read (``0,375`` is None); ``1,609`` reads as
    1609, so a key that could be 1.609 asks first (:func:`comma_is_ambiguous`).
    """
    t, scale = _unit(text)
    if t is None:
        return None
    if _THOUSANDS_RE.match(t):
        t = re.sub(r"[, _]", "", t)
    if not _NUMBER_RE.match(t):
        return None
    value = float(t) * scale
    return value if math.isfinite(value) else None


def _unit(text) -> tuple[str | None, float]:
    """The normalised text without a trailing ``%``, and the scale the ``%`` stands for."""
    t = _normalise(text)
    if t is not None and t.endswith("%"):
        return t[:-1].rstrip(), 0.01
    return t, 1.0


def comma_is_ambiguous(text) -> bool:
    """True for a number such as ``1,609`` or ``-2,500``: one comma with three digits after it, which is a thousands
    separator in English and a decimal comma in much of Europe."""
    return bool(_AMBIGUOUS_COMMA_RE.match(_unit(text)[0] or ""))


def parse_shape(text) -> tuple[int, ...] | str | None:
    """A shape in any usual spelling, "error", or None if unreadable.

    Accepted: ``(3, 4)``, ``3,4``, ``3x4``, ``3 × 4``, ``[3, 4]``, ``(5,)``, ``5``, ``()`` or
    ``scalar`` (a 0-d result), and ``error`` (NumPy refuses). Brackets must match. The shape itself
    is read by the app's one shape parser, :func:`logreg.broadcasting.parse_shape`.
    """
    t = _normalise(text)
    if t is None or not t:
        return None
    if t in _ERROR_WORDS:
        return "error"
    try:
        return broadcasting.parse_shape(text, max_dims=MAX_SHAPE_DIMS, max_dim_size=MAX_SHAPE_SIZE, max_elements=None)
    except ValueError:
        return None


def format_shape(shape) -> str:
    """NumPy's spelling of a shape: ``(3, 1)``, ``(5,)``, ``()``; "error" stays "error"."""
    if shape is None or shape == "error":
        return "error"
    return str(tuple(int(s) for s in shape))


@dataclass(frozen=True)
class NumberKey:
    value: float
    tol: float

    kind = "number"

    def shown(self) -> str:
        decimals = max(0, min(6, -int(math.floor(math.log10(self.tol))))) if self.tol > 0 else 0
        return f"{self.value:.{decimals}f}"

    def grade(self, text) -> Verdict:
        if abs(self.value) < AMBIGUOUS_BELOW and comma_is_ambiguous(text):
            return Verdict("unreadable", "Couldn't read that as a number: a comma followed by three digits could be a "
                           "thousands separator or a decimal comma. Use a point for decimals, such as 1.609.")
        x = parse_number(text)
        if x is None:
            if isinstance(text, str) and "," in text:
                return Verdict("unreadable", "Couldn't read that as a number: use a point for decimals, such as 0.62, "
                               "and commas only between groups of three digits, such as 19,200.")
            return Verdict("unreadable", "Couldn't read that as a number: type digits such as 0.62 or -3.")
        ok = abs(x - self.value) <= self.tol + 1e-12
        within = f" (within ±{self.tol:g})" if self.tol > 0 else ""
        return Verdict("right" if ok else "wrong", f"The answer is {self.shown()}{within}.", x)


@dataclass(frozen=True)
class ShapeKey:
    shape: tuple | None  # None: NumPy raises an error

    kind = "shape"

    def shown(self) -> str:
        return "error (NumPy raises a ValueError)" if self.shape is None else format_shape(self.shape)

    def grade(self, text) -> Verdict:
        s = parse_shape(text)
        if s is None:
            return Verdict("unreadable", "Couldn't read that as a shape: type it like (3, 4), 3x4, () or error.")
        expected = "error" if self.shape is None else tuple(self.shape)
        ok = s == expected
        return Verdict("right" if ok else "wrong", f"The answer is {self.shown()}.", s)


@dataclass(frozen=True)
class ChoiceKey:
    options: tuple[str, ...]
    index: int  # the one right option

    kind = "choice"

    def shown(self) -> str:
        return self.options[self.index]

    def pick(self, text) -> int | None:
        """The option meant by ``text``: its exact wording (any case), its number (1, 2, …) or letter (a, b, …)."""
        t = _normalise(text)
        if t is None or not t:
            return None
        folded = [_normalise(o) for o in self.options]
        if t in folded:
            return folded.index(t)
        t = t.rstrip(".)")
        if t.isdigit() and 1 <= int(t) <= len(self.options):
            return int(t) - 1
        if len(t) == 1 and "a" <= t <= "z" and ord(t) - ord("a") < len(self.options):
            return ord(t) - ord("a")
        return None

    def grade(self, text) -> Verdict:
        i = self.pick(text)
        if i is None:
            return Verdict("unreadable", "Couldn't read that as one of the choices: pick one of them.")
        ok = i == self.index
        return Verdict("right" if ok else "wrong", f"The answer is: {self.shown()}.", self.options[i])


def grade(key, text) -> Verdict:
    """Grade ``text`` against ``key``; never raises, whatever the text."""
    if not isinstance(text, str):
        return Verdict("unreadable", "Couldn't read that: type an answer.")
    if len(text) > MAX_ANSWER_CHARS:
        return Verdict("unreadable", f"Couldn't read that: answers are at most {MAX_ANSWER_CHARS} characters.")
    return key.grade(text)

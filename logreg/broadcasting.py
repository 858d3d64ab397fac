"""NumPy broadcasting explained from shapes, and the rank-1 trap shown by NumPy itself.

Rules, applied to the shapes aligned on their right end:
two sizes are compatible when they are equal or one of them is 1;
a missing leading axis counts as 1; a size-1 axis is stretched to the other size:
NumPy acts as if its values were repeated, but no memory is copied (the stretched
operand is a view that reads the same values again, stride 0). Also: rank-1 arrays,
the ``(n,)`` shape the course warns against, whose table ``rank1_report`` runs NumPy on.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import numpy as np

#: Limits for shapes typed by a user: they are parsed, never evaluated.
MAX_DIMS = 4
MAX_DIM_SIZE = 10_000
MAX_ELEMENTS = 1_000_000
#: Longest rank-1 length in ``rank1_report``: its ``(n, 1) * (1, n)`` has ``n²`` elements.
MAX_RANK1_N = math.isqrt(MAX_ELEMENTS)

OPS = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
OP_NAMES = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}

#: Longest shape text read (after trimming spaces); longer text is refused before any parsing.
MAX_SHAPE_CHARS = 64
#: Words that mean a 0-d array (shape ``()``).
SCALAR_WORDS = frozenset({"()", "[]", "scalar", "a scalar", "a number"})
_BRACKETS = {"(": ")", "[": "]"}
_HOW = "write the shape as (2, 3), 2x3, (5,) or (): whole numbers 0-9 separated by commas or x"


def _fold(text: str) -> str:
    """NFKC-folded, lower-case, trimmed text with the multiplication signs (×, ✕, *) written as ``x``."""
    t = unicodedata.normalize("NFKC", text).strip().lower()
    for sign in ("\u00d7", "\u2715", "*"):
        t = t.replace(sign, "x")
    return t


def parse_shape(text, *, max_dims=MAX_DIMS, max_dim_size=MAX_DIM_SIZE, max_elements=MAX_ELEMENTS):
    """Parse a typed shape such as ``"(3, 1)"``, ``"3,1"``, ``"3x1"``, ``"(5,)"``, ``"()"`` or ``"scalar"``.

    The one shape parser of the app: the Broadcasting page and the quiz's typed answers both use it.
    The text is never evaluated, and it is read in one pass (no regular expression that could
    backtrack): at most one pair of matching brackets, ``(…)`` or ``[…]``, around whole numbers
    written with the digits 0-9 (full-width ones too; never superscript or circled digits, which
    Unicode folding would otherwise read as plain ones: ``10³`` is not ``(103,)``) and separated by a comma or an ``x`` (``×`` too), with optional spaces
    and an optional trailing comma (``(5,)``). ``()``, ``[]`` and ``scalar`` mean a 0-d array.

    Parameters
    ----------
    text : str
        The shape as typed; at most ``MAX_SHAPE_CHARS`` characters once trimmed.
    max_dims, max_dim_size : int
        The most dimensions, and the largest size of one dimension, accepted.
    max_elements : int or None
        The largest product of the sizes accepted; None for no limit.

    Returns
    -------
    shape : tuple of int (``()`` for a scalar)

    Raises
    ------
    ValueError
        with a message for the user when the text is not a shape or is too large.
    """
    if not isinstance(text, str):
        raise ValueError(f"a shape must be text such as (3, 1); got {type(text).__name__}")
    if len(text.strip()) > MAX_SHAPE_CHARS:
        raise ValueError("that shape is too long; type something like (3, 1)")
    if any(unicodedata.category(c) == "No" for c in text):  # ³, ②, ½: NFKC would turn them into plain digits
        raise ValueError(f"could not read {text!r} as a shape: {_HOW}")
    t = _fold(text)
    if not t:
        raise ValueError("type a shape: write the shape as (2, 3), or () for a scalar")
    if t in SCALAR_WORDS:
        return ()
    opening = t[0] if t[0] in _BRACKETS else ""
    closing = t[-1] if t[-1] in _BRACKETS.values() and len(t) > len(opening) else ""
    inner = t[len(opening):len(t) - len(closing)].strip()
    body = inner[:-1] if inner.endswith(",") else inner  # (5,) is NumPy's spelling of a 1-D shape
    tokens = [p.strip() for p in body.replace("x", ",").split(",")] if inner else []  # "( )" is ()
    if not all(p.isascii() and p.isdigit() for p in tokens):
        raise ValueError(f"could not read {text!r} as a shape: {_HOW}")
    if (opening or closing) and _BRACKETS.get(opening) != closing:
        raise ValueError(f"the brackets in {text!r} do not pair up: write the shape as (2, 3) or [2, 3]")
    dims = tuple(int(p) for p in tokens)
    if len(dims) > max_dims:
        raise ValueError(f"at most {max_dims} dimensions here; got {len(dims)}")
    if any(d > max_dim_size for d in dims):
        raise ValueError(f"each dimension must be at most {max_dim_size}; got {format_shape(dims)}")
    n = math.prod(dims)
    if max_elements is not None and n > max_elements:
        raise ValueError(f"at most {max_elements:,} elements here; {format_shape(dims)} has {n:,}")
    return dims


def format_shape(shape) -> str:
    """NumPy's spelling of a shape: ``(3, 1)``, ``(5,)``, ``()``."""
    return str(tuple(int(s) for s in shape))


def _empty(size: int) -> str:
    return " (an empty axis: the result has no values along it)" if size == 0 else ""


@dataclass
class Stretch:
    """One operand's stretch along one axis of the result."""

    axis: int
    size_from: int  # 1, or 0 meaning "axis missing, prepended as 1"
    size_to: int

    def describe(self, name: str) -> str:
        if self.size_to == 0:  # stretched to nothing: NumPy allows it, and the result is empty
            added = f"{name} has no axis {self.axis}: it gets one of size 1, which" if self.size_from == 0 else \
                f"{name}'s axis {self.axis} has size 1 and"
            return f"{added} is matched to size 0, so the result has no values along it"
        if self.size_from == 0:
            return f"{name} has no axis {self.axis}: it gets one of size 1, which acts as if repeated {self.size_to} times"
        return f"{name}'s axis {self.axis} has size 1 and acts as if repeated {self.size_to} times"


@dataclass
class BroadcastResult:
    shape_a: tuple
    shape_b: tuple
    op: str
    ok: bool
    result_shape: tuple | None = None
    stretch_a: list = field(default_factory=list)
    stretch_b: list = field(default_factory=list)
    conflict_axes: list = field(default_factory=list)  # axes (of the result) that clash
    numpy_error: str | None = None
    reason: str | None = None

    def steps(self) -> list[str]:
        """The explanation, one line per step, for a learner."""
        a, b = self.shape_a, self.shape_b
        nd = max(len(a), len(b))
        pa = (1,) * (nd - len(a)) + tuple(a)
        pb = (1,) * (nd - len(b)) + tuple(b)
        lines = [f"Align the shapes on the right: A {format_shape(a)} → {format_shape(pa)}, B {format_shape(b)} → {format_shape(pb)}"]
        for ax in range(nd):
            x, y = pa[ax], pb[ax]
            if x == y:
                lines.append(f"axis {ax}: {x} and {y} are equal → {x}")
            elif x == 1:
                lines.append(f"axis {ax}: A has 1, B has {y} → A is stretched to {y}" + _empty(y))
            elif y == 1:
                lines.append(f"axis {ax}: A has {x}, B has 1 → B is stretched to {x}" + _empty(x))
            else:
                lines.append(f"axis {ax}: {x} and {y} differ and neither is 1 → incompatible")
        if self.ok:
            lines.append(f"Result shape: {format_shape(self.result_shape)}")
        return lines


def explain_broadcast(shape_a, shape_b, op="+") -> BroadcastResult:
    """How NumPy combines an array of ``shape_a`` with one of ``shape_b`` under ``op``.

    The result matches ``np.broadcast_shapes`` and, when the shapes are
    incompatible, ``numpy_error`` is the message NumPy itself raises.
    """
    if op not in OPS:
        raise ValueError(f"op must be one of {', '.join(OPS)}; got {op!r}")
    a = tuple(int(s) for s in shape_a)
    b = tuple(int(s) for s in shape_b)
    if any(s < 0 for s in a + b):
        raise ValueError("shape sizes must be >= 0")
    nd = max(len(a), len(b))
    pa = (1,) * (nd - len(a)) + a
    pb = (1,) * (nd - len(b)) + b
    out, conflicts, sa, sb = [], [], [], []
    for ax in range(nd):
        x, y = pa[ax], pb[ax]
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            conflicts.append(ax)
            out.append(max(x, y))
            continue
        if x != out[-1]:
            sa.append(Stretch(ax, 0 if ax < nd - len(a) else 1, out[-1]))
        if y != out[-1]:
            sb.append(Stretch(ax, 0 if ax < nd - len(b) else 1, out[-1]))
    res = BroadcastResult(a, b, op, ok=not conflicts, stretch_a=sa, stretch_b=sb, conflict_axes=conflicts)
    if conflicts:
        # NumPy's wording: shapes without spaces, a trailing space after the list.
        spell = " ".join("(" + ",".join(str(s) for s in sh) + ("," if len(sh) == 1 else "") + ")" for sh in (a, b))
        res.numpy_error = f"operands could not be broadcast together with shapes {spell} "
        ax = conflicts[0]
        res.reason = (
            f"Aligned on the right, axis {ax} has size {pa[ax]} in A and {pb[ax]} in B. "
            "Sizes must be equal, or one of them must be 1 (to be stretched); neither holds, "
            "so NumPy cannot decide how to pair the elements."
        )
    else:
        res.result_shape = tuple(out)
    return res


def rank1_report(n: int):
    """Shapes of ``a``, ``a.T``, ``a @ a.T`` and ``a * a.T`` for a rank-1 ``(n,)`` and a column ``(n, 1)``, from NumPy.

    Each expression is run by NumPy on an array of zeros (``np.random.randn`` would give other values, the same
    shapes), so the table is what NumPy does, not a rule written down here. ``a * a.T`` of a column is
    ``n × n``, so ``n`` is at most ``MAX_RANK1_N`` (``n²`` within ``MAX_ELEMENTS``).

    Returns
    -------
    dict ``{"rank-1": {...}, "column": {...}}`` mapping each expression to its shape.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_RANK1_N:
        raise ValueError(f"n must be an integer from 1 to {MAX_RANK1_N}; got {n!r}")
    report = {}
    for label, a in (("rank-1", np.zeros(n)), ("column", np.zeros((n, 1)))):
        report[label] = {"a": a.shape, "a.T": a.T.shape, "a @ a.T": np.shape(a @ a.T), "a * a.T": (a * a.T).shape}
    return report


def example_operands(shape_a, shape_b):
    """Small integer-valued arrays of the given shapes to show element by element.

    A counts 1, 2, 3, ...; B counts 10, 20, 30, ... so that no division by zero occurs
    and each repeat of B in the stretched picture is recognisable.
    """
    a = np.arange(1, int(np.prod(shape_a, dtype=np.int64)) + 1, dtype=np.float64).reshape(shape_a)
    b = 10.0 * np.arange(1, int(np.prod(shape_b, dtype=np.int64)) + 1, dtype=np.float64).reshape(shape_b)
    return a, b


def apply_op(a, b, op="+"):
    """Run ``a op b`` with NumPy itself; raises NumPy's ValueError for incompatible shapes."""
    if op not in OPS:
        raise ValueError(f"op must be one of {', '.join(OPS)}; got {op!r}")
    if not explain_broadcast(np.shape(a), np.shape(b), op).ok:
        return OPS[op](a, b)  # let NumPy raise its own error
    size = int(np.prod(np.broadcast_shapes(np.shape(a), np.shape(b)), dtype=np.int64))
    if size > MAX_ELEMENTS:
        raise ValueError(f"the result would have {size:,} elements; the limit here is {MAX_ELEMENTS:,}")
    with np.errstate(divide="raise", invalid="raise"):
        return OPS[op](a, b)

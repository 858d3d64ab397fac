"""Questions for the Vectorization, Broadcasting & rank-1 and Images pages; keys are shapes of real arrays."""

from __future__ import annotations

import functools

import numpy as np

from .. import images, surfaces
from .._text import noun
from . import Question
from ._util import choice, pick, shape, whole
from .answers import NumberKey, ShapeKey, format_shape

VEC_STEP = "3. One vectorized step, every array's shape"
BC_COMBINE = "Combine two arrays"
BC_RANK1 = "The rank-1 trap"
IMG_ARRAY = "1 · A picture is an h × w × 3 array"
IMG_UNROLL = "2 · Unroll it into one column"
IMG_BATCH = "3 · Stack m examples: the right and the wrong reshape"
IMG_SCALE = "4 · Standardize: divide by 255"


# ----------------------------------------------------------------------------------------------- vectorization


@functools.lru_cache(maxsize=64)
def _step_shapes(n_x: int, m: int) -> dict:
    """The shapes of one propagate step on arrays of shape (n_x, m), run by the page's own code.

    X is a read-only broadcast view of one zero, so even the largest setting allocates only the
    (1, m) rows (the product over it is slow, ~0.1 s at 2000 x 5000: hence the cache).
    """
    X = np.broadcast_to(np.float64(0.0), (n_x, m))
    Y = np.broadcast_to(np.float64(1.0), (1, m))
    steps = surfaces.propagate_steps(np.zeros((n_x, 1)), 0.0, X, Y)
    steps["XdZT"] = X @ steps["dZ"].T
    return {name: np.shape(value) for name, value in steps.items()}


def _n_x_m(state, rng):
    n_x = whole(state, "n_x", 100, 1, 2_000)
    m = whole(state, "m", 500, 1, 5_000)
    if rng.random() < 0.3:  # now and then the other way round, so that the answer is not a pattern to copy
        n_x, m = max(1, min(2_000, m)), max(1, min(5_000, n_x))
    return n_x, m


def _vec_question(kind, name, latex, why, state, rng) -> Question:
    n_x, m = _n_x_m(state, rng)
    s = _step_shapes(n_x, m)[name]
    return Question(
        "vectorization", kind,
        rf"With $n_x = {n_x}$ {noun(n_x, 'feature')} and $m = {m}$ {noun(m, 'example')}, what is the shape of "
        rf"${latex}$?",
        ShapeKey(s), (f"{why}: {format_shape(s)}.", "X is (n_x, m), w is (n_x, 1), Z, A, dZ are (1, m); db is a plain number."),
        VEC_STEP, {"n_x": n_x, "m": m})


def shape_dw(state, rng):
    return _vec_question("shape_dw", "dw", r"dw = \tfrac{1}{m} X\, dZ^\top", "dw has one entry per weight, like w", state, rng)


def shape_Z(state, rng):
    return _vec_question("shape_Z", "Z", r"Z = w^\top X + b", "(1, n_x) @ (n_x, m) gives one z per example", state, rng)


def shape_XdZT(state, rng):
    return _vec_question("shape_XdZT", "XdZT", r"X\, dZ^\top", "(n_x, m) @ (m, 1) sums over the examples", state, rng)


def shape_db(state, rng):
    return _vec_question("shape_db", "db", r"db = \tfrac{1}{m}\sum_i dZ^{(i)}", "np.sum of all of dZ is a scalar, shape ()",
                         state, rng)


# ----------------------------------------------------------------------------------------------- broadcasting

_SHAPES = [(3, 1), (1, 4), (3, 4), (4,), (3,), (2, 3), (4, 1), (1, 3), (), (5, 1, 4), (2, 1)]


def broadcast_shape(state, rng) -> Question:
    use_page = rng.random() < 0.5 and "shape_a" in state and "shape_b" in state
    if use_page:
        a, b = shape(state, "shape_a", (3, 1)), shape(state, "shape_b", (1, 4))
    else:
        a, b = pick(rng, _SHAPES), pick(rng, [s for s in _SHAPES if s])
    op = pick(rng, ["+", "*"])
    try:
        out = np.broadcast_shapes(a, b)
    except ValueError:
        out = None
    why = ("aligned on the right, every axis pair is equal or has a 1, which is stretched" if out is not None
           else "aligned on the right, one axis pair differs and neither size is 1")
    return Question(
        "broadcasting", "broadcast_shape",
        f"A has shape {format_shape(a)}, B has shape {format_shape(b)}. What is the shape of A {op} B (or \"error\")?",
        ShapeKey(out), (f"{why.capitalize()}: {format_shape(out) if out is not None else 'NumPy raises a ValueError'}.",
                        "A missing leading axis counts as 1; sizes must match or be 1."),
        BC_COMBINE, {"a": a, "b": b, "op": op})


_RANK1_EXPRS = {  # the expression as shown -> how it is computed (no text is ever evaluated)
    "a @ a.T": lambda a: a @ a.T,
    "a * a.T": lambda a: a * a.T,
    "a.T": lambda a: a.T,
    "a.T @ a": lambda a: a.T @ a,
}


def rank1_shape(state, rng) -> Question:
    k = whole(state, "rank1_n", 5, 1, 10)
    if rng.random() < 0.5:
        k = pick(rng, [v for v in range(2, 9) if v != k])
    column = rng.random() < 0.35
    expr = pick(rng, list(_RANK1_EXPRS))
    a = np.zeros((k, 1)) if column else np.zeros(k)
    s = np.shape(_RANK1_EXPRS[expr](a))
    made = f"np.zeros(({k}, 1))" if column else f"np.zeros({k})"
    return Question(
        "broadcasting", "rank1_shape", f"`a = {made}`. What is the shape of `{expr}`?", ShapeKey(s),
        (f"a has shape {a.shape}; `{expr}` has shape {format_shape(s)}.",
         "A rank-1 (n,) array is its own transpose: @ gives a number, * stays (n,). A column (n, 1) behaves as a matrix."),
        BC_RANK1, {"k": k, "column": column, "expr": expr})


_FIXES = {
    "a = a.reshape({k}, 1)": lambda a, k: a.reshape(k, 1),
    "a = a.reshape(1, {k})": lambda a, k: a.reshape(1, k),
    "a = a.T": lambda a, k: a.T,
    "a = np.squeeze(a)": lambda a, k: np.squeeze(a),
}


def which_reshape(state, rng) -> Question:
    k = whole(state, "rank1_n", 5, 2, 10)
    texts = list(_FIXES)
    fixed = [(_FIXES[t](np.zeros(k), k)) for t in texts]
    ok = [np.shape(a @ a.T) == (k, k) for a in fixed]  # exactly one gives the k x k outer product
    key = choice(rng, [t.format(k=k) for t in texts], ok.index(True))
    return Question(
        "broadcasting", "which_reshape",
        f"`a = np.zeros({k})` is rank-1. Which line makes `a @ a.T` the ({k}, {k}) matrix you expect?", key,
        (f"Only a column ({k}, 1) gives ({k}, 1) @ (1, {k}) = ({k}, {k}); a row gives (1, 1).",
         ".T and np.squeeze leave a rank-1 array rank-1: create vectors 2-D and assert their shape."),
        BC_RANK1, {"k": k})


# ----------------------------------------------------------------------------------------------- images


def _picture(state, rng):
    """The page's picture shape (h, w, 3), or now and then another common one."""
    s = shape(state, "shape", (64, 100, 3), max_dims=3, max_size=4_096)
    if len(s) != 3 or s[2] != 3 or min(s) < 1 or rng.random() < 0.4:
        s = pick(rng, [(64, 64), (64, 100), (28, 28), (32, 48), (100, 120)]) + (3,)
    return s


def column_length(state, rng) -> Question:
    h, w, c = _picture(state, rng)
    col = images.image_to_column(np.zeros((h, w, c), np.uint8))
    return Question(
        "images", "column_length", f"A picture has shape ({h}, {w}, {c}). Unrolled into one column x, how many numbers "
        "does x hold (n_x)?", NumberKey(float(col.shape[0]), 0.0),
        (f"x = img.reshape(-1, 1) has shape {col.shape}: n_x = {h} · {w} · {c} = {col.shape[0]}.",
         "Every pixel gives three numbers (R, G, B), all in one column."),
        IMG_UNROLL, {"h": h, "w": w})


def batch_shape(state, rng) -> Question:
    h, w, c = _picture(state, rng)
    m = whole(state, "m", 4, 2, 8)
    if rng.random() < 0.5:
        m = pick(rng, [v for v in (2, 3, 5, 10, 209) if v != m])
    X = images.flatten_dataset(np.zeros((m, h, w, c), np.uint8))
    return Question(
        "images", "batch_shape", f"`imgs` has shape ({m}, {h}, {w}, {c}). What is the shape of `X = imgs.reshape({m}, -1).T`?",
        ShapeKey(X.shape),
        (f"reshape({m}, -1) makes one row of {h * w * c} per picture, .T turns the rows into columns: {X.shape}.",
         "X is (n_x, m): one example per column, the course's convention."),
        IMG_BATCH, {"m": m, "h": h, "w": w})


_FLATTENS = {  # shown -> computed on a real batch
    "imgs.reshape(m, -1).T": lambda imgs, m: imgs.reshape(m, -1).T,
    "imgs.reshape(-1, m)": lambda imgs, m: imgs.reshape(-1, m),
}


def which_flatten(state, rng) -> Question:
    m = whole(state, "m", 4, 2, 8)
    imgs = rng.integers(0, 256, size=(m, 4, 5, 3)).astype(np.uint8)  # distinct pictures, small is enough
    keeps = [all(np.array_equal(f(imgs, m)[:, j], imgs[j].ravel()) for j in range(m)) for f in _FLATTENS.values()]
    key = choice(rng, list(_FLATTENS), keeps.index(True))
    return Question(
        "images", "which_flatten", f"For a batch `imgs` of shape (m, h, w, 3) with m = {m}: which one keeps one picture per "
        "column of X?", key,
        ("Both give the shape (h·w·3, m), but reshape(-1, m) fills each row with m consecutive numbers, mixing pictures.",
         "reshape(m, -1) keeps each picture together in one row; .T makes that row a column."),
        IMG_BATCH, {"m": m})


def scaled_pixel(state, rng) -> Question:
    v = pick(rng, [0, 51, 102, 128, 153, 204, 255])
    s = float(images.standardize(np.uint8(v)))
    return Question(
        "images", "scaled_pixel", f"A pixel has value {v} (uint8). What is it after the standardization X / 255? "
        "(within ±0.01)", NumberKey(s, 0.01),
        (f"{v} / 255 = {s:.3f}.",
         "Every feature then lies in [0, 1]. With zero initialization z = 0 at the first step either way, but on raw "
         "pixels dw is 255× larger, so after the first update z is huge and σ(z) saturates; scaled, z stays small."),
        IMG_SCALE, {"v": v})


GENERATORS = {
    "vectorization": {"shape_dw": shape_dw, "shape_Z": shape_Z, "shape_XdZT": shape_XdZT, "shape_db": shape_db},
    "broadcasting": {"broadcast_shape": broadcast_shape, "rank1_shape": rank1_shape, "which_reshape": which_reshape},
    "images": {"column_length": column_length, "batch_shape": batch_shape, "which_flatten": which_flatten,
               "scaled_pixel": scaled_pixel},
}

"""Pixels -> the model's input: crop, resize, and the course's flatten (an image per column).

An image is an ndarray of shape (h, w, 3) (RGB) or (h, w) (grey), dtype uint8.
A batch of m images of shape (m, h, w, c) becomes ``X`` of shape (h*w*c, m),
one image per column, with ``imgs.reshape(imgs.shape[0], -1).T``.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

from . import _validate as v
from .decoding import check_image, gray_from_rgb

#: Largest side for resize targets.
MAX_SIZE = 1024


# --------------------------------------------------------------------------- resizing for the model


def center_crop(img):
    """The largest centred square of ``img`` (h, w[, c]) -> (s, s[, c]) with s = min(h, w)."""
    img = check_image(img)
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return img[top : top + s, left : left + s]


def resize_square(img, size):
    """Centre-crop to a square, then resize to ``size`` x ``size`` (aspect ratio kept, edges cut).

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    size : int, the side of the output

    Returns
    -------
    ndarray of shape (size, size) or (size, size, 3), uint8
    """
    size = v.check_positive_int(size, "size", maximum=MAX_SIZE)
    sq = center_crop(img)
    if sq.shape[0] == size:
        return sq.copy()
    pil = Image.fromarray(sq)
    return np.array(pil.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0))


def fit_within(img, max_side):
    """Shrink ``img`` so neither side exceeds ``max_side``, keeping the aspect ratio (never enlarges).

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    max_side : int

    Returns
    -------
    ndarray of shape (h', w'[, 3]), uint8, with max(h', w') <= max_side
    """
    max_side = v.check_positive_int(max_side, "max_side", maximum=MAX_SIZE)
    img = check_image(img)
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img.copy()
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.array(Image.fromarray(img).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0))


def to_model_input(img, size, channels=3):
    """The picture a model of input ``size`` x ``size`` x ``channels`` sees: centre-crop, resize, colour.

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    size : int
    channels : {1, 3}, default=3; 1 = grey (ITU-R 601-2 luma), 3 = RGB (grey is repeated)

    Returns
    -------
    ndarray of shape (size, size, channels), uint8
    """
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grey) or 3 (RGB); got {channels!r}")
    out = resize_square(img, size)
    if channels == 1:
        return gray_from_rgb(out)[..., None]
    return np.repeat(out[..., None], 3, axis=2) if out.ndim == 2 else out


# --------------------------------------------------------------------------- flattening


def _values(shape) -> tuple[tuple[int, ...], int]:
    """``shape`` as ints and its product, in Python integers (NumPy's int64 product can wrap around)."""
    try:
        shape = tuple(int(s) for s in shape)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"shape must be a tuple of integers; got {shape!r}") from None
    if any(s < 0 for s in shape):
        raise ValueError(f"shape must not have negative sides; got {shape}")
    return shape, math.prod(shape)


def image_to_column(img):
    """One image (h, w, c) -> a column of shape (h*w*c, 1), as ``img.reshape(-1, 1)``.

    The lecture's example: an image of shape (64, 100, 3) becomes a (19200, 1) column.
    NumPy reads in C order (last axis fastest), so the column starts with the red, green
    and blue values of pixel (0, 0), then those of pixel (0, 1), and so on row by row.
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3):
        raise ValueError(f"img must have shape (h, w, c) or (h, w); got {img.shape}")
    return img.reshape(-1, 1)


def column_to_image(col, shape):
    """Inverse of :func:`image_to_column`: a (h*w*c, 1) column back to ``shape``."""
    col = np.asarray(col)
    shape, n = _values(shape)
    if col.size != n:
        raise ValueError(f"a column of {col.size} values cannot be reshaped to {shape} ({n} values)")
    return col.reshape(shape)


def _check_batch(imgs):
    imgs = np.asarray(imgs)
    if imgs.ndim < 2 or imgs.shape[0] == 0:
        raise ValueError(f"imgs must have shape (m, h, w, c) with m >= 1; got {imgs.shape}")
    return imgs


def flatten_dataset(imgs):
    """The course's flatten: (m, h, w, c) -> X of shape (h*w*c, m), column j = image j.

    ``imgs.reshape(imgs.shape[0], -1).T``: first each image becomes a row, then the
    transpose makes the rows columns.
    """
    imgs = _check_batch(imgs)
    return imgs.reshape(imgs.shape[0], -1).T


def wrong_flatten(imgs):
    """The classic mistake: ``imgs.reshape(-1, m)``. Right shape (h*w*c, m), scrambled content.

    NumPy fills the (h*w*c, m) result row by row from the images laid end to end, so
    column j takes every m-th value across *all* images instead of image j.
    """
    imgs = _check_batch(imgs)
    return imgs.reshape(-1, imgs.shape[0])


def columns_to_images(X, shape):
    """Each column of X (n_x, m) back to an image of ``shape`` -> (m, *shape) (to look at them)."""
    X = np.asarray(X)
    shape, n = _values(shape)
    if X.ndim != 2 or X.shape[0] != n:
        raise ValueError(f"X must have shape ({n}, m) for images of shape {shape}; got {X.shape}")
    return X.T.reshape((X.shape[1],) + shape)


def standardize(X):
    """Pixel values 0..255 -> 0..1: ``X / 255`` (the course's standardization for images), float64."""
    return np.asarray(X, dtype=np.float64) / 255.0


"""MNIST-style preprocessing: a photo of one handwritten digit -> a 28 x 28 image like MNIST's.

MNIST digits are light ink on black, cropped to the ink, scaled to fit 20 x 20 and centred by
mass in 28 x 28. A model trained on them only works on a photo prepared the same way.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from .decoding import ImageError, check_image, gray_from_rgb


def mnist_stages(img, *, box=20, canvas=28):
    """Prepare a photo of one digit the way MNIST digits were made, keeping every stage.

    1. grey; 2. invert if the background (median of the border) is light, so the digit
    is light on dark; 3. subtract the background and stretch the contrast, dropping faint
    noise; 4. crop to the bounding box of the remaining ink;
    5. scale to fit in ``box`` x ``box`` keeping the aspect ratio; 6. paste into a
    ``canvas`` x ``canvas`` black image so the centre of mass is at the centre.

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8

    Returns
    -------
    list of (name, ndarray uint8) : the stages in order, the last of shape (canvas, canvas)

    Raises
    ------
    ImageError
        if the image is (nearly) uniform: there is no digit to find.
    """
    img = check_image(img)
    stages = []
    g = gray_from_rgb(img) if img.ndim == 3 else img
    stages.append(("grey", g))
    border = np.concatenate([g[0, :], g[-1, :], g[:, 0], g[:, -1]])
    if np.median(border) > 127:
        g = 255 - g
        stages.append(("inverted: light digit on dark", g))
    else:
        stages.append(("already light on dark", g))
    gf = g.astype(np.float64)
    bg = float(np.median(np.concatenate([gf[0, :], gf[-1, :], gf[:, 0], gf[:, -1]])))
    peak = float(gf.max())
    if peak - bg < 20:
        raise ImageError("no digit found: the image is almost uniform; write a dark digit on light paper and retake it")
    level = np.clip((gf - bg) / (peak - bg), 0.0, 1.0)
    level[level < 0.2] = 0.0  # paper texture, shadows
    clean = np.rint(level * 255).astype(np.uint8)
    stages.append(("background removed, contrast stretched", clean))
    rows, cols = np.nonzero(clean)
    crop = clean[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    stages.append(("cropped to the ink", crop))
    h, w = crop.shape
    scale = box / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.array(Image.fromarray(crop).resize((nw, nh), Image.Resampling.LANCZOS, reducing_gap=3.0))
    stages.append((f"scaled to fit {box} x {box}", small))
    out = np.zeros((canvas, canvas), dtype=np.uint8)
    mass = small.astype(np.float64)
    total = mass.sum()
    if total > 0:
        cy = (mass.sum(axis=1) @ np.arange(nh)) / total
        cx = (mass.sum(axis=0) @ np.arange(nw)) / total
    else:
        cy, cx = (nh - 1) / 2, (nw - 1) / 2
    c = canvas / 2  # MNIST puts the centre of mass at pixel (14, 14) of 28 x 28
    top = int(np.clip(round(c - cy), 0, canvas - nh))
    left = int(np.clip(round(c - cx), 0, canvas - nw))
    out[top : top + nh, left : left + nw] = small
    stages.append((f"centred by mass in {canvas} x {canvas}", out))
    return stages


def mnist_preprocess(img):
    """A photo of one digit -> a (28, 28) uint8 image like MNIST's (see :func:`mnist_stages`)."""
    return mnist_stages(img)[-1][1]

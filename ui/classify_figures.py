"""Plotly figures for the Classify page: the preprocessing stages, the column x, the sum that makes z, the verdict.

Pure functions (no Streamlit): arrays in, a Figure out. Figures are built from plain
dicts (``make_subplots`` costs tens of ms per figure; the page must rerun in < 150 ms).
Big pictures are sent as a small PNG (data URI) instead of every pixel value.
"""

from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from .alt_text import describe
from .arithmetic import apart, exact_sum, signed

_MARGIN = dict(l=10, r=10, t=60, b=10)
_GAP = 0.02
#: Pictures with a side above this are drawn from a PNG (no per-pixel hover) to keep the page light.
MAX_HOVER_SIDE = 64
#: Side of the PNG preview of a big picture.
PREVIEW_SIDE = 192
CLASS_COLOURS = ("#1f77b4", "#d62728")  # class 0 blue, class 1 red (as the w maps: red pushes towards 1)


def _rgb(img: np.ndarray) -> np.ndarray:
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    return np.repeat(img[..., None], 3, axis=2) if img.ndim == 2 else img


def _png_uri(img: np.ndarray) -> str:
    pil = Image.fromarray(np.ascontiguousarray(_rgb(img), dtype=np.uint8))
    pil.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    buf = io.BytesIO()
    pil.save(buf, "PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _shape_text(img: np.ndarray) -> str:
    return "(" + ", ".join(str(s) for s in np.asarray(img).shape) + ")"


def _image_trace(img: np.ndarray, k: int, name: str) -> dict:
    s = "" if k == 0 else str(k + 1)
    img = np.asarray(img)
    h, w = img.shape[:2]
    if max(h, w) > MAX_HOVER_SIDE:
        # a preview image scaled to the picture's own coordinates
        scale = max(h, w) / max(1, min(PREVIEW_SIDE, max(h, w)))
        return dict(type="image", source=_png_uri(img), dx=scale, dy=scale, xaxis=f"x{s}", yaxis=f"y{s}",
                    hovertemplate=f"{name}<br>row %{{y:.0f}}, col %{{x:.0f}}<extra></extra>")
    return dict(type="image", z=_rgb(img), xaxis=f"x{s}", yaxis=f"y{s}",
                hovertemplate=f"{name}<br>row %{{y}}, col %{{x}}: %{{z[0]}}<extra></extra>")


def stages_figure(stages: list[tuple[str, np.ndarray]], title: str = "The pipeline: what the model is given") -> go.Figure:
    """One panel per preprocessing stage, left to right, each titled with its name and array shape."""
    n = len(stages)
    if n == 0:
        raise ValueError("stages must hold at least one (name, image) pair")
    width = (1.0 - _GAP * (n - 1)) / n
    layout: dict = dict(title=dict(text=title), height=260, margin=dict(l=10, r=10, t=90, b=10), annotations=[])
    data = []
    for k, (name, img) in enumerate(stages):
        s = "" if k == 0 else str(k + 1)
        x0 = k * (width + _GAP)
        layout[f"xaxis{s}"] = dict(domain=[x0, x0 + width], anchor=f"y{s}", showticklabels=False, showgrid=False,
                                   zeroline=False)
        layout[f"yaxis{s}"] = dict(domain=[0.0, 1.0], anchor=f"x{s}", showticklabels=False, showgrid=False,
                                   zeroline=False, autorange="reversed", scaleanchor=f"x{s}")
        label = f"{k + 1}. {name}<br>{_shape_text(img)}"
        layout["annotations"].append(dict(text=label, x=x0 + width / 2, y=1.0, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=11)))
        data.append(_image_trace(img, k, name))
    steps = " → ".join(f"{k + 1}. {name} {_shape_text(img)}" for k, (name, img) in enumerate(stages))
    lead = f"{n} stages, left to right" if n > 1 else "One stage"
    return describe(go.Figure(data=data, layout=layout), f"{lead}: {steps}.", toolbar=True)


def column_figure(x: np.ndarray, image_shape: tuple[int, ...]) -> go.Figure:
    """The column x (n_x, 1) drawn lying down as a strip, hover naming the pixel each entry came from."""
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    shape = tuple(int(s) for s in image_shape)
    if x.size != int(np.prod(shape)):
        raise ValueError(f"x has {x.size} entries; an image of shape {shape} has {int(np.prod(shape))}")
    w = shape[1]
    c = shape[2] if len(shape) == 3 else 1
    idx = np.arange(x.size)
    row, col, ch = idx // (w * c), (idx // c) % w, idx % c
    custom = np.stack([row, col, ch], axis=1)[None, :, :]
    fig = go.Figure(
        data=[dict(type="heatmap", z=x[None, :], customdata=custom, colorscale="gray", zmin=0.0, zmax=1.0,
                   showscale=False,
                   hovertemplate="x[%{x}] = %{z:.3f}<br>from pixel (row %{customdata[0]}, col %{customdata[1]}, "
                                 "channel %{customdata[2]})<extra></extra>")],
        layout=dict(title=dict(text=f"x = image_to_column(img) / 255: shape ({x.size}, 1), drawn lying down"),
                    height=150, margin=dict(l=10, r=10, t=50, b=30),
                    xaxis=dict(title=dict(text=f"index i = 0 … {x.size - 1}")), yaxis=dict(showticklabels=False)),
    )
    order = "pixel by pixel, channel by channel within a pixel" if c > 1 else "pixel by pixel"
    return describe(fig, f"x holds {x.size} values from {x.min():.2f} to {x.max():.2f} (mean {x.mean():.2f}), "
                         f"read row by row, {order}.")


def sum_figure(positive_sum: float, negative_sum: float, b: float, z: float) -> go.Figure:
    """z = Σ wᵢxᵢ + b as a waterfall: pixels pushing up, pixels pushing down, the bias, the total."""
    labels = ["Σ wᵢxᵢ > 0 (towards 1)", "Σ wᵢxᵢ < 0 (towards 0)", "b", "z = wᵀx + b"]
    values = [positive_sum, negative_sum, b, z]
    fig = go.Figure(
        data=[dict(type="waterfall", x=labels, y=values, measure=["relative", "relative", "relative", "total"],
                   text=[signed(v) for v in printed_sum(positive_sum, negative_sum, b, z)[0]], textposition="outside",
                   increasing=dict(marker=dict(color=CLASS_COLOURS[1])),
                   decreasing=dict(marker=dict(color=CLASS_COLOURS[0])),
                   totals=dict(marker=dict(color="#7f7f7f")),
                   hovertemplate="%{x}: %{y:+.4f}<extra></extra>")],
        layout=dict(title=dict(text=f"The sum that makes z = {signed(printed_sum(positive_sum, negative_sum, b, z)[0][3])}"),
                    height=340, margin=_MARGIN,
                    yaxis=dict(title=dict(text="running total"), zeroline=True), showlegend=False),
    )
    return describe(fig, sum_summary(positive_sum, negative_sum, b, z))


def printed_sum(positive_sum: float, negative_sum: float, b: float, z: float) -> tuple[list, bool]:
    """([the three terms, z] as printed, exact): with the decimals (3 to 8) it takes for the printed terms to add up
    to the printed z; ``exact`` False if none does (then say ≈)."""
    terms, total, exact = exact_sum([positive_sum, negative_sum, b], z)
    return [*terms, total], exact


def sum_summary(positive_sum: float, negative_sum: float, b: float, z: float) -> str:
    """What :func:`sum_figure` shows, in one sentence (the numbers add up as printed)."""
    side = "towards 1" if z > 0 else ("towards 0" if z < 0 else "exactly on the fence")
    shown, exact = printed_sum(positive_sum, negative_sum, b, z)
    up, down, bias, total = (signed(v) for v in shown)
    return (f"The pixels pushing towards 1 add {up}, those pushing towards 0 add {down} "
            f"and the bias b adds {bias}: z {'=' if exact else '≈'} {total}, {side}.")


def verdict_figure(y_hat: float, threshold: float, class_names: tuple[str, str]) -> go.Figure:
    """ŷ as a bar on [0, 1] with the threshold as a line; the bar takes the colour of the class decided.

    ``class_names`` are shown as given: pass each class as name and label together ("digit 0 (label 1)").
    ŷ is shown to 4 decimals so that it never reads as equal to a threshold it is not (0.8197 vs 0.82).
    """
    label = int(y_hat > threshold)
    colour = CLASS_COLOURS[label]
    fig = go.Figure(
        data=[dict(type="bar", x=[y_hat], y=["ŷ"], orientation="h", marker=dict(color=colour),
                   text=[f"ŷ = {y_hat:.4f} → {class_names[label]}"], textposition="auto",
                   hovertemplate=f"ŷ = P({class_names[1]} | x) = %{{x:.4f}}<extra></extra>")],
        layout=dict(
            title=dict(text=f"ŷ = σ(z) = {y_hat:.4f}; threshold {threshold:.2f}"),
            height=170, margin=dict(l=10, r=10, t=50, b=30),
            xaxis=dict(range=[0, 1], title=dict(text=f"ŷ near 0: {class_names[0]}   …   ŷ near 1: {class_names[1]}")),
            # mid grey: 3.9:1 on the light background and 4.7:1 on the dark one (black vanished there)
            shapes=[dict(type="line", x0=threshold, x1=threshold, y0=-0.5, y1=0.5, line=dict(color="#808080", width=3,
                                                                                          dash="dash"))],
            annotations=[dict(x=threshold, y=0.5, text="threshold", showarrow=False, yanchor="bottom")],
        ),
        # redrawn on every threshold move: Plotly's property validation is ~6 ms of a ~1 ms figure;
        # tests/app/test_classify.py validates this spec instead
        _validate=False,
    )
    side = "above" if label else "not above"
    # ŷ with as many decimals as it takes not to print as the threshold: "ŷ = 0.010 is above the threshold 0.01" read
    # as false for ŷ = 0.0102
    return describe(fig, f"ŷ = {apart(y_hat, threshold, 3)} is {side} the threshold {threshold:.2f}, so the model says "
                         f"“{class_names[label]}”.")

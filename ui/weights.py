"""What one neuron learned, as pictures: w (and w ⊙ x) laid back onto the image grid.

Pure functions: arrays in, a Plotly Figure out. Used by the train and classify pages.
A diverging colour scale centred on 0: one colour pushes towards class 1, the other towards class 0.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

DIVERGING = "RdBu_r"  # red: pushes z up (towards class 1), blue: pushes z down (towards class 0)
CHANNEL_NAMES = ("red", "green", "blue")


def column_to_panels(col, image_size: int, channels: int) -> list[tuple[str, np.ndarray]]:
    """Split a (n_x, 1) column, flattened the course's way from (size, size, channels), into named 2-D panels."""
    col = np.asarray(col, dtype=np.float64).reshape(-1)
    expected = image_size * image_size * channels
    if col.size != expected:
        raise ValueError(f"a column of {expected} values is needed for {image_size}x{image_size}x{channels}; got {col.size}")
    grid = col.reshape(image_size, image_size, channels)
    if channels == 1:
        return [("grey", grid[:, :, 0])]
    return [(CHANNEL_NAMES[k], grid[:, :, k]) for k in range(channels)]


def signed_image_figure(col, image_size: int, channels: int, *, title: str, value_name: str = "w") -> go.Figure:
    """One heatmap per channel on a shared diverging scale symmetric around 0, with hover values."""
    panels = column_to_panels(col, image_size, channels)
    limit = float(max(np.max(np.abs(p)) for _, p in panels)) or 1.0
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[n for n, _ in panels] if len(panels) > 1 else None,
                        horizontal_spacing=0.03)
    for k, (name, panel) in enumerate(panels, start=1):
        fig.add_trace(
            go.Heatmap(
                z=panel, zmin=-limit, zmax=limit, zmid=0.0, colorscale=DIVERGING, showscale=(k == len(panels)),
                hovertemplate=f"row %{{y}}, col %{{x}}<br>{value_name} = %{{z:.4g}}<extra>{name}</extra>",
            ),
            row=1, col=k,
        )
        fig.update_yaxes(autorange="reversed", scaleanchor=f"x{k if k > 1 else ''}", showticklabels=False, row=1, col=k)
        fig.update_xaxes(showticklabels=False, row=1, col=k)
    fig.update_layout(title=title, height=300 if len(panels) > 1 else 340, margin=dict(l=10, r=10, t=60, b=10))
    return fig


def weights_figure(w, image_size: int, channels: int) -> go.Figure:
    """w rendered back as an image: the template the neuron matches."""
    return signed_image_figure(w, image_size, channels, title="w as an image (red → class 1, blue → class 0)")


def contributions(w, x) -> np.ndarray:
    """w ⊙ x, each pixel's share of z = wᵀx + b (they sum to wᵀx)."""
    w = np.asarray(w, dtype=np.float64).reshape(-1, 1)
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    if w.shape != x.shape:
        raise ValueError(f"w and x must have the same length; got {w.shape[0]} and {x.shape[0]}")
    return w * x


def contribution_figure(w, x, image_size: int, channels: int) -> go.Figure:
    """The contribution map w ⊙ x on the image grid."""
    return signed_image_figure(contributions(w, x), image_size, channels,
                               title="w ⊙ x: which pixels pushed z up (red) or down (blue)", value_name="w·x")


def rgb_weights_figure(w, image_size: int) -> go.Figure:
    """For RGB models, w as one colour image: each channel min-max scaled around 0 to [0, 255]."""
    grid = np.asarray(w, dtype=np.float64).reshape(image_size, image_size, 3)
    limit = float(np.max(np.abs(grid))) or 1.0
    img = np.clip(127.5 + 127.5 * grid / limit, 0, 255).astype(np.uint8)
    fig = go.Figure(go.Image(z=img, hovertemplate="row %{y}, col %{x}<extra></extra>"))
    fig.update_layout(title="w as a colour image (grey = 0)", height=320, margin=dict(l=10, r=10, t=50, b=10))
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig

"""What one neuron learned, as pictures: w (and w ⊙ x) laid back onto the image grid.

Pure functions: arrays in, a Plotly Figure out. Used by the train and classify pages.
A diverging colour scale centred on 0: one colour pushes towards class 1, the other towards class 0.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .alt_text import describe, num

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
    """One heatmap per channel on a shared diverging scale symmetric around 0, with hover values.

    Built from plain dicts with hand-placed axis domains: ``make_subplots`` took ~20 ms of every
    rerun of the Train and Classify pages.
    """
    panels = column_to_panels(col, image_size, channels)
    limit = float(max(np.max(np.abs(p)) for _, p in panels)) or 1.0
    n = len(panels)
    gap = 0.03
    width = (0.94 - gap * (n - 1)) / n  # the colour bar takes the right edge
    data, layout = [], {"annotations": []}
    for k, (name, panel) in enumerate(panels):
        s = "" if k == 0 else str(k + 1)
        x0 = k * (width + gap)
        data.append(dict(
            type="heatmap", z=panel, zmin=-limit, zmax=limit, zmid=0.0, colorscale=DIVERGING, showscale=(k == n - 1),
            colorbar=dict(thickness=12), xaxis=f"x{s}", yaxis=f"y{s}",
            hovertemplate=f"row %{{y}}, col %{{x}}<br>{value_name} = %{{z:.4g}}<extra>{name}</extra>",
        ))
        layout[f"xaxis{s}"] = dict(domain=[x0, x0 + width], anchor=f"y{s}", showticklabels=False, showgrid=False,
                                   zeroline=False)
        layout[f"yaxis{s}"] = dict(domain=[0, 1], anchor=f"x{s}", autorange="reversed", scaleanchor=f"x{s}",
                                   showticklabels=False, showgrid=False, zeroline=False)
        if n > 1:
            layout["annotations"].append(dict(text=name, x=x0 + width / 2, y=1.0, xref="paper", yref="paper",
                                              xanchor="center", yanchor="bottom", showarrow=False))
    layout.update(title=dict(text=title), height=300 if n > 1 else 340, margin=dict(l=10, r=10, t=60, b=10))
    return describe(go.Figure(data=data, layout=layout), signed_summary(panels, value_name), toolbar=True)


def signed_summary(panels: list[tuple[str, np.ndarray]], value_name: str = "w") -> str:
    """Where a signed map pushes up and down: the share of each sign and the strongest pixel of each."""
    values = np.concatenate([p.ravel() for _, p in panels])
    size = panels[0][1].shape[0]
    where = "" if len(panels) == 1 else f" in each of {len(panels)} channels"

    def at(flat_index: int) -> str:
        k, r = divmod(flat_index, size * size)
        chan = "" if len(panels) == 1 else f", {panels[k][0]}"
        return f"row {r // size}, col {r % size}{chan}"

    up, down = int(np.argmax(values)), int(np.argmin(values))
    return (f"{value_name} on the {size} × {size} grid{where}: {np.mean(values > 0):.0%} of the pixels push z up "
            f"(red, towards class 1) and {np.mean(values < 0):.0%} push it down (blue, towards class 0); the strongest "
            f"up is {num(values[up])} at {at(up)}, the strongest down {num(values[down])} at {at(down)}.")


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


def diverging_caption(class_names, channels: int) -> str:
    """What the red/blue (:data:`DIVERGING`) weight chart's colours mean; ``class_names`` as the page shows them."""
    where = " of one channel" if channels > 1 else ""
    return (f"Each weight multiplies one pixel{where}: drawn red, it votes for **{class_names[1]}**; drawn blue, for "
            f"**{class_names[0]}**. One neuron is one template.")


def rgb_caption(class_names) -> str:
    """What :func:`rgb_weights_figure`'s colours mean: channels, not classes (each channel's weight sets that colour's
    brightness around mid-grey, all three on one scale)."""
    return (f"In the colour picture a pixel's red, green and blue are its three weights, one per channel, on one "
            f"scale: mid-grey is 0. A colour brighter than mid-grey is a positive weight on that channel, which votes "
            f"for **{class_names[1]}** where the picture has that colour; darker than mid-grey, a negative one, a vote "
            f"for **{class_names[0]}**. So a colour here names a channel, not a class: a pixel whose blue is brighter "
            f"than mid-grey has a positive blue-channel weight, a vote for **{class_names[1]}**.")


def rgb_weights_figure(w, image_size: int) -> go.Figure:
    """For RGB models, w as one colour image: channel k of a pixel is 127.5 + 127.5 w_k / max|w|, clipped to
    [0, 255] (all channels on one scale, mid-grey where w is 0); :func:`rgb_caption` says what that means."""
    grid = np.asarray(w, dtype=np.float64).reshape(image_size, image_size, 3)
    limit = float(np.max(np.abs(grid))) or 1.0
    img = np.clip(127.5 + 127.5 * grid / limit, 0, 255).astype(np.uint8)
    fig = go.Figure(go.Image(z=img, hovertemplate="row %{y}, col %{x}<extra></extra>"), layout=dict(
        title="w as a colour image (grey = 0)", height=320, margin=dict(l=10, r=10, t=50, b=10),
        xaxis=dict(showticklabels=False), yaxis=dict(showticklabels=False)))
    strongest = np.abs(grid).reshape(-1, 3).max(axis=0)
    return describe(fig, f"w on the {image_size} × {image_size} grid as one colour picture, grey where w is 0; the "
                         f"largest |w| per channel is red {num(strongest[0])}, green {num(strongest[1])}, "
                         f"blue {num(strongest[2])}.", toolbar=True)

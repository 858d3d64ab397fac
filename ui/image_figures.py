"""Plotly figures for the Images page: pictures, channels, columns, batches. Arrays in, a Figure out.

Pure functions (no Streamlit), testable without a server. Every trace has a hover
that names the array index a value comes from, which is the point of the page.

Figures with several panels are built from plain dicts with hand-placed axis domains:
``make_subplots`` costs 20-50 ms per figure here, the dicts about 2 ms, and the page
has to rerun in well under 150 ms.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .alt_text import describe, num

_MARGIN = dict(l=10, r=10, t=60, b=10)
_CHANNELS = (("R", "Reds", "#d62728"), ("G", "Greens", "#2ca02c"), ("B", "Blues", "#1f77b4"))
_GAP = 0.02


def _suffix(k: int) -> str:
    return "" if k == 0 else str(k + 1)


def _panels(n_cols: int, *, image=True, titles=None, y_domain=(0.0, 1.0)) -> dict:
    """Layout entries for ``n_cols`` side-by-side panels (axes x, x2, ... / y, y2, ...)."""
    lay, ann = {}, []
    width = (1.0 - _GAP * (n_cols - 1)) / n_cols
    for k in range(n_cols):
        s = _suffix(k)
        x0 = k * (width + _GAP)
        lay[f"xaxis{s}"] = dict(domain=[x0, x0 + width], anchor=f"y{s}")
        lay[f"yaxis{s}"] = dict(domain=list(y_domain), anchor=f"x{s}")
        if image:
            lay[f"xaxis{s}"].update(showticklabels=False, showgrid=False, zeroline=False)
            lay[f"yaxis{s}"].update(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed",
                                   scaleanchor=f"x{s}")
        if titles:
            ann.append(dict(text=titles[k], x=x0 + width / 2, y=y_domain[1], xref="paper", yref="paper",
                            xanchor="center", yanchor="bottom", showarrow=False))
    lay["annotations"] = ann
    return lay


def _axes(k: int) -> dict:
    s = _suffix(k)
    return dict(xaxis=f"x{s}", yaxis=f"y{s}")


def picture(img: np.ndarray, title: str) -> go.Figure:
    """An RGB image (h, w, 3) uint8; hover shows row, column and the three values."""
    h, w = img.shape[:2]
    fig = go.Figure(
        data=[dict(type="image", z=img, hovertemplate="img[%{y}, %{x}, :] = %{z}<extra></extra>")],
        layout=dict(title=dict(text=f"{title}: shape ({h}, {w}, 3)"), height=max(260, min(480, 3 * h + 80)),
                    margin=_MARGIN, xaxis=dict(showticklabels=False), yaxis=dict(showticklabels=False)),
    )
    return describe(fig, f"{title}: {h} rows × {w} columns of RGB pixels; {_channel_means(img)}.", toolbar=True)


def _channel_means(img: np.ndarray) -> str:
    means = np.asarray(img, dtype=float).reshape(-1, img.shape[-1]).mean(axis=0)
    names = [n for n, _, _ in _CHANNELS[: len(means)]]
    text = ", ".join(f"{n} {m:.0f}" for n, m in zip(names, means, strict=True))
    return f"mean value per channel (0 … 255): {text}"


def channels(img: np.ndarray) -> go.Figure:
    """The three channels img[:, :, 0], img[:, :, 1], img[:, :, 2] as heatmaps of 0..255."""
    h, w = img.shape[:2]
    data = [
        dict(type="heatmap", z=img[..., c], colorscale=scale, zmin=0, zmax=255, showscale=False, name=name,
             hovertemplate=f"img[%{{y}}, %{{x}}, {c}] = %{{z}}<extra>{name}</extra>", **_axes(c))
        for c, (name, scale, _) in enumerate(_CHANNELS)
    ]
    titles = [f"img[:, :, {c}]  ({name})" for c, (name, _, _) in enumerate(_CHANNELS)]
    layout = _panels(3, titles=titles, y_domain=(0.0, 0.9))
    layout.update(title=dict(text=f"Three {h} × {w} matrices, one per colour channel"), margin=_MARGIN,
                  height=max(240, min(380, 2 * h + 110)))
    return describe(go.Figure(data=data, layout=layout),
                    f"The same picture split into three {h} × {w} grids, one per channel; {_channel_means(img)}.")


def column(col: np.ndarray, shape: tuple[int, int, int], *, start: int = 0, count: int = 60) -> go.Figure:
    """Entries ``start`` .. ``start + count`` of the column x = img.reshape(-1, 1), coloured by channel.

    Hover names the pixel each entry came from: index i = (row * w + col) * c + channel.
    """
    h, w, c = shape
    n = col.shape[0]
    start = int(np.clip(start, 0, max(n - 1, 0)))
    idx = np.arange(start, min(n, start + count))
    vals = col[idx, 0]
    row, rem = np.divmod(idx, w * c)
    x_pix, ch = np.divmod(rem, c)
    data = []
    for k, (name, _, color) in enumerate(_CHANNELS[:c]):
        sel = ch == k
        data.append(dict(
            type="bar", x=idx[sel], y=vals[sel], name=name, marker=dict(color=color),
            customdata=np.c_[row[sel], x_pix[sel], ch[sel]],
            hovertemplate="x[%{x}] = %{y}<br>from img[%{customdata[0]}, %{customdata[1]}, %{customdata[2]}]<extra></extra>",
        ))
    layout = dict(
        title=dict(text=f"x = img.reshape(-1, 1): shape ({n}, 1); entries {idx[0]} … {idx[-1]}"),
        xaxis=dict(title=dict(text="index i in the column x")), yaxis=dict(title=dict(text="value"), range=[0, 260]),
        bargap=0.05, height=330, margin=_MARGIN, hovermode="closest",
    )
    first, last = (f"img[{row[k]}, {x_pix[k]}, {ch[k]}]" for k in (0, -1))
    return describe(go.Figure(data=data, layout=layout),
                    f"Entries {idx[0]} to {idx[-1]} of the {n} in x, values {num(vals.min())} to {num(vals.max())}: "
                    f"they run through the channels pixel by pixel, from {first} to {last}.")


def _mosaic(imgs: np.ndarray, gap: int) -> tuple[np.ndarray, np.ndarray]:
    """Grey images (m, h, w) side by side with ``gap`` empty columns -> (h, m*(w+gap)-gap), and the column index map."""
    m, h, w = imgs.shape
    width = m * (w + gap) - gap
    mosaic = np.full((h, width), np.nan)
    which = np.full((h, width), -1)
    for j in range(m):
        x0 = j * (w + gap)
        mosaic[:, x0 : x0 + w] = imgs[j]
        which[:, x0 : x0 + w] = j
    return mosaic, which


def batch_rows(rows: list[tuple[str, np.ndarray]], *, title: str = "") -> go.Figure:
    """For each (name, grey images (m, h, w)) a strip of the m images: right vs wrong unflattening.

    Each strip is one heatmap (fast); hover says which column of X and which pixel.
    """
    m, h, w = rows[0][1].shape
    gap = max(2, w // 6)
    n = len(rows)
    data, layout = [], dict(annotations=[])
    band = (1.0 - 0.08 * (n - 1)) / n
    for r, (name, imgs) in enumerate(rows):
        mosaic, which = _mosaic(np.asarray(imgs, dtype=float), gap)
        s = _suffix(r)
        y1 = 1.0 - r * (band + 0.08)
        xs = np.arange(mosaic.shape[1])
        pixel_col = np.where(which >= 0, xs - which * (w + gap), -1)
        data.append(dict(
            type="heatmap", z=mosaic, colorscale="gray", zmin=0, zmax=255, showscale=False, hoverongaps=False,
            customdata=np.dstack([which, pixel_col]),
            hovertemplate=f"{name}<br>column j = %{{customdata[0]}} of X<br>pixel (%{{y}}, %{{customdata[1]}}) = %{{z}}<extra></extra>",
            **_axes(r),
        ))
        layout[f"xaxis{s}"] = dict(domain=[0, 1], anchor=f"y{s}", showticklabels=False, showgrid=False, zeroline=False)
        layout[f"yaxis{s}"] = dict(domain=[max(0.0, y1 - band), y1 - 0.06], anchor=f"x{s}", autorange="reversed", showticklabels=False,
                                   showgrid=False, zeroline=False, scaleanchor=f"x{s}")
        layout["annotations"].append(dict(text=f"<b>{name}</b>", x=0, y=y1, xref="paper", yref="paper", xanchor="left",
                                          yanchor="top", showarrow=False))
    layout.update(title=dict(text=title), height=int(130 * n + 60 + 12 * m), margin=_MARGIN, hovermode="closest")
    first = np.asarray(rows[0][1])
    same = [int(sum(np.array_equal(first[j], np.asarray(imgs)[j]) for j in range(m))) for _, imgs in rows[1:]]
    text = f"{n} strips of {m} pictures of {h} × {w}: " + ", ".join(f"“{name}”" for name, _ in rows)
    text += "".join(f"; “{rows[k + 1][0]}” matches “{rows[0][0]}” in {c} of {m}" for k, c in enumerate(same))
    return describe(go.Figure(data=data, layout=layout), text + ".", toolbar=True)


def matrix(X: np.ndarray, title: str) -> go.Figure:
    """A data matrix X (n_x, m) as a heatmap: one example per column."""
    n_x, m = X.shape
    data = [dict(type="heatmap", z=X, colorscale="gray", showscale=False, x=np.arange(m),
                 hovertemplate="X[%{y}, %{x}] = %{z}<extra>row = feature, column = example</extra>")]
    layout = dict(title=dict(text=title), height=360, margin=_MARGIN,
                  xaxis=dict(title=dict(text=f"example j (m = {m})"), tickmode="linear", dtick=1),
                  yaxis=dict(title=dict(text=f"feature i (n_x = {n_x})"), autorange="reversed"))
    return describe(go.Figure(data=data, layout=layout),
                    f"X has {n_x} rows, one per feature, and {m} columns, one per example; values "
                    f"{num(np.min(X))} to {num(np.max(X))}.", toolbar=True)


def histograms(raw: np.ndarray, scaled: np.ndarray) -> go.Figure:
    """Pixel values before (0..255) and after dividing by 255 (0..1), side by side (counts precomputed)."""
    edges = np.arange(0, 257, 8)
    counts, _ = np.histogram(raw, bins=edges)
    centers = (edges[:-1] + edges[1:]) / 2
    data = [
        dict(type="bar", x=centers, y=counts, width=7.5, name="raw", marker=dict(color="#1f77b4"),
             hovertemplate="pixels in [%{x:.0f} ± 4]: %{y}<extra>raw</extra>", **_axes(0)),
        dict(type="bar", x=centers / 255, y=np.histogram(scaled, bins=edges / 255)[0], width=7.5 / 255, name="/ 255",
             marker=dict(color="#ff7f0e"), hovertemplate="values in [%{x:.3f} ± 0.016]: %{y}<extra>/ 255</extra>",
             **_axes(1)),
    ]
    layout = _panels(2, image=False, titles=["raw pixels: 0 … 255", "after / 255: 0 … 1"], y_domain=(0.0, 0.88))
    layout.update(title=dict(text="Same histogram, new scale"), height=300, margin=_MARGIN, showlegend=False,
                  hovermode="closest")
    k = int(np.argmax(counts))
    same = "the same bars" if np.array_equal(counts, data[1]["y"]) else "different bars"
    return describe(go.Figure(data=data, layout=layout),
                    f"Both histograms have {same}: the tallest holds {counts[k]} of {counts.sum()} values, "
                    f"{edges[k]} to {edges[k + 1]} before dividing by 255 and {edges[k] / 255:.3f} to "
                    f"{edges[k + 1] / 255:.3f} after.")

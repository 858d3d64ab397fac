"""Plotly figures of arrays: Vectorization's timing bars and Broadcasting's grids of values.

Pure functions (no Streamlit), laid out with the helpers of :mod:`ui.figures`.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from logreg.broadcasting import format_shape

from .alt_text import describe, num
from .figures import MARGIN, set_axes, set_layout


def timing_bars(labels, seconds, *, title: str) -> go.Figure:
    """Horizontal bars of run times in milliseconds on a linear axis, each labelled with its ratio to the fastest.

    Linear, not logarithmic: on a log axis a 554× gap looks like a 20× one. The fastest bar may be
    too thin to see, so every bar carries its time and ratio as text.
    """
    seconds = np.asarray(seconds, dtype=float)
    ratio = seconds / seconds.min()
    text = [f"{s * 1e3:.3g} ms" + ("  (the fastest)" if r == 1 else f"  ({r:,.0f}× the fastest)" if r >= 10
                                   else f"  ({r:.1f}× the fastest)") for s, r in zip(seconds, ratio, strict=True)]
    fig = go.Figure(go.Bar(x=seconds * 1e3, y=list(labels), orientation="h", customdata=ratio,
                           text=text, textposition="outside", cliponaxis=False,
                           hovertemplate="%{y}: %{x:.4g} ms<br>%{customdata:.1f}× the fastest<extra></extra>"))
    set_axes(fig, x=dict(title="time (ms, best of several runs; linear scale)", type="linear",
                      range=[0, 1.45 * float(seconds.max()) * 1e3]))
    set_layout(fig, title, height=220)
    labels = list(labels)
    slow, fast = int(np.argmax(seconds)), int(np.argmin(seconds))
    return describe(fig, f"{labels[slow]} took {num(seconds[slow] * 1e3)} ms, {num(ratio[slow])} times the "
                         f"{num(seconds[fast] * 1e3)} ms of {labels[fast]}.")


#: What a heatmap panel does to an array that is not 2-D, said in its title and alt text: a (n,) array is
#: neither a row nor a column (the Broadcasting page's lesson), it is only drawn as one.
GRID_NOTES = {0: "0-D, drawn as one cell", 1: "1-D, drawn as a row"}


def as_grid(arr) -> np.ndarray:
    """An array of 0, 1 or 2 dimensions as a 2-D grid for a heatmap: a scalar is 1×1, (n,) is one row."""
    a = np.asarray(arr, dtype=float)
    if a.ndim > 2:
        raise ValueError(f"a heatmap shows at most 2 dimensions; got shape {a.shape}")
    return a.reshape(1, -1) if a.ndim < 2 else a


def broadcast_panels(a, b, out, op_label: str) -> list[tuple[str, np.ndarray]]:
    """The panels of a broadcast: A and B, each operand NumPy stretched (every one that was), the result.

    An operand whose shape differs from the result's was stretched; it is drawn as NumPy sees it
    (``np.broadcast_to``), so when both A and B were stretched both are drawn stretched.
    """
    a, b, out = np.asarray(a), np.asarray(b), np.asarray(out)
    rs = format_shape(out.shape)
    panels = [(f"A {format_shape(a.shape)}", a), (f"B {format_shape(b.shape)}", b)]
    panels += [(f"{name} stretched to {rs}", np.broadcast_to(x, out.shape))
               for name, x in (("A", a), ("B", b)) if x.shape != out.shape]
    return panels + [(f"A {op_label} B {rs}", out)]


def broadcast_heatmaps(panels) -> go.Figure:
    """Heatmaps side by side with each cell's value written in it.

    A 0-D or 1-D array is drawn as one cell or one row, and its title and alt text say so (``GRID_NOTES``).

    Parameters
    ----------
    panels : list of (title, array) with arrays of at most 2 dimensions
    """
    grids = [as_grid(a) for _, a in panels]
    notes = [GRID_NOTES.get(np.ndim(a)) for _, a in panels]
    # The panels' axes and titles are written into one layout, not added panel by panel with make_subplots and
    # update_xaxes/update_yaxes: Plotly validates every such update, which cost ~25 ms for five panels, more
    # than the rest of the Broadcasting section's rerun.
    gap, n = 0.06, len(panels)
    width = (1.0 - gap * (n - 1)) / n
    small = all(g.size <= 400 for g in grids)
    data, layout = [], {"annotations": []}
    for i, ((title, _), g, note) in enumerate(zip(panels, grids, notes, strict=True)):
        suffix = "" if i == 0 else str(i + 1)
        x0 = i * (width + gap)
        rows, cols = np.indices(g.shape)
        data.append(go.Heatmap(z=g, colorscale="Blues", showscale=False, customdata=np.dstack([rows, cols]),
                               text=np.vectorize(lambda v: f"{v:.4g}", otypes=[str])(g) if small else None,
                               texttemplate="%{text}" if small else None, xaxis=f"x{suffix}", yaxis=f"y{suffix}",
                               hovertemplate="[%{customdata[0]}, %{customdata[1]}] = %{z:.4g}<extra></extra>"))
        layout[f"xaxis{suffix}"] = dict(domain=[x0, x0 + width], anchor=f"y{suffix}", showticklabels=False)
        layout[f"yaxis{suffix}"] = dict(domain=[0.0, 1.0], anchor=f"x{suffix}", autorange="reversed",
                                        showticklabels=False)
        text = title if note is None else f"{title}<br><span style='font-size:12px'>{note}</span>"
        layout["annotations"].append(dict(text=text, x=x0 + width / 2, y=1.0, xref="paper", yref="paper",
                                          xanchor="center", yanchor="bottom", showarrow=False, font=dict(size=16)))
    height = int(min(520, 120 + 34 * max(max(g.shape[0] for g in grids), 1)))
    fig = set_layout(go.Figure(data=data, layout=layout), "Each array as a grid of its values", height=height,
                      margin=dict(MARGIN, t=80 if all(n is None for n in notes) else 96))
    parts = [(f"{t}: {g.shape[0]} × {g.shape[1]} grid, " if note is None else f"{t}, {note}: ")
             + (f"values {num(g.min())} to {num(g.max())}" if g.size else "empty (no values)")
             for (t, _), g, note in zip(panels, grids, notes, strict=True)]
    return describe(fig, "; ".join(parts) + ".")

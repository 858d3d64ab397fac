"""Plotly figures for the Train page: cost curves, the confusion matrix, 2-D points and the decision boundary.

Pure functions (no Streamlit): arrays in, a Figure out. Built from plain dicts (``make_subplots``
and the ``add_*`` helpers cost ~10 ms each, and a live cost curve is redrawn many times).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from logreg._text import noun, plural
from logreg.diagnostics import RISE_TOLERANCE

from .alt_text import describe, num, nums_apart
from .classify_figures import CLASS_COLOURS

_MARGIN = dict(l=10, r=10, t=50, b=10)


def cost_curves(runs, *, title="Cost J(w, b) during training", log_y=False, height=340) -> go.Figure:
    """One line per run: ``runs`` is a list of (name, iterations (k,), costs (k,))."""
    data = [
        dict(type="scatter", mode="lines", name=name, x=np.asarray(it), y=np.asarray(c, dtype=float),
             hovertemplate=f"{name}<br>iteration %{{x}}<br>J = %{{y:.5f}}<extra></extra>")
        for name, it, c in runs
    ]
    layout = dict(
        title=dict(text=title), height=height, margin=_MARGIN, hovermode="x unified",
        xaxis=dict(title=dict(text="iteration")),
        yaxis=dict(title=dict(text="J(w, b)"), type="log" if log_y else "linear", rangemode="tozero" if not log_y else None),
        legend=dict(orientation="h", y=-0.2),
    )
    return describe(go.Figure(data=data, layout=layout), cost_curves_summary(runs), toolbar=True)


def cost_curves_summary(runs) -> str:
    """Per run: where J started, where it ended and after how many iterations; and any rise beyond rounding.

    A rise is what :func:`logreg.diagnostics.diagnose` calls one: more than :data:`~logreg.diagnostics.RISE_TOLERANCE`
    of the costs' size (at least 1), so a wobble in the 16th digit near the bottom is not called a rise."""
    parts = []
    for name, it, c in runs:
        it, c = np.asarray(it), np.asarray(c, dtype=float)
        if c.size == 0:
            parts.append(f"{name}: no cost recorded yet")
            continue
        first, last = nums_apart(c[0], c[-1])
        text = f"{name}: J {first} at iteration {it[0]} → {last} at iteration {it[-1]}"
        rises = np.diff(c)
        tol = RISE_TOLERANCE * max(1.0, float(np.max(np.abs(c))))
        if np.any(rises > tol):
            k = int(np.argmax(rises))
            text += f", rising most (+{num(rises[k])}) between iterations {it[k]} and {it[k + 1]}"
        parts.append(text)
    return ("; ".join(parts) or "No runs yet") + "."


def confusion_figure(C, class_names, *, title="Confusion matrix (test set)") -> go.Figure:
    """The 2 x 2 counts C[true, predicted] as an annotated heatmap; ``class_names`` name label 0's and 1's class
    with their labels (:func:`logreg.classnames.class_text`)."""
    C = np.asarray(C)
    labels = list(class_names)  # each says its label, e.g. "digit 3 (label 1)"
    text = [[str(int(C[i, j])) for j in range(2)] for i in range(2)]
    fig = go.Figure(
        data=[dict(type="heatmap", z=C, x=labels, y=labels, text=text, texttemplate="%{text}", textfont=dict(size=18),
                   colorscale="Blues", showscale=False,
                   hovertemplate="true %{y}<br>predicted %{x}<br>%{z} examples<extra></extra>")],
        layout=dict(title=dict(text=title), height=320, margin=dict(l=10, r=10, t=50, b=10),
                    xaxis=dict(title=dict(text="predicted"), side="bottom"),
                    yaxis=dict(title=dict(text="true"), autorange="reversed")),
    )
    return describe(fig, confusion_summary(C, class_names))


def confusion_summary(C, class_names) -> str:
    """The four counts of C[true, predicted] in words."""
    C = np.asarray(C).astype(int)
    n0, n1 = (f"“{class_names[k]}”" for k in (0, 1))
    return (f"Of {plural(C.sum(), 'example')}, {C.trace()} {noun(C.trace(), 'is', 'are')} right: {C[0, 0]} {n0} and "
            f"{C[1, 1]} {n1}; {C[0, 1]} {n0} {noun(C[0, 1], 'was', 'were')} predicted {n1} and "
            f"{C[1, 0]} {n1} {noun(C[1, 0], 'was', 'were')} predicted {n0}.")


def _point_traces(X, Y, class_names, *, symbol="circle", part="train", show_legend=True):
    out = []
    Y = np.asarray(Y).ravel()
    for k in (0, 1):
        sel = Y == k
        out.append(dict(
            type="scatter", mode="markers", x=X[0, sel], y=X[1, sel], name=f"{part}: {class_names[k]}",
            marker=dict(color=CLASS_COLOURS[k], symbol=symbol, size=7, line=dict(width=1, color="white")),
            showlegend=show_legend,
            hovertemplate=f"{part}: {class_names[k]}<br>x₁ = %{{x:.2f}}<br>x₂ = %{{y:.2f}}<extra></extra>",
        ))
    return out


def points_figure(X_train, Y_train, X_test, Y_test, class_names, *, grid=None, line=None,
                  title="The points") -> go.Figure:
    """2-D train (circles) and test (crosses) points; optionally σ(wᵀx + b) as a heatmap and the line wᵀx + b = 0.

    grid : (x1 (n,), x2 (n,), P (n, n)) or None;  line : (x1 (2,), x2 (2,)) or None
    """
    data = []
    if grid is not None:
        x1, x2, P = grid
        data.append(dict(type="heatmap", x=x1, y=x2, z=P, zmin=0, zmax=1, colorscale="RdBu_r", opacity=0.55,
                         colorbar=dict(title=dict(text="ŷ"), thickness=12),
                         hovertemplate="x₁ = %{x:.2f}<br>x₂ = %{y:.2f}<br>ŷ = σ(wᵀx + b) = %{z:.3f}<extra></extra>"))
    data += _point_traces(X_train, Y_train, class_names)
    data += _point_traces(X_test, Y_test, class_names, symbol="x", part="test")
    if line is not None:
        data.append(dict(type="scatter", mode="lines", x=line[0], y=line[1], name="wᵀx + b = 0",
                         line=dict(color="black", width=3, dash="dash"), hoverinfo="skip"))
    X = np.concatenate([X_train, X_test], axis=1)
    lo, hi = X.min(axis=1), X.max(axis=1)
    pad = 0.05 * np.maximum(hi - lo, 1e-9)
    if grid is not None:
        xr, yr = [grid[0][0], grid[0][-1]], [grid[1][0], grid[1][-1]]
    else:
        xr, yr = [lo[0] - pad[0], hi[0] + pad[0]], [lo[1] - pad[1], hi[1] + pad[1]]
    fig = go.Figure(data=data, layout=dict(
        title=dict(text=title), height=460, margin=_MARGIN,
        xaxis=dict(title=dict(text="x₁"), range=xr, zeroline=False),
        yaxis=dict(title=dict(text="x₂"), range=yr, zeroline=False, scaleanchor="x"),
        legend=dict(orientation="h", y=-0.15),
    ))
    counts = [f"{int(np.sum(np.asarray(Y).ravel() == k))} {class_names[k]}" for Y in (Y_train, Y_test) for k in (0, 1)]
    text = (f"{X_train.shape[1]} training points ({counts[0]}, {counts[1]}) and {X_test.shape[1]} test points "
            f"({counts[2]}, {counts[3]}), x₁ from {num(lo[0])} to {num(hi[0])}, x₂ from {num(lo[1])} to {num(hi[1])}")
    if grid is not None:
        text += f"; the shading is ŷ = σ(wᵀx + b), from {grid[2].min():.2f} to {grid[2].max():.2f}"
    if line is not None:
        text += "; the dashed line wᵀx + b = 0 is where ŷ = 0.5"
    return describe(fig, text + ".", toolbar=True)


def accuracy_bars(names, train_acc, test_acc, *, title="Accuracy per learning rate") -> go.Figure:
    """Grouped bars: train and test accuracy (percent) for each run."""
    names = list(names)
    fig = go.Figure(
        data=[dict(type="bar", name="train", x=names, y=list(train_acc), texttemplate="%{y:.1f}",
                   hovertemplate="%{x}<br>train accuracy %{y:.2f} %<extra></extra>"),
              dict(type="bar", name="test", x=names, y=list(test_acc), texttemplate="%{y:.1f}",
                   hovertemplate="%{x}<br>test accuracy %{y:.2f} %<extra></extra>")],
        layout=dict(title=dict(text=title), barmode="group", height=300, margin=_MARGIN,
                    yaxis=dict(title=dict(text="accuracy (%)"), range=[0, 105])),
    )
    parts = [f"{n}: train {tr:.1f} %, test {te:.1f} %" for n, tr, te in zip(names, train_acc, test_acc, strict=True)]
    best = names[int(np.argmax(test_acc))] if names else None
    return describe(fig, "; ".join(parts) + (f"; the best test accuracy is {best}'s." if best else "."))

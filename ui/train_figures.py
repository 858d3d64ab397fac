"""Plotly figures for the Train page: cost curves, the confusion matrix, 2-D points and the decision boundary.

Pure functions (no Streamlit): arrays in, a Figure out. Built from plain dicts (``make_subplots``
and the ``add_*`` helpers cost ~10 ms each, and a live cost curve is redrawn many times).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

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
    return go.Figure(data=data, layout=layout)


def confusion_figure(C, class_names, *, title="Confusion matrix (test set)") -> go.Figure:
    """The 2 x 2 counts C[true, predicted] as an annotated heatmap; ``class_names`` name label 0's and 1's class
    with their labels (:func:`logreg.classnames.class_text`)."""
    C = np.asarray(C)
    labels = list(class_names)  # each says its label, e.g. "digit 3 (label 1)"
    text = [[str(int(C[i, j])) for j in range(2)] for i in range(2)]
    return go.Figure(
        data=[dict(type="heatmap", z=C, x=labels, y=labels, text=text, texttemplate="%{text}", textfont=dict(size=18),
                   colorscale="Blues", showscale=False,
                   hovertemplate="true %{y}<br>predicted %{x}<br>%{z} examples<extra></extra>")],
        layout=dict(title=dict(text=title), height=320, margin=dict(l=10, r=10, t=50, b=10),
                    xaxis=dict(title=dict(text="predicted"), side="bottom"),
                    yaxis=dict(title=dict(text="true"), autorange="reversed")),
    )


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
    return go.Figure(data=data, layout=dict(
        title=dict(text=title), height=460, margin=_MARGIN,
        xaxis=dict(title=dict(text="x₁"), range=xr, zeroline=False),
        yaxis=dict(title=dict(text="x₂"), range=yr, zeroline=False, scaleanchor="x"),
        legend=dict(orientation="h", y=-0.15),
    ))


def accuracy_bars(names, train_acc, test_acc, *, title="Accuracy per learning rate") -> go.Figure:
    """Grouped bars: train and test accuracy (percent) for each run."""
    names = list(names)
    return go.Figure(
        data=[dict(type="bar", name="train", x=names, y=list(train_acc), texttemplate="%{y:.1f}",
                   hovertemplate="%{x}<br>train accuracy %{y:.2f} %<extra></extra>"),
              dict(type="bar", name="test", x=names, y=list(test_acc), texttemplate="%{y:.1f}",
                   hovertemplate="%{x}<br>test accuracy %{y:.2f} %<extra></extra>")],
        layout=dict(title=dict(text=title), barmode="group", height=300, margin=_MARGIN,
                    yaxis=dict(title=dict(text="accuracy (%)"), range=[0, 105])),
    )

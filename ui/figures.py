"""Plotly figure builders for the concept pages: arrays in, a Figure out.

Pure functions (no Streamlit), so tests can check a figure's data without a
server. Colours come from Plotly's default sequence so that Streamlit's theme
keeps them readable in light and dark mode. Labels use Unicode math (σ, ŷ, α);
the pages put the real formulas in ``st.latex``.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from logreg.broadcasting import format_shape

_MARGIN = dict(l=10, r=10, t=50, b=10)
#: Guide lines in mid grey stay visible on the light and the dark theme.
_GUIDE = "rgba(128, 128, 128, 0.9)"


def _layout(fig: go.Figure, title: str, height: int = 360, **kw) -> go.Figure:
    fig.update_layout(title=title, height=height, margin=_MARGIN, hovermode="closest", **kw)
    return fig


def _hline(y, **line):
    return dict(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y, line=dict(dash="dash", color=_GUIDE, **line))


def _vline(x, **line):
    return dict(type="line", yref="paper", y0=0, y1=1, x0=x, x1=x, line=dict(dash="dot", color=_GUIDE, **line))


def sigmoid_curve(z, s, *, z_point=None, s_point=None, threshold=0.5) -> go.Figure:
    """σ(z) over ``z`` with the ``threshold`` cut-off line and an optional readout point."""
    # Shapes go straight into the layout: add_hline / add_vline cost ~10 ms each in Plotly.
    data = [go.Scatter(x=z, y=s, mode="lines", name="σ(z)", hovertemplate="z = %{x:.3f}<br>σ(z) = %{y:.4f}<extra></extra>")]
    if z_point is not None:
        data.append(go.Scatter(x=[z_point], y=[s_point], mode="markers", name="readout", marker=dict(size=12),
                               hovertemplate="z = %{x:.3f}<br>σ(z) = %{y:.4f}<extra>readout</extra>"))
    fig = go.Figure(data=data, layout=dict(
        shapes=[_hline(threshold), _vline(0.0)],
        annotations=[dict(xref="paper", x=0, y=threshold, yanchor="bottom", xanchor="left", showarrow=False,
                          text=f"cut-off {threshold:g}: ŷ > {threshold:g} → predict 1")],
        xaxis=dict(title="z"), yaxis=dict(title="σ(z)", range=[-0.05, 1.05]),
    ))
    return _layout(fig, "σ(z) = 1 / (1 + e⁻ᶻ) squashes any z into (0, 1)")


def output_options(x, linear, logistic, *, w: float, b: float) -> go.Figure:
    """Option 1 (ŷ = w x + b) beside option 2 (ŷ = σ(w x + b)) for a 1-D input x."""
    band = dict(type="rect", xref="paper", x0=0, x1=1, y0=0, y1=1, fillcolor="green", opacity=0.12, line_width=0, layer="below")
    fig = go.Figure(
        data=[
            go.Scatter(x=x, y=linear, mode="lines", name="w x + b", xaxis="x", yaxis="y",
                       hovertemplate="x = %{x:.2f}<br>ŷ = %{y:.3f}<extra>linear</extra>"),
            go.Scatter(x=x, y=logistic, mode="lines", name="σ(w x + b)", xaxis="x2", yaxis="y2",
                       hovertemplate="x = %{x:.2f}<br>ŷ = %{y:.3f}<extra>logistic</extra>"),
        ],
        layout=dict(
            xaxis=dict(domain=[0, 0.46], title="x"), yaxis=dict(title="ŷ"),
            xaxis2=dict(domain=[0.54, 1], title="x"), yaxis2=dict(anchor="x2", range=[-0.05, 1.05]),
            shapes=[dict(band, xref="x domain"), dict(band, xref="x2 domain", yref="y2")],
            annotations=[dict(xref="paper", yref="paper", x=x0, y=1.0, yanchor="bottom", showarrow=False, text=t)
                         for x0, t in ((0.23, "Option 1: ŷ = w x + b"), (0.77, "Option 2: ŷ = σ(w x + b)"))],
            showlegend=False,
        ),
    )
    _layout(fig, f"w = {w:g}, b = {b:g}; the shaded band is [0, 1], where a probability must lie")
    return fig.update_layout(margin=dict(_MARGIN, t=80))


def sigmoid_derivative_curve(z, s, ds, *, z_point=None, ds_point=None) -> go.Figure:
    """σ(z) and σ'(z) = σ(z)(1 − σ(z)) on one chart."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=z, y=s, mode="lines", name="σ(z)", hovertemplate="z = %{x:.3f}<br>σ = %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=z, y=ds, mode="lines", name="σ'(z)", hovertemplate="z = %{x:.3f}<br>σ' = %{y:.4f}<extra></extra>"))
    if z_point is not None:
        fig.add_trace(go.Scatter(x=[z_point], y=[ds_point], mode="markers", name="σ' at readout", marker=dict(size=11),
                                 hovertemplate="z = %{x:.3f}<br>σ' = %{y:.4f}<extra></extra>"))
    fig.update_xaxes(title="z")
    return _layout(fig, "σ'(z) = σ(z)(1 − σ(z)): largest (0.25) at z = 0, tiny when σ saturates")


def stability_curves(z, loss_from_probability, loss_from_logit) -> go.Figure:
    """Loss for y = 1 computed from σ(z) (clipped probability) versus from the logit z."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=z, y=loss_from_logit, mode="lines", name="from z (stable)",
                             hovertemplate="z = %{x:.1f}<br>L = %{y:.4g}<extra>from z</extra>"))
    fig.add_trace(go.Scatter(x=z, y=loss_from_probability, mode="lines", name="from naive σ(z), clipped", line=dict(dash="dash"),
                             hovertemplate="z = %{x:.1f}<br>L = %{y:.4g}<extra>from σ(z)</extra>"))
    fig.update_xaxes(title="z")
    fig.update_yaxes(title="L(σ(z), y = 1)")
    return _layout(fig, "Loss for y = 1 at extreme z: the probability route saturates, the logit route stays exact")


def loss_curves(y_hat, loss_y1, loss_y0, *, y_hat_point=None, point_y1=None, point_y0=None) -> go.Figure:
    """L(ŷ, 1) = −log ŷ and L(ŷ, 0) = −log(1 − ŷ) with a movable ŷ."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=y_hat, y=loss_y1, mode="lines", name="y = 1: −log ŷ",
                             hovertemplate="ŷ = %{x:.3f}<br>L = %{y:.3f}<extra>y = 1</extra>"))
    fig.add_trace(go.Scatter(x=y_hat, y=loss_y0, mode="lines", name="y = 0: −log(1 − ŷ)",
                             hovertemplate="ŷ = %{x:.3f}<br>L = %{y:.3f}<extra>y = 0</extra>"))
    if y_hat_point is not None:
        fig.add_trace(go.Scatter(x=[y_hat_point, y_hat_point], y=[point_y1, point_y0], mode="markers+text",
                                 text=[f"{point_y1:.3f}", f"{point_y0:.3f}"], textposition="top right",
                                 name="your ŷ", marker=dict(size=11),
                                 hovertemplate="ŷ = %{x:.3f}<br>L = %{y:.3f}<extra>your ŷ</extra>"))
    fig.update_xaxes(title="ŷ", range=[0, 1])
    fig.update_yaxes(title="L(ŷ, y)", range=[0, 7])
    return _layout(fig, "Cross-entropy loss: confident and wrong costs a lot")


def _path_hover():
    return "step %{text}<br>w = %{x:.3f}<br>b = %{y:.3f}<extra>gradient descent</extra>"


def cost_contour(w, b, J, *, title: str, path=None) -> go.Figure:
    """Contours of J over the (w, b) grid (``J`` has shape (len(b), len(w))), with an optional GD path."""
    fig = go.Figure()
    fig.add_trace(go.Contour(x=w, y=b, z=J, colorscale="Viridis", ncontours=30, name="J",
                             colorbar=dict(title="J", thickness=12),
                             hovertemplate="w = %{x:.3f}<br>b = %{y:.3f}<br>J = %{z:.4f}<extra></extra>"))
    if path is not None:
        steps = np.arange(len(path["b"]))
        fig.add_trace(go.Scatter(x=path["w"], y=path["b"], mode="lines+markers", name="path", text=steps,
                                 line=dict(color="white", width=2), marker=dict(color="red", size=7, line=dict(color="white", width=1)),
                                 hovertemplate=_path_hover()))
    fig.update_xaxes(title="w", range=[float(np.min(w)), float(np.max(w))])
    fig.update_yaxes(title="b", range=[float(np.min(b)), float(np.max(b))])
    return _layout(fig, title, height=420, showlegend=False)


def cost_surface(w, b, J, *, title: str, path=None) -> go.Figure:
    """J(w, b) as a 3-D surface, with an optional GD path lifted onto it."""
    fig = go.Figure()
    fig.add_trace(go.Surface(x=w, y=b, z=J, colorscale="Viridis", showscale=False, opacity=0.9, name="J",
                             hovertemplate="w = %{x:.3f}<br>b = %{y:.3f}<br>J = %{z:.4f}<extra></extra>"))
    if path is not None:
        fig.add_trace(go.Scatter3d(x=path["w"], y=path["b"], z=path["cost"], mode="lines+markers", name="path",
                                   text=np.arange(len(path["b"])), line=dict(color="red", width=5), marker=dict(size=3, color="red"),
                                   hovertemplate="step %{text}<br>w = %{x:.3f}<br>b = %{y:.3f}<br>J = %{z:.4f}<extra></extra>"))
    fig.update_layout(scene=dict(xaxis_title="w", yaxis_title="b", zaxis_title="J"), showlegend=False)
    return _layout(fig, title, height=420)


def cost_history(cost) -> go.Figure:
    """J after each gradient-descent step."""
    fig = go.Figure(go.Scatter(x=np.arange(len(cost)), y=cost, mode="lines+markers", name="J",
                               hovertemplate="step %{x}<br>J = %{y:.4f}<extra></extra>"))
    fig.update_xaxes(title="step")
    fig.update_yaxes(title="J(w, b)")
    return _layout(fig, "Cost after each step", height=280)


def data_fit(x, y, x_grid, p_grid, *, w: float, b: float, step: int) -> go.Figure:
    """The one-feature data set (y = 0 or 1 against x) with ŷ = σ(w x + b) at the current (w, b) over it."""
    x, y = np.ravel(x), np.ravel(y)
    fig = go.Figure()
    for label in (0, 1):
        keep = y == label
        fig.add_trace(go.Scatter(x=x[keep], y=y[keep], mode="markers", name=f"y = {label}", marker=dict(size=9),
                                 hovertemplate=f"x = %{{x:.3f}}<br>y = {label}<extra></extra>"))
    fig.add_trace(go.Scatter(x=x_grid, y=p_grid, mode="lines", name="ŷ = σ(w x + b)",
                             hovertemplate="x = %{x:.3f}<br>ŷ = %{y:.4f}<extra>σ(w x + b)</extra>"))
    fig.update_xaxes(title="x")
    fig.update_yaxes(title="y and ŷ", range=[-0.08, 1.08])
    sign = "+" if b >= 0 else "−"
    return _layout(fig, f"The {x.size} examples and ŷ = σ({w:.3g} x {sign} {abs(b):.3g}) after step {step}", height=300,
                   shapes=[_hline(0.5)])


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
    fig.update_xaxes(title="time (ms, best of several runs; linear scale)", type="linear",
                     range=[0, 1.45 * float(seconds.max()) * 1e3])
    return _layout(fig, title, height=220)


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

    Parameters
    ----------
    panels : list of (title, array) with arrays of at most 2 dimensions
    """
    grids = [as_grid(a) for _, a in panels]
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=[t for t, _ in panels], horizontal_spacing=0.06)
    small = all(g.size <= 400 for g in grids)
    for i, g in enumerate(grids, start=1):
        rows, cols = np.indices(g.shape)
        fig.add_trace(go.Heatmap(z=g, colorscale="Blues", showscale=False, customdata=np.dstack([rows, cols]),
                                 text=np.vectorize(lambda v: f"{v:.4g}")(g) if small else None,
                                 texttemplate="%{text}" if small else None,
                                 hovertemplate="[%{customdata[0]}, %{customdata[1]}] = %{z:.4g}<extra></extra>"),
                      row=1, col=i)
        fig.update_yaxes(autorange="reversed", showticklabels=False, row=1, col=i)
        fig.update_xaxes(showticklabels=False, row=1, col=i)
    height = int(min(520, 120 + 34 * max(g.shape[0] for g in grids)))
    return _layout(fig, "", height=height)

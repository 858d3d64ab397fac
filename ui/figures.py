"""Plotly figure builders for the Sigmoid and Loss pages, and the layout helpers the array figures share:
arrays in, a Figure out.

Pure functions (no Streamlit), so tests can check a figure's data without a
server. Colours come from Plotly's default sequence so that Streamlit's theme
keeps them readable in light and dark mode. Labels use Unicode math (σ, ŷ, α);
the pages put the real formulas in ``st.latex``.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from .alt_text import describe, num, nums_apart

MARGIN = dict(l=10, r=10, t=50, b=10)
#: Guide lines in mid grey stay visible on the light and the dark theme.
_GUIDE = "rgba(128, 128, 128, 0.9)"


def set_layout(fig: go.Figure, title: str, height: int = 360, **kw) -> go.Figure:
    """Title, height, margins and hover mode (``kw``: more layout properties, or other margins).

    Each property is assigned whole, not merged with ``update_layout``: Plotly validates an update of a nested
    dict key by key, which made these few lines a third of a figure's build time (margin alone 1.5 ms).
    """
    for key, value in {"title": title, "height": height, "margin": MARGIN, "hovermode": "closest", **kw}.items():
        fig.layout[key] = value
    return fig


def set_axes(fig: go.Figure, x: dict | None = None, y: dict | None = None) -> None:
    """The x and y axes of a one-panel figure, assigned whole (``update_xaxes`` first searches the layout for
    every x axis, then validates: 1 ms each)."""
    if x is not None:
        fig.layout.xaxis = x
    if y is not None:
        fig.layout.yaxis = y


def _near(x: float, z) -> float:
    """``x`` (a point read off the grid ``z``) rounded to what the grid can tell: one digit coarser than its step,
    so a crossing interpolated at 6.4e-6 or a peak on the grid point −0.026 reads as 0."""
    z = np.asarray(z, dtype=float)
    step = abs(float(z[-1] - z[0])) / max(z.size - 1, 1)
    return round(float(x), max(0, -math.floor(math.log10(step)) - 1)) if step > 0 else float(x)


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
    set_layout(fig, "σ(z) = 1 / (1 + e⁻ᶻ) squashes any z into (0, 1)")
    return describe(fig, sigmoid_summary(z, s, z_point=z_point, s_point=s_point, threshold=threshold))


def _probability(p: float) -> str:
    """σ(z) for a sentence: three significant digits, more when it takes them not to read as 0 or 1 (σ(8) is
    0.99966, which "1" would contradict beside "σ squashes into (0, 1)"). Exactly 0 or 1 in float64 prints so."""
    digits = 3
    while 0 < p < 1 and num(p, digits) in ("0", "1") and digits < 17:
        digits += 1
    return num(p, digits)


def sigmoid_summary(z, s, *, z_point=None, s_point=None, threshold=0.5) -> str:
    """What :func:`sigmoid_curve` shows, in one sentence."""
    z, s = np.asarray(z, dtype=float), np.asarray(s, dtype=float)
    text = f"σ(z) rises from {_probability(s[0])} at z = {num(z[0])} to {_probability(s[-1])} at z = {num(z[-1])}"
    if s[0] < threshold < s[-1]:
        text += f", crossing the cut-off {threshold:g} at z ≈ {num(_near(np.interp(threshold, s, z), z))}"
    if z_point is not None:
        text += (f"; the readout at z = {num(z_point)} is σ = {s_point:.4f}, "
                 f"so the prediction is {int(s_point > threshold)}")
    return text + "."


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
    set_layout(fig, f"w = {w:g}, b = {b:g}; the shaded band is [0, 1], where a probability must lie",
            margin=dict(MARGIN, t=80))
    linear, logistic = np.asarray(linear, dtype=float), np.asarray(logistic, dtype=float)
    outside = float(np.mean((linear < 0) | (linear > 1)))
    return describe(fig, f"Over x from {num(np.min(x))} to {num(np.max(x))}, option 1 spans {num(linear.min())} to "
                         f"{num(linear.max())}, outside [0, 1] for {outside:.0%} of the x values; option 2 stays "
                         f"between {num(logistic.min())} and {num(logistic.max())}.")


def sigmoid_derivative_curve(z, s, ds, *, z_point=None, ds_point=None) -> go.Figure:
    """σ(z) and σ'(z) = σ(z)(1 − σ(z)) on one chart."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=z, y=s, mode="lines", name="σ(z)", hovertemplate="z = %{x:.3f}<br>σ = %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Scatter(x=z, y=ds, mode="lines", name="σ'(z)", hovertemplate="z = %{x:.3f}<br>σ' = %{y:.4f}<extra></extra>"))
    if z_point is not None:
        fig.add_trace(go.Scatter(x=[z_point], y=[ds_point], mode="markers", name="σ' at readout", marker=dict(size=11),
                                 hovertemplate="z = %{x:.3f}<br>σ' = %{y:.4f}<extra></extra>"))
    set_axes(fig, x=dict(title="z"))
    set_layout(fig, "σ'(z) = σ(z)(1 − σ(z)): largest (0.25) at z = 0, tiny when σ saturates")
    ds = np.asarray(ds, dtype=float)
    k = int(np.argmax(ds))
    if 0 < k < ds.size - 1:
        text = (f"σ'(z) peaks at {num(ds[k])} at z ≈ {num(_near(z[k], z))} and falls to {num(ds[0])} at z = "
                f"{num(z[0])} and {num(ds[-1])} at z = {num(z[-1])}")
    else:  # the range leaves out z = 0: its largest value is at an end, not a peak
        far = ds.size - 1 - k
        text = (f"on this range σ'(z) is largest at its {'left' if k == 0 else 'right'} end, {num(ds[k])} at z = "
                f"{num(z[k])}, and falls to {num(ds[far])} at z = {num(z[far])}")
    if z_point is not None:
        text += f"; at the readout z = {num(z_point)} it is {ds_point:.4f}"
    return describe(fig, text + ".")


def stability_curves(z, s, loss_from_probability, loss_from_logit) -> go.Figure:
    """Loss for y = 0 at large z, computed from the probability ``s`` = σ(z) (clipped by ``loss``) versus from z."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=z, y=loss_from_logit, mode="lines", name="from z: log(1 + eᶻ)",
                             hovertemplate="z = %{x:.1f}<br>L = %{y:.4g}<extra>from z</extra>"))
    fig.add_trace(go.Scatter(x=z, y=loss_from_probability, mode="lines", name="from σ(z): −log(1 − σ), clipped",
                             line=dict(dash="dash"), hovertemplate="z = %{x:.1f}<br>L = %{y:.4g}<extra>from σ(z)</extra>"))
    one = np.flatnonzero(np.asarray(s) == 1.0)
    if one.size:  # from here on σ(z) is exactly 1.0 in float64: 1 − σ is 0, whatever the formula
        fig.layout.shapes = [_vline(float(z[one[0]]))]
        fig.layout.annotations = [dict(x=float(z[one[0]]), yref="paper", y=1.0, xanchor="left", yanchor="top",
                                       showarrow=False, text=" σ(z) = 1.0 exactly")]
    set_axes(fig, x=dict(title="z"), y=dict(title="L(σ(z), y = 0)"))
    set_layout(fig, "Loss for y = 0 at large z: through σ(z) it stops; from z it stays exact")
    return describe(fig, stability_summary(z, s, loss_from_probability, loss_from_logit))


def stability_summary(z, s, loss_from_probability, loss_from_logit) -> str:
    """What :func:`stability_curves` shows: where the two routes part, where σ(z) reaches exactly 1, how far each goes."""
    z, s = np.asarray(z, dtype=float), np.asarray(s, dtype=float)
    lp, ll = np.asarray(loss_from_probability, dtype=float), np.asarray(loss_from_logit, dtype=float)
    apart = np.abs(lp - ll) > 0.01 * np.maximum(1.0, np.abs(ll))
    text = f"From z = {num(z[0])} to z = {num(z[-1])} the loss computed from z grows steadily to {num(ll[-1])}"
    if not apart.any():
        return text + "; the loss through σ(z) agrees with it everywhere on this range."
    text += (f"; the loss through σ(z) agrees only below z ≈ {num(z[apart].min(), 2)} and above that stays stuck at "
             f"{num(np.max(lp[apart]))}, the clip that keeps log away from 0")
    one = np.flatnonzero(s == 1.0)
    if one.size:
        text += (f". From z ≈ {num(z[one[0]], 3)} on, σ(z) is exactly 1.0 in float64, so 1 − σ(z) is 0 and no formula "
                 "for the loss could recover it from σ(z)")
    return text + "."


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
    set_axes(fig, x=dict(title="ŷ", range=[0, 1]), y=dict(title="L(ŷ, y)", range=[0, 7]))
    set_layout(fig, "Cross-entropy loss: confident and wrong costs a lot")
    text = (f"−log ŷ (for y = 1) falls from {num(loss_y1[0])} at ŷ = {num(y_hat[0])} to {num(loss_y1[-1])} at "
            f"ŷ = {num(y_hat[-1])}; −log(1 − ŷ) (for y = 0) mirrors it")
    if y_hat_point is not None:
        text += f"; at your ŷ = {y_hat_point:.3f} the loss is {point_y1:.3f} if y = 1 and {point_y0:.3f} if y = 0"
    return describe(fig, text + ".")


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
    set_axes(fig, x=dict(title="w", range=[float(np.min(w)), float(np.max(w))]),
          y=dict(title="b", range=[float(np.min(b)), float(np.max(b))]))
    set_layout(fig, title, height=420, showlegend=False)
    return describe(fig, cost_map_summary(w, b, J, path), toolbar=True)


def cost_map_summary(w, b, J, path=None) -> str:
    """What a cost contour or surface shows: J's range, where its lowest point is, and the path's ends."""
    J = np.asarray(J, dtype=float)
    i, j = np.unravel_index(int(np.argmin(J)), J.shape)
    text = (f"Over w from {num(np.min(w))} to {num(np.max(w))} and b from {num(np.min(b))} to {num(np.max(b))}, "
            f"J ranges from {num(J[i, j])} (lowest of the grid's points at w = {num(w[j])}, b = {num(b[i])}) to {num(np.max(J))}")
    if path is not None:
        n = len(path["b"]) - 1
        text += (f"; gradient descent goes from (w, b) = ({num(path['w'][0])}, {num(path['b'][0])}) to "
                 f"({num(path['w'][-1])}, {num(path['b'][-1])}) in {n} step{'s' if n != 1 else ''}")
        if "cost" in path:
            text += ", J {} → {}".format(*nums_apart(path["cost"][0], path["cost"][-1]))
    return text + "."


def cost_surface(w, b, J, *, title: str, path=None) -> go.Figure:
    """J(w, b) as a 3-D surface, with an optional GD path lifted onto it."""
    fig = go.Figure()
    fig.add_trace(go.Surface(x=w, y=b, z=J, colorscale="Viridis", showscale=False, opacity=0.9, name="J",
                             hovertemplate="w = %{x:.3f}<br>b = %{y:.3f}<br>J = %{z:.4f}<extra></extra>"))
    if path is not None:
        fig.add_trace(go.Scatter3d(x=path["w"], y=path["b"], z=path["cost"], mode="lines+markers", name="path",
                                   text=np.arange(len(path["b"])), line=dict(color="red", width=5), marker=dict(size=3, color="red"),
                                   hovertemplate="step %{text}<br>w = %{x:.3f}<br>b = %{y:.3f}<br>J = %{z:.4f}<extra></extra>"))
    set_layout(fig, title, height=420, scene=dict(xaxis=dict(title="w"), yaxis=dict(title="b"), zaxis=dict(title="J")),
            showlegend=False)
    return describe(fig, cost_map_summary(w, b, J, path), toolbar=True)


def cost_history(cost) -> go.Figure:
    """J after each gradient-descent step."""
    fig = go.Figure(go.Scatter(x=np.arange(len(cost)), y=cost, mode="lines+markers", name="J",
                               hovertemplate="step %{x}<br>J = %{y:.4f}<extra></extra>"))
    set_axes(fig, x=dict(title="step"), y=dict(title="J(w, b)"))
    set_layout(fig, "Cost after each step", height=280)
    return describe(fig, cost_history_summary(cost))


def cost_history_summary(cost) -> str:
    """What :func:`cost_history` shows, e.g. "J falls from 5.92 to 2.47 over 13 steps; the largest rise, +0.31, is at step 1"."""
    cost = np.asarray(cost, dtype=float)
    n = len(cost) - 1
    if n < 1:
        return f"J = {num(cost[0])} before any step." if len(cost) else "No cost recorded."
    verb = "falls" if cost[-1] < cost[0] else ("rises" if cost[-1] > cost[0] else "stays")
    first, last = nums_apart(cost[0], cost[-1])
    text = f"J {verb} from {first} to {last} over {n} step{'s' if n != 1 else ''}"
    rises = np.diff(cost)
    if np.any(rises > 0):
        k = int(np.argmax(rises))
        return text + f"; the largest rise, +{num(rises[k])}, is at step {k + 1}."
    return text + "; it never rises."


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
    set_axes(fig, x=dict(title="x"), y=dict(title="y and ŷ", range=[-0.08, 1.08]))
    sign = "+" if b >= 0 else "−"
    set_layout(fig, f"The {x.size} examples and ŷ = σ({w:.3g} x {sign} {abs(b):.3g}) after step {step}", height=300,
            shapes=[_hline(0.5)])
    right = int(np.sum((w * x + b > 0) == (y == 1)))
    cut = f"ŷ crosses 0.5 at x = {num(-b / w)}" if w != 0 else "ŷ is flat (w = 0) and never crosses 0.5"
    return describe(fig, f"{int(np.sum(y == 1))} of the {x.size} examples have y = 1; after step {step}, {cut}, "
                         f"and the cut-off ŷ > 0.5 labels {right} of the {x.size} correctly.")

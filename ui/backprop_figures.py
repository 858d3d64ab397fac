"""Plotly figures for the Backprop page: computation graphs drawn from dicts, and the gradient check.

A graph is a list of node dicts (``id``, ``label``, ``x``, ``y``, ``value``, and optionally ``grad``
with its ``grad_label``) and a list of ``(from_id, to_id)`` edges. Each node is a boxed annotation
holding its forward value; its derivative is written under it; arrows run forward, left to right.
Each figure has a ``describe_*`` sentence, computed from the same numbers, for readers who cannot see it.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

_MARGIN = dict(l=10, r=10, t=50, b=10)
#: Mid grey: visible on the light and the dark theme.
_GUIDE = "rgba(128, 128, 128, 0.9)"
_HIDDEN_AXIS = dict(visible=False, fixedrange=True)


def fmt(x) -> str:
    """A number for a label: 4 significant digits, scientific notation when tiny or huge, "—" for None."""
    if x is None:
        return "—"
    x = float(x)
    if x == 0:
        return "0"
    return f"{x:.4g}" if 1e-3 <= abs(x) < 1e5 else f"{x:.3e}"


def tex(x) -> str:
    """A number for LaTeX: like :func:`fmt`, with 1.2 \\times 10^{-5} instead of 1.2e-05."""
    s = fmt(x)
    if "e" not in s:
        return s.replace("—", r"\text{—}")
    mant, exp = s.split("e")
    return rf"{mant} \times 10^{{{int(exp)}}}"


def graph_figure(nodes: list[dict], edges: list[tuple[str, str]], *, title: str, height: int = 340) -> go.Figure:
    """A computation graph: boxed nodes with their forward value, their derivative under them, arrows forward."""
    at = {n["id"]: n for n in nodes}
    boxes = [dict(x=n["x"], y=n["y"], text=f"<b>{n['label']}</b><br>{fmt(n['value'])}", showarrow=False,
                  bordercolor=_GUIDE, borderwidth=1.5, borderpad=6, font=dict(size=14)) for n in nodes]
    grads = [dict(x=n["x"], y=n["y"] - 0.42, text=f"{n['grad_label']} = {fmt(n['grad'])}", showarrow=False,
                  font=dict(size=13)) for n in nodes if "grad_label" in n]
    arrows = []
    for src, dst in edges:
        s, d = at[src], at[dst]
        arrows.append(dict(x=d["x"] - 0.28, y=d["y"], ax=s["x"] + 0.28, ay=s["y"], xref="x", yref="y", axref="x",
                           ayref="y", text="", showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5,
                           arrowcolor=_GUIDE, standoff=4))
    hover = go.Scatter(
        x=[n["x"] for n in nodes], y=[n["y"] for n in nodes], mode="markers", name="nodes",
        marker=dict(size=44, color="rgba(0, 0, 0, 0)", symbol="square"), text=[n["id"] for n in nodes],
        customdata=[[n["label"], n["value"] if n["value"] is not None else float("nan"),
                     n.get("grad_label", ""), n["grad"] if n.get("grad") is not None else float("nan")] for n in nodes],
        hovertemplate="%{customdata[0]} = %{customdata[1]:.10g}<br>%{customdata[2]} %{customdata[3]:.10g}<extra></extra>",
    )
    xs = [n["x"] for n in nodes]
    ys = [n["y"] for n in nodes]
    fig = go.Figure(data=[hover], layout=dict(
        annotations=arrows + boxes + grads, showlegend=False,
        xaxis=dict(_HIDDEN_AXIS, range=[min(xs) - 0.6, max(xs) + 0.6]),
        yaxis=dict(_HIDDEN_AXIS, range=[min(ys) - 0.7, max(ys) + 0.45]),
    ))
    return fig.update_layout(title=title, height=height, margin=_MARGIN, hovermode="closest")


# --- the warm-up graph J = 3(a + b c) ----------------------------------------------------------


def warmup_figure(g: dict) -> go.Figure:
    """The graph u = b c, v = a + u, J = 3 v with ``logreg.graph.warmup_graph``'s values and derivatives."""
    val, grad = g["value"], g["grad"]
    spots = {"a": (0, 2.0), "b": (0, 1.0), "c": (0, 0.0), "u": (1.3, 0.5), "v": (2.6, 1.25), "J": (3.9, 1.25)}
    labels = {"a": "a", "b": "b", "c": "c", "u": "u = b·c", "v": "v = a + u", "J": "J = 3v"}
    nodes = [dict(id=k, label=labels[k], x=x, y=y, value=val[k], grad=grad[k], grad_label=f"dJ/d{k}")
             for k, (x, y) in spots.items()]
    edges = [("b", "u"), ("c", "u"), ("a", "v"), ("u", "v"), ("v", "J")]
    return graph_figure(nodes, edges, title=f"J = 3(a + b·c) = {fmt(val['J'])}: forward values in the boxes, dJ/d(node) under them")


def describe_warmup(g: dict) -> str:
    val, grad = g["value"], g["grad"]
    steep = max("abc", key=lambda k: abs(grad[k]))
    return (f"The graph computes u = b·c = {fmt(val['u'])}, v = a + u = {fmt(val['v'])} and J = 3v = {fmt(val['J'])} "
            f"from a = {fmt(val['a'])}, b = {fmt(val['b'])}, c = {fmt(val['c'])}; going back, dJ/da = {fmt(grad['a'])}, "
            f"dJ/db = {fmt(grad['b'])}, dJ/dc = {fmt(grad['c'])}, so J is most sensitive to {steep}.")


# --- one example of logistic regression -----------------------------------------------------------


def neuron_figure(g: dict) -> go.Figure:
    """z = w1 x1 + w2 x2 + b -> a = σ(z) -> L(a, y) with ``logreg.graph.neuron_graph``'s numbers."""
    nodes = [
        dict(id="x1", label="x1", x=0, y=4.0, value=g["x1"]),
        dict(id="w1", label="w1", x=0, y=3.0, value=g["w1"], grad=g["dw1"], grad_label="dw1 = x1·dz"),
        dict(id="x2", label="x2", x=0, y=2.0, value=g["x2"]),
        dict(id="w2", label="w2", x=0, y=1.0, value=g["w2"], grad=g["dw2"], grad_label="dw2 = x2·dz"),
        dict(id="b", label="b", x=0, y=0.0, value=g["b"], grad=g["db"], grad_label="db = dz"),
        dict(id="z", label="z = w1·x1 + w2·x2 + b", x=1.9, y=2.0, value=g["z"], grad=g["dz"], grad_label="dz = a − y"),
        dict(id="a", label="a = σ(z)", x=3.5, y=2.0, value=g["a"], grad=g["da"], grad_label="da"),
        dict(id="y", label="y", x=3.5, y=3.6, value=g["y"]),
        dict(id="L", label="L(a, y)", x=4.9, y=2.0, value=g["L"]),
    ]
    edges = [("x1", "z"), ("w1", "z"), ("x2", "z"), ("w2", "z"), ("b", "z"), ("z", "a"), ("a", "L"), ("y", "L")]
    return graph_figure(nodes, edges, height=420,
                        title=f"One example: L = {fmt(g['L'])}; forward values in the boxes, dL/d(node) under them")


def describe_neuron(g: dict) -> str:
    state = " The neuron is saturated: a is within a hair of 0 or 1." if g["saturated"] else ""
    return (f"With x = ({fmt(g['x1'])}, {fmt(g['x2'])}), w = ({fmt(g['w1'])}, {fmt(g['w2'])}), b = {fmt(g['b'])} and "
            f"y = {int(g['y'])}, the forward pass gives z = {fmt(g['z'])}, a = {fmt(g['a'])} and L = {fmt(g['L'])}; "
            f"the backward pass gives da = {fmt(g['da'])}, dz = {fmt(g['dz'])}, dw1 = {fmt(g['dw1'])}, "
            f"dw2 = {fmt(g['dw2'])} and db = {fmt(g['db'])}.{state}")


# --- gradient checking -------------------------------------------------------------------------------


def check_figure(labels: list[str], diffs: list[float | None], *, chosen: int, passed: float, failed: float) -> go.Figure:
    """Relative difference reached by each backward pass (log scale), with the pass and fail thresholds.

    A ``None`` (gradient_check refused the gradient's shape) is drawn as an empty row labelled so.
    """
    floor = 1e-16  # a log axis cannot show 0
    x = [max(d, floor) if d is not None else floor for d in diffs]
    text = [f"{d:.1e}" if d is not None else "refused: wrong shape" for d in diffs]
    colors = ["#1f77b4" if i == chosen else "rgba(128, 128, 128, 0.6)" for i in range(len(labels))]
    fig = go.Figure(go.Bar(x=x, y=labels, orientation="h", text=text, textposition="outside", marker_color=colors,
                           customdata=text, hovertemplate="%{y}: %{customdata}<extra></extra>"))
    lo = math.floor(math.log10(min(min(x), passed))) - 1
    fig.update_layout(
        shapes=[dict(type="line", yref="paper", y0=0, y1=1, x0=t, x1=t, line=dict(dash="dash", color=_GUIDE))
                for t in (passed, failed)],
        annotations=[dict(x=math.log10(t), yref="paper", y=1.0, yanchor="bottom", showarrow=False, text=s)
                     for t, s in ((passed, f"pass < {passed:g}"), (failed, f"fail > {failed:g}"))],
        xaxis=dict(type="log", range=[lo, 1.3], title="relative difference ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖)"),
        yaxis=dict(autorange="reversed"),
    )
    return fig.update_layout(title="Gradient check of each backward pass on the page's data", height=300,
                             margin=dict(_MARGIN, t=70), showlegend=False)


def describe_check(labels: list[str], diffs: list[float | None], passed: float) -> str:
    parts = [f"{lab}: {'refused for its shape' if d is None else f'{d:.1e}'}" for lab, d in zip(labels, diffs, strict=True)]
    ok = [lab for lab, d in zip(labels, diffs, strict=True) if d is not None and d < passed]
    return (f"Relative difference reached by each backward pass ({'; '.join(parts)}); "
            f"only {', '.join(ok) if ok else 'none'} stays under {passed:g}.")


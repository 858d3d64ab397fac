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


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A Figure from plain dicts, without Plotly's per-property validation (~25 ms for a graph's ~25
    annotations, most of this page's rerun). tests/test_backprop_figures.py validates every figure."""
    return go.Figure(dict(data=data, layout=layout), _validate=False)


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


#: Assumed drawing width of a graph (px) and text metrics, to end arrows at the edge of each box.
_WIDTH_PX, _CHAR_PX, _LINE_PX, _PAD_PX = 760, 7.6, 18, 8


def _box_px(n: dict) -> tuple[float, float]:
    """Half width and half height, in px, of a node's box (two lines: label and value)."""
    longest = max(len(n["label"]), len(fmt(n["value"])))
    return longest * _CHAR_PX / 2 + _PAD_PX, _LINE_PX + _PAD_PX


def _edge_px(half: tuple[float, float], dx: float, dy: float) -> float:
    """Distance from a box's centre to its edge along the direction (dx, dy) in px."""
    hw, hh = half
    return min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf) * math.hypot(dx, dy)


def _hover(n: dict) -> str:
    """A node's numbers to 10 digits, for the hover box ("—" where a value cannot be computed, never NaN)."""
    def ten(x):
        return "—" if x is None else f"{x:.10g}"
    grad = f"<br>{n['grad_label']} = {ten(n.get('grad'))}" if "grad_label" in n else ""
    return f"{n['label']} = {ten(n['value'])}{grad}"


def graph_figure(nodes: list[dict], edges: list[tuple[str, str]], *, title: str, height: int = 340) -> go.Figure:
    """A computation graph: boxed nodes with their forward value, their derivative under them, arrows forward."""
    at = {n["id"]: n for n in nodes}
    xs, ys = [n["x"] for n in nodes], [n["y"] for n in nodes]
    x_range, y_range = [min(xs) - 0.7, max(xs) + 0.7], [min(ys) - 0.75, max(ys) + 0.45]
    sx = _WIDTH_PX / (x_range[1] - x_range[0])  # px per unit, to aim the arrows at the boxes' edges
    sy = (height - _MARGIN["t"] - _MARGIN["b"]) / (y_range[1] - y_range[0])
    boxes = [dict(x=n["x"], y=n["y"], text=f"<b>{n['label']}</b><br>{fmt(n['value'])}", showarrow=False,
                  bordercolor=_GUIDE, borderwidth=1.5, borderpad=6, font=dict(size=14)) for n in nodes]
    grads = [dict(x=n["x"], y=n["y"], yshift=-(_box_px(n)[1] + 10), text=f"{n['grad_label']} = {fmt(n['grad'])}",
                  showarrow=False, font=dict(size=13)) for n in nodes if "grad_label" in n]
    arrows = []
    for src, dst in edges:
        s, d = at[src], at[dst]
        dx, dy = (d["x"] - s["x"]) * sx, (d["y"] - s["y"]) * sy
        arrows.append(dict(x=d["x"], y=d["y"], ax=s["x"], ay=s["y"], xref="x", yref="y", axref="x", ayref="y", text="",
                           showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=_GUIDE,
                           standoff=_edge_px(_box_px(d), dx, dy) + 3, startstandoff=_edge_px(_box_px(s), dx, dy) + 3))
    hover = dict(
        type="scatter", x=xs, y=ys, mode="markers", name="nodes",
        marker=dict(size=44, color="rgba(0, 0, 0, 0)", symbol="square"), text=[n["id"] for n in nodes],
        customdata=[_hover(n) for n in nodes], hovertemplate="%{customdata}<extra></extra>",
    )
    return _figure([hover], dict(
        title=dict(text=title), height=height, margin=_MARGIN, hovermode="closest", annotations=arrows + boxes + grads,
        showlegend=False, xaxis=dict(_HIDDEN_AXIS, range=x_range), yaxis=dict(_HIDDEN_AXIS, range=y_range),
    ))


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
    most = max(abs(grad[k]) for k in "abc")
    tied = [k for k in "abc" if fmt(abs(grad[k])) == fmt(most)]  # ties as the learner reads them, printed alike
    steep = tied[0] if len(tied) == 1 else f"{', '.join(tied[:-1])} and {tied[-1]} equally"
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
    return graph_figure(nodes, edges, height=500,
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
    lo = math.floor(math.log10(min([d for d in diffs if d] + [passed]))) - 1
    floor = 10.0**lo  # the axis starts here: a refused (or exactly 0) difference draws no bar
    x = [max(d, floor) if d is not None else floor for d in diffs]
    text = [f"{d:.1e}" if d is not None else "refused: wrong shape" for d in diffs]
    colors = ["#1f77b4" if i == chosen else "rgba(128, 128, 128, 0.6)" for i in range(len(labels))]
    bars = dict(type="bar", x=x, y=labels, orientation="h", text=text, textposition="outside", marker=dict(color=colors),
                customdata=text, hovertemplate="%{y}: %{customdata}<extra></extra>")
    return _figure([bars], dict(
        title=dict(text="Gradient check of each backward pass on the page's data"), height=300,
        margin=dict(_MARGIN, t=70), showlegend=False,
        shapes=[dict(type="line", yref="paper", y0=0, y1=1, x0=t, x1=t, line=dict(dash="dash", color=_GUIDE))
                for t in (passed, failed)],
        annotations=[dict(x=math.log10(t), yref="paper", y=1.0, yanchor="bottom", showarrow=False, text=s)
                     for t, s in ((passed, f"pass < {passed:g}"), (failed, f"fail > {failed:g}"))],
        xaxis=dict(type="log", range=[lo, 1.3],
                   title=dict(text="relative difference ‖analytic − numerical‖ / (‖analytic‖ + ‖numerical‖)")),
        yaxis=dict(autorange="reversed"),
    ))


def describe_check(labels: list[str], diffs: list[float | None], passed: float, *, too_small: bool = False) -> str:
    """The check chart in one sentence; ``too_small``: the gradients here are too small for the comparison to mean
    anything (:data:`logreg.bugs.TOO_SMALL`), which the sentence says first."""
    parts = [f"{lab}: {'refused for its shape' if d is None else f'{d:.1e}'}" for lab, d in zip(labels, diffs, strict=True)]
    ok = [lab for lab, d in zip(labels, diffs, strict=True) if d is not None and d < passed]
    under = f"only {', '.join(ok)} stays under {passed:g}" if ok else f"no backward pass stays under {passed:g}"
    text = f"Relative difference reached by each backward pass ({'; '.join(parts)}); {under}."
    if too_small:
        text = "The gradients here are too small to compare: the differences measure float64 rounding. " + text
    return text


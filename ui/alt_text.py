"""Text alternatives for what the app draws: a sentence per chart, alt text per picture (issue 16).

Pure functions (no Streamlit). A figure builder computes its sentence from the numbers it plots and
stores it with :func:`describe` in ``fig.layout.meta``; ``ui.widgets.chart`` prints it under the chart,
so a learner who cannot see the chart reads what it shows now. The same meta says whether the chart's
Plotly mode bar (zoom, pan, download) is worth its tab stops.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


def describe(fig: go.Figure, summary: str, *, toolbar: bool = False) -> go.Figure:
    """Attach ``summary`` (one sentence: what the chart shows now) and the mode-bar choice to ``fig``.

    ``toolbar=True`` keeps Plotly's mode bar: for charts worth zooming or panning into (pictures, surfaces,
    long curves). Small explanatory charts leave it out: each toolbar is 8 more tab stops.
    """
    fig.layout.meta = {"summary": summary, "toolbar": bool(toolbar)}
    return fig


def _meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return meta if isinstance(meta, dict) else {}


def summary_of(fig: go.Figure) -> str | None:
    """The sentence stored by :func:`describe`, or None."""
    return _meta(fig).get("summary")


def wants_toolbar(fig: go.Figure) -> bool:
    """Whether :func:`describe` asked to keep the mode bar (False when never described)."""
    return bool(_meta(fig).get("toolbar", False))


def title_of(fig: go.Figure) -> str:
    """The figure's title text ("" when it has none)."""
    return fig.layout.title.text or ""


def num(x: float, digits: int = 3) -> str:
    """A number for a sentence: ``digits`` significant digits, a real minus sign, no "-0".

    Whole numbers below a million are written in full ("1,000", "123,456"); other numbers from
    1,000 up to a million are rounded to ``digits`` significant digits and also written out
    ("1,230"). Only smaller and larger magnitudes use powers of 10 ("1.5 × 10 to the power −20").
    """
    x = float(x)
    if not np.isfinite(x):
        return "∞" if x > 0 else ("−∞" if x < 0 else "not a number")
    text = f"{x:.{digits}g}"
    if abs(x) < 1e6 and (x.is_integer() or 1e3 <= abs(float(text)) < 1e6):
        text = f"{x if x.is_integer() else float(text):,.0f}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant} × 10 to the power {int(exp)}"
    if text in ("-0", "-0.0"):
        text = "0"
    return text.replace("-", "−")


def nums_apart(a: float, b: float, digits: int = 3) -> tuple[str, str]:
    """:func:`num` of ``a`` and ``b`` with ``digits`` significant digits, or more (up to 12) until two different
    numbers read differently: a path whose cost fell from 0.69315 to 0.69312 is not "0.693 → 0.693"."""
    for d in range(digits, 13):
        left, right = num(a, d), num(b, d)
        if left != right or float(a) == float(b):
            break
    return left, right


def mistake_alts(indices, Y, y_hat, class_names, *, threshold: float = 0.5) -> list[str]:
    """Alt text for misclassified test pictures: true class, predicted class and ŷ.

    ``class_names`` are said as they are: pass what the page shows (:func:`logreg.classnames.class_text`,
    e.g. "digit 3 (label 1)"), so the alt text and the captions name a class the same way.
    """
    Y, y_hat = np.asarray(Y).ravel(), np.asarray(y_hat, dtype=float).ravel()
    out = []
    for j in np.asarray(indices).ravel():
        true, p = int(Y[j]), float(y_hat[j])
        pred = int(p > threshold)
        out.append(f"test example {int(j)}: truly {class_names[true]}, predicted {class_names[pred]} with ŷ = {p:.2f}")
    return out


def escape_markdown(text: str) -> str:
    """``text`` shown literally by ``st.markdown`` (no emphasis, links, LaTeX or HTML from its characters)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]<>()#+-.!|$~" else ch for ch in text)

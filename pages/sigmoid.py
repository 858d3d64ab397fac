"""Sigmoid: from a straight line to a probability."""

import numpy as np
import streamlit as st

import logreg
from logreg.activations import naive_overflows
from ui import figures, quiz
from ui.code import code_expander, show_code
from ui.widgets import chart, ensure_entry_navigation, table, try_this

ensure_entry_navigation()

st.title("Sigmoid: turning a score into a probability")
quiz_slot = quiz.slot()
st.markdown("Logistic regression computes a score $z = w^\\top x + b$ and must output $\\hat y = P(y = 1 \\mid x) \\in [0, 1]$.")
st.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \hat y = \sigma(w^\top x + b)")

# Each section's controls rerun only that section (st.fragment): a slider move redraws its own charts, not
# the page. The Check yourself block keeps the questions it drew (ui/quiz.py), so nothing else goes stale.


@st.fragment
def sigma_and_slope() -> float:
    """σ over a chosen z-range with a readout point, and σ' beside it: both follow the same z sliders."""
    c1, c2 = st.columns([1, 3])
    with c1:
        z_lo, z_hi = st.slider("z range", -30.0, 30.0, (-8.0, 8.0), step=0.5, key="z_range", bind="query-params")
        if z_hi - z_lo < 1.0:
            st.warning("The range is very narrow; widen it to see the S shape.")
            z_hi = z_lo + 1.0
        z0 = st.slider("readout at z", -30.0, 30.0, 2.0, step=0.1, key="z", bind="query-params")
        s0, ds0 = logreg.sigmoid(z0), logreg.sigmoid_derivative(z0)
        st.metric("σ(z)", f"{s0:.4f}")
        st.metric("σ'(z) = σ(1 − σ)", f"{ds0:.4f}")
        st.caption(f"Prediction at the 0.5 cut-off: **{int(s0 > 0.5)}**")
    z = np.linspace(min(z_lo, z0), max(z_hi, z0), 401)
    s = logreg.sigmoid(z)
    with c2:
        chart(figures.sigmoid_curve(z, s, z_point=z0, s_point=s0), key="sigmoid_chart")

    st.subheader("Its derivative")
    st.latex(r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)")
    chart(figures.sigmoid_derivative_curve(z, s, logreg.sigmoid_derivative(z), z_point=z0, ds_point=ds0),
          key="derivative_chart")
    return z0


@st.fragment
def output_options() -> tuple[float, float]:
    """Option 1 (w x + b) against option 2 (σ of it) for a 1-D input, driven by the w and b sliders."""
    st.subheader("Why not just ŷ = w x + b?")
    st.markdown("With one input $x$: option 1 outputs $w x + b$, which leaves $[0, 1]$; option 2 wraps it in $\\sigma$.")
    c1, c2 = st.columns([1, 3])
    with c1:
        w = st.slider("w", -5.0, 5.0, 1.5, step=0.1, key="w", bind="query-params")
        b = st.slider("b", -5.0, 5.0, 0.0, step=0.1, key="b", bind="query-params")
    x = np.linspace(-5.0, 5.0, 201)
    linear = w * x + b  # option 1 is the plain line itself
    logistic = logreg.predict_proba(np.array([[w]]), b, x.reshape(1, -1))[0]
    with c1:
        st.caption(f"Option 1 spans [{linear.min():.2f}, {linear.max():.2f}] on this x range.")
    with c2:
        chart(figures.output_options(x, linear, logistic, w=w, b=b), key="options_chart")
    return w, b


z0 = sigma_and_slope()
w, b = output_options()

# --- naive vs stable ------------------------------------------------------------------------------
st.subheader("Naive vs stable at extreme z")
st.markdown(
    "The textbook `1 / (1 + np.exp(-z))` overflows `np.exp` for $z < -709.8$ (float64) and NumPy warns. "
    "The stable form uses $e^{-|z|}$, which never overflows, and the cost is computed from $z$ itself:"
)
st.latex(r"\begin{aligned}-\log \sigma(z) &= \log\bigl(1 + e^{-z}\bigr)\\ -\log\bigl(1 - \sigma(z)\bigr) &= \log\bigl(1 + e^{z}\bigr)"
         r"\end{aligned} \quad\text{(softplus, exact for every finite } z\text{)}")  # rows: fits a 900 px window
naive_col, stable_col = st.columns(2)
with naive_col:
    st.markdown("**Naive**: the course's one line, `1 / (1 + np.exp(-z))`")
    show_code(logreg.sigmoid_naive)
with stable_col:
    st.markdown("**Stable**: $e^{-|z|}$ and one of two algebraically equal forms, picked by the sign of $z$")
    show_code(logreg.sigmoid)
@st.fragment
def extreme_readout() -> None:
    """Naive and stable σ and loss at one typed z: the number input reruns only this table."""
    z_ext = st.number_input("an extreme z", -1e6, 1e6, -800.0, step=100.0, key="z_extreme", bind="query-params")
    table(
        {
            "": ["np.exp(-z) overflows?", "naive σ(z)", "stable σ(z)", "L(σ(z), y=1) from σ (clipped)", "L from z (stable)"],
            f"z = {z_ext:g}": [
                "yes: NumPy warns" if naive_overflows(z_ext) else "no",
                f"{logreg.sigmoid_naive(z_ext):.6g}",
                f"{logreg.sigmoid(z_ext):.6g}",
                f"{logreg.loss(logreg.sigmoid_naive(z_ext), 1.0):.6g}",
                f"{logreg.loss_from_logits(z_ext, 1.0):.6g}",
            ],
        }
    )


extreme_readout()
z_wide = np.linspace(-10.0, 80.0, 361)
s_wide = logreg.sigmoid(z_wide)  # the stable σ: for z > 0 the naive one gives the same numbers
chart(figures.stability_curves(z_wide, s_wide, logreg.loss(s_wide, 0.0), logreg.loss_from_logits(z_wide, 0.0)),
      key="stability_chart")

code_expander("The NumPy code that runs on this page", logreg.sigmoid_derivative, logreg.loss_from_logits,
              key="sigmoid_code", note="σ itself, naive and stable, is shown in the section above.")

try_this(
    "set w = 5 and b = 0: option 1 reaches ±25, option 2 becomes a near-step. "
    "Then move the readout to z = 6 and see σ' shrink to 0.0025. With squared error the gradient would carry that "
    "factor and a confidently wrong neuron would barely learn; the cross-entropy cancels it (dz = a − y, on Backprop)."
)

quiz.check_yourself("sigmoid", {"w": w, "b": b, "z": z0}, container=quiz_slot)

"""Loss & cost: the cross-entropy, its convex bowl, and gradient descent walking down it."""

import numpy as np
import streamlit as st

import logreg
from logreg import surfaces
from ui import figures, quiz
from ui.code import show_code
from ui.widgets import chart, ensure_entry_navigation, try_this

ensure_entry_navigation()

st.title("Loss, cost and gradient descent")
quiz_slot = quiz.slot()

# --- the loss of one example ---------------------------------------------------------------------
st.subheader("The loss of one example")
st.latex(r"\mathcal{L}(\hat y, y) = -\bigl(y \log \hat y + (1 - y)\log(1 - \hat y)\bigr)")
c1, c2 = st.columns([1, 3])
with c1:
    y_hat = st.slider("ŷ, the predicted probability", 0.001, 0.999, 0.8, step=0.001, format="%.3f", key="y_hat", bind="query-params")
    l1, l0 = logreg.loss(y_hat, 1.0), logreg.loss(y_hat, 0.0)
    st.metric("L(ŷ, 1) = −log ŷ", f"{l1:.3f}")
    st.metric("L(ŷ, 0) = −log(1 − ŷ)", f"{l0:.3f}")
grid = np.linspace(0.001, 0.999, 300)
with c2:
    chart(figures.loss_curves(grid, logreg.loss(grid, 1.0), logreg.loss(grid, 0.0), y_hat_point=y_hat, point_y1=l1, point_y0=l0),
          key="loss_chart")

# --- the cost over a data set, and gradient descent --------------------------------------------
st.subheader("The cost J(w, b) over a small data set")
st.markdown("Twenty examples with one feature $x$ (two overlapping classes); the model is $\\hat y = \\sigma(w x + b)$.")
st.latex(r"J(w, b) = \frac{1}{m}\sum_{i=1}^{m} \mathcal{L}\bigl(\sigma(w x^{(i)} + b),\, y^{(i)}\bigr)"
         r"\qquad\text{vs}\qquad J_{\text{sq}}(w, b) = \frac{1}{m}\sum_{i=1}^{m} \tfrac12\bigl(\sigma(w x^{(i)} + b) - y^{(i)}\bigr)^2")

PRESETS = {"slow": 0.1, "good": 5.0, "diverges": 300.0}
LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0]


def _set_lr(value):
    st.session_state["lr"] = value


def _step(delta):
    st.session_state["steps"] = int(min(100, max(0, st.session_state.get("steps", 10) + delta)))


@st.cache_data(max_entries=64, show_spinner=False)
def _surfaces(half_w, half_b, n=61):
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    w = np.linspace(-half_w, half_w, n)
    b = np.linspace(-half_b, half_b, n)
    return w, b, surfaces.cost_grid(X, Y, w, b), surfaces.cost_grid(X, Y, w, b, kind="squared_error")


@st.cache_data(max_entries=256, show_spinner=False)
def _path(w0, b0, lr, steps):
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    p = surfaces.gradient_descent_path(X, Y, w0, b0, lr, steps)
    return {"w": p["w"][:, 0], "b": p["b"], "cost": p["cost"], "dw": p["dw"][:, 0], "db": p["db"]}


@st.cache_data(show_spinner=False)
def _lowest_cost():
    """J at the bottom of the bowl (the cross-entropy is convex: a long good run finds it)."""
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    return float(surfaces.gradient_descent_path(X, Y, 0.0, 0.0, PRESETS["good"], 500)["cost"][-1])


controls, readout = st.columns([1, 1])
with controls:
    a, b_ = st.columns(2)
    w0 = a.slider("start w", -6.0, 6.0, -4.0, step=0.5, key="w0", bind="query-params")
    b0 = b_.slider("start b", -6.0, 6.0, 4.0, step=0.5, key="b0", bind="query-params")
    lr = st.select_slider("learning rate α", LEARNING_RATES, value=1.0, format_func=lambda v: f"{v:g}", key="lr", bind="query-params")
    p1, p2, p3 = st.columns(3)
    p1.button("slow (α = 0.1)", on_click=_set_lr, args=(PRESETS["slow"],), key="preset_slow", width="stretch")
    p2.button("good (α = 5)", on_click=_set_lr, args=(PRESETS["good"],), key="preset_good", width="stretch")
    p3.button("diverges (α = 300)", on_click=_set_lr, args=(PRESETS["diverges"],), key="preset_diverge", width="stretch")
    steps = st.slider("steps", 0, 100, 10, key="steps", bind="query-params")
    s1, s2 = st.columns(2)
    s1.button("◀ one step back", on_click=_step, args=(-1,), key="step_back", width="stretch")
    s2.button("one step forward ▶", on_click=_step, args=(1,), key="step_forward", width="stretch")

try:
    path = _path(w0, b0, lr, steps)
except (ValueError, FloatingPointError) as exc:
    st.error(f"Gradient descent could not run: {exc}. Lower the learning rate or the number of steps.")
    st.stop()

with readout:
    st.latex(r"w := w - \alpha\,\frac{\partial J}{\partial w}, \qquad b := b - \alpha\,\frac{\partial J}{\partial b}")
    k = max(steps - 1, 0)
    if steps:
        st.latex(rf"w_{{{k + 1}}} = {path['w'][k]:.3f} - {lr:g} \times ({path['dw'][k]:.3f}) = {path['w'][k + 1]:.3f}")
        st.latex(rf"b_{{{k + 1}}} = {path['b'][k]:.3f} - {lr:g} \times ({path['db'][k]:.3f}) = {path['b'][k + 1]:.3f}")
    st.metric("J after the last step", f"{path['cost'][-1]:.4f}", delta=f"{path['cost'][-1] - path['cost'][0]:+.4f} since the start",
              delta_color="inverse")
    rises = np.flatnonzero(np.diff(path["cost"]) > 0)
    if path["cost"][-1] > path["cost"][0]:
        st.warning(
            f"Diverging: after {steps} steps J = {path['cost'][-1]:.3f} is higher than at the start ({path['cost'][0]:.3f}). "
            f"α = {lr:g} is too large: each step jumps past the bottom of the bowl, higher up the far side. "
            "Try a smaller learning rate (the 'good' preset)."
        )
    elif rises.size:
        st.warning(
            f"Overshooting: J went up at step {rises[0] + 1}. α = {lr:g} is too large for a smooth descent: "
            "the steps bounce across the bowl. Lower α to see a steady fall."
        )
    elif steps:
        J_min = _lowest_cost()
        done = (path["cost"][0] - path["cost"][-1]) / max(path["cost"][0] - J_min, 1e-12)
        if done < 0.5:
            st.info(f"Slow progress: after {steps} steps J has covered {done:.0%} of the way down to its minimum "
                    f"({J_min:.3f}). Raise α or take more steps.")
        elif done > 0.99:
            st.success(f"Converged: J = {path['cost'][-1]:.4f} is at the bottom of the bowl ({J_min:.4f}).")

# The view grows to keep the whole path in sight (divergent paths jump far).
half_w = float(max(6.0, 1.1 * np.abs(path["w"]).max()))
half_b = float(max(6.0, 1.1 * np.abs(path["b"]).max()))
wg, bg, J_ce, J_sq = _surfaces(round(half_w, 1), round(half_b, 1))
view = st.radio("view", ["contour", "3-D surface"], horizontal=True, key="view", bind="query-params")
left, right = st.columns(2)
if view == "contour":
    with left:
        chart(figures.cost_contour(wg, bg, J_ce, path=path, title="Cross-entropy J: one bowl, convex"), key="ce_chart")
    with right:
        chart(figures.cost_contour(wg, bg, J_sq, title="Squared error of σ(w x + b): plateaus, not convex"), key="sq_chart")
else:
    with left:
        chart(figures.cost_surface(wg, bg, J_ce, path=path, title="Cross-entropy J: one bowl, convex"), key="ce_chart")
    with right:
        chart(figures.cost_surface(wg, bg, J_sq, title="Squared error of σ(w x + b): plateaus, not convex"), key="sq_chart")
st.caption("The path (red) is gradient descent on the cross-entropy. The squared-error surface is flat far from the data, "
           "so its gradient vanishes there and descent can stall: that is why logistic regression uses the cross-entropy.")
chart(figures.cost_history(path["cost"]), key="history_chart")

with st.expander("The NumPy code that runs on this page"):
    show_code(surfaces.gradient_descent_path, surfaces.cost_grid, logreg.loss)

try_this("press **slow**, **good** and **diverges** in turn, then walk the diverging run one step at a time with ▶.")

quiz.check_yourself("loss", {"y_hat": y_hat}, container=quiz_slot)

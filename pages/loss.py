"""Loss & cost: the cross-entropy, its convex bowl, and gradient descent walking down it."""


import numpy as np
import streamlit as st

import logreg
from logreg import diagnostics, surfaces
from ui import figures, quiz
from ui.arithmetic import update_latex
from ui.code import code_expander
from ui.widgets import chart, ensure_entry_navigation, try_this

ensure_entry_navigation()

st.title("Loss, cost and gradient descent")
quiz_slot = quiz.slot()

# --- the loss of one example ---------------------------------------------------------------------
st.subheader("The loss of one example")
st.latex(r"\mathcal{L}(\hat y, y) = -\bigl(y \log \hat y + (1 - y)\log(1 - \hat y)\bigr)")
@st.fragment
def one_example() -> float:
    """ŷ and the two losses at it; the slider reruns only this section (the questions keep their snapshot)."""
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
    return y_hat


y_hat = one_example()

# --- the cost over a data set, and gradient descent --------------------------------------------
st.subheader("The cost J(w, b) over a small data set")
st.markdown("Twenty examples with one feature $x$ (two overlapping classes); the model is $\\hat y = \\sigma(w x + b)$.")
st.latex(r"\begin{aligned}J(w, b) &= \frac{1}{m}\sum_{i=1}^{m} \mathcal{L}\bigl(\sigma(w x^{(i)} + b),\, y^{(i)}\bigr)"
         r"&&\text{(cross-entropy)}\\ J_{\text{sq}}(w, b) &= \frac{1}{m}\sum_{i=1}^{m} \tfrac12\bigl(\sigma(w x^{(i)} + b)"
         r" - y^{(i)}\bigr)^2&&\text{(squared error)}\end{aligned}")  # rows: side by side overflowed a 900 px window

#: Each preset sets α and runs PRESET_STEPS steps; what it shows is diagnosed from the run, not fixed here.
PRESETS = {"slow": 0.1, "good": 5.0, "large": 300.0}
PRESET_STEPS = 30
PRESET_LABELS = {"slow": "slow", "good": "good", "large": "too large"}
LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0]
DEFAULTS = {"lr": 1.0, "steps": 10}


def _set_state(**values):
    """Button callback: set widgets through the Session State API, and note which (see _default)."""
    st.session_state.update(values)
    st.session_state["_loss_set_by_api"] = set(values)


def _default(key, set_by_api):
    """A widget's default, or None in the run where a button set its value (Streamlit warns about both at once)."""
    return None if key in set_by_api else DEFAULTS[key]


def _step(delta):
    _set_state(steps=int(min(100, max(0, st.session_state.get("steps", DEFAULTS["steps"]) + delta))))


@st.cache_data(max_entries=64, show_spinner=False)
def _surfaces(half_w, half_b, n=61):
    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    w = np.linspace(-half_w, half_w, n)
    b = np.linspace(-half_b, half_b, n)
    return w, b, surfaces.cost_grid(X, Y, w, b), surfaces.cost_grid(X, Y, w, b, kind="squared_error")


@st.cache_data(show_spinner=False)
def _data():
    return surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)


@st.cache_data(max_entries=256, show_spinner=False)
def _path(w0, b0, lr, steps):
    X, Y = _data()
    p = surfaces.gradient_descent_path(X, Y, w0, b0, lr, steps)
    Z = p["w"][-1:] @ X + p["b"][-1]  # the logits where the run stopped: the diagnosis reads the slope there
    return {"w": p["w"][:, 0], "b": p["b"], "cost": p["cost"], "dw": p["dw"][:, 0], "db": p["db"],
            "diagnosis": diagnostics.diagnose(p["cost"], Z=Z, Y=Y, X=X, record_every=1)}


@st.cache_data(show_spinner=False)
def _bottom():
    """(J, w, b) at the bottom of the bowl (the cross-entropy is convex: a long good run finds it)."""
    X, Y = _data()
    p = surfaces.gradient_descent_path(X, Y, 0.0, 0.0, PRESETS["good"], 500)
    return float(p["cost"][-1]), float(p["w"][-1, 0]), float(p["b"][-1])


@st.fragment
def descent() -> None:
    """The start, α and steps controls and everything they drive: rerun alone when one of them moves."""
    set_by_api = st.session_state.pop("_loss_set_by_api", set())
    controls, readout = st.columns([1, 1])
    with controls:
        a, b_ = st.columns(2)
        w0 = a.slider("start w", -6.0, 6.0, -4.0, step=0.5, key="w0", bind="query-params")
        b0 = b_.slider("start b", -6.0, 6.0, 4.0, step=0.5, key="b0", bind="query-params")
        lr = st.select_slider("learning rate α", LEARNING_RATES, value=_default("lr", set_by_api), format_func=lambda v: f"{v:g}",
                              key="lr", bind="query-params")
        for col, name in zip(st.columns(3), PRESETS, strict=True):
            col.button(f"{PRESET_LABELS[name]} (α = {PRESETS[name]:g})", on_click=_set_state,
                       kwargs={"lr": PRESETS[name], "steps": PRESET_STEPS}, key=f"preset_{name}", width="stretch",
                       help=f"α = {PRESETS[name]:g} and {PRESET_STEPS} steps")
        steps = st.slider("steps", 0, 100, _default("steps", set_by_api), key="steps", bind="query-params")
        s1, s2 = st.columns(2)
        s1.button("◀ one step back", on_click=_step, args=(-1,), key="step_back", width="stretch")
        s2.button("one step forward ▶", on_click=_step, args=(1,), key="step_forward", width="stretch")

    try:
        path = _path(w0, b0, lr, steps)
    except (ValueError, FloatingPointError) as exc:
        st.error(f"Gradient descent could not run: {exc}. Lower the learning rate or the number of steps.")
        return

    with readout:
        st.latex(r"w := w - \alpha\,\frac{\partial J}{\partial w}, \qquad b := b - \alpha\,\frac{\partial J}{\partial b}")
        k = max(steps - 1, 0)
        if steps:
            st.latex(update_latex("w", k, path["w"][k], lr, path["dw"][k], path["w"][k + 1]))
            st.latex(update_latex("b", k, path["b"][k], lr, path["db"][k], path["b"][k + 1]))
        st.metric("J after the last step" if steps else "J at the start (no step yet)", f"{path['cost'][-1]:.4f}",
                  delta=f"{path['cost'][-1] - path['cost'][0]:+.4f} since the start", delta_color="inverse")
        d = path["diagnosis"]
        show = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}[d.level]
        show(f"**{d.headline}** (α = {lr:g}, {steps} step{'' if steps == 1 else 's'}). {d.message}")
        J_min, w_min, b_min = _bottom()
        st.caption(f"The bottom of this bowl is J = {J_min:.4f}, at w = {w_min:.3f}, b = {b_min:.3f}.")

    # The view grows to keep the whole path in sight (a too-large α throws (w, b) far out).
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
    X, Y = _data()
    x_grid = np.linspace(min(-5.0, X.min()), max(5.0, X.max()), 201)
    w_now, b_now = float(path["w"][-1]), float(path["b"][-1])
    fit, history = st.columns(2)
    with fit:
        chart(figures.data_fit(X, Y, x_grid, logreg.predict_proba(np.array([[w_now]]), b_now, x_grid.reshape(1, -1))[0],
                               w=w_now, b=b_now, step=steps), key="data_chart")
        st.caption("Every point of the contour is one (w, b), i.e. one curve here; J is the mean loss of these "
                   "twenty points under it.")
    with history:
        chart(figures.cost_history(path["cost"]), key="history_chart")


descent()

code_expander("The NumPy code that runs on this page", surfaces.gradient_descent_path, surfaces.cost_grid, logreg.loss,
              key="loss_code")

try_this("press **slow**, **good** and **too large** in turn. With α = 300, walk the run one step at a time with "
         "◀ and ▶: far from the bottom the slope is almost constant, so (w, b) walks back down in even steps; each time "
         "it gets near the bottom, one step throws it far up the bowl again. J never settles, yet it never blows up: "
         "the cross-entropy's gradient is at most the mean |x| of the data.")

quiz.check_yourself("loss", {"y_hat": y_hat}, container=quiz_slot)

"""Backprop: the computation graph of one neuron, the chain rule with live numbers, one example to m, gradient checking."""

import numpy as np
import streamlit as st

from logreg import bugs, datasets, graph, surfaces
from logreg.gradcheck import gradient_check, numerical_gradients
from logreg.loops import two_feature_loop
from ui import backprop_figures as bf
from ui import quiz
from ui.code import code_expander, show_code
from ui.widgets import chart, ensure_entry_navigation, table, try_this

ensure_entry_navigation()

#: The loop runs on every rerun: at ~2-5 µs per example this keeps it under ~10 ms (50 ms on a busy machine).
MAX_M = 2000
WARMUP_LIMIT = 100.0  # a, b, c
NEURON_LIMIT = 20.0  # x1, x2, w1, w2, b
EPSILONS = [0.001, 0.01, 0.1, 1.0]

st.title("Backprop: the computation graph of one neuron")
quiz_slot = quiz.slot()
st.markdown(
    "A network computes in two passes. The **forward pass** goes left to right through a graph of small steps "
    "and ends with the loss. The **backward pass** goes right to left and multiplies local derivatives (the chain rule), "
    "giving the derivative of the loss with respect to every node. Here is where $dz = a - y$ comes from."
)


@st.cache_data(max_entries=16, show_spinner=False)
def _data(m):
    return datasets.make_blobs(m, noise=1.5, seed=0)


def _number(label, key, default, limit, step=1.0):
    return st.number_input(label, -limit, limit, default, step=step, key=key, bind="query-params")


# --- 1. warm-up ---------------------------------------------------------------------------------------


@st.fragment
def warmup_section() -> None:
    """J = 3(a + b·c) and a nudge of one input: its controls rerun only this section."""
    st.subheader("1 · Warm-up: J = 3(a + b·c)")
    st.latex(r"u = b\,c \quad\longrightarrow\quad v = a + u \quad\longrightarrow\quad J = 3v"
             r"\qquad\qquad \frac{dJ}{db} = \frac{dJ}{dv}\,\frac{dv}{du}\,\frac{du}{db} = 3 \cdot 1 \cdot c")
    left, right = st.columns([1, 3])
    with left:
        # literal keys: ui/params.py's table bounds each one (a link's value outside ±WARMUP_LIMIT gets a notice)
        a, b, c = (_number("a", "bp_a", 5.0, WARMUP_LIMIT), _number("b", "bp_b", 3.0, WARMUP_LIMIT),
                   _number("c", "bp_c", 2.0, WARMUP_LIMIT))
        which = st.radio("nudge which input?", list(graph.WARMUP_INPUTS), horizontal=True, key="bp_nudge", bind="query-params")
        eps = st.select_slider("by ε", EPSILONS, value=0.001, key="bp_eps", bind="query-params")
    try:
        a, b, c = (graph.check_range(x, n, -WARMUP_LIMIT, WARMUP_LIMIT) for x, n in ((a, "a"), (b, "b"), (c, "c")))
        warm, nudge = graph.warmup_graph(a, b, c), graph.warmup_nudge(a, b, c, which=which, eps=eps)
    except ValueError as exc:
        st.error(f"The warm-up cannot run: {exc}. Type a number between {-WARMUP_LIMIT:g} and {WARMUP_LIMIT:g}.")
    else:
        with right:
            chart(bf.warmup_figure(warm), key="bp_warmup_chart", summary=bf.describe_warmup(warm))
        m1, m2, m3 = st.columns(3)
        m1.metric(f"J after {which} += ε", f"{nudge['J_nudged']:.8g}")
        m2.metric("J moved by", f"{nudge['change']:.6g}")
        m3.metric(f"dJ/d{which} × ε predicts", f"{nudge['predicted']:.6g}")
        st.markdown(f"Adding ε = {eps:g} to {which} moves J from {nudge['J']:.8g} to {nudge['J_nudged']:.8g}: "
                    f"the derivative dJ/d{which} = {bf.fmt(nudge['derivative'])} says how many times ε the output moves "
                    f"(a central difference gives {nudge['numeric']:.6f}). J is linear in each input, so the prediction holds "
                    "for any ε; for the neuron below it holds only for small ε.")
        code_expander("The code of this graph and of the nudge", graph.warmup_graph, graph.warmup_nudge,
                      key="bp_warmup_code")


warmup_section()

# --- 2. one example --------------------------------------------------------------------------------


@st.fragment
def neuron_sections() -> dict | None:
    """Sections 2 to 4 follow the same neuron (x, w, b, y): any of their controls reruns them, not section 1.
    Returns what the questions read, or None when the example cannot run."""
    st.subheader("2 · One example of logistic regression")
    st.latex(r"z = w_1 x_1 + w_2 x_2 + b \;\longrightarrow\; a = \sigma(z) \;\longrightarrow\; "
             r"\mathcal{L}(a, y) = -\bigl(y \log a + (1 - y)\log(1 - a)\bigr)")
    left, right = st.columns([1, 3])
    with left:
        c1, c2 = st.columns(2)
        with c1:
            x1 = _number("x1", "bp_x1", 1.0, NEURON_LIMIT, 0.5)
        with c2:
            x2 = _number("x2", "bp_x2", 2.0, NEURON_LIMIT, 0.5)
        w1 = st.slider("w1", -NEURON_LIMIT, NEURON_LIMIT, 0.8, step=0.1, key="bp_w1", bind="query-params")
        w2 = st.slider("w2", -NEURON_LIMIT, NEURON_LIMIT, -0.3, step=0.1, key="bp_w2", bind="query-params")
        b0 = st.slider("b", -NEURON_LIMIT, NEURON_LIMIT, 0.2, step=0.1, key="bp_bias", bind="query-params")
        y = st.radio("label y", [1, 0], horizontal=True, key="bp_y", bind="query-params")
    try:
        x1, x2 = graph.check_range(x1, "x1", -NEURON_LIMIT, NEURON_LIMIT), graph.check_range(x2, "x2", -NEURON_LIMIT, NEURON_LIMIT)
        g = graph.neuron_graph(x1, x2, w1, w2, b0, y)
    except ValueError as exc:
        st.error(f"This example cannot run: {exc}. Type numbers between {-NEURON_LIMIT:g} and {NEURON_LIMIT:g}.")
        return None
    with right:
        chart(bf.neuron_figure(g), key="bp_neuron_chart", summary=bf.describe_neuron(g))

    st.markdown("**From da to dz, with your numbers.** The chain rule multiplies the loss's slope in $a$ by σ's slope in $z$:")
    st.latex(r"da = \frac{d\mathcal{L}}{da} = -\frac{y}{a} + \frac{1 - y}{1 - a}, \qquad "
             r"\frac{da}{dz} = \sigma'(z) = a(1 - a)")
    st.latex(r"dz = da \cdot a(1 - a) = -y(1 - a) + (1 - y)\,a = a - y")
    num = rf"dz = \underbrace{{{bf.tex(g['da'])}}}_{{da}} \times \underbrace{{{bf.tex(g['sigma_prime'])}}}_{{a(1-a)}}"
    num += rf" = {bf.tex(g['dz_chain'])}" if g["dz_chain"] is not None else r" \;\text{(not formed: a factor overflows or rounds to 0)}"
    a_minus_y = r"-(1 - a)" if y == 1 and g["saturated"] else rf"{bf.tex(g['a'])} - {int(y)}"  # a = 0.99999... prints as 1
    st.latex(num + rf" \qquad a - y = {a_minus_y} = {bf.tex(g['dz'])}")
    if g["saturated"]:
        rounds = (f"In float64, a is exactly {g['a']:.1f}, so the unsimplified product would be "
                  f"{'NaN (0 × ∞ or 0/0)' if graph.naive_chain_is_nan(g['z'], y) else 'finite but imprecise'}. "
                  if g["a_rounds"] else "")
        learns = ("it still learns fast: a confident wrong answer gives |dz| ≈ 1" if abs(g["dz"]) > 0.5
                  else "it barely learns from this example: it is confidently right, so dz ≈ 0")
        sp = "rounds to 0 in float64" if g["sigma_prime"] == 0 else f"= {bf.fmt(g['sigma_prime'])} is tiny"
        da = "overflows float64" if g["da"] is None else f"= {bf.fmt(g['da'])}"
        st.warning(
            f"**Saturated neuron** (z = {bf.fmt(g['z'])}): σ'(z) = a(1 − a) {sp}, and da {da}. "
            f"On paper their product is simply dz = a − y = {bf.fmt(g['dz'])}. {rounds}"
            f"That is why the code uses a − y, never da × a(1 − a): here {learns}. "
            "(With a squared-error loss the tiny σ' would stay in dz and learning would stall.)"
        )
    rows = [("da", "dL/da"), ("dz", "dL/dz = a − y"), ("dw1", "dL/dw1 = x1·dz"), ("dw2", "dL/dw2 = x2·dz"), ("db", "dL/db = dz")]
    table({
        "derivative": [label for _, label in rows],
        "chain rule": [bf.fmt(g[k]) for k, _ in rows],
        "central difference": [bf.fmt(g["numeric"][k]) for k, _ in rows],
        "relative difference": ["— (a is too close to 0 or 1 for float64 to nudge)" if g["rel_diff"][k] is None
                                else f"{g['rel_diff'][k]:.1e} {'✓' if g['rel_diff'][k] < bugs.PASS else '✗'}" for k, _ in rows],
    })
    st.markdown("Each central difference nudges one input both ways, $(\\mathcal{L}(t + h) - \\mathcal{L}(t - h))/2h$, "
                "and knows nothing of the chain rule; a relative difference near $10^{-7}$ or smaller means they agree.")
    code_expander("The code of this graph: forward, backward and the central differences", graph.neuron_graph,
                  key="bp_neuron_code")

    # --- 3. m examples ---------------------------------------------------------------------------------
    st.subheader("3 · m examples: the loop, then two lines of NumPy")
    st.markdown("The same neuron (your w1, w2, b) on a small generated data set: two overlapping clouds of points, "
                "half labelled 1 (for an odd m, label 0 has the extra one). The cost and its gradients are averages over "
                "the m examples.")
    st.latex(r"J = \frac{1}{m}\sum_{i=1}^{m}\mathcal{L}(a^{(i)}, y^{(i)}), \qquad "
             r"dw_1 = \frac{1}{m}\sum_{i=1}^{m} x_1^{(i)}\,dz^{(i)}, \qquad db = \frac{1}{m}\sum_{i=1}^{m} dz^{(i)}")
    m = st.slider("examples m", 2, MAX_M, 40, key="bp_m", bind="query-params")
    X, Y = _data(m)
    w = np.array([[w1], [w2]])
    loop = two_feature_loop(w1, w2, b0, X, Y)
    steps = surfaces.propagate_steps(w, b0, X, Y)
    left, right = st.columns(2)
    with left:
        st.markdown("**The loop** (the lecture's, one example at a time): `two_feature_loop`")
        show_code(two_feature_loop)
    with right:
        st.markdown("**Vectorized**: every example at once, `propagate_steps`")
        st.latex(r"\begin{gathered}Z = w^\top X + b,\qquad A = \sigma(Z)\\ dZ = A - Y\end{gathered}")  # fits a half column
        st.latex(r"dw = \tfrac{1}{m}\, X\,dZ^\top,\qquad db = \tfrac{1}{m}\textstyle\sum_i dZ^{(i)}")
        table({
            "array": ["X", "Y", "w", "Z = wᵀX + b", "A = σ(Z)", "dZ = A − Y", "dw = X dZᵀ / m", "db = Σ dZ / m"],
            "shape": [str(np.shape(v)) for v in (X, Y, w, steps["Z"], steps["A"], steps["dZ"], steps["dw"])] + ["a scalar"],
            "why": ["2 features × m examples", "one label per example", "one weight per feature", "(1, 2) @ (2, m), b broadcast",
                    "element-wise", "element-wise", "(2, m) @ (m, 1)", "sum of m numbers"],
        })
        show_code(surfaces.propagate_steps)
    vec = {"J": steps["cost"], "dw1": steps["dw"][0, 0], "dw2": steps["dw"][1, 0], "db": steps["db"]}
    gap = max(abs(loop[k] - vec[k]) for k in vec)
    table({"": ["loop", "vectorized"], **{k: [f"{loop[k]:.10f}", f"{vec[k]:.10f}"] for k in vec}})
    if gap < 1e-9:
        st.success(f"Same numbers: the largest difference over J, dw1, dw2 and db is {gap:.1e} (rounding order only).")
    else:
        st.error(f"The loop and the vectorized step disagree by {gap:.1e}: that is a bug, please report it.")
    st.page_link("pages/vectorization.py", label="Next: time the loop against the vectorized step", icon=":material/bolt:")

    # --- 4. gradient checking ----------------------------------------------------------------------------
    st.subheader("4 · Gradient checking: catch a wrong backward pass")
    st.markdown("`gradient_check` compares a backward pass with central differences of the cost on these m examples. "
                "Plant one of five fixed mistakes and watch the check catch it.")
    st.latex(r"\text{relative difference} = \frac{\lVert g_{\text{analytic}} - g_{\text{numerical}}\rVert}"
             r"{\lVert g_{\text{analytic}}\rVert + \lVert g_{\text{numerical}}\rVert}"
             r"\qquad < 10^{-7}\ \checkmark \qquad > 10^{-3}\ \text{wrong}")
    bug = st.radio("plant a bug", list(bugs.BACKWARDS), format_func=lambda k: bugs.BACKWARDS[k][0], key="bp_bug",
                   bind="query-params")
    checks = {k: bugs.check_backward(k, w, b0, X, Y) for k in bugs.BACKWARDS}
    res = checks[bug]
    left, right = st.columns([1, 2])
    with left:
        if res["diff"] is None:
            st.metric("relative difference", "refused")
            st.warning(f"gradient_check refused it: {res['error']}. The numbers themselves are right (compared flat, the "
                       f"relative difference is {res['flat_diff']:.1e}), so a check of values alone would pass it; "
                       "but w − α·dw would broadcast the (2, 1) column against the (1, 2) row into a (2, 2) matrix.")
        else:
            st.metric("relative difference", f"{res['diff']:.2e}")
            verdict = bugs.verdict(res["diff"], res["scale"])
            if verdict == "too small to compare":
                st.info(f"**too small to compare**: here both gradients are under {bugs.TOO_SMALL:g} (‖analytic‖ + "
                        f"‖numerical‖ = {res['scale']:.1e}). σ is flat at these w and b: every a is within a hair of its "
                        "y, so A − Y holds little but float64 rounding, and the relative difference measures that "
                        "rounding, not the backward pass. Move w or b towards 0 to compare again.")
            else:
                say = {"pass": st.success, "fail": st.error, "look closer": st.warning}[verdict]
                say(f"**{verdict}**: " + ("the backward pass agrees with the numbers." if verdict == "pass" else
                                          "the backward pass disagrees with the central differences."))
        table({
            "": ["dw1", "dw2", "db"],
            "backward pass": [bf.fmt(x) for x in np.append(np.ravel(res["grads"]["dw"]), res["grads"]["db"])],
            "central difference": [bf.fmt(x) for x in np.append(res["numeric"]["dw"].ravel(), res["numeric"]["db"])],
        })
    labels = [bugs.BACKWARDS[k][0] for k in bugs.BACKWARDS]
    diffs = [checks[k]["diff"] for k in bugs.BACKWARDS]
    with right:
        chart(bf.check_figure(labels, diffs, chosen=list(bugs.BACKWARDS).index(bug), passed=bugs.PASS, failed=bugs.FAIL),
              key="bp_check_chart", summary=bf.describe_check(labels, diffs, bugs.PASS,
                                                              too_small=res["scale"] < bugs.TOO_SMALL))
    code_expander("The code that ran: this backward pass and the check", bugs.BACKWARDS[bug][1], bugs.check_backward,
                  gradient_check, numerical_gradients, key="bp_check_code")
    return {"a": g["a"], "y": int(y), "x1": x1}


quiz_state = neuron_sections()
if quiz_state is None:
    st.stop()

try_this(
    "plant **dz = y − a**: the relative difference is exactly 1, the gradient reversed. **Forgot the 1/m** at m = 40 "
    "gives (m − 1)/(m + 1) = 0.951. Then in section 2 set w1 = 20 and x1 = 20: z ≈ 400 and a rounds to exactly 1.0, "
    "where the textbook da × a(1 − a) would be NaN. Section 2 writes dz = a − y for y = 1 as −σ(−z), with no "
    "subtraction, so dz keeps its true tiny value; the vectorized A − Y of sections 3 and 4 would round it to 0."
)

quiz.check_yourself("backprop", quiz_state, container=quiz_slot)

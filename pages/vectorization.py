"""Vectorization: a for-loop vs one NumPy call, timed live, and one vectorized step with its shapes."""

import numpy as np
import streamlit as st
from numpy.lib.stride_tricks import sliding_window_view

import logreg
from logreg import surfaces
from logreg._text import plural
from ui import array_figures, quiz
from ui.code import code_expander, listing, show_code
from ui.widgets import best_time, chart, ensure_entry_navigation, try_this

ensure_entry_navigation()

#: The loop reference of propagate runs about a million Python steps per second: keep it under ~2 s.
MAX_LOOP_ELEMENTS = 200_000
#: The lecture's loop indexes NumPy arrays: ~0.4 s at 10^6 here; best_time stops repeating after 2 s.
VECTOR_LENGTHS = [1_000, 10_000, 100_000, 1_000_000]

st.title("Vectorization: one NumPy call instead of a for-loop")
quiz_slot = quiz.slot()
st.markdown(
    "A Python `for` loop handles one number per step; `np.dot` hands the whole array to compiled code "
    "(SIMD, cache-friendly). Same math, same numbers, very different time. Timings run only when you press a button."
)


def _frozen(*arrays):
    """``arrays``, read-only: this page's caches hand one object to every visitor (st.cache_resource, no copy),
    so a slip that wrote into one would change every other visitor's numbers; now it raises instead."""
    for a in arrays:
        a.flags.writeable = False
    return arrays


@st.cache_resource(max_entries=8, show_spinner=False)
def _vectors(n):
    rng = np.random.default_rng(0)
    return _frozen(rng.standard_normal(n), rng.standard_normal(n))


@st.cache_resource(max_entries=8, show_spinner=False)
def _problem(n_x, m):
    """w, b, X, Y for one step; X is a read-only window over n_x + m - 1 random numbers, not n_x * m of them.

    Row j of X is row 0 shifted j places. Every array here has n_x or m entries (at most 2000 + 5000 - 1),
    so an entry of this cache, shared by all visitors, holds at most ~100 kB whatever the sliders say.
    """
    rng = np.random.default_rng(1)
    X = sliding_window_view(rng.standard_normal(n_x + m - 1), m)  # (n_x, m), X[j, i] = the (j + i)-th number
    Y = (rng.random((1, m)) > 0.5).astype(np.float64)
    w = 0.1 * rng.standard_normal((n_x, 1))
    return (*_frozen(w), 0.1, X, *_frozen(Y))


@st.cache_resource(max_entries=8, show_spinner=False)
def _step(n_x, m):
    """Section 3's arrays: Z, A, dZ (1, m), dw (n_x, 1), db, cost; at most ~200 kB per entry, read-only."""
    steps = surfaces.propagate_steps(*_problem(n_x, m))
    _frozen(*(v for v in steps.values() if isinstance(v, np.ndarray)))
    return steps


def speedup_text(t_loop: float, t_vec: float) -> str:
    """The loop's time over the vectorized one: two significant digits (whole from 10 up), "slower" below 1.

    >>> speedup_text(0.0992, 0.196), speedup_text(0.196, 0.0992), speedup_text(31.2, 0.0563)
    ('0.51×, slower', '2.0×', '554×')
    """
    ratio = t_loop / t_vec
    text = f"{ratio:#.2g}".rstrip(".")
    if ratio >= 10 or "e" in text:
        text = f"{ratio:,.0f}"
    return f"{text}×, slower" if ratio < 1 else f"{text}×"


def speedup(container, t_loop: float, t_vec: float) -> None:
    """The speed-up metric in ``container``, and why when the vectorized code was the slower one."""
    container.metric("speed-up", speedup_text(t_loop, t_vec), help="the loop's time divided by the vectorized time")
    if t_loop < t_vec:
        st.caption("Slower here: each NumPy call has a fixed call overhead (checking types and shapes, allocating the "
                   "result: microseconds), which for a handful of numbers outweighs the multiply-adds it saves. "
                   "Grow the arrays and the same overhead is shared by thousands of numbers.")


def _time_dot():
    """Button callback: time both dot products at the chosen length, keep the result for this session."""
    n = st.session_state["vec_len"]
    a, b = _vectors(n)
    t_loop, v_loop = best_time(logreg.dot_loop, a, b, repeat=3)
    t_vec, v_vec = best_time(np.dot, a, b, repeat=20)
    st.session_state["dot_timing"] = {"n": n, "loop": (t_loop, v_loop), "vec": (t_vec, float(v_vec))}


def _time_propagate():
    """Button callback: time the loop and the vectorized propagate on the chosen (n_x, m) and compare their numbers."""
    n_x, m = st.session_state["n_x"], st.session_state["m"]
    if n_x * m > MAX_LOOP_ELEMENTS:
        return
    w, b, X, Y = _problem(n_x, m)
    X = np.ascontiguousarray(X)  # a real (n_x, m) matrix, as propagate gets in practice: at most 1.6 MB here
    t_loop, (g_loop, c_loop) = best_time(logreg.propagate_loop, w, b, X, Y, repeat=3)
    t_vec, (g_vec, c_vec) = best_time(logreg.propagate, w, b, X, Y, repeat=10)
    diff = max(float(np.max(np.abs(g_loop["dw"] - g_vec["dw"]))), abs(g_loop["db"] - g_vec["db"]), abs(c_loop - c_vec))
    st.session_state["propagate_timing"] = {"shape": (n_x, m), "loop": t_loop, "vec": t_vec, "diff": diff}


# --- dot product -----------------------------------------------------------------------------------
st.subheader("1. A dot product: for-loop vs np.dot")
st.latex(r"z = w^\top x = \sum_{i=1}^{n} w_i x_i")
c1, c2 = st.columns([1, 2])
with c1:
    n = st.select_slider("vector length n", VECTOR_LENGTHS, value=100_000, format_func=str,
                         key="vec_len", bind="query-params")
    st.button("Time the dot product", key="time_dot", type="primary", on_click=_time_dot)
timing = st.session_state.get("dot_timing")
with c2:
    if timing is None:
        st.caption("Press the button to time both on this machine.")
    else:
        (t_loop, v_loop), (t_vec, v_vec) = timing["loop"], timing["vec"]
        if timing["n"] != n:
            st.caption(f"Timed at n = {timing['n']:,}; press the button again for n = {n:,}.")
        chart(array_figures.timing_bars(["for-loop (dot_loop)", "np.dot"], [t_loop, t_vec], title=f"n = {timing['n']:,}"),
              key="dot_chart")
        m1, m2 = st.columns(2)
        speedup(m1, t_loop, t_vec)
        m2.metric("|loop − np.dot|", f"{abs(v_loop - v_vec):.2e}", help="Both sum the same products; only rounding order differs.")
loop_code, vec_code = st.columns(2)
with loop_code:
    st.markdown("**The for-loop that is timed**: the lecture's `for i in range(n): c += a[i] * b[i]`, "
                "indexing the NumPy arrays one element at a time")
    show_code(logreg.dot_loop)
with vec_code:
    st.markdown("**against one NumPy call**, timed the same way")
    listing("c = np.dot(a, b)")
    st.markdown("`np.dot` runs the same multiply-adds in compiled code: no Python step per element.")

# --- propagate -----------------------------------------------------------------------------------
st.subheader("2. A whole forward and backward pass: loops vs vectorized `propagate`")
c1, c2 = st.columns([1, 2])
with c1:
    n_x = st.slider("features n_x", 1, 2_000, 100, key="n_x", bind="query-params")
    m = st.slider("examples m", 1, 5_000, 500, key="m", bind="query-params")
    too_big = n_x * m > MAX_LOOP_ELEMENTS
    if too_big:
        st.warning(f"n_x · m = {n_x * m:,} would make the loop version take too long here; "
                   f"keep it at most {MAX_LOOP_ELEMENTS:,} (lower n_x or m).")
    st.button("Time propagate", key="time_propagate", type="primary", disabled=too_big, on_click=_time_propagate)
timing = st.session_state.get("propagate_timing")
with c2:
    if timing is None:
        st.caption("Press the button to time both on this machine.")
    else:
        shape = timing["shape"]
        if shape != (n_x, m):
            st.caption(f"Timed at (n_x, m) = {shape}; press the button again for {(n_x, m)}.")
        chart(array_figures.timing_bars(["loops (propagate_loop)", "vectorized (propagate)"], [timing["loop"], timing["vec"]],
                                  title=f"(n_x, m) = {shape}"), key="propagate_chart")
        m1, m2, m3 = st.columns(3)
        speedup(m1, timing["loop"], timing["vec"])
        m2.metric("largest difference in J, dw, db", f"{timing['diff']:.1e}")
        m3.metric("same numbers?", "yes" if timing["diff"] < 1e-9 else "no")
code_expander("The loops that are timed against `propagate`", logreg.propagate_loop, key="vec_loops_code")

# --- one vectorized step, with shapes --------------------------------------------------------------
st.subheader("3. One vectorized step, every array's shape")
w, b, X, Y = _problem(n_x, m)
steps = _step(n_x, m)
rows = [
    ("X", r"X \in \mathbb{R}^{n_x \times m}", X),
    ("Z", r"Z = w^\top X + b", steps["Z"]),
    ("A", r"A = \sigma(Z)", steps["A"]),
    ("dZ", r"dZ = A - Y", steps["dZ"]),
    ("dw", r"dw = \tfrac{1}{m}\, X\, dZ^\top", steps["dw"]),
    ("db", r"db = \tfrac{1}{m} \textstyle\sum_{i} dZ^{(i)}", np.float64(steps["db"])),
]
for name, formula, value in rows:
    f, s, v = st.columns([2, 1, 3], vertical_alignment="center")
    f.latex(formula)
    with s:
        listing(f"{name}.shape == {np.shape(value)}" if np.ndim(value) else f"{name} is a scalar")
    with v:
        listing(np.array2string(np.asarray(value), precision=3, threshold=8, edgeitems=2), language=None)
st.caption(f"With w of shape {w.shape} and b = {b}: the cost is J = {steps['cost']:.4f}.")
if n_x > 1 and m > 1:
    held = (f"a read-only view in which row j is row 0 shifted j places, so it holds "
            f"{plural(n_x + m - 1, 'number', spec=',')} instead of n_x · m = {n_x * m:,}")
else:  # one row or one column: the window is as large as the array, there is nothing to save
    held = (f"a read-only view of {plural(n_x + m - 1, 'number', spec=',')}; with "
            f"{'one row' if n_x == 1 else 'one column'} that is every entry of X, so here it saves nothing")
st.caption(f"X here is `sliding_window_view(rng.standard_normal(n_x + m - 1), m)`: {held}. NumPy computes with a "
           "view exactly as with any array; every other array above has n_x or m entries.")
code_expander("The NumPy code that runs for this step", surfaces.propagate_steps, logreg.propagate,
              key="vec_step_code")

try_this("time the dot product at n = 1,000,000, then time propagate at n_x = 400, m = 500 and compare the speed-ups.")

quiz.check_yourself("vectorization", {"n_x": n_x, "m": m}, container=quiz_slot)

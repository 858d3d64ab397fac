"""Broadcasting & rank-1 arrays: how NumPy stretches shapes, and the (n,) trap."""

import streamlit as st

from logreg import broadcasting as bc
from ui import array_figures, quiz
from ui.code import code_expander, listing
from ui.widgets import chart, ensure_entry_navigation, plain, table, try_this

ensure_entry_navigation()

#: Drawn with values written in the cells up to this many elements; as colour only up to HEATMAP_MAX.
HEATMAP_MAX = 10_000
# Option values are plain words so that shared URLs read well (?a_kind=column&op=divide).
KINDS = {"column": "(m, 1)", "row": "(1, n)", "scalar": "()", "typed": "type a shape"}
OPS = {"add": "+", "subtract": "-", "multiply": "*", "divide": "/"}
OP_LABELS = {"add": "+", "subtract": "−", "multiply": "×", "divide": "÷"}


def shape_picker(name, default_kind, default_typed, m, n):
    """The operand's shape from a kind (column, row, scalar) or typed text; None with a message if unreadable."""
    kind = st.radio(f"shape of {name}", list(KINDS), index=list(KINDS).index(default_kind), captions=list(KINDS.values()),
                    horizontal=True, key=f"{name.lower()}_kind", bind="query-params")
    if kind == "typed":
        text = st.text_input(f"{name}'s shape", default_typed, max_chars=64, key=f"{name.lower()}_shape",
                             bind="query-params", help="Whole numbers (digits 0-9) separated by commas or x, e.g. (3, 1), "
                                  "[3, 1], (5,), 2x3 or () for a scalar; brackets, if any, in a matching pair.")
        try:
            return bc.parse_shape(text)
        except ValueError as exc:
            st.error(f"{name}: {plain(str(exc))}.", icon=":material/pan_tool:")  # exc quotes the text as typed
            return None
    return {"column": (m, 1), "row": (1, n), "scalar": ()}[kind]


@st.fragment  # the shapes, sizes and operator rerun only this section
def broadcast_section():
    st.subheader("Combine two arrays")
    st.markdown("Shapes are aligned on the right. Along each axis the sizes must be **equal**, or one of them must be "
                "**1**, which NumPy stretches to match: it acts as if the values were repeated, but no memory is "
                "copied. A missing axis counts as 1.")
    c1, c2, c3 = st.columns([1, 1, 1])
    with c3:
        m = st.slider("m (rows)", 1, 8, 3, key="rows", bind="query-params")
        n = st.slider("n (columns)", 1, 8, 4, key="cols", bind="query-params")
        op = st.radio("operator", list(OPS), captions=list(OP_LABELS.values()), horizontal=True, key="op", bind="query-params")
    with c1:
        shape_a = shape_picker("A", "column", "(2, 3)", m, n)
    with c2:
        shape_b = shape_picker("B", "row", "(3,)", m, n)
    if shape_a is None or shape_b is None:
        st.info("Fix the typed shape to see the result (or pick column, row or scalar).")
        return
    sym = OPS[op]
    res = bc.explain_broadcast(shape_a, shape_b, sym)
    st.markdown(f"**A {bc.format_shape(shape_a)} {OP_LABELS[op]} B {bc.format_shape(shape_b)}**")
    if not res.ok:
        st.error(f"NumPy refuses: `ValueError: {res.numpy_error.strip()}`", icon=":material/block:")
        st.markdown(res.reason)
        st.markdown("\n".join(f"- {line}" for line in res.steps()))
        return
    a, b = bc.example_operands(shape_a, shape_b)
    try:
        out = bc.apply_op(a, b, sym)
    except (ValueError, FloatingPointError) as exc:
        st.error(f"{exc}. Pick smaller shapes.")
        return
    st.success(f"Result shape: `{bc.format_shape(out.shape)}`")
    st.markdown("\n".join(f"- {line}" for line in res.steps()))
    notes = [s.describe("A") for s in res.stretch_a] + [s.describe("B") for s in res.stretch_b]
    if notes:
        st.caption("Stretched: " + "; ".join(notes) + ". No memory is copied: the stretched operand is a view that reads "
                   "the same values again (np.broadcast_to makes one).")
    if out.size == 0:
        zero = [str(i) for i, s in enumerate(out.shape) if s == 0]
        axes = f"axis {zero[0]}" if len(zero) == 1 else f"axes {', '.join(zero)}"
        st.info(f"The result is empty: shape `{bc.format_shape(out.shape)}` has size 0 along {axes}, so it holds "
                f"no values and there is nothing to draw. NumPy allows empty arrays: `(A {sym} B).size` is 0.",
                icon=":material/check_box_outline_blank:")
    elif out.ndim > 2:
        st.info(f"The result has {out.ndim} dimensions; heatmaps show up to 2, so only the shapes are shown.")
    elif out.size > HEATMAP_MAX:
        st.info(f"The result has {out.size:,} elements; heatmaps are drawn up to {HEATMAP_MAX:,}.")
    else:
        chart(array_figures.broadcast_heatmaps(array_figures.broadcast_panels(a, b, out, OP_LABELS[op])), key="broadcast_chart")
        st.caption("A counts 1, 2, 3, …; B counts 10, 20, 30, … so that every repeat of B is recognisable.")


@st.fragment  # the length of a reruns only this section
def rank1_section():
    st.subheader("The rank-1 trap")
    st.markdown("`np.random.randn(5)` has shape `(5,)`: neither a row nor a column. Its transpose is itself, "
                "so `a @ a.T` is a number and `a * a.T` is a vector, not the matrices you expect.")
    k = st.slider("length of a", 1, 10, 5, key="rank1_n", bind="query-params")
    report = bc.rank1_report(k)
    rank1, column = st.columns(2)
    for col, label, title in ((rank1, "rank-1", f"a = np.random.randn({k})"),
                              (column, "column", f"a = np.random.randn({k}, 1)")):
        with col:
            st.markdown(f"**`{title}`**")
            table({"expression": list(report[label]), "shape": [bc.format_shape(s) for s in report[label].values()]})
    st.markdown("The fix: make every vector explicitly 2-D, and check it.")
    listing(f"a = np.random.randn({k})\na = a.reshape({k}, 1)      # or create it as np.random.randn({k}, 1)\n"
            f"assert a.shape == ({k}, 1)   # cheap, and documents your intent")
    code_expander("The NumPy code behind this page", bc.rank1_report, bc.apply_op, key="bc_code")


st.title("Broadcasting and rank-1 arrays")
quiz_slot = quiz.slot()
st.latex(r"Z = w^\top X + b:\quad (1, n_x)\,(n_x, m) \to (1, m),\ \text{then } (1, m) + () \to (1, m)")
broadcast_section()
rank1_section()
try_this("pick A = (m, 1) column and B = (1, n) row and multiply: an outer product. "
         "Then type A = (2, 3) and B = (3,) and (2,) — which one works, and why?")

quiz.check_yourself("broadcasting", quiz.broadcasting_state(), container=quiz_slot)

"""Home: the lecture's path from an input to a parameter update, mapped to the pages."""

import streamlit as st

from ui import quiz
from ui.widgets import ensure_entry_navigation, try_this

ensure_entry_navigation()

st.title("Logistic regression as a neural network, vectorized")
st.markdown(
    "Course 1, week 2 of the Deep Learning Specialization, one idea per page. "
    "Every page shows the formula, the NumPy code that really runs (read from the `logreg` package), "
    "and charts you can hover. Its controls are saved in the URL: copy the address to share a page in the state you set."
)

st.subheader("The path of one gradient-descent step")
st.latex(  # two rows: one was wider than the page beside an open sidebar in a 900 px window
    r"\begin{gathered}x \;\longrightarrow\; z = w^\top x + b \;\longrightarrow\; \hat y = a = \sigma(z)"
    r" \;\longrightarrow\; \mathcal{L}(\hat y, y)\\ \longrightarrow\; \frac{\partial J}{\partial w},\ \frac{\partial J}{\partial b}"
    r" \;\longrightarrow\; w := w - \alpha\,\frac{\partial J}{\partial w}\end{gathered}"
)

STAGES = [
    ("Input x", r"x \in \mathbb{R}^{n_x},\ X \in \mathbb{R}^{n_x \times m}", "pages/images.py",
     "An image becomes one column of X: unroll, scale to [0, 1], stack the examples side by side."),
    ("Logit z and activation σ", r"z = w^\top x + b,\quad \hat y = \sigma(z)", "pages/sigmoid.py",
     "Why a straight line can't be a probability, and how σ squashes it into (0, 1)."),
    ("Loss and cost", r"J(w,b) = \frac{1}{m}\sum_{i=1}^{m}\mathcal{L}(\hat y^{(i)}, y^{(i)})", "pages/loss.py",
     "The cross-entropy, its convex bowl, and gradient descent walking down it."),
    ("Gradient: the backward pass", r"\begin{gathered}dZ = A - Y\\ dw = \tfrac{1}{m} X\,dZ^\top,\quad db = \tfrac{1}{m}\textstyle\sum dZ\end{gathered}", "pages/backprop.py",
     "The chain rule run backwards through the computation graph: where dz = a − y comes from, "
     "from one example to m to two lines of NumPy, checked against numerical derivatives."),
    ("Gradient, vectorized", r"\begin{gathered}dw = \tfrac{1}{m} X\,dZ^\top\\ \text{instead of a loop over } m\end{gathered}", "pages/vectorization.py",
     "One np.dot instead of a for-loop: time both and check they agree."),
    ("Shapes and broadcasting", r"(n_x, m) + (1, m)\ \text{?}", "pages/broadcasting.py",
     "How NumPy stretches arrays, and the rank-1 (n,) trap."),
    ("Update, many times", r"w := w - \alpha\, dw,\quad b := b - \alpha\, db", "pages/train.py",
     "Train on real images, watch the cost fall, pick a learning rate."),
    ("Predict", r"\hat y = \sigma(w^\top x + b) > 0.5", "pages/classify.py",
     "Classify new images with the model you trained."),
]

for i, (name, formula, page, blurb) in enumerate(STAGES, start=1):
    with st.container(border=True):
        left, right = st.columns([2, 3], vertical_alignment="center")
        with left:
            st.markdown(f"**{i}. {name}**")
            st.latex(formula)
        with right:
            st.markdown(blurb)
            st.page_link(page, label=f"Open: {name}", icon=":material/arrow_forward:")

try_this("open the Loss page and press **too large** (α = 300): the first step throws w from −4 to 354, far up the "
         "other side of the bowl. It walks back down, and each time it nears the bottom one step throws it out again: "
         "J bounces between about 1 and 38 without settling. It never blows up: the cross-entropy's gradient is at "
         "most the mean |x|, so each step moves w by at most α times that.")

quiz.progress_table()

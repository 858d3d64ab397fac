"""Entry point: page setup and navigation only; each page lives in pages/."""

import streamlit as st
from threadpoolctl import threadpool_limits

from ui.a11y import apply_styles
from ui.params import clean_query_params
from ui.warm import freeze_after_first_run, warm_in_background


@st.cache_resource
def _process_setup() -> None:
    """Once per server process, before any page runs (concurrent first visitors wait here).

    - One BLAS thread. Sessions run their scripts in threads of one process; OpenBLAS's own
      workers then spin against them and the web server. Measured on a loaded 2-core machine:
      2000 iterations on 800 digits took 7-17 s with 2 BLAS threads, 0.9-3.7 s with 1 (mat-vecs
      gain little from threads). A cloud host may report many cores, making it worse.
    - pandas imported completely. Plotly looks it up in sys.modules without importing it, so a
      session building a figure while another thread was half-way through importing pandas got
      "partially initialized module 'pandas'" (seen with 6 concurrent visitors in bench/load.py).
    """
    threadpool_limits(1, user_api="blas")
    import pandas  # noqa: F401


_process_setup()

st.set_page_config(page_title="Logistic regression, vectorized", page_icon=":material/calculate:", layout="wide")
apply_styles()  # focus rings and contrast fixes the theme options cannot express (ui/a11y.py)

home = st.Page("pages/home.py", title="Start here", icon=":material/home:", default=True)
pages = {
    "": [home],
    "Concepts": [
        st.Page("pages/sigmoid.py", title="Sigmoid", icon=":material/show_chart:", url_path="sigmoid"),
        st.Page("pages/loss.py", title="Loss & cost", icon=":material/trending_down:", url_path="loss"),
        st.Page("pages/backprop.py", title="Backprop (computation graph)", icon=":material/account_tree:", url_path="backprop"),
        st.Page("pages/vectorization.py", title="Vectorization", icon=":material/bolt:", url_path="vectorization"),
        st.Page("pages/broadcasting.py", title="Broadcasting & rank-1", icon=":material/grid_on:", url_path="broadcasting"),
        st.Page("pages/images.py", title="Images as vectors", icon=":material/image:", url_path="images"),
    ],
    "Model": [
        st.Page("pages/train.py", title="Train", icon=":material/model_training:", url_path="train"),
        st.Page("pages/classify.py", title="Classify", icon=":material/image_search:", url_path="classify"),
    ],
}
page = st.navigation(pages, position="top")
clean_query_params(page.url_path)  # a link's numbers are checked before any widget sees them
page.run()
freeze_after_first_run(page.url_path)  # keeps Streamlit's gc after each run cheap (ui/warm.py)
warm_in_background()  # the other pages' imports and data, while this first page draws (once per process)

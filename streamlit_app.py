"""Entry point. ``streamlit run streamlit_app.py`` reads this file in two ways.

- Imported once at start-up, as the module ``streamlit_app``: Streamlit finds ``app``, an ``st.App``, and
  serves it. Its lifespan warms the process before the first request (imports, the bundled digits, the
  default model; ui/warm.py), so the first visitor of the day does not wait for them.
- Run as a script (``__name__ == "__main__"``) for every visitor and every rerun: page setup and
  navigation; each page lives in pages/.
"""

import streamlit as st

from ui import warm
from ui.a11y import apply_styles
from ui.params import clean_query_params


@st.cache_resource
def _process_setup() -> None:
    """Once per server process, before any page runs (concurrent first visitors wait here; the warm-up did it
    already when the app was served by ``streamlit run``, AppTest gets it here)."""
    warm.process_setup()


def main() -> None:
    _process_setup()
    st.set_page_config(page_title="Logistic regression, vectorized", page_icon=":material/calculate:", layout="wide")
    apply_styles()  # focus rings and contrast fixes the theme options cannot express (ui/a11y.py)

    home = st.Page("pages/home.py", title="Start here", icon=":material/home:", default=True)
    pages = {
        "": [home],
        "Concepts": [
            st.Page("pages/sigmoid.py", title="Sigmoid", icon=":material/show_chart:", url_path="sigmoid"),
            st.Page("pages/loss.py", title="Loss & cost", icon=":material/trending_down:", url_path="loss"),
            st.Page("pages/backprop.py", title="Backprop (computation graph)", icon=":material/account_tree:",
                    url_path="backprop"),
            st.Page("pages/vectorization.py", title="Vectorization", icon=":material/bolt:", url_path="vectorization"),
            st.Page("pages/broadcasting.py", title="Broadcasting & rank-1", icon=":material/grid_on:",
                    url_path="broadcasting"),
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
    warm.freeze_after_first_run(page.url_path)  # keeps Streamlit's gc after each run cheap (ui/warm.py)


if __name__ == "__main__":
    main()
else:
    app = st.App(__file__, lifespan=warm.lifespan)

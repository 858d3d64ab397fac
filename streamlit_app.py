"""Entry point: page setup and navigation only; each page lives in pages/."""

import streamlit as st

st.set_page_config(page_title="Logistic regression, vectorized", page_icon="🧮", layout="wide")

home = st.Page("pages/home.py", title="Start here", icon="🏠", default=True)
pages = {
    "": [home],
    "Concepts": [
        st.Page("pages/sigmoid.py", title="Sigmoid", icon="〰️", url_path="sigmoid"),
        st.Page("pages/loss.py", title="Loss & cost", icon="📉", url_path="loss"),
        st.Page("pages/vectorization.py", title="Vectorization", icon="⚡", url_path="vectorization"),
        st.Page("pages/broadcasting.py", title="Broadcasting & rank-1", icon="🔲", url_path="broadcasting"),
        st.Page("pages/images.py", title="Images as vectors", icon="🖼️", url_path="images"),
    ],
    "Model": [
        st.Page("pages/train.py", title="Train", icon="🏋️", url_path="train"),
        st.Page("pages/classify.py", title="Classify", icon="🔍", url_path="classify"),
    ],
}
st.navigation(pages, position="top").run()

"""Images as vectors: an h x w x 3 array, unrolled to a column, a batch flattened right and wrong, / 255."""

import hashlib

import numpy as np
import streamlit as st

from logreg import datasets, images
from ui import image_figures as figs
from ui import quiz
from ui.code import code_expander, drawn_when_open
from ui.limits import ServerBusy, heavy_slot
from ui.widgets import chart, ensure_entry_navigation, plain, try_this

ensure_entry_navigation()

#: Uploaded pictures are shrunk to fit this many pixels per side (the lecture's example is 64 x 100).
MAX_SIDE = 128
#: Picture sources; the option text is also what the URL holds (?picture=digit).
#: The batch slider's default m (section 3); also the m of a link's questions before a picture is chosen.
BATCH_M = 4
SOURCES = {"scene": "drawn with NumPy, 64 × 100 × 3", "digit": "bundled MNIST, 28 × 28 grey as RGB", "upload": "your own picture"}


@st.cache_data(show_spinner=False)
def scene() -> np.ndarray:
    return datasets.sample_scene()


def as_rgb(grey: np.ndarray) -> np.ndarray:
    """Grey pictures (..., h, w) as RGB (..., h, w, 3) with R = G = B: every digit on this page is h x w x 3."""
    return np.repeat(grey[..., None], 3, axis=-1)


@st.cache_data(max_entries=64, show_spinner=False)  # shared by all visitors: bounded, whatever links ask for
def digit(index: int) -> np.ndarray:
    imgs, _ = datasets.load_digits_subset()
    return as_rgb(imgs[index])


def decode_upload(data: bytes) -> tuple[np.ndarray, tuple[int, int]]:
    """Decoded and shrunk to at most MAX_SIDE per side, and the (height, width) the file declares, upright;
    remembered in this session only (the last one).

    Raises ImageError for a bad file. An upload is the visitor's own: it is kept in their
    session state, never in a cache shared by the server's sessions. The declared size comes from the
    checked decode itself: a rerun never opens the bytes again (a PNG's EXIF is read by decoding it whole).
    """
    key = hashlib.sha256(data).hexdigest()
    last = st.session_state.get("_images_upload")
    if last is None or last[0] != key:
        with heavy_slot("picture decoding"):
            img, declared = images.decode_image_sized(data, draft_size=MAX_SIDE)
            last = (key, images.fit_within(img, MAX_SIDE), declared)
        st.session_state["_images_upload"] = last
    return last[1], last[2]


def shrink_note(declared_hw: tuple[int, int], shown_hw: tuple[int, int]) -> str | None:
    """Say how an upload was shrunk for this page: from the size the file declares (upright) to ``shown_hw``."""
    h0, w0 = declared_hw
    h, w = shown_hw
    if (h0, w0) == (h, w):
        return None
    return (f"Shrunk from {h0} × {w0} to **{h} × {w}** pixels, aspect ratio kept: this page draws every pixel and "
            f"every entry of the column, so a picture is cut to at most {MAX_SIDE} pixels per side. At full size "
            f"its column would hold {h0 * w0 * 3:,} numbers instead of {h * w * 3:,}.")


@st.cache_data(max_entries=32, show_spinner=False)  # 7 × 10,000 (m, seed) pairs a link can ask for: keep 32
def digit_batch(m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """m digits as RGB, shape (m, 28, 28, 3) like the single digit of sections 1-2, and their labels."""
    imgs, labels = datasets.load_digits_subset()
    idx = np.random.default_rng(seed).choice(len(imgs), size=m, replace=False)
    return as_rgb(imgs[idx]), labels[idx]


st.title("Images as vectors")
quiz_slot = quiz.slot()
st.markdown(
    "A colour picture is three matrices of pixel intensities (red, green, blue). Logistic regression wants one "
    "feature vector $x \\in \\mathbb{R}^{n_x}$ per example, so we **unroll** the array into a column, stack the "
    "columns into $X$, and scale the values to $[0, 1]$."
)

# --- 1. the picture as an h x w x 3 array --------------------------------------------------------------------
st.subheader("1 · A picture is an h × w × 3 array")
c1, c2 = st.columns([1, 2])
with c1:
    source = st.radio("picture", list(SOURCES), captions=list(SOURCES.values()), key="picture", bind="query-params")
    img, name, declared = None, "", None
    if source == "scene":
        img, name = scene(), "drawn sample"
    elif source == "digit":
        index = st.number_input("digit index (0 – 4999)", 0, 4999, 0, step=1, key="digit", bind="query-params")
        img, name = digit(int(index)), f"MNIST #{int(index)}"
    else:
        upload = st.file_uploader(f"an image ({images.accepted_types_text()})", type=list(images.IMAGE_TYPES),
                                  key="picture_file")
        if upload is None:
            st.info("Choose a picture: it stays in this browser session only.", icon=":material/attach_file:")
        else:
            try:
                (img, declared), name = decode_upload(upload.getvalue()), upload.name
            except (images.ImageError, ServerBusy) as exc:
                st.error(f"Could not use **{plain(upload.name)}**: {plain(exc)}.", icon=":material/block:")
                st.caption("Try another file, or pick the drawn sample above.")

if img is None:
    if quiz.teacher_mode():  # a link's questions stay on top while a picture is chosen: from the drawn sample till then
        quiz.check_yourself("images", {"shape": scene().shape, "m": int(st.query_params.get("batch_m", BATCH_M))},
                            container=quiz_slot, pairs=quiz.link_pairs({"picture": "scene"}))
    st.stop()

h, w, c = img.shape
with c1:
    st.latex(rf"\texttt{{img.shape}} = ({h},\ {w},\ {c})")
    st.caption(f"{name}: {h} rows × {w} columns × {c} channels = **{h * w * c:,}** numbers, each 0 … 255 (uint8).")
    if declared is not None and (note := shrink_note(declared, (h, w))):
        st.caption(note)
with c2:
    chart(figs.picture(img, name), key="picture_chart")
chart(figs.channels(img), key="channels_chart")

# --- 2. unroll to a column -----------------------------------------------------------------------------------
st.subheader("2 · Unroll it into one column")
st.latex(rf"x = \texttt{{img.reshape(-1, 1)}} \in \mathbb{{R}}^{{n_x}},\qquad n_x = h \cdot w \cdot 3 = {h}\cdot{w}\cdot 3 = {h * w * c}")
st.markdown(
    "The lecture's example, a (64, 100, 3) picture, becomes a **(19200, 1)** column. NumPy reads the array in "
    "C order (last axis fastest): the R, G, B values of pixel (0, 0), then those of pixel (0, 1), and so on. "
    "The lecture's slide lists all reds, then all greens, then all blues; either order works as long as every "
    "image is unrolled the same way."
)
col = images.image_to_column(img)


@st.fragment
def column_window(col: np.ndarray, shape: tuple[int, ...]) -> None:
    """60 entries of the column from a chosen index: the slider reruns only this chart.

    A picture of 20 pixels or fewer has at most 60 entries: all are drawn and there is no slider
    (Streamlit refuses one whose minimum equals its maximum).
    """
    n_x = col.shape[0]
    asked = st.query_params.get("start", "")  # read before the slider: Streamlit drops one beyond this picture
    if n_x > 60:
        start = st.slider("show 60 entries starting at index", 0, n_x - 60, 0, step=3, key="start",
                          bind="query-params")
    else:
        start = 0
    # ui/params.py checks a link's start against the largest picture; this picture may end sooner
    if asked.isascii() and asked.isdigit() and int(asked) > max(n_x - 60, 0):
        st.warning(f"The link asked for the entries from index {int(asked):,}, but this picture's column has {n_x:,} "
                   f"entries: showing them from {start}.", icon=":material/link_off:")
    chart(figs.column(col, shape, start=start, count=60), key="column_chart")
    shown_all = f"all {n_x} entries are drawn, so there is nothing to slide; " if n_x <= 60 else ""
    st.caption(f"`x.shape == {col.shape}`; {shown_all}hover a bar to see which `img[row, col, channel]` it came from.")


column_window(col, img.shape)

# --- 3. a batch: right and wrong flatten -----------------------------------------------------------------------
st.subheader("3 · Stack m examples: the right and the wrong reshape")
st.latex(r"X = \bigl[\,x^{(1)}\ x^{(2)}\ \cdots\ x^{(m)}\bigr] \in \mathbb{R}^{n_x \times m}")
st.markdown(
    "For a batch `imgs` of shape (m, h, w, c), here m digits of shape (28, 28, 3) as in section 1, the course "
    "writes `imgs.reshape(imgs.shape[0], -1).T`: "
    "each image becomes a row, the transpose makes the rows columns. `imgs.reshape(-1, m)` has the "
    "**same shape** but fills the columns with every m-th number of all images laid end to end. "
    "Below, each column of $X$ is reshaped back to a picture."
)
@st.fragment
def batch_section() -> int:
    """m and the seed, and everything they drive (the two reshapes, X): rerun alone when one of them moves."""
    b1, b2 = st.columns([1, 3])
    with b1:
        m = st.slider("m (images in the batch)", 2, 8, BATCH_M, key="batch_m", bind="query-params")
        seed = st.number_input("which digits (seed)", 0, 9999, 0, step=1, key="seed", bind="query-params")
    batch, labels = digit_batch(int(m), int(seed))
    X_right = images.flatten_dataset(batch)
    X_wrong = images.wrong_flatten(batch)
    shape = batch.shape[1:]
    with b1:
        st.markdown(f"`imgs.shape` = {batch.shape}  \n`X.shape` = {X_right.shape} both ways")
        same = [bool(np.array_equal(X_right[:, j], X_wrong[:, j])) for j in range(m)]
        st.caption(f"Columns equal in both: {sum(same)} of {m}. Same shape, different content: no error is raised.")
    with b2:
        chart(
            figs.batch_rows(
                [("reshape(m, -1).T ✔", images.columns_to_images(X_right, shape)[..., 0]),
                 ("reshape(-1, m) ✘", images.columns_to_images(X_wrong, shape)[..., 0])],
                title=f"Each column of X back as 28 × 28 × 3, drawn from its R channel "
                      f"(digits {', '.join(str(d) for d in labels)})",
            ),
            key="batch_chart",
        )
    # drawn only while open: a sixth chart nobody has asked for would slow every first visit to this page
    drawn_when_open("X itself, one example per column (right reshape)", "matrix_open",
                    lambda: chart(figs.matrix(X_right, f"X = imgs.reshape(m, -1).T, shape {X_right.shape}"),
                                  key="matrix_chart"))
    return int(m)


m = batch_section()

# --- 4. divide by 255 ------------------------------------------------------------------------------------------
st.subheader("4 · Standardize: divide by 255")
st.latex(r"X := \frac{X}{255} \in [0, 1]^{n_x \times m}")
st.markdown(
    "Pixels are 0 … 255. Dividing by the maximum puts every feature in $[0, 1]$. With the course's zero "
    "initialization $z = 0$ at the first step either way; the difference is the gradient: $dw = \\tfrac{1}{m} X\\, "
    "dZ^\\top$ is 255× larger on raw pixels, so after the first update $w^\\top x$ is $255^2 = 65{,}025$× larger "
    "and, at the Train page's α = 0.005, $\\sigma(z)$ saturates at 0 or 1. Divided by 255, $z$ stays small. "
    "For pictures this replaces subtracting the mean and dividing by the standard deviation."
)
scaled = images.standardize(col)
chart(figs.histograms(col, scaled), key="hist_chart")
st.caption(f"min {scaled.min():.3f}, max {scaled.max():.3f}, dtype {scaled.dtype} (was {col.dtype}).")

code_expander("The NumPy code that runs on this page", images.image_to_column, images.flatten_dataset,
              images.wrong_flatten, images.standardize, key="images_code")

try_this(
    "set m = 2 and compare the two rows: with two images the wrong reshape interleaves them, so every "
    "'column' shows halves of both. Then upload a photo and hover the column chart: index 0, 1, 2 are one pixel's R, G, B."
)

if source == "upload":  # a picture stays in its browser session: the teacher link holds the drawn sample instead
    h0, w0, c0 = scene().shape
    quiz.check_yourself(
        "images", {"shape": img.shape, "m": int(m)}, container=quiz_slot, pairs=quiz.link_pairs({"picture": "scene"}),
        link_note=f"Except the picture: an uploaded one stays in your browser session and cannot go in a link, so "
                  f"the link opens the drawn sample ({h0} × {w0} × {c0}) instead, and its questions ask about that "
                  f"picture's numbers, not yours.")
else:
    quiz.check_yourself("images", {"shape": img.shape, "m": int(m)}, container=quiz_slot)

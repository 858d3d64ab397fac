"""Classify: a webcam snapshot, an upload or a test example through a trained neuron, stage by stage, and why."""

import hashlib

import streamlit as st

import logreg
from logreg import images, inference, novelty
from logreg.classnames import class_text
from logreg.modelio import load_model
from ui import classify_figures as figs
from ui import shelf
from ui.arithmetic import apart, exact_sum, signed
from ui.code import code_expander
from ui.defaults import default_lesson, default_model
from ui.weights import contribution_figure, rgb_weights_figure, weights_figure
from ui.widgets import chart, chart_text, ensure_entry_navigation, plain, session_memo, try_this

ensure_entry_navigation()

#: The default model's name, stable (tests and links use it).
DEFAULT_NAME = "default: is it a digit 0? (bundled digits)"
UPLOAD_MODEL = "a model file (.npz) from the Train page"
#: Input sources; the option text is what the URL holds (?source=camera).
SOURCES = {"example": "a test-set example", "camera": "webcam snapshot", "upload": "upload a picture"}
#: Pictures are shrunk to at most this many pixels per side right after decoding (the models use 28 to 64).
MAX_SIDE = 512
#: Per-session memo of decoded files (bytes digest -> result); never shared, never on disk.
MEMO_KEY = "_classify_memo"
MEMO_SIZE = 6


def class_texts(model) -> tuple[str, str]:
    """Both classes as name and label together, "digit 0 (label 1)": a name can never pass for a label."""
    return tuple(class_text(model.class_names, k, digits=model.preprocessing == "mnist") for k in (0, 1))


def _memo(kind: str, data: bytes, load):
    """``load(data)`` remembered in this session only, keyed by a digest of the bytes; errors are remembered too."""
    return session_memo(MEMO_KEY, (kind, hashlib.sha256(data).hexdigest()), lambda: load(data), size=MEMO_SIZE,
                        heavy="decoding" if kind == "image" else None)


def decode(data: bytes):
    return images.fit_within(images.decode_image(data, draft_size=MAX_SIDE), MAX_SIDE)


st.title("Classify: one neuron, one picture")
st.markdown(
    "Take a picture, upload one, or pick a test example. The picture goes through **the same preprocessing the "
    "model was trained with**, becomes a column $x$, and one neuron computes $z = w^\\top x + b$ and "
    "$\\hat y = \\sigma(z)$. Below that: which pixels pushed the answer which way."
)

# --- the model and the input ------------------------------------------------------------------------------------
trained = shelf.names()  # newest first
if (just_trained := shelf.take_handover()) is not None:
    st.session_state["model"] = just_trained  # Train → Classify opens the model just put on the shelf
c_model, c_input = st.columns(2, gap="large")
model, model_name, examples = None, "", None
with c_model:
    st.subheader("The model")
    options = [*trained, DEFAULT_NAME, UPLOAD_MODEL]
    if st.session_state.get("model") not in options:
        st.session_state.pop("model", None)  # a model evicted from the shelf since it was chosen
    model_name = st.selectbox("model", options, key="model",
                              help="Models trained on the Train page in this session, the default one, or a file.")
    if model_name == DEFAULT_NAME:
        dm = default_model()
        model = dm.model
        examples = (dm.task.images_test, dm.task.Y_test[0])
        st.markdown(
            f"**Default model** (nothing trained in this session yet{'' if not trained else ' is chosen'}): "
            f"“is it a **0**?”, trained once on {dm.task.X_train.shape[1]} bundled MNIST digits "
            f"(half 0s, half other digits) with {dm.num_iterations} steps of gradient descent, α = {dm.learning_rate}; "
            f"train accuracy {dm.train_accuracy:.1f} %, test accuracy {dm.test_accuracy:.1f} %. "
            "Shared by every visitor, read-only. Write a **0** (or another digit) in thick dark ink on white paper."
        )
        if not trained:
            st.markdown("Train your own on the **Train** page and it appears in this list.")
    elif model_name == UPLOAD_MODEL:
        mfile = st.file_uploader("model file (.npz)", type=["npz"], key="model_file")
        if mfile is None:
            st.info("Choose a model file downloaded from the Train page.", icon=":material/attach_file:")
        else:
            ok, res = _memo("model", mfile.getvalue(), load_model)
            if ok:
                model, model_name = res, mfile.name
            else:
                st.error(f"Could not use **{plain(mfile.name)}** as a model: {plain(res)}. "
                         "Download a model from the Train page, or choose the default model above.", icon=":material/block:")
    else:
        shelved = shelf.get(model_name)
        model, examples = shelved.model, shelved.examples
    if model_name != DEFAULT_NAME:  # the link carries the example and the threshold, never the model
        st.caption("A link to this page opens the default model: a model trained or uploaded here stays in this "
                   "browser session, so a classmate who opens your link sees the default model. Share the model file "
                   "(Train's download) along with the link.")
    if model is not None:
        prep = ("MNIST-style (grey, invert, crop to the ink, fit in 20 × 20, centre in 28 × 28)"
                if model.preprocessing == "mnist" else
                f"centre-crop and resize to {model.image_size} × {model.image_size}, "
                f"{'RGB' if model.channels == 3 else 'grey'}")
        names = class_texts(model)
        st.markdown(f"Classes: **{plain(names[0])}** and **{plain(names[1])}**  \n"
                    f"Input: {model.image_size} × {model.image_size} × {model.channels}, $n_x$ = {model.n_x}  \n"
                    f"Preprocessing: {prep}")

img, img_name, preprocessed, true_label = None, "", False, None
with c_input:
    st.subheader("The picture")
    source = st.radio("picture from", list(SOURCES), captions=list(SOURCES.values()), key="source",
                      bind="query-params", horizontal=True)
    if source == "camera":
        hint = ("a digit written in thick dark ink on white paper, filling most of the frame"
                if model is not None and model.preprocessing == "mnist" else "the object, centred")
        shot = st.camera_input(f"Take a picture: {hint}", key="camera")
        if shot is None:
            st.info("Allow the camera in your browser, then take a picture. It stays in this session only.",
                    icon=":material/photo_camera:")
        else:
            ok, res = _memo("image", shot.getvalue(), decode)
            if ok:
                img, img_name = res, "webcam snapshot"
            else:
                st.error(f"Could not read the snapshot: {plain(res)}. Take another picture.", icon=":material/block:")
    elif source == "upload":
        up = st.file_uploader(f"a picture ({images.accepted_types_text()})", type=list(images.IMAGE_TYPES), key="upload")
        if up is None:
            st.info("Choose a picture: it stays in this browser session only and is never saved.", icon=":material/attach_file:")
        else:
            ok, res = _memo("image", up.getvalue(), decode)
            if ok:
                img, img_name = res, up.name
            else:
                st.error(f"Could not use **{plain(up.name)}**: {plain(res)}. Try another file, or a test-set example.",
                         icon=":material/block:")
    elif model is not None:
        if examples is None or len(examples[0]) == 0:
            st.info("This model came without test examples; take a picture or upload one instead.",
                    icon=":material/info:")
        else:
            ex_images, ex_labels = examples
            k = len(ex_images)
            asked = st.query_params.get("example", "")  # read before the widget: Streamlit drops an invalid one
            idx = int(st.number_input(f"test example (0 – {k - 1})", 0, k - 1, 0, step=1, key="example",
                                      bind="query-params"))
            if asked.isascii() and asked.isdigit() and int(asked) >= k:  # within the link's bounds, beyond this model
                st.warning(f"The link asked for test example {int(asked):,}, but this model has {k:,} (0 – {k - 1}): "
                           f"showing example {idx}.", icon=":material/link_off:")
            img, img_name, preprocessed = ex_images[idx], f"test example #{idx}", True
            true_label = int(ex_labels[idx])
            digit = f" (the digit {int(dm.task.digits_test[idx])})" if model_name == DEFAULT_NAME else ""
            st.markdown(f"True class: **{plain(class_texts(model)[true_label])}**{digit}")

if model is None or img is None:
    st.stop()

try:
    result = inference.classify_image(model, img, preprocessed=preprocessed)
except ValueError as exc:  # ImageError included: e.g. a blank picture has no digit to find
    st.error(f"Could not prepare **{plain(img_name)}** for this model: {plain(exc)}.", icon=":material/block:")
    st.stop()

# --- 1. the pipeline ---------------------------------------------------------------------------------------------
st.subheader("1 · The preprocessing this model was trained with")
chart(figs.stages_figure(result.stages, title=f"{chart_text([img_name])[0]}: from the picture to the model's input"),
      key="stages_chart")
if not preprocessed and max(img.shape[:2]) >= MAX_SIDE:
    st.markdown(f"Large pictures are first shrunk to at most {MAX_SIDE} pixels per side.")

# --- 2. scale and flatten ----------------------------------------------------------------------------------------
st.subheader("2 · Divide by 255, unroll into one column")
s, c = model.image_size, model.channels
st.latex(rf"x = \frac{{\texttt{{img.reshape(-1, 1)}}}}{{255}},\qquad ({s},\ {s},\ {c}) \;\to\; ({model.n_x},\ 1)"
         rf"\quad n_x = {s}\cdot{s}\cdot{c} = {model.n_x}")
chart(figs.column_figure(result.x, result.model_input.shape), key="column_chart")
st.markdown(f"`x.shape == {result.x.shape}`, values in [{result.x.min():.2f}, {result.x.max():.2f}]. "
            "Hover to see which pixel each entry came from.")

# --- 3. the neuron -------------------------------------------------------------------------------------------------
st.subheader("3 · One neuron: z = wᵀx + b, ŷ = σ(z)")


@st.fragment
def decision(result: inference.Classification, names: tuple[str, str], true_label: int | None) -> None:
    """The threshold and what depends on it; moving it reruns only this (not the figures above and below)."""
    n1, n2 = st.columns([1, 2], gap="large")
    with n1:
        # rows, not one line: one line overflowed this column below a 1,400 px window (tests/e2e/test_layout.py)
        (wx, b_), z_, exact = exact_sum([result.z - result.b, result.b], result.z)  # adds up as printed
        equals = "=" if exact else r"\approx"
        st.latex(rf"\begin{{aligned}}z &= w^\top x + b\\ &= {signed(wx)} {signed(b_)}\\ &{equals} {signed(z_)}\end{{aligned}}")
        st.latex(rf"\begin{{aligned}}\hat y &= \sigma(z) = \frac{{1}}{{1 + e^{{-z}}}}\\ &= {result.y_hat:.4f}\end{{aligned}}")
        threshold = st.slider("threshold", 0.01, 0.99, 0.5, step=0.01, key="threshold", bind="query-params",
                              help="Decide label 1 when ŷ is above the threshold.")
        label = inference.decide(result.y_hat, threshold)
        st.latex(rf"\begin{{gathered}}\text{{decide }} \begin{{cases}} 1 & \text{{if }} \hat y > {threshold:.2f}\\ "
                 rf"0 & \text{{else}}\end{{cases}}\\ \hat y = {apart(result.y_hat, threshold)} \;\Rightarrow\; {label}"
                 r"\end{gathered}")
        st.markdown(f"So the verdict is **{plain(names[label])}**.")
    with n2:
        st.metric("verdict", plain(names[label]), delta=f"ŷ = {apart(result.y_hat, threshold)} vs threshold {threshold:.2f}",
                  delta_color="off")
        chart(figs.verdict_figure(result.y_hat, threshold, chart_text(names)), key="verdict_chart")
        if true_label is not None:
            right = label == true_label
            st.markdown(f"{':material/check_circle: **Right**' if right else ':material/cancel: **Wrong**'}: "
                        f"the true class is {plain(names[true_label])}.")


decision(result, names, true_label)
nv = inference.novelty_of(model, result)
if nv is not None and nv.unusual:
    st.warning(nv.message, icon=":material/travel_explore:")
with st.expander("Is this picture like the ones the model was trained on?", expanded=False):
    st.markdown(novelty.EXPLANATION)
    st.markdown(nv.message if nv is not None else
                "This model carries no statistics of its training pictures (a file saved before they were "
                "stored), so the page cannot say whether this picture is like them.")

# --- 4. why ------------------------------------------------------------------------------------------------------------
st.subheader("4 · Why: one neuron is a template matcher")
st.markdown(
    "$z$ is a sum over pixels, $z = \\sum_i w_i x_i + b$. Each term $w_i x_i$ is one pixel's vote: bright pixels "
    "($x_i$ near 1) where $w$ is red push $z$ up, towards **" + plain(names[1]) + "**; where $w$ is blue they "
    "push it down, towards **" + plain(names[0]) + "**; dark pixels ($x_i = 0$) do not vote at all. So $w$ is a "
    "template: the picture that scores highest lights up the red parts and stays dark on the blue."
)
w1, w2 = st.columns(2)
with w1:
    chart(weights_figure(model.w, s, c), key="weights_chart")
with w2:
    chart(contribution_figure(model.w, result.x, s, c), key="contrib_chart")
if c == 3:
    with st.expander("w as one colour picture"):
        chart(rgb_weights_figure(model.w, s), key="rgb_weights_chart")
chart(figs.sum_figure(result.positive_sum, result.negative_sum, result.b, result.z), key="sum_chart")
(up, down, b_, z_), exact = figs.printed_sum(result.positive_sum, result.negative_sum, result.b, result.z)
st.markdown(f"{signed(up)} (pixels pushing up) {signed(down)} (pixels pushing down) {signed(b_)} (b) "
            f"{'=' if exact else '≈'} z = {signed(z_)}")

code_expander("The NumPy code that runs on this page", inference.classify_image, logreg.sigmoid, inference.decide,
              key="classify_code")

try_this(inference.lesson_text(default_lesson(), class_texts(default_model().model), default_model().task.digits_test))

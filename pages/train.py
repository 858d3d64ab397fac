"""Train: a one-neuron classifier on real data, with a live cost curve, a learning-rate comparison and what it learned."""

from __future__ import annotations

import time

import numpy as np
import streamlit as st

import logreg
from logreg import datasets, images, training, uploads
from logreg.modelio import load_model
from ui import alt_text, shelf
from ui import train_figures as tf
from ui.code import show_code
from ui.limits import ServerBusy, heavy_slot
from ui.weights import rgb_weights_figure, weights_figure
from ui.widgets import chart, chart_text, ensure_entry_navigation, plain, session_memo, try_this

ensure_entry_navigation()

#: Data sources; the key is what the URL holds (?data=toy). Keys differ from other pages' (session state is shared).
SOURCES = {
    "digits": "handwritten digits (bundled MNIST)",
    "toy": "2-D toy sets",
    "cats": "the course's cat files (.h5)",
    "own": "your own two classes",
}
TOY_SETS = {"blobs": datasets.make_blobs, "moons": datasets.make_moons, "circles": datasets.make_circles,
            "xor": datasets.make_xor}
OWN_MODES = {"webcam": "webcam snapshots", "upload": "upload per class", "zip": "a zip of two folders"}
#: Learning rates offered (log scale); the course's comparison uses 0.01, 0.001, 0.0001.
LEARNING_RATES = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
                  20.0, 50.0, 100.0]
COURSE_RATES = [0.01, 0.001, 0.0001]
MAX_ITERATIONS = 10_000
#: Webcam snapshots kept per class (stored at SNAPSHOT_SIDE pixels, in this session only).
MAX_SNAPSHOTS = 60
SNAPSHOT_SIDE = 96
#: Per-session memos: decoded data sets (the big ones: X is float64) and picture thumbnails.
MEMO_KEY, MEMO_SIZE = "_train_memo", 3
THUMB_KEY, THUMB_SIZE = "_train_thumbs", 2 * training.MAX_IMAGES_PER_CLASS + 10
#: The course's files hold 209 + 50 pictures of 64 x 64 x 3; these caps bound what a compressed .h5 may unpack to.
CAT_MAX_EXAMPLES = 1000
CAT_MAX_VALUES = CAT_MAX_EXAMPLES * 64 * 64 * 3
#: The live cost curve is redrawn at most this often (seconds); the final curve is always drawn.
#: (Each redraw costs the server and the browser; at 0.15 s a 2000-step digits run took ~30 % longer.)
LIVE_EVERY_S = 0.25


def fmt_rate(v: float) -> str:
    return f"{v:g}"


# --- shared, read-only data (one copy per server process) ----------------------------------------------------------
@st.cache_resource(max_entries=8, show_spinner=False)  # ~6 MB each
def digits_set(positive: int, negatives: tuple[int, ...] | None, per_class: int, seed: int) -> training.TrainingSet:
    task = datasets.digits_task(positive, negatives, max_per_class=per_class, seed=seed)
    return training.from_digits(task).freeze()


@st.cache_resource(max_entries=32, show_spinner=False)
def toy_set(kind: str, m: int, noise: float, seed: int) -> training.TrainingSet:
    X, Y = TOY_SETS[kind](m, noise=noise, seed=seed)
    return training.from_points(X, Y, name=f"{kind}, {m} points, noise {noise:g}", seed=seed).freeze()


# --- this session's uploads, decoded once (never shared, never on disk) ----------------------------------------------
def memo(key: tuple, load, *, store_key=MEMO_KEY, size=MEMO_SIZE, heavy="decoding"):
    return session_memo(store_key, key, load, size=size, heavy=heavy)


def decode_thumb(data: bytes) -> np.ndarray:
    """A picture cut to its centred square at SNAPSHOT_SIDE pixels (enough for every model size offered)."""
    return images.resize_square(images.decode_image(data, draft_size=SNAPSHOT_SIDE), SNAPSHOT_SIDE)


def _remove_snapshot(k: int, sid: str) -> None:
    shots = st.session_state.setdefault("snapshots", {0: [], 1: []})
    shots[k] = [s for s in shots[k] if s[0] != sid]


def _clear_snapshots(k: int) -> None:
    st.session_state.setdefault("snapshots", {0: [], 1: []})[k] = []


def _request(flag: str) -> None:
    st.session_state[flag] = True


def class_names_inputs() -> tuple[str, str] | None:
    a, b = st.columns(2)
    n0 = a.text_input("class 0 name", "not me", max_chars=40, key="name_0", bind="query-params")
    n1 = b.text_input("class 1 name", "me", max_chars=40, key="name_1", bind="query-params")
    n0, n1 = n0.strip(), n1.strip()
    if not n0 or not n1 or n0 == n1:
        st.error("Give the two classes two different, non-empty names.", icon="✏️")
        return None
    return n0, n1


def own_from_lists(per_class, names, size, channels, seed, ids, notes=()):
    """(ok, training set or message, key): the key names the data, so a result trained on it can be matched."""
    key = ("own", ids, size, channels, names, seed)
    ok, ts = memo(key, lambda: training.from_images(per_class, names, size=size, channels=channels, seed=seed,
                                                    notes=notes))
    return ok, ts, key


def webcam_source(names, size, channels, seed):
    shots = st.session_state.setdefault("snapshots", {0: [], 1: []})
    seen = st.session_state.setdefault("_snapshot_ids", set())
    c1, c2 = st.columns([1, 1], gap="large")
    with c1:
        k = st.radio("the next snapshot goes to", [0, 1], format_func=lambda i: f"{i} · {plain(names[i])}", horizontal=True,
                     key="snap_class")
        shot = st.camera_input("Take a snapshot (then “Clear photo” for the next one)", key="snap_camera")
        if shot is not None and shot.file_id not in seen:
            seen.add(shot.file_id)
            if len(shots[k]) >= MAX_SNAPSHOTS:
                st.warning(f"{plain(names[k])} already has {MAX_SNAPSHOTS} snapshots; remove some first.", icon="✋")
            else:
                ok, res = memo(("upload", shot.file_id), lambda: decode_thumb(shot.getvalue()),
                               store_key=THUMB_KEY, size=THUMB_SIZE)
                if ok:
                    shots[k].append((shot.file_id, res))
                else:
                    st.error(f"Could not read the snapshot: {res}. Take another one.", icon="🚫")
    with c2:
        for i in (0, 1):
            st.markdown(f"**{i} · {plain(names[i])}**: {len(shots[i])} snapshot(s)")
            if shots[i]:
                cols = st.columns(6)
                for j, (sid, img) in enumerate(shots[i]):
                    with cols[j % 6]:
                        st.image(img, width=64, alt=f"webcam snapshot {j + 1} for class {i}, {names[i]}")
                        st.button("✕", key=f"rm_{i}_{sid}", on_click=_remove_snapshot, args=(i, sid),
                                  help="remove this snapshot")
                st.button(f"remove all of {plain(names[i])}", key=f"clear_{i}", on_click=_clear_snapshots, args=(i,))
    if min(len(shots[0]), len(shots[1])) < 2:
        st.info("Take at least 2 snapshots of each class (10 or more each works better), varying the pose a little.",
                icon="📷")
        return None
    ids = tuple(tuple(s[0] for s in shots[i]) for i in (0, 1))
    return own_from_lists([[s[1] for s in shots[i]] for i in (0, 1)], names, size, channels, seed, ids)


def upload_source(names, size, channels, seed):
    per_class, ids, notes = [[], []], [[], []], []
    cols = st.columns(2)
    for i in (0, 1):
        files = cols[i].file_uploader(f"pictures of {i} · {plain(names[i])}", type=list(images.IMAGE_TYPES), accept_multiple_files=True,
                                      key=f"up_{i}")
        if len(files) > training.MAX_IMAGES_PER_CLASS:
            cols[i].error(f"{len(files)} files: at most {training.MAX_IMAGES_PER_CLASS} per class are used.", icon="✋")
            files = files[: training.MAX_IMAGES_PER_CLASS]
        for f in files:  # keyed by the upload's id: no need to hash hundreds of files on every rerun
            ok, res = memo(("upload", f.file_id), lambda f=f: decode_thumb(f.getvalue()), store_key=THUMB_KEY,
                           size=THUMB_SIZE)
            if ok:
                per_class[i].append(res)
                ids[i].append(f.file_id)
            else:
                notes.append(f"{f.name}: {res}")
    if notes:
        with st.expander(f"⚠️ {len(notes)} file(s) skipped: not usable pictures", expanded=True):
            st.markdown("\n".join(f"- {plain(n)}" for n in notes))
    if min(len(per_class[0]), len(per_class[1])) < 2:
        st.info("Upload at least 2 pictures for each class (they are resized to the model's size).", icon="📎")
        return None
    return own_from_lists(per_class, names, size, channels, seed, (tuple(ids[0]), tuple(ids[1])), notes)


def zip_source(size, channels, seed):
    up = st.file_uploader("a .zip holding two folders of pictures, e.g. cats/… and not_cats/…", type=["zip"], key="zip")
    if up is None:
        st.info("Zip a folder that holds one sub-folder per class. A folder named not_… / non… is class 0.", icon="🗜️")
        return None
    ok, cz = memo(("zip", up.file_id, size, channels),
                  lambda: images.load_class_zip(up.getvalue(), size=size, channels=channels), heavy="zip decoding")
    if not ok:
        st.error(f"Could not use **{plain(up.name)}**: {plain(cz)}.", icon="🚫")
        return None
    if cz.skipped:
        with st.expander(f"⚠️ {len(cz.skipped)} file(s) in the zip skipped, and why", expanded=True):
            st.markdown("\n".join(f"- {plain(m)}: {plain(why)}" for m, why in cz.skipped[:50]))
    key = ("zipset", up.file_id, size, channels, seed)
    ok, ts = memo(key,
                  lambda: training.from_image_array(cz.X, cz.Y, cz.class_names, seed=seed,
                                                    name=f"{cz.class_names[1]} vs {cz.class_names[0]} ({up.name})"))
    if not ok:
        st.error(f"**{plain(up.name)}**: {plain(ts)}.", icon="🚫")
        return None
    return ts, key


def cats_source():
    st.markdown("Upload the two files from the course's week-2 assignment, as you have them.")
    a, b = st.columns(2)
    tr = a.file_uploader("train_catvnoncat.h5", type=["h5", "hdf5"], key="cat_train")
    te = b.file_uploader("test_catvnoncat.h5", type=["h5", "hdf5"], key="cat_test")
    if tr is None or te is None:
        st.info("Both files are needed: the train file and the test file.", icon="📎")
        return None
    def load():
        return training.from_cat_h5(*uploads.load_cat_h5(tr.getvalue(), te.getvalue(), max_examples=CAT_MAX_EXAMPLES,
                                                         max_values=CAT_MAX_VALUES))

    key = ("cats", tr.file_id, te.file_id)
    ok, ts = memo(key, load, heavy=".h5 reading")
    if not ok:
        st.error(f"Could not read the course's files: {plain(ts)}. Upload the original train_catvnoncat.h5 and "
                 "test_catvnoncat.h5.", icon="🚫")
        return None
    return ts, key


# --- page ------------------------------------------------------------------------------------------------------------
st.title("Train a one-neuron classifier")
st.markdown(
    "Pick a data set, press **Train**, and watch gradient descent lower the cost $J(w, b)$. Then look at what the "
    "neuron learned: its accuracy, its mistakes, and its weights $w$ drawn back as a picture."
)
m1, m2 = st.columns([3, 2], gap="large")
with m1:
    st.latex(r"Z = w^\top X + b,\quad A = \sigma(Z),\quad J = -\tfrac{1}{m}\textstyle\sum_i "
             r"\big(y^{(i)}\log a^{(i)} + (1 - y^{(i)})\log(1 - a^{(i)})\big)")
with m2:
    st.latex(r"dw = \tfrac{1}{m} X (A - Y)^\top,\quad db = \tfrac{1}{m}\textstyle\sum_i (a^{(i)} - y^{(i)})")
    st.latex(r"w := w - \alpha\, dw,\qquad b := b - \alpha\, db")

# --- 1. data ---------------------------------------------------------------------------------------------------------
st.subheader("1 · The data")
source = st.radio("data source", list(SOURCES), captions=list(SOURCES.values()), horizontal=True, key="data",
                  bind="query-params")
ts: training.TrainingSet | None = None
data_key: tuple = ()
seed = int(st.number_input("split seed", 0, 9999, 0, step=1, key="split_seed", bind="query-params",
                           help="Seeds the train/test split (and the toy points), so a run can be repeated."))
if source == "digits":
    a, b, c = st.columns(3)
    positive = a.selectbox("positive digit (label 1)", list(range(10)), index=3, key="positive", bind="query-params")
    negatives = b.multiselect("negative digit(s) (label 0); none = every other digit", list(range(10)), default=[],
                              key="negatives", bind="query-params")
    per_class = c.slider("examples per class (at most)", 20, 500, 500, step=10, key="per_class", bind="query-params")
    if positive in negatives:
        st.error(f"The positive digit {positive} cannot also be a negative one: remove it from the negatives.", icon="✏️")
    else:
        negs = tuple(sorted(negatives)) or None
        ts = digits_set(int(positive), negs, int(per_class), seed)
        data_key = ("digits", int(positive), negs, int(per_class), seed)
elif source == "toy":
    a, b, c = st.columns(3)
    kind = a.radio("toy set", list(TOY_SETS), horizontal=True, key="toy", bind="query-params")
    m = b.slider("points", 20, 1000, 200, step=10, key="points", bind="query-params")
    noise = c.slider("noise", 0.0, 2.0, 0.2, step=0.05, key="noise", bind="query-params")
    ts = toy_set(kind, int(m), float(noise), seed)
    data_key = ("toy", kind, int(m), float(noise), seed)
elif source == "cats":
    res = cats_source()
    if res is not None:
        ts, data_key = res
else:
    a, b, c = st.columns(3)
    mode = a.radio("pictures from", list(OWN_MODES), captions=list(OWN_MODES.values()), key="own_mode",
                   bind="query-params")
    size = b.select_slider("model input size (pixels)", [16, 24, 32, 48, 64], value=32, key="size", bind="query-params")
    colour = c.radio("colour", ["RGB", "grey"], horizontal=True, key="colour", bind="query-params")
    channels = 3 if colour == "RGB" else 1
    if mode == "zip":
        res = zip_source(int(size), channels, seed)
        if res is not None:
            ts, data_key = res
    else:
        names = class_names_inputs()
        if names is not None:
            src = webcam_source if mode == "webcam" else upload_source
            res = src(names, int(size), channels, seed)
            if res is not None:
                ok, ts, data_key = res
                if not ok:
                    st.error(f"Cannot build the data set: {plain(ts)}.", icon="🚫")
                    ts = None

if ts is None:
    st.stop()

# What the model will see.
s1, s2 = st.columns([3, 2], gap="large")
with s1:
    if ts.is_image:
        k = min(16, ts.images_train.shape[0])
        shown = ts.images_train[:k]
        if shown.ndim == 4 and shown.shape[3] == 1:
            shown = shown[..., 0]
        labels = ts.Y_train[0, :k]
        st.image(list(shown), width=64, caption=[f"{int(y)} · {plain(ts.class_names[int(y)])}" for y in labels],
                 alt=alt_text.example_alts(labels, ts.class_names))
        st.caption(f"The first {k} training examples as the model sees them: {ts.image_size} × {ts.image_size}"
                   f"{' grey' if ts.channels == 1 else ' RGB'}, then divided by 255 and unrolled into a column.")
    else:
        chart(tf.points_figure(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, ts.class_names,
                               title=f"{ts.name}: train (●) and test (×)"), key="points_chart")
with s2:
    st.markdown(f"**{plain(ts.name)}**")
    # two lines: one overflowed the column for 12288 features
    st.latex(rf"X_\text{{train}}: ({ts.n_x},\ {ts.X_train.shape[1]}),\quad Y_\text{{train}}: (1,\ {ts.Y_train.shape[1]})")
    st.latex(rf"X_\text{{test}}: ({ts.n_x},\ {ts.X_test.shape[1]}),\quad Y_\text{{test}}: (1,\ {ts.Y_test.shape[1]})")
    if ts.is_image:
        st.caption(f"$n_x = {ts.image_size} \\cdot {ts.image_size} \\cdot {ts.channels} = {ts.n_x}$ features, "
                   "one example per column.")
    rows = "\n".join(f"| {k} · {plain(name)} | {tr} | {te} |" for k, (name, (tr, te)) in enumerate(ts.counts().items()))
    st.markdown("| class | train | test |\n| --- | ---: | ---: |\n" + rows)
    for note in ts.notes[:3]:
        st.caption(f"⚠️ {plain(note)}")

# --- 2. training -----------------------------------------------------------------------------------------------------
st.subheader("2 · Train with gradient descent")
t1, t2, t3, t4 = st.columns(4)
lr = t1.select_slider("learning rate α (log scale)", LEARNING_RATES, value=0.005, format_func=fmt_rate, key="alpha",
                      bind="query-params")
iters = int(t2.number_input("iterations", 1, MAX_ITERATIONS, 2000, step=100, key="iters", bind="query-params"))
init = t3.radio("initialise w", ["zeros", "random"], horizontal=True, key="init", bind="query-params",
                help="zeros, as the course; or small random values (× 0.01) from the seed below")
init_seed = int(t3.number_input("random-init seed", 0, 9999, 0, step=1, key="init_seed", bind="query-params",
                                disabled=init == "zeros"))
threshold = t4.slider("decision threshold", 0.01, 0.99, 0.5, step=0.01, key="train_threshold", bind="query-params",
                      help="Predict class 1 when ŷ > threshold. Changing it needs no retraining.")

# Buttons set a flag in a callback and the script acts on it below: a flag survives a rerun, a button's
# one-run True does not (and ensure_entry_navigation may rerun before the button is reached).
st.button("Train", type="primary", key="train", icon="🏋️", on_click=_request, args=("_do_train",))
if st.session_state.pop("_do_train", False):
    bar = st.progress(0.0, text="training…")
    live = st.empty()
    seen_it: list[int] = []
    seen_c: list[float] = []
    last = [0.0]

    def progress(i: int, c: float) -> None:
        seen_it.append(i)
        seen_c.append(c)
        now = time.perf_counter()
        if now - last[0] >= LIVE_EVERY_S:
            last[0] = now
            bar.progress(min(1.0, (i + 1) / iters), text=f"iteration {i} of {iters}: J = {c:.4f}")
            with live:
                chart(tf.cost_curves([("α = " + fmt_rate(lr), np.array(seen_it), np.array(seen_c))],
                                     title=f"Cost so far (iteration {i})"), key=f"live_{len(seen_it)}")

    try:
        with heavy_slot("training"):
            t0 = time.perf_counter()
            result = training.train(ts, learning_rate=lr, num_iterations=iters, init=init, seed=init_seed,
                                    callback=progress)
            elapsed = time.perf_counter() - t0
    except ServerBusy as exc:
        st.error(f"Not trained: {exc}.", icon="⏳")
        st.stop()
    bar.progress(1.0, text=f"done: {iters} iterations in {elapsed:.2f} s")
    live.empty()
    st.session_state["train_run"] = {"data_key": data_key, "result": result, "seconds": elapsed, "name": ts.name}
    if ts.is_image and not result.diverged:
        shelf.add(f"{ts.name} · α = {fmt_rate(lr)} · {iters} it", training.model_file(ts, result, threshold=threshold),
                  (ts.images_test, ts.Y_test[0]))

run = st.session_state.get("train_run")
if run is not None and run["data_key"] != data_key:
    st.info(f"Your last run was on **{plain(run['name'])}**; press **Train** to train on this data.", icon="ℹ️")
    run = None

if run is not None:
    result: training.TrainResult = run["result"]
    d = result.diagnosis
    status = {"converging": st.success, "slow": st.warning, "oscillating": st.warning, "diverging": st.error,
              "too-short": st.info}[d.status]
    status(f"**{d.status}** — {d.message}", icon={"converging": "✅", "diverging": "💥"}.get(d.status, "⚠️"))
    if result.costs:
        chart(tf.cost_curves([(f"α = {fmt_rate(result.learning_rate)}", result.iterations_recorded, result.costs)],
                             title=f"Cost J(w, b): {result.costs[0]:.4f} → {result.costs[-1]:.4f} "
                                   f"in {result.num_iterations} iterations ({run['seconds']:.2f} s)"),
              key="cost_chart")

# --- learning-rate comparison -------------------------------------------------------------------------------------------
with st.expander("Compare learning rates (the course's 0.01, 0.001, 0.0001)", expanded=source in ("cats", "digits")):
    c1, c2, c3 = st.columns([3, 1, 1])
    rates = c1.multiselect("learning rates", LEARNING_RATES, default=COURSE_RATES, format_func=fmt_rate, key="rates",
                           bind="query-params", max_selections=training.MAX_RATES)
    cmp_iters = int(c2.number_input("iterations", 1, MAX_ITERATIONS, 1500, step=100, key="cmp_iters",
                                    bind="query-params"))
    c3.write("")
    c3.button("Compare", key="compare", icon="📊", on_click=_request, args=("_do_compare",))
    if st.session_state.pop("_do_compare", False):
        if not rates:
            st.error("Choose at least one learning rate.", icon="✏️")
        else:
            bar = st.progress(0.0, text="training…")
            try:
                with heavy_slot("training"):
                    runs = training.compare_learning_rates(
                        ts, rates, num_iterations=cmp_iters, init=init, seed=init_seed,
                        callback=lambda k, n: bar.progress(k / n, text=f"{k} of {n} learning rates trained"))
            except ServerBusy as exc:
                st.error(f"Not compared: {exc}.", icon="⏳")
                st.stop()
            bar.empty()
            st.session_state["train_compare"] = {"data_key": data_key, "runs": runs}
    cmp = st.session_state.get("train_compare")
    if cmp is not None and cmp["data_key"] == data_key:
        runs = cmp["runs"]
        chart(tf.cost_curves([(f"α = {fmt_rate(r.learning_rate)}", r.iterations_recorded, r.costs) for r in runs],
                             title="Cost per learning rate"), key="compare_chart")
        names = [f"α = {fmt_rate(r.learning_rate)}" for r in runs]
        chart(tf.accuracy_bars(names, [r.train_accuracy for r in runs], [r.test_accuracy for r in runs]),
              key="compare_acc_chart")
        table = "\n".join(
            f"| {fmt_rate(r.learning_rate)} | {r.costs[-1] if r.costs else float('nan'):.4f} | "
            f"{r.train_accuracy:.1f} % | {r.test_accuracy:.1f} % | {r.diagnosis.status} |" for r in runs)
        st.markdown("| α | final cost | train accuracy | test accuracy | the curve |\n"
                    "| ---: | ---: | ---: | ---: | --- |\n" + table)
        st.caption("A large α falls fast but may oscillate or overshoot; a tiny α barely moves. A much better train "
                   "than test accuracy means the neuron memorised the training set (overfitting).")
    elif cmp is not None:
        st.caption("The last comparison was on other data; press **Compare** again.")

if run is None:
    st.info("Press **Train** to see the results.", icon="👆")
    st.stop()

# --- 3. results ------------------------------------------------------------------------------------------------------
st.subheader("3 · What the neuron learned")
if result.diverged:
    st.error("No model: the weights left the floating-point range. Lower the learning rate and train again.", icon="💥")
    st.stop()
ev_train = training.evaluate(result.w, result.b, ts.X_train, ts.Y_train, threshold)
ev_test = training.evaluate(result.w, result.b, ts.X_test, ts.Y_test, threshold)
r1, r2, r3 = st.columns([1, 1, 2])
r1.metric("train accuracy", f"{ev_train.accuracy:.1f} %")
r2.metric("test accuracy", f"{ev_test.accuracy:.1f} %",
          delta=f"{ev_test.accuracy - ev_train.accuracy:+.1f} vs train", delta_color="off")
r1.caption(f"at threshold {threshold:.2f}; b = {result.b:+.4f}")
if d.saturated_fraction > 0:
    r2.caption(f"{d.saturated_fraction:.0%} of training examples are saturated (|z| > 15).")
with r3:
    chart(tf.confusion_figure(ev_test.confusion, chart_text(ts.class_names)), key="confusion_chart")

if ts.is_image:
    w1, w2 = st.columns(2)
    with w1:
        chart(weights_figure(result.w, ts.image_size, ts.channels), key="weights_chart")
    with w2:
        if ts.channels == 3:
            chart(rgb_weights_figure(result.w, ts.image_size), key="rgb_weights_chart")
        st.caption("Each weight multiplies one pixel: red pixels vote for **" + plain(ts.class_names[1]) + "**, blue ones "
                   "for **" + plain(ts.class_names[0]) + "**. One neuron is one template.")
    wrong = ev_test.mistakes(ts.Y_test, limit=16)
    st.markdown(f"**Misclassified test examples** ({int(np.sum(ev_test.Y_prediction != ts.Y_test))} of "
                f"{ts.Y_test.shape[1]}, the most confident first)")
    if wrong.size:
        pics = ts.images_test[wrong]
        if pics.ndim == 4 and pics.shape[3] == 1:
            pics = pics[..., 0]
        st.image(list(pics), width=96, caption=[
            f"{plain(ts.class_names[int(ts.Y_test[0, j])])} · {ev_test.y_hat[0, j]:.2f}" for j in wrong],
            alt=alt_text.mistake_alts(wrong, ts.Y_test, ev_test.y_hat, ts.class_names, threshold=threshold))
        st.caption("Under each picture: its true class · ŷ. A ŷ near 0 or 1 on a wrong answer is a confident "
                   "mistake; near the threshold, a close call.")
    else:
        st.caption("None: every test example is on the right side of the threshold.")
else:
    x1, x2, P = training.probability_grid(result.w, result.b, np.concatenate([ts.X_train, ts.X_test], axis=1))
    line = training.decision_line(result.w, result.b, (x1[0], x1[-1]), (x2[0], x2[-1]))
    chart(tf.points_figure(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, ts.class_names, grid=(x1, x2, P), line=line,
                           title="ŷ = σ(w₁x₁ + w₂x₂ + b) and the decision line wᵀx + b = 0"), key="boundary_chart")
    w_ = result.w.ravel()
    st.latex(rf"w = ({w_[0]:+.3f},\ {w_[1]:+.3f}),\ b = {result.b:+.3f}:\quad "
             rf"{w_[0]:+.3f}\,x_1 {w_[1]:+.3f}\,x_2 {result.b:+.3f} = 0")
    st.caption("One neuron draws one straight line. Moons bend, circles and XOR cannot be split by any line: "
               "that is what hidden layers are for.")

# --- export / import -------------------------------------------------------------------------------------------------
st.subheader("4 · Take the model with you")
e1, e2, e3 = st.columns(3)
slug = "".join(ch if ch.isalnum() else "_" for ch in ts.name)[:40].strip("_") or "model"
with e1:
    if ts.is_image:
        # data as a callable: the file is built when the button is pressed, not on every rerun
        st.download_button("⬇️ model (.npz)", lambda: training.model_file_bytes(ts, result, threshold=threshold),
                           file_name=f"logreg_{slug}.npz", mime="application/octet-stream", key="dl_model",
                           on_click="ignore")
        st.caption("w, b and the preprocessing (size, colour, ÷255, class names). The **Classify** page already "
                   "has this model in its list for this session.")
    else:
        st.caption("Model files are for picture models (the Classify page needs an image size); 2-D models are "
                   "w and b above.")
with e2:
    st.download_button("⬇️ cost history (.csv)", lambda: training.costs_csv(result), file_name=f"costs_{slug}.csv",
                       mime="text/csv", key="dl_costs", on_click="ignore")
with e3:
    st.page_link("pages/classify.py", label="Classify a picture with it", icon="🔍")

with st.expander("Import a model file (.npz) to use on the Classify page"):
    up = st.file_uploader("model file", type=["npz"], key="import_model")
    if up is not None:
        ok, mf = memo(("model", up.file_id), lambda: load_model(up.getvalue()), heavy=None)
        if not ok:
            st.error(f"**{plain(up.name)}** is not a model file from this app: {plain(mf)}.", icon="🚫")
        else:
            name = f"uploaded: {up.name}"
            if shelf.get(name) is None or shelf.get(name).model is not mf:
                shelf.add(name, mf)
            st.success(f"Loaded **{plain(up.name)}**: {plain(mf.class_names[1])} vs {plain(mf.class_names[0])}, "
                       f"{mf.image_size} × {mf.image_size} × {mf.channels}. It is in the Classify page's model list.",
                       icon="✅")

with st.expander("The NumPy code that runs on this page"):
    show_code(logreg.propagate, logreg.neuron._optimize_primal, logreg.model)

try_this(
    "train the digits with α = 0.005, then open **Compare learning rates**: 0.01 falls fastest, 0.0001 has hardly "
    "started after 1500 iterations. Then raise α to 50 and train: the curve saws up and down. Switch to the 2-D toy "
    "sets and try XOR: no line separates it, whatever α you choose."
)

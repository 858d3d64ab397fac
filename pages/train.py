"""Train: a one-neuron classifier on real data, with a live cost curve, a learning-rate comparison and what it learned."""

from __future__ import annotations

import numpy as np
import streamlit as st

from logreg import training
from logreg.classnames import class_text
from logreg.modelio import load_model
from ui import alt_text, quiz, shelf, train_sources
from ui import train_figures as tf
from ui import train_run as tr
from ui.code import drawn_when_open
from ui.weights import diverging_caption, rgb_caption, rgb_weights_figure, weights_figure
from ui.widgets import chart, chart_text, ensure_entry_navigation, plain, session_memo, try_this

ensure_entry_navigation()


def class_names(ts: training.TrainingSet) -> tuple[str, str]:
    """Each class as its name and its label together, e.g. "digit 3 (label 1)"."""
    return tuple(class_text(ts.class_names, k, digits=ts.preprocessing == "mnist") for k in (0, 1))


def pictures(imgs: np.ndarray) -> list[np.ndarray]:
    return list(imgs[..., 0] if imgs.ndim == 4 and imgs.shape[3] == 1 else imgs)


def intro() -> None:
    st.markdown(
        "Pick a data set, press **Train**, and watch gradient descent lower the cost $J(w, b)$. Then look at what the "
        "neuron learned: its accuracy, its mistakes, and its weights $w$ drawn back as a picture."
    )
    m1, m2 = st.columns([3, 2], gap="large")
    with m1:
        # rows, not one line: one line overflowed its column below a 1,400 px window (tests/e2e/test_layout.py)
        st.latex(r"\begin{gathered}Z = w^\top X + b,\quad A = \sigma(Z)\\ J = -\tfrac{1}{m}\textstyle\sum_i "
                 r"\big(y^{(i)}\log a^{(i)} + (1 - y^{(i)})\log(1 - a^{(i)})\big)\end{gathered}")
    with m2:
        st.latex(r"\begin{gathered}dw = \tfrac{1}{m} X (A - Y)^\top\\ "
                 r"db = \tfrac{1}{m}\textstyle\sum_i (a^{(i)} - y^{(i)})\end{gathered}")
        st.latex(r"\begin{gathered}w := w - \alpha\, dw\\ b := b - \alpha\, db\end{gathered}")  # rows: fit a narrow column


def data_section() -> train_sources.Source | None:
    st.subheader("1 · The data")
    src = train_sources.choose()
    if src is not None:
        what_the_model_sees(src.ts)
    return src


def what_the_model_sees(ts: training.TrainingSet) -> None:
    names = class_names(ts)
    s1, s2 = st.columns([3, 2], gap="large")
    with s1:
        if ts.is_image:
            k = min(16, ts.images_train.shape[0])
            labels = [int(y) for y in ts.Y_train[0, :k]]
            st.image(pictures(ts.images_train[:k]), width=64, caption=[plain(names[y]) for y in labels],
                     alt=[f"training example {i + 1}: {names[y]}" for i, y in enumerate(labels)])
            st.markdown(f"The first {k} training examples as the model sees them: {ts.image_size} × {ts.image_size}"
                        f"{' grey' if ts.channels == 1 else ' RGB'}, then divided by 255 and unrolled into a column.")
        else:
            chart(tf.points_figure(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, chart_text(names),
                                   title=f"{ts.name}: train (●) and test (×)"), key="points_chart")
    with s2:
        st.markdown(f"**{plain(ts.name)}**")
        # one shape a row: side by side they overflowed this column in a 900 px window
        st.latex(rf"\begin{{gathered}}X_\text{{train}}: ({ts.n_x},\ {ts.X_train.shape[1]})\\ "
                 rf"Y_\text{{train}}: (1,\ {ts.Y_train.shape[1]})\end{{gathered}}")
        st.latex(rf"\begin{{gathered}}X_\text{{test}}: ({ts.n_x},\ {ts.X_test.shape[1]})\\ "
                 rf"Y_\text{{test}}: (1,\ {ts.Y_test.shape[1]})\end{{gathered}}")
        if ts.is_image:
            st.markdown(f"$n_x = {ts.image_size} \\cdot {ts.image_size} \\cdot {ts.channels} = {ts.n_x}$ features, "
                        "one example per column.")
        counts = ts.counts().values()
        rows = "\n".join(f"| {plain(names[k])} | {tr_} | {te} |" for k, (tr_, te) in enumerate(counts))
        st.markdown("| class | train | test |\n| --- | ---: | ---: |\n" + rows)
        for note in ts.notes[:3]:
            st.markdown(f":material/warning: {plain(note)}")


def training_section(src: train_sources.Source) -> tuple[tr.Settings, training.TrainResult | None, bool]:
    """The controls, the Train button (or a link's ``run=1``), and the run's diagnosis and cost curve."""
    st.subheader("2 · Train with gradient descent")
    s = tr.settings()
    # The button sets a flag in a callback and the script acts on it here: a flag survives a rerun, a button's
    # one-run True does not (and ensure_entry_navigation may rerun before the button is reached).
    st.button("Train", type="primary", key="train", icon=":material/fitness_center:", on_click=tr.request,
              args=("_do_train",))
    asked = tr.link_asks_to_run()
    if (st.session_state.pop("_do_train", False) or asked) and not tr.train_now(src, s):
        return s, None, False
    return s, tr.run_for(src), True


def results_section(ts: training.TrainingSet, result: training.TrainResult | None) -> None:
    st.subheader("3 · What the neuron learned")
    if result is None:
        st.info("Press **Train** to see the results.", icon=":material/arrow_upward:")
        return
    if result.diverged:
        st.error("No model: the weights left the floating-point range. Lower the learning rate and train again.",
                 icon=":material/error:")
        return
    names = class_names(ts)
    if ts.is_image:
        shown = [plain(n) for n in names]
        w1, w2 = st.columns(2)
        with w1:  # red/blue is a sign only on the diverging chart; in the RGB picture a colour is a channel
            chart(weights_figure(result.w, ts.image_size, ts.channels), key="weights_chart")
            st.markdown(diverging_caption(shown, ts.channels))
        if ts.channels == 3:
            with w2:
                chart(rgb_weights_figure(result.w, ts.image_size), key="rgb_weights_chart")
                st.markdown(rgb_caption(shown))
    else:
        x1, x2, P = training.probability_grid(result.w, result.b, np.concatenate([ts.X_train, ts.X_test], axis=1))
        line = training.decision_line(result.w, result.b, (x1[0], x1[-1]), (x2[0], x2[-1]))
        chart(tf.points_figure(ts.X_train, ts.Y_train, ts.X_test, ts.Y_test, chart_text(names), grid=(x1, x2, P),
                               line=line, title="ŷ = σ(w₁x₁ + w₂x₂ + b) and the decision line wᵀx + b = 0"),
              key="boundary_chart")
        w_ = result.w.ravel()
        st.latex(rf"w = ({w_[0]:+.3f},\ {w_[1]:+.3f}),\ b = {result.b:+.3f}:\quad "
                 rf"{w_[0]:+.3f}\,x_1 {w_[1]:+.3f}\,x_2 {result.b:+.3f} = 0")
        st.markdown("One neuron draws one straight line. Moons bend, circles and XOR cannot be split by any line: "
                    "that is what hidden layers are for.")
    decisions(ts, result)


@st.fragment
def decisions(ts: training.TrainingSet, result: training.TrainResult) -> None:
    """Everything the threshold drives, rerun alone when it moves: accuracies, confusion, mistakes, the model file."""
    threshold = st.slider("decision threshold", 0.01, 0.99, 0.5, step=0.01, key="train_threshold", bind="query-params",
                          help="Predict class 1 when ŷ > threshold. Changing it needs no retraining.")
    names = class_names(ts)
    ev_train = training.decide(result.y_hat_train, ts.Y_train, threshold)  # ŷ kept by the run: no wᵀX + b here
    ev_test = training.decide(result.y_hat_test, ts.Y_test, threshold)
    r1, r2, r3 = st.columns([1, 1, 2])
    r1.metric("train accuracy", f"{ev_train.accuracy:.1f} %")
    r2.metric("test accuracy", f"{ev_test.accuracy:.1f} %",
              delta=f"{ev_test.accuracy - ev_train.accuracy:+.1f} vs train", delta_color="off")
    r1.markdown(f"at threshold {threshold:.2f}; b = {result.b:+.4f}")
    if result.diagnosis.saturated_fraction > 0:  # a count: 1 of 800 is not "0%"
        m_train = ts.Y_train.shape[1]
        saturated = round(result.diagnosis.saturated_fraction * m_train)
        r2.markdown(f"Saturated (|z| > 15): {saturated} of {m_train} training examples.")
    with r3:
        chart(tf.confusion_figure(ev_test.confusion, chart_text(names)), key="confusion_chart")
    if ts.is_image:
        wrong = ev_test.mistakes(ts.Y_test, limit=16)
        st.markdown(f"**Misclassified test examples** ({int(np.sum(ev_test.Y_prediction != ts.Y_test))} of "
                    f"{ts.Y_test.shape[1]}, the most confident mistakes first: largest |ŷ − y| first)")
        if wrong.size:
            truth = [names[int(ts.Y_test[0, j])] for j in wrong]
            st.image(pictures(ts.images_test[wrong]), width=96,
                     caption=[f"{plain(t)} · {ev_test.y_hat[0, j]:.2f}" for t, j in zip(truth, wrong, strict=True)],
                     alt=alt_text.mistake_alts(wrong, ts.Y_test, ev_test.y_hat, names, threshold=threshold))
            st.markdown(f"Under each picture: its true class · ŷ. The further ŷ is from the true label (0 or 1), "
                        f"the more confident the mistake; a ŷ just past the threshold ({threshold:.2f}) is a close call.")
        else:
            st.markdown("None: every test example is on the right side of the threshold.")
    export_section(ts, result, threshold)


def export_section(ts: training.TrainingSet, result: training.TrainResult, threshold: float) -> None:
    st.subheader("4 · Take the model with you")
    e1, e2, e3 = st.columns(3)
    slug = "".join(ch if ch.isalnum() else "_" for ch in ts.name)[:40].strip("_") or "model"
    with e1:
        if ts.is_image:
            # data as a callable: the file is built when the button is pressed, not on every rerun
            st.download_button("model (.npz)", lambda: training.model_file_bytes(ts, result, threshold=threshold),
                               file_name=f"logreg_{slug}.npz", mime="application/octet-stream", key="dl_model",
                               on_click="ignore", icon=":material/download:")
            st.markdown("w, b and the preprocessing (size, colour, ÷255, class names). The **Classify** page already "
                        "has this model in its list for this session.")
        else:
            st.markdown("Model files are for picture models (the Classify page needs an image size); 2-D models are "
                        "w and b above.")
    with e2:
        st.download_button("cost history (.csv)", lambda: training.costs_csv(result), file_name=f"costs_{slug}.csv",
                           mime="text/csv", key="dl_costs", on_click="ignore", icon=":material/download:")
    with e3:
        st.page_link("pages/classify.py", label="Classify a picture with it", icon=":material/search:")


def import_section() -> None:
    with st.expander("Import a model file (.npz) to use on the Classify page"):
        up = st.file_uploader("model file", type=["npz"], key="import_model")
        if up is None:
            return
        ok, mf = session_memo(train_sources.MEMO_KEY, ("model", up.file_id), lambda: load_model(up.getvalue()),
                              size=train_sources.MEMO_SIZE)
        if not ok:
            st.error(f"**{plain(up.name)}** is not a model file from this app: {plain(mf)}.", icon=":material/block:")
            return
        name = f"uploaded: {up.name}"
        if shelf.get(name) is None or shelf.get(name).model is not mf:
            shelf.add(name, mf)
        st.success(f"Loaded **{plain(up.name)}**: {plain(mf.class_names[1])} vs {plain(mf.class_names[0])}, "
                   f"{mf.image_size} × {mf.image_size} × {mf.channels}. It is in the Classify page's model list.",
                   icon=":material/check_circle:")


def main() -> None:
    intro()
    src = data_section()
    if src is None:
        return
    s, result, ok = training_section(src)
    if not ok:
        return
    with st.expander("Compare learning rates (the course's 0.01, 0.001, 0.0001)",
                     expanded=src.kind in ("cats", "digits")):
        tr.compare(src, s)
    results_section(src.ts, result)
    if result is not None:
        import_section()
    drawn_when_open("The NumPy code that runs on this page", "train_code",
                    lambda: tr.code_that_runs(src.ts, result, s.iters))
    try_this(
        "train the digits with α = 0.005, then open **Compare learning rates**: 0.01 falls fastest, 0.0001 has "
        "hardly started after 1500 iterations. Then raise α to 50 and train: J leaps far above its start and "
        "bounces for a few hundred steps, then settles near 0. Switch to the 2-D toy sets and try XOR: no line "
        "separates it, whatever α you choose."
    )


st.title("Train a one-neuron classifier")
quiz_slot = quiz.slot()
quiz_pairs = quiz.link_pairs()  # read before main(): a link's run=1 leaves the URL once it has trained
main()
quiz.check_yourself("train", {}, container=quiz_slot, pairs=quiz_pairs)

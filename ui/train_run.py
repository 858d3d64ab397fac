"""Training on the Train page: its controls, a run in the heavy-work slot with a live cost curve, the
learning-rate comparison, the diagnosis, and the code of the form of gradient descent that ran.

A run is kept in ``st.session_state["train_run"]`` as ``{"data_key", "result", "seconds", "name", "shared"}``;
picture models also go on the session's model shelf (:mod:`ui.shelf`) for the Classify page.

A run on the bundled data (digits, toy sets) is shared by every session of the process (:class:`SharedRuns`): the
same data and settings give the same run, so a class that presses **Train** together waits for one training, not
one each in turn.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import streamlit as st

from logreg import neuron, training
from logreg._text import plural
from logreg.diagnostics import cost_span
from ui import shelf
from ui import train_figures as tf
from ui.code import show_code
from ui.limits import ServerBusy, heavy_slot
from ui.train_sources import Source
from ui.widgets import chart, plain

#: Learning rates offered (log scale); the course's comparison uses 0.01, 0.001, 0.0001.
LEARNING_RATES = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
                  20.0, 50.0, 100.0]
COURSE_RATES = [0.01, 0.001, 0.0001]
MAX_ITERATIONS = 10_000
#: The live cost curve is redrawn at most this often (seconds); the final curve is always drawn.
#: (Each redraw costs the server and the browser; at 0.15 s a 2000-step digits run took ~30 % longer.)
LIVE_EVERY_S = 0.25
#: ``?run=1`` in a link trains on open (once per session per link), so a shared link shows a result.
RUN_PARAM = "run"
_OPENED = "_train_opened_links"
RUN_KEY, COMPARE_KEY = "train_run", "train_compare"
THRESHOLD_KEY = "train_threshold"
SHOW = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}
ICONS = {"success": ":material/check_circle:", "info": ":material/info:", "warning": ":material/warning:",
         "error": ":material/error:"}
FORMS = {"primal": ("primal", neuron.optimize_primal), "gram": ("Gram", neuron.optimize_gram)}
#: Sources whose data is named by their key alone (bundled, the same for every visitor): their runs are shared.
SHARED_KINDS = ("digits", "toy")
#: Shared runs kept per process (a digits run holds w and ŷ: ~20 kB).
SHARED_RUNS = 32


def fmt_rate(v: float) -> str:
    return f"{v:g}"


def request(flag: str) -> None:
    """Button callback: a flag survives a rerun, a button's one-run True does not."""
    st.session_state[flag] = True


@dataclass(frozen=True)
class Settings:
    lr: float
    iters: int
    init: str
    init_seed: int


def settings() -> Settings:
    """The learning rate, the iterations and the start of w."""
    t1, t2, t3 = st.columns(3)
    lr = t1.select_slider("learning rate α (log scale)", LEARNING_RATES, value=0.005, format_func=fmt_rate, key="alpha",
                          bind="query-params")
    iters = int(t2.number_input("iterations", 1, MAX_ITERATIONS, 2000, step=100, key="iters", bind="query-params"))
    init = t3.radio("initialise w", ["zeros", "random"], horizontal=True, key="init", bind="query-params",
                    help="zeros, as the course; or small random values (× 0.01) from the seed below")
    init_seed = int(t3.number_input("random-init seed", 0, 9999, 0, step=1, key="init_seed", bind="query-params",
                                    disabled=init == "zeros"))
    return Settings(float(lr), iters, init, init_seed)


def current_threshold() -> float:
    """The decision threshold as the slider holds it, or as the link gives it before the slider is drawn."""
    value = st.session_state.get(THRESHOLD_KEY)
    if value is None:
        try:
            value = float(st.query_params.get(THRESHOLD_KEY, 0.5))  # already range-checked by ui.params
        except ValueError:
            value = 0.5
    return float(value)


def link_asks_to_run() -> bool:
    """True once per session per link that holds ``run=1``; the flag then leaves the URL (a control moved later
    must not train again)."""
    if st.query_params.get(RUN_PARAM) != "1":
        return False
    link = tuple(sorted((k, tuple(st.query_params.get_all(k))) for k in st.query_params))
    opened = st.session_state.setdefault(_OPENED, set())
    del st.query_params[RUN_PARAM]
    if link in opened:
        return False
    opened.add(link)
    return True


class LiveCurve:
    """A progress bar and the cost curve so far, redrawn at most every :data:`LIVE_EVERY_S` seconds."""

    def __init__(self, lr: float, iters: int):
        self.lr, self.iters = lr, iters
        self.bar = st.progress(0.0, text="training…")
        self.live = st.empty()
        self.it: list[int] = []
        self.c: list[float] = []
        self.last = 0.0

    def __call__(self, i: int, c: float) -> None:
        self.it.append(i)
        self.c.append(c)
        now = time.perf_counter()
        if now - self.last >= LIVE_EVERY_S:
            self.last = now
            self.bar.progress(min(1.0, (i + 1) / self.iters), text=f"iteration {i} of {self.iters}: J = {c:.4f}")
            with self.live:
                chart(tf.cost_curves([("α = " + fmt_rate(self.lr), np.array(self.it), np.array(self.c))],
                                     title=f"Cost so far (iteration {i})"), key=f"live_{len(self.it)}")

    def done(self, seconds: float) -> None:
        self.bar.progress(1.0, text=f"done: {plural(self.iters, 'iteration')} in {seconds:.2f} s")
        self.live.empty()

    def clear(self) -> None:
        """No training after all (the same run was found once this session's turn came)."""
        self.bar.empty()
        self.live.empty()


class SharedRuns:
    """Finished runs on bundled data, shared by every session of the process: ``(result, seconds)`` by run key.

    Gradient descent here is deterministic (the same data, α, iterations and start give the same w, b and costs), so
    a run asked for again is shown again instead of repeated. Thread-safe; the oldest run goes first past ``size``;
    results are frozen (read-only arrays), as shared data must be.
    """

    def __init__(self, size: int):
        self.size, self._runs, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key) -> tuple[training.TrainResult, float] | None:
        with self._lock:
            if key not in self._runs:
                return None
            self._runs.move_to_end(key)
            return self._runs[key]

    def put(self, key, result: training.TrainResult, seconds: float) -> None:
        with self._lock:
            self._runs[key] = (result.freeze(), seconds)
            self._runs.move_to_end(key)
            while len(self._runs) > self.size:
                self._runs.popitem(last=False)


@st.cache_resource(show_spinner=False)
def shared_runs() -> SharedRuns:
    """The process's one :class:`SharedRuns`."""
    return SharedRuns(SHARED_RUNS)


def run_key(src: Source, s: Settings) -> tuple | None:
    """What names a run whose result any session may reuse, or None (uploaded data is never shared)."""
    if src.kind not in SHARED_KINDS:
        return None
    return (src.key, s.lr, s.iters, s.init, s.init_seed if s.init == "random" else None)


def train_now(src: Source, s: Settings) -> bool:
    """Train in the process's heavy-work slot (or reuse the same run, :class:`SharedRuns`), keep the run, shelve a
    picture model; False if the server was busy."""
    ts = src.ts
    key = run_key(src, s)
    found = shared_runs().get(key) if key is not None else None
    if found is None:
        live = LiveCurve(s.lr, s.iters)
        try:
            with heavy_slot("training"):
                found = shared_runs().get(key) if key is not None else None  # done while this session waited
                if found is None:
                    t0 = time.perf_counter()
                    result = training.train(ts, learning_rate=s.lr, num_iterations=s.iters, init=s.init,
                                            seed=s.init_seed, callback=live)
                    elapsed = time.perf_counter() - t0
                    if key is not None:
                        shared_runs().put(key, result, elapsed)
        except ServerBusy as exc:
            st.error(f"Not trained: {exc}.", icon=":material/hourglass_top:")
            return False
        if found is None:
            live.done(elapsed)
        else:
            live.clear()
    if found is not None:
        result, elapsed = found
    st.session_state[RUN_KEY] = {"data_key": src.key, "result": result, "seconds": elapsed, "name": ts.name,
                                 "shared": found is not None}
    if ts.is_image and not result.diverged:
        try:
            mf = training.model_file(ts, result, threshold=current_threshold())
        except ValueError as exc:  # the model file format refuses it (e.g. a picture size it cannot hold)
            st.warning(f"Trained, but the model cannot be saved as a file for the Classify page: {plain(exc)}.",
                       icon=":material/warning:")
        else:
            shelf.add(f"{ts.name} · α = {fmt_rate(s.lr)} · {s.iters} it", mf, (ts.images_test, ts.Y_test[0]))
    return True


def show_diagnosis(d) -> None:
    """The run's diagnosis, as loud as its level."""
    SHOW[d.level](f"**{d.headline}** — {d.message}", icon=ICONS[d.level])


def cost_title(result: training.TrainResult, seconds: float) -> str:
    """The cost chart's title: J at the start and at the last recorded cost, and how many updates lie between.

    A finished run's last cost is the returned model's own (:func:`logreg.runs.train`); a diverged run's history
    stops at its last finite cost, so its title says where."""
    start, end, at = result.costs[0], result.costs[-1], int(result.iterations_recorded[-1])
    if result.diverged:
        return (f"Cost J(w, b): {cost_span(start, end)} after {plural(at, 'iteration')}, the last finite cost "
                f"({seconds:.2f} s)")
    # significant digits, not 4 decimals (a run driven to J = 6e-48 read "0.6931 → 0.0000"), and as many as it takes
    # for a tiny fall not to read as no change ("0.6931 → 0.6931")
    return f"Cost J(w, b): {cost_span(start, end)} in {plural(at, 'iteration')} ({seconds:.2f} s)"


def run_for(src: Source) -> training.TrainResult | None:
    """This session's last run if it was on ``src``'s data (else a note and None)."""
    run = st.session_state.get(RUN_KEY)
    if run is not None and run["data_key"] != src.key:
        st.info(f"Your last run was on **{plain(run['name'])}**; press **Train** to train on this data.",
                icon=":material/info:")
        return None
    if run is None:
        return None
    result = run["result"]
    if run.get("shared"):
        st.info("**Trained once for everyone.** This exact run (the same data, α, iterations and start of w) was "
                "already trained on this server, by you or another visitor. Gradient descent has no randomness of its own, so running it again would "
                "give the same w, b and costs to the last digit: here is that run. Change any setting to train "
                "your own.", icon=":material/groups:")
    show_diagnosis(result.diagnosis)
    if result.costs:
        chart(tf.cost_curves([(f"α = {fmt_rate(result.learning_rate)}", result.iterations_recorded, result.costs)],
                             title=cost_title(result, run["seconds"])), key="cost_chart")
    return result


def compare(src: Source, s: Settings) -> None:
    """The course's learning-rate comparison: one run per rate from the same start, overlaid."""
    c1, c2, c3 = st.columns([3, 1, 1])
    rates = c1.multiselect("learning rates", LEARNING_RATES, default=COURSE_RATES, format_func=fmt_rate, key="rates",
                           bind="query-params", max_selections=training.MAX_RATES)
    cmp_iters = int(c2.number_input("iterations", 1, MAX_ITERATIONS, 1500, step=100, key="cmp_iters",
                                    bind="query-params"))
    c3.write("")
    c3.button("Compare", key="compare", icon=":material/compare_arrows:", on_click=request, args=("_do_compare",))
    if st.session_state.pop("_do_compare", False):
        if not rates:
            st.error("Choose at least one learning rate.", icon=":material/edit:")
        else:
            bar = st.progress(0.0, text="training…")
            try:
                with heavy_slot("training"):
                    runs = training.compare_learning_rates(
                        src.ts, rates, num_iterations=cmp_iters, init=s.init, seed=s.init_seed,
                        callback=lambda k, n: bar.progress(k / n, text=f"{k} of {n} learning rates trained"))
            except ServerBusy as exc:
                st.error(f"Not compared: {exc}.", icon=":material/hourglass_top:")
                return
            bar.empty()
            st.session_state[COMPARE_KEY] = {"data_key": src.key, "runs": runs}
    cmp = st.session_state.get(COMPARE_KEY)
    if cmp is None:
        return
    if cmp["data_key"] != src.key:
        st.markdown("The last comparison was on other data; press **Compare** again.")
        return
    runs = cmp["runs"]
    chart(tf.cost_curves([(f"α = {fmt_rate(r.learning_rate)}", r.iterations_recorded, r.costs) for r in runs],
                         title="Cost per learning rate"), key="compare_chart")
    names = [f"α = {fmt_rate(r.learning_rate)}" for r in runs]
    chart(tf.accuracy_bars(names, [r.train_accuracy for r in runs], [r.test_accuracy for r in runs]),
          key="compare_acc_chart")
    table = "\n".join(
        f"| {fmt_rate(r.learning_rate)} | {r.costs[-1] if r.costs else float('nan'):.4f} | "
        f"{r.train_accuracy:.1f} % | {r.test_accuracy:.1f} % | {r.diagnosis.headline} |" for r in runs)
    st.markdown("| α | final cost | train accuracy | test accuracy | the curve |\n"
                "| ---: | ---: | ---: | ---: | --- |\n" + table)
    st.markdown("A large α falls fast but may oscillate or overshoot; a tiny α barely moves. A much better train "
                "than test accuracy means the neuron memorised the training set (overfitting).")


#: Why a run never calls ``propagate``, per form (the listing shows it last, as the reference it is).
NOT_PROPAGATE = {
    "primal": "the primal form above inlines its lines, so that the cost (m logarithms) is computed only on the "
              "steps where it is recorded",
    "gram": "the Gram form above makes no pass over X per step at all: it carries z = wᵀX + b through K = XᵀX",
}


def code_that_runs(ts: training.TrainingSet, result: training.TrainResult | None, iters: int) -> None:
    """The form of gradient descent that ran (or will run) and ``model``, with why that form; then ``propagate``,
    the course's forward and backward pass, labelled as the reference a run does not call."""
    m = ts.X_train.shape[1]
    if result is not None:
        method, it, verb = result.method, result.num_iterations, "This run used"
    else:
        it = iters
        method, verb = neuron.choose_method(ts.n_x, m, it), "Press **Train** and it will use"
    name, form = FORMS[method]
    st.markdown(f"{verb} the **{name} form** of gradient descent. {neuron.method_reason(ts.n_x, m, it)} Like the "
                "course's, it records J before an update, so the run adds the cost of the (w, b) it returns, after "
                "the last update: the cost curve ends at the model you get.")
    show_code(form, neuron.model)
    st.markdown(f"For reference, the course's forward and backward pass, `propagate`. A run does not call it: "
                f"{NOT_PROPAGATE[method]}.")
    show_code(neuron.propagate)

"""A server process warmed before its first visitor, and Streamlit's gc after every run kept cheap.

**Warming.** ``streamlit run streamlit_app.py`` serves the ``st.App`` that file defines, and the app's
lifespan (:func:`lifespan`) runs :func:`warm_up` before the server answers its first request: every module
of ``logreg`` and ``ui`` imported (h5py and Plotly with them), the bundled digits loaded, the
default model trained, and Plotly's lazily built validators made by drawing one figure. Measured on this
machine, a fresh process's first run of a page cost 0.6-0.9 s of server CPU before this (the visitor
looking at skeletons meanwhile), and about 0.2 s after it; the warm-up itself adds about 0.7 s to the
process's start-up, which a class pays once, before anyone is waiting.

**Freezing.** Streamlit calls ``gc.collect(2)`` after every script run (``runner.postScriptGC``), so that
cyclic garbage cannot pile up between runs. A full collection walks every object the collector tracks, and
most of those are the modules, classes and validators that Streamlit, Plotly and our pages import once and
keep for the life of the process (about 150 000 objects once every page has run). Measured with py-spy on
one core: that walk was about 65 % of the server CPU a slider move on Sigmoid cost (about 80 ms of 120).

``gc.freeze()`` moves every object alive at that moment to a permanent generation the collector skips.
Done at the end of the warm-up, and again right after each page's first complete run in this process (what
that page made for good is alive then), the post-run collection only walks what later runs make: per-run
garbage and the sessions' own objects. The collector still frees cycles among those, so Streamlit's memory
hygiene stays; what changes is that it no longer re-checks the imported code on every move.

A frozen object that later becomes cyclic garbage is never freed, so each freeze may leak what one
session had alive at that instant. There is at most one freeze per page per process, and one after the
warm-up (10 in all), so this is bounded by a few sessions' worth of small objects (figure objects, widget
states); bench/classroom.py's peak RSS with 100 learners was 284 MB.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import logging
import pkgutil
import sys
import threading
import time

WARM = "(warm-up)"  # the freeze after the warm-up counts as one more page

_frozen: set[str] = set()
_lock = threading.Lock()


def process_setup() -> None:
    """What every server process needs before any page runs (idempotent; the warm-up and the entry script call it).

    - One BLAS thread. Sessions run their scripts in threads of one process; OpenBLAS's own
      workers then spin against them and the web server. Measured on a loaded 2-core machine:
      2000 iterations on 800 digits took 7-17 s with 2 BLAS threads, 0.9-3.7 s with 1 (mat-vecs
      gain little from threads). A cloud host may report many cores, making it worse.
    - No pandas: nothing here imports it (tables are markdown, ``ui.widgets.table``). It used to be imported
      here completely, because ``st.table`` imported it on first use and Plotly looks pandas up in sys.modules
      without importing it: a session building a figure while another thread was half-way through importing
      pandas got "partially initialized module 'pandas'" (seen with 6 concurrent visitors in bench/load.py).
      ``tests/e2e/test_no_pandas.py`` checks that a server which showed every page never loaded it.
    """
    from threadpoolctl import threadpool_limits  # noqa: PLC0415

    threadpool_limits(1, user_api="blas")


def our_modules() -> list[str]:
    """Every module of the ``logreg`` and ``ui`` packages: what the pages import, whichever page comes first."""
    import logreg  # noqa: PLC0415
    import ui  # noqa: PLC0415

    return [m.name for pkg in (logreg, ui) for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]


def warm_up() -> None:
    """Import, load, train and draw once what the first visitors would otherwise wait for; then freeze it."""
    process_setup()
    for name in our_modules():
        importlib.import_module(name)
    # Streamlit imports its emoji table (0.1 s) the first time an alert (st.info, st.success) is drawn.
    importlib.import_module("streamlit.emojis")
    from logreg import datasets  # noqa: PLC0415
    from ui import defaults, figures  # noqa: PLC0415

    datasets.load_digits_subset()  # lru_cache'd, read-only arrays
    # st.cache_resource: the sessions' calls find it trained. Its spinner has no page here, which Streamlit
    # would log as "missing ScriptRunContext" (harmless: there is no session yet).
    with _quiet("streamlit.runtime.scriptrunner_utils.script_run_context"):
        defaults.default_model()
        defaults.default_lesson()
    # Plotly builds each property's validator the first time a figure uses it (70 ms for the first figure).
    figures.sigmoid_curve([-1.0, 0.0, 1.0], [0.27, 0.5, 0.73], z_point=0.0, s_point=0.5).to_json()
    freeze_after_first_run(WARM)


@contextlib.contextmanager
def _quiet(logger: str):
    log = logging.getLogger(logger)
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


@contextlib.asynccontextmanager
async def lifespan(_app):
    """The ``st.App`` lifespan: :func:`warm_up` before the server takes requests (nothing is being served yet,
    so it runs on the event loop's thread). A failure is reported and the server starts anyway, cold."""
    t0 = time.perf_counter()
    try:
        warm_up()
        print(f"logreg: server process warmed up in {time.perf_counter() - t0:.2f} s", flush=True)
    except Exception as exc:  # noqa: BLE001  (a page then shows the same error to its visitor, with context)
        print(f"logreg: warm-up failed, serving cold: {exc!r}", file=sys.stderr, flush=True)
    yield


def freeze_after_first_run(page: str) -> bool:
    """Call at the end of a full run of ``page``. The first call for each page freezes; returns whether it did."""
    if page in _frozen:  # the common case, without the lock
        return False
    with _lock:
        if page in _frozen:
            return False
        _frozen.add(page)
        # The young generations only: the run's own fresh garbage is freed, not frozen. A full collection here
        # would walk the whole heap once more (~90 ms on a cold process, on the first visitor's wait for "done");
        # Streamlit's own gc.collect(2) follows this run anyway. Cyclic garbage already in the oldest generation
        # is frozen with the rest (bounded: at most one freeze per page).
        gc.collect(1)
        gc.freeze()
    return True


def frozen_pages() -> frozenset[str]:
    return frozenset(_frozen)

"""A fresh process warmed while its first page draws, and Streamlit's gc after every run kept cheap.

**Warming.** Once the process's first page has run (its visitor's browser is still drawing the charts for a
second or two, and the server has nothing else to do), a daemon thread imports what the other pages need and
loads the bundled digits, so the next page a class opens does not pay for them. It uses no Streamlit call,
so it cannot draw into the first visitor's page. (The default model on Classify, 0.2 s, is still trained by
its first visitor, behind a spinner, in ``st.cache_resource``.)

**Freezing.** Streamlit calls ``gc.collect(2)`` after every script run (``runner.postScriptGC``), so that cyclic garbage
cannot pile up between runs. A full collection walks every object the collector tracks, and most of
those are the modules, classes and validators that Streamlit, Plotly and our pages import once and keep
for the life of the process (about 150 000 objects once every page has run). Measured with py-spy on
one core: that walk was about 65 % of the server CPU a slider move on Sigmoid cost (about 80 ms of 120).

``gc.freeze()`` moves every object alive at that moment to a permanent generation the collector skips.
Done right after a page's first complete run in this process (its imports and the lazily built Plotly
validators are alive then), the post-run collection only walks what later runs make: per-run garbage and
the sessions' own objects. The collector still frees cycles among those, so Streamlit's memory hygiene
stays; what changes is that it no longer re-checks the imported code on every move.

A frozen object that later becomes cyclic garbage is never freed, so each freeze may leak what one
session had alive at that instant. There is at most one freeze per page per process, and one after the
warm-up (10 in all), so this is bounded by a few sessions' worth of small objects (figure objects, widget
states); bench/classroom.py's peak RSS with 100 learners was 284 MB.
"""

from __future__ import annotations

import gc
import importlib
import threading

#: Imported by the warm-up thread: what the pages use beyond the first page's own imports (10-300 ms each, cold).
MODULES = ("plotly.graph_objects", "logreg.modelio", "logreg.quiz", "ui.figures",
           "ui.image_figures", "ui.train_figures", "ui.classify_figures", "ui.backprop_figures", "ui.weights",
           "ui.quiz", "ui.train_sources", "ui.train_run", "ui.shelf")
WARM = "(warm-up)"  # the freeze after the warm-up counts as one more page

_frozen: set[str] = set()
_lock = threading.Lock()
_warmer: threading.Thread | None = None


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


def _warm_up() -> None:
    for name in MODULES:
        importlib.import_module(name)
    from logreg import datasets  # noqa: PLC0415  (after the imports above: this is the slow part)

    datasets.load_digits_subset()  # lru_cache'd, read-only arrays
    freeze_after_first_run(WARM)


def warm_in_background() -> threading.Thread | None:
    """Start the warm-up thread once per process (call after a page has run); the thread, or None if started."""
    global _warmer
    if _warmer is not None:  # every run after the first: no lock on the hot path
        return None
    with _lock:
        if _warmer is not None:
            return None
        _warmer = threading.Thread(target=_warm_up, name="logreg-warm-up", daemon=True)
    _warmer.start()
    return _warmer

"""ui/warm.py: the objects alive after a page's first run are frozen once per page, so Streamlit's gc after
every run walks only what later runs make."""

import gc

from ui import warm


def test_each_page_freezes_once_and_garbage_is_collected_first(monkeypatch):
    calls = []
    monkeypatch.setattr(warm, "_frozen", set())
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    assert warm.freeze_after_first_run("loss") is True
    assert warm.freeze_after_first_run("loss") is False
    assert warm.freeze_after_first_run("sigmoid") is True
    assert calls == ["collect", "freeze", "collect", "freeze"]  # garbage of the run freed first, then frozen
    assert warm.frozen_pages() == {"loss", "sigmoid"}


def test_a_frozen_object_is_skipped_by_a_full_collection():
    """What the freeze buys: objects alive at the freeze leave the generations gc.collect(2) walks."""
    gc.collect()
    before = gc.get_freeze_count()
    keep = [[i] for i in range(1000)]  # lists are always tracked by the collector
    gc.freeze()
    try:
        assert gc.get_freeze_count() >= before + len(keep)
        walked = {id(o) for g in range(3) for o in gc.get_objects(generation=g)}
        assert gc.is_tracked(keep[0]) and not walked & {id(k) for k in keep}
    finally:
        gc.unfreeze()


def test_the_warm_up_imports_the_pages_modules_loads_the_digits_and_freezes_them(monkeypatch):
    import importlib

    from logreg import datasets

    done = []
    monkeypatch.setattr(warm, "_frozen", set())
    monkeypatch.setattr(importlib, "import_module", lambda name: done.append(name))
    monkeypatch.setattr(datasets, "load_digits_subset", lambda: done.append("digits"))
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    warm._warm_up()
    assert done == [*warm.MODULES, "digits", "freeze"]  # frozen last, with what it loaded
    assert warm.WARM in warm.frozen_pages()


def test_the_warm_up_thread_starts_once_per_process(monkeypatch):
    ran = []
    monkeypatch.setattr(warm, "_warmer", None)
    monkeypatch.setattr(warm, "_warm_up", lambda: ran.append(True))
    first = warm.warm_in_background()
    assert first is not None and first.daemon
    first.join(timeout=10)
    assert warm.warm_in_background() is None and ran == [True]

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


def test_the_warm_up_imports_every_module_loads_the_digits_trains_the_default_model_and_freezes_last(monkeypatch):
    import importlib

    from logreg import datasets, inference
    from ui import defaults

    done = []
    monkeypatch.setattr(warm, "_frozen", set())
    monkeypatch.setattr(warm, "process_setup", lambda: done.append("setup"))
    real_import = importlib.import_module
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: done.append(name) or real_import(name, *a))
    real_load = datasets.load_digits_subset
    monkeypatch.setattr(datasets, "load_digits_subset", lambda: done.append("digits") or real_load())
    real_train = inference.train_digits_model
    monkeypatch.setattr(inference, "train_digits_model", lambda: done.append("train") or real_train())
    monkeypatch.setattr(gc, "freeze", lambda: done.append("freeze"))
    defaults.default_model.clear()
    defaults.default_lesson.clear()
    try:
        warm.warm_up()
        assert done[0] == "setup" and done[-1] == "freeze"  # frozen last, with all it loaded
        assert set(warm.our_modules()) | {"streamlit.emojis", "digits", "train"} <= set(done)
        assert done.count("train") == 1
        defaults.default_model()  # a session's call now finds the model the warm-up trained
        assert done.count("train") == 1
        assert warm.WARM in warm.frozen_pages()
    finally:
        defaults.default_model.clear()
        defaults.default_lesson.clear()


def test_our_modules_are_every_module_of_the_two_packages():
    names = warm.our_modules()
    assert {"logreg.uploads.cat_h5", "logreg.quiz.arrays", "ui.figures", "ui.defaults", "ui.warm"} <= set(names)
    assert all(n.startswith(("logreg.", "ui.")) for n in names)


def test_the_lifespan_warms_up_before_it_yields_and_a_failure_still_starts_the_server(monkeypatch, capsys):
    import asyncio
    import concurrent.futures

    order = []
    monkeypatch.setattr(warm, "warm_up", lambda: order.append("warm"))

    async def serve():
        async with warm.lifespan(None):
            order.append("serving")

    def run(coro) -> None:
        # On its own thread: when the browser tests ran first in this process, Playwright's sync API keeps an event
        # loop running in this one, and asyncio.run refuses to start another there.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, coro).result(timeout=60)

    run(serve())
    assert order == ["warm", "serving"]

    def broken():
        raise OSError("digits file missing")

    monkeypatch.setattr(warm, "warm_up", broken)
    order.clear()
    run(serve())
    assert order == ["serving"]
    assert "warm-up failed, serving cold" in capsys.readouterr().err

"""ui.widgets: a visitor's decoded uploads remembered in their own session only (session_memo), and tables."""

from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from ui import widgets


@pytest.fixture
def session(monkeypatch):
    """A fake ``st`` whose session_state is a plain dict (one visitor); returns a function to switch visitor."""
    fake = SimpleNamespace(session_state={})
    monkeypatch.setattr(widgets, "st", fake)

    def visitor(state: dict) -> dict:
        fake.session_state = state
        return state

    return visitor


def counting_loader(calls: list, value):
    def load():
        calls.append(value)
        return value

    return load


def test_a_value_is_loaded_once_then_remembered(session):
    state = session({})
    calls = []
    assert widgets.session_memo("_m", "a", counting_loader(calls, 1), size=3) == (True, 1)
    assert widgets.session_memo("_m", "a", counting_loader(calls, 2), size=3) == (True, 1)
    assert calls == [1]
    assert state["_m"] == {"a": (True, 1)}


def test_keeps_only_the_last_size_entries(session):
    state = session({})
    calls = []
    for key in "abcd":
        widgets.session_memo("_m", key, counting_loader(calls, key), size=2)
    assert list(state["_m"]) == ["c", "d"]  # the two most recent; a and b were dropped
    assert calls == ["a", "b", "c", "d"]
    widgets.session_memo("_m", "d", counting_loader(calls, "d again"), size=2)  # still there: not reloaded
    assert widgets.session_memo("_m", "a", counting_loader(calls, "a again"), size=2) == (True, "a again")
    assert calls == ["a", "b", "c", "d", "a again"]  # a was evicted, so it is loaded again
    assert list(state["_m"]) == ["d", "a"]


def test_expected_errors_are_remembered_as_false_and_the_message(session):
    state = session({})
    calls = []

    def bad():
        calls.append(1)
        raise ValueError("not a picture: the file is empty")

    assert widgets.session_memo("_m", "x", bad, size=2) == (False, "not a picture: the file is empty")
    assert widgets.session_memo("_m", "x", bad, size=2) == (False, "not a picture: the file is empty")
    assert calls == [1]  # a bad upload is not decoded again on every rerun
    assert state["_m"]["x"] == (False, "not a picture: the file is empty")


def test_unexpected_errors_propagate_and_are_not_remembered(session):
    state = session({})

    def broken():
        raise TypeError("a bug")

    with pytest.raises(TypeError, match="a bug"):
        widgets.session_memo("_m", "x", broken, size=2)
    assert "x" not in state["_m"]


def test_each_visitor_has_their_own_memo(session):
    first, second = session({}), {}
    calls = []
    widgets.session_memo("_m", "k", counting_loader(calls, "first's"), size=2)
    session(second)
    assert widgets.session_memo("_m", "k", counting_loader(calls, "second's"), size=2) == (True, "second's")
    assert calls == ["first's", "second's"]
    assert first["_m"] == {"k": (True, "first's")} and second["_m"] == {"k": (True, "second's")}


def _memo_script():
    import streamlit as st

    from ui.widgets import session_memo

    loads = st.session_state.setdefault("loads", [])
    ok, value = session_memo("_memo", "upload-1", lambda: loads.append(1) or "decoded", size=2)
    st.text(f"{ok} {value} loads={len(loads)}")


def test_sessions_do_not_share_the_memo_in_a_running_app():
    one = AppTest.from_function(_memo_script).run()
    assert one.text[0].value == "True decoded loads=1"
    one.run()
    assert one.text[0].value == "True decoded loads=1"  # a rerun reuses the session's value
    other = AppTest.from_function(_memo_script).run()  # a second visitor decodes their own
    assert other.text[0].value == "True decoded loads=1"


def test_a_table_is_markdown_whose_cells_show_as_typed():
    from ui.widgets import markdown_table

    text = markdown_table({"": ["loop", "vectorized"], "dw1": ["-0.25", "1,000"], "expression": ["a * a.T", "x|y"]})
    head, rule, *rows = text.split("\n")
    assert head == "|   | dw1 | expression |"
    assert rule == "|---|---:|---|"  # a column of numbers (signs and thousands separators too) is aligned right
    assert rows == ["| loop | \\-0\\.25 | a \\* a\\.T |", "| vectorized | 1,000 | x\\|y |"]  # no emphasis, no new cell
    assert markdown_table({"page": [], "answered": []}).split("\n") == ["| page | answered |", "|---|---|"]
    with pytest.raises(ValueError, match="one length"):
        markdown_table({"a": [1, 2], "b": [1]})

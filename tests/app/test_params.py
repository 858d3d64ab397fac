"""Links (query parameters) checked by ui/params.py before any widget sees them: what is dropped, what is said, and
what it costs. The rules per value are also tested in tests/test_hostile.py; these tests open pages."""

from __future__ import annotations

import pytest
from streamlit.runtime.state.query_params import QueryParams

from ui import params

from .conftest import open_page, shown

SIGMOID = "pages/sigmoid.py"


def _warned(at) -> str:
    return " ".join(shown(w.value) for w in at.warning)


@pytest.fixture
def url_messages(monkeypatch):
    """Counts the messages that send the whole query string to the browser (one per change of st.query_params)."""
    sent = []
    original = QueryParams._send_query_param_msg

    def counted(self):
        sent.append(len(self._query_params))
        return original(self)

    monkeypatch.setattr(QueryParams, "_send_query_param_msg", counted)
    return sent


def test_many_bad_keys_are_dropped_with_one_message_to_the_browser(url_messages):
    # Each message holds the whole remaining query string: one per bad key made a long link cost quadratic time.
    query = {f"k{i}": "9" * 40 for i in range(params.MAX_KEYS)}  # absurdly long numbers, as many keys as allowed
    at = open_page(SIGMOID, query)
    assert len(url_messages) <= 2, url_messages  # the cleaning sends one (the page itself may send another)
    warned = _warned(at)
    assert "Ignored from the link" in warned and "k0" in warned
    assert f"and {params.MAX_KEYS - 5} more" in warned  # five are listed, the rest counted
    assert not any(k in at.query_params for k in query)


def test_a_link_with_more_keys_than_any_page_uses_is_dropped_whole(url_messages):
    query = {f"k{i}": "1" for i in range(999)}  # with w: 1,000 keys, the most Streamlit accepts
    query["w"] = "2.5"  # a good value in such a link is dropped too: the link is not a page's state
    at = open_page(SIGMOID, query)
    warned = _warned(at)
    assert "Ignored the whole link" in warned and "1,000 parameters" in warned
    assert not any(k in at.query_params for k in query)
    assert at.slider(key="w").value == 1.5  # the default
    assert len(url_messages) <= 2, url_messages


def test_the_key_cap_is_far_above_what_any_page_binds():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for page in sorted((root / "pages").glob("*.py")):
        src = "".join(p.read_text() for p in [page, *sorted((root / "ui").glob(f"{page.stem}_*.py"))])
        # the page's controls plus the links' own (check, qseed, run), with room to spare
        assert 2 * (src.count('bind="query-params"') + 3) <= params.MAX_KEYS, page.name


@pytest.mark.parametrize("text", ["١٢", "１２", "٣.٥", "1_0", "1_000.5", "-1_0", "1e1_0"])
def test_numbers_are_read_in_ascii_digits_only(text):
    # Python's int() and float() read any Unicode digit and underscores between digits; a link's number must
    # look like one to the teacher who wrote it
    for key, bound in (("z", None), ("digit", params.BOUNDS["images"]["digit"]), ("name_0", None)):
        why = params.why_ignored(key, text, bound)
        assert (why is None) if key in params.TEXT_KEYS else why is not None, (key, text, why)


@pytest.mark.parametrize("text", ["12", "+12", " 7 ", "-3", "0.5", ".5", "5.", "1e2", "-1.5E-3"])
def test_ascii_numbers_still_pass(text):
    assert params.why_ignored("z_extreme", text, None) is None


@pytest.mark.parametrize("page, query, key, default", [
    ("pages/images.py", {"picture": "digit", "digit": "١٢"}, "digit", 0),
    ("pages/sigmoid.py", {"z_extreme": "1_0"}, "z_extreme", -800.0),
    ("pages/train.py", {"positive": "١"}, "positive", 3),
])
def test_a_link_with_non_ascii_digits_keeps_the_default_and_says_so(page, query, key, default):
    at = open_page(page, query)
    widget = {w.key: w for kind in ("number_input", "selectbox") for w in at.get(kind)}[key]
    assert widget.value == default
    assert key in _warned(at) and "0-9" in _warned(at)

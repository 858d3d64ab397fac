"""AppTest helpers: open a page through the entry script (as a browser would), read its charts."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = str(ROOT / "streamlit_app.py")


def open_page(page: str | None = None, query: dict | None = None, timeout: float = 30,
              opened: tuple[str, ...] = ()) -> AppTest:
    """Run the entry script, then switch to ``page`` (e.g. "pages/sigmoid.py") with ``query`` in the URL and the
    expanders keyed ``opened`` open (those of ``ui.code.drawn_when_open`` draw their content only when open)."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout).run()
    assert not at.exception, at.exception
    if page is not None:
        at.query_params.update(query or {})
        for key in opened:
            at.session_state[key] = True
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def open_expanders(at: AppTest, *keys: str) -> AppTest:
    """Open the expanders keyed ``keys`` on the page ``at`` shows, as a click on each would, and rerun."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def chart_spec(at: AppTest, key: str) -> dict:
    """The Plotly figure (as JSON) of the chart drawn with ``key``."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(f"-{key}")]
    assert found, f"no chart with key {key!r}; charts: {[c.proto.id for c in at.get('plotly_chart')]}"
    return json.loads(found[0].proto.spec)


_TABLE_RULE = re.compile(r"^\|(-{3,}:?\|)+$")


def tables(at: AppTest) -> list[dict[str, list[str]]]:
    """Every table on the page (``ui.widgets.table``, drawn as markdown), in order: header -> its column's cells,
    as the reader sees them (markdown escapes removed)."""
    out = []
    for md in at.markdown:
        lines = md.value.split("\n")
        if len(lines) < 2 or not lines[0].startswith("| ") or not _TABLE_RULE.match(lines[1]):
            continue
        rows = [[re.sub(r"\\(.)", r"\1", c).strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
                for line in lines[:1] + lines[2:]]
        out.append({h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])})
    return out


def listings(at: AppTest) -> list[str]:
    """The text of every code listing on the page (ui.code.listing: HTML whose tags are only the colouring),
    as the reader sees it."""
    out = []
    for h in at.get("html"):
        body = h.proto.body
        if body.startswith('<pre class="lr-code"><code>'):
            out.append(html.unescape(re.sub(r"<[^>]*>", "", body)))
    return out


def title_of(spec: dict) -> str:
    t = spec["layout"].get("title", "")
    return t.get("text", "") if isinstance(t, dict) else t


def shown(text: str) -> str:
    """A markdown string as the reader sees it: backslash-escaped signs (ui.widgets.plain) unescaped."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", str(text))


def shelved(at: AppTest) -> dict:
    """This session's model shelf (ui.shelf): name -> Shelved(model, images, labels), oldest first."""
    return dict(at.session_state["_model_shelf"]) if "_model_shelf" in at.session_state else {}


@pytest.fixture
def page():
    return open_page


@pytest.fixture(autouse=True)
def no_shared_runs():
    """Each test starts with no run shared between sessions (ui.train_run.SharedRuns lives for the process, as on
    a server): a test that trains then trains for real, unless it is about the sharing."""
    from ui.train_run import shared_runs

    shared_runs.clear()
    yield
    shared_runs.clear()


def values(data):
    """A trace's x / y / z as a NumPy array (Plotly 6+ sends NumPy data as base64 typed arrays)."""
    import base64

    import numpy as np

    if isinstance(data, dict) and "bdata" in data:
        arr = np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"]))
        shape = data.get("shape")
        if shape:
            arr = arr.reshape([int(s) for s in str(shape).split(",")])
        return arr
    return np.asarray(data)

"""Issue 14: a control reruns only what depends on it (st.fragment), spoken over Streamlit's own websocket
protocol as the browser does it (bench/st_client.py sends a widget's fragment id with the rerun, as the
frontend does). Each move must come back as a fragment run that redrew exactly its own charts, with the
new value in them, and nothing else of the page."""

from __future__ import annotations

import json

import pytest

from bench.st_client import StreamlitSession

from .conftest import run_async

#: page, query string, control key, new value, the charts that control drives (and only those).
CONTROLS = [
    ("sigmoid", "", "z", 3.5, {"sigmoid_chart", "derivative_chart"}),
    ("sigmoid", "", "w", 4.0, {"options_chart"}),
    ("loss", "", "y_hat", 0.3, {"loss_chart"}),
    ("backprop", "", "bp_a", 4.0, {"bp_warmup_chart"}),
    ("backprop", "", "bp_w1", 1.5, {"bp_neuron_chart", "bp_check_chart"}),
    ("loss", "", "steps", 25, {"ce_chart", "sq_chart", "data_chart", "history_chart"}),
    ("loss", "", "lr", "3", {"ce_chart", "sq_chart", "data_chart", "history_chart"}),  # a select_slider: its option's text
    ("images", "", "start", 30, {"column_chart"}),
    ("images", "", "batch_m", 6, {"batch_chart"}),  # and X itself, drawn only once its expander is opened
    ("broadcasting", "", "rows", 5, {"broadcast_chart"}),
    ("classify", "source=example", "threshold", 0.7, {"verdict_chart"}),
]

#: Redrawn by its section's controls but not changed by this move: the squared-error surface has no path on
#: it (only a large α, which widens the view, changes it).
SAME = {("loss", "steps"): {"sq_chart"}, ("loss", "lr"): {"sq_chart"}}


async def move(url: str, page: str, query: str, key: str, value):
    async with StreamlitSession(url, timeout_s=60) as s:
        first = await s.open(page, query)
        assert not first.exceptions, first.exceptions
        moved = await s.set(key, value)
        return first, moved


@pytest.mark.parametrize(("page", "query", "key", "value", "charts"), CONTROLS,
                         ids=[f"{c[0]}-{c[2]}" for c in CONTROLS])
def test_a_control_reruns_only_its_own_part_of_the_page(server, page, query, key, value, charts):
    first, moved = run_async(move(server, page, query, key, value))
    assert charts <= set(first.charts), f"the full page should draw {charts}; drew {sorted(first.charts)}"
    assert moved.fragment_run and not moved.exceptions, moved.exceptions
    assert set(moved.charts) == charts  # its own charts, not the page's others
    changed = charts - SAME.get((page, key), set())
    assert changed and all(json.loads(moved.charts[c]) != json.loads(first.charts[c]) for c in changed)  # new value
    assert moved.kinds["form"] == 0  # the Check yourself block (a form per question) was not rerun

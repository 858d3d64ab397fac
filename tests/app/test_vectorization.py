import inspect
import json
import subprocess
import sys
import textwrap

import pytest

import logreg

from .conftest import ROOT, chart_spec, listings, open_page, title_of, values

PAGE = "pages/vectorization.py"


def test_renders_without_timing_until_asked():
    at = open_page(PAGE)
    assert not at.get("plotly_chart")  # no timing ran on load
    assert "dot_timing" not in at.session_state and "propagate_timing" not in at.session_state
    # one vectorized step with every shape printed beside its formula (defaults n_x=100, m=500)
    shapes = [c for c in listings(at) if c.startswith(("X", "Z", "A", "dZ", "dw", "db"))]
    assert shapes == ["X.shape == (100, 500)", "Z.shape == (1, 500)", "A.shape == (1, 500)", "dZ.shape == (1, 500)",
                      "dw.shape == (100, 1)", "db is a scalar"]


def test_dot_timing_runs_on_the_button_and_follows_the_length():
    at = open_page(PAGE)
    at.select_slider(key="vec_len").set_value(1000).run()
    at.button(key="time_dot").click().run()
    assert not at.exception
    spec = chart_spec(at, "dot_chart")
    assert "n = 1,000" in title_of(spec)
    t_loop, t_vec = values(spec["data"][0]["x"])
    assert t_loop > 0 and t_vec > 0
    assert float(at.metric[1].value) < 1e-9  # loop and np.dot agree
    at.select_slider(key="vec_len").set_value(10_000).run()
    assert any("press the button again" in c.value for c in at.caption)  # stale timing is labelled
    at.button(key="time_dot").click().run()
    assert "n = 10,000" in title_of(chart_spec(at, "dot_chart"))


def test_propagate_timing_checks_same_numbers():
    at = open_page(PAGE, {"n_x": "20", "m": "50"})
    at.button(key="time_propagate").click().run()
    spec = chart_spec(at, "propagate_chart")
    assert "(20, 50)" in title_of(spec)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["same numbers?"] == "yes"
    assert float(metrics["largest difference in J, dw, db"]) < 1e-12


def test_sizes_are_capped_with_a_message():
    at = open_page(PAGE, {"n_x": "2000", "m": "5000"})
    assert at.warning and "at most 200,000" in at.warning[0].value
    assert at.button(key="time_propagate").disabled


def test_url_opens_the_page_in_the_shared_state():
    at = open_page(PAGE, {"n_x": "3", "m": "7", "vec_len": "1000000"})
    assert at.slider(key="n_x").value == 3 and at.select_slider(key="vec_len").value == 1_000_000
    assert "Z.shape == (1, 7)" in [c for c in listings(at)]


def test_the_timed_for_loop_is_shown_as_the_code_that_runs():
    at = open_page(PAGE, opened=("vec_loops_code",))
    codes = [c.strip() for c in listings(at)]
    source = textwrap.dedent(inspect.getsource(logreg.dot_loop)).strip()
    assert source in codes  # the function the button times
    # the page calls it the lecture's loop: it must index the NumPy arrays as the lecture does, not Python lists
    label = next(m.value for m in at.markdown if m.value.startswith("**The for-loop that is timed**"))
    assert "the lecture's" in label and "c += a[i] * b[i]" in label
    assert "c += a[i] * b[i]" in source and "tolist" not in source
    assert "c = np.dot(a, b)" in codes
    assert textwrap.dedent(inspect.getsource(logreg.propagate_loop)).strip() in codes


def test_the_bars_are_on_a_linear_axis_and_say_the_ratio():
    at = open_page(PAGE)
    at.select_slider(key="vec_len").set_value(100_000).run()
    at.button(key="time_dot").click().run()
    spec = chart_spec(at, "dot_chart")
    assert spec["layout"]["xaxis"]["type"] == "linear"
    t_loop, t_vec = values(spec["data"][0]["x"])
    label = spec["data"][0]["text"][0]
    assert label.endswith(f"({t_loop / t_vec:,.0f}× the fastest)")  # e.g. "31.2 ms  (554× the fastest)"
    assert spec["data"][0]["text"][1].endswith("(the fastest)")
    assert at.metric[0].value == f"{t_loop / t_vec:,.0f}×"  # from 10 up: whole, as the bar's label


@pytest.mark.parametrize("t_loop, t_vec, shown", [
    (0.0992e-3, 0.196e-3, "0.51×, slower"),  # the reviewer's 3 x 3 run: it used to read "speed-up 1×"
    (1.0e-3, 1.02e-3, "0.98×, slower"),
    (0.196e-3, 0.0992e-3, "2.0×"),
    (0.3e-3, 0.1e-3, "3.0×"),
    (31.2e-3, 0.0563e-3, "554×"),
    (122e-3, 0.0271e-3, "4,502×"),
])
def test_the_speed_up_has_two_significant_digits_and_says_slower(t_loop, t_vec, shown):
    # stored timings drive the page's formatting (no timing here): both metrics, and the lesson when slower
    at = open_page(PAGE, {"n_x": "3", "m": "3"})
    at.session_state["dot_timing"] = {"n": 100_000, "loop": (t_loop, 1.0), "vec": (t_vec, 1.0)}
    at.session_state["propagate_timing"] = {"shape": (3, 3), "loop": t_loop, "vec": t_vec, "diff": 0.0}
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric if m.label == "speed-up"] == [shown, shown]
    lesson = [c.value for c in at.caption if "call overhead" in c.value]
    assert len(lesson) == (2 if t_loop < t_vec else 0)


def test_section_3_holds_kilobytes_not_the_full_X():
    # Section 3 shows shapes and a few values: at 2000 x 5000 it must not build (and cache) the 80 MB X.
    # Peak memory (ru_maxrss) of a process that visits three large settings, against its peak at 1 x 1.
    script = f"""
import html, json, re, resource
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({str(ROOT / "streamlit_app.py")!r}, default_timeout=120).run()
at.query_params.update({{"n_x": "1", "m": "1"}})
at.switch_page("pages/vectorization.py").run()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
shapes = []
for n_x, m in ((2000, 5000), (1999, 5000), (2000, 4999)):
    at.slider(key="n_x").set_value(n_x)
    at.slider(key="m").set_value(m)
    at.run()
    assert not at.exception, at.exception
    texts = [html.unescape(re.sub(r"<[^>]*>", "", h.proto.body)) for h in at.get("html")]
    shapes.append(next(t for t in texts if t.startswith("X.shape")))
print(json.dumps({{"grew_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024, "shapes": shapes}}))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["shapes"] == ["X.shape == (2000, 5000)", "X.shape == (1999, 5000)", "X.shape == (2000, 4999)"]
    assert result["grew_mb"] < 40, result  # one full X alone is 80 MB; three cached were 240 MB


def test_the_caption_says_how_X_is_built_as_the_page_builds_it():
    at = open_page(PAGE, {"n_x": "2000", "m": "5000"})
    [caption] = [c.value for c in at.caption if c.value.startswith("X here is")]
    expression = caption.split("`")[1]
    assert f"X = {expression}" in (ROOT / PAGE).read_text()  # the caption quotes the code that runs
    assert "holds 6,999 numbers instead of n_x · m = 10,000,000" in caption


@pytest.mark.parametrize(("n_x", "m", "held"), [("1", "1", "a read-only view of 1 number; with one row"),
                                               ("1", "40", "a read-only view of 40 numbers; with one row"),
                                               ("30", "1", "a read-only view of 30 numbers; with one column")])
def test_with_one_row_or_column_the_caption_claims_no_saving(n_x, m, held):
    # with n_x = 1 or m = 1 the window holds n_x + m - 1 = n_x · m numbers: "1 numbers instead of 1" said nothing
    at = open_page(PAGE, {"n_x": n_x, "m": m})
    [caption] = [c.value for c in at.caption if c.value.startswith("X here is")]
    assert held in caption and "that is every entry of X, so here it saves nothing" in caption
    assert "instead of" not in caption

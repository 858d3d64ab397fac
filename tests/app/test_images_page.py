"""The Images page in AppTest: renders, reacts to uploads and query params, reports bad uploads."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from .conftest import listings, shown, values

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "images.py")
if str(ROOT) not in sys.path:  # the page imports logreg and ui from the repo root
    sys.path.insert(0, str(ROOT))


def run(query=None, **state) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    for k, val in (query or {}).items():
        at.query_params[k] = val
    for k, val in state.items():
        at.session_state[k] = val
    return at.run()


def chart_spec(at: AppTest, key: str) -> dict:
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        if el.proto.id and key in el.proto.id:
            return spec
    raise AssertionError(f"no chart with key {key!r}")


def png(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, "PNG")
    return buf.getvalue()


def test_renders_the_sample_with_lecture_shapes():
    at = run(images_code=True)  # the code listing's expander open
    assert not at.exception
    assert not at.error
    pic = chart_spec(at, "picture_chart")
    assert "(64, 100, 3)" in pic["layout"]["title"]["text"]
    col = chart_spec(at, "column_chart")
    assert "(19200, 1)" in col["layout"]["title"]["text"]
    assert any("19200" in el.value for el in at.latex)
    assert any("def image_to_column" in c for c in listings(at)), "the NumPy source is shown"
    assert any("Try this" in el.value for el in at.info)
    # hovers on every chart
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        assert all("hovertemplate" in tr for tr in spec["data"]), el.proto.id


def test_batch_right_vs_wrong():
    at = run()
    batch = chart_spec(at, "batch_chart")
    right, wrong = batch["data"][0], batch["data"][1]
    assert "reshape(m, -1).T" in right["hovertemplate"] and "reshape(-1, m)" in wrong["hovertemplate"]
    assert right["z"] != wrong["z"]
    assert any("Columns equal in both: 0 of 4" in el.value for el in at.caption)


def test_upload_changes_the_picture():
    at = run({"picture": "upload"})
    assert not at.exception
    arr = np.zeros((30, 40, 3), np.uint8)
    arr[:, :20] = (255, 0, 0)
    at.file_uploader(key="picture_file").set_value(("red_left.png", png(arr), "image/png")).run()
    assert not at.exception and not at.error
    pic = chart_spec(at, "picture_chart")
    assert "(30, 40, 3)" in pic["layout"]["title"]["text"]
    assert "(3600, 1)" in chart_spec(at, "column_chart")["layout"]["title"]["text"]


def test_big_upload_is_shrunk_for_display():
    at = run({"picture": "upload"})
    at.file_uploader(key="picture_file").set_value(("big.png", png(np.zeros((600, 300, 3), np.uint8)), "image/png")).run()
    assert not at.exception
    assert "(128, 64, 3)" in chart_spec(at, "picture_chart")["layout"]["title"]["text"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("broken.png", b"definitely not a png", "not a picture this app reads"),
        ("empty.png", b"", "empty"),
        ("cut.png", png(np.random.default_rng(0).integers(0, 256, (50, 50, 3), dtype=np.uint8))[:300], "truncated"),
    ],
)
def test_bad_upload_shows_error_not_traceback(name, data, message):
    at = run({"picture": "upload"})
    at.file_uploader(key="picture_file").set_value((name, data, "image/png")).run()
    assert not at.exception
    assert at.error and message in shown(at.error[0].value) and name in shown(at.error[0].value)
    assert not at.get("plotly_chart")  # nothing drawn from a bad file


def test_query_params_open_a_state():
    at = run({"picture": "digit", "digit": "7", "batch_m": "6", "start": "300"})
    assert not at.exception
    assert at.radio(key="picture").value == "digit"
    assert at.number_input(key="digit").value == 7
    assert at.slider(key="batch_m").value == 6
    assert "(28, 28, 3)" in chart_spec(at, "picture_chart")["layout"]["title"]["text"]
    assert "entries 300" in chart_spec(at, "column_chart")["layout"]["title"]["text"]
    assert "Columns equal in both: 0 of 6" in " ".join(el.value for el in at.caption)


@pytest.mark.parametrize("hw", [(1, 1), (3, 5), (4, 5), (3, 7)])  # 3, 45, 60 and 63 numbers in the column
def test_a_tiny_upload_shows_its_whole_column_without_a_slider(hw):
    # 20 pixels or fewer give at most 60 entries: nothing to slide, so no slider (Streamlit refuses min == max)
    at = run({"picture": "upload", "start": "30"})
    at.file_uploader(key="picture_file").set_value(("tiny.png", png(np.full((*hw, 3), 200, np.uint8)), "image/png")).run()
    assert not at.exception, at.exception
    n_x = hw[0] * hw[1] * 3
    title = chart_spec(at, "column_chart")["layout"]["title"]["text"]
    assert f"({n_x}, 1)" in title
    if n_x <= 60:
        assert not [s for s in at.slider if s.key == "start"]
        assert f"entries 0 … {n_x - 1}" in title  # all of them, from the first (the URL's start=30 ignored)
        assert any(f"all {n_x} entries" in c.value for c in at.caption)
    else:
        assert at.slider(key="start").max == n_x - 60


def test_the_batch_has_the_same_shape_per_digit_as_the_single_digit():
    # sections 1-2 show a digit as (28, 28, 3), n_x = 2352; the batch of section 3 must use the same digits
    at = run({"picture": "digit", "batch_m": "5"})
    assert not at.exception
    assert "(2352, 1)" in chart_spec(at, "column_chart")["layout"]["title"]["text"]
    shapes = " ".join(el.value for el in at.markdown)
    assert "`imgs.shape` = (5, 28, 28, 3)" in shapes and "`X.shape` = (2352, 5) both ways" in shapes
    assert "(m, h, w, c)" in shapes  # the text names the layout the batch really has
    # the right reshape, drawn, is each grey digit itself (R = G = B): the first one fills the first 28 columns
    from logreg import datasets

    imgs, _ = datasets.load_digits_subset()
    first = imgs[np.random.default_rng(0).choice(len(imgs), size=5, replace=False)[0]]
    drawn = values(chart_spec(at, "batch_chart")["data"][0]["z"])
    np.testing.assert_array_equal(drawn[:, :28], first)


def test_the_reason_for_dividing_by_255_is_the_gradient_not_the_first_z():
    # checked against one real training step in tests/test_quiz.py (the quiz gives the same reason)
    text = " ".join(el.value for el in run().markdown)
    assert "$z = 0$ at the first step either way" in text
    assert "is 255× larger on raw pixels" in text and "$255^2 = 65{,}025$× larger" in text
    assert "starts small" not in text


def test_a_start_beyond_this_pictures_column_is_named():
    # within the link table's bound (the largest picture's column) but past the digit's 2,352 - 60: it was silently 0
    at = run({"picture": "digit", "start": "2400"})
    assert [shown(w.value) for w in at.warning] == [
        "The link asked for the entries from index 2,400, but this picture's column has 2,352 entries: showing them "
        "from 0."]
    assert "entries 0 " in chart_spec(at, "column_chart")["layout"]["title"]["text"]
    assert not run({"picture": "digit", "start": "2292"}).warning  # the last window of this column


def test_x_itself_is_drawn_only_once_opened_and_then_follows_m():
    # issue 14: a chart in a closed expander is still built, sent and drawn by every first visit; this one waits
    closed = run()
    assert not closed.exception
    assert not [el for el in closed.get("plotly_chart") if "matrix_chart" in el.proto.id]
    opened = run({"batch_m": "5"}, matrix_open=True)
    assert not opened.exception
    title = chart_spec(opened, "matrix_chart")["layout"]["title"]["text"]
    assert "shape (2352, 5)" in title, title
    assert values(chart_spec(opened, "matrix_chart")["data"][0]["z"]).shape[1] == 5

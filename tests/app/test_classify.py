"""The Classify page in AppTest: default model, webcam and upload inputs, a corpus of good and broken files,
the threshold, trained and uploaded models, URL state. Every picture is generated here with Pillow/NumPy."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from logreg.modelio import load_model, save_model
from ui.shelf import Shelved

from .conftest import ROOT, chart_spec, listings, shown, values

PAGE = str(ROOT / "pages" / "classify.py")
DEFAULT_NAME = "default: is it a digit 0? (bundled digits)"
UPLOAD_MODEL = "a model file (.npz) from the Train page"
#: The default model's two classes as the page shows them: name and label together, never a bare "0".
ZERO, OTHER = "digit 0 (label 1)", "a digit other than 0 (label 0)"


def open_classify(query: dict | None = None, **state) -> AppTest:
    """The page on its own (routing is tested in test_shell), with URL state and session state as the
    Train page would leave it."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    for k, v in state.items():
        at.session_state[k] = v
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, at.exception
    return at


def verdict(at: AppTest) -> str:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return shown(at.metric[0].value)


def said(at: AppTest) -> str:
    """Everything the page says in markdown, as the reader sees it."""
    return "\n".join(shown(m.value) for m in at.markdown)


def y_hat(at: AppTest) -> float:
    return float(values(chart_spec(at, "verdict_chart")["data"][0]["x"])[0])


# --------------------------------------------------------------------------- generated pictures


def ring(h=120, w=160) -> np.ndarray:
    """A mask of a 0 drawn as an oval ring."""
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot((yy - h / 2) / 1.3, xx - w / 2)
    return (r > 22) & (r < 32)


def bar(h=120, w=160) -> np.ndarray:
    """A mask of a 1 drawn as a vertical stroke."""
    m = np.zeros((h, w), bool)
    m[25:95, 75:85] = True
    return m


def on_paper(mask, ink=20, paper=235) -> np.ndarray:
    return np.where(mask, ink, paper).astype(np.uint8)


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def jpeg(arr: np.ndarray) -> bytes:
    return encode(Image.fromarray(arr).convert("RGB"), "JPEG", quality=92)


def png(arr: np.ndarray) -> bytes:
    return encode(Image.fromarray(arr), "PNG")


def good_zero_files() -> dict[str, bytes]:
    """A drawn 0 in every mode and format the page must read; transparency hides a black background."""
    m = ring()
    grey = on_paper(m)
    rgb = np.stack([grey, grey, np.where(m, 60, 235).astype(np.uint8)], axis=2)
    alpha = np.where(m, 255, 0).astype(np.uint8)  # only the ink is opaque; the hidden colour is black
    black_ink = np.where(m, 20, 0).astype(np.uint8)
    pal = Image.fromarray(np.where(m, 1, 0).astype(np.uint8), "P")
    pal.putpalette([0, 0, 0, 20, 20, 20] + [0, 0, 0] * 254)
    frame2 = Image.fromarray(on_paper(bar())).convert("RGB")
    return {
        "rgb.png": png(rgb),
        "grey_L.png": png(grey),
        "grey_alpha_LA.png": encode(Image.fromarray(np.stack([black_ink, alpha], axis=2), "LA"), "PNG"),
        "rgba_transparent.png": encode(Image.fromarray(np.dstack([black_ink] * 3 + [alpha]), "RGBA"), "PNG"),
        "palette_transparent.png": encode(pal, "PNG", transparency=0),
        "one_bit.png": encode(Image.fromarray(~m), "PNG"),  # mode "1": True = white paper
        "sixteen_bit.png": encode(Image.fromarray(grey.astype(np.uint16) * 257), "PNG"),  # I;16
        "cmyk.jpg": encode(Image.fromarray(rgb).convert("CMYK"), "JPEG", quality=92),
        "animated.gif": encode(Image.fromarray(rgb), "GIF", save_all=True, append_images=[frame2], duration=100,
                               loop=0),
        "photo.webp": encode(Image.fromarray(rgb), "WEBP", quality=90),
        "bitmap.bmp": encode(Image.fromarray(rgb), "BMP"),
        "photo.jpg": jpeg(rgb),
    }


def decompression_bomb() -> bytes:
    """A valid-looking PNG a few hundred bytes long that declares 60000 x 60000 pixels."""
    raw = png(np.zeros((4, 4), np.uint8))
    ihdr_data = struct.pack(">IIBBBBB", 60000, 60000, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr_data
    patched = raw[:8] + struct.pack(">I", 13) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    return patched + raw[8 + 4 + 4 + 13 + 4:]


def broken_files() -> dict[str, bytes]:
    good = png(on_paper(ring()))
    return {
        "empty.png": b"",
        "noise.jpg": np.random.default_rng(0).integers(0, 256, 4000, dtype=np.uint8).tobytes(),
        "truncated.png": good[: len(good) // 2],
        "bomb.png": decompression_bomb(),
        "notes.png": b"These are my lecture notes, not a picture.\n" * 20,
        "half_jpeg.jpg": jpeg(on_paper(ring()))[:300],
    }


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    mime = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "bmp": "image/bmp"}
    at.file_uploader(key="upload").set_value((name, data, mime[name.rsplit(".", 1)[1]])).run()
    return at


# --------------------------------------------------------------------------- tests


def test_default_model_exists_with_no_training():
    at = open_classify(classify_code=True)  # the code listing's expander open
    assert "_model_shelf" not in at.session_state
    assert at.selectbox(key="model").value == DEFAULT_NAME
    assert any("Default model" in m.value and "is it a **0**" in m.value for m in at.markdown)
    # nothing of this page only in low-contrast captions (the code listings' source notes are ui.code's)
    assert all(c.value.startswith("The code above is") for c in at.caption), [c.value for c in at.caption]
    assert f"Classes: **{OTHER}** and **{ZERO}**" in said(at)
    assert at.radio(key="source").value == "example"
    assert verdict(at) in (ZERO, OTHER)
    # the pipeline, the math beside the code, the why, hovers everywhere
    for key in ("stages_chart", "column_chart", "verdict_chart", "weights_chart", "contrib_chart", "sum_chart"):
        spec = chart_spec(at, key)
        assert all("hovertemplate" in tr for tr in spec["data"]), key
    latex = " ".join(el.value for el in at.latex)
    assert r"w^\top x + b" in latex and r"\sigma(z)" in latex and r"\text{decide }" in latex
    assert "(784,\\ 1)" in latex
    assert any("def classify_image" in c for c in listings(at)) and any("def sigmoid" in c for c in listings(at))
    assert any("Try this" in el.value for el in at.info)


def test_the_sum_makes_z_and_the_maps_match_w():
    at = open_classify()
    wf = chart_spec(at, "sum_chart")["data"][0]
    pos, neg, b, z = values(wf["y"])
    assert pos >= 0 >= neg
    assert pos + neg + b == pytest.approx(z, abs=1e-9)
    w_map = values(chart_spec(at, "weights_chart")["data"][0]["z"])
    c_map = values(chart_spec(at, "contrib_chart")["data"][0]["z"])
    assert w_map.shape == c_map.shape == (28, 28)
    assert c_map.sum() == pytest.approx(pos + neg, rel=1e-6, abs=1e-9)
    # where the picture is dark (x = 0) a pixel casts no vote
    stages = chart_spec(at, "stages_chart")
    assert "(28, 28, 1)" in stages["layout"]["annotations"][-1]["text"]


def test_threshold_flips_the_verdict_not_the_evidence():
    # the "try this" example: test example 26 is a 3 the default model finds rather 0-like
    at = open_classify({"example": "26"})
    p = y_hat(at)
    assert 0.55 < p < 0.95, p
    assert f"True class: **{OTHER}** (the digit 3)" in said(at)
    assert verdict(at) == ZERO and f"**Wrong**: the true class is {OTHER}." in said(at)
    assert f"So the verdict is **{ZERO}**." in said(at)
    hi = round(min(0.99, p + 0.03), 2)
    at.slider(key="threshold").set_value(hi).run()
    assert verdict(at) == OTHER and f"**Right**: the true class is {OTHER}." in said(at)
    assert y_hat(at) == p  # the evidence does not move
    assert chart_spec(at, "verdict_chart")["layout"]["shapes"][0]["x0"] == hi
    assert any(rf"\hat y > {hi:.2f}" in el.value and r"\Rightarrow\; 0" in el.value for el in at.latex)
    at.slider(key="threshold").set_value(round(p - 0.03, 2)).run()
    assert verdict(at) == ZERO


def test_threshold_with_a_trained_model_in_session():
    # a "trained" model whose w is zero: y_hat = sigma(b) = sigma(0) = 0.5 for every picture
    zero = load_model(save_model(np.zeros((8 * 8 * 3, 1)), 0.0, image_size=8, channels=3,
                                 class_names=("cat? no", "cat")))
    imgs = np.random.default_rng(1).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    at = open_classify({"threshold": "0.49"}, _model_shelf={"my cats": Shelved(zero, imgs, np.array([1, 0, 1, 0, 1]))})
    assert at.selectbox(key="model").value == "my cats"
    assert at.slider(key="threshold").value == pytest.approx(0.49)
    assert verdict(at) == "cat (label 1)"
    assert "True class: **cat (label 1)**" in said(at)
    at.slider(key="threshold").set_value(0.5).run()
    assert verdict(at) == "cat? no (label 0)"  # 0.5 is not above 0.5
    assert y_hat(at) == pytest.approx(0.5)
    assert len(chart_spec(at, "weights_chart")["data"]) == 3  # one panel per colour channel


def test_url_state_chooses_source_example_and_threshold():
    at = open_classify({"source": "example", "example": "7", "threshold": "0.8"})
    assert at.number_input(key="example").value == 7
    assert at.slider(key="threshold").value == pytest.approx(0.8)
    assert "test example #7" in chart_spec(at, "stages_chart")["layout"]["title"]["text"]
    at.number_input(key="example").set_value(8).run()
    assert "test example #8" in chart_spec(at, "stages_chart")["layout"]["title"]["text"]


def test_camera_snapshots_are_classified_and_a_bad_one_is_reported():
    at = open_classify({"source": "camera"})
    assert at.camera_input(key="camera") is not None
    assert any("camera" in i.value for i in at.info)
    at.camera_input(key="camera").upload("shot.jpg", jpeg(on_paper(ring()))).run()
    assert verdict(at) == ZERO
    stages = chart_spec(at, "stages_chart")
    names = " ".join(a["text"] for a in stages["layout"]["annotations"])
    assert "original" in names and "inverted" in names and "cropped to the ink" in names and "(28, 28, 1)" in names
    assert len(stages["data"]) == 7
    at.camera_input(key="camera").upload("shot.jpg", jpeg(on_paper(bar()))).run()
    assert verdict(at) == OTHER
    at.camera_input(key="camera").upload("shot.jpg", b"\xff\xd8\xff\xe0 not really a jpeg").run()
    assert not at.exception and at.error and "snapshot" in at.error[0].value
    assert not at.metric
    at.camera_input(key="camera").upload("shot.jpg", jpeg(on_paper(ring()))).run()
    assert verdict(at) == ZERO  # the page keeps working


def test_every_mode_of_a_drawn_zero_reads_as_zero():
    at = open_classify({"source": "upload"})
    assert any("never saved" in i.value for i in at.info)
    results = {}
    for name, data in good_zero_files().items():
        upload(at, name, data)
        assert not at.exception, (name, at.exception)
        results[name] = (verdict(at) if not at.error else at.error[0].value, round(y_hat(at), 3) if at.metric else None)
    assert all(v == ZERO for v, _ in results.values()), results


def test_broken_files_give_a_clear_message_and_the_page_keeps_working():
    at = open_classify({"source": "upload"})
    expected = {"empty.png": "empty", "noise.jpg": "not a picture this app reads", "truncated.png": "truncated",
                "bomb.png": "pixels", "notes.png": "not a picture this app reads", "half_jpeg.jpg": "truncated"}
    for name, data in broken_files().items():
        upload(at, name, data)
        assert not at.exception, (name, at.exception)
        assert len(at.error) == 1, name
        msg = shown(at.error[0].value)
        assert name in msg and expected[name] in msg and "Try another file" in msg, msg
        assert not at.metric and not at.get("plotly_chart")
    upload(at, "ok.png", png(on_paper(ring())))
    assert verdict(at) == ZERO


def test_blank_picture_says_there_is_no_digit():
    at = open_classify({"source": "upload"})
    upload(at, "blank.png", png(np.full((60, 80), 240, np.uint8)))
    assert not at.exception
    assert at.error and "no digit found" in at.error[0].value


def test_exif_rotation_is_applied_before_the_model_sees_the_picture():
    # model: 8 x 8 grey, w = +1 on the top half, -1 on the bottom half ("is the top bright?")
    w = np.r_[np.ones(32), -np.ones(32)].reshape(-1, 1)
    top = load_model(save_model(w, 0.0, image_size=8, channels=1, class_names=("bottom bright", "top bright")))
    stored = np.zeros((64, 64), np.uint8)
    stored[32:] = 255  # stored bright at the bottom; EXIF says "rotate 180°", so upright it is bright on top
    exif = Image.Exif()
    exif[0x0112] = 3
    data = encode(Image.fromarray(stored).convert("RGB"), "JPEG", quality=95, exif=exif.tobytes())
    at = open_classify({"source": "upload"}, _model_shelf={"top": Shelved(top)})
    upload(at, "phone.jpg", data)
    assert verdict(at) == "top bright (label 1)"
    upload(at, "plain.jpg", jpeg(stored))
    assert verdict(at) == "bottom bright (label 0)"


def test_uploaded_model_file_and_a_broken_one():
    rng = np.random.default_rng(2)
    w = rng.standard_normal((16 * 16 * 3, 1))
    good = save_model(w, 0.3, image_size=16, channels=3, class_names=("dogs", "cats"))
    at = open_classify({"source": "upload"})
    at.selectbox(key="model").set_value(UPLOAD_MODEL).run()
    assert not at.exception and any("model file" in i.value for i in at.info)
    at.file_uploader(key="model_file").set_value(("broken.npz", b"PK\x03\x04 nope", "application/octet-stream")).run()
    assert not at.exception and at.error and "broken.npz" in shown(at.error[0].value)
    at.file_uploader(key="model_file").set_value(("cats.npz", good, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert "Classes: **dogs (label 0)** and **cats (label 1)**" in said(at)
    upload(at, "rgb.png", png(np.random.default_rng(3).integers(0, 256, (40, 30, 3), dtype=np.uint8)))
    assert verdict(at) in ("dogs (label 0)", "cats (label 1)")
    assert "(768,\\ 1)" in " ".join(el.value for el in at.latex)
    # the example source has nothing to show for a model file without test examples
    at.radio(key="source").set_value("example").run()
    assert not at.exception and any("without test examples" in i.value for i in at.info)


def test_uploads_stay_in_the_session():
    at = open_classify({"source": "upload"})
    upload(at, "ok.png", png(on_paper(ring())))
    assert verdict(at) == ZERO
    memo = at.session_state["_classify_memo"]
    assert len(memo) == 1
    other = open_classify({"source": "upload"})  # a second visitor sees no picture and no memo of it
    assert not other.metric
    assert "_classify_memo" not in other.session_state or not other.session_state["_classify_memo"]


def test_through_the_entry_script_at_its_url_path():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60).run()
    at.query_params.update({"threshold": "0.3"})
    at.switch_page("pages/classify.py").run()
    assert not at.exception, at.exception
    assert at.slider(key="threshold").value == pytest.approx(0.3)
    assert verdict(at) in (ZERO, OTHER)


# --------------------------------------------------------------------------- out of its training data


def hint(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "unlike the pictures the model was trained on" in w.value]


def test_a_test_set_digit_raises_no_hint_and_a_photo_does():
    from tests.test_novelty import photo_like

    at = open_classify({"example": "26"})
    assert not hint(at)
    assert "within the range of the training pictures" in said(at)
    assert "lit strength (mean of those lit values)" in said(at)  # what the measure is, always explained
    for k in (0, 101, 150):
        at.number_input(key="example").set_value(k).run()
        assert not at.exception and not hint(at), k
    at.radio(key="source").set_value("upload").run()
    upload(at, "house.png", png(photo_like(0)))
    assert verdict(at) in (ZERO, OTHER)  # the neuron still answers ...
    [message] = hint(at)  # ... and the page says the answer means little here
    assert "lit strength" in message and "below" in message and "standard deviations" in message
    upload(at, "zero.png", png(on_paper(ring())))  # a drawn digit on paper: no hint
    assert verdict(at) == ZERO and not hint(at)


def test_a_model_trained_here_brings_its_statistics_and_an_old_file_says_it_has_none():
    from logreg import novelty
    from tests.test_novelty import photo_like

    rng = np.random.default_rng(4)
    X = rng.random((8 * 8 * 3, 40)) * 0.2 + 0.4  # training pictures: mid-grey, little contrast
    w = rng.standard_normal((8 * 8 * 3, 1)) * 0.01
    with_stats = load_model(save_model(w, 0.0, image_size=8, channels=3, class_names=("a", "b"),
                                       novelty=novelty.fit(X)))
    at = open_classify({"source": "upload"}, _model_shelf={"mine": Shelved(with_stats)})
    upload(at, "house.png", png(photo_like(1)))
    assert verdict(at) in ("a (label 0)", "b (label 1)") and hint(at)
    upload(at, "grey.png", png(rng.integers(102, 154, (8, 8, 3), dtype=np.uint8)))  # a little brighter than theirs
    assert not hint(at) and "further out than any training picture, but not enough for the hint" in said(at)
    upload(at, "one.png", png(np.rint(X[:, 0].reshape(8, 8, 3) * 255).astype(np.uint8)))  # a training picture
    assert not hint(at) and "within the range" in said(at)

    old = save_model(w, 0.0, image_size=8, channels=3, class_names=("a", "b"))  # as files saved before
    at.selectbox(key="model").set_value(UPLOAD_MODEL).run()
    at.file_uploader(key="model_file").set_value(("old.npz", old, "application/octet-stream")).run()
    upload(at, "house.png", png(photo_like(1)))
    assert not at.exception and not at.error and not hint(at)
    assert "carries no statistics of its training pictures" in said(at)


# --------------------------------------------------------------------------- the threshold reruns alone


def test_only_what_depends_on_the_threshold_is_in_its_fragment():
    """Moving the threshold reruns the ``st.fragment`` it lives in, not the page: the preprocessing, x, w and
    w ⊙ x figures are drawn outside it (the browser test checks the rerun request is scoped to it)."""
    import ast

    tree = ast.parse((ROOT / "pages" / "classify.py").read_text())
    fragments = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
                 and any(ast.unparse(d) == "st.fragment" for d in f.decorator_list)]
    [frag] = fragments
    inside = ast.unparse(frag)
    assert "key='threshold'" in inside and "verdict_chart" in inside and "st.metric" in inside
    outside = ast.unparse(tree).replace(inside, "")
    assert "key='threshold'" not in outside
    for key in ("stages_chart", "column_chart", "weights_chart", "contrib_chart", "sum_chart"):
        assert key in outside and key not in inside, key


def test_the_verdict_figure_built_without_validation_is_a_valid_plotly_figure():
    import plotly.graph_objects as go

    from ui.classify_figures import verdict_figure

    for y, t in ((0.8197, 0.82), (0.1, 0.5), (0.99, 0.01)):
        spec = verdict_figure(y, t, ("a digit other than 0 (label 0)", "digit 0 (label 1)")).to_dict()
        go.Figure(spec)  # Plotly's own validation: raises on any invalid property
        assert spec["data"][0]["marker"]["color"] == ("#d62728" if y > t else "#1f77b4")
        assert spec["layout"]["shapes"][0]["x0"] == t
    bad = verdict_figure(0.5, 0.5, ("a", "b")).to_dict()
    bad["layout"]["xaxis"]["rnage"] = [0, 1]
    with pytest.raises(ValueError):
        go.Figure(bad)


@pytest.mark.parametrize("example", [0, 5, 49, 120])
def test_the_printed_sums_for_z_add_up_as_printed(example):
    """Example 0 once read z = -6.937 -1.252 = -8.190 (it is -8.189): each term was rounded on its own."""
    import re
    from decimal import Decimal

    at = open_classify({"source": "example", "example": str(example)})
    [row] = [x.value for x in at.latex if r"z &= w^\top x + b" in x.value]
    wx, b, rel, z = re.search(r"&= ([+-][\d.]+) ([+-][\d.]+)\\\\ &(=|\\approx) ([+-][\d.]+)", row).groups()
    assert rel == "=" and Decimal(wx) + Decimal(b) == Decimal(z)
    [line] = [m.value for m in at.markdown if "(pixels pushing up)" in m.value]
    up, down, bias, total = re.search(r"([+-][\d.]+) \(pixels pushing up\) ([+-][\d.]+) \(pixels pushing down\) "
                                      r"([+-][\d.]+) \(b\) = z = ([+-][\d.]+)", line).groups()
    assert Decimal(up) + Decimal(down) + Decimal(bias) == Decimal(total) == Decimal(z)


def test_a_link_names_an_example_beyond_this_model_and_says_a_session_model_does_not_travel():
    at = open_classify({"source": "example", "example": "500"})  # the default model has 200 test examples
    assert [w.value for w in at.warning] == [
        "The link asked for test example 500, but this model has 200 (0 – 199): showing example 0."]
    assert not any("A link to this page opens the default model" in c.value for c in at.caption)
    assert not open_classify({"source": "example", "example": "150"}).warning
    zero = load_model(save_model(np.zeros((8 * 8 * 3, 1)), 0.0, image_size=8, channels=3, class_names=("no", "yes")))
    imgs = np.random.default_rng(1).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    mine = open_classify({"source": "example", "example": "7"},
                         _model_shelf={"mine": Shelved(zero, imgs, np.array([1, 0, 1, 0, 1]))})
    assert at.number_input(key="example").value == 0
    assert "this model has 5 (0 – 4)" in mine.warning[0].value
    assert any("A link to this page opens the default model" in c.value for c in mine.caption)

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

from .conftest import ROOT, chart_spec, values

PAGE = str(ROOT / "pages" / "classify.py")
DEFAULT_NAME = "default: 0 vs not 0 (bundled digits)"
UPLOAD_MODEL = "a model file (.npz) from the Train page"


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
    return at.metric[0].value


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
    at = open_classify()
    assert "trained_models" not in at.session_state
    assert at.selectbox(key="model").value == DEFAULT_NAME
    assert any("Default model" in c.value and "is it a **0**" in c.value for c in at.caption)
    assert at.radio(key="source").value == "example"
    assert verdict(at) in ("0", "not 0")
    # the pipeline, the math beside the code, the why, hovers everywhere
    for key in ("stages_chart", "column_chart", "verdict_chart", "weights_chart", "contrib_chart", "sum_chart"):
        spec = chart_spec(at, key)
        assert all("hovertemplate" in tr for tr in spec["data"]), key
    latex = " ".join(el.value for el in at.latex)
    assert r"w^\top x + b" in latex and r"\sigma(z)" in latex and r"\text{decide }" in latex
    assert "(784,\\ 1)" in latex
    assert any("def classify_image" in c.value for c in at.code) and any("def sigmoid" in c.value for c in at.code)
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
    assert any("(the digit 3)" in c.value for c in at.caption)
    assert verdict(at) == "0" and any("wrong" in c.value for c in at.caption)
    hi = round(min(0.99, p + 0.03), 2)
    at.slider(key="threshold").set_value(hi).run()
    assert verdict(at) == "not 0" and any("right" in c.value for c in at.caption)
    assert y_hat(at) == p  # the evidence does not move
    assert chart_spec(at, "verdict_chart")["layout"]["shapes"][0]["x0"] == hi
    assert any(rf"\hat y > {hi:.2f}" in el.value and r"\Rightarrow\; 0" in el.value for el in at.latex)
    at.slider(key="threshold").set_value(round(p - 0.03, 2)).run()
    assert verdict(at) == "0"


def test_threshold_with_a_trained_model_in_session():
    # a "trained" model whose w is zero: y_hat = sigma(b) = sigma(0) = 0.5 for every picture
    zero = load_model(save_model(np.zeros((8 * 8 * 3, 1)), 0.0, image_size=8, channels=3,
                                 class_names=("cat? no", "cat")))
    imgs = np.random.default_rng(1).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    at = open_classify({"threshold": "0.49"}, trained_models={"my cats": zero},
                       test_examples={"my cats": (imgs, np.array([1, 0, 1, 0, 1]))})
    assert at.selectbox(key="model").value == "my cats"
    assert at.slider(key="threshold").value == pytest.approx(0.49)
    assert verdict(at) == "cat"
    assert any("True label: **cat**" in c.value for c in at.caption)
    at.slider(key="threshold").set_value(0.5).run()
    assert verdict(at) == "cat? no"  # 0.5 is not above 0.5
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
    assert verdict(at) == "0"
    stages = chart_spec(at, "stages_chart")
    names = " ".join(a["text"] for a in stages["layout"]["annotations"])
    assert "original" in names and "inverted" in names and "cropped to the ink" in names and "(28, 28, 1)" in names
    assert len(stages["data"]) == 7
    at.camera_input(key="camera").upload("shot.jpg", jpeg(on_paper(bar()))).run()
    assert verdict(at) == "not 0"
    at.camera_input(key="camera").upload("shot.jpg", b"\xff\xd8\xff\xe0 not really a jpeg").run()
    assert not at.exception and at.error and "snapshot" in at.error[0].value
    assert not at.metric
    at.camera_input(key="camera").upload("shot.jpg", jpeg(on_paper(ring()))).run()
    assert verdict(at) == "0"  # the page keeps working


def test_every_mode_of_a_drawn_zero_reads_as_zero():
    at = open_classify({"source": "upload"})
    assert any("never saved" in i.value for i in at.info)
    results = {}
    for name, data in good_zero_files().items():
        upload(at, name, data)
        assert not at.exception, (name, at.exception)
        results[name] = (verdict(at) if not at.error else at.error[0].value, round(y_hat(at), 3) if at.metric else None)
    assert all(v == "0" for v, _ in results.values()), results


def test_broken_files_give_a_clear_message_and_the_page_keeps_working():
    at = open_classify({"source": "upload"})
    expected = {"empty.png": "empty", "noise.jpg": "not an image", "truncated.png": "truncated",
                "bomb.png": "pixels", "notes.png": "not an image", "half_jpeg.jpg": "truncated"}
    for name, data in broken_files().items():
        upload(at, name, data)
        assert not at.exception, (name, at.exception)
        assert len(at.error) == 1, name
        msg = at.error[0].value
        assert name in msg and expected[name] in msg and "Try another file" in msg, msg
        assert not at.metric and not at.get("plotly_chart")
    upload(at, "ok.png", png(on_paper(ring())))
    assert verdict(at) == "0"


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
    at = open_classify({"source": "upload"}, trained_models={"top": top})
    upload(at, "phone.jpg", data)
    assert verdict(at) == "top bright"
    upload(at, "plain.jpg", jpeg(stored))
    assert verdict(at) == "bottom bright"


def test_uploaded_model_file_and_a_broken_one():
    rng = np.random.default_rng(2)
    w = rng.standard_normal((16 * 16 * 3, 1))
    good = save_model(w, 0.3, image_size=16, channels=3, class_names=("dogs", "cats"))
    at = open_classify({"source": "upload"})
    at.selectbox(key="model").set_value(UPLOAD_MODEL).run()
    assert not at.exception and any("model file" in i.value for i in at.info)
    at.file_uploader(key="model_file").set_value(("broken.npz", b"PK\x03\x04 nope", "application/octet-stream")).run()
    assert not at.exception and at.error and "broken.npz" in at.error[0].value
    at.file_uploader(key="model_file").set_value(("cats.npz", good, "application/octet-stream")).run()
    assert not at.exception and not at.error
    assert any("**dogs**" in m.value and "**cats**" in m.value for m in at.markdown)
    upload(at, "rgb.png", png(np.random.default_rng(3).integers(0, 256, (40, 30, 3), dtype=np.uint8)))
    assert verdict(at) in ("dogs", "cats")
    assert "(768,\\ 1)" in " ".join(el.value for el in at.latex)
    # the example source has nothing to show for a model file without test examples
    at.radio(key="source").set_value("example").run()
    assert not at.exception and any("without test examples" in i.value for i in at.info)


def test_uploads_stay_in_the_session():
    at = open_classify({"source": "upload"})
    upload(at, "ok.png", png(on_paper(ring())))
    assert verdict(at) == "0"
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
    assert verdict(at) in ("0", "not 0")

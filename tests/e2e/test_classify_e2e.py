"""The Classify page in a real browser: a shared link and the threshold, a webcam snapshot through Chromium's
fake camera (its built-in test pattern, and a video file of a drawn 0), and uploads through the real file chooser
(a drawn 0, and a file that is not a picture). Every picture is generated here with Pillow/NumPy."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from .conftest import (
    alert,
    assert_no_exception,
    chart_eval,
    chart_title,
    goto,
    keyed,
    launch_chromium,
    metric_value,
    press_on_slider,
    screenshot,
    scroll_to_heading,
    take_photo,
    wait_chart,
    wait_idle,
)

VERDICT_Y_HAT = "el => el.data[0].x[0]"  # ŷ, drawn as the verdict chart's single bar
#: The default model's classes as the page shows them: name and label together.
ZERO, OTHER = "digit 0 (label 1)", "a digit other than 0 (label 0)"


def drawn_zero(w: int = 320, h: int = 240) -> Image.Image:
    """A 0 written in thick dark ink on white paper, filling most of the frame, as the page asks."""
    img = Image.new("L", (w, h), 240)
    ImageDraw.Draw(img).ellipse((w // 2 - 55, h // 2 - 85, w // 2 + 55, h // 2 + 85), outline=20, width=18)
    return img


def y4m_of(img: Image.Image, frames: int = 2) -> bytes:
    """A grey picture as a YUV4MPEG2 (4:2:0) video, the format Chromium's fake camera plays in a loop."""
    y = np.asarray(img.convert("L"), dtype=np.uint8)
    h, w = y.shape
    chroma = np.full((h // 2) * (w // 2), 128, np.uint8).tobytes()  # no colour
    frame = b"FRAME\n" + y.tobytes() + chroma + chroma
    return f"YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg\n".encode() + frame * frames


def verdict(page):
    return metric_value(page, "verdict")


def choose_file(page, uploader_key: str, path) -> None:
    """Pick ``path`` in the browser's own file chooser, opened by the uploader's button."""
    button = keyed(page, uploader_key).get_by_role("button", name=re.compile(r"^(upload|browse files|add files)$", re.I))
    with page.expect_file_chooser() as chooser:
        button.first.click()
    chooser.value.set_files(str(path))


# --------------------------------------------------------------------------------------------- link and threshold


def rerun_requests(page) -> list:
    """Every rerun request this page's browser sends the server (Streamlit's BackMsg over the websocket)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent = []

    def on_frame(payload):
        if isinstance(payload, (bytes, bytearray)):
            msg = BackMsg()
            msg.ParseFromString(bytes(payload))
            if msg.WhichOneof("type") == "rerun_script":
                sent.append(msg.rerun_script)

    page.on("websocket", lambda ws: ws.on("framesent", on_frame))
    return sent


def test_shared_link_opens_the_example_and_the_threshold_flips_the_verdict(page, server):
    # the page's "try this": test example 26 is a 3 that the default model finds rather 0-like
    sent = rerun_requests(page)
    goto(page, f"{server}/classify?example=26", "Classify")
    expect(chart_title(page, "stages_chart", "test example #26")).to_be_visible()
    expect(verdict(page)).to_have_text(ZERO)
    expect(page.get_by_text(re.compile(rf"Wrong: the true class is {re.escape(OTHER)}"))).to_be_visible()
    p = chart_eval(page, "verdict_chart", VERDICT_Y_HAT)
    assert 0.5 < p < 0.99, p
    wait_idle(page)

    before = len(sent)
    press_on_slider(page, "threshold", "End")  # 0.99: decide 0 only when very sure
    expect(verdict(page)).to_have_text(OTHER)
    expect(page.get_by_text(re.compile(rf"Right: the true class is {re.escape(OTHER)}"))).to_be_visible()
    expect(chart_title(page, "verdict_chart", "threshold 0.99")).to_be_visible()
    assert chart_eval(page, "verdict_chart", VERDICT_Y_HAT) == p  # the evidence does not move
    expect(page).to_have_url(re.compile(r"[?&]threshold=0\.99(&|$)"))
    wait_idle(page)
    assert_no_exception(page)
    # the threshold reruns only its fragment: every rerun it asked for names one, and the page's figures stayed
    moves = sent[before:]
    assert moves and all(m.fragment_id for m in moves), [m.fragment_id for m in moves]
    expect(chart_title(page, "stages_chart", "test example #26")).to_be_visible()

    goto(page, f"{server}/classify?example=26&threshold=0.99", "Classify")  # the link as shared now
    expect(verdict(page)).to_have_text(OTHER)
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- webcam


def test_webcam_snapshot_from_the_fake_camera_gets_a_verdict(page, server):
    goto(page, f"{server}/classify?source=camera", "Classify")
    expect(keyed(page, "source").get_by_role("radio", name=re.compile("^camera"))).to_be_checked()
    expect(verdict(page)).to_have_count(0)  # nothing to classify before the photo
    take_photo(page)
    expect(verdict(page)).to_have_text(re.compile(rf"^({re.escape(ZERO)}|{re.escape(OTHER)})$"))
    expect(chart_title(page, "stages_chart", "webcam snapshot")).to_be_visible()
    wait_chart(page, "stages_chart", "el => el.data.length >= 2")  # the snapshot and its preprocessing stages
    wait_idle(page)
    assert_no_exception(page)


@pytest.fixture(scope="module")
def zero_camera(playwright_api, tmp_path_factory):
    """A second Chromium whose fake camera films a drawn 0 (a looped .y4m video)."""
    video = tmp_path_factory.mktemp("camera") / "zero.y4m"
    video.write_bytes(y4m_of(drawn_zero()))
    b = launch_chromium(playwright_api, [f"--use-file-for-fake-video-capture={video}"])
    yield b
    b.close()


def test_webcam_snapshot_of_a_drawn_zero_is_a_zero(zero_camera, server):
    ctx = zero_camera.new_context(viewport={"width": 1400, "height": 1000}, permissions=["camera"])
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    try:
        goto(page, f"{server}/classify?source=camera", "Classify")
        take_photo(page)
        expect(verdict(page)).to_have_text(ZERO)
        assert chart_eval(page, "verdict_chart", VERDICT_Y_HAT) > 0.5
        expect(chart_title(page, "stages_chart", "webcam snapshot")).to_be_visible()
        wait_idle(page)
        assert_no_exception(page)
    finally:
        ctx.close()


# --------------------------------------------------------------------------------------------- upload


def test_upload_through_the_file_chooser_then_a_broken_file(page, server, tmp_path):
    picture = tmp_path / "my_zero.png"
    drawn_zero().save(picture)
    broken = tmp_path / "x.png"
    broken.write_bytes(b"These are my lecture notes, not a picture.\n" * 20)

    goto(page, f"{server}/classify?source=upload", "Classify")
    expect(verdict(page)).to_have_count(0)
    choose_file(page, "upload", picture)
    expect(verdict(page)).to_have_text(ZERO)
    expect(chart_title(page, "stages_chart", "my_zero.png")).to_be_visible()
    assert chart_eval(page, "verdict_chart", VERDICT_Y_HAT) > 0.5
    wait_idle(page)
    assert_no_exception(page)
    scroll_to_heading(page, "The preprocessing this model was trained with")
    screenshot(page, "classify")

    choose_file(page, "upload", broken)  # replaces the picture
    expect(alert(page, "Could not use x.png")).to_be_visible()
    expect(alert(page, "Could not use x.png")).to_contain_text("Try another file")
    expect(verdict(page)).to_have_count(0)  # no stale verdict from the previous picture
    expect(keyed(page, "stages_chart")).to_have_count(0)
    wait_idle(page)
    assert_no_exception(page)


def test_a_photo_gets_the_hint_that_it_is_unlike_the_training_pictures(page, server, tmp_path):
    from tests.test_novelty import photo_like

    house, zero = tmp_path / "house.png", tmp_path / "zero.png"
    Image.fromarray(photo_like(0)).save(house)
    drawn_zero().save(zero)
    goto(page, f"{server}/classify?source=upload", "Classify")
    choose_file(page, "upload", house)
    expect(verdict(page)).to_have_text(re.compile(rf"^({re.escape(ZERO)}|{re.escape(OTHER)})$"))  # it answers ...
    expect(alert(page, "unlike the pictures the model was trained on")).to_be_visible()  # ... and says so
    expect(alert(page, "unlike the pictures the model was trained on")).to_contain_text("lit strength")
    choose_file(page, "upload", zero)
    expect(verdict(page)).to_have_text(ZERO)
    expect(alert(page, "unlike the pictures the model was trained on")).to_have_count(0)
    wait_idle(page)
    assert_no_exception(page)

"""The Images page says when an upload was shrunk, from what size, to what, and why (issue 15)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from .conftest import open_page

PAGE = "pages/images.py"


def _upload(data: bytes, name: str, mime: str):
    at = open_page(PAGE, {"picture": "upload"})
    at.file_uploader(key="picture_file").set_value((name, data, mime)).run()
    assert not at.exception
    return at


def _encode(arr, fmt, **kw) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, fmt, **kw)
    return buf.getvalue()


def _notes(at):
    return [c.value for c in at.caption if c.value.startswith("Shrunk from")]


def test_a_300_by_200_upload_says_it_was_shrunk_from_what_to_what_and_why():
    rng = np.random.default_rng(0)
    at = _upload(_encode(rng.integers(0, 256, (200, 300, 3), dtype=np.uint8), "PNG"), "wide.png", "image/png")
    assert any(r"(85,\ 128,\ 3)" in x.value for x in at.latex)
    [note] = _notes(at)
    assert note.startswith("Shrunk from 200 × 300 to **85 × 128** pixels")
    assert "at most 128 pixels per side" in note and "180,000 numbers instead of 32,640" in note


def test_a_small_upload_is_not_said_to_be_shrunk():
    at = _upload(_encode(np.zeros((40, 50, 3), np.uint8), "PNG"), "small.png", "image/png")
    assert any(r"(40,\ 50,\ 3)" in x.value for x in at.latex)
    assert _notes(at) == []


def test_a_phone_photo_turned_by_exif_is_measured_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored 300 wide x 200 tall, shown turned: 200 wide x 300 tall
    data = _encode(np.full((200, 300, 3), 120, np.uint8), "JPEG", exif=exif)
    at = _upload(data, "phone.jpg", "image/jpeg")
    assert any(r"(128,\ 85,\ 3)" in x.value for x in at.latex)
    [note] = _notes(at)
    assert note.startswith("Shrunk from 300 × 200 to **128 × 85** pixels")

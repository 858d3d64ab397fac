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


_RERUN_SCRIPT = """
import json, resource, time
resource.setrlimit(resource.RLIMIT_CPU, (int(time.process_time()) + 120, resource.getrlimit(resource.RLIMIT_CPU)[1]))
import numpy as np
from PIL import Image
from tests import hostile_files as hf
from tests.app.conftest import open_page

opened = []
real_open = Image.open
Image.open = lambda *a, **k: opened.append(1) or real_open(*a, **k)  # the page's and the decoder's Image.open
small = hf.encode(Image.fromarray(np.random.default_rng(0).integers(0, 256, (200, 300, 3), dtype=np.uint8)), "PNG")
out = {}
for name, data in (("small", small), ("bomb", hf.mode_bomb("RGBA"))):
    at = open_page("pages/images.py", {"picture": "upload"})
    at.file_uploader(key="picture_file").set_value((name + ".png", data, "image/png")).run()
    assert not at.exception
    opened.clear()
    start = time.process_time()
    for _ in range(3):  # what any click elsewhere on the page costs: a rerun with the same upload
        at.run()
    out[name] = {"cpu_s": time.process_time() - start, "opened": len(opened),
                 "notes": [c.value for c in at.caption if c.value.startswith("Shrunk from")]}
print(json.dumps(out))
"""


def test_a_rerun_neither_reopens_nor_decodes_the_upload_again():
    # the note used to reopen the bytes unchecked on every rerun, outside the heavy slot: for a PNG, reading its EXIF
    # decodes it whole (a 154 kB RGBA 6300² PNG: 0.55 s and 153 MB per rerun; a PNG of 4,700 ICC profiles: 13 s)
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    r = subprocess.run([sys.executable, "-c", _RERUN_SCRIPT], capture_output=True, text=True, cwd=root, timeout=600)
    assert r.returncode == 0, f"killed or failed (returncode {r.returncode}): {r.stderr[-800:]}"
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["small"]["notes"][0].startswith("Shrunk from 200 × 300 to **85 × 128** pixels")
    assert out["bomb"]["notes"][0].startswith("Shrunk from 6300 × 6300 to **128 × 128** pixels")
    assert out["small"]["opened"] == out["bomb"]["opened"] == 0, out  # the note comes from the first decode
    assert out["bomb"]["cpu_s"] - out["small"]["cpu_s"] < 0.5, out  # three reruns: 1.65 s more before

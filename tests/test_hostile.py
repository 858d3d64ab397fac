"""Hostile uploads and links (issue 10): refused with a clear message, nothing read from outside the upload,
bounded memory and CPU, no link can break a page. Every hostile file is built here, never stored."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import h5py
import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from logreg import images, training, uploads
from logreg.filewalk import MAX_GIF_BLOCKS, MAX_JPEG_SCANS, RLE_BMP_SLACK_BYTES, jpeg_scan_count
from logreg.modelio import save_model
from tests import hostile_files as hf
from tests.app.conftest import ENTRY, chart_spec, open_page, shown
from ui.params import BOUNDS, TEXT_KEYS, why_ignored

ROOT = Path(__file__).resolve().parents[1]
SECRET = b"TOP-SECRET-0123456789-" * 40  # 880 bytes no upload holds


# --------------------------------------------------------------------------- .h5: nothing outside the upload


def course_pair(m=6):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (m, 8, 8, 3), dtype=np.uint8)
    y = np.array([0, 1] * (m // 2))
    return x, y


def h5_bytes(build) -> bytes:
    """An .h5 made by ``build(f)`` on an in-memory file."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        build(f)
    return buf.getvalue()


def good_file(prefix: str) -> bytes:
    x, y = course_pair()

    def build(f):
        f[f"{prefix}_x"], f[f"{prefix}_y"], f["list_classes"] = x, y, np.array([b"non-cat", b"cat"])

    return h5_bytes(build)


@pytest.fixture
def secret_dir(tmp_path, monkeypatch):
    """A secret file on the "server", and the working directory there (relative names resolve to it)."""
    (tmp_path / "secret.bin").write_bytes(SECRET)
    with h5py.File(tmp_path / "secret.h5", "w") as f:
        f["train_set_x"] = np.frombuffer(SECRET[:6 * 8 * 8 * 3 // 2] * 2, np.uint8).reshape(6, 8, 8, 3)
        f["train_set_y"] = np.array([0, 1] * 3)
        f["list_classes"] = np.array([SECRET[:20], SECRET[20:40]])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _external_storage(secret_dir, name):
    def build(f):
        f.create_dataset("train_set_x", shape=(6, 8, 8, 3), dtype="u1", external=[(name, 0, 6 * 8 * 8 * 3)])
        f["train_set_y"] = np.array([0, 1] * 3)
    return build


def _virtual(secret_dir, _):
    def build(f):
        layout = h5py.VirtualLayout(shape=(6, 8, 8, 3), dtype="u1")
        layout[:] = h5py.VirtualSource(str(secret_dir / "secret.h5"), "train_set_x", shape=(6, 8, 8, 3))
        f.create_virtual_dataset("train_set_x", layout)
        f["train_set_y"] = np.array([0, 1] * 3)
    return build


def _external_link(secret_dir, name):
    def build(f):
        f["train_set_x"] = h5py.ExternalLink(name, "/train_set_x")
        f["train_set_y"] = np.array([0, 1] * 3)
    return build


def _external_link_classes(secret_dir, name):
    def build(f):
        x, y = course_pair()
        f["train_set_x"], f["train_set_y"] = x, y
        f["list_classes"] = h5py.ExternalLink(name, "/list_classes")
    return build


def _soft_link(secret_dir, _):
    def build(f):
        x, y = course_pair()
        f["data"], f["train_set_y"] = x, y
        f["train_set_x"] = h5py.SoftLink("/data")
    return build


HOSTILE_H5 = [
    ("external storage, absolute name", _external_storage, "{dir}/secret.bin", "outside the file"),
    ("external storage, relative name", _external_storage, "secret.bin", "outside the file"),
    ("virtual dataset", _virtual, None, "outside the file"),
    ("external link, absolute", _external_link, "{dir}/secret.h5", "ExternalLink to somewhere else"),
    ("external link, relative", _external_link, "secret.h5", "ExternalLink to somewhere else"),
    ("external link for the class names", _external_link_classes, "{dir}/secret.h5", "ExternalLink"),
    ("soft link", _soft_link, None, "SoftLink to somewhere else"),
]


@pytest.mark.parametrize("case, make, name, message", HOSTILE_H5, ids=[c[0] for c in HOSTILE_H5])
def test_h5_that_points_outside_the_upload_is_refused_and_reads_nothing(secret_dir, case, make, name, message):
    name = name.format(dir=secret_dir) if name else None
    data = h5_bytes(make(secret_dir, name))
    assert SECRET[:20] not in data  # the upload itself does not hold the secret
    if "soft" not in case:  # control: h5py on its own would hand the secret over from this very file
        (secret_dir / "upload.h5").write_bytes(data)
        with h5py.File(secret_dir / "upload.h5", "r") as f:
            got = np.asarray(f["list_classes" if "class" in case else "train_set_x"][...]).tobytes()
        assert SECRET[:20] in got or got == bytes(len(got)), case  # a VDS reads zeros when h5py cannot map it
    with pytest.raises(ValueError, match=message) as err:
        uploads.load_cat_h5(data, good_file("test_set"))
    assert SECRET[:20] not in str(err.value).encode()
    assert "only data stored inside the uploaded file" in str(err.value) or "Link" in str(err.value)


def test_h5_declared_sizes_are_checked_before_reading():
    def wrapped(f):  # 5 x 2^31 x 2^31 x 3 values: NumPy's int64 product wraps around, Python's does not
        f.create_dataset("train_set_x", shape=(5, 2**31, 2**31, 3), dtype="u1", chunks=(1, 1, 64, 3))
        f["train_set_y"] = np.array([0, 1, 0, 1, 0])

    with pytest.raises(ValueError, match="declares 69,175,290,276,410,818,560 bytes"):
        uploads.load_cat_h5(h5_bytes(wrapped), good_file("test_set"))

    def long_names(prefix):  # two 2 GB names in a 6 kB file (issue 10: 5.9 GB allocated)
        def build(f):
            x, y = course_pair()
            f[f"{prefix}_x"], f[f"{prefix}_y"] = x, y
            f.create_dataset("list_classes", shape=(2,), dtype="S2000000000")
        return h5_bytes(build)

    assert len(long_names("test_set")) < 50_000
    with pytest.raises(ValueError, match=r"list_classes. declares 4,000,000,000 bytes"):
        uploads.load_cat_h5(good_file("train_set"), long_names("test_set"))


def test_h5_with_thousands_of_tiny_chunks_is_refused_for_what_a_normal_read_costs(tmp_path):
    # review C.2: a 2.6 kB file, one-byte chunks never written; HDF5 spent ~37 MB and ~0.05 s on each picture
    bomb = hf.course_h5(8, 2, chunks=(1, 1, 1, 1))
    assert len(bomb) < 5_000
    with pytest.raises(ValueError, match=r"98,304 chunks .*at most 10,000"):
        uploads.load_cat_h5(bomb, bomb)
    (tmp_path / "bomb.h5").write_bytes(bomb)
    (tmp_path / "normal.h5").write_bytes(hf.course_h5())  # the course's 209 + 50 pictures, 2.5 MB
    normal, r = hf.measure(tmp_path / "normal.h5", "h5"), hf.measure(tmp_path / "bomb.h5", "h5")
    assert normal["outcome"] == "read (209, 64, 64, 3) and (50, 64, 64, 3)", normal
    assert r["outcome"] == "refused" and "chunks" in r["reasons"][0], r
    assert r["peak_mb"] <= normal["peak_mb"], (r, normal)  # unrefused: 412 MB against 50 MB
    assert r["cpu_s"] <= 2 * normal["cpu_s"], (r, normal)  # unrefused: 0.45 s, ~70 times a normal read
    few = hf.course_h5(20, 4, chunks=(1, 64, 64, 3))  # a chunk per picture is fine
    assert uploads.load_cat_h5(few, few)[0].shape == (20, 64, 64, 3)


def test_h5_with_one_huge_chunk_on_a_small_dataset_is_refused_for_what_a_normal_read_costs(tmp_path):
    # review D.2: the 209 labels in one chunk of 20 M int64 (160 MB, under the read cap): 3.5 MB of file, a 200 MB read
    def build(f):
        x, y = course_pair()
        f["train_set_x"], f["list_classes"] = x, np.array([b"non-cat", b"cat"])
        d = f.create_dataset("train_set_y", shape=y.shape, maxshape=(None,), dtype="i8", chunks=(20_000_000,),
                             compression="gzip")
        d[...] = y

    bomb = h5_bytes(build)
    with pytest.raises(ValueError, match=r"'train_set_y' is stored in chunks of 160,000,000 bytes, larger than"):
        uploads.load_cat_h5(bomb, good_file("test_set"))

    def both(f):  # the same labels chunk in a file read as both the train and the test file, measured
        for prefix, m in (("train_set", 209), ("test_set", 50)):
            f[f"{prefix}_x"] = np.zeros((m, 64, 64, 3), dtype=np.uint8)
            d = f.create_dataset(f"{prefix}_y", shape=(m,), maxshape=(None,), dtype="i8", chunks=(20_000_000,),
                                 compression="gzip")
            d[...] = np.arange(m) % 2
        f["list_classes"] = np.array([b"non-cat", b"cat"])

    (tmp_path / "bomb.h5").write_bytes(h5_bytes(both))
    (tmp_path / "normal.h5").write_bytes(hf.course_h5())
    normal, r = hf.measure(tmp_path / "normal.h5", "h5"), hf.measure(tmp_path / "bomb.h5", "h5")
    assert r["outcome"] == "refused" and "larger than the dataset" in r["reasons"][0], r
    assert r["peak_mb"] <= normal["peak_mb"] + 5, (r, normal)  # unrefused: 204 MB against 50 MB

    def resizable(f):  # an ordinary resizable dataset: chunks of the dataset's own size are fine
        x, y = course_pair()
        f["train_set_x"], f["list_classes"] = x, np.array([b"non-cat", b"cat"])
        f.create_dataset("train_set_y", data=y, maxshape=(None,), chunks=y.shape)

    assert uploads.load_cat_h5(h5_bytes(resizable), good_file("test_set"))[1].size == course_pair()[1].size


def test_h5_empty_dataset_is_refused_with_a_message():
    # review D.4: h5py.Empty has no shape, and len(None) escaped as a TypeError
    import h5py

    def build(f):
        x, y = course_pair()
        f["train_set_x"], f["train_set_y"], f["list_classes"] = h5py.Empty("u1"), y, np.array([b"non-cat", b"cat"])

    with pytest.raises(ValueError, match=r"the train file: 'train_set_x' is an empty dataset"):
        uploads.load_cat_h5(h5_bytes(build), good_file("test_set"))


@pytest.mark.parametrize("key", ["train_set_x", "train_set_y", "list_classes"])
def test_h5_dataset_of_a_type_numpy_cannot_hold_is_refused_with_a_message(key):
    # review C.4: an HDF5 time type made h5py raise TypeError, which escaped to the page as a traceback
    from h5py import h5d, h5s, h5t

    def build(f):
        x, y = course_pair()
        f["train_set_x"], f["train_set_y"], f["list_classes"] = x, y, np.array([b"non-cat", b"cat"])
        shape = f[key].shape
        del f[key]
        h5d.create(f.id, key.encode(), h5t.UNIX_D32LE.copy(), h5s.create_simple(shape))

    with pytest.raises(ValueError, match=f"the train file: '{key}' holds an HDF5 data type this app cannot read"):
        uploads.load_cat_h5(h5_bytes(build), good_file("test_set"))


def test_h5_identical_class_names_are_refused():
    x, y = course_pair()

    def same(prefix):
        return h5_bytes(lambda f: f.update({f"{prefix}_x": x, f"{prefix}_y": y,
                                            "list_classes": np.array([b"cat", b"cat"])}))

    with pytest.raises(ValueError, match="different names"):
        training.from_cat_h5(*uploads.load_cat_h5(same("train_set"), same("test_set")))


# --------------------------------------------------------------------------- zips


def marked_encrypted(data: bytes) -> bytes:
    """The zip with every member flagged "encrypted" (bit 0 of the flags, local and central headers)."""
    out = bytearray(data)
    for sig, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.find(sig)
        while i >= 0:
            out[i + at] |= 0x1
            i = out.find(sig, i + 4)
    return bytes(out)


def test_encrypted_zip_says_it_is_encrypted():
    data = marked_encrypted(hf.zip_of(hf.encode(Image.new("RGB", (8, 8)), "PNG"), 4))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert all(i.flag_bits & 0x1 for i in zf.infolist())
    with pytest.raises(images.ImageError, match="no readable images .*encrypted: password-protected zips"):
        images.load_class_zip(data)


def test_zip_members_outside_the_one_list_of_types_are_skipped_with_the_reason():
    pic = hf.encode(Image.new("RGB", (8, 8), (200, 0, 0)), "PNG")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k in range(2):
            zf.writestr(f"cats/{k}.png", pic)
            zf.writestr(f"not_cats/{k}.png", pic)
        zf.writestr("cats/x.tiff", hf.encode(Image.new("RGB", (8, 8)), "TIFF"))
    cz = images.load_class_zip(buf.getvalue(), size=8)
    assert dict(cz.skipped) == {"cats/x.tiff": "not a picture type this app reads (PNG, JPG, JPEG, WEBP, BMP or GIF)"}


def test_zip_budget_skips_pictures_past_it_and_says_why():
    pic = hf.encode(Image.new("RGB", (100, 100), (200, 0, 0)), "PNG")
    cz = images.load_class_zip(hf.zip_of(pic, 12), size=8, max_total_pixels=8 * 100 * 100)
    assert cz.X.shape[0] == 8
    assert [why for _, why in cz.skipped] == ["not decoded: this zip's pictures hold more than 80,000 pixels in "
                                              "all; use fewer or smaller pictures"] * 4
    with pytest.raises(images.ImageError, match="no readable images .*used up their 0 s of decoding time"):
        images.load_class_zip(hf.zip_of(pic, 12), size=8, cpu_seconds=0.0)  # spent before the first picture


# --------------------------------------------------------------------------- memory and CPU, in a subprocess


@pytest.fixture(scope="module")
def normal_peak(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "normal.jpg"
    path.write_bytes(hf.normal_photo())
    r = hf.measure(path)
    assert r["outcome"] == "decoded to (900, 1200, 3)"
    return r["peak_mb"]


IMAGE_CASES = [c for c in hf.CASES if c[2] == "image"]


@pytest.mark.parametrize("name, build, kind", IMAGE_CASES, ids=[c[0] for c in IMAGE_CASES])
def test_one_hostile_picture_stays_within_300_mb_over_a_normal_one(tmp_path, normal_peak, name, build, kind):
    path = tmp_path / "case.bin"
    path.write_bytes(build())
    r = hf.measure(path, kind)
    assert r["peak_mb"] - normal_peak <= hf.MEMORY_BUDGET_MB, (name, r)
    assert r["outcome"] == "refused" or max(shape_of(r["outcome"])) <= 2048


def shape_of(outcome: str) -> tuple[int, ...]:
    """ "decoded to (525, 525, 3)" -> (525, 525, 3)."""
    inner = outcome.split("(", 1)[1].rstrip(")")
    return tuple(int(p) for p in inner.split(",") if p.strip())


def test_a_zip_of_bombs_costs_at_most_about_ten_cpu_seconds(tmp_path, normal_peak):
    # the case: 408 copies of the 6300 x 6300 palette bomb took 257 s of CPU and 3.8 GB
    path = tmp_path / "bombs.zip"
    path.write_bytes(hf.zip_of(hf.palette_bomb(), 408))
    r = hf.measure(path, "zip")
    assert r["cpu_s"] <= hf.CPU_BUDGET_S, r
    assert r["peak_mb"] - normal_peak <= hf.MEMORY_BUDGET_MB, r
    assert "not decoded" in r["reasons"][0], r  # the page can say why


def test_a_jpeg_with_thousands_of_scans_is_refused_for_less_cpu_than_a_normal_decode(tmp_path):
    # review C.1: 2000 repeats of a 14-byte scan, 44 kB; libjpeg took ~4.5 ms a scan (9 s) in the heavy slot
    bomb = hf.scan_bomb()
    assert len(bomb) < 50_000 and jpeg_scan_count(bomb) > MAX_JPEG_SCANS
    with pytest.raises(images.ImageError, match="more than 64 scans"):
        images.decode_image(bomb, draft_size=96)
    (tmp_path / "bomb.jpg").write_bytes(bomb)
    (tmp_path / "normal.jpg").write_bytes(hf.normal_photo())
    normal, r = hf.measure(tmp_path / "normal.jpg"), hf.measure(tmp_path / "bomb.jpg")
    assert normal["outcome"] == "decoded to (900, 1200, 3)"
    assert r["outcome"] == "refused" and "more than 64 scans" in r["reasons"][0], r
    assert r["cpu_s"] <= normal["cpu_s"], (r, normal)  # refused from the markers, before any scan is decoded


def test_scans_are_counted_by_walking_the_segments():
    for scans in (6, MAX_JPEG_SCANS):  # up to the cap a progressive JPEG decodes
        assert jpeg_scan_count(hf.scan_bomb(64, scans)) == scans
        assert images.decode_image(hf.scan_bomb(64, scans)).shape == (64, 64, 3)
    with pytest.raises(images.ImageError, match="more than 64 scans"):
        images.decode_image(hf.scan_bomb(64, MAX_JPEG_SCANS + 1))
    data = hf.scan_bomb(64, 6)
    # start-of-scan bytes inside a comment segment are not scans (libjpeg skips the segment by its length) ...
    commented = data[:2] + b"\xff\xfe" + (2 + 1000).to_bytes(2, "big") + b"\xff\xda" * 500 + data[2:]
    assert jpeg_scan_count(commented) == 6
    assert images.decode_image(commented).shape == (64, 64, 3)
    # ... nor are scans after the end of the picture: libjpeg stops there (a multi-picture file's other pictures)
    assert jpeg_scan_count(data + data[data.rfind(b"\xff\xda"):-2] * 500) == 6
    with pytest.raises(images.ImageError, match="marker segments"):  # millions of empty segments: the walk stops
        jpeg_scan_count(data[:2] + b"\xff\xfe\x00\x02" * 100_000 + data[2:])


# --------------------------------------------------------------------------- chunk and marker floods, RLE BMPs

CASE = {name: (build, kind) for name, build, kind in hf.CASES}
#: (case, what the refusal says, what Pillow cost before the bytes were walked first: MB over a normal decode, CPU s)
FLOODS = [
    ("PNG 8², 4,700 iCCP chunks of 1 MB", "more than one colour profile", (0, 12.8)),
    ("PNG 8², 400,000 empty private chunks", "more than 1,000 chunks besides its picture data", (39, 2.6)),
    ("PNG 8², 400,000 empty IDAT chunks", "picture data is cut into more than 20,000 pieces", (0, 2.3)),
    ("JPEG 64², 1.25 M empty APP1 segments", "more than 4,096 marker segments", (156, 3.7)),
    ("JPEG 64², 5 MB of fill bytes", "more than 65,536 bytes of fill or garbage", (3, 3.5)),
    ("RLE8 BMP 32768 x 1220, a pixel a row", "run-length encoded", (106, 6.5)),
    ("RLE4 BMP 6300²", "run-length encoded", (105, 2.7)),
    ("RLE8 BMP 1², 5 MB of do-nothing commands", "run-length encoded in 5,000,004 bytes", (0, 1.2)),
    ("GIF 8², 2.5 M one-byte comment blocks", "blocks before its first picture", (208, 0.8)),
]


@pytest.mark.parametrize("name, message, before", FLOODS, ids=[f[0] for f in FLOODS])
def test_a_flood_of_chunks_markers_or_runs_is_refused_before_pillow_parses_it(tmp_path, normal_peak, name, message,
                                                                             before):
    build, kind = CASE[name]
    path = tmp_path / "case.bin"
    path.write_bytes(build())
    assert path.stat().st_size <= 5_100_000  # fits the app's 5 MB upload limit
    r = hf.measure(path, kind, cpu_limit_s=60)
    assert r["outcome"] == "refused" and message in r["reasons"][0], r
    # the raw-byte walk is bounded (~21,000 steps at most); Pillow's parsers never ran
    assert r["cpu_s"] < 0.3, r
    assert r["peak_mb"] - normal_peak < 10, r


@pytest.mark.parametrize("name, limit_mb", [("zip of 20 PNGs of 4,700 iCCP chunks", 30),
                                            ("zip of 10 JPEGs of 2.6 M APP1 segments", 60),
                                            ("zip of 24 RLE8 BMPs of do-nothing commands", 30),
                                            ("zip of 24 GIFs of comment blocks", 30)])
def test_a_zip_of_floods_is_refused_member_by_member_in_a_fraction_of_its_budget(tmp_path, normal_peak, name, limit_mb):
    # before: each member was opened by Pillow twice (its pixels counted, then decoded): 13 s of CPU for the PNGs,
    # and 344 MB over a normal picture and 11 s for the JPEGs (the zip budget is checked between members only);
    # the BMPs and the GIFs (120 kB zips) used the zip's whole 8 s, the GIFs 213 MB over a normal picture
    build, kind = CASE[name]
    path = tmp_path / "case.zip"
    path.write_bytes(build())
    r = hf.measure(path, kind, cpu_limit_s=60)
    assert r["outcome"] == "refused" and "no readable images" in r["reasons"][0], r
    assert "used up their" not in r["reasons"][0], r  # every member refused for what it is, none for the budget
    assert r["cpu_s"] < 1.0, r
    assert r["peak_mb"] - normal_peak < limit_mb, r


def test_the_chunk_and_marker_bounds_leave_real_pictures_alone():
    rgb = Image.fromarray(np.random.default_rng(0).integers(0, 256, (300, 400, 3), dtype=np.uint8))
    from PIL import ImageCms, PngImagePlugin

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    text = PngImagePlugin.PngInfo()
    for k in range(60):  # a chatty editor: captions, software, dates, XMP
        text.add_text(f"key{k}", "value " * 20, zip=k % 2 == 1)
    png = hf.encode(rgb, "PNG", icc_profile=icc, pnginfo=text)
    assert images.decode_image(png).shape == (300, 400, 3)
    # libpng's 8 kB picture-data chunks, as many as a 20 MB PNG holds; and a 64 x 64 PNG cut into 20,000 pieces
    plain = hf.encode(rgb, "PNG")
    idat = b"".join(plain[i + 8:i + 8 + int.from_bytes(plain[i:i + 4], "big")]
                    for i in [m.start() - 4 for m in re.finditer(b"IDAT", plain)])
    head, tail = plain[:33], plain[plain.rfind(b"IEND") - 4:]
    split = head + b"".join(hf.png_chunk(b"IDAT", idat[i:i + 8192]) for i in range(0, len(idat), 8192)) + tail
    assert np.array_equal(images.decode_image(split), images.decode_image(plain))
    assert images.decode_image(hf.png_chunk_flood("IDAT", 20_000 - 1)).shape == (8, 8, 3)
    with pytest.raises(images.ImageError, match="20,000 pieces"):
        images.decode_image(hf.png_chunk_flood("IDAT", 20_000))
    assert images.decode_image(hf.png_chunk_flood("prVt", 1_000 - 3)).shape == (8, 8, 3)  # + IHDR, IEND, the one IDAT
    assert images.decode_image(hf.png_chunk_flood("zTXt", 64)).shape == (8, 8, 3)
    with pytest.raises(images.ImageError, match="more than 64 text chunks"):
        images.decode_image(hf.png_chunk_flood("zTXt", 65))
    # a JPEG with an ICC profile, EXIF, a comment, 64 kB of fill before a marker, and 100 empty APP segments
    photo = hf.encode(rgb, "JPEG", icc_profile=icc, exif=Image.Exif().tobytes(), comment=b"hello")
    assert images.decode_image(photo[:2] + b"\xff" * 65_530 + photo[2:]).shape == (300, 400, 3)
    assert images.decode_image(hf.jpeg_marker_flood(100)).shape == (64, 64, 3)
    # an RLE BMP up to 1 M pixels decodes, as Pillow decodes it; one more row is refused
    rle = hf.bmp_rle(1000, 1000, bits=4, run=7)
    with Image.open(io.BytesIO(rle)) as im:
        assert np.array_equal(images.decode_image(rle, max_side=1000), np.asarray(im.convert("RGB")))
    with pytest.raises(images.ImageError, match="run-length encoded"):
        images.decode_image(hf.bmp_rle(1000, 1001, bits=4, run=7))
    # the most bytes an encoder writes (runs of one pixel), and the slack after them, decode; a byte more is refused
    wasteful = hf.bmp_rle(1000, 1000, bits=8, run=1)
    assert len(wasteful) == 14 + 40 + 1024 + 2 * 1000 * 1000 + 2 * 1000 + 2
    assert images.decode_image(wasteful + bytes(RLE_BMP_SLACK_BYTES), max_side=1000).shape == (1000, 1000, 3)
    with pytest.raises(images.ImageError, match="far more than any encoder writes"):
        images.decode_image(wasteful + bytes(RLE_BMP_SLACK_BYTES + 1))
    # a GIF's loop count, frame delays and a comment decode as Pillow decodes the first frame; a GIF is refused
    # only past 4,096 blocks (and stray bytes) before its first picture
    frames = [Image.fromarray(np.full((20, 30, 3), 40 * k, np.uint8)) for k in range(3)]
    gif = hf.encode(frames[0], "GIF", save_all=True, append_images=frames[1:], loop=0, duration=80, comment=b"hi")
    with Image.open(io.BytesIO(gif)) as im:
        assert np.array_equal(images.decode_image(gif), np.asarray(im.convert("RGB")))
    assert images.decode_image(hf.gif_block_flood(MAX_GIF_BLOCKS - 1)).shape == (8, 8, 3)  # + the closing block
    with pytest.raises(images.ImageError, match=f"more than {MAX_GIF_BLOCKS:,} blocks"):
        images.decode_image(hf.gif_block_flood(MAX_GIF_BLOCKS))
    stray = hf.gif_block_flood(0)
    at = stray.index(b"\x21\xfe")
    assert images.decode_image(stray[:at] + b"?" * (MAX_GIF_BLOCKS - 1) + stray[at:]).shape == (8, 8, 3)
    with pytest.raises(images.ImageError, match="blocks before its first picture"):
        images.decode_image(stray[:at] + b"?" * MAX_GIF_BLOCKS + stray[at:])


def test_both_open_paths_walk_the_bytes_first(monkeypatch):
    """decode_image and decoded_pixels (the zip's pixel count) never hand a flood to Pillow."""
    from logreg import decoding

    opened = []
    real = Image.open
    monkeypatch.setattr(decoding.Image, "open", lambda *a, **k: opened.append(1) or real(*a, **k))
    for flood in (hf.png_chunk_flood("iCCP", 2), hf.png_chunk_flood("prVt", 1_001),
                  hf.jpeg_marker_flood(5_000), hf.jpeg_fill(70_000)):
        assert decoding.decoded_pixels(flood, 64) == 0
        with pytest.raises(images.ImageError):
            images.decode_image(flood)
    assert opened == []


# --------------------------------------------------------------------------- Train: one budget per upload batch

_BATCH_SCRIPT = """
import json, resource, time
resource.setrlimit(resource.RLIMIT_CPU, (int(time.process_time()) + 120, resource.getrlimit(resource.RLIMIT_CPU)[1]))
from tests import hostile_files as hf
from tests.app.conftest import open_page, shown
from ui import train_sources

train_sources.BATCH_CPU_SECONDS = 1.5  # the page's budget (8 s), made small to keep the test short
bomb = hf.mode_bomb("RGBA")  # 154 kB, ~0.6 s of CPU to decode at 6300 x 6300
out = {}
at = open_page("pages/train.py", {"data": "own", "own_mode": "upload", "size": "16"})
at.file_uploader(key="up_0").set_value([(f"a{k}.png", bomb, "image/png") for k in range(8)])
at.file_uploader(key="up_1").set_value([(f"b{k}.png", bomb, "image/png") for k in range(8)])
start = time.process_time()
at.run()
out["upload_cpu_s"] = time.process_time() - start
assert not at.exception
skipped = [shown(m.value) for m in at.markdown if "used up their" in m.value]
out["skipped"] = skipped[0].count("used up their 1.5 s") if skipped else 0
start = time.process_time()
at.run()  # the same batch: its budget is spent, nothing is decoded again
out["rerun_cpu_s"] = time.process_time() - start
at = open_page("pages/train.py", {"data": "own", "own_mode": "webcam", "size": "16"})
start = time.process_time()
for k in range(8):
    at.camera_input(key="snap_camera").upload(f"shot{k}.jpg", bomb).run()  # any bytes can be sent as a snapshot
out["webcam_cpu_s"] = time.process_time() - start
out["webcam_refused"] = sum("this session's snapshots used up their 1.5 s" in shown(e.value) for e in at.error)
print(json.dumps(out))
"""


def test_uploads_per_class_and_webcam_snapshots_share_one_budget():
    # before: every file of "upload per class" (300 a class) and every snapshot was decoded on its own, each within
    # the one-picture caps but with nothing over the batch: 16 RGBA PNGs of 6300² cost 16 pictures' work
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _BATCH_SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, f"killed or failed (returncode {r.returncode}): {r.stderr[-800:]}"
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["skipped"] >= 8, out  # most of the 16 files skipped, with the reason
    # process CPU (not wall time), with room for a slow shared machine: unbudgeted, the 16 files cost 14.9 s
    assert out["upload_cpu_s"] < 8.0, out  # 1.5 s of budget + one picture + the page
    assert out["rerun_cpu_s"] < 2.0, out
    assert out["webcam_refused"] >= 1 and out["webcam_cpu_s"] < 5.0, out


def test_a_decode_budget_counts_pixels_from_headers_and_cpu_after_each_decode():
    from logreg.budget import DecodeBudget

    pic = hf.encode(Image.new("RGB", (100, 100)), "PNG")
    budget = DecodeBudget(25_000, 60.0, "these uploads")
    assert budget.refusal(pic) is None and budget.refusal(pic) is None
    assert budget.refusal(pic) == "not decoded: these uploads hold more than 25,000 pixels in all; use fewer or smaller pictures"
    assert budget.used_pixels == 20_000
    budget = DecodeBudget(10**9, 1e-9, "these uploads")
    assert budget.refusal(pic) is None  # nothing spent yet
    budget.timed(images.decode_image, pic)
    assert budget.refusal(pic).startswith("not decoded: these uploads used up their 1e-09 s of decoding time")
    assert DecodeBudget(10**9, 0.0).refusal(pic).startswith("not decoded: these pictures used up their 0 s")  # none
    # a caller that counts pixels itself: admit, and give back those of a picture it did not decode after all
    budget = DecodeBudget(25_000, 60.0)
    assert budget.admit(20_000) is None and budget.admit(20_000) is not None
    budget.give_back(20_000)
    assert budget.used_pixels == 0 and budget.admit(20_000) is None and budget.used_pixels == 20_000


def test_a_picture_the_busy_server_did_not_decode_spends_none_of_the_budget(monkeypatch):
    # before: its pixels were counted, then the decode waited for the heavy-work slot in vain; each rerun of the same
    # batch counted them again, so a batch was refused for pixels it never decoded
    import threading

    from logreg.budget import DecodeBudget
    from ui import limits, train_sources

    class Upload:
        def __init__(self, k):
            self.file_id, self.name = f"busy-{k}", f"{k}.png"

        def getvalue(self):
            return hf.encode(Image.new("RGB", (100, 100)), "PNG")

    slot = threading.BoundedSemaphore(1)
    slot.acquire()  # another visitor's training holds the process's one slot
    monkeypatch.setattr(limits, "process_slots", lambda: slot)
    monkeypatch.setattr(limits, "WAIT_S", 0.01)
    chosen = [[Upload(0), Upload(1)], [Upload(2), Upload(3)]]
    budget = DecodeBudget(4 * 100 * 100, 60.0, "these uploads")  # room for the four, once
    for _ in range(3):  # three reruns while the server is busy
        per_class, _, notes = train_sources.decode_per_class(chosen, budget)
        assert per_class == [[], []] and len(notes) == 4 and all("server stayed busy" in n for n in notes), notes
    assert budget.used_pixels == 0
    slot.release()
    per_class, ids, notes = train_sources.decode_per_class(chosen, budget)
    assert notes == [] and [len(p) for p in per_class] == [2, 2] and ids == [["busy-0", "busy-1"], ["busy-2", "busy-3"]]
    assert budget.used_pixels == 4 * 100 * 100


# --------------------------------------------------------------------------- links (query parameters)


@pytest.mark.parametrize("text", ["inf", "-inf", "Infinity", "nan", "NaN", "1e400", "-1e400", "9" * 100_000,
                                  "1" * 40, "1.5e308" + "0" * 30])
def test_non_finite_or_absurdly_long_numbers_are_ignored_for_every_key(text):
    for key in ("iters", "some_future_key", "example"):
        assert why_ignored(key, text, None) is not None, (key, text)


@pytest.mark.parametrize("key, text, reason", [
    ("iters", "0", "outside"), ("iters", "10001", "outside"), ("iters", "1.5", "whole number"),
    ("iters", "abc", "not a number"), ("split_seed", "-1", "outside"), ("train_threshold", "2", "outside"),
    ("iters", "5" * 300, "characters"),
])
def test_numbers_out_of_their_controls_range_are_ignored(key, text, reason):
    assert reason in why_ignored(key, text, BOUNDS["train"][key])


def test_good_values_and_free_text_pass():
    assert why_ignored("iters", "500", BOUNDS["train"]["iters"]) is None
    assert why_ignored("train_threshold", "0.3", BOUNDS["train"]["train_threshold"]) is None
    assert why_ignored("name_0", "inf", None) is None  # a class may be called "inf"
    assert why_ignored("data", "cats", None) is None


def test_every_bounded_key_is_a_url_bound_control_of_its_page():
    for page, keys in BOUNDS.items():
        # a page's controls may be drawn by its ui/ modules (ui/train_sources.py, ui/train_run.py)
        src = "".join(p.read_text() for p in [ROOT / "pages" / f"{page}.py", *sorted((ROOT / "ui").glob(f"{page}_*.py"))])
        for key in keys:
            # key="…" on the widget, or the literal key handed to a page's widget helper (Backprop's _number)
            assert (f'key="{key}"' in src or f'"{key}", ' in src) and 'bind="query-params"' in src, (page, key)


LINKS = [("pages/train.py", {k: "inf"}) for k in ("iters", "split_seed", "init_seed", "cmp_iters", "per_class")] + [
    ("pages/train.py", {"iters": "-inf"}), ("pages/train.py", {"iters": "1e400"}),
    ("pages/train.py", {"iters": "9" * 100_000}), ("pages/train.py", {"data": "toy", "points": "inf"}),
    ("pages/classify.py", {"example": "inf"}), ("pages/classify.py", {"example": "-1e400"}),
    ("pages/images.py", {"picture": "digit", "digit": "inf"}), ("pages/sigmoid.py", {"z_extreme": "1e400"}),
]


@pytest.mark.parametrize("page, query", LINKS, ids=[f"{p.split('/')[1]}?{list(q)[-1]}={q[list(q)[-1]][:8]}"
                                                     for p, q in LINKS])
def test_a_link_with_a_broken_number_opens_the_page_and_says_what_was_ignored(page, query):
    bad = list(query)[-1]  # the last key holds the broken number
    at = open_page(page, query)  # asserts there is no exception
    assert not at.exception
    warned = " ".join(shown(w.value) for w in at.warning)
    assert "Ignored from the link" in warned and bad in warned
    assert at.query_params.get(bad) != query[bad]  # gone from the URL too


_SHAPE_LINK_SCRIPT = """
import json, resource, time
resource.setrlimit(resource.RLIMIT_CPU, (int(time.process_time()) + 20, resource.getrlimit(resource.RLIMIT_CPU)[1]))
from tests.app.conftest import open_page, shown
at = open_page("pages/broadcasting.py", {"a_kind": "typed", "a_shape": "1" * 63 + "a", "b_kind": "typed",
                                          "b_shape": "![x](https://evil.example/x.png)"})
print(json.dumps({"exception": bool(at.exception), "raw": [e.value for e in at.error],
                  "errors": [shown(e.value) for e in at.error]}))
print("finished")
"""


def test_a_link_with_a_backtracking_shape_is_refused_within_a_cpu_bound():
    # the old shape regex took 13 s of CPU (holding the GIL, so every visitor waited) for 26 digits and a letter,
    # and never finished for 63: with 20 s of CPU the child is killed (SIGXCPU) unless the page answers in time
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", _SHAPE_LINK_SCRIPT], capture_output=True, text=True, cwd=ROOT,
                       timeout=600)
    assert r.returncode == 0, f"killed or failed (returncode {r.returncode}): {r.stderr[-500:]}"
    assert r.stdout.splitlines()[-1] == "finished"
    out = json.loads(r.stdout.splitlines()[-2])
    assert not out["exception"]
    a, b = out["errors"]
    assert a.startswith("A: could not read '" + "1" * 63 + "a' as a shape: write the shape as (2, 3)")
    assert b.startswith("B: could not read '![x](https://evil.example/x.png)'")
    assert "](" not in out["raw"][1]  # the link's text is shown as typed, never as a markdown image


def test_the_warning_shows_link_text_as_plain_text():
    at = open_page("pages/train.py", {"iters": "[x](https://evil.example)" + "9" * 300})
    raw = " ".join(w.value for w in at.warning)
    assert "](" not in raw and "\\]\\(" in raw


# --------------------------------------------------------------------------- class names are plain text


def test_class_names_from_a_model_file_are_never_markdown():
    evil = ("[click me](https://evil.example)", "<a href='https://evil.example'>cat</a> **b**")
    data = save_model(np.zeros((16 * 16 * 3, 1)), 0.0, image_size=16, channels=3, class_names=evil)
    at = open_page("pages/classify.py")
    at.selectbox(key="model").set_value("a model file (.npz) from the Train page").run()
    at.file_uploader(key="model_file").set_value(("evil.npz", data, "application/octet-stream")).run()
    at.radio(key="source").set_value("upload").run()
    at.file_uploader(key="upload").set_value(("p.png", hf.encode(Image.new("RGB", (20, 20)), "PNG"), "image/png"))
    at.run()
    assert not at.exception
    md = [m.value for m in (*at.markdown, *at.caption, *at.metric)]
    assert any("click me" in m for m in md)
    assert not any("](" in m for m in md), [m for m in md if "](" in m]
    assert not any(re.search(r"(?<!\\)<a href", m) for m in md)  # "\\<" shows "<" as text
    spec = json.dumps(chart_spec(at, "verdict_chart"))  # Plotly draws <a href> and <b> in chart text: escaped there
    assert "&lt;a href" in spec and "<a href" not in spec


# --------------------------------------------------------------------------- the model shelf


def _shelf_script():
    import numpy as np

    from logreg.modelio import load_model, save_model
    from ui import shelf

    for k in range(7):
        mf = load_model(save_model(np.zeros((12, 1)), float(k), image_size=2, channels=3, class_names=("a", "b")))
        shelf.add(f"m{k}", mf, (np.full((3, 2, 2, 3), k, np.uint8), np.array([0, 1, 0])))


def test_the_shelf_keeps_five_models_each_with_its_own_test_pictures():
    at = AppTest.from_function(_shelf_script).run()
    assert not at.exception
    entries = at.session_state["_model_shelf"]
    assert list(entries) == ["m2", "m3", "m4", "m5", "m6"]  # the two oldest evicted, pictures and all
    for name, e in entries.items():
        assert e.model.b == float(name[1:]) and np.all(e.images == int(name[1:]))
    assert at.session_state["_model_shelf_handover"] == "m6"


def test_train_then_classify_opens_the_model_just_trained():
    at = AppTest.from_file(ENTRY, default_timeout=120).run()
    at.query_params.update({"per_class": "40"})
    at.switch_page("pages/train.py").run()
    names = []
    for digit in (3, 5):
        at.selectbox(key="positive").set_value(digit).run()
        at.number_input(key="iters").set_value(30).run()
        at.button(key="train").click().run()
        assert not at.exception
        names.append(list(at.session_state["_model_shelf"])[-1])
        at.switch_page("pages/classify.py").run()
        assert not at.exception
        assert at.selectbox(key="model").value == names[-1], (names, at.selectbox(key="model").value)
        at.switch_page("pages/train.py").run()
    assert "3 vs" in names[0] and "5 vs" in names[1]


# --------------------------------------------------------------------------- heavy work: one slot per process


def _busy_server_script():
    import streamlit as st

    from ui import limits
    from ui.widgets import session_memo

    wait, limits.WAIT_S = limits.WAIT_S, 0.05
    slots = limits.process_slots()
    assert slots.acquire(timeout=5)  # another visitor's training holds the only slot
    try:
        st.session_state["busy"] = session_memo("_m", "k", lambda: 42, size=3, heavy="decoding")
        st.session_state["remembered"] = "k" in st.session_state["_m"]
    finally:
        slots.release()
        limits.WAIT_S = wait
    st.session_state["free"] = session_memo("_m", "k", lambda: 42, size=3, heavy="decoding")


def test_heavy_work_waits_for_the_process_slot_and_a_busy_server_is_not_remembered():
    at = AppTest.from_function(_busy_server_script).run()
    assert not at.exception
    ok, message = at.session_state["busy"]
    assert not ok and "server stayed busy" in message
    assert at.session_state["remembered"] is False  # the next rerun tries again
    assert at.session_state["free"] == (True, 42)


def test_every_free_text_control_bound_to_the_url_is_known_as_text():
    # a text control may hold "inf" or "1e400" legitimately; ui.params must not drop it
    calls = [c for path in (ROOT / "pages").glob("*.py")
             for c in re.findall(r"text_(?:input|area)\((.*?)\)\n", path.read_text(), re.S) if "query-params" in c]
    assert calls
    for call in calls:
        fstring, key = re.search(r'key=(f?)"([^"]+)"', call).groups()
        if fstring:  # e.g. f"{name.lower()}_shape": some known key ends like it
            assert any(k.endswith(key.split("}")[-1]) for k in TEXT_KEYS), key
        else:
            assert key in TEXT_KEYS, key


# --------------------------------------------------------------------------- model files: the novelty statistics


def _model_with_novelty(**replace) -> bytes:
    """A good 8 x 8 x 3 model file with its training inputs' statistics, some arrays replaced (None: dropped)."""
    from logreg import novelty

    stats = novelty.fit(np.random.default_rng(0).random((192, 20)))
    with np.load(io.BytesIO(save_model(np.zeros((192, 1)), 0.0, image_size=8, channels=3, novelty=stats))) as f:
        arrays = {k: f[k] for k in f.files}
    for key, value in replace.items():
        if value is None:
            arrays.pop(key)
        else:
            arrays[key] = value
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


HOSTILE_NOVELTY = {
    "NaN deviation": (dict(novelty_feature_std=np.array([1.0, np.nan, 1.0, 1.0, 1.0])), "NaN or infinite"),
    "infinite limit": (dict(novelty_scalars=np.array([1.0, np.inf, 2.0])), "NaN or infinite"),
    "zero deviation": (dict(novelty_feature_std=np.zeros(5)), "positive deviations"),
    "tiny deviation": (dict(novelty_feature_std=np.full(5, 1e-300)), "positive deviations"),
    "huge feature mean": (dict(novelty_feature_mean=np.full(5, 1e300)), "within ±1000"),
    "limit below 6": (dict(novelty_scalars=np.array([1.0, 0.5, 0.1])), "limit must lie between"),
    "negative distance": (dict(novelty_scalars=np.array([-1.0, 8.0, 2.0])), "typical distance"),
    "mean input outside [0, 1]": (dict(novelty_mean_input=np.full((192, 1), 1e6, np.float32)), r"in \[0, 1\]"),
    "mean input of another model": (dict(novelty_mean_input=np.zeros((784, 1), np.float32)), r"\(192, 1\)"),
    "mean input as a row": (dict(novelty_mean_input=np.zeros((1, 192), np.float32)), r"\(192, 1\)"),
    "integers": (dict(novelty_feature_mean=np.arange(5)), "floats of shape"),
    "text": (dict(novelty_scalars=np.array(["1", "8", "2"])), "floats of shape"),
    "objects": (dict(novelty_scalars=np.array([1.0, {"x": 1}, 2.0], dtype=object)), "holds Python objects"),
    "three of four": (dict(novelty_feature_std=None), "incomplete"),
    "scalars as one number": (dict(novelty_scalars=np.array(7.0)), r"\(3,\)"),
}


@pytest.mark.parametrize("case", list(HOSTILE_NOVELTY))
def test_a_model_file_with_hostile_novelty_statistics_is_refused(case):
    from logreg.modelio import ModelFileError, load_model

    replace, message = HOSTILE_NOVELTY[case]
    with pytest.raises(ModelFileError, match=message) as err:
        load_model(_model_with_novelty(**replace))
    assert "the model file" in str(err.value)


def test_novelty_shapes_are_checked_from_the_header_before_the_array_is_read(monkeypatch):
    """A mean input of 2 million values (16 MB of zeros in a 16 kB file) is refused without being read."""
    from logreg.modelio import ModelFileError, load_model

    data = _model_with_novelty(novelty_mean_input=np.zeros((2_000_000, 1)))
    assert len(data) < 100_000
    read = []
    real = np.lib.npyio.NpzFile.__getitem__
    monkeypatch.setattr(np.lib.npyio.NpzFile, "__getitem__", lambda self, key: read.append(key) or real(self, key))
    with pytest.raises(ModelFileError, match=r"\(192, 1\)"):
        load_model(data)
    assert "w" in read and not any(k.startswith("novelty") for k in read), read


def test_a_hostile_novelty_file_on_the_classify_page_gives_a_clear_error():
    at = open_page("pages/classify.py")
    at.selectbox(key="model").set_value("a model file (.npz) from the Train page").run()
    data = _model_with_novelty(novelty_feature_std=np.array([1.0, np.inf, 1.0, 1.0, 1.0]))
    at.file_uploader(key="model_file").set_value(("odd.npz", data, "application/octet-stream")).run()
    assert not at.exception
    assert len(at.error) == 1 and "odd.npz" in shown(at.error[0].value)
    assert "statistics of its training pictures are not valid" in shown(at.error[0].value)
    assert not at.metric


def test_an_upload_name_is_plain_text_in_the_classify_chart_title():
    at = open_page("pages/classify.py")
    at.radio(key="source").set_value("upload").run()
    picture = hf.encode(Image.fromarray(np.pad(np.full((40, 8), 20, np.uint8), 20, constant_values=235)), "PNG")
    at.file_uploader(key="upload").set_value(("<a href='https://evil.example'>x</a>.png", picture, "image/png")).run()
    assert not at.exception and not at.error
    title = chart_spec(at, "stages_chart")["layout"]["title"]["text"]
    assert "&lt;a href" in title and "<a href" not in title

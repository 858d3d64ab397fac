"""Hostile containers: a deflate bomb inside an .h5, a model file whose scaling makes z infinite, a zip whose
central directory floods the parser. Every hostile file is built here, never stored; memory and CPU are measured
in a fresh process (tests/hostile_files.measure's child), under resource limits so a regression cannot take the
machine down with it."""

from __future__ import annotations

import io
import json
import re
import resource
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import h5py
import numpy as np
import pytest

from logreg import uploads
from tests import hostile_files as hf

ROOT = Path(__file__).resolve().parents[1]
#: Address space and CPU seconds the measured child may use: far above a refused or a normal read, far below
#: what would hurt the machine if a bomb were read in full.
CHILD_AS_BYTES = 3 * 1024**3
CHILD_CPU_S = 60


def _limits():
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_AS_BYTES, CHILD_AS_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_S, CHILD_CPU_S))


def measure(path: Path, kind: str) -> dict:
    """:func:`tests.hostile_files.measure`, with the launcher (and so the measured child) under rlimits."""
    launcher = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
    out = subprocess.run([sys.executable, "-c", launcher, sys.executable, "-c", hf._CHILD, str(ROOT), str(path), kind],
                         capture_output=True, text=True, cwd=ROOT, timeout=600, preexec_fn=_limits)
    assert out.returncode == 0, f"the measured process failed or was killed ({out.returncode}): {out.stderr[-800:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- .h5: no filter is read


def course_pair(m=6):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (m, 8, 8, 3), dtype=np.uint8), np.array([0, 1] * (m // 2))


def h5_of(prefix: str, filtered: str | None = None, **filters) -> bytes:
    """The course's three datasets (6 pictures of 8 x 8), the one named ``filtered`` stored with ``filters``."""
    x, y = course_pair()
    data = {f"{prefix}_x": x, f"{prefix}_y": y, "list_classes": np.array([b"non-cat", b"cat"])}
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for key, value in data.items():
            f.create_dataset(key, data=value, **(filters if key == filtered else {}))
    return buf.getvalue()


FILTERS = [
    ({"compression": "gzip"}, "gzip (deflate)"),
    ({"compression": "gzip", "shuffle": True, "fletcher32": True}, "shuffle, gzip (deflate), fletcher32"),
    ({"shuffle": True}, "shuffle"),
    ({"fletcher32": True}, "fletcher32"),
    ({"compression": "lzf"}, "lzf"),
]


@pytest.mark.parametrize("key", ["train_set_x", "train_set_y", "list_classes"])
@pytest.mark.parametrize("filters, named", FILTERS, ids=[n for _, n in FILTERS])
def test_h5_dataset_stored_with_any_filter_is_refused_with_a_message(key, filters, named):
    good = h5_of("test_set")
    with pytest.raises(ValueError, match=rf"the train file: '{key}' is stored compressed or filtered \({re.escape(named)}\); "
                                         r"compressed datasets are not read .* save with h5py without compression="):
        uploads.load_cat_h5(h5_of("train_set", key, **filters), good)


def test_h5_uncompressed_chunked_and_contiguous_files_still_load():
    x, y = course_pair()
    for layout in ({}, {"chunks": (1, 8, 8, 3)}, {"chunks": True}):
        data = h5_of("train_set", "train_set_x", **layout)
        xtr, ytr, *_ = uploads.load_cat_h5(data, h5_of("test_set"))
        np.testing.assert_array_equal(xtr, x)
        np.testing.assert_array_equal(ytr[0], y)


def deflate_bomb(inflated: int) -> bytes:
    """A deflate stream of ``inflated`` zero bytes (~230 times smaller at level 1; ~1,000 at level 9, slower)."""
    c, block, out = zlib.compressobj(1), bytes(16 << 20), []
    for start in range(0, inflated, len(block)):
        out.append(c.compress(block[:min(len(block), inflated - start)]))
    return b"".join(out) + c.flush()


def bomb_h5(inflated: int) -> bytes:
    """The course's schema, 209 + 50 pictures in gzip chunks of one picture (12 kB each), train and test in one
    file; the first chunk's stored bytes replaced by a deflate stream of ``inflated`` bytes. Every declared size
    (shape, chunk, chunk count) is the course's own; HDF5's deflate filter grows its output until the stream ends."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for prefix, m in (("train_set", 209), ("test_set", 50)):
            d = f.create_dataset(f"{prefix}_x", shape=(m, 64, 64, 3), dtype="u1", chunks=(1, 64, 64, 3),
                                 compression="gzip")
            d[...] = np.full(d.shape, 7, np.uint8)  # (a scalar here is written value by value: ~70 s)
            f[f"{prefix}_y"] = np.arange(m) % 2
        f["list_classes"] = np.array([b"non-cat", b"cat"])
        f["train_set_x"].id.write_direct_chunk((0, 0, 0, 0), deflate_bomb(inflated))
    return buf.getvalue()


def test_h5_deflate_bomb_is_refused_for_what_a_normal_read_costs(tmp_path):
    # review: a 4.2 MB file whose one 12 kB chunk inflated to 1 GiB peaked at 1,122 MB and 8 s and was accepted;
    # 3 GiB hit a 5 GB rlimit. 256 MiB here: unrefused, ~+260 MB and ~1 s over a normal read
    bomb = bomb_h5(256 << 20)
    assert len(bomb) < 2_000_000
    (tmp_path / "bomb.h5").write_bytes(bomb)
    (tmp_path / "normal.h5").write_bytes(hf.course_h5())  # the course's 209 + 50 pictures, uncompressed
    normal, r = measure(tmp_path / "normal.h5", "h5"), measure(tmp_path / "bomb.h5", "h5")
    assert normal["outcome"] == "read (209, 64, 64, 3) and (50, 64, 64, 3)", normal
    assert r["outcome"] == "refused" and "is stored compressed or filtered (gzip (deflate))" in r["reasons"][0], r
    assert r["peak_mb"] <= normal["peak_mb"], (r, normal)
    assert r["cpu_s"] <= 2 * normal["cpu_s"] + 0.25, (r, normal)  # slack for a shared machine; the peak is the test


def test_a_compressed_h5_on_the_train_page_says_why_and_the_page_keeps_working():
    from tests.app.conftest import open_page, shown

    at = open_page("pages/train.py", {"data": "cats"})
    bomb = bomb_h5(1 << 20)  # the refusal comes before any chunk is read, whatever it inflates to
    at.file_uploader(key="cat_train").set_value(("train_catvnoncat.h5", bomb, "application/x-hdf5"))
    at.file_uploader(key="cat_test").set_value(("test_catvnoncat.h5", bomb, "application/x-hdf5")).run(timeout=60)
    assert not at.exception
    errors = " ".join(shown(e.value) for e in at.error)
    assert "'train_set_x' is stored compressed or filtered (gzip (deflate)); compressed datasets are not read" in errors
    good = hf.course_h5(20, 4)
    at.file_uploader(key="cat_train").set_value(("train_catvnoncat.h5", good, "application/x-hdf5"))
    at.file_uploader(key="cat_test").set_value(("test_catvnoncat.h5", good, "application/x-hdf5")).run(timeout=60)
    assert not at.exception and not at.error


# --------------------------------------------------------------------------- model files: z is always finite


def model_arrays(w, b=0.0, **kw) -> dict:
    """The arrays of a model file saved here, to be changed and packed again by :func:`npz`."""
    from logreg.modelio import save_model

    data = save_model(w, b, **{"image_size": 2, "channels": 1, "class_names": ("a", "b"), **kw})
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def npz(arrays: dict) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


@pytest.mark.parametrize("scaling", [1e-310, 1e-300, 1.0, 254.0, 256.0, 1e300])
def test_a_model_file_with_another_scaling_is_refused_with_a_message(scaling):
    # review: scaling = 1e-310 (finite, > 0) made x = 255 / 1e-310 = inf, so z = inf and y_hat = 1.0, or
    # "z contains NaN" (blamed on the picture) with weights of both signs
    from logreg.modelio import ModelFileError, load_model

    a = model_arrays(np.array([[1e8], [-1e8], [0.0], [1.0]]))
    a["scaling"] = np.array(scaling)
    with pytest.raises(ModelFileError, match=rf"scaling must be 255.0 .*got {re.escape(repr(scaling))}"):
        load_model(npz(a))


@pytest.mark.parametrize("scaling", [1e-310, 0.5, 254.0])
def test_a_model_with_another_scaling_is_not_saved(scaling):
    from logreg.modelio import save_model

    with pytest.raises(ValueError, match=r"scaling must be 255.0 \(pixels 0..255 divided by 255"):
        save_model(np.ones((4, 1)), 0.0, image_size=2, channels=1, scaling=scaling, class_names=("a", "b"))


def test_no_model_file_that_loads_gives_a_non_finite_z():
    # the largest model a file may hold (512 x 512 x 3 weights), every weight and b at the cap, each sign
    from logreg.inference import classify_image
    from logreg.modelio import MAX_ABS_PARAM, MAX_IMAGE_SIZE, load_model, save_model

    n_x = MAX_IMAGE_SIZE * MAX_IMAGE_SIZE * 3
    white, black = np.full((64, 64, 3), 255, np.uint8), np.zeros((64, 64, 3), np.uint8)
    for sign in (1.0, -1.0):
        m = load_model(save_model(np.full((n_x, 1), sign * MAX_ABS_PARAM), sign * MAX_ABS_PARAM,
                                  image_size=MAX_IMAGE_SIZE, channels=3))
        for img in (white, black):
            r = classify_image(m, img)
            assert np.isfinite(r.z) and abs(r.z) <= (n_x + 1) * MAX_ABS_PARAM and 0.0 <= r.y_hat <= 1.0
    m = load_model(npz(model_arrays(np.array([[1e8], [-1e8], [0.0], [1.0]]))))  # the review's NaN weights
    r = classify_image(m, np.full((10, 10, 3), 200, np.uint8))
    assert np.isfinite(r.z) and np.isfinite(r.contributions).all()


def test_a_model_file_with_a_tiny_scaling_on_the_classify_page_gives_a_clear_error():
    # review: the page showed z = inf, or blamed the picture for "z contains NaN"
    from tests.app.conftest import open_page, shown

    a = model_arrays(np.array([[1e8], [-1e8], [0.0], [1.0]]))
    a["scaling"] = np.array(1e-310)
    at = open_page("pages/classify.py")
    at.selectbox(key="model").set_value("a model file (.npz) from the Train page").run()
    at.file_uploader(key="model_file").set_value(("tiny.npz", npz(a), "application/octet-stream")).run()
    assert not at.exception
    assert len(at.error) == 1 and "tiny.npz" in shown(at.error[0].value)
    assert "scaling must be 255.0" in shown(at.error[0].value)
    assert not at.metric


# --------------------------------------------------------------------------- zips: entries counted before parsing

_NAME = b"a.png"
_LOCAL = struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, len(_NAME), 0) + _NAME
_RECORD = struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, 0, 0, 0, len(_NAME), 0, 0, 0, 0, 0, 0) + _NAME


def end_records(entries: int, cd_size: int, cd_offset: int, *, zip64=False, comment=b"") -> bytes:
    """The end-of-central-directory record for a directory of ``cd_size`` bytes at ``cd_offset`` (and, with
    ``zip64``, the ZIP64 end record and locator before it, the classic record holding only 0xFFFF...)."""
    if not zip64:
        return struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, min(entries, 0xFFFF), min(entries, 0xFFFF), cd_size,
                           cd_offset, len(comment)) + comment
    at = cd_offset + cd_size
    return (struct.pack("<4sQ2H2I4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, cd_size, cd_offset)
            + struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
            + struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, len(comment))
            + comment)


def cd_flood(records: int, *, declared=None, zip64=False, comment=b"", prefix=b"") -> bytes:
    """One empty local entry and ``records`` central-directory records all pointing at it (47 bytes each:
    106,000 in 4.98 MB); ``declared`` is the entry count the end record states (zipfile ignores it)."""
    declared = records if declared is None else declared
    return prefix + _LOCAL + _RECORD * records + end_records(declared, len(_RECORD) * records, len(_LOCAL),
                                                             zip64=zip64, comment=comment)


def as_zip64(data: bytes) -> bytes:
    """A comment-less zip with its end record replaced by ZIP64 end records, as some zip tools write them."""
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4s4H2IH", data[-22:])
    return data[:-22] + end_records(entries, cd_size, cd_offset, zip64=True)


FLOODS = {
    "plain": {},
    "end record says 1 entry": {"declared": 1},
    "with a comment": {"comment": b"hello" * 100},
    "ZIP64 end records": {"zip64": True},
    "after 1 kB of other data": {"prefix": bytes(1000)},
}


@pytest.fixture
def zipfiles_built(monkeypatch):
    """Every zipfile.ZipFile built while the test runs (a flood must be refused before the first one)."""
    built = []
    real = zipfile.ZipFile.__init__

    def init(self, *args, **kw):
        built.append(args[0] if args else kw.get("file"))
        real(self, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", init)
    return built


@pytest.mark.parametrize("case", list(FLOODS))
def test_a_class_zip_with_a_flooded_central_directory_is_refused_before_it_is_parsed(case, zipfiles_built):
    # review: 106,000 records in 4.98 MB: +43 MB and 1.0 s building ZipInfos, then refused for the entry count
    from logreg import images

    data = cd_flood(106_000, **FLOODS[case])
    assert zipfile.ZipFile(io.BytesIO(data)).infolist().__len__() == 106_000  # what zipfile itself would build
    zipfiles_built.clear()
    with pytest.raises(images.ImageError, match=r"the zip holds (more than 2000|\d+) entries; at most 2000 are "):
        images.load_class_zip(data)
    assert zipfiles_built == []  # the refusal came before the directory was parsed


@pytest.mark.parametrize("case", [c for c in FLOODS if "other data" not in c])  # a model file starts with PK
def test_a_model_file_with_a_flooded_central_directory_is_refused_for_its_entries(case, zipfiles_built):
    # review: the same flood as a model file was refused as "unpacks to too much data", after the parse
    from logreg.modelio import ModelFileError, load_model

    data = cd_flood(106_000, **FLOODS[case])
    with pytest.raises(ModelFileError, match=r"the model file holds more than 50 entries \(a model saved here "
                                             r"holds at most 14\)"):
        load_model(data)
    assert zipfiles_built == []


def test_entries_are_counted_exactly_on_real_zips_and_zip64_ends_are_read():
    from logreg import images
    from logreg.filewalk import zip_entries
    from logreg.modelio import ModelFileError, load_model, save_model

    pic = hf.encode(PIL_image(), "PNG")
    data = hf.zip_of(pic, 6)
    for variant in (data, as_zip64(data)):
        assert [zip_entries(variant, limit) for limit in (0, 5, 6, 100)] == [1, 6, 6, 6]
        assert images.load_class_zip(variant, size=8, max_members=6).X.shape[0] == 6
        with pytest.raises(images.ImageError, match="more than 5 entries"):
            images.load_class_zip(variant, size=8, max_members=5)
    model = save_model(np.zeros((4, 1)), 0.0, image_size=2, channels=1)
    assert load_model(as_zip64(model)).n_x == 4
    with np.load(io.BytesIO(model), allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    padded = io.BytesIO()
    np.savez(padded, **arrays, **{f"pad{k}": np.zeros(1) for k in range(51 - len(arrays))})
    assert zip_entries(padded.getvalue(), 50) == 51
    with pytest.raises(ModelFileError, match="more than 50 entries"):
        load_model(padded.getvalue())
    assert [zip_entries(b, 10) for b in (b"", b"PK\x05\x06", b"not a zip" * 10, cd_flood(3)[:-22])] == [0, 0, 0, 0]


def PIL_image():
    from PIL import Image

    return Image.new("RGB", (8, 8), (200, 30, 0))


def test_a_flooded_zip_is_refused_for_what_reading_a_normal_zip_costs(tmp_path):
    (tmp_path / "flood.zip").write_bytes(cd_flood(106_000))
    (tmp_path / "normal.zip").write_bytes(hf.zip_of(hf.encode(PIL_image(), "PNG"), 6))
    normal, r = measure(tmp_path / "normal.zip", "zip"), measure(tmp_path / "flood.zip", "zip")
    assert normal["outcome"] == "6 pictures, 0 skipped", normal
    assert r["outcome"] == "refused" and "entries; at most 2000 are accepted" in r["reasons"][0], r
    assert r["peak_mb"] - r["import_mb"] <= 2, r  # over the process with the file's bytes read; unrefused: +43 MB
    assert r["cpu_s"] <= 2 * normal["cpu_s"] + 0.3, (r, normal)  # unrefused: 1.0 s (slack for a shared machine)

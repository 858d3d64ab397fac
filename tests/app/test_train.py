"""AppTest for the Train page: every data source, training, the comparison, results, export/import, bad input."""

from __future__ import annotations

import io
import zipfile

import h5py
import numpy as np
import pytest
from PIL import Image

from logreg.modelio import load_model, save_model

from .conftest import chart_spec, listings, open_page, shelved, shown, title_of, values

PAGE = "pages/train.py"


# --------------------------------------------------------------------------- data made by the tests


def picture(kind: int, k: int, size=40) -> np.ndarray:
    """Class 1: a bright disc on dark; class 0: a dark disc on bright; jittered per k. RGB uint8."""
    rng = np.random.default_rng(k)
    yy, xx = np.mgrid[0:size, 0:size]
    cy, cx = size / 2 + rng.integers(-3, 4, 2)
    disc = (yy - cy) ** 2 + (xx - cx) ** 2 < (size / 3) ** 2
    fg, bg = (230, 40) if kind == 1 else (40, 230)
    img = np.where(disc[..., None], fg, bg) + rng.integers(-20, 21, (size, size, 3))
    img[..., k % 3] = np.clip(img[..., k % 3] + 15, 0, 255)
    return np.clip(img, 0, 255).astype(np.uint8)


def png(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="PNG")
    return buf.getvalue()


def jpeg(img: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, format="JPEG", quality=92)
    return buf.getvalue()


def class_zip(n=8, *, folders=("cats", "not_cats"), broken=True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for label, folder in zip((1, 0), folders, strict=False):
            for k in range(n):
                zf.writestr(f"{folder}/{k}.png", png(picture(label, k + 10 * label, size=30 + k)))
        if broken:
            zf.writestr(f"{folders[0]}/broken.jpg", b"\xff\xd8\xff\xe0 not a jpeg at all")
            zf.writestr("__MACOSX/._x.png", b"resource fork")
    return buf.getvalue()


def cat_h5(m: int, prefix: str, *, seed=0, keys=None, classes=True) -> bytes:
    """A file with the course's schema: {prefix}_x (m, 64, 64, 3) uint8, {prefix}_y (m,), list_classes."""
    y = np.arange(m) % 2
    x = np.stack([picture(int(label), seed * 100 + k, size=64) for k, label in enumerate(y)])
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        data = {f"{prefix}_x": x, f"{prefix}_y": y.astype(np.int64)}
        for name, arr in data.items():
            if keys is None or name in keys:
                f.create_dataset(name, data=arr)
        if classes:
            f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return buf.getvalue()


def upload(at, key, files):
    at.file_uploader(key=key).set_value(files)
    return at.run(timeout=60)


def train(at, **settings):
    for key, value in settings.items():
        widget = at.select_slider(key=key) if key == "alpha" else at.number_input(key=key)
        widget.set_value(value)
    at.button(key="train").click().run(timeout=120)
    assert not at.exception, at.exception
    return at


def metric(at, label) -> float:
    [m] = [m for m in at.metric if m.label == label]
    return float(m.value.rstrip(" %"))


def texts(elements) -> str:
    return "\n".join(shown(e.value) for e in elements)


# --------------------------------------------------------------------------- digits (the default source)


def test_default_digits_show_samples_shapes_and_balance():
    at = open_page(PAGE)
    assert at.radio(key="data").value == "digits"
    assert "3 vs not 3" in texts(at.markdown)
    assert any("X_\\text{train}: (784,\\ 800)" in x.value for x in at.latex)
    assert "| a digit other than 3 (label 0) | 400 | 100 |" in texts(at.markdown)  # name and label together
    assert "| digit 3 (label 1) | 400 | 100 |" in texts(at.markdown)
    assert len(at.get("image")[0].proto.imgs) == 16  # the sample grid
    assert "Press **Train**" in texts(at.info)


def test_training_draws_the_cost_curve_accuracy_and_the_weights():
    at = train(open_page(PAGE), iters=300, alpha=0.05)
    spec = chart_spec(at, "cost_chart")
    costs = values(spec["data"][0]["y"])
    assert costs[0] == pytest.approx(np.log(2))  # zero start: every ŷ = 0.5
    assert costs[-1] < 0.5 * costs[0] and np.all(np.isfinite(costs))
    assert "300 iterations" in title_of(spec)
    assert metric(at, "train accuracy") > 90 and metric(at, "test accuracy") > 85
    C = np.array(values(chart_spec(at, "confusion_chart")["data"][0]["z"])).reshape(2, 2)
    assert C.sum() == 200  # the test set: 100 + 100
    w_spec = chart_spec(at, "weights_chart")
    assert values(w_spec["data"][0]["z"]).shape == (28, 28)
    assert "**Converging** — The cost fell" in texts(at.success)
    # the model is this session's, for the classify page, with its test examples
    [(name, entry)] = shelved(at).items()
    mf = entry.model
    assert "3 vs not 3" in name and mf.preprocessing == "mnist" and mf.w.shape == (784, 1)
    assert entry.images.shape == (200, 28, 28) and entry.labels.shape == (200,)  # its test pictures go with it
    assert len(at.get("download_button")) == 2


def test_threshold_changes_the_accuracy_without_retraining():
    at = train(open_page(PAGE), iters=200, alpha=0.5)
    before = metric(at, "train accuracy")
    w_before = at.session_state["train_run"]["result"].w.copy()
    at.slider(key="train_threshold").set_value(0.99).run()
    assert metric(at, "train accuracy") < before  # most 3s are no longer called 3 at 0.99
    C = np.array(values(chart_spec(at, "confusion_chart")["data"][0]["z"])).reshape(2, 2)
    assert C[1, 1] < C[1, 0] + C[1, 1]  # positives missed now
    np.testing.assert_array_equal(at.session_state["train_run"]["result"].w, w_before)


def test_a_few_saturated_examples_are_counted_not_rounded_to_zero_percent():
    # review C.8: α = 0.1 on the default digits saturates 1 training example of 800, shown as "0%"
    at = train(open_page(PAGE), iters=2000, alpha=0.1)
    sat = at.session_state["train_run"]["result"].diagnosis.saturated_fraction
    n = round(sat * 800)
    assert 0 < sat < 0.005 and n >= 1  # a fraction ":.0%" shows as 0%
    assert f"Saturated (|z| > 15): {n} of 800 training examples." in texts(at.markdown)
    assert "0% of training examples" not in texts(at.markdown)


def test_learning_rate_comparison_overlays_one_curve_per_rate():
    at = open_page(PAGE)
    at.number_input(key="cmp_iters").set_value(300)
    at.button(key="compare").click().run(timeout=120)
    assert not at.exception
    spec = chart_spec(at, "compare_chart")
    assert [t["name"] for t in spec["data"]] == ["α = 0.01", "α = 0.001", "α = 0.0001"]
    finals = [values(t["y"])[-1] for t in spec["data"]]
    assert finals[0] < finals[1] < finals[2]  # larger rates fall further in the same number of steps
    assert len(chart_spec(at, "compare_acc_chart")["data"]) == 2  # train and test bars
    table = texts(at.markdown)
    assert "| 0.01 |" in table and "| 0.0001 |" in table
    # a different choice of rates gives a different overlay
    at.multiselect(key="rates").set_value([0.5, 0.05]).run()
    at.button(key="compare").click().run(timeout=120)
    assert [t["name"] for t in chart_spec(at, "compare_chart")["data"]] == ["α = 0.5", "α = 0.05"]


def test_changing_the_data_marks_the_old_run_stale():
    at = train(open_page(PAGE), iters=50)
    at.selectbox(key="positive").set_value(7).run()
    assert "Your last run was on **3 vs not 3 (digits)**" in texts(at.info)
    assert not [m for m in at.metric]
    at.multiselect(key="negatives").set_value([7]).run()
    assert "cannot also be a negative" in texts(at.error)
    assert not at.exception


def test_a_large_learning_rate_is_explained_not_hidden():
    at = train(open_page(PAGE, {"per_class": "60"}), iters=400, alpha=100.0)
    spec = chart_spec(at, "cost_chart")
    assert np.all(np.isfinite(values(spec["data"][0]["y"])))  # NaN is impossible: the cost comes from z
    said = texts(at.success) + texts(at.warning) + texts(at.error)
    assert "The first steps overshot: J went up" in said  # these 120 digits are separable: it settles at J ≈ 0


def test_url_opens_the_page_in_a_shared_state():
    at = open_page(PAGE, {"data": "toy", "toy": "xor", "points": "120", "alpha": "0.5", "iters": "500"})
    assert at.radio(key="data").value == "toy"
    assert at.radio(key="toy").value == "xor"
    assert at.slider(key="points").value == 120
    assert at.select_slider(key="alpha").value == 0.5
    assert at.number_input(key="iters").value == 500
    assert "xor, 120 points" in title_of(chart_spec(at, "points_chart"))


# --------------------------------------------------------------------------- 2-D toy sets


def test_toy_sets_show_the_boundary_and_its_limits():
    at = open_page(PAGE, {"data": "toy", "toy": "blobs", "noise": "0.5"})
    train(at, iters=500, alpha=0.5)
    blobs = metric(at, "test accuracy")
    spec = chart_spec(at, "boundary_chart")
    heat = [t for t in spec["data"] if t["type"] == "heatmap"][0]
    P = values(heat["z"])
    assert P.min() < 0.05 and P.max() > 0.95
    [line] = [t for t in spec["data"] if t.get("name") == "wᵀx + b = 0"]
    w = at.session_state["train_run"]["result"].w.ravel()
    b = at.session_state["train_run"]["result"].b
    x1, x2 = values(line["x"]), values(line["y"])
    np.testing.assert_allclose(w[0] * x1 + w[1] * x2 + b, 0, atol=1e-9)  # the drawn line is wᵀx + b = 0
    assert blobs > 90
    at.radio(key="toy").set_value("xor").run()
    train(at, iters=500, alpha=0.5)
    assert metric(at, "test accuracy") < 80  # no line separates XOR
    assert "2-D models are" in texts(at.markdown)  # no picture model file for points
    assert not shelved(at)


# --------------------------------------------------------------------------- the course's cat files


def test_course_h5_files_train_export_and_import_round_trip():
    at = open_page(PAGE, {"data": "cats"})
    assert "Both files are needed" in texts(at.info)
    at.file_uploader(key="cat_train").set_value(("train_catvnoncat.h5", cat_h5(24, "train_set", seed=1),
                                                 "application/x-hdf5"))
    at = upload(at, "cat_test", ("test_catvnoncat.h5", cat_h5(10, "test_set", seed=2), "application/x-hdf5"))
    assert not at.exception and not at.error
    assert any("(12288,\\ 24)" in x.value for x in at.latex)
    assert "cat vs non-cat" in texts(at.markdown)
    train(at, iters=200, alpha=0.005)
    assert metric(at, "test accuracy") == 100.0  # bright vs dark discs: easy
    assert values(chart_spec(at, "weights_chart")["data"][0]["z"]).shape == (64, 64)
    assert len(chart_spec(at, "weights_chart")["data"]) == 3  # one panel per channel
    chart_spec(at, "rgb_weights_chart")
    # the model the page hands to the classify page is exactly the trained one, with its preprocessing
    [mf] = [e.model for e in shelved(at).values()]
    result = at.session_state["train_run"]["result"]
    np.testing.assert_array_equal(mf.w, result.w)
    assert (mf.image_size, mf.channels, mf.preprocessing, mf.class_names) == (64, 3, "resize", ("non-cat", "cat"))
    # import: a model file uploaded here joins this session's list
    data = save_model(result.w, result.b, image_size=64, channels=3, class_names=("non-cat", "cat"))
    at = upload(at, "import_model", ("cats_model.npz", data, "application/octet-stream"))
    assert "uploaded: cats_model.npz" in shelved(at)
    assert "Loaded **cats_model.npz**" in texts(at.success)


def test_wrong_h5_schema_names_the_missing_key_and_the_page_keeps_working():
    at = open_page(PAGE, {"data": "cats"})
    at.file_uploader(key="cat_train").set_value(("train.h5", cat_h5(6, "train_set", keys={"train_set_x"}),
                                                 "application/x-hdf5"))
    at = upload(at, "cat_test", ("test.h5", cat_h5(4, "test_set"), "application/x-hdf5"))
    assert "train_set_y" in texts(at.error)
    assert not at.exception
    at = upload(at, "cat_train", ("train.h5", b"this is not hdf5", "application/x-hdf5"))
    assert "HDF5" in texts(at.error)
    at.radio(key="data").set_value("digits").run()
    assert not at.exception and not at.error and "3 vs not 3" in texts(at.markdown)


def blank_h5(m: int, prefix: str) -> bytes:
    """The course's schema with m blank pictures in chunks never written (read as the fill value): 1000 pictures in
    a few kB (review C.3 did it with gzip, which is now refused)."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset(f"{prefix}_x", shape=(m, 64, 64, 3), dtype="u1", chunks=(min(m, 100), 64, 64, 3))
        f.create_dataset(f"{prefix}_y", data=np.arange(m) % 2)
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return buf.getvalue()


def test_cat_files_hold_at_most_what_a_zip_may_give_and_the_session_keeps_one_set():
    # review C.3: two 28 kB files of 1000 blank pictures became a 221 MB set, and the memo kept three
    at = open_page(PAGE, {"data": "cats"})
    big = blank_h5(1000, "train_set")
    assert len(big) < 40_000
    at.file_uploader(key="cat_train").set_value(("train.h5", big, "application/x-hdf5"))
    at = upload(at, "cat_test", ("test.h5", blank_h5(50, "test_set"), "application/x-hdf5"))
    assert not at.exception
    assert "1000 examples; at most 600 are accepted" in texts(at.error)  # from the declared shape, before reading
    at = upload(at, "cat_train", ("train.h5", blank_h5(560, "train_set"), "application/x-hdf5"))
    assert "560 + 50 pictures; at most 600 in all" in texts(at.error)  # before any float copy
    sets = []
    for m in (24, 20):  # two good pairs, one after the other
        at = upload(at, "cat_train", ("train.h5", cat_h5(m, "train_set", seed=m), "application/x-hdf5"))
        assert not at.exception and not at.error
        sets.append(at.session_state["_train_sets"])
    assert len(sets[-1]) == 1  # only the set in use is kept
    [(ok, ts)] = sets[-1].values()
    assert ok and ts.X_train.shape == (12288, 20) and ts.X_train.dtype == np.float32


def test_h5_with_a_time_type_gives_an_error_not_a_traceback():
    from h5py import h5d, h5s, h5t

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f["train_set_x"] = np.zeros((4, 64, 64, 3), np.uint8)
        h5d.create(f.id, b"train_set_y", h5t.UNIX_D32LE.copy(), h5s.create_simple((4,)))
        f["list_classes"] = np.array([b"non-cat", b"cat"])
    at = open_page(PAGE, {"data": "cats"})
    at.file_uploader(key="cat_train").set_value(("train.h5", buf.getvalue(), "application/x-hdf5"))
    at = upload(at, "cat_test", ("test.h5", cat_h5(4, "test_set"), "application/x-hdf5"))
    assert not at.exception
    assert "'train_set_y' holds an HDF5 data type this app cannot read" in texts(at.error)
    at.run()  # the next rerun too (the error is remembered, not raised again)
    assert not at.exception and len(at.error) == 1


def big_h5(m: int, prefix: str, side: int) -> bytes:
    x = np.zeros((m, side, side, 3), np.uint8)
    x[1::2] = 200
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset(f"{prefix}_x", data=x, chunks=(1, side, side, 3))
        f.create_dataset(f"{prefix}_y", data=np.arange(m) % 2)
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return buf.getvalue()


def test_cat_pictures_larger_than_a_model_file_holds_are_refused_when_read():
    # review C.5: 520 x 520 pictures trained, then saving the model raised an uncaught ValueError
    from logreg import training, uploads

    with pytest.raises(ValueError, match="pictures of 520 x 520; at most 512 x 512"):
        uploads.load_cat_h5(big_h5(4, "train_set", 520), big_h5(2, "test_set", 520))
    with pytest.raises(ValueError, match="520 x 520; at most 512 x 512"):
        training.from_cat_h5(np.zeros((4, 520, 520, 3), np.uint8), [0, 1, 0, 1], np.zeros((2, 520, 520, 3), np.uint8),
                             [0, 1], [b"non-cat", b"cat"])
    at = open_page(PAGE, {"data": "cats"})
    at.file_uploader(key="cat_train").set_value(("train.h5", big_h5(4, "train_set", 520), "application/x-hdf5"))
    at = upload(at, "cat_test", ("test.h5", big_h5(2, "test_set", 520), "application/x-hdf5"))
    assert not at.exception and "at most 512 x 512" in texts(at.error)
    at = upload(at, "cat_train", ("train.h5", big_h5(4, "train_set", 512), "application/x-hdf5"))
    at = upload(at, "cat_test", ("test.h5", big_h5(2, "test_set", 512), "application/x-hdf5"))
    assert not at.exception and not at.error  # 512 is the largest a model file holds
    train(at, iters=5)
    assert not at.exception and len(shelved(at)) == 1


def _train_a_model_no_file_can_hold():
    import numpy as np
    import streamlit as st

    from logreg import training
    from ui import train_run
    from ui.train_sources import Source

    X = np.zeros((4, 520, 520, 3), np.uint8)
    X[1::2] = 200
    ts = training.from_image_array(X, np.array([[0, 1, 0, 1]]), ("a", "b"), test_fraction=0.5)
    st.session_state["ok"] = train_run.train_now(Source(ts, ("test",), "own"), train_run.Settings(0.01, 2, "zeros", 0))


def test_a_model_the_file_format_refuses_is_trained_with_a_warning_not_a_traceback():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_train_a_model_no_file_can_hold, default_timeout=60).run()
    assert not at.exception
    assert at.session_state["ok"] and at.session_state["train_run"]["result"].w.shape == (520 * 520 * 3, 1)
    assert "cannot be saved as a file" in texts(at.warning) and "image_size must lie in 1..512" in texts(at.warning)
    assert not shelved(at)


# --------------------------------------------------------------------------- your own classes


def test_zip_of_class_folders_trains_and_lists_skipped_files():
    at = open_page(PAGE, {"data": "own", "own_mode": "zip", "size": "16"})
    at = upload(at, "zip", ("pets.zip", class_zip(8), "application/zip"))
    assert not at.exception and not at.error
    assert "broken.jpg" in texts(at.markdown)  # listed as skipped
    assert "cats vs not_cats (pets.zip)" in texts(at.markdown)
    assert any("(768,\\ 12)" in x.value for x in at.latex)  # 16·16·3 features, 12 of 16 pictures to train
    train(at, iters=200, alpha=0.05)
    assert metric(at, "test accuracy") == 100.0
    [mf] = [e.model for e in shelved(at).values()]
    assert (mf.image_size, mf.channels, mf.class_names) == (16, 3, ("not_cats", "cats"))


def zip_of(members: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data,expected", [
    (class_zip(4, folders=("cats",), broken=False), "exactly two class folders"),
    (zip_of({"cats/a.png": b"broken", "dogs/b.jpg": b"also broken"}), "has no readable images"),
    (zip_of({"readme.txt": b"no folders here"}), "no class folders"),
    (b"PK\x03\x04 truncated", "not a zip"),
    (b"", "empty"),
])
def test_bad_zips_get_a_clear_message(data, expected):
    at = open_page(PAGE, {"data": "own", "own_mode": "zip"})
    at = upload(at, "zip", ("bad.zip", data, "application/zip"))
    assert expected in texts(at.error)
    assert not at.exception


def test_a_zip_with_too_many_files_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k in range(2001):
            zf.writestr(f"a/{k}.png", b"")
    at = open_page(PAGE, {"data": "own", "own_mode": "zip"})
    at = upload(at, "zip", ("many.zip", buf.getvalue(), "application/zip"))
    assert "at most 2000" in texts(at.error)
    assert not at.exception


def test_a_zip_bomb_member_is_skipped_by_its_unpacked_size():
    members = {f"{c}/{k}.png": png(picture(int(c == "cats"), k, size=20)) for c in ("cats", "dogs") for k in range(3)}
    members["cats/bomb.png"] = bytes(11 * 1024 * 1024)  # 11 MB of zeros, ~11 kB compressed
    data = zip_of(members)
    assert len(data) < 100_000
    at = open_page(PAGE, {"data": "own", "own_mode": "zip", "size": "16"})
    at = upload(at, "zip", ("bomb.zip", data, "application/zip"))
    assert "bomb.png" in texts(at.markdown) and "larger than" in texts(at.markdown)
    assert not at.exception and not at.error


def test_uploads_per_class_resize_mixed_sizes_in_grey_and_skip_broken_files():
    at = open_page(PAGE, {"data": "own", "own_mode": "upload", "size": "24", "colour": "grey"})
    at.text_input(key="name_0").set_value("dark disc")
    at.text_input(key="name_1").set_value("bright disc")
    at.file_uploader(key="up_0").set_value([(f"d{k}.png", png(picture(0, k, size=20 + 7 * k)), "image/png")
                                           for k in range(5)] + [("bad.png", b"not a picture", "image/png")])
    at = upload(at, "up_1", [(f"b{k}.jpg", jpeg(picture(1, 50 + k, size=60)), "image/jpeg") for k in range(5)])
    assert not at.exception
    assert "bad.png" in texts(at.markdown)
    assert any("(576,\\ 8)" in x.value for x in at.latex)  # 24·24·1 features; 4 + 4 of 5 + 5 to train
    train(at, iters=300, alpha=0.1)
    assert metric(at, "test accuracy") == 100.0
    assert len(chart_spec(at, "weights_chart")["data"]) == 1  # one grey panel


def test_webcam_snapshots_per_class_with_remove_then_train():
    at = open_page(PAGE, {"data": "own", "own_mode": "webcam", "size": "16"})
    assert "at least 2 snapshots of each class" in texts(at.info)
    for k in range(4):
        at.camera_input(key="snap_camera").upload("shot.jpg", jpeg(picture(0, k, size=80))).run()
    at.radio(key="snap_class").set_value(1).run()
    for k in range(4):
        at.camera_input(key="snap_camera").upload("shot.jpg", jpeg(picture(1, 20 + k, size=80))).run()
    assert not at.exception
    shots = at.session_state["snapshots"]
    assert (len(shots[0]), len(shots[1])) == (4, 4)
    assert "**0 · not me**: 4 snapshot(s)" in texts(at.markdown)
    # a bad shot is removed with its ✕
    rm = [b for b in at.button if b.key and b.key.startswith("rm_1_")]
    rm[0].click().run()
    assert len(at.session_state["snapshots"][1]) == 3
    assert "**1 · me**: 3 snapshot(s)" in texts(at.markdown)
    train(at, iters=200, alpha=0.1)
    assert metric(at, "test accuracy") == 100.0
    [mf] = [e.model for e in shelved(at).values()]
    assert mf.class_names == ("not me", "me") and mf.image_size == 16


def test_webcam_needs_two_different_names_and_survives_a_broken_snapshot():
    at = open_page(PAGE, {"data": "own", "own_mode": "webcam"})
    at.text_input(key="name_1").set_value("not me").run()
    assert "two different, non-empty names" in texts(at.error)
    at.text_input(key="name_1").set_value("me").run()
    at.camera_input(key="snap_camera").upload("shot.jpg", b"\xff\xd8\xff\xe0 broken").run()
    assert "Could not read the snapshot" in texts(at.error)
    assert not at.exception and not at.session_state["snapshots"][0]


# --------------------------------------------------------------------------- model files and sessions


@pytest.mark.parametrize("name,data,expected", [
    ("x.npz", b"not a zip at all", "not a model file from this app"),
    ("pickle.npz", None, "not a model file from this app"),
])
def test_importing_a_file_that_is_not_ours_is_refused(name, data, expected):
    if data is None:  # a real .npz, but of something else (and with an object array that needs pickle)
        buf = io.BytesIO()
        np.savez(buf, w=np.zeros((3, 1)), obj=np.array([{"a": 1}], dtype=object))
        data = buf.getvalue()
    at = train(open_page(PAGE), iters=20)
    at = upload(at, "import_model", (name, data, "application/octet-stream"))
    assert expected in texts(at.error)
    assert not at.exception
    assert shelved(at) and not any(n.startswith("uploaded") for n in shelved(at))
    assert metric(at, "train accuracy") > 50  # the trained run is still there


def test_two_sessions_never_see_each_others_model():
    a = train(open_page(PAGE), iters=20)
    b = open_page(PAGE)
    assert shelved(a)
    assert not shelved(b)
    assert "Press **Train**" in texts(b.info)


def _count_trainings(monkeypatch) -> list:
    from logreg import training

    calls, real = [], training.train
    monkeypatch.setattr(training, "train", lambda *a, **k: calls.append(k) or real(*a, **k))
    return calls


SHARED_NOTE = "Trained once for everyone"


def test_a_second_session_asking_for_the_same_run_gets_it_without_training(monkeypatch):
    calls = _count_trainings(monkeypatch)
    query = {"per_class": "60", "iters": "200", "alpha": "0.05"}
    a = open_page(PAGE, query)
    a.button(key="train").click().run(timeout=120)
    assert len(calls) == 1 and SHARED_NOTE not in texts(a.info)
    b = open_page(PAGE, query)
    b.button(key="train").click().run(timeout=120)
    assert not b.exception and len(calls) == 1  # not trained again
    assert SHARED_NOTE in texts(b.info)
    run_a, run_b = a.session_state["train_run"], b.session_state["train_run"]
    assert run_b["result"] is run_a["result"] and run_b["seconds"] == run_a["seconds"]
    assert metric(b, "train accuracy") == metric(a, "train accuracy")
    assert shelved(b) and shelved(a)  # each session has the model on its own shelf
    assert next(iter(shelved(b).values())) is not next(iter(shelved(a).values()))
    with pytest.raises(ValueError, match="read-only"):  # shared, so nobody can change it for the others
        run_b["result"].w[0, 0] = 1.0
    b.number_input(key="iters").set_value(300)  # another setting: a run of its own
    b.button(key="train").click().run(timeout=120)
    assert len(calls) == 2 and SHARED_NOTE not in texts(b.info)
    assert b.session_state["train_run"]["result"].num_iterations == 300


def test_a_session_that_queued_behind_the_same_run_takes_it_when_its_turn_comes(monkeypatch):
    """Everyone presses Train at once: the first trains, the others wait for the slot, then find the run done."""
    import threading
    import time

    from logreg import training
    from ui import train_run
    from ui.limits import process_slots
    from ui.train_sources import toy_set

    calls = _count_trainings(monkeypatch)
    query = {"data": "toy", "iters": "150"}
    b = open_page(PAGE, query)
    slot = process_slots()
    assert slot.acquire(timeout=30)  # another visitor's training holds the slot
    waiting = threading.Thread(target=lambda: b.button(key="train").click().run(timeout=120))
    try:
        waiting.start()
        time.sleep(1.0)  # b is queued behind the slot
        src_key = ("toy", "blobs", 200, 0.2, 0)
        ts = toy_set("blobs", 200, 0.2, 0)
        done = training.train(ts, learning_rate=0.005, num_iterations=150)
        train_run.shared_runs().put((src_key, 0.005, 150, "zeros", None), done, 0.01)
    finally:
        slot.release()
    waiting.join(timeout=120)
    assert not b.exception, b.exception
    assert len(calls) == 1  # only the "other visitor's" run above
    assert b.session_state["train_run"]["result"] is done and SHARED_NOTE in texts(b.info)


def test_a_run_already_done_is_shown_at_once_while_the_server_trains_something_else(monkeypatch):
    from logreg import training
    from ui import train_run
    from ui.limits import process_slots
    from ui.train_sources import toy_set

    calls = _count_trainings(monkeypatch)
    done = training.train(toy_set("blobs", 200, 0.2, 0), learning_rate=0.005, num_iterations=150)
    train_run.shared_runs().put((("toy", "blobs", 200, 0.2, 0), 0.005, 150, "zeros", None), done, 0.01)
    b = open_page(PAGE, {"data": "toy", "iters": "150"})
    slot = process_slots()
    assert slot.acquire(timeout=30)  # another visitor's training holds the only slot
    try:
        b.button(key="train").click().run(timeout=20)  # not queued behind it (that wait would be up to 120 s)
    finally:
        slot.release()
    assert not b.exception and len(calls) == 1
    assert b.session_state["train_run"]["result"] is done and SHARED_NOTE in texts(b.info)


def test_runs_on_uploaded_data_are_never_shared():
    from ui.train_run import Settings, run_key
    from ui.train_sources import Source

    s = Settings(0.005, 2000, "zeros", 0)
    assert run_key(Source(None, ("cats", "f1", "f2"), "cats"), s) is None
    assert run_key(Source(None, ("zipset", "f", 32, 3, 0), "own"), s) is None
    digits = Source(None, ("digits", 3, None, 500, 0), "digits")
    assert run_key(digits, s) == run_key(digits, Settings(0.005, 2000, "zeros", 7))  # zeros: the seed is unused
    assert run_key(digits, Settings(0.005, 2000, "random", 1)) != run_key(digits, Settings(0.005, 2000, "random", 2))


def test_exported_model_file_loads_back_identically():
    from logreg import datasets, training

    ts = training.from_digits(datasets.digits_task(3, max_per_class=40))
    result = training.train(ts, learning_rate=0.5, num_iterations=30)
    mf = load_model(training.model_file_bytes(ts, result, threshold=0.3))
    np.testing.assert_array_equal(mf.w, result.w)
    assert mf.b == result.b and mf.info["threshold"] == 0.3 and mf.class_names == ("not 3", "3")


def test_the_trained_model_is_offered_on_the_classify_page_with_its_test_examples():
    at = train(open_page(PAGE, {"per_class": "60"}), iters=100, alpha=0.05)
    [name] = shelved(at)
    at.switch_page("pages/classify.py").run()
    assert not at.exception
    assert at.selectbox(key="model").value == name  # the session's own model comes first
    assert at.radio(key="source").value == "example"  # the train page's controls do not leak into classify's
    verdict = shown([m.value for m in at.metric if m.label == "verdict"][0])  # Classify shows name and label
    assert verdict in ("digit 3 (label 1)", "a digit other than 3 (label 0)")
    assert any(m.value.startswith("True class: **") for m in at.markdown)


# --------------------------------------------------------------------------- what the page says about the run


def test_xor_is_diagnosed_as_no_straight_line_not_slow():
    at = open_page(PAGE, {"data": "toy", "toy": "xor", "alpha": "0.5", "iters": "500"})
    at.button(key="train").click().run(timeout=120)
    assert not at.exception
    said = texts(at.warning)
    assert "**No straight line fits** — The cost levelled off" in said
    assert "Slow" not in said and not texts(at.success)


def _spy_on_the_forms(monkeypatch):
    """Record which form of gradient descent really runs (the wrappers keep the originals' source)."""
    import functools

    from logreg import neuron

    ran = []
    for name in ("optimize_primal", "optimize_gram"):
        original = getattr(neuron, name)

        @functools.wraps(original)
        def spy(*args, _original=original, **kwargs):
            ran.append(_original)
            return _original(*args, **kwargs)

        monkeypatch.setattr(neuron, name, spy)
    return ran


@pytest.mark.parametrize("query, form", [
    ({"per_class": "60", "iters": "300"}, "Gram"),  # m = 96 << n_x = 784: K = XᵀX is cheap
    ({"data": "toy", "iters": "300"}, "primal"),  # n_x = 2
])
def test_the_code_shown_is_the_form_that_ran(monkeypatch, query, form):
    import inspect

    ran = _spy_on_the_forms(monkeypatch)
    at = open_page(PAGE, query, opened=("train_code",))
    at.button(key="train").click().run(timeout=120)
    assert not at.exception
    [function] = ran  # one run, one form
    codes = [c for c in listings(at)]
    assert inspect.getsource(function).strip() in [c.strip() for c in codes]  # its source is on the page ...
    other = {"Gram": "optimize_primal", "primal": "optimize_gram"}[form]
    assert not any(f"def {other}(" in c for c in codes)  # ... and the other form's is not
    said = texts(at.markdown)
    assert f"This run used the **{form} form** of gradient descent" in said
    assert f"so `optimize` runs the {form} form" in said  # the reason names the same form
    # review C.9: propagate is shown as the reference a run does not call, after the code that ran
    assert "For reference, the course's forward and backward pass, `propagate`. A run does not call it" in said
    sources = [c.strip() for c in codes]
    from logreg import neuron

    assert sources.index(inspect.getsource(neuron.propagate).strip()) > sources.index(
        inspect.getsource(function).strip())


def test_a_training_run_never_calls_propagate(monkeypatch):
    """What the listing says of propagate: neither form calls it (the primal inlines it)."""
    from logreg import datasets, neuron, training

    calls = []
    for name in ("propagate", "propagate_unchecked"):
        monkeypatch.setattr(neuron, name, lambda *a, _n=name, **k: calls.append(_n))
    ts = training.from_digits(datasets.digits_task(3, None, max_per_class=60, seed=0))
    methods = {training.train(ts, learning_rate=0.005, num_iterations=n).method for n in (300, 2)}
    assert methods == {"gram", "primal"} and calls == []


# --------------------------------------------------------------------------- a link that trains on open


def test_a_link_with_run_1_trains_on_open_once_per_session():
    at = open_page(PAGE, {"per_class": "60", "iters": "200", "alpha": "0.05", "train_threshold": "0.8", "run": "1"})
    assert metric(at, "train accuracy") > 80  # a trained result, not "Press Train"
    assert "Press **Train**" not in texts(at.info)
    assert at.slider(key="train_threshold").value == pytest.approx(0.8)  # the link's threshold reaches the slider
    [entry] = shelved(at).values()
    assert entry.model.info["threshold"] == pytest.approx(0.8)  # and the model put on the shelf
    first = at.session_state["train_run"]["result"]
    assert "run" not in at.query_params  # done: moving a control later does not train again
    at.number_input(key="iters").set_value(300).run()
    assert at.session_state["train_run"]["result"] is first
    assert "Your last run" not in texts(at.info)  # same data: the run is still shown
    at.query_params["run"] = "1"  # the same link opened again in this session: not trained twice
    at.query_params["iters"] = "200"
    at.number_input(key="iters").set_value(200).run()
    assert at.session_state["train_run"]["result"] is first


def test_without_run_1_the_page_waits_for_train():
    at = open_page(PAGE, {"per_class": "60", "iters": "200"})
    assert "Press **Train**" in texts(at.info) and "train_run" not in at.session_state


# --------------------------------------------------------------------------- accessibility


def test_every_picture_has_alt_text_naming_the_example_and_its_class():
    at = train(open_page(PAGE, {"per_class": "60"}), iters=100, alpha=0.05)
    samples, mistakes = at.get("image")[0].proto.imgs, at.get("image")[1].proto.imgs
    assert samples[0].alt.startswith("training example 1: ") and samples[0].alt.endswith(")")
    assert all(("digit 3 (label 1)" in i.alt) or ("a digit other than 3 (label 0)" in i.alt) for i in samples)
    assert mistakes and all(i.alt.startswith("test example ") and "ŷ = " in i.alt for i in mistakes)


def test_one_iteration_is_said_in_the_singular():
    at = open_page(PAGE, {"data": "toy", "iters": "1", "alpha": "0.5", "run": "1"})
    title = title_of(chart_spec(at, "cost_chart"))
    assert "in 1 iteration (" in title and "1 iterations" not in title


# --------------------------------------------------------------------------- the cost history ends at the model


def _cost_of(at, result) -> float:
    """J of a run's returned (w, b) on the training set the page trained on (a toy set, rebuilt from its key)."""
    from logreg import propagate
    from ui.train_sources import toy_set

    key = at.session_state["train_run"]["data_key"] if "train_run" in at.session_state else None
    key = key or at.session_state["train_compare"]["data_key"]
    assert key[0] == "toy", key
    ts = toy_set(*key[1:])
    return propagate(result.w, result.b, ts.X_train, ts.Y_train)[1]


@pytest.mark.parametrize("iters", [1, 2, 7, 2000])
def test_the_cost_curve_and_its_title_end_at_the_returned_model(iters):
    # review: costs were recorded before each update, so one step at α = 100 was titled "0.6931 → 0.6931 in 1
    # iterations" though the model's J was ~6e-48, and 2000 iterations ended at iteration 1995
    at = open_page(PAGE, {"data": "toy", "iters": str(iters), "alpha": "100", "run": "1"})
    result = at.session_state["train_run"]["result"]
    J = _cost_of(at, result)
    spec = chart_spec(at, "cost_chart")
    x, y = values(spec["data"][0]["x"]), values(spec["data"][0]["y"])
    assert x[0] == 0 and x[-1] == iters and y[-1] == pytest.approx(J, rel=1e-9, abs=1e-300)
    assert f"0.6931 → {J:.4g} in {iters} iteration" in title_of(spec)
    assert J == 0 or f"{J:.4g}" != "0"  # a J of 6e-48 is not titled 0.0000
    said = texts(at.success) + texts(at.info) + texts(at.warning) + texts(at.error)
    assert ("Too few steps to judge" in said) == (iters == 1)  # two steps are enough to judge


def test_the_comparison_s_final_cost_is_the_returned_model_s():
    at = open_page(PAGE, {"data": "toy"})
    at.number_input(key="cmp_iters").set_value(3)
    at.multiselect(key="rates").set_value([100.0, 0.5]).run()
    at.button(key="compare").click().run(timeout=120)
    assert not at.exception, at.exception
    runs = at.session_state["train_compare"]["runs"]
    table = texts(at.markdown)
    for r in runs:
        J = _cost_of(at, r)
        assert f"| {r.learning_rate:g} | {J:.4f} |" in table
    assert [values(t["x"])[-1] for t in chart_spec(at, "compare_chart")["data"]] == [3, 3]


def test_a_diverged_run_s_title_says_where_its_finite_costs_stop():
    from logreg import training
    from ui.train_run import cost_title

    X = np.array([[1e300, -1e300, 1e300, 2e300]])
    Y = np.array([[1, 0, 1, 0]])
    ts = training.TrainingSet(X, Y, X, Y, ("a", "b"), "huge")
    r = training.train(ts, learning_rate=1e4, num_iterations=50)
    assert r.diverged and len(r.iterations_recorded) == len(r.costs)
    last = int(r.iterations_recorded[-1])
    assert last < 50 and np.all(np.diff(r.iterations_recorded) == r.record_every)
    assert cost_title(r, 0.5) == (f"Cost J(w, b): {r.costs[0]:.4g} → {r.costs[-1]:.4g} after {last} iterations, "
                                  "the last finite cost (0.50 s)")


def test_a_tiny_fall_of_the_cost_is_not_titled_as_no_change():
    # review: a run that moved J by 1e-9 was titled "0.6931 → 0.6931"
    from logreg import training
    from ui.train_run import cost_title

    X = np.array([[1.0, -1.0, 2.0, -2.0]])
    Y = np.array([[1, 0, 1, 0]])
    ts = training.TrainingSet(X, Y, X, Y, ("a", "b"), "tiny")
    r = training.train(ts, learning_rate=1e-8, num_iterations=10)
    start, end = r.costs[0], r.costs[-1]
    assert 0 < start - end < 1e-6 and f"{start:.4g}" == f"{end:.4g}"
    title = cost_title(r, 0.5)
    left, right = title.removeprefix("Cost J(w, b): ").split(" in ")[0].split(" → ")
    assert left != right and float(left) > float(right), title
    assert abs(float(left) - start) <= abs(start) * 1e-4 and abs(float(right) - end) <= abs(end) * 1e-4, title


def test_the_cost_sentence_calls_no_rounding_wobble_a_rise():
    # review: XOR at α = 1 was said to be "rising most (+1.11 × 10 to the power −16) between iterations 75 and 80"
    from logreg.diagnostics import RISE_TOLERANCE

    at = open_page(PAGE, {"data": "toy", "toy": "xor", "alpha": "1", "run": "1"})
    spec = chart_spec(at, "cost_chart")
    c = values(spec["data"][0]["y"])
    rises = np.diff(c)
    assert rises.max() > 0 and rises.max() <= RISE_TOLERANCE  # the curve wobbles up in the 16th digit only ...
    assert "rising" not in spec["layout"]["meta"]["summary"]  # ... and is not said to rise


def _column_with(at, key):
    """The innermost column that holds the chart drawn with ``key``."""
    found = [c for c in at.columns if any(p.proto.id.endswith(f"-{key}") for p in c.get("plotly_chart"))]
    assert found, key
    return found[-1]


def test_rgb_weights_are_captioned_by_channel_and_the_red_blue_chart_by_class():
    # review: under the RGB picture the page said "red pixels vote for cat, blue ones for non-cat"; there blue is a
    # blue-channel weight, and a positive one votes for cat
    at = open_page(PAGE, {"data": "cats"})
    at.file_uploader(key="cat_train").set_value(("train_catvnoncat.h5", cat_h5(12, "train_set", seed=1),
                                                 "application/x-hdf5"))
    at = upload(at, "cat_test", ("test_catvnoncat.h5", cat_h5(6, "test_set", seed=2), "application/x-hdf5"))
    train(at, iters=20, alpha=0.005)
    rgb = texts(_column_with(at, "rgb_weights_chart").markdown)
    diverging = texts(_column_with(at, "weights_chart").markdown)
    assert "blue ones" not in rgb and "drawn red" not in rgb
    assert "a pixel whose blue is brighter than mid-grey has a positive blue-channel weight, a vote for **cat" in rgb
    assert "drawn red, it votes for **cat" in diverging and "drawn blue, for **non-cat" in diverging
    assert "mid-grey" not in diverging

"""logreg.modelio: model files round-trip, and anything else is refused with a clear ModelFileError."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest

from logreg import modelio
from logreg.modelio import ModelFileError


def trained(n_x=8 * 8 * 3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_x, 1)), 0.25


def saved(**overrides) -> bytes:
    w, b = trained()
    kw = dict(image_size=8, channels=3, class_names=("non-cat", "cat"), info={"learning_rate": 0.005, "note": "hi"})
    kw.update(overrides)
    return modelio.save_model(w, b, **kw)


def arrays_of(data: bytes) -> dict:
    with np.load(io.BytesIO(data), allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def npz(arrays: dict, **kw) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays, **kw)
    return buf.getvalue()


def test_roundtrip():
    w, b = trained()
    data = saved()
    assert isinstance(data, bytes) and data[:2] == b"PK"
    m = modelio.load_model(data)
    np.testing.assert_array_equal(m.w, w)
    assert m.b == 0.25 and m.image_size == 8 and m.channels == 3 and m.n_x == 192
    assert m.scaling == 255.0 and m.class_names == ("non-cat", "cat") and m.preprocessing == "resize"
    assert m.version == modelio.FORMAT_VERSION
    assert m.info == {"learning_rate": 0.005, "note": "hi"}


def test_strings_are_unicode_arrays_not_objects():
    a = arrays_of(saved())  # loading with allow_pickle=False already proves there are no objects
    assert a["format"].dtype.kind == "U" and a["class_names"].dtype.kind == "U"
    assert str(a["format"]) == modelio.FORMAT_MARKER


def test_mnist_model_roundtrip_and_rule():
    w = np.zeros((784, 1))
    m = modelio.load_model(modelio.save_model(w, 0.0, image_size=28, channels=1, preprocessing="mnist"))
    assert m.preprocessing == "mnist" and m.class_names == ("negative", "positive")
    with pytest.raises(ValueError, match="28 x 28 grey"):
        modelio.save_model(np.zeros((192, 1)), 0.0, image_size=8, channels=3, preprocessing="mnist")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"image_size": 9}, "n_x=243"),
        ({"channels": 2}, "channels"),
        ({"image_size": 0}, "image_size"),
        ({"scaling": 0.0}, "scaling"),
        ({"class_names": ("only one",)}, "class_names"),
        ({"class_names": ("a", "")}, "class_names"),
        ({"preprocessing": "magic"}, "preprocessing"),
        ({"info": {"f": object()}}, "info"),
        ({"info": {"x": float("nan")}}, "info"),
    ],
)
def test_save_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        saved(**kwargs)


def test_save_refuses_bad_weights():
    with pytest.raises(ValueError, match="finite|NaN"):
        modelio.save_model(np.full((192, 1), np.nan), 0.0, image_size=8, channels=3)
    with pytest.raises(ValueError, match=r"\(n_x, 1\)"):
        modelio.save_model(np.zeros(192), 0.0, image_size=8, channels=3)


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n not a model", "not a zip"),
        (b"PK\x03\x04 broken", "damaged"),
    ],
)
def test_load_refuses_non_npz(data, message):
    with pytest.raises(ModelFileError, match=message):
        modelio.load_model(data)


def test_load_refuses_foreign_npz_and_wrong_marker():
    with pytest.raises(ModelFileError, match="no 'format' marker"):
        modelio.load_model(npz({"w": np.zeros((3, 1))}))
    a = arrays_of(saved())
    a["format"] = np.array("someone-elses-model")
    with pytest.raises(ModelFileError, match="wrong 'format' marker"):
        modelio.load_model(npz(a))


def test_load_refuses_missing_key():
    a = arrays_of(saved())
    del a["channels"]
    with pytest.raises(ModelFileError, match="missing.*channels"):
        modelio.load_model(npz(a))


def test_load_refuses_pickled_objects():
    a = arrays_of(saved())
    a["class_names"] = np.array(["a", {"evil": 1}], dtype=object)
    with pytest.raises(ModelFileError, match="holds Python objects"):
        modelio.load_model(npz(a))


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("w", np.zeros((100, 1)), r"n_x = 8\*8\*3 = 192"),
        ("w", np.zeros((192,)), "shape"),
        ("w", np.full((192, 1), np.inf), "NaN or infinite"),
        ("w", np.zeros((192, 1), dtype=np.int64), "floats"),
        ("b", np.array(np.nan), "'b' must be a finite number"),
        ("b", np.array(1e308), "'b' must be a finite number within"),
        ("w", np.full((192, 1), 1e308), "weights beyond"),
        ("class_names", np.array(["cat", "cat "]), "different names"),
        ("b", np.zeros(2), "'b'"),
        ("version", np.array(2), "newer|version 2"),
        ("version", np.array(0), "invalid format version"),
        ("channels", np.array(4), "channels"),
        ("image_size", np.array(100_000), "image_size"),
        ("class_names", np.array(["x"]), "2 strings"),
        ("preprocessing", np.array("eval"), "preprocessing"),
        ("scaling", np.array(-1.0), "scaling"),
    ],
)
def test_load_validates_contents(key, value, message):
    a = arrays_of(saved())
    a[key] = value
    with pytest.raises(ModelFileError, match=message):
        modelio.load_model(npz(a))


def test_load_size_caps():
    data = saved()
    with pytest.raises(ModelFileError, match="MB"):
        modelio.load_model(data, max_bytes=len(data) - 1)
    # a small file that unpacks to a lot (zeros compress ~1000x)
    a = arrays_of(saved())
    a["padding"] = np.zeros(3_000_000)
    bomb = npz(a)
    assert len(bomb) < 100_000
    with pytest.raises(ModelFileError, match="too much data"):
        modelio.load_model(bomb, max_bytes=1_000_000)


@pytest.mark.parametrize("text", ["[1, 2]", "{not json", "[" * 5000 + "]" * 5000, '{"a": {"b": 1}}', '{"a": [1]}'])
def test_load_refuses_info_that_is_not_a_flat_json_object(text):
    a = arrays_of(saved())
    a["info"] = np.array(text)
    with pytest.raises(ModelFileError, match="the model file's info is not valid"):
        modelio.load_model(npz(a))


def test_load_tolerates_missing_info():
    a = arrays_of(saved())
    del a["info"]
    assert modelio.load_model(npz(a)).info == {}


def test_load_refuses_an_npy_header_declaring_more_than_the_member_holds():
    # a 20-byte array whose header claims 10**9 float64 values: refused before np.load allocates 8 GB
    a = arrays_of(saved())
    data = npz(a)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w") as zout:
        for info in zin.infolist():
            raw = zin.read(info)
            if info.filename == "b.npy":
                raw = raw.replace(b"'shape': ()", b"'shape': (1000000000,)")
            zout.writestr(info.filename, raw)
    with pytest.raises(ModelFileError, match="declares .* more data than it holds"):
        modelio.load_model(buf.getvalue())


def test_save_refuses_weights_beyond_the_cap():
    with pytest.raises(ValueError, match="too large to save"):
        modelio.save_model(np.full((192, 1), 1e9), 0.0, image_size=8, channels=3)


def test_file_is_a_real_zip_with_npy_members():
    with zipfile.ZipFile(io.BytesIO(saved())) as zf:
        assert {"w.npy", "b.npy", "format.npy"} <= set(zf.namelist())


# --------------------------------------------------------------------------- the training inputs' statistics


def stats_for(n_x=192, m=30, seed=0):
    from logreg import novelty

    return novelty.fit(np.random.default_rng(seed).random((n_x, m)))


def test_novelty_statistics_round_trip_and_old_files_load_without_them():
    stats = stats_for()
    m = modelio.load_model(saved(novelty=stats))
    np.testing.assert_allclose(m.novelty.mean_input, stats.mean_input, atol=1e-6)  # kept as float32
    np.testing.assert_array_equal(m.novelty.feature_std, stats.feature_std)
    assert (m.novelty.limit, m.novelty.typical_distance) == (stats.limit, stats.typical_distance)
    assert set(modelio.NOVELTY_KEYS) <= set(arrays_of(saved(novelty=stats)))
    assert modelio.load_model(saved()).novelty is None  # a file saved without them (as every older file)
    with pytest.raises(ValueError, match="n_x=192"):
        saved(novelty=stats_for(n_x=10))
    with pytest.raises(ValueError, match="NoveltyStats"):
        saved(novelty={"novelty_scalars": np.ones(3)})


def test_a_trained_model_file_carries_its_training_inputs_statistics():
    from logreg import datasets, novelty, training

    ts = training.from_digits(datasets.digits_task(7, [1], max_per_class=30))
    r = training.train(ts, learning_rate=0.1, num_iterations=12)
    mf = training.model_file(ts, r)
    expected = novelty.fit(ts.X_train)
    np.testing.assert_allclose(mf.novelty.mean_input, expected.mean_input, atol=1e-6)
    np.testing.assert_allclose(mf.novelty.feature_mean, expected.feature_mean)
    assert mf.novelty.limit == expected.limit

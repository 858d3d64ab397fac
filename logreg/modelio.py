"""A trained model as a small file: ``w``, ``b`` and how to prepare an image for them.

The file is an ``.npz`` (a zip of ``.npy`` arrays) written with ``np.savez_compressed``
and read with ``np.load(..., allow_pickle=False)``: only plain numbers and unicode
strings, never pickled objects, so opening a file from someone else runs no code.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .filewalk import zip_entries
from .novelty import NoveltyStats

#: Entries a model file may hold (one saved here holds at most 14: the 9 required arrays, info, 4 statistics).
MAX_MODEL_ENTRIES = 50
#: The one pixel scaling a model file may declare: pixels 0..255 are divided by 255 to lie in [0, 1], as on every
#: page here. With |w_i|, |b| <= MAX_ABS_PARAM and n_x <= 512 * 512 * 3, |z| <= 7.9e13 for every picture; a file
#: declaring scaling = 1e-310 made x = inf, so z = inf, or NaN with weights of both signs.
SCALING = 255.0
#: The value of the ``format`` key in every model file we write.
FORMAT_MARKER = "logreg-dashboard-model"
FORMAT_VERSION = 1
#: Largest model file accepted (a 64 x 64 x 3 model is ~100 kB).
MAX_MODEL_BYTES = 20 * 1024 * 1024
MAX_IMAGE_SIZE = 512
PREPROCESSING = ("resize", "mnist")
MAX_NAME_LEN = 100
MAX_INFO_CHARS = 10_000
#: Largest |w_i| and |b| accepted. Training on this app's pages cannot pass 1e6 (|dw_i| <= 1 for pixels
#: in [0, 1], alpha <= 100, 10,000 steps); the cap keeps z = w^T x + b finite for every picture
#: (n_x <= 512 * 512 * 3), so a file cannot make the page show z = inf.
MAX_ABS_PARAM = 1e8

_REQUIRED = ("format", "version", "w", "b", "image_size", "channels", "scaling", "class_names", "preprocessing")
#: Optional (all or none; older files have none): the training inputs' statistics, :mod:`logreg.novelty`.
NOVELTY_KEYS = ("novelty_mean_input", "novelty_scalars", "novelty_feature_mean", "novelty_feature_std")


class ModelFileError(ValueError):
    """A model file that cannot be used, with a message for the user."""


@dataclass(frozen=True)
class ModelFile:
    """A model read by :func:`load_model`.

    Attributes
    ----------
    w : ndarray of shape (n_x, 1), float64, n_x = image_size**2 * channels
    b : float
    image_size : int, the side of the square input image
    channels : int, 1 (grey) or 3 (RGB)
    scaling : float, pixel values are divided by this before ``w.T @ x + b`` (always :data:`SCALING`, 255.0)
    class_names : tuple (name of label 0, name of label 1)
    preprocessing : str, "resize" (centre-crop and resize) or "mnist" (see ``images.mnist_preprocess``)
    version : int, the file format version
    info : dict, free-form extras saved with the model (numbers and strings)
    novelty : NoveltyStats or None, statistics of the training inputs (None in files saved without them)
    """

    w: np.ndarray = field(repr=False)
    b: float
    image_size: int
    channels: int
    scaling: float
    class_names: tuple[str, str]
    preprocessing: str
    version: int = FORMAT_VERSION
    info: dict = field(default_factory=dict)
    novelty: NoveltyStats | None = field(default=None, repr=False)

    @property
    def n_x(self) -> int:
        return self.w.shape[0]


def _check_meta(image_size, channels, scaling, class_names, preprocessing, err=ValueError):
    if isinstance(image_size, bool) or not isinstance(image_size, (int, np.integer)):
        raise err(f"image_size must be an integer; got {image_size!r}")
    if not 1 <= int(image_size) <= MAX_IMAGE_SIZE:
        raise err(f"image_size must lie in 1..{MAX_IMAGE_SIZE}; got {image_size}")
    if isinstance(channels, bool) or channels not in (1, 3):
        raise err(f"channels must be 1 (grey) or 3 (RGB); got {channels!r}")
    if isinstance(scaling, bool) or not isinstance(scaling, (int, float, np.number)) or scaling != SCALING:
        raise err(f"scaling must be {SCALING} (pixels 0..255 divided by 255, as every model saved here); "
                  f"got {scaling!r}")
    if preprocessing not in PREPROCESSING:
        raise err(f"preprocessing must be one of {PREPROCESSING}; got {preprocessing!r}")
    if preprocessing == "mnist" and (int(image_size), int(channels)) != (28, 1):
        raise err(f"'mnist' preprocessing makes 28 x 28 grey images; got image_size={image_size}, channels={channels}")
    return int(image_size), int(channels), float(scaling), check_class_names(class_names, err=err)


def check_class_names(class_names, *, err=ValueError) -> tuple[str, str]:
    """Two class names: strings, non-empty once stripped, at most MAX_NAME_LEN characters, different.

    Two identical names (or names that differ only in spaces) would make "class 0" and "class 1"
    impossible to tell apart on every page, so they are refused.
    """
    try:
        names = tuple(class_names)
    except TypeError:
        raise err(f"class_names must be two strings; got {type(class_names).__name__}") from None
    if len(names) != 2 or not all(isinstance(n, str) and 0 < len(n.strip()) and len(n) <= MAX_NAME_LEN for n in names):
        shown = repr(class_names)[:300]
        raise err(f"class_names must be two non-empty strings of at most {MAX_NAME_LEN} characters; got {shown}")
    if names[0].strip() == names[1].strip():
        raise err(f"the two classes need different names; both are {names[0].strip()!r}")
    return names[0].strip(), names[1].strip()


def save_model(
    w,
    b,
    *,
    image_size,
    channels,
    scaling=255.0,
    class_names=("negative", "positive"),
    preprocessing="resize",
    info: Mapping[str, object] | None = None,
    novelty: NoveltyStats | None = None,
) -> bytes:
    """Serialize a trained model to ``.npz`` bytes (for ``st.download_button``).

    Parameters
    ----------
    w : ndarray of shape (n_x, 1) with n_x = image_size**2 * channels
    b : float
    image_size : int (keyword-only), side of the square input image
    channels : {1, 3} (keyword-only)
    scaling : float, default=255.0 (keyword-only), the divisor applied to pixels; only 255.0 is accepted
    class_names : (str, str), default=("negative", "positive") (keyword-only), names of labels 0 and 1
    preprocessing : {"resize", "mnist"}, default="resize" (keyword-only)
    info : mapping of str to JSON-able values, optional (keyword-only)
        Extras such as the learning rate, iterations, train/test accuracy.
    novelty : NoveltyStats or None, optional (keyword-only)
        :func:`logreg.novelty.fit` of the training inputs, for Classify's "unlike the training pictures" hint.

    Returns
    -------
    bytes, a compressed ``.npz`` file
    """
    image_size, channels, scaling, names = _check_meta(image_size, channels, scaling, class_names, preprocessing)
    n_x = image_size * image_size * channels
    w = v.check_w(w, n_x)
    b = v.check_b(b)
    if np.abs(w).max() > MAX_ABS_PARAM or abs(b) > MAX_ABS_PARAM:
        raise ValueError(f"w and b must lie within ±{MAX_ABS_PARAM:g}; this run's weights are too large to save")
    try:
        info_json = json.dumps(dict(info or {}), allow_nan=False, sort_keys=True)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"info must map names to plain numbers and strings; {exc}") from None
    if not all(isinstance(x, (str, int, float, bool, type(None))) for x in dict(info or {}).values()):
        raise ValueError("info must map names to plain numbers and strings (no lists or nested objects)")
    if len(info_json) > MAX_INFO_CHARS:
        raise ValueError(f"info is too long ({len(info_json)} characters as JSON; at most {MAX_INFO_CHARS})")
    extra = {}
    if novelty is not None:
        if not isinstance(novelty, NoveltyStats):
            raise ValueError(f"novelty must be the NoveltyStats of the training inputs; got {type(novelty).__name__}")
        extra = novelty.to_arrays()
        NoveltyStats.from_arrays(extra, n_x=n_x)  # the same checks as on reading
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        **extra,
        format=np.array(FORMAT_MARKER),
        version=np.array(FORMAT_VERSION, dtype=np.int64),
        w=w.astype(np.float64),
        b=np.array(b, dtype=np.float64),
        image_size=np.array(image_size, dtype=np.int64),
        channels=np.array(channels, dtype=np.int64),
        scaling=np.array(scaling, dtype=np.float64),
        class_names=np.array(names, dtype=f"<U{MAX_NAME_LEN}"),
        preprocessing=np.array(preprocessing),
        info=np.array(info_json),
    )
    return buf.getvalue()


def _read_info(a: np.ndarray) -> dict:
    """The ``info`` extras: one JSON object of plain numbers and strings, or ModelFileError."""
    if a.shape != () or a.dtype.kind != "U" or a.dtype.itemsize > 4 * MAX_INFO_CHARS:
        raise ModelFileError(f"the model file's info is not valid (one text of at most {MAX_INFO_CHARS} characters "
                             f"is expected; got {a.dtype} {a.shape})")
    text = str(a.item())
    try:
        info = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError is a ValueError; deep nesting recurses
        raise ModelFileError(f"the model file's info is not valid ({type(exc).__name__})") from None
    plain = (str, int, float, bool, type(None))
    if not isinstance(info, dict) or not all(isinstance(k, str) and isinstance(x, plain) for k, x in info.items()):
        raise ModelFileError("the model file's info is not valid (it must map names to plain numbers and text)")
    return info


def _scalar(arrays, key, kinds):
    a = arrays[key]
    if a.shape != () or a.dtype.kind not in kinds:
        raise ModelFileError(f"the model file's {key!r} must be a single value of kind {kinds!r}; got {a.dtype} {a.shape}")
    return a.item()


def _check_npy_header(*, zf_data: bytes, info: zipfile.ZipInfo) -> tuple[tuple[int, ...], np.dtype]:
    """Refuse a member whose ``.npy`` header declares more data than the member holds, or objects.

    ``np.load`` allocates the declared array before reading it; here the declaration (shape times item size,
    in Python integers) is compared with the member's unpacked size first.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(zf_data)) as zf, zf.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version not in ((1, 0), (2, 0), (3, 0)):
                raise ValueError(f"unknown .npy version {version}")
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fh, max_header_size=2000)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, NotImplementedError, SyntaxError) as exc:
        raise ModelFileError(f"the model file's {info.filename!r} is not a readable array ({exc})") from None
    if dtype.hasobject:
        raise ModelFileError(f"the model file's {info.filename!r} holds Python objects; model files hold only numbers "
                             "and text")
    if math.prod(shape) * dtype.itemsize > info.file_size:
        raise ModelFileError(f"the model file's {info.filename!r} declares {shape} of {dtype}, more data than it holds")
    return tuple(shape), dtype


def load_model(data, *, max_bytes=MAX_MODEL_BYTES) -> ModelFile:
    """Read and check a model file written by :func:`save_model`.

    Parameters
    ----------
    data : bytes, the ``.npz`` file
    max_bytes : int (keyword-only), the largest file (and unpacked content) accepted

    Returns
    -------
    ModelFile

    Raises
    ------
    ModelFileError
        not a zip/npz, not one of ours, a newer format version, a missing key,
        wrong dtypes or shapes, non-finite weights, or too large.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ModelFileError(f"the model file must be given as bytes; got {type(data).__name__}")
    data = bytes(data)
    if not data:
        raise ModelFileError("the model file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ModelFileError(f"the model file is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB is accepted")
    if not data.startswith(b"PK"):
        raise ModelFileError("this is not a model file (.npz): it is not a zip archive; download a model from the Train page")
    too_many = ModelFileError(f"the model file holds more than {MAX_MODEL_ENTRIES} entries (a model saved here "
                              "holds at most 14); it is not a model from this app")
    if zip_entries(data, MAX_MODEL_ENTRIES) > MAX_MODEL_ENTRIES:  # before ZipFile reads the whole directory
        raise too_many
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ModelFileError(f"the model file is a damaged zip archive ({exc})") from None
    if len(infos) > MAX_MODEL_ENTRIES:
        raise too_many
    if sum(i.file_size for i in infos) > max_bytes:
        raise ModelFileError("the model file unpacks to too much data; it is not a model from this app")
    headers = {info.filename: _check_npy_header(zf_data=data, info=info) for info in infos}
    names = set(headers)
    missing = [k for k in _REQUIRED if f"{k}.npy" not in names]
    if "format.npy" not in names:
        raise ModelFileError("this .npz is not a model saved by this app (no 'format' marker)")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            if _scalar(npz, "format", "U") != FORMAT_MARKER:
                raise ModelFileError("this .npz is not a model saved by this app (wrong 'format' marker)")
            if missing:
                raise ModelFileError(f"the model file is missing {missing}")
            arrays = {k: npz[k] for k in (*_REQUIRED, *(["info"] if "info.npy" in names else []))}
    except ModelFileError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        # object arrays (pickles) land here too: allow_pickle=False refuses them
        raise ModelFileError(f"the model file could not be read safely ({exc})") from None

    version = _scalar(arrays, "version", "iu")
    if version > FORMAT_VERSION:
        raise ModelFileError(f"the model file has format version {version}; this app reads up to {FORMAT_VERSION}")
    if version < 1:
        raise ModelFileError(f"the model file has an invalid format version {version}")
    image_size = _scalar(arrays, "image_size", "iu")
    channels = _scalar(arrays, "channels", "iu")
    scaling = _scalar(arrays, "scaling", "f")
    preprocessing = _scalar(arrays, "preprocessing", "U")
    cn = arrays["class_names"]
    if cn.dtype.kind != "U" or cn.shape != (2,):
        raise ModelFileError(f"the model file's 'class_names' must be 2 strings; got {cn.dtype} {cn.shape}")
    image_size, channels, scaling, class_names = _check_meta(
        image_size, channels, scaling, tuple(str(s) for s in cn), preprocessing, err=ModelFileError
    )
    w = arrays["w"]
    n_x = image_size * image_size * channels
    if w.dtype.kind != "f":
        raise ModelFileError(f"the model file's 'w' must hold floats; got {w.dtype}")
    if w.shape != (n_x, 1):
        raise ModelFileError(
            f"the model file's 'w' must have shape (n_x, 1) with n_x = {image_size}*{image_size}*{channels} = {n_x}; "
            f"got {w.shape}"
        )
    if not np.isfinite(w).all():
        raise ModelFileError("the model file's 'w' contains NaN or infinite values")
    if np.abs(w).max() > MAX_ABS_PARAM:
        raise ModelFileError(f"the model file's 'w' has weights beyond ±{MAX_ABS_PARAM:g}; no model trained here "
                             "has them")
    b = _scalar(arrays, "b", "f")
    if not np.isfinite(b) or abs(b) > MAX_ABS_PARAM:
        raise ModelFileError(f"the model file's 'b' must be a finite number within ±{MAX_ABS_PARAM:g}; got {b:g}")
    info = _read_info(arrays["info"]) if "info" in arrays else {}
    novelty = _read_novelty(data, headers, n_x)
    return ModelFile(
        w=w.astype(np.float64),
        b=float(b),
        image_size=image_size,
        channels=channels,
        scaling=scaling,
        class_names=class_names,
        preprocessing=preprocessing,
        version=int(version),
        info=info,
        novelty=novelty,
    )


def _read_novelty(data: bytes, headers: dict, n_x: int) -> NoveltyStats | None:
    """The optional novelty statistics: none, or all four arrays with the shapes of an ``n_x`` model.

    Shapes and dtypes are checked from the ``.npy`` headers before any of these arrays is read.
    """
    missing = [k for k in NOVELTY_KEYS if f"{k}.npy" not in headers]
    if len(missing) == len(NOVELTY_KEYS):
        return None
    if missing:
        raise ModelFileError(f"the model file's statistics of its training pictures are incomplete (missing "
                             f"{missing}); save the model again from the Train page")
    for key, shape in zip(NOVELTY_KEYS, [(n_x, 1), (3,), (5,), (5,)], strict=True):
        got, dtype = headers[f"{key}.npy"]
        if got != shape or dtype.kind != "f":
            raise ModelFileError(f"the model file's {key!r} must be floats of shape {shape} for this model "
                                 f"(n_x = {n_x}); got {dtype} {got}")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in NOVELTY_KEYS}
        return NoveltyStats.from_arrays(arrays, n_x=n_x)
    except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelFileError(f"the model file's statistics of its training pictures are not valid: {exc}") from None

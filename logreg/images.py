"""Images as arrays: decode safely, resize for the model, flatten the course's way.

An image is an ndarray of shape (h, w, 3) (RGB) or (h, w) (grey), dtype uint8.
A batch of m images of shape (m, h, w, c) becomes ``X`` of shape (h*w*c, m),
one image per column, with ``imgs.reshape(imgs.shape[0], -1).T``.

Only Pillow and NumPy. Every user-facing problem is an :class:`ImageError`
(a ``ValueError``) whose message says what is wrong and what to do.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from . import _validate as v

#: Largest encoded file accepted (bytes).
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Largest declared image accepted (width x height), checked before any pixel is decoded.
MAX_PIXELS = 40_000_000
#: Largest side for resize targets.
MAX_SIZE = 1024


class ImageError(ValueError):
    """An image (or an archive of images) that cannot be used, with a message for the user."""


# --------------------------------------------------------------------------- decoding


def _as_bytes(data, what="the image") -> bytes:
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise ImageError(f"{what} must be given as bytes; got {type(data).__name__}")


def _composite_on_white(arr: np.ndarray) -> np.ndarray:
    """(h, w, 2 or 4) with alpha last -> (h, w) or (h, w, 3), transparent parts white."""
    alpha = arr[..., -1:].astype(np.float64) / 255.0
    color = arr[..., :-1].astype(np.float64)
    out = color * alpha + 255.0 * (1.0 - alpha)
    out = np.rint(out).astype(np.uint8)
    return out[..., 0] if out.shape[-1] == 1 else out


def _to_uint8_array(img: Image.Image) -> np.ndarray:
    """Any Pillow mode -> uint8 (h, w) grey or (h, w, 3) RGB, alpha composited on white."""
    mode = img.mode
    if mode == "P":
        img = img.convert("RGBA" if "transparency" in img.info else "RGB")
    elif mode == "PA":
        img = img.convert("RGBA")
    elif mode == "1":
        img = img.convert("L")
    elif mode in ("RGBa", "La"):  # premultiplied alpha
        img = img.convert(mode.upper())
    mode = img.mode
    if mode in ("L", "RGB"):
        return np.array(img, dtype=np.uint8)
    if mode in ("LA", "RGBA"):
        return _composite_on_white(np.array(img, dtype=np.uint8))
    if mode.startswith("I;16") or mode == "I":
        # 16-bit grey (PNG, TIFF): 0..65535 -> 0..255 by /257, so 65535 -> 255 exactly.
        a = np.array(img).astype(np.float64)
        return np.rint(np.clip(a, 0, 65535) / 257.0).astype(np.uint8)
    if mode == "F":
        # Float images: taken as 0..1 when they fit there, else as 0..255; NaN -> 0.
        a = np.nan_to_num(np.array(img, dtype=np.float64), nan=0.0, posinf=255.0, neginf=0.0)
        if a.size and a.min() >= 0.0 and a.max() <= 1.0:
            a = a * 255.0
        return np.rint(np.clip(a, 0, 255)).astype(np.uint8)
    try:  # CMYK, YCbCr, HSV, ...
        return np.array(img.convert("RGB"), dtype=np.uint8)
    except (ValueError, OSError) as exc:
        raise ImageError(f"cannot convert an image in colour mode {mode!r} to RGB ({exc}); save it as PNG or JPEG") from None


def gray_from_rgb(img: np.ndarray) -> np.ndarray:
    """ITU-R 601-2 luma, as Pillow's ``convert("L")``: L = 0.299 R + 0.587 G + 0.114 B (uint8 (h, w))."""
    img = np.asarray(img)
    if img.ndim == 2:
        return img.astype(np.uint8, copy=False)
    if img.ndim == 3 and img.shape[2] == 1:
        return img[..., 0].astype(np.uint8, copy=False)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ImageError(f"expected an image of shape (h, w) or (h, w, 3); got {img.shape}")
    return np.array(Image.fromarray(np.ascontiguousarray(img, dtype=np.uint8)).convert("L"))


def decode_image(data, *, mode="RGB", max_pixels=MAX_PIXELS, max_bytes=MAX_IMAGE_BYTES, draft_size=None):
    """Decode an image file's bytes to a uint8 array, safely.

    Handles EXIF orientation (a phone photo comes out upright), every Pillow colour
    mode (palette, 1-bit, 16-bit grey scaled to 8 bits, float, CMYK, ...), transparency
    (composited on white) and animations (the first frame).

    Parameters
    ----------
    data : bytes, the encoded file (PNG, JPEG, GIF, WebP, BMP, TIFF, ...)
    mode : {"RGB", "L"}, default="RGB" (keyword-only)
        ``"RGB"`` returns shape (h, w, 3), ``"L"`` returns grey (h, w).
    max_pixels : int, default=MAX_PIXELS (keyword-only)
        Images declaring more than ``max_pixels`` (width x height) are refused before
        decoding (decompression bombs).
    max_bytes : int, default=MAX_IMAGE_BYTES (keyword-only), the largest file accepted.
    draft_size : int or None, default=None (keyword-only)
        If given, a JPEG may be decoded at 1/2, 1/4 or 1/8 scale as long as both sides
        stay at least ``draft_size`` (much faster for big photos that will be shrunk anyway).

    Returns
    -------
    ndarray of shape (h, w, 3) or (h, w), uint8

    Raises
    ------
    ImageError
        for an empty or oversized file, data that is not an image, a truncated or
        corrupt file, or an image with too many pixels.
    """
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be 'RGB' or 'L'; got {mode!r}")
    max_pixels = v.check_positive_int(max_pixels, "max_pixels")
    data = _as_bytes(data)
    if len(data) == 0:
        raise ImageError("the file is empty (0 bytes); choose an image file such as a PNG or JPEG")
    if len(data) > max_bytes:
        raise ImageError(f"the file is {len(data) / 1e6:.1f} MB; images up to {max_bytes / 1e6:.0f} MB are accepted")
    try:
        with warnings.catch_warnings():
            # Pillow warns (and only errors at 2x its global limit); here any bomb warning is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            w, h = img.size
            if w * h > max_pixels:
                raise ImageError(
                    f"the image declares {w} x {h} = {w * h:,} pixels; at most {max_pixels:,} are accepted "
                    "(a huge or malicious file); resize it first"
                )
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)  # animated GIF / WebP / APNG: the first frame
            if draft_size is not None and img.format == "JPEG":
                img.draft(None, (int(draft_size), int(draft_size)))
            img.load()
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError("this file is not an image Pillow can read; upload a PNG, JPEG, GIF, WebP or BMP") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"the image is too large to decode safely ({exc})") from None
    except (OSError, SyntaxError, EOFError, ValueError, IndexError, TypeError, MemoryError) as exc:
        raise ImageError(f"the image file is truncated or corrupt ({exc}); try saving it again") from None
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # a malformed EXIF block is no reason to refuse the picture
        pass
    arr = _to_uint8_array(img)
    if mode == "L":
        return gray_from_rgb(arr)
    return np.repeat(arr[..., None], 3, axis=2) if arr.ndim == 2 else arr


# --------------------------------------------------------------------------- resizing for the model


def _check_image(img, name="img") -> np.ndarray:
    img = np.asarray(img)
    if img.ndim not in (2, 3) or (img.ndim == 3 and img.shape[2] not in (1, 3)) or 0 in img.shape:
        raise ImageError(f"{name} must have shape (h, w), (h, w, 1) or (h, w, 3); got {img.shape}")
    if img.dtype != np.uint8:
        if img.dtype.kind not in "uif" or not np.isfinite(img).all() or img.min() < 0 or img.max() > 255:
            raise ImageError(f"{name} must hold pixel values 0..255; got dtype {img.dtype}")
        img = np.rint(img).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    return img


def center_crop(img):
    """The largest centred square of ``img`` (h, w[, c]) -> (s, s[, c]) with s = min(h, w)."""
    img = _check_image(img)
    h, w = img.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return img[top : top + s, left : left + s]


def resize_square(img, size):
    """Centre-crop to a square, then resize to ``size`` x ``size`` (aspect ratio kept, edges cut).

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    size : int, the side of the output

    Returns
    -------
    ndarray of shape (size, size) or (size, size, 3), uint8
    """
    size = v.check_positive_int(size, "size", maximum=MAX_SIZE)
    sq = center_crop(img)
    if sq.shape[0] == size:
        return sq.copy()
    pil = Image.fromarray(sq)
    return np.array(pil.resize((size, size), Image.Resampling.LANCZOS, reducing_gap=3.0))


def fit_within(img, max_side):
    """Shrink ``img`` so neither side exceeds ``max_side``, keeping the aspect ratio (never enlarges).

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    max_side : int

    Returns
    -------
    ndarray of shape (h', w'[, 3]), uint8, with max(h', w') <= max_side
    """
    max_side = v.check_positive_int(max_side, "max_side", maximum=MAX_SIZE)
    img = _check_image(img)
    h, w = img.shape[:2]
    if max(h, w) <= max_side:
        return img.copy()
    scale = max_side / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.array(Image.fromarray(img).resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0))


def to_model_input(img, size, channels=3):
    """The picture a model of input ``size`` x ``size`` x ``channels`` sees: centre-crop, resize, colour.

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8
    size : int
    channels : {1, 3}, default=3; 1 = grey (ITU-R 601-2 luma), 3 = RGB (grey is repeated)

    Returns
    -------
    ndarray of shape (size, size, channels), uint8
    """
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grey) or 3 (RGB); got {channels!r}")
    out = resize_square(img, size)
    if channels == 1:
        return gray_from_rgb(out)[..., None]
    return np.repeat(out[..., None], 3, axis=2) if out.ndim == 2 else out


# --------------------------------------------------------------------------- flattening


def image_to_column(img):
    """One image (h, w, c) -> a column of shape (h*w*c, 1), as ``img.reshape(-1, 1)``.

    The lecture's example: an image of shape (64, 100, 3) becomes a (19200, 1) column.
    NumPy reads in C order (last axis fastest), so the column starts with the red, green
    and blue values of pixel (0, 0), then those of pixel (0, 1), and so on row by row.
    """
    img = np.asarray(img)
    if img.ndim not in (2, 3):
        raise ValueError(f"img must have shape (h, w, c) or (h, w); got {img.shape}")
    return img.reshape(-1, 1)


def column_to_image(col, shape):
    """Inverse of :func:`image_to_column`: a (h*w*c, 1) column back to ``shape``."""
    col = np.asarray(col)
    shape = tuple(int(s) for s in shape)
    if col.size != int(np.prod(shape)):
        raise ValueError(f"a column of {col.size} values cannot be reshaped to {shape} ({int(np.prod(shape))} values)")
    return col.reshape(shape)


def _check_batch(imgs):
    imgs = np.asarray(imgs)
    if imgs.ndim < 2 or imgs.shape[0] == 0:
        raise ValueError(f"imgs must have shape (m, h, w, c) with m >= 1; got {imgs.shape}")
    return imgs


def flatten_dataset(imgs):
    """The course's flatten: (m, h, w, c) -> X of shape (h*w*c, m), column j = image j.

    ``imgs.reshape(imgs.shape[0], -1).T``: first each image becomes a row, then the
    transpose makes the rows columns.
    """
    imgs = _check_batch(imgs)
    return imgs.reshape(imgs.shape[0], -1).T


def wrong_flatten(imgs):
    """The classic mistake: ``imgs.reshape(-1, m)``. Right shape (h*w*c, m), scrambled content.

    NumPy fills the (h*w*c, m) result row by row from the images laid end to end, so
    column j takes every m-th value across *all* images instead of image j.
    """
    imgs = _check_batch(imgs)
    return imgs.reshape(-1, imgs.shape[0])


def columns_to_images(X, shape):
    """Each column of X (n_x, m) back to an image of ``shape`` -> (m, *shape) (to look at them)."""
    X = np.asarray(X)
    shape = tuple(int(s) for s in shape)
    if X.ndim != 2 or X.shape[0] != int(np.prod(shape)):
        raise ValueError(f"X must have shape ({int(np.prod(shape))}, m) for images of shape {shape}; got {X.shape}")
    return X.T.reshape((X.shape[1],) + shape)


def standardize(X):
    """Pixel values 0..255 -> 0..1: ``X / 255`` (the course's standardization for images), float64."""
    return np.asarray(X, dtype=np.float64) / 255.0


# --------------------------------------------------------------------------- MNIST-style preprocessing


def mnist_stages(img, *, box=20, canvas=28):
    """Prepare a photo of one digit the way MNIST digits were made, keeping every stage.

    1. grey; 2. invert if the background (median of the border) is light, so the digit
    is light on dark; 3. subtract the background and stretch the contrast, dropping faint
    noise; 4. crop to the bounding box of the remaining ink;
    5. scale to fit in ``box`` x ``box`` keeping the aspect ratio; 6. paste into a
    ``canvas`` x ``canvas`` black image so the centre of mass is at the centre.

    Parameters
    ----------
    img : ndarray of shape (h, w) or (h, w, 3), uint8

    Returns
    -------
    list of (name, ndarray uint8) : the stages in order, the last of shape (canvas, canvas)

    Raises
    ------
    ImageError
        if the image is (nearly) uniform: there is no digit to find.
    """
    img = _check_image(img)
    stages = []
    g = gray_from_rgb(img) if img.ndim == 3 else img
    stages.append(("grey", g))
    border = np.concatenate([g[0, :], g[-1, :], g[:, 0], g[:, -1]])
    if np.median(border) > 127:
        g = 255 - g
        stages.append(("inverted: light digit on dark", g))
    else:
        stages.append(("already light on dark", g))
    gf = g.astype(np.float64)
    bg = float(np.median(np.concatenate([gf[0, :], gf[-1, :], gf[:, 0], gf[:, -1]])))
    peak = float(gf.max())
    if peak - bg < 20:
        raise ImageError("no digit found: the image is almost uniform; write a dark digit on light paper and retake it")
    level = np.clip((gf - bg) / (peak - bg), 0.0, 1.0)
    level[level < 0.2] = 0.0  # paper texture, shadows
    clean = np.rint(level * 255).astype(np.uint8)
    stages.append(("background removed, contrast stretched", clean))
    rows, cols = np.nonzero(clean)
    crop = clean[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    stages.append(("cropped to the ink", crop))
    h, w = crop.shape
    scale = box / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = np.array(Image.fromarray(crop).resize((nw, nh), Image.Resampling.LANCZOS, reducing_gap=3.0))
    stages.append((f"scaled to fit {box} x {box}", small))
    out = np.zeros((canvas, canvas), dtype=np.uint8)
    mass = small.astype(np.float64)
    total = mass.sum()
    if total > 0:
        cy = (mass.sum(axis=1) @ np.arange(nh)) / total
        cx = (mass.sum(axis=0) @ np.arange(nw)) / total
    else:
        cy, cx = (nh - 1) / 2, (nw - 1) / 2
    c = canvas / 2  # MNIST puts the centre of mass at pixel (14, 14) of 28 x 28
    top = int(np.clip(round(c - cy), 0, canvas - nh))
    left = int(np.clip(round(c - cx), 0, canvas - nw))
    out[top : top + nh, left : left + nw] = small
    stages.append((f"centred by mass in {canvas} x {canvas}", out))
    return stages


def mnist_preprocess(img):
    """A photo of one digit -> a (28, 28) uint8 image like MNIST's (see :func:`mnist_stages`)."""
    return mnist_stages(img)[-1][1]


# --------------------------------------------------------------------------- a zip of class folders

#: Limits for an uploaded zip of class folders.
MAX_ZIP_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 10 * 1024 * 1024
#: Folder-name prefixes that mark the negative class when the caller does not choose.
_NEGATIVE_PREFIXES = ("not", "non", "no_", "no-", "neg")


@dataclass(frozen=True)
class ClassZip:
    """Images loaded from a zip of two class folders.

    Attributes
    ----------
    X : ndarray of shape (m, size, size, channels), uint8 (the course's ``train_set_x_orig`` layout)
    Y : ndarray of shape (1, m), int64, 1 for the positive class
    class_names : tuple (name of label 0, name of label 1)
    members : list of str, the zip member each example came from
    skipped : list of (member, reason), files that were not used
    """

    X: np.ndarray
    Y: np.ndarray
    class_names: tuple[str, str]
    members: list[str]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _ignored(parts) -> bool:
    """macOS resource forks, hidden files and folders (``.DS_Store``, ``._x.jpg``), Windows thumbnails."""
    return any(p == "__MACOSX" or p.startswith(".") for p in parts) or parts[-1].lower() in ("thumbs.db", "desktop.ini")


def _class_parts(infos):
    """(info, parts) for files worth reading, with a common top folder ("dataset/cats/x.jpg") removed."""
    files = []
    for info in infos:
        if info.is_dir():
            continue
        parts = [p for p in info.filename.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts or _ignored(parts):
            continue
        files.append((info, parts))
    while files and any(len(p) >= 3 for _, p in files) and len({p[0] for _, p in files}) == 1:
        files = [(i, p[1:]) for i, p in files]
    return files


def _pick_positive(names, positive):
    """(negative, positive) from two sorted folder names."""
    if positive is not None:
        if positive not in names:
            raise ImageError(f"positive class {positive!r} is not one of the folders {list(names)}")
        return (names[0] if names[1] == positive else names[1], positive)
    negated = [n for n in names if n.lower().startswith(_NEGATIVE_PREFIXES)]
    if len(negated) == 1:
        neg = negated[0]
        return (neg, names[0] if names[1] == neg else names[1])
    return (names[0], names[1])


def _read_capped(zf, info, cap):
    """The member's bytes, reading at most ``cap`` + 1 (declared sizes can lie)."""
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ImageError(f"larger than {cap / 1e6:.0f} MB when unpacked")
    return data


def load_class_zip(
    data,
    *,
    size=64,
    channels=3,
    positive=None,
    max_bytes=MAX_ZIP_BYTES,
    max_members=MAX_ZIP_MEMBERS,
    max_total_uncompressed=MAX_ZIP_TOTAL_UNCOMPRESSED,
    max_member_bytes=MAX_ZIP_MEMBER_BYTES,
    max_pixels=MAX_PIXELS,
) -> ClassZip:
    """Build a labelled image set from a zip of two class folders, in memory.

    Layout: ``cats/1.jpg, cats/2.png, not_cats/a.jpg, ...``; one common top folder
    (``my_data/cats/...``) is tolerated, deeper subfolders belong to their class folder,
    ``__MACOSX``, hidden files and files at the top level are ignored. Nothing is
    written to disk. Each image goes through :func:`decode_image` and
    :func:`to_model_input` (centre-crop, resize).

    Labels: ``positive`` names the folder labelled 1. If it is None and exactly one
    folder name starts with "not"/"non"/"no_"/"neg", that one is labelled 0 and the
    other 1; otherwise the folders are sorted and the second is labelled 1.

    Parameters
    ----------
    data : bytes, the zip file
    size : int, default=64 (keyword-only), side of each output image
    channels : {1, 3}, default=3 (keyword-only)
    positive : str or None (keyword-only), the folder name labelled 1
    max_bytes, max_members, max_total_uncompressed, max_member_bytes, max_pixels : int (keyword-only)
        Caps on the zip size, the number of entries, the declared total unpacked size,
        each member's unpacked size (checked on the declared size *and* while reading)
        and each image's pixel count.

    Returns
    -------
    ClassZip

    Raises
    ------
    ImageError
        not a zip, too large, a zip bomb, not exactly two class folders, or a class without readable images.
    """
    data = _as_bytes(data, "the zip file")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels!r}")
    size = v.check_positive_int(size, "size", maximum=MAX_SIZE)
    if len(data) == 0:
        raise ImageError("the zip file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ImageError(f"the zip file is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB is accepted")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImageError(f"this is not a zip file ({exc}); zip a folder holding two class folders") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise ImageError(f"the zip holds {len(infos)} entries; at most {max_members} are accepted")
        files = _class_parts(infos)
        declared = sum(i.file_size for i, _ in files)
        if declared > max_total_uncompressed:
            raise ImageError(
                f"the zip unpacks to {declared / 1e6:.0f} MB; at most {max_total_uncompressed / 1e6:.0f} MB is accepted"
            )
        skipped: list[tuple[str, str]] = []
        by_class: dict[str, list[tuple[str, np.ndarray]]] = {}
        for info, parts in sorted(files, key=lambda f: f[1]):
            name = info.filename
            if len(parts) < 2:
                skipped.append((name, "not inside a class folder"))
                continue
            by_class.setdefault(parts[0], [])
            if info.flag_bits & 0x1:
                skipped.append((name, "encrypted"))
                continue
            if info.file_size > max_member_bytes:
                skipped.append((name, f"larger than {max_member_bytes / 1e6:.0f} MB when unpacked"))
                continue
            try:
                raw = _read_capped(zf, info, max_member_bytes)
                img = decode_image(raw, max_pixels=max_pixels, max_bytes=max_member_bytes, draft_size=size)
                by_class[parts[0]].append((name, to_model_input(img, size, channels)))
            except ImageError as exc:
                skipped.append((name, str(exc)))
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
                skipped.append((name, f"cannot be unpacked ({exc})"))
    names = sorted(by_class)
    if not names:
        raise ImageError("no class folders found: the zip should hold two folders of images, e.g. cats/ and not_cats/")
    if len(names) != 2:
        raise ImageError(
            f"exactly two class folders are needed; found {len(names)}: {names[:10]}"
            + (" (put the other images in a second folder)" if len(names) == 1 else "")
        )
    for n in names:
        if not by_class[n]:
            raise ImageError(f"the folder {n!r} has no readable images")
    neg, pos = _pick_positive(names, positive)
    pairs = [(0, item) for item in by_class[neg]] + [(1, item) for item in by_class[pos]]
    X = np.stack([img for _, (_, img) in pairs]).astype(np.uint8)
    Y = np.array([[label for label, _ in pairs]], dtype=np.int64)
    return ClassZip(X=X, Y=Y, class_names=(neg, pos), members=[m for _, (m, _) in pairs], skipped=skipped)

"""Bytes -> pixels, bounded: a picture file becomes a small uint8 array without ever being big in float.

Every picture comes from a stranger (the app is shared as a link), so decoding is limited
three ways before and while it runs:

- only the formats in :data:`IMAGE_TYPES` are opened (Pillow's other plugins never see the bytes);
- the memory the decode needs is estimated from the header (size, colour mode, format) and a
  file whose estimate exceeds :data:`DECODE_BUDGET_BYTES` is refused before any pixel is decoded;
- a JPEG with more than :data:`~logreg.filewalk.MAX_JPEG_SCANS` scans is refused before any scan is decoded (libjpeg
  makes one pass over every coefficient per scan, so the CPU a decode costs grows with the scans);
- before Pillow sees the bytes, a PNG's chunks, a JPEG's marker segments and a GIF's blocks are walked on the raw
  bytes (lengths and types only, :mod:`logreg.filewalk`) and a file with more of them than any real picture holds
  is refused: Pillow's own parsers run in Python over every one of them at ``Image.open``, before any other check
  could run;
- a run-length-encoded BMP over a million pixels, or longer than any encoder writes it, is refused (Pillow
  decodes RLE in pure Python, a command at a time);
- the picture is shrunk in Pillow while it is still in an 8-bit integer mode (JPEG ``draft``,
  then ``reduce`` band by band), so colour conversion, transparency and 16-bit scaling only ever
  touch a small copy. The result's longer side is at most ``max_side``.

Every user-facing problem is an :class:`ImageError` (a ``ValueError``) whose message says what is
wrong and what to do.
"""

from __future__ import annotations

import io
import math
import warnings

import numpy as np
from PIL import Image, UnidentifiedImageError

from . import _validate as v
from .filewalk import ImageError, check_before_open, rle_bmp_check

#: The one list of picture types the app accepts (file uploaders, zip members, decoding).
IMAGE_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")
#: Pillow's names for those types: Pillow opens nothing else (TIFF, EPS, ... never reach a decoder).
PIL_FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")
#: Largest encoded file accepted (bytes).
MAX_IMAGE_BYTES = 20 * 1024 * 1024
#: Memory one decode may take at full resolution (the goal: any upload <= 300 MB over a normal picture;
#: the rest of the 300 MB is the shrinking bands, the output and the decoder's own buffers).
DECODE_BUDGET_BYTES = 160 * 1024 * 1024
#: Pillow keeps at most 4 bytes per pixel (RGBA, CMYK, 32-bit modes), so this many pixels fit the budget.
MAX_PIXELS = DECODE_BUDGET_BYTES // 4
#: Longest side accepted (a 40-million-pixel image 1 pixel tall would defeat the band-wise shrinking).
MAX_DECLARED_SIDE = 32768
#: Longest side of a decoded picture (everything the app does uses at most 1024).
MAX_DECODED_SIDE = 2048
#: Pixels converted at a time while shrinking (one band: ~8 MB in RGBA).
BAND_PIXELS = 2_000_000
#: Extra bytes per full-resolution pixel some decoders hold besides the picture (see bench/hostile.py):
#: libwebp decodes to an RGBA canvas and hands Pillow a copy; a progressive JPEG keeps its 16-bit
#: DCT coefficients for every component at full size, whatever the draft scale.
_DECODER_EXTRA_BPP = {"WEBP": 8}
_PROGRESSIVE_JPEG_BPP = 6  # 2 bytes x 3 components; more for CMYK (see decode_cost)
#: Pillow calls a JPEG with a multi-picture index (many phone cameras write one) "MPO"; it decodes the same.
_JPEG = ("JPEG", "MPO")

_EXIF_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def accepted_types_text() -> str:
    """The accepted types for messages: "PNG, JPG, JPEG, WEBP, BMP or GIF"."""
    names = [t.upper() for t in IMAGE_TYPES]
    return ", ".join(names[:-1]) + " or " + names[-1]


def as_bytes(data, what="the image") -> bytes:
    """``data`` as ``bytes``, or an ImageError naming ``what`` was given instead."""
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise ImageError(f"{what} must be given as bytes; got {type(data).__name__}")


def check_image(img, name="img") -> np.ndarray:
    """A decoded picture as uint8 (h, w) or (h, w, 3); (h, w, 1) becomes (h, w). ImageError otherwise."""
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


def gray_from_rgb(img) -> np.ndarray:
    """ITU-R 601-2 luma, as Pillow's ``convert("L")``: L = 0.299 R + 0.587 G + 0.114 B (uint8 (h, w))."""
    img = np.asarray(img)
    if img.ndim == 2:
        return img.astype(np.uint8, copy=False)
    if img.ndim == 3 and img.shape[2] == 1:
        return img[..., 0].astype(np.uint8, copy=False)
    if img.ndim != 3 or img.shape[2] != 3:
        raise ImageError(f"expected an image of shape (h, w) or (h, w, 3); got {img.shape}")
    return np.array(Image.fromarray(np.ascontiguousarray(img, dtype=np.uint8)).convert("L"))


# --------------------------------------------------------------------------- the memory estimate


def storage_bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow keeps per pixel in ``mode``: 1 for 1/L/P, 2 for I;16, 4 for everything else."""
    if mode in ("1", "L", "P"):
        return 1
    if mode.startswith("I;16"):
        return 2
    return 4


def decode_cost(img: Image.Image, declared_size: tuple[int, int], *, scans: int | None = None) -> int:
    """Bytes the decode of an opened (not yet loaded) ``img`` needs at its largest, from its header.

    The picture at the size it will be decoded to (after a JPEG draft), plus what the format's
    decoder holds at the declared size (WebP's canvas copy; a JPEG's coefficients, 2 bytes per
    component and pixel, whenever libjpeg must buffer the whole picture: a progressive JPEG, or a
    baseline one whose components come in more than one scan, ``scans`` from :func:`~logreg.filewalk.jpeg_scan_count`).
    """
    w, h = img.size
    full = declared_size[0] * declared_size[1]
    extra = _DECODER_EXTRA_BPP.get(img.format or "", 0)
    if img.format in _JPEG:
        progressive = "progressive" in img.info or "progression" in img.info
        if progressive or (scans is not None and scans > 1):
            extra = max(_PROGRESSIVE_JPEG_BPP, 2 * len(img.getbands()))
    return w * h * storage_bytes_per_pixel(img.mode) + full * extra


# --------------------------------------------------------------------------- shrinking in integer modes


def _work_mode(img: Image.Image) -> str:
    """The 8-bit mode a band is converted to before it is reduced (alpha kept for compositing)."""
    mode = img.mode
    if mode in ("1", "L"):
        return "L"
    if mode == "P":
        has_alpha = "transparency" in img.info or (img.palette is not None and img.palette.mode == "RGBA")
        return "RGBA" if has_alpha else "RGB"
    if mode in ("LA", "La"):
        return "LA"
    if mode in ("RGBA", "RGBa", "PA"):
        return "RGBA"
    if mode.startswith("I"):  # 16- or 32-bit grey: scaled to 8 bits band by band
        return "L"
    return "RGB"  # RGB, CMYK, YCbCr, LAB, HSV, RGBX


def _band_to_work(band: Image.Image, work: str) -> Image.Image:
    if band.mode.startswith("I"):
        # 16-bit grey (PNG): 0..65535 -> 0..255 by /257, so 65535 -> 255 exactly. The band is small.
        a = np.asarray(band, dtype=np.float64)
        return Image.fromarray(np.rint(np.clip(a, 0, 65535) / 257.0).astype(np.uint8))
    if band.mode in ("RGBa", "La"):  # premultiplied alpha
        band = band.convert(band.mode.upper())
    return band if band.mode == work else band.convert(work)


def shrink_factor(size: tuple[int, int], *, max_side: int, min_side: int | None = None) -> int:
    """The integer factor that brings the longer side to ``max_side`` or less, and further while the
    shorter side stays at least ``min_side`` (a model needs no more than that)."""
    w, h = size
    f = -(-max(w, h) // max_side)
    if min_side is not None:
        f = max(f, min(w, h) // min_side)
    return max(f, 1)


def shrink_integer(img: Image.Image, factor: int) -> Image.Image:
    """``img`` reduced ``factor`` times (box average) in an 8-bit mode (L, LA, RGB or RGBA).

    Works on horizontal bands of about :data:`BAND_PIXELS` pixels: only one band at a time is ever
    converted, so a palette picture with transparency never exists as full-size RGBA.
    """
    work = _work_mode(img)
    w, h = img.size
    if factor == 1 and w * h <= BAND_PIXELS:
        return _band_to_work(img, work)
    rows = max(factor, (BAND_PIXELS // w) // factor * factor)
    out = Image.new(work, (-(-w // factor), -(-h // factor)))
    for top in range(0, h, rows):
        band = _band_to_work(img.crop((0, top, w, min(h, top + rows))), work)
        out.paste(band.reduce(factor) if factor > 1 else band, (0, top // factor))
    return out


def _composite_on_white(arr: np.ndarray) -> np.ndarray:
    """(h, w, 2 or 4) with alpha last -> (h, w) or (h, w, 3), transparent parts white."""
    alpha = arr[..., -1:].astype(np.float64) / 255.0
    color = arr[..., :-1].astype(np.float64)
    out = np.rint(color * alpha + 255.0 * (1.0 - alpha)).astype(np.uint8)
    return out[..., 0] if out.shape[-1] == 1 else out


def _orientation(img: Image.Image) -> int:
    try:
        return int(img.getexif().get(0x0112, 1))
    except Exception:  # a malformed EXIF block is no reason to refuse the picture
        return 1


# --------------------------------------------------------------------------- decode_image


def _open(data: bytes, bomb_warning: str) -> tuple[Image.Image, int | None]:
    """``Image.open`` (the accepted formats only) after the checks on the raw bytes; (image, a JPEG's scans).

    Pillow parses a PNG's chunks, a JPEG's header segments and a GIF's blocks in Python as it opens the file, so
    they are counted first (:func:`logreg.filewalk.check_before_open`): a file of millions of them is refused
    before Pillow reads one.
    ``bomb_warning`` is what becomes of Pillow's DecompressionBombWarning ("error" or "ignore").
    """
    scans = check_before_open(data)
    with warnings.catch_warnings():
        warnings.simplefilter(bomb_warning, Image.DecompressionBombWarning)
        return Image.open(io.BytesIO(data), formats=PIL_FORMATS), scans


def _open_checked(data: bytes, max_pixels: int, budget: int, draft: int) -> tuple[Image.Image, int, tuple[int, int]]:
    """Open, check the header against the caps, set a JPEG draft; (image, EXIF orientation, declared size)."""
    # Pillow warns (and only errors at 2x its global limit); here any bomb warning is an error.
    img, scans = _open(data, "error")
    w, h = img.size
    if w * h > max_pixels or max(w, h) > MAX_DECLARED_SIDE:
        raise ImageError(
            f"the image declares {w} x {h} = {w * h:,} pixels; at most {max_pixels:,} pixels and "
            f"{MAX_DECLARED_SIDE:,} per side are accepted (a huge or malicious file); resize it first"
        )
    if img.format == "BMP" and img.tile and img.tile[0][0] == "bmp_rle":
        rle_bmp_check(w, h, len(data) - img.tile[0][2])  # Pillow reads the commands from the tile's offset to the end
    orientation = _orientation(img)
    if img.format in _JPEG:
        img.draft(None, (draft, draft))  # decode at 1/2, 1/4 or 1/8 scale while both sides stay >= draft
    cost = decode_cost(img, (w, h), scans=scans)
    if cost > budget:
        raise ImageError(
            f"decoding this {w} x {h} {img.format} picture would take about {cost / 2**20:.0f} MB of memory; "
            f"at most {budget / 2**20:.0f} MB per picture is allowed; save it smaller first"
        )
    return img, orientation, (w, h)


def decode_image(data, *, mode="RGB", max_pixels=MAX_PIXELS, max_bytes=MAX_IMAGE_BYTES, draft_size=None,
                 max_side=MAX_DECODED_SIDE, budget=DECODE_BUDGET_BYTES):
    """Decode a picture file's bytes to a small uint8 array, with bounded memory.

    Handles EXIF orientation (a phone photo comes out upright), every colour mode of the accepted
    types (palette, 1-bit, 16-bit grey scaled to 8 bits, CMYK JPEG, ...), transparency (composited
    on white) and animations (the first frame).

    Parameters
    ----------
    data : bytes, the encoded file, one of :data:`IMAGE_TYPES`
    mode : {"RGB", "L"}, default="RGB" (keyword-only)
        ``"RGB"`` returns shape (h, w, 3), ``"L"`` returns grey (h, w).
    max_pixels : int, default=MAX_PIXELS (keyword-only)
        Images declaring more than ``max_pixels`` (width x height) are refused before decoding.
    max_bytes : int, default=MAX_IMAGE_BYTES (keyword-only), the largest file accepted.
    draft_size : int or None, default=None (keyword-only)
        If given, the picture is shrunk (by an integer factor, in Pillow, before any conversion)
        as long as both sides stay at least ``draft_size``: callers that resize to ``draft_size``
        anyway get the same picture for a fraction of the work.
    max_side : int, default=MAX_DECODED_SIDE (keyword-only), the longest side returned.
    budget : int, default=DECODE_BUDGET_BYTES (keyword-only), the memory estimate above which a
        file is refused before decoding.

    Returns
    -------
    ndarray of shape (h, w, 3) or (h, w), uint8, with max(h, w) <= max_side

    Raises
    ------
    ImageError
        for an empty or oversized file, a type not in :data:`IMAGE_TYPES`, a truncated or
        corrupt file, an image that would need too many pixels or too much memory, or a JPEG with
        more than :data:`~logreg.filewalk.MAX_JPEG_SCANS` scans.
    """
    return decode_image_sized(data, mode=mode, max_pixels=max_pixels, max_bytes=max_bytes, draft_size=draft_size,
                              max_side=max_side, budget=budget)[0]


def decode_image_sized(data, *, mode="RGB", max_pixels=MAX_PIXELS, max_bytes=MAX_IMAGE_BYTES, draft_size=None,
                       max_side=MAX_DECODED_SIDE, budget=DECODE_BUDGET_BYTES) -> tuple[np.ndarray, tuple[int, int]]:
    """:func:`decode_image`, and the (height, width) the file declares, upright (after its EXIF orientation).

    The size comes from the header the checked decode read, so a caller that tells how a picture was shrunk
    never opens the bytes a second time.
    """
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be 'RGB' or 'L'; got {mode!r}")
    max_pixels = v.check_positive_int(max_pixels, "max_pixels")
    max_side = v.check_positive_int(max_side, "max_side", maximum=MAX_DECLARED_SIDE)
    draft = max_side if draft_size is None else min(v.check_positive_int(draft_size, "draft_size"), max_side)
    data = as_bytes(data)
    if len(data) == 0:
        raise ImageError(f"the file is empty (0 bytes); choose a picture ({accepted_types_text()})")
    if len(data) > max_bytes:
        raise ImageError(f"the file is {len(data) / 1e6:.1f} MB; images up to {max_bytes / 1e6:.0f} MB are accepted")
    try:
        img, orientation, (w0, h0) = _open_checked(data, max_pixels, budget, draft)
        img.load()
        factor = shrink_factor(img.size, max_side=max_side, min_side=None if draft_size is None else draft)
        small = shrink_integer(img, factor)
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(f"this file is not a picture this app reads; upload a {accepted_types_text()} file") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageError(f"the image is too large to decode safely ({exc})") from None
    except (OSError, SyntaxError, EOFError, ValueError, IndexError, TypeError, MemoryError) as exc:
        raise ImageError(f"the image file is truncated or corrupt ({exc}); try saving it again") from None
    if orientation in _EXIF_TRANSPOSE:
        small = small.transpose(_EXIF_TRANSPOSE[orientation])
    declared = (w0, h0) if orientation in (5, 6, 7, 8) else (h0, w0)  # a quarter turn swaps the sides
    arr = np.asarray(small, dtype=np.uint8)
    if small.mode in ("LA", "RGBA"):
        arr = _composite_on_white(arr)
    if mode == "L":
        return gray_from_rgb(arr), declared
    return (np.repeat(arr[..., None], 3, axis=2) if arr.ndim == 2 else arr), declared


def decoded_pixels(data: bytes, draft_size: int | None = None) -> int:
    """Pixels :func:`decode_image` would decode at full resolution (a JPEG at its draft scale); 0 if Pillow
    cannot read the header or refuses it before Pillow opens it (:func:`_open`). Reads the header only: this is
    what a budget over many pictures counts."""
    try:
        img, _ = _open(data, "ignore")
        with img:
            if img.format in _JPEG and draft_size is not None:
                img.draft(None, (draft_size, draft_size))
            return math.prod(img.size)
    except Exception:  # noqa: BLE001 - any unreadable header counts as nothing; decode_image says why
        return 0

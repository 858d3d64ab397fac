"""Bytes -> pixels, bounded: a picture file becomes a small uint8 array without ever being big in float.

Every picture comes from a stranger (the app is shared as a link), so decoding is limited
three ways before and while it runs:

- only the formats in :data:`IMAGE_TYPES` are opened (Pillow's other plugins never see the bytes);
- the memory the decode needs is estimated from the header (size, colour mode, format) and a
  file whose estimate exceeds :data:`DECODE_BUDGET_BYTES` is refused before any pixel is decoded;
- a JPEG with more than :data:`MAX_JPEG_SCANS` scans is refused before any scan is decoded (libjpeg
  makes one pass over every coefficient per scan, so the CPU a decode costs grows with the scans);
- before Pillow sees the bytes, a PNG's chunks and a JPEG's marker segments are walked on the raw bytes
  (lengths and types only) and a file with more of them than any real picture holds is refused: Pillow's own
  parsers run in Python over every chunk or segment at ``Image.open``, before any other check could run;
- a run-length-encoded BMP over :data:`MAX_RLE_BMP_PIXELS` is refused (Pillow decodes RLE in pure Python);
- the picture is shrunk in Pillow while it is still in an 8-bit integer mode (JPEG ``draft``,
  then ``reduce`` band by band), so colour conversion, transparency and 16-bit scaling only ever
  touch a small copy. The result's longer side is at most ``max_side``.

Every user-facing problem is an :class:`ImageError` (a ``ValueError``) whose message says what is
wrong and what to do.
"""

from __future__ import annotations

import io
import math
import re
import time
import warnings

import numpy as np
from PIL import Image, UnidentifiedImageError

from . import _validate as v

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
#: Most scans a JPEG may hold. libjpeg makes one pass over all the picture's coefficients per scan, so a
#: progressive JPEG's decode costs CPU in proportion to scans x pixels, and a few kB can repeat one scan
#: thousands of times (about 4.5 ms each at 2000 x 2000 on this machine; a 5 MB upload, ~25 min). Encoders write
#: 1 scan (baseline), 6 (grey) or 10 (colour: libjpeg's and Pillow's progressive script), and mozjpeg's scan
#: optimisation stays near 10; 64 leaves room for hand-made scripts (a scan per band and bit plane). The worst
#: case left, 64 scans on the largest progressive picture the memory budget lets through (5000 x 5000), took
#: 1.8 s of CPU here (its normal 6 scans: 0.12 s), inside the 10 s an upload may cost. The idea of
#: libjpeg-turbo's ``djpeg -maxscans``.
MAX_JPEG_SCANS = 64
#: Most marker segments read while counting scans (a real JPEG has a few dozen; ~320 APP segments of 64 kB fill
#: a 20 MB file): bounds the Python loop of :func:`jpeg_scan_count` on a file of millions of empty segments.
MAX_JPEG_MARKERS = 4096
#: Bytes a JPEG may hold between its marker segments before its first scan: fill (0xFF) and garbage. Pillow's
#: parser steps over them one byte at a time in Python (5 MB of fill: 3.6 s of CPU); libjpeg skips them in C.
#: Encoders write none; the standard allows fill before any marker, and 64 kB of it costs Pillow ~0.05 s.
MAX_JPEG_SKIPPED_BYTES = 65_536
#: Pillow parses every PNG chunk before the picture data at ``Image.open`` (and those after it once the data is
#: read), in Python, checking each CRC, and inflates each compressed one up to 1 MB: an ICC profile (``iCCP``)
#: is not counted in its 64 MB limit on text, so 4,700 of them in a 5 MB file cost 12 s of CPU. The PNG standard
#: allows one ``iCCP``; phones, editors and Pillow write none to a handful of text chunks (a caption, software,
#: dates, XMP: editors write under 10); the other chunk types are single, except an animated PNG's one frame
#: header per frame. The picture data may come in many chunks (libpng writes 8 kB ones: 2,560 in a 20 MB file)
#: and Pillow reads each in Python (~3.6 µs): 20,000 bound it to ~0.1 s whatever their size.
MAX_PNG_ICC_PROFILES = 1
MAX_PNG_TEXT_CHUNKS = 64
MAX_PNG_CHUNKS = 1_000
MAX_PNG_DATA_CHUNKS = 20_000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_TEXT = frozenset([b"tEXt", b"zTXt", b"iTXt"])
_PNG_DATA = frozenset([b"IDAT", b"fdAT"])
#: Largest run-length-encoded BMP (RLE8, RLE4) accepted, in pixels. Pillow decodes RLE in pure Python, at up to
#: ~0.7 µs a pixel (RLE4 runs of one pixel; a 6 kB RLE8 file of 40 M pixels, a pixel then end-of-line in each
#: row, cost 6.5 s). RLE is written by old Windows tools for small palette pictures; at 1 M pixels (1000 x 1000)
#: the worst case, RLE4 in runs of one pixel, costs about 1 s of CPU.
MAX_RLE_BMP_PIXELS = 1_000_000
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


class ImageError(ValueError):
    """An image (or an archive of images) that cannot be used, with a message for the user."""


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
    baseline one whose components come in more than one scan, ``scans`` from :func:`jpeg_scan_count`).
    """
    w, h = img.size
    full = declared_size[0] * declared_size[1]
    extra = _DECODER_EXTRA_BPP.get(img.format or "", 0)
    if img.format in _JPEG:
        progressive = "progressive" in img.info or "progression" in img.info
        if progressive or (scans is not None and scans > 1):
            extra = max(_PROGRESSIVE_JPEG_BPP, 2 * len(img.getbands()))
    return w * h * storage_bytes_per_pixel(img.mode) + full * extra


# --------------------------------------------------------------------------- counting a JPEG's scans

#: A marker that may start a segment or a scan: 0xFF then a code in 0xC0..0xFE other than RST0..7 (0xD0..0xD7).
#: 0xFF 0x00 is a stuffed 0xFF inside entropy-coded data and 0xFF 0xFF is fill; codes below 0xC0 (TEM, reserved)
#: and RSTn carry no length, so skipping them in the search (as libjpeg's resync skips them) changes no framing.
_JPEG_MARKER = re.compile(rb"\xff[\xc0-\xcf\xd8-\xfe]")
#: Markers libjpeg reads or skips by their declared length (it stops with an error if the length is wrong):
#: SOFn, DHT, DAC, SOS, DQT, DNL, DRI, APPn, COM. Any other code (JPG, DHP, EXP, JPGn) is an error in
#: libjpeg; it is searched through, not skipped, so its bytes can only add to the count.
_JPEG_LENGTH_MARKERS = frozenset([*range(0xC0, 0xC8), *range(0xC9, 0xD0), 0xDA, 0xDB, 0xDC, 0xDD, *range(0xE0, 0xF0),
                                  0xFE])
_SOS, _EOI = 0xDA, 0xD9


def jpeg_scan_count(data: bytes, *, stop_above: int = MAX_JPEG_SCANS) -> int:
    """Start-of-scan markers (0xFF 0xDA) in a JPEG's first picture, found the way libjpeg finds them.

    Walks the marker segments from the start: a segment with a length is skipped whole (so bytes inside EXIF,
    an ICC profile or a thumbnail are never counted); after a scan's header comes its entropy-coded data,
    searched for the next marker (0xFF then a code: 0xFF 0x00 and 0xFF 0xFF are data and fill); garbage
    between segments is passed over, as libjpeg passes over it. The walk ends at the end-of-image marker
    (libjpeg reads nothing after it; a multi-picture file's other pictures are never decoded). Where libjpeg
    would not use a segment's length, the walk searches through it instead: it may count more scans than
    libjpeg would, never fewer.

    Returns the count, or ``stop_above + 1`` as soon as it exceeds ``stop_above``. Raises ImageError after
    :data:`MAX_JPEG_MARKERS` segments (no real JPEG has that many; it bounds this loop's work, and Pillow's: it
    parses every segment before the first scan in Python, APP and COM segments included) or when more than
    :data:`MAX_JPEG_SKIPPED_BYTES` bytes lie between the segments before the first scan (fill or garbage, which
    Pillow steps over a byte at a time). Cheap on any input (the search runs in C), so it runs before Pillow.
    """
    scans = markers = skipped = 0
    pos = 0
    while True:
        # before the first scan Pillow's parser reads every byte not inside a segment: search only as far as allowed
        end = len(data) if scans else min(len(data), pos + MAX_JPEG_SKIPPED_BYTES - skipped + 2)
        found = _JPEG_MARKER.search(data, pos, end)
        if scans == 0:
            skipped += max(0, (end if found is None else found.start()) - pos)
            if skipped > MAX_JPEG_SKIPPED_BYTES:
                raise ImageError(f"this JPEG holds more than {MAX_JPEG_SKIPPED_BYTES:,} bytes of fill or garbage "
                                 "between its headers (a photo has none); save it again as a normal JPEG or a PNG")
        if found is None:
            return scans
        code = data[found.start() + 1]
        pos = found.end()
        if code == _EOI:
            return scans
        markers += 1
        if code == _SOS:
            scans += 1
        if scans > stop_above:
            return scans
        if markers > MAX_JPEG_MARKERS:
            raise ImageError(f"this JPEG holds more than {MAX_JPEG_MARKERS:,} marker segments (a photo has a few "
                             "dozen); save it again as a normal JPEG or a PNG")
        if code in _JPEG_LENGTH_MARKERS and pos + 2 <= len(data):
            pos += max(int.from_bytes(data[pos:pos + 2], "big"), 2)  # the length counts its own 2 bytes


# --------------------------------------------------------------------------- counting a PNG's chunks


def png_chunk_check(data: bytes) -> None:
    """Walk a PNG's chunks on the raw bytes (lengths and types, as Pillow walks them; no CRC, no inflating) and
    raise ImageError if it holds more than one ICC profile, :data:`MAX_PNG_TEXT_CHUNKS` text chunks,
    :data:`MAX_PNG_CHUNKS` chunks besides the picture data, or :data:`MAX_PNG_DATA_CHUNKS` data chunks.

    Stops at the end chunk (Pillow reads nothing after it) or where the bytes end; a truncated or malformed
    file is left for Pillow to report. At most ~21,000 steps, whatever the file.
    """
    pos, counts = len(_PNG_SIGNATURE), {"icc": 0, "text": 0, "other": 0, "data": 0}
    while pos + 8 <= len(data):
        cid = data[pos + 4:pos + 8]
        pos += 12 + int.from_bytes(data[pos:pos + 4], "big")  # length, type, data, CRC
        kind = "data" if cid in _PNG_DATA else "other"
        counts[kind] += 1
        if cid == b"iCCP":
            counts["icc"] += 1
        elif cid in _PNG_TEXT:
            counts["text"] += 1
        if counts["icc"] > MAX_PNG_ICC_PROFILES:
            raise ImageError("this PNG holds more than one colour profile (the PNG standard allows one, and each "
                             "can cost the server a second to unpack); save it again from an image editor")
        if counts["text"] > MAX_PNG_TEXT_CHUNKS:
            raise ImageError(f"this PNG holds more than {MAX_PNG_TEXT_CHUNKS} text chunks (a picture has a few); "
                             "save it again from an image editor")
        if counts["other"] > MAX_PNG_CHUNKS:
            raise ImageError(f"this PNG holds more than {MAX_PNG_CHUNKS:,} chunks besides its picture data (a picture "
                             "has a dozen or so); save it again from an image editor")
        if counts["data"] > MAX_PNG_DATA_CHUNKS:
            raise ImageError(f"this PNG's picture data is cut into more than {MAX_PNG_DATA_CHUNKS:,} pieces (an editor "
                             "writes pieces of 8 kB or more); save it again from an image editor")
        if cid == b"IEND":
            return


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

    Pillow parses a PNG's chunks and a JPEG's header segments in Python as it opens the file, so they are
    counted first (:func:`png_chunk_check`, :func:`jpeg_scan_count`): a file of millions of them is refused
    before Pillow reads one. Pillow opens as PNG or JPEG only files that start with these signatures.
    ``bomb_warning`` is what becomes of Pillow's DecompressionBombWarning ("error" or "ignore").
    """
    scans = None
    if data.startswith(_PNG_SIGNATURE):
        png_chunk_check(data)
    elif data.startswith(b"\xff\xd8"):
        scans = jpeg_scan_count(data)
        if scans > MAX_JPEG_SCANS:
            raise ImageError(
                f"this JPEG holds more than {MAX_JPEG_SCANS} scans (a photo has 1 to about 10), each a full pass "
                "over the picture: a file made to keep the server busy, or a very unusual encoder; save it again "
                "as a normal JPEG or a PNG"
            )
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
    if img.format == "BMP" and img.tile and img.tile[0][0] == "bmp_rle" and w * h > MAX_RLE_BMP_PIXELS:
        raise ImageError(
            f"this {w} x {h} BMP is run-length encoded, which this server decodes slowly: at most "
            f"{MAX_RLE_BMP_PIXELS:,} pixels are accepted in that form; save it as a PNG (or an uncompressed BMP)"
        )
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
        more than :data:`MAX_JPEG_SCANS` scans.
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


class DecodeBudget:
    """Pixels and CPU seconds that the decodes of one batch of uploads share (CPU of this thread only).

    Before each picture, :meth:`refusal` says why it may not be decoded (the time is used up, or its pixels,
    counted from its header by :func:`decoded_pixels`, would pass the total), or counts it; :meth:`timed`
    adds a decode's CPU time. Checked between pictures, so a batch costs at most one picture more.
    """

    def __init__(self, pixels: int, seconds: float, what: str = "these pictures"):
        self.pixels, self.seconds, self.what = pixels, seconds, what
        self.used_pixels, self.used_seconds = 0, 0.0

    def refusal(self, data: bytes, draft_size: int | None = None) -> str | None:
        """Why ``data`` may not be decoded, or None (and then its pixels are counted)."""
        if self.used_seconds > self.seconds:
            return f"not decoded: {self.what} used up their {self.seconds:g} s of decoding time; use fewer or smaller pictures"
        pixels = self.timed(decoded_pixels, data, draft_size)
        if self.used_pixels + pixels > self.pixels:
            return (f"not decoded: {self.what} hold more than {self.pixels:,} pixels in all; "
                    "use fewer or smaller pictures")
        self.used_pixels += pixels
        return None

    def timed(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)``, its CPU time counted against the budget (also when it raises)."""
        start = time.thread_time()
        try:
            return fn(*args, **kwargs)
        finally:
            self.used_seconds += time.thread_time() - start

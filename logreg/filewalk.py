"""A file's structure walked on its raw bytes before a library parses it: a picture with more parts than any real
picture holds is refused here, in a loop bounded whatever the file, and a zip's directory is counted before
``zipfile`` builds an object per entry (:func:`zip_entries`).

Pillow parses a PNG's chunks, a JPEG's marker segments and a GIF's extension blocks in Python at ``Image.open``
(before any other check could run), and decodes a run-length-encoded BMP in Python: a 5 MB file of millions of
empty parts costs it seconds. These walks read only lengths and types (no CRC, no inflating, no pixels); a
truncated or malformed file is left for Pillow to report.
"""

from __future__ import annotations

import re
import struct


class ImageError(ValueError):
    """An image (or an archive of images) that cannot be used, with a message for the user."""


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
#: Its cost also grows with the encoded bytes, which Pillow reads a command at a time: a 1 x 1 picture padded with
#: 5 MB of do-nothing commands (a move by 0, 0) took 1.2 s. The most wasteful encoder writes 2 bytes a pixel (a run
#: of one), 2 more a row (its end) and 2 at the end; a file may also end in padding or a colour profile (a BMP v5
#: can keep one after its pixels): more than that and :data:`RLE_BMP_SLACK_BYTES` is refused (64 kB of commands
#: cost Pillow ~15 ms).
RLE_BMP_BYTES_PER_PIXEL = 2
RLE_BMP_SLACK_BYTES = 65_536
#: Blocks a GIF may hold before its first picture. Pillow reads them at ``Image.open``, in Python, one 1-to-255-byte
#: sub-block at a time: 5 MB of one-byte sub-blocks in a comment cost 1.3 s. A GIF has a handful (the loop count, a
#: frame's delay, a comment, an XMP packet: XMP is stored so that each of its bytes can start a sub-block, so a
#: 20 kB packet is a few hundred); 4,096 bound the walk and Pillow's parse to a few ms.
MAX_GIF_BLOCKS = 4096
_GIF_SIGNATURES = (b"GIF87a", b"GIF89a")


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


# --------------------------------------------------------------------------- a GIF's blocks before its first picture


def gif_block_check(data: bytes) -> None:
    """Walk a GIF up to its first picture (the image descriptor, 0x2C) as Pillow reads it at open, and raise
    ImageError past :data:`MAX_GIF_BLOCKS` steps: an extension's sub-blocks, and any other byte (Pillow passes
    over a stray byte one at a time). Pillow reads nothing further to decode the first frame, the only one this
    app uses. At most ~4,100 steps, whatever the file."""
    if len(data) < 13:
        return
    pos = 13  # signature, screen width and height, flags, background, aspect
    if data[10] & 0x80:  # a global colour table of 2^(n+1) entries of 3 bytes
        pos += 3 << ((data[10] & 0x07) + 1)
    steps = 0
    while pos < len(data) and data[pos] not in (0x2C, 0x3B):  # not a picture, not the end
        if data[pos] == 0x21:  # an extension: introducer, label, then sub-blocks up to an empty one
            pos += 2
            while pos < len(data) and (size := data[pos]) != 0 and steps <= MAX_GIF_BLOCKS:
                pos += 1 + size
                steps += 1
        pos += 1  # the empty sub-block closing an extension, or a stray byte
        steps += 1
        if steps > MAX_GIF_BLOCKS:
            raise ImageError(f"this GIF holds more than {MAX_GIF_BLOCKS:,} blocks before its first picture (a "
                             "picture has a handful); save it again from an image editor, or as a PNG")


# --------------------------------------------------------------------------- before Pillow opens a file


def check_before_open(data: bytes) -> int | None:
    """Walk ``data`` by its signature (PNG, JPEG, GIF; Pillow opens a file as one of these only with that
    signature) and raise ImageError for one made of too many parts; a JPEG's scan count, else None."""
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
        return scans
    elif data.startswith(_GIF_SIGNATURES):
        gif_block_check(data)
    return None


def rle_bmp_check(width: int, height: int, encoded_bytes: int) -> None:
    """Raise ImageError for a run-length-encoded BMP of more than :data:`MAX_RLE_BMP_PIXELS` pixels, or whose
    ``encoded_bytes`` (from its pixel data's start to the file's end) pass what the most wasteful encoder writes."""
    if width * height > MAX_RLE_BMP_PIXELS:
        raise ImageError(
            f"this {width} x {height} BMP is run-length encoded, which this server decodes slowly: at most "
            f"{MAX_RLE_BMP_PIXELS:,} pixels are accepted in that form; save it as a PNG (or an uncompressed BMP)"
        )
    most = RLE_BMP_BYTES_PER_PIXEL * width * height + 2 * height + 2 + RLE_BMP_SLACK_BYTES
    if encoded_bytes > most:
        raise ImageError(
            f"this {width} x {height} BMP is run-length encoded in {encoded_bytes:,} bytes, far more than any "
            f"encoder writes for it ({most:,} at most), which this server would read a command at a time; save it as a PNG "
            "(or an uncompressed BMP)"
        )


_EOCD, _EOCD64, _EOCD64_LOCATOR, _CENTRAL = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07", b"PK\x01\x02"


def zip_entries(data: bytes, limit: int) -> int:
    """How many entries ``zipfile.ZipFile(data)`` would build, counted without building them, up to ``limit + 1``.

    ``ZipFile`` parses its whole central directory (one ``ZipInfo`` per record, whatever the entry count the end
    record declares) before a caller can look at the count: one local header and 106,000 central-directory records
    in 4.98 MB cost 43 MB and 1.0 s before the cap refused them. This finds the end-of-central-directory record as
    ``zipfile`` does (at the end, or before a comment of up to 64 kB; its ZIP64 version when the ZIP64 locator and
    record sit just before it), takes the directory's size from it, and walks the records' fixed headers as
    ``zipfile`` would, stopping after ``limit + 1``. The declared entry counts are not trusted (``zipfile`` ignores
    them too). Returns 0 when there is no end record or the directory is malformed: ``ZipFile`` refuses those
    itself, and every caller still checks ``len(infolist())`` after it.
    """
    at = len(data) - 22
    if at < 0:
        return 0
    if not (data[at:at + 4] == _EOCD and data[-2:] == b"\0\0"):
        at = data.rfind(_EOCD, max(len(data) - (1 << 16) - 22, 0))
        if at < 0 or at + 22 > len(data):
            return 0
    size_cd = struct.unpack_from("<L", data, at + 12)[0]
    before = at  # the central directory ends where the end record(s) start
    if at >= 76 and data[at - 20:at - 16] == _EOCD64_LOCATOR and data[at - 76:at - 72] == _EOCD64:
        size_cd = struct.unpack_from("<Q", data, at - 76 + 40)[0]
        before = at - 76
    start = before - size_cd
    if start < 0:
        return 0
    end, p, count = min(before, start + size_cd), start, 0
    while p - start < size_cd and count <= limit:
        if p + 46 > end or data[p:p + 4] != _CENTRAL:
            break
        name, extra, comment = struct.unpack_from("<3H", data, p + 28)
        p += 46 + name + extra + comment
        count += 1
    return count

"""Hostile files, built on the spot (never stored in the repo), and a subprocess that measures one decode.

Used by tests/test_hostile.py (asserts the budgets) and bench/hostile.py (prints them).
Each builder returns the file's bytes. :func:`measure` runs one decode (or one zip) in a fresh
Python process and reports its peak memory (``ru_maxrss``) and CPU time (``time.process_time``),
so a case is compared with a normal picture decoded the same way.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
#: The side of the pixel bombs: 6300 x 6300 = 39.7 million pixels, just under the 40-million-pixel cap.
SIDE = 6300
#: The budgets of issue 10: memory over a normal picture, CPU per upload.
MEMORY_BUDGET_MB = 300
CPU_BUDGET_S = 10


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def normal_photo() -> bytes:
    """A 1200 x 900 JPEG with some texture: what a phone upload looks like after a resize."""
    rng = np.random.default_rng(0)
    arr = (rng.random((900, 1200, 3)) * 60 + np.linspace(0, 180, 1200)[None, :, None]).astype(np.uint8)
    return encode(Image.fromarray(arr), "JPEG", quality=90)


def palette_bomb(side=SIDE) -> bytes:
    """A ~12 kB palette PNG with a transparent colour: full size it is 40 M pixels, 160 MB as RGBA."""
    img = Image.new("P", (side, side), 0)
    img.putpalette([255, 255, 255, 0, 0, 0] + [0] * 762)
    return encode(img, "PNG", transparency=0, optimize=True)


def mode_bomb(mode: str, side=SIDE) -> bytes:
    """A blank PNG of ``mode`` (RGBA, LA, I;16, RGB, L): a few hundred kB that decode to side x side."""
    fill = {"RGBA": (0, 0, 0, 0), "LA": (0, 0), "I;16": 0, "RGB": (0, 0, 0), "L": 0}[mode]
    return encode(Image.new(mode, (side, side), fill), "PNG")


def gif_frames(side=2000, frames=60) -> bytes:
    """An animated GIF: many large frames (only the first is ever decoded)."""
    imgs = [Image.new("P", (side, side), k % 2) for k in range(frames)]
    for im in imgs:
        im.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    return encode(imgs[0], "GIF", save_all=True, append_images=imgs[1:], duration=50, loop=0)


def float_tiff(side=SIDE) -> bytes:
    """A float (mode F) TIFF: not an accepted type, refused before any decoder runs."""
    return encode(Image.new("F", (side, side), 0.5), "TIFF", compression="tiff_deflate")


def progressive_jpeg(side=5000) -> bytes:
    """A progressive 4:4:4 JPEG: libjpeg keeps every DCT coefficient at full size, whatever the draft scale."""
    return encode(Image.new("RGB", (side, side), (120, 30, 200)), "JPEG", progressive=True, quality=95, subsampling=0)


def scan_bomb(side=2000, scans=2000) -> bytes:
    """A blank grey progressive JPEG whose last scan (14 bytes) is repeated until the file holds ``scans`` scans:
    ~44 kB, and libjpeg makes one full pass over the 2000 x 2000 coefficients per scan (9 s of CPU unrefused)."""
    data = encode(Image.new("L", (side, side), 0), "JPEG", progressive=True, quality=50)
    last, eoi = data.rfind(b"\xff\xda"), data.rfind(b"\xff\xd9")
    return data[:eoi] + data[last:eoi] * (scans - data.count(b"\xff\xda")) + data[eoi:]


def component_scans_jpeg(side=6400, components=4) -> bytes:
    """A baseline (not progressive) JPEG whose components come one per scan, with no data (all zero): a few
    hundred bytes. Pillow does not call it progressive, yet libjpeg must buffer every coefficient of the whole
    picture to put the scans together (peak 347 MB at 6400 x 6400 CMYK before its scans were counted)."""
    import struct

    def seg(code: int, payload: bytes) -> bytes:
        return b"\xff" + bytes([code]) + struct.pack(">H", len(payload) + 2) + payload

    table = bytes([1] + [0] * 15) + b"\x00"  # one 1-bit code for symbol 0: DC "no change", AC "end of block"
    out = b"\xff\xd8" + seg(0xDB, b"\x00" + b"\x01" * 64)
    out += seg(0xC0, bytes([8]) + struct.pack(">HH", side, side) + bytes([components])
               + b"".join(bytes([k, 0x11, 0]) for k in range(1, components + 1)))
    out += seg(0xC4, b"\x00" + table) + seg(0xC4, b"\x10" + table)
    out += b"".join(seg(0xDA, bytes([1, k, 0x00, 0, 63, 0])) for k in range(1, components + 1))
    return out + b"\xff\xd9"


def webp(side=3500) -> bytes:
    """A lossless WebP: libwebp decodes to a full-size RGBA canvas and hands Pillow a copy."""
    return encode(Image.new("RGB", (side, side), (10, 200, 30)), "WEBP", lossless=True)


def course_h5(m_train=209, m_test=50, chunks=None) -> bytes:
    """One .h5 holding the course's datasets (random 64 x 64 x 3 pictures), train and test, to be read as both
    files. ``chunks`` (e.g. (1, 1, 1, 1)) makes the pictures chunked and leaves them unwritten: HDF5 then reads
    every chunk as the fill value, and a 2 kB file declares as many chunks as it likes."""
    import h5py

    rng = np.random.default_rng(0)
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        for prefix, m in (("train_set", m_train), ("test_set", m_test)):
            if chunks is None:
                f[f"{prefix}_x"] = rng.integers(0, 256, (m, 64, 64, 3), dtype=np.uint8)
            else:
                f.create_dataset(f"{prefix}_x", shape=(m, 64, 64, 3), dtype="u1", chunks=chunks)
            f[f"{prefix}_y"] = np.arange(m) % 2
        f["list_classes"] = np.array([b"non-cat", b"cat"])
    return buf.getvalue()


def png_chunk(cid: bytes, payload: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    import struct
    import zlib

    return struct.pack(">I", len(payload)) + cid + payload + struct.pack(">I", zlib.crc32(cid + payload))


def png_chunk_flood(kind="iCCP", n=4700) -> bytes:
    """An 8 x 8 PNG with ``n`` extra chunks after its header. ``iCCP``: each an ICC profile of 1 MB of zeros,
    deflated to ~1 kB (Pillow inflates every one at ``Image.open``, outside its text-memory limit: 4,700 of them,
    4.95 MB, cost 12 s of CPU); ``zTXt``: 1 MB of text each; ``prVt``: an empty private chunk each (400,000:
    4.8 MB); ``IDAT``: the picture's data followed by ``n`` empty data chunks."""
    import zlib

    plain = encode(Image.new("RGB", (8, 8)), "PNG")
    head, tail = plain[:33], plain[33:]  # signature + IHDR | the rest
    if kind == "iCCP":
        extra = png_chunk(b"iCCP", b"x\0\0" + zlib.compress(bytes((1 << 20) - 1), 9)) * n
    elif kind == "zTXt":
        extra = png_chunk(b"zTXt", b"k\0\0" + zlib.compress(b"a" * ((1 << 20) - 1), 9)) * n
    elif kind == "IDAT":
        end = tail.rfind(b"IEND") - 4
        return head + tail[:end] + png_chunk(b"IDAT", b"") * n + tail[end:]
    else:
        extra = png_chunk(kind.encode(), b"") * n
    return head + extra + tail


def small_jpeg() -> bytes:
    """A 64 x 64 baseline JPEG (631 bytes)."""
    return encode(Image.new("RGB", (64, 64), (200, 40, 40)), "JPEG", quality=90)


def jpeg_marker_flood(n=1_247_000, segment=b"\xff\xe1\x00\x02") -> bytes:
    """A small JPEG with ``n`` empty segments (APP1 by default) after its start marker: 5 MB. Pillow's parser
    reads every one in Python, keeping each in a list (4.1 s and 168 MB before the segments were counted)."""
    j = small_jpeg()
    return j[:2] + segment * n + j[2:]


def jpeg_fill(n=5_000_000) -> bytes:
    """A small JPEG with ``n`` fill bytes (0xFF) after its start marker: Pillow skips them one at a time in Python
    (3.6 s for 5 MB), libjpeg in C."""
    j = small_jpeg()
    return j[:2] + b"\xff" * n + j[2:]


def bmp_rle(width=32768, height=1220, *, bits=8, run=None) -> bytes:
    """A run-length-encoded palette BMP (RLE8, or RLE4 with ``bits=4``). Each row is one pixel then end-of-line
    (``run=None``: Pillow's pure-Python decoder pads the row a byte at a time: 5,960 bytes, 9 s of CPU), or
    runs of ``run`` pixels across the row."""
    if run is None:
        row = bytes([1, 0x12]) + b"\0\0"
    else:
        full, rest = divmod(width, run)
        row = bytes([run, 0x12]) * full + (bytes([rest, 0x12]) if rest else b"") + b"\0\0"
    return _rle_bmp(width, height, bits, row * height + b"\0\1")


def _rle_bmp(width: int, height: int, bits: int, pixels: bytes) -> bytes:
    """A palette BMP (black palette) of RLE8 or RLE4 ``pixels``, the encoded commands as given."""
    import struct

    colours = 16 if bits == 4 else 256
    palette = bytes(4 * colours)
    offset = 14 + 40 + len(palette)
    return (b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, bits, 2 if bits == 4 else 1, len(pixels), 2835, 2835,
                          colours, 0)
            + palette + pixels)


def bmp_rle_padded(n=1_250_000) -> bytes:
    """A 1 x 1 RLE8 BMP whose pixel comes after ``n`` do-nothing commands (a move by 0, 0; 4 bytes each): Pillow's
    pure-Python decoder reads every one (5 MB: 1.3 s of CPU)."""
    body = b"\0\2\0\0" * n + bytes([1, 0x12]) + b"\0\1"
    return _rle_bmp(1, 1, 8, body)


def gif_block_flood(n=2_500_000) -> bytes:
    """An 8 x 8 GIF whose picture is preceded by a comment of ``n`` one-byte sub-blocks: Pillow reads them one at
    a time at ``Image.open`` (5 MB: 1.3 s of CPU)."""
    small = encode(Image.new("P", (8, 8)), "GIF")
    at = 13 + ((3 << ((small[10] & 7) + 1)) if small[10] & 0x80 else 0)  # after the header and global colour table
    return small[:at] + b"\x21\xfe" + b"\x01x" * n + b"\x00" + small[at:]


def zip_of(member: bytes, copies: int, ext="png") -> bytes:
    """A zip of two class folders holding ``copies`` copies of ``member`` in all (half each)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for k in range(copies):
            zf.writestr(f"{'cats' if k % 2 else 'not_cats'}/{k}.{ext}", member)
    return buf.getvalue()


_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from logreg import images
data = open(sys.argv[2], "rb").read()
kind = sys.argv[3]
if kind == "h5":  # h5py's import (~10 ms) is not the read's cost
    from logreg import uploads
    import h5py  # noqa: F401
if kind == "batch":  # the Train page's "upload per class": every picture in the zip is one uploaded file
    import io, zipfile
    from logreg.budget import DecodeBudget
    from ui import train_sources

    class Upload:  # what the page reads of st.file_uploader's files
        def __init__(self, k, data):
            self.file_id, self.name, self.data = f"file-{k}", f"{k}.png", data

        def getvalue(self):
            return self.data

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        files = [Upload(k, zf.read(name)) for k, name in enumerate(zf.namelist())]
    chosen = [files[0::2], files[1::2]]  # the two classes' boxes
    budget = DecodeBudget(train_sources.BATCH_PIXELS, train_sources.BATCH_CPU_SECONDS, "these uploads")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.process_time()
try:
    if kind == "zip":
        cz = images.load_class_zip(data, size=64)
        outcome = f"{cz.X.shape[0]} pictures, {len(cz.skipped)} skipped"
        reasons = sorted({why.split(';')[0] for _, why in cz.skipped})[:3]
    elif kind == "batch":  # all the files through one budget, as the page decodes them
        per_class, _, notes = train_sources.decode_per_class(chosen, budget)
        outcome = f"{len(per_class[0]) + len(per_class[1])} pictures, {len(notes)} skipped"
        reasons = sorted({note.split(': ', 1)[1].split(';')[0] for note in notes})[:3]
    elif kind == "h5":  # one file holding train_set_*, test_set_* and list_classes, read as both files
        xtr, _, xte, _, _ = uploads.load_cat_h5(data, data)
        outcome, reasons = f"read {xtr.shape} and {xte.shape}", []
    else:
        out = images.decode_image(data, draft_size=512)
        outcome, reasons = f"decoded to {out.shape}", []
except ValueError as exc:  # ImageError, or load_cat_h5's ValueError
    outcome, reasons = "refused", [str(exc)]
cpu = time.process_time() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_mb": peak / 1024, "import_mb": base / 1024, "cpu_s": cpu, "outcome": outcome,
                  "reasons": reasons}))
"""


def measure(path: Path, kind: str = "image", cpu_limit_s: int = 120) -> dict:
    """Decode the file at ``path`` ("image"), load it as a class zip ("zip"), decode each picture in a zip as one
    file of the Train page's "upload per class" ("batch") or read it as both of the course's .h5 files ("h5":
    it holds the train and the test datasets) in a fresh process, killed after ``cpu_limit_s`` of CPU.

    Returns ``{"peak_mb", "import_mb", "cpu_s", "outcome", "reasons"}``: the process's peak resident
    memory (MB, ``ru_maxrss``), that peak before the decode (imports and the file's bytes), the decode's
    CPU seconds (``time.process_time``), and what came of it.
    """
    # Linux hands a forked child its parent's peak (ru_maxrss survives fork + exec), and the test process is
    # big; a tiny launcher process forks the measured one, so its peak starts from the launcher's few MB.
    launcher = "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"
    def limit_cpu():  # inherited by the measured process: a decode that runs away is killed (SIGXCPU), not waited for
        import resource

        resource.setrlimit(resource.RLIMIT_CPU, (cpu_limit_s, resource.getrlimit(resource.RLIMIT_CPU)[1]))

    out = subprocess.run([sys.executable, "-c", launcher, sys.executable, "-c", _CHILD, str(ROOT), str(path), kind],
                         capture_output=True, text=True, cwd=ROOT, timeout=600, preexec_fn=limit_cpu)
    if out.returncode != 0:
        raise AssertionError(f"the measured process failed or was killed (returncode {out.returncode}; CPU limit "
                             f"{cpu_limit_s} s): {out.stderr[-500:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


#: (name, builder, kind) for every case the bench prints and the tests check.
CASES = [
    ("palette + transparency PNG 6300²", palette_bomb, "image"),
    ("RGBA PNG 6300²", lambda: mode_bomb("RGBA"), "image"),
    ("LA (grey + alpha) PNG 6300²", lambda: mode_bomb("LA"), "image"),
    ("16-bit grey PNG 6300²", lambda: mode_bomb("I;16"), "image"),
    ("float TIFF 6300²", float_tiff, "image"),
    ("GIF, 60 frames of 2000²", gif_frames, "image"),
    ("progressive 4:4:4 JPEG 5000²", progressive_jpeg, "image"),
    ("progressive 4:4:4 JPEG 6300²", lambda: progressive_jpeg(SIDE), "image"),
    ("progressive JPEG 2000², one scan repeated to 2000", scan_bomb, "image"),
    ("baseline CMYK JPEG 6400², one scan per component", component_scans_jpeg, "image"),
    ("baseline RGB JPEG 6000², one scan per component", lambda: component_scans_jpeg(6000, 3), "image"),
    ("lossless WebP 3500²", webp, "image"),
    ("lossless WebP 6300²", lambda: webp(SIDE), "image"),
    ("zip of 408 palette bombs", lambda: zip_of(palette_bomb(), 408), "zip"),
    ("zip of 400 RGBA bombs", lambda: zip_of(mode_bomb("RGBA"), 400), "zip"),
    ("zip of 2000 1000² PNGs", lambda: zip_of(encode(Image.linear_gradient("L").resize((1000, 1000)), "PNG"), 2000),
     "zip"),
    ("PNG 8², 4,700 iCCP chunks of 1 MB", png_chunk_flood, "image"),
    ("PNG 8², 400,000 empty private chunks", lambda: png_chunk_flood("prVt", 400_000), "image"),
    ("PNG 8², 400,000 empty IDAT chunks", lambda: png_chunk_flood("IDAT", 400_000), "image"),
    ("zip of 20 PNGs of 4,700 iCCP chunks", lambda: zip_of(png_chunk_flood(), 20), "zip"),
    ("JPEG 64², 1.25 M empty APP1 segments", jpeg_marker_flood, "image"),
    ("JPEG 64², 5 MB of fill bytes", jpeg_fill, "image"),
    ("zip of 10 JPEGs of 2.6 M APP1 segments", lambda: zip_of(jpeg_marker_flood(2_600_000), 10, "jpg"), "zip"),
    ("RLE8 BMP 32768 x 1220, a pixel a row", bmp_rle, "image"),
    ("RLE4 BMP 6300²", lambda: bmp_rle(SIDE, SIDE, bits=4, run=255), "image"),
    ("RLE8 BMP 1², 5 MB of do-nothing commands", bmp_rle_padded, "image"),
    ("zip of 24 RLE8 BMPs of do-nothing commands", lambda: zip_of(bmp_rle_padded(), 24, "bmp"), "zip"),
    ("GIF 8², 2.5 M one-byte comment blocks", gif_block_flood, "image"),
    ("zip of 24 GIFs of comment blocks", lambda: zip_of(gif_block_flood(), 24, "gif"), "zip"),
    ("per-class upload: 600 RGBA PNG 6300²", lambda: zip_of(mode_bomb("RGBA"), 600), "batch"),
]

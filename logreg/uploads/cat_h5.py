"""The course's cat .h5 files, read only from inside the uploaded bytes, with every declared size checked."""

from __future__ import annotations

import io
import math
import os

import numpy as np

from ..modelio import MAX_IMAGE_SIZE, MAX_NAME_LEN

#: Limits for the course's .h5 files (the real ones are 2.5 MB and 0.6 MB, 209 and 50 pictures of 64 x 64 x 3).
MAX_H5_BYTES = 50 * 1024 * 1024
MAX_H5_EXAMPLES = 20_000
#: Declared pixel values (m * h * w * c) of one file's images, and the bytes any one dataset may unpack to:
#: checked on the declared shape and dtype before anything is read (a chunked dataset whose chunks were never
#: written reads as its fill value, so a few kB can declare any size; compressed datasets are refused).
MAX_H5_PIXELS = 20_000_000
MAX_H5_READ_BYTES = 160 * 1024 * 1024
#: Chunks one dataset may be split into. HDF5 reads a chunked dataset chunk by chunk and holds ~3.7 kB of
#: bookkeeping per chunk while it does (written or not: an unwritten chunk reads as the fill value), so a 2 kB file
#: declaring 64 x 64 x 3 one-byte chunks per picture cost ~37 MB and ~0.05 s per picture. h5py's automatic chunks
#: for the course's shapes are 64 to 384 chunks, one chunk per picture is at most a few thousand; 10,000 chunks
#: cost ~35 MB and 0.05 s here.
MAX_H5_CHUNKS = 10_000
#: A chunk may hold at most the dataset itself or this many bytes, whichever is more: HDF5 reads a whole chunk
#: at a time, so a 3.5 MB file whose 209 labels sat in one 160 MB chunk cost 200 MB.
MAX_H5_CHUNK_BYTES = 1024 * 1024
#: Names of the HDF5 filters h5py can write, for the message refusing them. No filter is read: HDF5's deflate
#: filter grows its output until the stream ends, whatever the declared chunk size, so every declared-size check
#: above passes and a 4.2 MB file holding one 1 GiB chunk of zeros peaked at 1.1 GB when read (the 5 MB upload
#: limit holds ~4.8 GB of deflated zeros); an unknown filter would make HDF5 look for a plugin library on the
#: server. The course's files are uncompressed (contiguous, no filters).
H5_FILTER_NAMES = {1: "gzip (deflate)", 2: "shuffle", 3: "fletcher32", 4: "szip", 5: "nbit", 6: "scaleoffset",
                   32000: "lzf"}


def _open_source(src, what: str, max_bytes: int):
    """A path (str/PathLike) or a file-like object for h5py, after the size cap; bytes become BytesIO."""
    if isinstance(src, (bytes, bytearray, memoryview)):
        size = len(src)
        src = io.BytesIO(bytes(src))
    elif isinstance(src, (str, os.PathLike)):
        try:
            size = os.stat(src).st_size
        except OSError as exc:
            raise ValueError(f"{what}: cannot read {os.fspath(src)!r} ({exc.strerror})") from None
    elif hasattr(src, "read") and hasattr(src, "seek"):
        src.seek(0, io.SEEK_END)
        size = src.tell()
        src.seek(0)
    else:
        raise ValueError(f"{what} must be a path, bytes or a file-like object; got {type(src).__name__}")
    if size == 0:
        raise ValueError(f"{what} is empty (0 bytes)")
    if size > max_bytes:
        raise ValueError(f"{what} is {size / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB is accepted")
    return src


def h5_dataset(f, key: str, what: str, max_read_bytes: int = MAX_H5_READ_BYTES):
    """The dataset ``key`` of an open h5py.File, only if its bytes are inside this file and not too many.

    Refused: a missing key, a group, a soft or external link, external storage, a virtual dataset,
    a declared size (shape product times item size, or one chunk) above ``max_read_bytes``, a chunked layout
    of more than :data:`MAX_H5_CHUNKS` chunks, and any filter (compression, shuffle, checksum: see
    :data:`H5_FILTER_NAMES`). The link is looked at without following it.
    """
    import h5py
    from h5py import h5d

    link = f.get(key, getlink=True)
    if link is None:
        raise ValueError(f"{what} has no dataset {key!r}; it holds {sorted(f.keys())[:20]}")
    if not isinstance(link, h5py.HardLink):
        raise ValueError(f"{what}: {key!r} is a {type(link).__name__} to somewhere else; only data stored "
                         "inside the uploaded file is read (save the datasets themselves, not links)")
    ds = f[key]
    if not isinstance(ds, h5py.Dataset):
        raise ValueError(f"{what}: {key!r} must be a dataset, not a group")
    if ds.shape is None:  # h5py.Empty: a dataset with a type and no dataspace
        raise ValueError(f"{what}: {key!r} is an empty dataset (it holds no values at all)")
    plist = ds.id.get_create_plist()
    if plist.get_layout() not in (h5d.CONTIGUOUS, h5d.CHUNKED) or plist.get_external_count() > 0:
        raise ValueError(f"{what}: {key!r} keeps its data outside the file (external storage or a virtual "
                         "dataset); only data stored inside the uploaded file is read")
    try:  # h5py raises TypeError for an HDF5 type with no NumPy equivalent (time, some references, ...)
        itemsize = max(int(ds.dtype.itemsize), 1)
    except TypeError as exc:
        raise ValueError(f"{what}: {key!r} holds an HDF5 data type this app cannot read ({exc}); pictures must be "
                         "numbers 0..255, labels 0/1 and class names strings") from None
    chunk = plist.get_chunk() if plist.get_layout() == h5d.CHUNKED else ()
    declared = max(math.prod(ds.shape or ()), math.prod(chunk)) * itemsize
    if declared > max_read_bytes:
        raise ValueError(f"{what}: {key!r} declares {declared:,} bytes ({ds.shape} of {ds.dtype}); "
                         f"at most {max_read_bytes:,} are read")
    chunk_bytes = math.prod(chunk) * itemsize
    if chunk and chunk_bytes > max(math.prod(ds.shape) * itemsize, MAX_H5_CHUNK_BYTES):
        raise ValueError(f"{what}: {key!r} is stored in chunks of {chunk_bytes:,} bytes, larger than the dataset "
                         f"and than {MAX_H5_CHUNK_BYTES:,} bytes (save it with smaller chunks, or none)")
    chunks = math.prod(-(-int(n) // max(int(c), 1)) for n, c in zip(ds.shape or (), chunk, strict=False))
    if chunk and chunks > MAX_H5_CHUNKS:
        raise ValueError(f"{what}: {key!r} is stored in {chunks:,} chunks of {tuple(chunk)} values; at most "
                         f"{MAX_H5_CHUNKS:,} chunks are read (save it with larger chunks, or none)")
    filters = [H5_FILTER_NAMES.get(code, f"filter {code}") for code, *_ in
               (plist.get_filter(i) for i in range(plist.get_nfilters()))]
    if filters:
        raise ValueError(f"{what}: {key!r} is stored compressed or filtered ({', '.join(filters)}); compressed "
                         "datasets are not read (a few MB of compressed data can unpack to gigabytes). The course's "
                         "files are uncompressed: save with h5py without compression=, shuffle= or fletcher32=")
    return ds


def _read_pair(f, what: str, prefix: str, max_examples: int, max_values: int):
    """Read ``{prefix}_x`` (m, h, w, c) and ``{prefix}_y`` from an open h5py.File, checking the schema."""
    dx = h5_dataset(f, f"{prefix}_x", what)
    dy = h5_dataset(f, f"{prefix}_y", what)
    if len(dx.shape) != 4 or dx.shape[3] not in (1, 3):
        raise ValueError(f"{what}: {prefix}_x must have shape (m, height, width, 3); got {dx.shape}")
    if max(dx.shape[1], dx.shape[2]) > MAX_IMAGE_SIZE:  # a model file holds pictures up to this side
        raise ValueError(f"{what}: {prefix}_x holds pictures of {dx.shape[1]} x {dx.shape[2]}; at most "
                         f"{MAX_IMAGE_SIZE} x {MAX_IMAGE_SIZE} are accepted (the course's are 64 x 64)")
    m = dx.shape[0]
    if m == 0:
        raise ValueError(f"{what}: {prefix}_x holds no examples")
    if m > max_examples:
        raise ValueError(f"{what}: {prefix}_x has {m} examples; at most {max_examples} are accepted")
    values = math.prod(dx.shape)  # Python integers: a product of huge sides cannot wrap around
    if values > max_values:
        raise ValueError(f"{what}: {prefix}_x declares {values:,} pixel values; at most {max_values:,} are accepted")
    if dx.dtype.kind not in "uif":
        raise ValueError(f"{what}: {prefix}_x must hold pixel numbers; got dtype {dx.dtype}")
    if dy.shape not in ((m,), (1, m)):
        raise ValueError(f"{what}: {prefix}_y must have shape ({m},) to match {prefix}_x; got {dy.shape}")
    if dy.dtype.kind not in "uifb":
        raise ValueError(f"{what}: {prefix}_y must hold labels 0/1; got dtype {dy.dtype}")
    x = np.asarray(dx[...])
    if x.dtype != np.uint8:
        if not np.isfinite(x).all() or x.min() < 0 or x.max() > 255:
            raise ValueError(f"{what}: {prefix}_x values must lie in 0..255")
        x = x.astype(np.uint8)
    y = np.asarray(dy[...]).reshape(1, m)
    if not np.isin(y, (0, 1)).all():
        bad = np.unique(y[~np.isin(y, (0, 1))])[:5].tolist()
        raise ValueError(f"{what}: {prefix}_y must contain only labels 0 and 1; got {bad}")
    return x, y.astype(np.int64)


def _read_classes(f, what: str):
    """``list_classes``: two byte strings, each at most MAX_NAME_LEN characters, checked before reading."""
    import h5py

    ds = h5_dataset(f, "list_classes", what)
    if ds.shape != (2,):
        raise ValueError(f"{what}: list_classes must hold 2 names; got shape {ds.shape}")
    info = h5py.check_string_dtype(ds.dtype)
    fixed = ds.dtype.kind == "S"
    if not fixed and info is None:
        raise ValueError(f"{what}: list_classes must hold strings like b'cat'; got dtype {ds.dtype}")
    if fixed and ds.dtype.itemsize > 4 * MAX_NAME_LEN:  # UTF-8 takes up to 4 bytes a character
        raise ValueError(f"{what}: list_classes declares names of {ds.dtype.itemsize:,} bytes; "
                         f"class names are at most {MAX_NAME_LEN} characters")
    classes = np.array([s if isinstance(s, bytes) else str(s).encode() for s in ds[...]], dtype=object)
    if any(len(s.decode("utf-8", "replace")) > MAX_NAME_LEN for s in classes):
        raise ValueError(f"{what}: class names are at most {MAX_NAME_LEN} characters")
    return classes.astype(bytes)


def load_cat_h5(train_file, test_file, *, max_bytes=MAX_H5_BYTES, max_examples=MAX_H5_EXAMPLES,
                max_values=MAX_H5_PIXELS):
    """Read the course's ``train_catvnoncat.h5`` and ``test_catvnoncat.h5``, as its ``load_dataset`` does.

    Parameters
    ----------
    train_file, test_file : path, bytes or file-like (e.g. an uploaded file)
        HDF5 files with datasets ``train_set_x`` (m, 64, 64, 3) uint8 and ``train_set_y`` (m,)
        (``test_set_x``/``test_set_y`` in the test file) and ``list_classes`` such as
        ``[b'non-cat', b'cat']`` (read from the test file, as the course does, else the train file).
        Each dataset must be stored inside its file, uncompressed (see :func:`h5_dataset`).
    max_bytes : int (keyword-only), the largest file accepted
    max_examples : int (keyword-only), the most examples accepted per file
    max_values : int (keyword-only), the most pixel values (m * h * w * c) accepted per file, checked on the
        declared shape before anything is read (unwritten chunks read as the fill value: a few kB can declare
        any number of pictures)

    Returns
    -------
    train_set_x_orig : ndarray of shape (m_train, h, w, 3), uint8
    train_set_y : ndarray of shape (1, m_train), int64 0/1
    test_set_x_orig : ndarray of shape (m_test, h, w, 3), uint8
    test_set_y : ndarray of shape (1, m_test)
    classes : ndarray of shape (2,), bytes names; ``classes[y]`` names label y

    Raises
    ------
    ValueError
        naming the file and the problem: not HDF5, missing key, data outside the file, compressed data,
        wrong shape, labels not 0/1, too large.
    """
    import h5py  # imported here so `import logreg` stays cheap

    results = {}
    for role, src, prefix in (("train file", train_file, "train_set"), ("test file", test_file, "test_set")):
        src = _open_source(src, role, max_bytes)
        try:
            f = h5py.File(src, "r")
        except (OSError, ValueError) as exc:
            raise ValueError(f"the {role} is not an HDF5 (.h5) file h5py can open ({exc})") from None
        try:
            with f:
                x, y = _read_pair(f, f"the {role}", prefix, max_examples, max_values)
                has_classes = f.get("list_classes", getlink=True) is not None
                classes = _read_classes(f, f"the {role}") if has_classes else None
        except (OSError, KeyError, RuntimeError) as exc:  # HDF5's own errors on a damaged file
            raise ValueError(f"the {role} is damaged: h5py could not read it ({exc})") from None
        results[role] = (x, y, classes)
    (xtr, ytr, ctr), (xte, yte, cte) = results["train file"], results["test file"]
    if xtr.shape[1:] != xte.shape[1:]:
        raise ValueError(f"train and test images differ in size: {xtr.shape[1:]} vs {xte.shape[1:]}")
    classes = cte if cte is not None else ctr
    if classes is None:
        raise ValueError("neither file has the dataset 'list_classes' (the two class names)")
    return xtr, ytr, xte, yte, classes

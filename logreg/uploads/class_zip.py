"""A zip of two class folders -> a labelled image set, with caps on size, entries, pixels and CPU time."""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass, field

import numpy as np

from .. import _validate as v
from ..budget import DecodeBudget
from ..decoding import (
    IMAGE_TYPES,
    MAX_PIXELS,
    ImageError,
    accepted_types_text,
    as_bytes,
    decode_image,
    decoded_pixels,
)
from ..filewalk import zip_entries
from ..geometry import MAX_SIZE, to_model_input

#: Limits for an uploaded zip of class folders.
MAX_ZIP_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ZIP_MEMBER_BYTES = 10 * 1024 * 1024
#: Work one zip may cost: pixels decoded over all its pictures (a JPEG counts at its draft scale, e.g. 1/8),
#: and CPU seconds of the decoding thread.
#: Both are checked between members, so the total stays within one picture's work of them (~10 s).
MAX_ZIP_PIXELS = 400_000_000
ZIP_CPU_SECONDS = 8.0
#: Folder-name prefixes that mark the negative class when the caller does not choose.
NEGATIVE_PREFIXES = ("not", "non", "no_", "no-", "neg")


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
    negated = [n for n in names if n.lower().startswith(NEGATIVE_PREFIXES)]
    if len(negated) == 1:
        neg = negated[0]
        return (neg, names[0] if names[1] == neg else names[1])
    return (names[0], names[1])


def _interleaved(files):
    """Members sorted within each folder, taken one folder after the other in turn, so a zip whose
    budget runs out part-way still gives both classes pictures."""
    folders: dict[str, list] = {}
    for info, parts in sorted(files, key=lambda f: f[1]):
        folders.setdefault(parts[0] if len(parts) >= 2 else "", []).append((info, parts))
    turns = itertools.zip_longest(*folders.values())
    return [member for turn in turns for member in turn if member is not None]


def read_capped(zf, info, cap):
    """The member's bytes, reading at most ``cap`` + 1 (declared sizes can lie)."""
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ImageError(f"larger than {cap / 1e6:.0f} MB when unpacked")
    return data


def _read_member(zf, info, budget, *, size, channels, max_member_bytes, max_pixels):
    """One member -> (model input, None) or (None, the reason it was skipped). The caller times the whole call
    against ``budget`` (a :class:`~logreg.budget.DecodeBudget`): unpacking costs CPU as decoding does."""
    ext = info.filename.rsplit(".", 1)[-1].lower() if "." in info.filename else ""
    if info.flag_bits & 0x1:
        return None, "encrypted: password-protected zips cannot be read; zip the folders without a password"
    if ext not in IMAGE_TYPES:
        return None, f"not a picture type this app reads ({accepted_types_text()})"
    if info.file_size > max_member_bytes:
        return None, f"larger than {max_member_bytes / 1e6:.0f} MB when unpacked"
    if (why := budget.spent()) is not None:  # time already spent: not even unpacked
        return None, why
    try:
        raw = read_capped(zf, info, max_member_bytes)
        why = budget.admit(decoded_pixels(raw, size))
        if why is not None:
            return None, why
        img = decode_image(raw, max_pixels=max_pixels, max_bytes=max_member_bytes, draft_size=size)
        return to_model_input(img, size, channels), None
    except ImageError as exc:
        return None, str(exc)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
        return None, f"cannot be unpacked ({exc})"


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
    max_total_pixels=MAX_ZIP_PIXELS,
    cpu_seconds=ZIP_CPU_SECONDS,
) -> ClassZip:
    """Build a labelled image set from a zip of two class folders, in memory.

    Layout: ``cats/1.jpg, cats/2.png, not_cats/a.jpg, ...``; one common top folder
    (``my_data/cats/...``) is tolerated, deeper subfolders belong to their class folder,
    ``__MACOSX``, hidden files and files at the top level are ignored. Nothing is
    written to disk. Each picture (one of :data:`~logreg.decoding.IMAGE_TYPES`) goes through
    :func:`~logreg.decoding.decode_image` and :func:`~logreg.geometry.to_model_input`.

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
        Caps on the zip size, the number of entries (counted before the directory is parsed), the declared
        total unpacked size, each member's unpacked size (checked on the declared size *and* while reading)
        and each image's pixel count.
    max_total_pixels : int, cpu_seconds : float (keyword-only)
        The work one zip may cost, checked between members: pictures past it are skipped, with the reason.

    Returns
    -------
    ClassZip

    Raises
    ------
    ImageError
        not a zip, too large, a zip bomb, not exactly two class folders, or a class without
        readable images (with the reasons its files were skipped).
    """
    data = as_bytes(data, "the zip file")
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3; got {channels!r}")
    size = v.check_positive_int(size, "size", maximum=MAX_SIZE)
    if len(data) == 0:
        raise ImageError("the zip file is empty (0 bytes)")
    if len(data) > max_bytes:
        raise ImageError(f"the zip file is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:.0f} MB is accepted")
    if zip_entries(data, max_members) > max_members:  # counted before ZipFile builds an object per entry
        raise ImageError(f"the zip holds more than {max_members} entries; at most {max_members} are accepted")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImageError(f"this is not a zip file ({exc}); zip a folder holding two class folders") from None
    budget = DecodeBudget(max_total_pixels, cpu_seconds, "this zip's pictures")
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
        reasons: dict[str, set[str]] = {}
        for info, parts in _interleaved(files):
            if len(parts) < 2:
                skipped.append((info.filename, "not inside a class folder"))
                continue
            pic, why = budget.timed(_read_member, zf, info, budget, size=size, channels=channels,
                                    max_member_bytes=max_member_bytes, max_pixels=max_pixels)
            by_class.setdefault(parts[0], [])
            if pic is None:
                skipped.append((info.filename, why))
                reasons.setdefault(parts[0], set()).add(why)
            else:
                by_class[parts[0]].append((info.filename, pic))
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
            why = sorted(reasons.get(n, ()))[:3]
            raise ImageError(f"the folder {n!r} has no readable images" + (f" ({'; '.join(why)})" if why else ""))
    neg, pos = _pick_positive(names, positive)
    pairs = [(0, item) for item in by_class[neg]] + [(1, item) for item in by_class[pos]]
    X = np.stack([img for _, (_, img) in pairs]).astype(np.uint8)
    Y = np.array([[label for label, _ in pairs]], dtype=np.int64)
    return ClassZip(X=X, Y=Y, class_names=(neg, pos), members=[m for _, (m, _) in pairs], skipped=skipped)

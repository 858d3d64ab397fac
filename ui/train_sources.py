"""The Train page's data sources: the widgets that pick or build a training set, and one answer type.

:func:`choose` draws the source picker and the chosen source's controls, shows what goes wrong
(a bad upload, too few pictures) where it happens, and returns a :class:`Source` or None.
Bundled data is shared read-only through ``st.cache_resource``; uploads are this visitor's own and
live only in their session (:func:`ui.widgets.session_memo`). Widget keys here are the page's URL keys.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import streamlit as st

from logreg import datasets, decoding, images, training, uploads
from logreg.budget import DecodeBudget
from ui.widgets import plain, session_memo

#: Data sources; the key is what the URL holds (?data=toy). Keys differ from other pages' (session state is shared).
SOURCES = {
    "digits": "handwritten digits (bundled MNIST)",
    "toy": "2-D toy sets",
    "cats": "the course's cat files (.h5)",
    "own": "your own two classes",
}
TOY_SETS = {"blobs": datasets.make_blobs, "moons": datasets.make_moons, "circles": datasets.make_circles,
            "xor": datasets.make_xor}
OWN_MODES = {"webcam": "webcam snapshots", "upload": "upload per class", "zip": "a zip of two folders"}
#: Webcam snapshots kept per class (stored at SNAPSHOT_SIDE pixels, in this session only).
MAX_SNAPSHOTS = 60
SNAPSHOT_SIDE = 96
#: Per-session memos: the training set in use (the big thing: up to 600 pictures as float32 X, ~36 MB with its
#: pictures; one kept, so switching back rebuilds it), decoded zips and model files (uint8 pictures, w), thumbnails.
SET_KEY, SET_SIZE = "_train_sets", 1
MEMO_KEY, MEMO_SIZE = "_train_memo", 3
THUMB_KEY, THUMB_SIZE = "_train_thumbs", 2 * training.MAX_IMAGES_PER_CLASS + 10
#: Work the pictures of one batch may cost, as one zip may: pixels decoded (a JPEG at its draft scale) and CPU
#: seconds, checked between pictures; pictures past it are skipped with the reason. A batch is what the two
#: "upload per class" boxes hold (a new one each time the files change), or all of a session's webcam snapshots.
BATCH_PIXELS = uploads.MAX_ZIP_PIXELS
BATCH_CPU_SECONDS = uploads.ZIP_CPU_SECONDS
BUDGET_KEY = "_train_upload_budget"
#: The course's files hold 209 + 50 pictures of 64 x 64 x 3; these caps bound what a compressed .h5 may unpack to
#: (per file; train and test together are held to the same number by training.from_cat_h5).
CAT_MAX_EXAMPLES = training.MAX_CAT_EXAMPLES
CAT_MAX_VALUES = CAT_MAX_EXAMPLES * 64 * 64 * 3


@dataclass(frozen=True)
class Source:
    """A training set ready to train on, and what names it (a result trained on it is matched by ``key``)."""

    ts: training.TrainingSet
    key: tuple
    kind: str  # one of SOURCES


# --- shared, read-only data (one copy per server process) ----------------------------------------------------------
@st.cache_resource(max_entries=8, show_spinner=False)  # ~6 MB each
def digits_set(positive: int, negatives: tuple[int, ...] | None, per_class: int, seed: int) -> training.TrainingSet:
    task = datasets.digits_task(positive, negatives, max_per_class=per_class, seed=seed)
    return training.from_digits(task).freeze()


@st.cache_resource(max_entries=32, show_spinner=False)
def toy_set(kind: str, m: int, noise: float, seed: int) -> training.TrainingSet:
    X, Y = TOY_SETS[kind](m, noise=noise, seed=seed)
    return training.from_points(X, Y, name=f"{kind}, {m} points, noise {noise:g}", seed=seed).freeze()


# --- this session's uploads, decoded once (never shared, never on disk) ----------------------------------------------
def memo(key: tuple, load, *, store_key=MEMO_KEY, size=MEMO_SIZE, heavy="decoding"):
    return session_memo(store_key, key, load, size=size, heavy=heavy)


def decode_thumb(data: bytes) -> np.ndarray:
    """A picture cut to its centred square at SNAPSHOT_SIDE pixels (enough for every model size offered)."""
    return images.resize_square(images.decode_image(data, draft_size=SNAPSHOT_SIDE), SNAPSHOT_SIDE)


def batch_budget(batch, what: str) -> DecodeBudget:
    """This session's budget for ``batch`` (anything comparable naming it): a new one when the batch changes."""
    held = st.session_state.get(BUDGET_KEY, {})
    if held.get(what, (None,))[0] != batch:
        held[what] = (batch, DecodeBudget(BATCH_PIXELS, BATCH_CPU_SECONDS, what))
        st.session_state[BUDGET_KEY] = held
    return held[what][1]


def thumb_within(budget: DecodeBudget, key, data: bytes) -> tuple[bool, object]:
    """:func:`decode_thumb` of ``data`` remembered under ``key``: ``(True, thumbnail)``, or ``(False, why)``.

    A picture decoded before costs nothing; any other is decoded only while ``budget`` lasts (its pixels are
    counted from its header first, its CPU time after). One skipped for the budget, or because the server was too
    busy to decode it, is not remembered, and its pixels are not spent: a later rerun may decode it.
    """
    thumbs = st.session_state.get(THUMB_KEY, {})
    if key in thumbs:
        return thumbs[key]
    if (why := budget.spent()) is not None:
        return False, why
    pixels = budget.timed(decoding.decoded_pixels, data, SNAPSHOT_SIDE)
    if (why := budget.admit(pixels)) is not None:
        return False, why
    result = memo(key, lambda: budget.timed(decode_thumb, data), store_key=THUMB_KEY, size=THUMB_SIZE)
    if key not in st.session_state.get(THUMB_KEY, {}):  # not decoded (the server was busy): nothing was spent
        budget.give_back(pixels)
    return result


def decode_per_class(chosen, budget: DecodeBudget) -> tuple[list[list], list[list], list[str]]:
    """The files of the two classes (as ``st.file_uploader`` gives them: ``.file_id``, ``.name``, ``.getvalue()``),
    each through :func:`thumb_within` with one ``budget``: (thumbnails per class, their file ids per class, a note
    per file skipped). The classes take turns, so a batch whose budget runs out part-way still gives both classes
    pictures; files are keyed by their upload id, so no file is hashed on a rerun."""
    per_class, ids, notes = [[], []], [[], []], []
    turns = itertools.zip_longest(*[[(i, f) for f in files] for i, files in enumerate(chosen)])
    for i, f in (item for turn in turns for item in turn if item is not None):
        ok, res = thumb_within(budget, ("upload", f.file_id), f.getvalue())
        if ok:
            per_class[i].append(res)
            ids[i].append(f.file_id)
        else:
            notes.append(f"{f.name}: {res}")
    return per_class, ids, notes


def _snapshots() -> dict:
    return st.session_state.setdefault("snapshots", {0: [], 1: []})


def _remove_snapshot(k: int, sid: str) -> None:
    _snapshots()[k] = [s for s in _snapshots()[k] if s[0] != sid]


def _clear_snapshots(k: int) -> None:
    _snapshots()[k] = []


def class_names_inputs() -> tuple[str, str] | None:
    a, b = st.columns(2)
    n0 = a.text_input("class 0 name", "not me", max_chars=40, key="name_0", bind="query-params")
    n1 = b.text_input("class 1 name", "me", max_chars=40, key="name_1", bind="query-params")
    n0, n1 = n0.strip(), n1.strip()
    if not n0 or not n1 or n0 == n1:
        st.error("Give the two classes two different, non-empty names.", icon=":material/edit:")
        return None
    return n0, n1


def own_from_lists(per_class, names, size, channels, seed, ids, notes=()) -> Source | None:
    key = ("own", ids, size, channels, names, seed)
    ok, ts = memo(key, lambda: training.from_images(per_class, names, size=size, channels=channels, seed=seed,
                                                    notes=notes), store_key=SET_KEY, size=SET_SIZE)
    if not ok:
        st.error(f"Cannot build the data set: {plain(ts)}.", icon=":material/block:")
        return None
    return Source(ts, key, "own")


def webcam_source(names, size, channels, seed) -> Source | None:
    shots = _snapshots()
    seen = st.session_state.setdefault("_snapshot_ids", set())
    c1, c2 = st.columns([1, 1], gap="large")
    with c1:
        k = st.radio("the next snapshot goes to", [0, 1], format_func=lambda i: f"{i} · {plain(names[i])}", horizontal=True,
                     key="snap_class")
        shot = st.camera_input("Take a snapshot (then “Clear photo” for the next one)", key="snap_camera")
        if shot is not None and shot.file_id not in seen:
            seen.add(shot.file_id)
            if len(shots[k]) >= MAX_SNAPSHOTS:
                st.warning(f"{plain(names[k])} already has {MAX_SNAPSHOTS} snapshots; remove some first.",
                           icon=":material/front_hand:")
            else:
                # every snapshot of the session shares one budget: each is a new file, and ✕ makes room for more
                ok, res = thumb_within(batch_budget("session", "this session's snapshots"), ("upload", shot.file_id),
                                       shot.getvalue())
                if ok:
                    shots[k].append((shot.file_id, res))
                else:
                    again = "" if str(res).startswith("not decoded") else " Take another one."
                    st.error(f"Could not read the snapshot: {res}.{again}", icon=":material/block:")
    with c2:
        for i in (0, 1):
            st.markdown(f"**{i} · {plain(names[i])}**: {len(shots[i])} snapshot(s)")
            if shots[i]:
                cols = st.columns(6)
                for j, (sid, img) in enumerate(shots[i]):
                    with cols[j % 6]:
                        st.image(img, width=64, alt=f"snapshot {j + 1} of class {names[i]} (label {i})")
                        st.button("✕", key=f"rm_{i}_{sid}", on_click=_remove_snapshot, args=(i, sid),
                                  help="remove this snapshot")
                st.button(f"remove all of {plain(names[i])}", key=f"clear_{i}", on_click=_clear_snapshots, args=(i,))
    if min(len(shots[0]), len(shots[1])) < 2:
        st.info("Take at least 2 snapshots of each class (10 or more each works better), varying the pose a little.",
                icon=":material/photo_camera:")
        return None
    ids = tuple(tuple(s[0] for s in shots[i]) for i in (0, 1))
    return own_from_lists([[s[1] for s in shots[i]] for i in (0, 1)], names, size, channels, seed, ids)


def upload_source(names, size, channels, seed) -> Source | None:
    cols, chosen = st.columns(2), []
    for i in (0, 1):
        files = cols[i].file_uploader(f"pictures of {i} · {plain(names[i])}", type=list(images.IMAGE_TYPES),
                                      accept_multiple_files=True, key=f"up_{i}")
        if len(files) > training.MAX_IMAGES_PER_CLASS:
            cols[i].error(f"{len(files)} files: at most {training.MAX_IMAGES_PER_CLASS} per class are used.",
                          icon=":material/front_hand:")
            files = files[: training.MAX_IMAGES_PER_CLASS]
        chosen.append(files)
    # one budget for all the files of both classes, as for a zip: each file decoding on its own (and taking the heavy
    # slot on its own) let 600 pictures cost 600 times one picture's work
    budget = batch_budget(tuple(tuple(f.file_id for f in files) for files in chosen), "these uploads")
    per_class, ids, notes = decode_per_class(chosen, budget)
    if notes:
        with st.expander(f"{len(notes)} file(s) skipped, and why", expanded=True, icon=":material/warning:"):
            st.markdown("\n".join(f"- {plain(n)}" for n in notes))
    if min(len(per_class[0]), len(per_class[1])) < 2:
        st.info("Upload at least 2 pictures for each class (they are resized to the model's size).",
                icon=":material/attach_file:")
        return None
    return own_from_lists(per_class, names, size, channels, seed, (tuple(ids[0]), tuple(ids[1])), notes)


def zip_source(size, channels, seed) -> Source | None:
    up = st.file_uploader("a .zip holding two folders of pictures, e.g. cats/… and not_cats/…", type=["zip"], key="zip")
    if up is None:
        st.info("Zip a folder that holds one sub-folder per class. A folder named not_… / non… is class 0.",
                icon=":material/folder_zip:")
        return None
    ok, cz = memo(("zip", up.file_id, size, channels),
                  lambda: images.load_class_zip(up.getvalue(), size=size, channels=channels), heavy="zip decoding")
    if not ok:
        st.error(f"Could not use **{plain(up.name)}**: {plain(cz)}.", icon=":material/block:")
        return None
    if cz.skipped:
        with st.expander(f"{len(cz.skipped)} file(s) in the zip skipped, and why", expanded=True,
                         icon=":material/warning:"):
            st.markdown("\n".join(f"- {plain(m)}: {plain(why)}" for m, why in cz.skipped[:50]))
    key = ("zipset", up.file_id, size, channels, seed)
    ok, ts = memo(key,
                  lambda: training.from_image_array(cz.X, cz.Y, cz.class_names, seed=seed,
                                                    name=f"{cz.class_names[1]} vs {cz.class_names[0]} ({up.name})"),
                  store_key=SET_KEY, size=SET_SIZE)
    if not ok:
        st.error(f"**{plain(up.name)}**: {plain(ts)}.", icon=":material/block:")
        return None
    return Source(ts, key, "own")


def cats_source() -> Source | None:
    st.markdown("Upload the two files from the course's week-2 assignment, as you have them.")
    a, b = st.columns(2)
    tr = a.file_uploader("train_catvnoncat.h5", type=["h5", "hdf5"], key="cat_train")
    te = b.file_uploader("test_catvnoncat.h5", type=["h5", "hdf5"], key="cat_test")
    if tr is None or te is None:
        st.info("Both files are needed: the train file and the test file.", icon=":material/attach_file:")
        return None

    def load():
        return training.from_cat_h5(*uploads.load_cat_h5(tr.getvalue(), te.getvalue(), max_examples=CAT_MAX_EXAMPLES,
                                                         max_values=CAT_MAX_VALUES))

    key = ("cats", tr.file_id, te.file_id)
    ok, ts = memo(key, load, store_key=SET_KEY, size=SET_SIZE, heavy=".h5 reading")
    if not ok:
        st.error(f"Could not read the course's files: {plain(ts)}. Upload the original train_catvnoncat.h5 and "
                 "test_catvnoncat.h5.", icon=":material/block:")
        return None
    return Source(ts, key, "cats")


def digits_source(seed: int) -> Source | None:
    a, b, c = st.columns(3)
    positive = a.selectbox("positive digit (label 1)", list(range(10)), index=3, key="positive", bind="query-params")
    negatives = b.multiselect("negative digit(s) (label 0); none = every other digit", list(range(10)), default=[],
                              key="negatives", bind="query-params")
    per_class = c.slider("examples per class (at most)", 20, 500, 500, step=10, key="per_class", bind="query-params")
    if positive in negatives:
        st.error(f"The positive digit {positive} cannot also be a negative one: remove it from the negatives.",
                 icon=":material/edit:")
        return None
    negs = tuple(sorted(negatives)) or None
    return Source(digits_set(int(positive), negs, int(per_class), seed),
                  ("digits", int(positive), negs, int(per_class), seed), "digits")


def toy_source(seed: int) -> Source:
    a, b, c = st.columns(3)
    kind = a.radio("toy set", list(TOY_SETS), horizontal=True, key="toy", bind="query-params")
    m = b.slider("points", 20, 1000, 200, step=10, key="points", bind="query-params")
    noise = c.slider("noise", 0.0, 2.0, 0.2, step=0.05, key="noise", bind="query-params")
    return Source(toy_set(kind, int(m), float(noise), seed), ("toy", kind, int(m), float(noise), seed), "toy")


def own_source(seed: int) -> Source | None:
    a, b, c = st.columns(3)
    mode = a.radio("pictures from", list(OWN_MODES), captions=list(OWN_MODES.values()), key="own_mode",
                   bind="query-params")
    size = b.select_slider("model input size (pixels)", [16, 24, 32, 48, 64], value=32, key="size", bind="query-params")
    colour = c.radio("colour", ["RGB", "grey"], horizontal=True, key="colour", bind="query-params")
    channels = 3 if colour == "RGB" else 1
    if mode == "zip":
        return zip_source(int(size), channels, seed)
    names = class_names_inputs()
    if names is None:
        return None
    src = webcam_source if mode == "webcam" else upload_source
    return src(names, int(size), channels, seed)


def choose() -> Source | None:
    """The source picker, the split seed and the chosen source's controls; a :class:`Source` once there is data."""
    kind = st.radio("data source", list(SOURCES), captions=list(SOURCES.values()), horizontal=True, key="data",
                    bind="query-params")
    seed = int(st.number_input("split seed", 0, 9999, 0, step=1, key="split_seed", bind="query-params",
                               help="Seeds the train/test split (and the toy points), so a run can be repeated."))
    if kind == "digits":
        return digits_source(seed)
    if kind == "toy":
        return toy_source(seed)
    if kind == "cats":
        return cats_source()
    return own_source(seed)

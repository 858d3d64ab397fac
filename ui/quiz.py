"""The "Check yourself" block: ``logreg.quiz`` questions drawn on a page, answered before they are revealed.

A page wires it in two lines::

    quiz_slot = quiz.slot()                                   # near the top
    quiz.check_yourself("sigmoid", {"w": w, ...}, container=quiz_slot)   # at the end

``slot()`` returns a container at the top of the page when the URL asks for the questions first
(a teacher's link, ``?check=1&qseed=7``) and None otherwise, in which case the block is drawn where
``check_yourself`` is called. Everything a visitor does here stays in their ``st.session_state``.

The questions are a snapshot: drawn from the page's state when the block first appears for a seed, and
kept (with the query string that reproduces them) until the visitor asks for new ones. A question does not
change under a learner who moves a control to work it out, and the pages' controls can rerun only their
own part of the page (``st.fragment``) without leaving the block out of date: it never followed them.
"""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode, urlsplit

import streamlit as st

from logreg import quiz
from logreg.broadcasting import parse_shape
from logreg.quiz.answers import format_shape

from .code import drawn_when_open
from .widgets import plain, table

#: Query parameters of a teacher link. ``qseed``, not ``seed``: the Images page already binds ``seed`` to a control.
CHECK_PARAM, SEED_PARAM = "check", "qseed"
MAX_SEED = 999_999
PROGRESS_KEY = "quiz_progress"
TITLES = {"sigmoid": "Sigmoid", "loss": "Loss & cost", "backprop": "Backprop", "vectorization": "Vectorization",
          "broadcasting": "Broadcasting & rank-1", "images": "Images as vectors", "train": "Train"}
#: Pages whose block is wired in; others join the home table once a visitor answers there.
WIRED = ("sigmoid", "loss", "backprop", "vectorization", "broadcasting", "images", "train")


def teacher_mode() -> bool:
    """True when the URL asks for the questions first (``?check=1``)."""
    return st.query_params.get(CHECK_PARAM) == "1"


def _url_seed() -> int | None:
    text = st.query_params.get(SEED_PARAM, "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= len(str(MAX_SEED)) else None


def _ignored_seed() -> str | None:
    """The notice for a ``qseed`` in the URL that is not a whole number from 0 to MAX_SEED, else None."""
    if SEED_PARAM not in st.query_params or _url_seed() is not None:
        return None
    text = st.query_params.get(SEED_PARAM, "")
    shown = repr(text if len(text) <= 24 else text[:20] + "…")
    return (f"Ignored from the link: {SEED_PARAM} = {plain(shown)} (not a whole number from 0 to {MAX_SEED:,}). "
            f"These are this visit's own questions, not the link's.")


def slot():
    """A container here (put it near the top) for a teacher link, else None: the block then goes at the end."""
    return st.container() if teacher_mode() else None


def seed(page: str) -> int:
    """This visitor's seed for ``page``: the URL's ``qseed`` when there is one, else the session's (0 at first)."""
    key = f"quiz_{page}_seed"
    url = _url_seed()
    if url is not None:
        st.session_state[key] = url
    return st.session_state.setdefault(key, 0)


def _new_questions(page: str) -> None:
    new = (seed(page) + 1) % (MAX_SEED + 1)
    st.session_state[f"quiz_{page}_seed"] = new
    st.query_params[SEED_PARAM] = str(new)  # the URL (and the link below) follow the questions on screen


def _control_pairs() -> list[tuple[str, str]]:
    """The URL's query pairs now, without the quiz's own: the page's controls as a link holds them."""
    return [(k, v) for k in st.query_params if k not in (CHECK_PARAM, SEED_PARAM) for v in st.query_params.get_all(k)]


def link_pairs(replace: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """The URL's control pairs now, with the keys in ``replace`` set to its values, for ``check_yourself(pairs=...)``.

    For a page whose link must hold something other than its URL at the end of the run: a value no link can carry
    (an uploaded picture), or a pair the page removes from the URL as it acts on it (Train's ``run=1``; read the
    pairs before it does).
    """
    replace = replace or {}
    return [(k, v) for k, v in _control_pairs() if k not in replace] + list(replace.items())


def teacher_link(page: str, seed_value: int, pairs: list[tuple[str, str]] | None = None) -> str:
    """This page's URL with the controls ``pairs`` (default: the URL's now) plus ``check=1&qseed=<seed>``.

    ``st.context.url`` is the app's address with the current page as its last path segment; that segment is
    replaced by ``page`` and what comes before it is kept, so an app served under a path (``server.baseUrlPath``,
    or a reverse proxy's ``/apps/logreg/``) gets a link under the same path.
    """
    pairs = _control_pairs() if pairs is None else pairs
    query = urlencode([*pairs, (CHECK_PARAM, "1"), (SEED_PARAM, str(seed_value))], safe="(),")
    parts = urlsplit(st.context.url or "")
    if not (parts.scheme and parts.netloc):
        return f"/{page}?{query}"
    prefix = parts.path.rstrip("/").rpartition("/")[0]
    return f"{parts.scheme}://{parts.netloc}{prefix}/{page}?{query}"


@st.cache_data(max_entries=512, show_spinner=False)
def _questions(page: str, state: dict, seed_value: int) -> list:
    return quiz.questions(page, state, seed_value)


def progress() -> dict:
    """``{page: {"answered": n, "right": k}}`` for this visitor (this browser tab's session)."""
    return st.session_state.setdefault(PROGRESS_KEY, {})


def _record(page: str, right: bool) -> None:
    p = progress().setdefault(page, {"answered": 0, "right": 0})
    p["answered"] += 1
    p["right"] += int(right)


def _reveal(q: quiz.Question, answer: str, status: str) -> None:
    shown = q.key.shown()
    if status == "right":
        st.success(f"Right: **{shown}**", icon="✅")
    else:
        st.error(f"Not quite: you answered **{answer}**; the answer is **{shown}**.", icon="❌")
    st.markdown(f"{q.explanation[0]}  \n{q.explanation[1]}")
    st.markdown(f"Where this page shows why: **{q.section}**")


def _as_typed(parsed) -> str:
    """The learner's answer as read (a number, a shape, an option), never their raw text inside markdown."""
    if isinstance(parsed, float):
        return f"{parsed:g}"
    if isinstance(parsed, tuple):
        return format_shape(parsed)
    return str(parsed).replace("*", "").replace("`", "")


def _submit(page: str, q: quiz.Question, answer_key: str) -> None:
    """Form callback: grade the answer; a readable one is recorded (once), an unreadable one leaves the question open."""
    answer = st.session_state.get(answer_key)
    verdict = quiz.grade(q, answer if isinstance(answer, str) else "")
    done = st.session_state.setdefault(f"quiz_{page}_done", {})
    notes = st.session_state.setdefault(f"quiz_{page}_unreadable", {})
    if not verdict.readable:
        notes[q.qid] = verdict.message
    elif q.qid not in done:
        notes.pop(q.qid, None)
        done[q.qid] = (_as_typed(verdict.answer), verdict.status)
        _record(page, verdict.right)


def _question(page: str, i: int, q: quiz.Question, done: dict) -> None:
    st.markdown(f"**{i + 1}.** {q.prompt}")
    if q.qid in done:
        _reveal(q, *done[q.qid])
        return
    base = f"quiz_{page}_{i}_{q.qid}"
    with st.form(key=f"{base}_form", border=False):
        if q.answer_type == "choice":
            st.radio("your answer", q.key.options, index=None, key=f"{base}_answer", label_visibility="collapsed")
        else:
            hint = "e.g. (3, 4), 3x4, () or error" if q.answer_type == "shape" else "e.g. 0.62"
            st.text_input("your answer", max_chars=quiz.MAX_ANSWER_CHARS, placeholder=hint, key=f"{base}_answer",
                          label_visibility="collapsed")
        st.form_submit_button("Check my answer", key=f"{base}_submit", on_click=_submit, args=(page, q, f"{base}_answer"))
    note = st.session_state.get(f"quiz_{page}_unreadable", {}).get(q.qid)
    if note:
        st.warning(note, icon="✋")  # the question stays open


def snapshot(page: str, state: dict, pairs: list[tuple[str, str]] | None = None, note: str = "") -> dict:
    """The state and control pairs this visitor's questions on ``page`` come from: taken from ``state`` and the
    URL (or ``pairs`` with its ``note``) the first time the block is drawn for the current seed, then kept until
    the seed changes."""
    s = seed(page)
    key = f"quiz_{page}_snapshot"
    snap = st.session_state.get(key)
    if snap is None or snap["seed"] != s:
        snap = {"seed": s, "state": dict(state), "pairs": _control_pairs() if pairs is None else list(pairs),
                "note": note}
        st.session_state[key] = snap
    return snap


def check_yourself(page: str, state: dict, *, container=None, pairs: list[tuple[str, str]] | None = None,
                   link_note: str = "") -> None:
    """Draw the "Check yourself" block for ``page``: questions from its ``state`` as it was when first drawn
    for this seed (see ``snapshot``); "New questions" takes the controls as they are then.

    ``pairs`` (see :func:`link_pairs`) are the controls the teacher link holds, when they are not the URL's now;
    ``link_note`` then tells the teacher how the link differs from their page."""
    snap = snapshot(page, state, pairs, link_note)
    s = snap["seed"]
    try:
        questions = _questions(page, snap["state"], s)
    except (ValueError, FloatingPointError) as exc:  # a page state the generators cannot use: say so, not a traceback
        del st.session_state[f"quiz_{page}_snapshot"]  # the next run tries the controls as they are then
        st.warning(f"No questions for this state of the page ({exc}). Move a control and they come back.")
        return
    done = st.session_state.setdefault(f"quiz_{page}_done", {})
    with container if container is not None else contextlib.nullcontext(), st.container(border=True, key=f"quiz_{page}_block"):
        st.subheader("Check yourself", anchor=f"check-yourself-{page}")
        st.markdown("Answer before you look: each answer is checked by the same code that draws this page.")
        if ignored := _ignored_seed():
            st.warning(ignored, icon=":material/link_off:")
        for i, q in enumerate(questions):
            _question(page, i, q, done)
        mine = progress().get(page, {"answered": 0, "right": 0})
        left, right = st.columns([1, 2], vertical_alignment="center")
        left.button("New questions", key=f"quiz_{page}_new", on_click=_new_questions, args=(page,), icon="🎲")
        right.markdown(f"On this page so far: **{mine['right']}** right of **{mine['answered']}** answered.")
        def link() -> None:
            st.code(teacher_link(page, s, snap["pairs"]), language=None)
            st.markdown("It opens this page with its controls as they were when these questions were drawn, and "
                        "the questions first: the numbers in the questions come from those controls, which are in "
                        "the link too. Move the controls, then press **New questions**, to ask about another state.")
            if snap.get("note"):  # where the link differs from this page (an upload cannot travel in a link)
                st.info(snap["note"], icon=":material/info:")

        drawn_when_open("Teacher link: these questions for everyone who opens it", f"quiz_{page}_link", link)


def broadcasting_state() -> dict:
    """The Broadcasting page's shapes and rank-1 length, read from its controls' session state."""
    ss = st.session_state
    m, n = ss.get("rows", 3), ss.get("cols", 4)
    shapes = {}
    for name, kind_key, text_key in (("shape_a", "a_kind", "a_shape"), ("shape_b", "b_kind", "b_shape")):
        kind = ss.get(kind_key)
        if kind == "typed":
            try:
                shapes[name] = parse_shape(ss.get(text_key, ""))
            except ValueError:
                continue
        elif kind in ("column", "row", "scalar"):
            shapes[name] = {"column": (m, 1), "row": (1, n), "scalar": ()}[kind]
    return {**shapes, "rank1_n": ss.get("rank1_n", 5)}


def progress_table() -> None:
    """The home page's table: per page, the questions this visitor answered and got right."""
    mine = progress()
    pages = [p for p in quiz.PAGES if p in WIRED or p in mine]
    st.subheader("Check yourself: your progress")
    table({"page": [TITLES[p] for p in pages],
              "answered": [mine.get(p, {}).get("answered", 0) for p in pages],
              "right": [mine.get(p, {}).get("right", 0) for p in pages]})
    st.markdown("Kept in this browser tab only: nothing is stored, and closing the tab forgets it.")

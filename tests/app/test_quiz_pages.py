"""The "Check yourself" block on every wired page: answer right, answer wrong, unreadable, new questions,
a teacher link's seed, the pointer to the page's section, and the home page's progress table."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from logreg import quiz
from logreg.activations import sigmoid

from .conftest import open_page, tables

#: Each wired page with the state its controls hold by default (what the page must pass to the block).
PAGES = {
    "sigmoid": {"w": 1.5, "b": 0.0, "z": 2.0},
    "loss": {"y_hat": 0.8},
    "backprop": {"a": float(sigmoid(0.8 * 1.0 - 0.3 * 2.0 + 0.2)), "y": 1, "x1": 1.0},
    "vectorization": {"n_x": 100, "m": 500},
    "broadcasting": {"shape_a": (3, 1), "shape_b": (1, 4), "rank1_n": 5},
    "images": {"shape": (64, 100, 3), "m": 4},
    "train": {},  # its questions are real runs of their own, not the page's controls
}
PROMPT = re.compile(r"^\*\*(\d+)\.\*\* ")


def path(page):
    return f"pages/{page}.py"


def prompts(at):
    return [PROMPT.sub("", m.value) for m in at.markdown if PROMPT.match(m.value)]


def shown(at, page, seed=0):
    """The questions on screen, matched to logreg.quiz's for the page's default state (fails if they differ)."""
    expected = quiz.questions(page, PAGES[page], seed)
    assert prompts(at) == [q.prompt for q in expected]
    return expected


def answer(at, page, i, q, text_or_option):
    base = f"quiz_{page}_{i}_{q.qid}"
    if q.answer_type == "choice":
        at.radio(key=f"{base}_answer").set_value(text_or_option)
    else:
        at.text_input(key=f"{base}_answer").input(text_or_option)
    at.button(key=f"{base}_submit").click().run()
    assert not at.exception, at.exception


def right_text(q):
    return "error" if getattr(q.key, "shape", ()) is None else q.key.shown()


def wrong_text(q):
    if q.answer_type == "choice":
        return next(o for o in q.key.options if o != q.key.shown())
    if q.answer_type == "shape":
        return "(999, 999)"
    return f"{q.key.value + 10 * q.key.tol + 1:.3f}"


def score(at):
    return next(c.value for c in at.markdown if c.value.startswith("On this page so far"))


@pytest.mark.parametrize("page", PAGES)
def test_a_right_answer_is_revealed_explained_and_counted(page):
    at = open_page(path(page))
    q = shown(at, page)[0]
    assert "Right" not in " ".join(s.value for s in at.success)  # nothing revealed before answering
    answer(at, page, 0, q, right_text(q))
    assert any(s.value.startswith("Right") and q.key.shown() in s.value for s in at.success)
    assert any(q.explanation[0] in m.value and q.explanation[1] in m.value for m in at.markdown)
    assert any(q.section in c.value for c in at.markdown)
    assert "**1** right of **1** answered" in score(at)
    assert not any(b.key == f"quiz_{page}_0_{q.qid}_submit" for b in at.button)  # answered: the form is gone


@pytest.mark.parametrize("page", PAGES)
def test_a_wrong_answer_shows_the_right_one(page):
    at = open_page(path(page))
    q = shown(at, page)[1]
    answer(at, page, 1, q, wrong_text(q))
    errors = [e.value for e in at.error if e.value.startswith("Not quite")]
    assert len(errors) == 1 and q.key.shown() in errors[0]
    assert "**0** right of **1** answered" in score(at)


@pytest.mark.parametrize("page", ["sigmoid", "vectorization"])
def test_unreadable_text_keeps_the_question_open(page):
    at = open_page(path(page))
    qs = shown(at, page)
    i, q = next((i, q) for i, q in enumerate(qs) if q.answer_type != "choice")
    answer(at, page, i, q, "__import__('os')")
    assert any("Couldn't read that as a" in w.value for w in at.warning)
    assert any(b.key == f"quiz_{page}_{i}_{q.qid}_submit" for b in at.button)  # still open
    assert "**0** right of **0** answered" in score(at)
    answer(at, page, i, q, right_text(q))
    assert "**1** right of **1** answered" in score(at)


@pytest.mark.parametrize("page", PAGES)
def test_new_questions_draw_the_next_seed_and_put_it_in_the_url(page):
    at = open_page(path(page), opened=(f"quiz_{page}_link",))
    before = prompts(at)
    at.button(key=f"quiz_{page}_new").click().run()
    assert not at.exception
    shown(at, page, seed=1)
    assert prompts(at) != before
    assert at.query_params["qseed"] == ["1"] or at.query_params["qseed"] == "1"
    assert any("qseed=1" in c.value and "check=1" in c.value for c in at.code)


def test_a_new_question_with_the_prompt_of_an_answered_one_is_still_open():
    """The reviewer's repro: answer the steeper question, press New questions; the next seed asks the same prompt of
    other options, and must be asked, not shown answered with the old verdict."""
    page, state = "sigmoid", PAGES["sigmoid"]

    def steeper(seed):
        return next(((i, q) for i, q in enumerate(quiz.questions(page, state, seed)) if q.kind == "steeper"), None)

    seed = next(s for s in range(200) if steeper(s) and steeper(s + 1)
                and steeper(s)[1].prompt == steeper(s + 1)[1].prompt and steeper(s)[1].key != steeper(s + 1)[1].key)
    at = open_page(path(page), {"qseed": str(seed)})
    i, q = steeper(seed)
    answer(at, page, i, q, right_text(q))
    assert "**1** right of **1** answered" in score(at)
    at.button(key=f"quiz_{page}_new").click().run()
    j, new = steeper(seed + 1)
    assert prompts(at)[j] == new.prompt
    assert at.radio(key=f"quiz_{page}_{j}_{new.qid}_answer").options == list(new.key.options)  # asked, not revealed
    assert not any(q.key.shown() in s.value or new.key.shown() in s.value for s in at.success)
    answer(at, page, j, new, right_text(new))
    assert "**2** right of **2** answered" in score(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_teacher_link_shows_the_same_questions_first(page):
    first = open_page(path(page), {"check": "1", "qseed": "7"}, opened=(f"quiz_{page}_link",))
    again = open_page(path(page), {"check": "1", "qseed": "7"})
    assert prompts(first) == prompts(again) == [q.prompt for q in quiz.questions(page, PAGES[page], 7)]
    assert first.subheader[0].value == "Check yourself"  # before the page's own sections
    assert open_page(path(page)).subheader[-1].value == "Check yourself"  # without the link: at the end
    link = next(c.value for c in first.code if "check=1" in c.value)
    assert link.startswith(f"/{page}?") and link.endswith("check=1&qseed=7")
    assert not any("check=1" in c.value for c in again.code)  # its expander closed: the link is not even drawn


def teacher_link_shown(at):
    return next(c.value for c in at.code if "check=1" in c.value)


def test_the_link_carries_the_page_state_and_the_questions_stay_until_new_ones_are_asked_for():
    at = open_page("pages/vectorization.py", {"n_x": "7", "m": "3", "check": "1", "qseed": "2"},
                   opened=("quiz_vectorization_link",))
    first = [q.prompt for q in quiz.questions("vectorization", {"n_x": 7, "m": 3}, 2)]
    assert prompts(at) == first
    link = teacher_link_shown(at)
    assert "n_x=7" in link and "m=3" in link
    at.slider(key="n_x").set_value(11)
    at.query_params["n_x"] = "11"  # what the browser does with a bound control's value (AppTest does not)
    at.run()  # a learner working a question out: it must not change under them, nor its link
    assert prompts(at) == first and teacher_link_shown(at) == link
    at.button(key="quiz_vectorization_new").click().run()  # new questions take the controls as they are now
    assert prompts(at) == [q.prompt for q in quiz.questions("vectorization", {"n_x": 11, "m": 3}, 3)]
    link = teacher_link_shown(at)
    assert "n_x=11" in link and "m=3" in link and link.endswith("qseed=3")
    again = open_page("pages/vectorization.py", dict(parse_qsl(urlsplit(link).query)))  # the link reproduces them
    assert prompts(again) == prompts(at)


def _png(h, w):
    import io

    import numpy as np
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.zeros((h, w, 3), np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def test_a_link_made_beside_an_uploaded_picture_opens_the_drawn_sample_with_questions_and_says_so():
    """An upload cannot travel in a link: picture=upload opened the page with no picture, and no questions, for the class."""
    at = open_page(path("images"), {"picture": "upload", "qseed": "3"}, opened=("quiz_images_link",))
    at.file_uploader(key="picture_file").set_value(("x.png", _png(40, 60), "image/png")).run()
    assert not at.exception
    assert prompts(at) == [q.prompt for q in quiz.questions("images", {"shape": (40, 60, 3), "m": 4}, 3)]  # theirs
    link = teacher_link_shown(at)
    query = dict(parse_qsl(urlsplit(link).query))
    assert query["picture"] == "scene" and "upload" not in link
    assert any("cannot go in a link" in i.value and "drawn sample (64 × 100 × 3)" in i.value for i in at.info)
    fresh = open_page(path("images"), query)  # the class: the drawn sample, and the questions first
    assert prompts(fresh) == [q.prompt for q in quiz.questions("images", {"shape": (64, 100, 3), "m": 4}, 3)]
    assert fresh.subheader[0].value == "Check yourself"
    assert not any("cannot go in a link" in i.value for i in open_page(path("images"), opened=("quiz_images_link",)).info)


def test_a_link_that_holds_picture_upload_still_shows_the_class_its_questions():
    """Links made before uploads were swapped out, and a learner who switches to upload under a teacher's link."""
    query = {"picture": "upload", "batch_m": "6", "check": "1", "qseed": "3"}
    at = open_page(path("images"), query, opened=("quiz_images_link",))
    expected = [q.prompt for q in quiz.questions("images", {"shape": (64, 100, 3), "m": 6}, 3)]
    assert prompts(at) == expected and at.subheader[0].value == "Check yourself"
    assert any("Choose a picture" in i.value for i in at.info)
    assert dict(parse_qsl(urlsplit(teacher_link_shown(at)).query))["picture"] == "scene"
    at.file_uploader(key="picture_file").set_value(("x.png", _png(40, 60), "image/png")).run()
    assert not at.exception and prompts(at) == expected  # they stay put once a picture is chosen


def test_trains_block_link_keeps_the_readme_links_run_1():
    """Train removes run=1 from the URL once it has trained; the block's link must still hold it, or the class sees
    "Press Train" instead of the trained result the README promises."""
    query = dict(parse_qsl("per_class=60&iters=300&alpha=0.05&run=1&check=1&qseed=2"))
    at = open_page(path("train"), query, timeout=120, opened=("quiz_train_link",))
    assert not any("Press **Train**" in i.value for i in at.info)  # this visit trained
    link = teacher_link_shown(at)
    assert dict(parse_qsl(urlsplit(link).query)) == query
    again = open_page(path("train"), dict(parse_qsl(urlsplit(link).query)), timeout=120)
    assert not any("Press **Train**" in i.value for i in again.info)  # and so does the class's


@pytest.mark.parametrize("qseed", ["9999999", "1e5", "-3", "", "seven"])
def test_a_qseed_the_page_cannot_use_is_named_on_the_page(qseed):
    at = open_page(path("sigmoid"), {"check": "1", "qseed": qseed})
    assert prompts(at) == [q.prompt for q in quiz.questions("sigmoid", PAGES["sigmoid"], 0)]  # the visit's own seed
    notes = [w.value for w in at.warning if "Ignored from the link: qseed" in w.value]
    assert len(notes) == 1 and "0 to 999,999" in notes[0], [w.value for w in at.warning]
    ok = open_page(path("sigmoid"), {"check": "1", "qseed": "999999"})
    assert prompts(ok) == [q.prompt for q in quiz.questions("sigmoid", PAGES["sigmoid"], 999_999)]
    assert not any("Ignored from the link" in w.value for w in ok.warning)


@pytest.mark.parametrize("page", PAGES)
def test_every_pointer_names_a_heading_of_its_page(page):
    at = open_page(path(page))
    headings = {h.value for h in [*at.title, *at.subheader]}
    sections = {q.section for s in range(40) for q in quiz.questions(page, PAGES[page], s)}
    assert sections and sections <= headings, sections - headings


def test_home_shows_this_visitors_progress_per_page():
    at = open_page("pages/sigmoid.py")
    q = shown(at, "sigmoid")[0]
    answer(at, "sigmoid", 0, q, right_text(q))
    at.switch_page("pages/loss.py").run()
    lq = shown(at, "loss")[0]
    answer(at, "loss", 0, lq, wrong_text(lq))
    at.switch_page("pages/home.py").run()
    assert not at.exception
    table = tables(at)[-1]
    row = {p: (a, r) for p, a, r in zip(table["page"], table["answered"], table["right"], strict=True)}
    assert row["Sigmoid"] == ("1", "1") and row["Loss & cost"] == ("1", "0") and row["Vectorization"][0] == "0"
    fresh = tables(open_page())[-1]  # another visitor starts at zero
    assert set(fresh["answered"]) == {"0"}


@pytest.mark.parametrize(("page", "query", "state"), [
    ("sigmoid", {"w": "-2.5", "b": "1.0", "z": "-1.5"}, {"w": -2.5, "b": 1.0, "z": -1.5}),
    ("loss", {"y_hat": "0.3"}, {"y_hat": 0.3}),
    ("broadcasting", {"a_kind": "typed", "a_shape": "(2,3)", "b_kind": "typed", "b_shape": "(4,)", "rank1_n": "7"},
     {"shape_a": (2, 3), "shape_b": (4,), "rank1_n": 7}),
    ("broadcasting", {"a_kind": "scalar", "b_kind": "column", "rows": "6"}, {"shape_a": (), "shape_b": (6, 1), "rank1_n": 5}),
    ("images", {"picture": "digit", "batch_m": "6"}, {"shape": (28, 28, 3), "m": 6}),
])
def test_the_page_passes_its_current_state(page, query, state):
    for seed in (3, 4):
        at = open_page(path(page), {**query, "check": "1", "qseed": str(seed)})
        assert prompts(at) == [q.prompt for q in quiz.questions(page, state, seed)]


def _readme_teacher_links():
    from pathlib import Path
    from urllib.parse import parse_qsl, urlsplit

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = text.split("### Check yourself and teacher links", 1)[1].split("\n## ", 1)[0]
    for link in re.findall(r"`(/[a-z]+\?[^`]*check=1[^`]*)`", section):
        parts = urlsplit(link)
        query = {}
        for k, v in parse_qsl(parts.query):
            query[k] = v
        yield parts.path.strip("/"), query


#: What the README says each link asks, as the prompts spell it.
README_CLAIMS = {
    "sigmoid": ["at $z = -0.5$", "makes $\\sigma(w x)$ steeper", "For $z = 2.1$, is"],
    "loss": ["ŷ = 0.3 with y = 1 or ŷ = 0.05 with y = 1", "$\\hat y = 0.3$, $y = 1$", "$\\hat y = y = 0$"],
    "backprop": ["a = 0.6 and y = 0, what is dz", "x1 = 1, a = 0.6, y = 0. What is dw1", "What is db = (1/m) Σ dz"],
    "vectorization": ["$n_x = 784$ features and $m = 800$", "$dw =", "$db =", "$X\\, dZ^\\top$"],
    "broadcasting": ["shape (2, 3), B has shape (3,). What is the shape of A * B", "the (5, 5) matrix",
                     "`a = np.zeros((5, 1))`. What is the shape of `a.T @ a`"],
    "images": ["shape (28, 28, 3). Unrolled", "keeps one picture per column", "`imgs` has shape (6, 28, 28, 3)"],
    "train": ["99% on the training set and 76% on the test set", "Which α ends at the lowest cost",
              "the cost went up"],
}


def test_the_readme_has_a_teacher_link_per_wired_page_and_each_opens_its_questions_first():
    links = list(_readme_teacher_links())
    assert sorted(p for p, _ in links) == sorted(PAGES)
    for page, query in links:
        at = open_page(path(page), query, opened=(f"quiz_{page}_link",))
        asked = " | ".join(prompts(at))
        assert all(claim in asked for claim in README_CLAIMS[page]), (page, asked)
        assert at.subheader[0].value == "Check yourself", page
        assert len(prompts(at)) == quiz.PER_BLOCK
        assert prompts(at) == prompts(open_page(path(page), query))  # same link, same questions
        link = next(c.value for c in at.code if "check=1" in c.value)
        assert link.endswith(f"qseed={query['qseed']}")


def test_the_blocks_widget_keys_are_prefixed_by_their_page_and_never_shared():
    """tests/test_page_keys.py reads literal keys in pages/*.py; the block's keys are built in ui/quiz.py, so check them here."""
    keys = {}
    for page in PAGES:
        at = open_page(path(page))
        widgets = [*at.button, *at.text_input, *at.radio]
        keys[page] = {w.key for w in widgets if w.key and w.key.startswith("quiz_")}
        assert len(keys[page]) == 2 * quiz.PER_BLOCK + 1  # an answer and a submit per question, one "new"
        assert all(k.startswith(f"quiz_{page}_") for k in keys[page])
    every = [k for ks in keys.values() for k in ks]
    assert len(every) == len(set(every))


@pytest.mark.parametrize("url, link", [
    ("https://uni.example/apps/logreg/sigmoid", "https://uni.example/apps/logreg/sigmoid?w=2&check=1&qseed=7"),
    ("https://uni.example/apps/logreg/sigmoid/", "https://uni.example/apps/logreg/sigmoid?w=2&check=1&qseed=7"),
    ("https://x.streamlit.app/sigmoid", "https://x.streamlit.app/sigmoid?w=2&check=1&qseed=7"),
    ("http://localhost:8501/base/sigmoid", "http://localhost:8501/base/sigmoid?w=2&check=1&qseed=7"),
    (None, "/sigmoid?w=2&check=1&qseed=7"),
])
def test_a_teacher_link_keeps_the_apps_path_prefix(monkeypatch, url, link):
    # served under a path (server.baseUrlPath, or a reverse proxy's /apps/logreg/), the link dropped the prefix
    # and pointed at https://uni.example/sigmoid, someone else's page or none
    import streamlit as st

    from ui import quiz as ui_quiz

    monkeypatch.setattr(type(st.context), "url", property(lambda self: url))
    assert ui_quiz.teacher_link("sigmoid", 7, [("w", "2")]) == link

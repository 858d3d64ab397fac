"""logreg.quiz: every generated key equals what NumPy computes here, directly; the answer parser is strict."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg import quiz
from logreg.quiz import ChoiceKey, NumberKey, ShapeKey, answers
from logreg.quiz import train as quiz_train

ROOT = Path(__file__).resolve().parents[1]

SEEDS = range(60)
#: A spread of page states, including odd ones (strings, out of range, missing) that must fall back to defaults.
STATES = {
    "sigmoid": [{}, {"w": 1.5, "b": 0.0, "z": 2.0}, {"w": -4.9, "b": 2.3, "z": -7.5}, {"w": 0.0, "z": "x"}],
    "loss": [{}, {"y_hat": 0.8}, {"y_hat": 0.001}, {"y_hat": float("nan")}],
    "backprop": [{}, {"a": 0.7, "y": 1, "x1": 2.0}, {"a": 0.15, "y": 0, "x1": -3.0}],
    "vectorization": [{}, {"n_x": 7, "m": 3}, {"n_x": 2000, "m": 5000}, {"n_x": 1, "m": 1}],
    "broadcasting": [{}, {"shape_a": (3, 1), "shape_b": (1, 4), "rank1_n": 5}, {"shape_a": (2, 3), "shape_b": (3,)},
                     {"shape_a": (), "shape_b": (4, 1, 2), "rank1_n": 10}, {"shape_a": "junk", "shape_b": None}],
    "images": [{}, {"shape": (64, 100, 3), "m": 4}, {"shape": (28, 28, 3), "m": 8}, {"shape": (7, 5, 3), "m": 2}],
    "train": [{}],
}


def _sigma(z):
    return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z) without overflow


def _L(p, y):
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def _gd_costs(lr, w0, b0, steps=quiz_train.STEPS):
    """Gradient descent on the Loss page's toy set, written out here with NumPy (no logreg training code)."""
    from logreg import surfaces

    X, Y = surfaces.toy_dataset_1d(20, overlap=1.5, seed=0)
    x, y = X[0], Y[0]
    w, b, costs = w0, b0, []
    for _ in range(steps + 1):
        z = w * x + b
        costs.append(np.mean(np.logaddexp(0, -z) * y + np.logaddexp(0, z) * (1 - y)))
        a = _sigma(z)
        w, b = w - lr * np.mean((a - y) * x), b - lr * np.mean(a - y)
    return np.array(costs)


_RANK1 = {"a @ a.T": lambda a: a @ a.T, "a * a.T": lambda a: a * a.T, "a.T": lambda a: a.T, "a.T @ a": lambda a: a.T @ a}


@functools.cache
def _vec_shapes(n_x, m):
    X = np.broadcast_to(0.0, (n_x, m))
    Z = np.zeros((n_x, 1)).T @ X + 0.0
    dZ = _sigma(Z) - 1.0
    return {"dw": (X @ dZ.T / m).shape, "Z": Z.shape, "XdZT": (X @ dZ.T).shape, "db": np.shape(np.sum(dZ) / m)}


def _broadcast(p):
    try:
        return (np.zeros(p["a"]) + np.zeros(p["b"])).shape
    except ValueError:
        return None


def _costlier(p):
    ls = [_L(v, p["y"]) for v in p["y_hat"]]
    return f"ŷ = {p['y_hat'][int(np.argmax(ls))]:g} with y = {p['y']}"


def _regime(p):
    if p["train"] < 0.85:
        return "underfitting (high bias)"
    return "overfitting (high variance)" if p["train"] - p["test"] > 0.08 else "a good fit (low bias, low variance)"


def _alpha(p):
    c = _gd_costs(p["lr"], p["w0"], p["b0"])
    assert c[-1] > c[0] or (c[0] - c[-1]) / c[0] < 0.05, "a generated curve must be clear-cut"
    return "α is too large" if c[-1] > c[0] else "α is too small"


#: kind -> the expected answer computed from the question's own parameters (a number, a shape/None, or the option text)
ORACLES = {
    "sigma_at_z": lambda p: _sigma(p["z"]),
    "above_half": lambda p: "yes, above 0.5" if _sigma(p["z"]) > 0.5 else "no, below 0.5",
    "steeper": lambda p: f"w = {max(p['w'], key=abs):g}",
    "derivative": lambda p: _sigma(p["z"]) * (1 - _sigma(p["z"])),
    "which_costs_more": _costlier,
    "loss_when_equal": lambda p: 0.0,
    "loss_value": lambda p: _L(p["y_hat"], p["y"]),
    "cost_of_batch": lambda p: np.mean(_L(np.array(p["a"]), np.array(p["y"]))),
    "dz": lambda p: p["a"] - p["y"],
    "dw1": lambda p: p["x1"] * (p["a"] - p["y"]),
    "db_batch": lambda p: np.mean(np.array(p["a"]) - np.array(p["y"])),
    "update_sign": lambda p: "w1 goes up" if -p["alpha"] * p["x1"] * (p["a"] - p["y"]) > 0 else "w1 goes down",
    "shape_dw": lambda p: _vec_shapes(p["n_x"], p["m"])["dw"],
    "shape_Z": lambda p: _vec_shapes(p["n_x"], p["m"])["Z"],
    "shape_XdZT": lambda p: _vec_shapes(p["n_x"], p["m"])["XdZT"],
    "shape_db": lambda p: _vec_shapes(p["n_x"], p["m"])["db"],
    "broadcast_shape": _broadcast,
    "rank1_shape": lambda p: _RANK1[p["expr"]](np.zeros((p["k"], 1)) if p["column"] else np.zeros(p["k"])).shape,
    "which_reshape": lambda p: f"a = a.reshape({p['k']}, 1)",
    "column_length": lambda p: np.zeros((p["h"], p["w"], 3)).reshape(-1, 1).shape[0],
    "batch_shape": lambda p: np.zeros((p["m"], p["h"], p["w"], 3)).reshape(p["m"], -1).T.shape,
    "which_flatten": lambda p: "imgs.reshape(m, -1).T",
    "scaled_pixel": lambda p: p["v"] / 255,
    "alpha_from_curve": _alpha,
    "best_alpha": lambda p: f"α = {p['rates'][int(np.argmin([_gd_costs(r, p['w0'], p['b0'])[-1] for r in p['rates']]))]:g}",
    "train_vs_test": _regime,
}


def _all_questions(page):
    for state in STATES[page]:
        for seed in SEEDS:
            yield from quiz.questions(page, state, seed, n=len(quiz.kinds(page)))


def test_every_kind_has_an_oracle_and_every_page_three_kinds_or_more():
    for page in quiz.PAGES:
        assert len(quiz.kinds(page)) >= 3, page
        assert set(quiz.kinds(page)) <= set(ORACLES), page


@pytest.mark.parametrize("page", quiz.PAGES)
def test_every_key_equals_numpy_computed_here(page):
    seen = set()
    for q in _all_questions(page):
        expected = ORACLES[q.kind](q.params)
        seen.add(q.kind)
        if isinstance(q.key, NumberKey):
            assert q.key.value == pytest.approx(expected, abs=1e-9), (q.prompt, q.key, expected)
            assert f"±{q.key.tol:g}" in q.prompt or q.key.tol == 0
        elif isinstance(q.key, ShapeKey):
            assert q.key.shape == expected, (q.prompt, q.key, expected)
        else:
            assert q.key.shown() == expected, (q.prompt, q.key, expected)
    assert seen == set(quiz.kinds(page))


def _candidates(q):
    """Answers a learner might type: the key and near misses of the same class."""
    k = q.key
    if isinstance(k, NumberKey):
        step = 3 * k.tol + 0.1
        return [k.shown(), f"{k.value + step:.6f}", f"{k.value - step:.6f}", f"{k.value + 10:.6f}"]
    if isinstance(k, ShapeKey):
        others = ["error", "()", "(1,)", "(7, 7)"]
        if k.shape:
            others += [str(tuple(s + 1 for s in k.shape)), str(tuple(reversed(k.shape)) + (1,))]
        return [k.shown() if k.shape is not None else "error", *others]
    return [k.shown(), *(o for o in k.options if o != k.shown())]


@pytest.mark.parametrize("page", quiz.PAGES)
def test_exactly_one_accepted_answer_class(page):
    for q in _all_questions(page):
        assert sum(isinstance(q.key, c) for c in (NumberKey, ShapeKey, ChoiceKey)) == 1
        verdicts = [quiz.grade(q, t) for t in _candidates(q)]
        assert all(v.readable for v in verdicts), (q.prompt, verdicts)
        right = {repr(v.answer) for v in verdicts if v.right}
        assert len(right) == 1, (q.prompt, q.key, verdicts)
        assert verdicts[0].right, (q.prompt, q.key)
        assert len(q.explanation) == 2 and all(q.explanation) and q.section
        if isinstance(q.key, ChoiceKey):
            assert len(set(q.key.options)) == len(q.key.options) >= 2


@pytest.mark.parametrize("page", quiz.PAGES)
def test_same_state_and_seed_give_the_same_questions_and_seeds_vary_them(page):
    state = STATES[page][-1]
    for seed in range(5):
        assert quiz.questions(page, state, seed) == quiz.questions(page, state, seed)
    prompts = {tuple(q.prompt for q in quiz.questions(page, state, seed)) for seed in range(10)}
    assert len(prompts) > 3


@pytest.mark.parametrize("page", quiz.PAGES)
def test_two_questions_share_an_id_only_when_a_learner_sees_the_same_question(page):
    """The block reveals any question whose id was answered: an id shared by two different questions would show the
    second as answered, with the first's verdict (the steeper and best_alpha prompts repeat over different options).
    The same options in another order are the same question."""
    by_id, kinds_seen = {}, set()
    for q in _all_questions(page):
        key = (frozenset(q.key.options), q.key.shown()) if isinstance(q.key, ChoiceKey) else q.key  # the order may vary
        seen = (q.prompt, key, q.explanation, q.section)
        assert by_id.setdefault(q.qid, seen) == seen, (q.kind, q.qid, by_id[q.qid], seen)
        kinds_seen.add(q.kind)
    assert kinds_seen == set(quiz.kinds(page))


@pytest.mark.parametrize(("w", "b", "inner"), [(1.5, 0.0, "w x"), (-2.5, 0.05, "w x + 0.05"), (0.0, -1.25, "w x - 1.25"),
                                                (4.95, 2.0, "w x + 2"), (-0.1, -0.05, "w x - 0.05")])
def test_steeper_states_b_as_the_slider_shows_it_and_the_steepness_as_the_slopes_size(w, b, inner):
    asked = [q for s in range(80) for q in quiz.questions("sigmoid", {"w": w, "b": b}, s, n=4) if q.kind == "steeper"]
    assert len(asked) == 80
    for q in asked:
        assert rf"$\sigma({inner})$" in q.prompt, q.prompt
        ws = [float(o.removeprefix("w = ")) for o in q.key.options]
        # w = 0 would make σ(0·x + b) a flat line that never crosses 0.5: the question's premise would fail
        assert 0.0 not in ws
        assert "|w| / 4" in q.explanation[0], q.explanation
        for wi in ws:  # the slope of σ(w x + b) at its crossing, by a central difference, and its size printed
            x0, h = -b / wi, 1e-6
            slope = (_sigma(wi * (x0 + h) + b) - _sigma(wi * (x0 - h) + b)) / (2 * h)
            assert f"{abs(slope):.3f} for w = {wi:g}" in q.explanation[0], (wi, slope, q.explanation[0])


def test_train_vs_test_states_its_rules_and_they_give_its_key_from_the_numbers_it_shows():
    """The Train page never names bias or variance nor says where they start: the question says so itself."""
    import re

    asked = [q for s in range(120) for q in quiz.questions("train", {}, s, n=3) if q.kind == "train_vs_test"]
    assert {q.key.shown() for q in asked} == set(quiz_train.REGIMES)
    for q in asked:
        train, test = map(int, re.search(r"(\d+)% on the training set and (\d+)% on the test set", q.prompt).groups())
        rule = re.search(r"below (\d+)% on training is underfitting; a test accuracy more than (\d+) points below "
                         r"training is overfitting; otherwise, a good fit", q.prompt)
        assert rule, q.prompt
        low, gap = map(int, rule.groups())
        assert (low, gap) == (85, 8)  # the cut-offs this file's oracle (_regime) grades by
        said = "underfitting" if train < low else "overfitting" if train - test > gap else "a good fit"
        assert q.key.shown().startswith(said), (q.prompt, q.key.shown())


def test_questions_follow_the_page_state():
    qs = [q for s in range(20) for q in quiz.questions("vectorization", {"n_x": 7, "m": 3}, s)]
    assert {q.key.shape for q in qs} <= {(7, 1), (1, 3), (3, 1), (1, 7), ()} and (7, 1) in {q.key.shape for q in qs}
    z_asked = {q.params["z"] for s in range(30) for q in quiz.questions("sigmoid", {"z": -6.0}, s) if q.kind == "sigma_at_z"}
    assert z_asked and all(-7.0 <= z <= -5.0 for z in z_asked)
    pairs = {(q.params["a"], q.params["b"]) for s in range(40) for q in quiz.questions(
        "broadcasting", {"shape_a": (2, 3), "shape_b": (3,)}, s) if q.kind == "broadcast_shape"}
    assert ((2, 3), (3,)) in pairs


def test_one_feature_and_one_example_are_said_in_the_singular():
    prompts = [q.prompt for s in range(10) for q in quiz.questions("vectorization", {"n_x": 1, "m": 1}, s)]
    assert prompts and all("$n_x = 1$ feature and $m = 1$ example," in p for p in prompts), prompts
    prompts = [q.prompt for s in range(10) for q in quiz.questions("vectorization", {"n_x": 2, "m": 2}, s)]
    assert prompts and all("$n_x = 2$ features and $m = 2$ examples," in p for p in prompts), prompts


def test_a_teacher_link_seed_is_the_same_in_every_process():
    import subprocess
    import sys

    code = "from logreg import quiz; print([q.qid for q in quiz.questions('loss', {'y_hat': 0.8}, 7)])"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout for _ in range(2)}
    assert len(runs) == 1 and str([q.qid for q in quiz.questions("loss", {"y_hat": 0.8}, 7)]) + "\n" in runs


def test_unknown_page_or_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="no questions for page"):
        quiz.questions("nope", {}, 0)
    with pytest.raises(ValueError, match="unknown question kind"):
        quiz.make("sigmoid", "nope", {}, np.random.default_rng(0))


# --------------------------------------------------------------------------------------------- the parser


@pytest.mark.parametrize("text", ["(3, 4)", "3,4", "3x4", "3 × 4", "3 X 4", "[3, 4]", " (3,4) ", "3 ✕ 4", "３x４"])
def test_shapes_in_equivalent_forms(text):
    assert answers.parse_shape(text) == (3, 4)
    assert ShapeKey((3, 4)).grade(text).right


@pytest.mark.parametrize(("text", "shape"), [("(5,)", (5,)), ("5", (5,)), ("5,", (5,)), ("()", ()), ("scalar", ()),
                                             ("[ ]", ()), ("error", "error"), ("ValueError", "error")])
def test_special_shapes(text, shape):
    assert answers.parse_shape(text) == shape


@pytest.mark.parametrize("text", ["", "  ", "(3, 4", "3, 4)", "(3,4]", "3;4", "3,,4", "1e3", "x", "(3)(4)",
                                  "__import__('os')", "np.zeros(3).shape", "-3,4", "3.5x2", "٣x4", "9" * 11])
def test_unreadable_shapes_keep_the_question_open(text):
    assert answers.parse_shape(text) is None
    v = ShapeKey((3, 4)).grade(text)
    assert v.status == "unreadable" and "couldn't read that as a shape" in v.message.lower()


@pytest.mark.parametrize(("text", "value"), [("0.5", 0.5), ("-0.3", -0.3), ("−0.3", -0.3), (".5", 0.5), ("1e-3", 1e-3),
                                             ("50%", 0.5), ("19,200", 19200), ("19 200", 19200), ("+3.", 3.0)])
def test_numbers(text, value):
    assert answers.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "1/2", "nan", "inf", "-inf", "1e999", "2**3", "0x10", "1 2", "1,2", "0,5", "one",
                                  "exec('1')", "1e", "--1", "1..2", "１/２", "0 375", "0_375"])
def test_unreadable_numbers_keep_the_question_open(text):
    assert answers.parse_number(text) is None
    v = NumberKey(0.5, 0.01).grade(text)
    assert v.status == "unreadable" and "couldn't read that as a number" in v.message.lower()


@pytest.mark.parametrize("text", ["0,375", "-0,400", "−0,4", "0,5", "00,500", "012,345"])
def test_a_decimal_comma_is_never_read_as_thousands(text):
    """A first group that starts with 0 is a decimal comma, not a grouping: read as 375 or -400 it would be graded."""
    assert answers.parse_number(text) is None
    v = NumberKey(0.375, 0.01).grade(text)
    assert v.status == "unreadable" and "use a point for decimals" in v.message


@pytest.mark.parametrize(("text", "value"), [("1,609", 1.609), ("-2,500", -2.5), ("1,609%", 16.09), ("999,999", 999.999)])
def test_an_ambiguous_comma_under_1000_is_asked_again_not_marked_wrong(text, value):
    """1,609 is 1609 in English and 1.609 in much of Europe: when the answer is under 1000 either could be meant."""
    assert answers.comma_is_ambiguous(text)
    for key in (NumberKey(value, 0.01), NumberKey(0.0, 0.5), NumberKey(-999.0, 0.5)):
        v = key.grade(text)
        assert v.status == "unreadable" and "use a point for decimals" in v.message.lower(), (key, v)
    assert NumberKey(value, 0.01).grade(f"{value:g}").right


@pytest.mark.parametrize(("text", "key", "status"), [
    ("19,200", 19200.0, "right"), ("1,609", 1609.0 + 1000, "wrong"), ("1,234,567", 1234567.0, "right"),
    ("1,234.5", 1234.5, "right"), ("1,234.5", 0.5, "wrong"), ("12 345", 12345.0, "right"), ("1,609", 1000.0, "wrong")])
def test_an_unambiguous_or_large_grouping_is_read_as_thousands(text, key, status):
    assert NumberKey(key, 0.0).grade(text).status == status


def test_number_tolerance_is_the_stated_one():
    k = NumberKey(0.7311, 0.01)
    assert k.grade("0.73").right and k.grade("0.741").right and k.grade("73%").right
    assert k.grade("0.722").right and k.grade("0.75").status == "wrong" and k.grade("0.72").status == "wrong"
    assert NumberKey(19200.0, 0.0).grade("19200").right and not NumberKey(19200.0, 0.0).grade("19201").right
    assert NumberKey(19200.0, 0.0).grade("19201").message == "The answer is 19200."  # no "(within ±0)"
    assert k.grade("0.75").message == "The answer is 0.73 (within ±0.01)."


def test_choices_by_text_number_or_letter():
    k = ChoiceKey(("α is too large", "α is too small"), 1)
    for text in ("α is too small", "Α IS TOO SMALL", "2", "b", "b)"):
        assert k.grade(text).right, text
    assert k.grade("1").status == "wrong" and k.grade("a").status == "wrong"
    for text in ("3", "c", "", "too", "small"):
        v = k.grade(text)
        assert v.status == "unreadable" and "couldn't read that" in v.message.lower()


def test_answers_are_length_capped():
    long = "3" * (answers.MAX_ANSWER_CHARS + 1)
    for key in (NumberKey(3.0, 0.1), ShapeKey((3,)), ChoiceKey(("a" * 70, "b"), 0)):
        v = answers.grade(key, long)
        assert v.status == "unreadable" and "at most" in v.message
    assert answers.parse_number(long) is None and answers.parse_shape(long) is None


_KEYS = [NumberKey(0.5, 0.01), NumberKey(19200.0, 0.0), ShapeKey((3, 4)), ShapeKey(None), ShapeKey(()),
         ChoiceKey(("yes, above 0.5", "no, below 0.5"), 0)]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.characters(codec="utf-8"), max_size=200),
                 st.text(alphabet="0123456789()[],.x×X -+e%", max_size=40), st.binary().map(lambda b: b.decode("latin-1"))))
def test_fuzzed_answers_never_raise(text):
    for key in _KEYS:
        v = answers.grade(key, text)
        assert v.status in ("right", "wrong", "unreadable") and v.message
    n, s = answers.parse_number(text), answers.parse_shape(text)
    assert n is None or np.isfinite(n)
    assert s is None or s == "error" or (isinstance(s, tuple) and all(isinstance(d, int) and d >= 0 for d in s))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=10**5, max_value=10**7))
def test_huge_strings_are_refused_quickly(n):
    text = "(" + "9," * (n // 2) + ")"
    assert answers.grade(ShapeKey((3,)), text).status == "unreadable"
    assert answers.grade(NumberKey(1.0, 0.1), "9" * n).status == "unreadable"


@given(st.lists(st.integers(0, 10_000), max_size=6))
def test_every_numpy_shape_spelling_round_trips(shape):
    shape = tuple(shape)
    for text in (str(shape), "x".join(map(str, shape)) or "()", ", ".join(map(str, shape)) or "scalar"):
        assert answers.parse_shape(text) == shape, text


def test_non_text_answers_are_unreadable():
    for value in (None, 3, b"3", ["3"]):
        assert answers.grade(NumberKey(3.0, 0.1), value).status == "unreadable"


def test_generating_every_page_pulls_in_neither_streamlit_nor_plotly():
    import subprocess
    import sys

    code = ("import sys\nfrom logreg import quiz\n"
            "[quiz.questions(p, {}, s) for p in quiz.PAGES for s in range(3)]\n"
            "print(','.join(sorted(k for k in sys.modules if k.split('.')[0] in ('streamlit', 'plotly'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""


def test_the_reason_for_dividing_by_255_is_what_one_step_of_training_does():
    # The explanation (and the Images page's section 4) says: with zero init z = 0 at the first step either way;
    # raw pixels make dw 255x larger, so after the first update w.x is 255^2 x larger and sigma(z) saturates.
    from logreg import datasets, images, initialize_with_zeros, propagate

    [q] = [q for q in quiz.questions("images", {}, 0, n=len(quiz.kinds("images"))) if q.kind == "scaled_pixel"]
    why = q.explanation[1]
    assert "z = 0 at the first step either way" in why and "dw is 255× larger" in why and "saturates" in why
    assert "starts small" not in why  # the old, wrong reason: z starts at 0 whatever the scale

    imgs, labels = datasets.load_digits_subset()
    keep = (labels == 3) | (labels == 5)
    raw = imgs[keep].reshape(int(keep.sum()), -1).T.astype(np.float64)
    Y = (labels[keep] == 3).astype(np.float64).reshape(1, -1)
    alpha = 0.005  # the Train page's default
    after = {}
    for name, X in (("raw", raw), ("scaled", images.standardize(raw))):
        w, b = initialize_with_zeros(X.shape[0])
        assert not np.any(w.T @ X + b)  # z = 0 at the first step either way
        grads, _ = propagate(w, b, X, Y)
        w, b = w - alpha * grads["dw"], b - alpha * grads["db"]
        after[name] = (grads["dw"], w.T @ X, w.T @ X + b)
    np.testing.assert_allclose(after["raw"][0], 255 * after["scaled"][0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(after["raw"][1], 255**2 * after["scaled"][1], rtol=1e-9, atol=1e-12)
    z_raw, z_scaled = np.abs(after["raw"][2]), np.abs(after["scaled"][2])
    assert np.mean(z_raw > 10) > 0.9  # sigma(z) within 5e-5 of 0 or 1 for nearly every picture
    assert np.median(z_scaled) < 0.1  # scaled: z stays small


#: Page states a link can hold near zero: tiny negatives round to -0.0, which Python prints with its sign.
NEAR_ZERO = {
    "sigmoid": [{"z": z, "w": w, "b": b} for z in (-0.04, -0.01, -1e-9, 0.04) for w in (1.5, -0.001)
                for b in (-0.001, -0.04, 0.0)],
    "loss": [{"y_hat": v} for v in (0.001, 0.011, 0.5)],
    "backprop": [{"a": a, "y": y, "x1": x1} for a in (0.05, 0.95, 0.949, 0.5) for y in (0, 1)
                 for x1 in (0.01, -0.01, -0.001, 0.004, -0.004)],
}
_MINUS_ZERO = __import__("re").compile(r"(?<![\w.])-0(?:\.0*)?(?![\d.])")


@pytest.mark.parametrize("page", sorted(NEAR_ZERO))
def test_no_question_prints_minus_zero(page):
    # /sigmoid?z=-0.04 asked "What is σ(z) at z = -0?" (round(-0.04, 1) is -0.0)
    for state in NEAR_ZERO[page]:
        for seed in SEEDS:
            for q in quiz.questions(page, state, seed):
                options = q.key.options if isinstance(q.key, ChoiceKey) else ()
                for text in (q.prompt, *q.explanation, *options):
                    assert not _MINUS_ZERO.search(text), (page, state, seed, text)


def test_update_sign_shows_numbers_whose_signs_give_its_key():
    # x1 = 0.01, a = 0.95, y = 1, α = 0.01 explained "dw1 = … = -0.00, so w1 changes by +0.000" for "goes up"
    import re

    for state in NEAR_ZERO["backprop"]:
        for seed in SEEDS:
            q = quiz.make("backprop", "update_sign", state, np.random.default_rng(seed))
            shown_dw, shown_change = (float(v) for v in re.findall(r"= ([+-]?\d+(?:\.\d+)?)", q.explanation[0])[-2:])
            assert shown_dw != 0 and shown_change != 0, q.explanation[0]
            assert (shown_change > 0) == (q.key.shown() == "w1 goes up") and (shown_dw > 0) == (shown_change < 0)
            dw1 = quiz.make("backprop", "dw1", state, np.random.default_rng(seed))
            assert float(re.findall(r"= ([+-]?\d+(?:\.\d+)?)\.$", dw1.explanation[0])[0]) != 0, dw1.explanation[0]

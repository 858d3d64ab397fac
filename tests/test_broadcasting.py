import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg.broadcasting import (
    MAX_SHAPE_CHARS,
    apply_op,
    example_operands,
    explain_broadcast,
    format_shape,
    parse_shape,
    rank1_report,
)

shapes = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)


@settings(max_examples=200, deadline=None)
@given(a=shapes, b=shapes)
def test_agrees_with_numpy(a, b):
    res = explain_broadcast(a, b, "+")
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        expected = None
    if expected is None:
        assert not res.ok and res.result_shape is None
        with pytest.raises(ValueError) as info:
            np.ones(a) + np.ones(b)
        assert str(info.value) == res.numpy_error
    else:
        assert res.ok and res.result_shape == expected
        # every stretch names an axis where the operand had 1 (or nothing) and the result has more
        for s in res.stretch_a + res.stretch_b:
            assert expected[s.axis] == s.size_to and s.size_to != 1


def test_course_example_column_plus_row():
    res = explain_broadcast((3, 1), (1, 4), "*")
    assert res.result_shape == (3, 4)
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_a] == [(1, 1, 4)]
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_b] == [(0, 1, 3)]
    assert res.steps()[-1] == "Result shape: (3, 4)"


def test_missing_axis_is_prepended():
    res = explain_broadcast((2, 3), (3,), "+")
    assert res.result_shape == (2, 3)
    assert [(s.axis, s.size_from) for s in res.stretch_b] == [(0, 0)]
    assert "no axis 0" in res.stretch_b[0].describe("B")


def test_incompatible_has_numpy_wording_and_plain_reason():
    res = explain_broadcast((2, 3), (4,), "+")
    assert not res.ok
    assert res.numpy_error == "operands could not be broadcast together with shapes (2,3) (4,) "
    assert "axis 1" in res.reason and "neither" in res.reason
    assert res.conflict_axes == [1]


@pytest.mark.parametrize("text,shape", [
    ("(3, 1)", (3, 1)), ("3,1", (3, 1)), ("3x1", (3, 1)), ("(5,)", (5,)), ("()", ()), ("scalar", ()),
    ("[2, 3, 4]", (2, 3, 4)), (" 7 ", (7,)), ("(0, 3)", (0, 3)),
    # every form the page's help text promises, and the quiz's spellings
    ("[3, 1]", (3, 1)), ("2x3", (2, 3)), ("2 × 3", (2, 3)), ("2 X 3", (2, 3)), ("5,", (5,)), ("(5 ,)", (5,)),
    ("３x４", (3, 4)),  # full-width digits are folded to ASCII (NFKC), as in the quiz
])
def test_parse_shape_accepts(text, shape):
    assert parse_shape(text) == shape


@pytest.mark.parametrize("text,msg", [
    ("__import__('os')", "could not read"),
    ("3.5, 2", "could not read"),
    ("-1, 2", "could not read"),
    ("(1,2,3,4,5)", "at most 4 dimensions"),
    ("(100000, 1)", "at most 10000"),
    ("(5000, 5000)", "elements"),
    ("9" * 100, "too long"),
    # what the quiz refuses, the page refuses too: one parser for both
    ("(3", "brackets .* do not pair up: write the shape as \\(2, 3\\)"),
    ("[3)", "brackets .* do not pair up"),
    ("3)", "brackets .* do not pair up"),
    ("3 4", "could not read '3 4' as a shape: write the shape as \\(2, 3\\)"),
    ("(٣, ١)", "could not read .* whole numbers 0-9"),
    # superscript, circled and other "number" characters: Unicode folding would read ³ as 3 and 10³ as 103
    ("10³", "could not read '10³' as a shape"),
    ("2x3²", "could not read"),
    ("①x②", "could not read"),
    ("(½, 2)", "could not read"),
    ("((3, 1))", "could not read"),
    ("(,)", "could not read"),
    ("3,,4", "could not read"),
    ("", "type a shape: write the shape as \\(2, 3\\)"),
])
def test_parse_shape_refuses(text, msg):
    with pytest.raises(ValueError, match=msg):
        parse_shape(text)


def test_rank1_report():
    r = rank1_report(5)
    assert r["rank-1"] == {"a": (5,), "a.T": (5,), "a @ a.T": (), "a * a.T": (5,)}
    assert r["column"] == {"a": (5, 1), "a.T": (1, 5), "a @ a.T": (5, 5), "a * a.T": (5, 5)}
    # and NumPy agrees
    a = np.random.default_rng(0).standard_normal(5)
    assert (a @ a.T).shape == () and (a * a.T).shape == (5,)
    c = a.reshape(5, 1)
    assert (c @ c.T).shape == (5, 5) and (c * c.T).shape == (5, 5)
    with pytest.raises(ValueError):
        rank1_report(0)


def test_apply_op_and_operands():
    a, b = example_operands((2, 1), (1, 3))
    out = apply_op(a, b, "/")
    np.testing.assert_allclose(out, a / b)
    assert out.shape == (2, 3)
    with pytest.raises(ValueError, match="could not be broadcast"):
        apply_op(np.ones((2, 3)), np.ones(4), "+")
    with pytest.raises(ValueError, match="op must be"):
        explain_broadcast((1,), (1,), "**")
    assert format_shape((5,)) == "(5,)" and format_shape(()) == "()"


# --- limits, wording and the small helpers (found by bench/mutate.py) -------------------------------------------


def test_parse_shape_limits_are_inclusive():
    from logreg.broadcasting import MAX_DIM_SIZE, MAX_DIMS, MAX_ELEMENTS

    assert (MAX_DIMS, MAX_DIM_SIZE, MAX_ELEMENTS) == (4, 10_000, 1_000_000)
    assert parse_shape("(1, 2, 3, 4)") == (1, 2, 3, 4)
    assert parse_shape("(10000,)") == (10000,)
    with pytest.raises(ValueError, match="at most 10000"):
        parse_shape("(10001,)")
    assert parse_shape("(1000, 1000)") == (1000, 1000)
    with pytest.raises(ValueError, match="1,000,000 elements"):
        parse_shape("(1000, 1001)")
    sixty_four = "(1," + " " * 59 + "2)"
    assert len(sixty_four) == 64 and parse_shape(sixty_four) == (1, 2)
    with pytest.raises(ValueError, match="too long"):
        parse_shape("(1," + " " * 60 + "2)")


def test_parse_shape_other_inputs():
    assert parse_shape("[]") == () and parse_shape("( )") == () and parse_shape(" SCALAR ") == ()
    with pytest.raises(ValueError, match="a shape must be text"):
        parse_shape(5)


def test_stretches_name_real_axes_of_size_one_and_missing_ones():
    res = explain_broadcast((1, 4), (3, 4), "+")  # A's own first axis (size 1) is stretched
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_a] == [(0, 1, 3)] and res.stretch_b == []
    assert res.stretch_a[0].describe("A") == "A's axis 0 has size 1 and acts as if repeated 3 times"
    res = explain_broadcast((5, 1, 4), (3, 1), "+")  # B lacks axis 0 and has 1 on axis 2
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_b] == [(0, 0, 5), (2, 1, 4)]
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_a] == [(1, 1, 3)]
    assert res.result_shape == (5, 3, 4)


def test_steps_explain_every_axis():
    assert explain_broadcast((2, 1), (3,), "+").steps() == [
        "Align the shapes on the right: A (2, 1) → (2, 1), B (3,) → (1, 3)",
        "axis 0: A has 2, B has 1 → B is stretched to 2",
        "axis 1: A has 1, B has 3 → A is stretched to 3",
        "Result shape: (2, 3)",
    ]
    assert explain_broadcast((3,), (3,), "-").steps()[1:] == ["axis 0: 3 and 3 are equal → 3", "Result shape: (3,)"]
    bad = explain_broadcast((2, 3), (4, 3), "+")
    assert bad.steps()[1:] == ["axis 0: 2 and 4 differ and neither is 1 → incompatible", "axis 1: 3 and 3 are equal → 3"]


def test_conflicts_report_the_first_clashing_axis_and_numpys_spelling():
    res = explain_broadcast((2, 3, 5), (4, 6, 5), "*")
    assert res.conflict_axes == [0, 1] and res.result_shape is None and not res.ok
    assert res.reason.startswith("Aligned on the right, axis 0 has size 2 in A and 4 in B.")
    assert res.numpy_error == "operands could not be broadcast together with shapes (2,3,5) (4,6,5) "
    assert explain_broadcast((3,), (4,), "+").numpy_error.endswith("shapes (3,) (4,) ")


def test_sizes_are_checked_and_zero_is_allowed():
    res = explain_broadcast((0, 3), (1, 3), "+")
    assert res.result_shape == (0, 3)
    assert res.stretch_b[0].describe("B") == "B's axis 0 has size 1 and is matched to size 0, so the result has no values along it"
    assert res.steps()[1] == "axis 0: A has 0, B has 1 → B is stretched to 0 (an empty axis: the result has no values along it)"
    res = explain_broadcast((3,), (0, 3), "+")
    assert res.stretch_a[0].describe("A") == ("A has no axis 0: it gets one of size 1, which is matched to size 0, "
                                              "so the result has no values along it")
    with pytest.raises(ValueError, match=">= 0"):
        explain_broadcast((-1, 3), (1, 3), "+")


def test_rank1_report_bounds():
    assert rank1_report(np.int64(3))["column"]["a @ a.T"] == (3, 3)
    assert rank1_report(1000)["column"]["a * a.T"] == (1000, 1000)  # n² = MAX_ELEMENTS, the most it allocates
    for bad in (1001, 10_000, True, 2.0, 0):
        with pytest.raises(ValueError, match="n must be an integer from 1 to 1000"):
            rank1_report(bad)


def test_rank1_report_is_computed_by_numpy_not_by_rules(monkeypatch):
    # the page calls this table "the NumPy code behind this page": it must run NumPy, not the hand-written rules
    import logreg.broadcasting as bc

    def refuse(*args, **kwargs):
        raise AssertionError("rank1_report used a hand-written shape rule")

    monkeypatch.setattr(bc, "explain_broadcast", refuse)
    calls = []
    real_zeros = np.zeros
    monkeypatch.setattr(bc.np, "zeros", lambda shape, *a, **k: calls.append(shape) or real_zeros(shape, *a, **k))
    assert rank1_report(4) == {"rank-1": {"a": (4,), "a.T": (4,), "a @ a.T": (), "a * a.T": (4,)},
                               "column": {"a": (4, 1), "a.T": (1, 4), "a @ a.T": (4, 4), "a * a.T": (4, 4)}}
    assert calls == [4, (4, 1)]


def test_example_operands_count_from_one_and_ten():
    a, b = example_operands((2, 2), (3,))
    np.testing.assert_array_equal(a, [[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(b, [10.0, 20.0, 30.0])


def test_apply_op_limits_and_errors():
    out = apply_op(np.ones((1000, 1)), np.ones((1, 1000)), "-")  # exactly the limit
    assert out.shape == (1000, 1000) and not out.any()
    with pytest.raises(ValueError, match="1,001,000 elements"):
        apply_op(np.ones((1000, 1)), np.ones((1, 1001)), "+")
    with pytest.raises(FloatingPointError):
        apply_op(np.ones(2), np.zeros(2), "/")
    with pytest.raises(ValueError, match="op must be"):
        apply_op(np.ones(2), np.ones(2), "%")
    np.testing.assert_array_equal(apply_op(np.array([3.0]), np.array([2.0]), "*"), [6.0])


def test_rank1_report_smallest_n():
    assert rank1_report(1)["column"] == {"a": (1, 1), "a.T": (1, 1), "a @ a.T": (1, 1), "a * a.T": (1, 1)}


def test_a_shorter_A_gets_its_missing_axis_too():
    res = explain_broadcast((3,), (2, 3), "+")
    assert [(s.axis, s.size_from, s.size_to) for s in res.stretch_a] == [(0, 0, 2)] and res.stretch_b == []
    assert res.stretch_a[0].describe("A").startswith("A has no axis 0")
    assert explain_broadcast((3,), (2, 1), "+").steps() == [
        "Align the shapes on the right: A (3,) → (1, 3), B (2, 1) → (2, 1)",
        "axis 0: A has 1, B has 2 → A is stretched to 2",
        "axis 1: A has 3, B has 1 → B is stretched to 3",
        "Result shape: (2, 3)",
    ]


# --- the shape parser: one for the page and the quiz, linear in the text -----------------------------------------

#: Texts that made the old regular expression backtrack exponentially (1"*26+"a" took 13 s of CPU, holding the GIL),
#: at the length cap and beyond, with the message each must get.
WORST_TEXTS = [
    ("1" * 26 + "a", "could not read"),
    ("1" * 63 + "a", "could not read"),
    ("(" + "1" * 62 + "a", "could not read"),
    ("1" + " " * 62 + "a", "could not read"),
    ("1," * 31 + "a,", "could not read"),
    ("1x" * 31 + "1a", "could not read"),
    ("1 " * 32, "could not read"),
    ("(" * 32 + ")" * 32, "could not read"),
    ("[" * 63 + "a", "could not read"),
    ("(" + "," * 62 + ")", "could not read"),
    ("١" * 64, "could not read"),
    ("\ufdfa" * 64, "could not read"),  # NFKC writes each as 18 characters
    ("1" * 65 + "a", "too long"),
    ("1" * 100_000 + "a", "too long"),
]

_WORST_SCRIPT = """
import json, resource, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
resource.setrlimit(resource.RLIMIT_CPU, (int(time.process_time()) + {seconds}, hard))  # SIGXCPU past it
from logreg.broadcasting import parse_shape
from logreg.quiz import ShapeKey
out = []
for text in json.loads(sys.stdin.read()):
    try:
        out.append(["shape", list(parse_shape(text))])
    except ValueError as exc:
        out.append(["error", str(exc)])
    out[-1].append(ShapeKey((3, 1)).grade(text).status)
print(json.dumps(out))
print("finished")
"""


def test_worst_texts_are_refused_within_a_cpu_bound_in_a_subprocess():
    import json
    import subprocess
    import sys
    from pathlib import Path

    texts = [t for t, _ in WORST_TEXTS]
    r = subprocess.run([sys.executable, "-c", _WORST_SCRIPT.format(seconds=4)], input=json.dumps(texts),
                       capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=300)
    assert r.returncode == 0, f"killed or failed (returncode {r.returncode}): past 4 s of CPU? {r.stderr[-500:]}"
    lines = r.stdout.splitlines()
    assert lines[-1] == "finished"
    for (text, expected), (kind, message, verdict) in zip(WORST_TEXTS, json.loads(lines[-2]), strict=True):
        assert kind == "error" and expected in message, (text[:20], message)
        assert verdict == "unreadable"


_MESSAGE = re.compile(
    r"^(could not read .+ as a shape: write the shape as \(2, 3\), 2x3, \(5,\) or \(\): whole numbers 0-9 separated"
    r" by commas or x|the brackets in .+ do not pair up: write the shape as \(2, 3\) or \[2, 3\]"
    r"|type a shape: write the shape as \(2, 3\), or \(\) for a scalar|that shape is too long; type something like \(3, 1\)"
    r"|at most 4 dimensions here; got \d+|each dimension must be at most 10000; got \(.*\)"
    r"|at most 1,000,000 elements here; \(.*\) has [\d,]+)$", re.DOTALL)

_shape_like = st.text(alphabet="0123456789()[], xX×*٣３³②\t", max_size=MAX_SHAPE_CHARS)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=MAX_SHAPE_CHARS), _shape_like,
                 st.lists(st.integers(0, 12), max_size=5).map(lambda d: str(tuple(d)))))
def test_any_text_up_to_the_cap_is_a_shape_or_a_clear_error(text):
    try:
        shape = parse_shape(text)
    except ValueError as exc:
        assert _MESSAGE.match(str(exc)), str(exc)
        return
    assert isinstance(shape, tuple) and all(type(d) is int and 0 <= d <= 10_000 for d in shape) and len(shape) <= 4
    assert parse_shape(format_shape(shape)) == shape  # NumPy's own spelling reads back
    assert not any(c in text for c in "³②")  # a shape is never read out of superscript or circled digits


@pytest.mark.parametrize("text", ["(3", "[3)", "3 4", "(٣, ١)", "((3,1))", "3;4", "(,)"])
def test_the_page_and_the_quiz_refuse_the_same_texts(text):
    from logreg.quiz import answers

    assert answers.parse_shape(text) is None
    with pytest.raises(ValueError, match="write the shape as"):
        parse_shape(text)

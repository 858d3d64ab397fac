import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logreg.broadcasting import (
    apply_op,
    example_operands,
    explain_broadcast,
    format_shape,
    is_rank1,
    matmul_shape,
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
    assert is_rank1((5,)) and not is_rank1((5, 1)) and not is_rank1((1, 5))
    with pytest.raises(ValueError):
        rank1_report(0)


def test_matmul_shape():
    assert matmul_shape((1, 3), (3, 4)) == (1, 4)
    with pytest.raises(ValueError, match="inner sizes differ"):
        matmul_shape((2, 3), (2, 3))


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

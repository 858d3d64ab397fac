import re

import numpy as np

from ui import array_figures

from .conftest import chart_spec, listings, open_page, shown, tables, values

PAGE = "pages/broadcasting.py"


def test_default_column_times_row_shows_both_operands_stretched_and_the_result():
    at = open_page(PAGE)
    assert at.success[0].value == "Result shape: `(3, 4)`"
    spec = chart_spec(at, "broadcast_chart")
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["A (3, 1)", "B (1, 4)", "A stretched to (3, 4)", "B stretched to (3, 4)", "A + B (3, 4)"]
    a_wide, b_tall = values(spec["data"][2]["z"]), values(spec["data"][3]["z"])
    assert a_wide.shape == b_tall.shape == (3, 4)
    assert (a_wide == a_wide[:, :1]).all() and a_wide[:, 0].tolist() == [1, 2, 3]  # copies of A's column
    assert (b_tall == b_tall[0]).all() and b_tall[0].tolist() == [10, 20, 30, 40]  # B's row repeated
    result = values(spec["data"][4]["z"])
    assert result[2, 3] == 3 + 40


def test_only_an_operand_that_was_stretched_is_drawn_stretched():
    a, b = np.arange(1.0, 7.0).reshape(2, 3), np.array([10.0, 20.0, 30.0])
    titles = [t for t, _ in array_figures.broadcast_panels(a, b, a + b, "+")]
    assert titles == ["A (2, 3)", "B (3,)", "B stretched to (2, 3)", "A + B (2, 3)"]
    titles = [t for t, _ in array_figures.broadcast_panels(b, a, b * a, "×")]
    assert titles == ["A (3,)", "B (2, 3)", "A stretched to (2, 3)", "A × B (2, 3)"]
    same = [t for t, _ in array_figures.broadcast_panels(a, a, a - a, "−")]
    assert same == ["A (2, 3)", "B (2, 3)", "A − B (2, 3)"]
    col, row = np.ones((3, 1)), np.ones((1, 4))
    panels = dict(array_figures.broadcast_panels(col, row, col + row, "+"))
    assert panels["A stretched to (3, 4)"].shape == panels["B stretched to (3, 4)"].shape == (3, 4)


def test_operator_and_shapes_change_the_figure():
    at = open_page(PAGE)
    at.radio(key="op").set_value("multiply").run()
    assert values(chart_spec(at, "broadcast_chart")["data"][-1]["z"])[2, 3] == 3 * 40
    at.radio(key="b_kind").set_value("scalar").run()
    assert at.success[0].value == "Result shape: `(3, 1)`"


def test_incompatible_shapes_show_numpys_error_and_why():
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "(2, 3)", "b_kind": "typed", "b_shape": "(4,)"})
    assert "operands could not be broadcast together with shapes (2,3) (4,)" in at.error[0].value
    assert any("neither" in m.value for m in at.markdown)
    assert not at.get("plotly_chart")


def test_bad_typed_shapes_get_a_message_and_are_never_evaluated():
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "__import__('os').getcwd()"})
    assert "could not read" in at.error[0].value
    at.text_input(key="a_shape").input("(5000, 5000)").run()
    assert "elements" in at.error[0].value
    at.text_input(key="a_shape").input("(2, 3, 4)").run()
    assert not at.error  # valid again; 3-D results are explained without a heatmap
    assert any("heatmaps show up to 2" in i.value for i in at.info)


def test_url_opens_the_page_in_the_shared_state():
    at = open_page(PAGE, {"rows": "5", "cols": "2", "op": "divide", "b_kind": "column", "rank1_n": "7"})
    assert at.success[0].value == "Result shape: `(5, 1)`"
    assert at.radio(key="op").value == "divide"
    assert tables(at)[0]["shape"] == ["(7,)", "(7,)", "()", "(7,)"]
    assert tables(at)[1]["shape"] == ["(7, 1)", "(1, 7)", "(7, 7)", "(7, 7)"]
    assert any("assert a.shape == (7, 1)" in c for c in listings(at))


def test_the_page_never_says_broadcasting_copies_memory():
    # it used to say "stretches (copies)" and "copied 4×", then "without copying memory"
    at = open_page(PAGE)
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    said = " ".join(texts)
    assert "acts as if the values were repeated, but no memory is copied" in said
    assert "acts as if repeated 4 times" in said and "No memory is copied" in said
    assert not [t for t in texts if re.search(r"\(copies\)|copied \d|size 1 and is copied|added and copied", t)]


def test_an_empty_result_is_explained_not_drawn():
    # a size-0 axis used to crash the page (np.vectorize on a size-0 grid) and say "copied 0×"
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "(0, 3)", "b_kind": "typed", "b_shape": "(3,)"})
    assert at.success[0].value == "Result shape: `(0, 3)`"
    assert any(i.value.startswith("The result is empty: shape `(0, 3)` has size 0 along axis 0") for i in at.info)
    assert not at.get("plotly_chart")
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "(0,)", "b_kind": "typed", "b_shape": "(1,)", "op": "divide"})
    assert at.success[0].value == "Result shape: `(0,)`"
    assert any("`(A / B).size` is 0" in i.value for i in at.info)
    said = " ".join(c.value for c in at.caption)
    assert "B's axis 0 has size 1 and is matched to size 0, so the result has no values along it" in said
    assert not re.search(r"copied 0|repeated 0 times", said)
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "(0, 0)", "b_kind": "scalar"})
    assert any("along axes 0, 1" in i.value for i in at.info)


def test_a_1d_operand_is_labelled_1d_not_a_row_in_the_chart_and_its_text():
    # the page teaches that (n,) is not a row; the chart drew it as one and its text said "B (3,): 1 × 3 grid"
    at = open_page(PAGE, {"a_kind": "typed", "a_shape": "(2, 3)", "b_kind": "typed", "b_shape": "(3,)"})
    titles = [a["text"] for a in chart_spec(at, "broadcast_chart")["layout"]["annotations"]]
    assert titles[0] == "A (2, 3)" and titles[2:] == ["B stretched to (2, 3)", "A + B (2, 3)"]
    assert titles[1].startswith("B (3,)<br>") and titles[1].endswith(">1-D, drawn as a row</span>")
    summary = " ".join(shown(m.value) for m in at.markdown if "grid, values" in shown(m.value))
    assert "B (3,), 1-D, drawn as a row: values 10 to 30;" in summary and "1 × 3" not in summary
    assert "A + B (2, 3): 2 × 3 grid, values 11 to 36." in summary


def test_the_rank1_tables_come_from_the_numpy_code_the_page_shows():
    at = open_page(PAGE, {"rank1_n": "3"}, opened=("bc_code",))
    assert tables(at)[0]["expression"] == ["a", "a.T", "a @ a.T", "a * a.T"]
    assert tables(at)[0]["shape"] == ["(3,)", "(3,)", "()", "(3,)"]
    code = "\n".join(listings(at))
    assert "def rank1_report" in code and 'np.zeros(n)), ("column", np.zeros((n, 1)))' in code
    assert '"a @ a.T": np.shape(a @ a.T), "a * a.T": (a * a.T).shape' in code

from .conftest import chart_spec, open_page, values

PAGE = "pages/broadcasting.py"


def test_default_column_times_row_shows_stretched_copies_and_result():
    at = open_page(PAGE)
    assert at.success[0].value == "Result shape: `(3, 4)`"
    spec = chart_spec(at, "broadcast_chart")
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert titles == ["A (3, 1)", "B (1, 4)", "B stretched to (3, 4)", "A + B (3, 4)"]
    stretched = values(spec["data"][2]["z"])
    assert stretched.shape == (3, 4) and (stretched == stretched[0]).all()  # copies of B's row
    result = values(spec["data"][3]["z"])
    assert result[2, 3] == 3 + 40


def test_operator_and_shapes_change_the_figure():
    at = open_page(PAGE)
    at.radio(key="op").set_value("multiply").run()
    assert values(chart_spec(at, "broadcast_chart")["data"][3]["z"])[2, 3] == 3 * 40
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
    assert at.table[0].value["shape"].tolist() == ["(7,)", "(7,)", "()", "(7,)"]
    assert at.table[1].value["shape"].tolist() == ["(7, 1)", "(1, 7)", "(7, 7)", "(7, 7)"]
    assert any("assert a.shape == (7, 1)" in c.value for c in at.code)

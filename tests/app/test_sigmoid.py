import numpy as np
import pytest

from .conftest import chart_spec, listings, open_page, tables, title_of, values

PAGE = "pages/sigmoid.py"


def test_renders_with_its_charts():
    at = open_page(PAGE)
    for key in ("sigmoid_chart", "options_chart", "derivative_chart", "stability_chart"):
        assert chart_spec(at, key)["data"][0]["hovertemplate"]
    assert not at.warning


def test_w_slider_changes_option_figures():
    at = open_page(PAGE)
    before = chart_spec(at, "options_chart")
    at.slider(key="w").set_value(4.0).run()
    after = chart_spec(at, "options_chart")
    assert not np.array_equal(values(before["data"][0]["y"]), values(after["data"][0]["y"]))
    assert "w = 4" in title_of(after)
    # option 1 leaves [0, 1], option 2 stays inside
    linear, logistic = values(after["data"][0]["y"]), values(after["data"][1]["y"])
    assert linear.max() > 1 and linear.min() < 0
    assert 0 <= logistic.min() and logistic.max() <= 1


def test_z_range_and_readout_drive_the_sigmoid_chart():
    at = open_page(PAGE)
    at.slider(key="z_range").set_value((-2.0, 2.0)).run()
    at.slider(key="z").set_value(1.0).run()
    spec = chart_spec(at, "sigmoid_chart")
    x = values(spec["data"][0]["x"])
    assert x[0] == pytest.approx(-2.0) and x[-1] == pytest.approx(2.0)
    assert values(spec["data"][1]["y"])[0] == pytest.approx(0.7310585786, rel=1e-9)  # sigma(1)
    assert at.metric[0].value == "0.7311"


def test_url_opens_the_page_in_the_shared_state():
    at = open_page(PAGE, {"w": "-2.5", "b": "1.0", "z_range": ["-3", "5"], "z_extreme": "-1000.0"})
    assert at.slider(key="w").value == -2.5 and at.slider(key="b").value == 1.0
    assert at.slider(key="z_range").value == (-3.0, 5.0)
    assert "w = -2.5, b = 1" in title_of(chart_spec(at, "options_chart"))
    assert at.query_params["w"] == "-2.5"  # still in the URL for the next person
    table = tables(at)[0]
    assert "yes" in list(table.values())[1][0]  # np.exp(1000) overflows in the naive form


def test_naive_vs_stable_readout_at_extreme_z():
    at = open_page(PAGE)
    at.number_input(key="z_extreme").set_value(-800.0).run()
    col = list(tables(at)[0].values())[1]
    assert col[0].startswith("yes")
    assert float(col[3]) == pytest.approx(34.538776, rel=1e-6)  # clipped probability: -log(1e-15)
    assert float(col[4]) == pytest.approx(800.0)  # from the logit: exact


def test_narrow_range_is_a_warning_not_an_error():
    at = open_page(PAGE, {"z_range": ["1", "1"]})
    assert at.warning and "narrow" in at.warning[0].value
    assert not at.exception


def test_naive_vs_stable_shows_the_courses_one_line_beside_the_stable_form():
    import inspect
    import textwrap

    import logreg

    at = open_page(PAGE)
    codes = [c.strip() for c in listings(at)]
    naive = textwrap.dedent(inspect.getsource(logreg.sigmoid_naive)).strip()
    stable = textwrap.dedent(inspect.getsource(logreg.sigmoid)).strip()
    assert "1.0 / (1.0 + np.exp(-z))" in naive and naive in codes  # the function the table's "naive σ(z)" calls
    assert stable in codes
    assert codes.index(naive) + 1 == codes.index(stable)  # side by side, naive first
    assert any("the course's one line" in m.value for m in at.markdown)

import numpy as np
import pytest

from .conftest import chart_spec, open_page, title_of, values

PAGE = "pages/loss.py"


def _path(at):
    spec = chart_spec(at, "ce_chart")
    trace = next(t for t in spec["data"] if t.get("name") == "path")
    return trace, spec


def test_renders_loss_curves_surfaces_and_path():
    at = open_page(PAGE)
    loss = chart_spec(at, "loss_chart")
    marker = next(t for t in loss["data"] if t.get("name") == "your ŷ")
    np.testing.assert_allclose(values(marker["y"]), [-np.log(0.8), -np.log(0.2)], rtol=1e-9)
    ce, sq = chart_spec(at, "ce_chart"), chart_spec(at, "sq_chart")
    assert ce["data"][0]["type"] == sq["data"][0]["type"] == "contour"
    assert "convex" in title_of(ce) and "not convex" in title_of(sq)
    trace, _ = _path(at)
    assert len(values(trace["x"])) == 11  # start + 10 steps (the default)
    assert chart_spec(at, "history_chart")["data"][0]["hovertemplate"]


def test_y_hat_slider_moves_the_marker():
    at = open_page(PAGE)
    at.slider(key="y_hat").set_value(0.1).run()
    marker = next(t for t in chart_spec(at, "loss_chart")["data"] if t.get("name") == "your ŷ")
    np.testing.assert_allclose(values(marker["y"]), [-np.log(0.1), -np.log(0.9)], rtol=1e-9)


def test_presets_show_slow_good_and_diverging_descent():
    at = open_page(PAGE)
    at.button(key="preset_slow").click().run()
    assert at.select_slider(key="lr").value == 0.1
    assert any("Slow progress" in i.value for i in at.info)
    at.button(key="preset_good").click().run()
    assert not at.warning and any("Converged" in m.value for m in at.success)
    good = values(chart_spec(at, "history_chart")["data"][0]["y"])
    assert good[-1] < 0.1 * good[0]
    at.button(key="preset_diverge").click().run()
    assert at.select_slider(key="lr").value == 300.0
    assert at.warning and "Diverging" in at.warning[0].value and "too large" in at.warning[0].value
    wild = values(chart_spec(at, "history_chart")["data"][0]["y"])
    assert wild[1] > wild[0] and wild[-1] > wild[0]
    at.select_slider(key="lr").set_value(100.0).run()
    assert at.warning and "Overshooting" in at.warning[0].value
    # the view grows so the whole jump stays visible
    trace, spec = _path(at)
    assert spec["layout"]["xaxis"]["range"][1] >= np.abs(values(trace["x"])).max()


def test_step_buttons_walk_one_step_at_a_time():
    at = open_page(PAGE)
    at.button(key="step_forward").click().run()
    assert at.slider(key="steps").value == 11
    assert len(values(_path(at)[0]["x"])) == 12
    at.button(key="step_back").click().run().button(key="step_back").click().run()
    assert len(values(_path(at)[0]["x"])) == 10
    assert any("w_{9}" in x.value for x in at.latex)  # the update rule with the numbers of the last step


def test_url_opens_the_page_in_the_shared_state():
    at = open_page(PAGE, {"lr": "5", "steps": "3", "w0": "2.0", "b0": "-1.0", "view": "3-D surface", "y_hat": "0.3"})
    assert at.select_slider(key="lr").value == 5.0 and at.slider(key="steps").value == 3
    ce = chart_spec(at, "ce_chart")
    assert ce["data"][0]["type"] == "surface"
    path = next(t for t in ce["data"] if t.get("name") == "path")
    w = values(path["x"])
    assert len(w) == 4 and w[0] == pytest.approx(2.0)
    assert at.slider(key="y_hat").value == pytest.approx(0.3)


def test_bad_url_values_are_ignored_not_crashing():
    at = open_page(PAGE, {"lr": "1e9", "steps": "-4", "view": "nonsense"})
    assert at.select_slider(key="lr").value == 1.0 and at.slider(key="steps").value == 10
    assert at.radio(key="view").value == "contour"

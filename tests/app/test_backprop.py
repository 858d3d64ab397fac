"""The Backprop page through the entry script: every main control moves its figure or numbers, the URL round-trips,
extreme inputs give messages, and the "try this" claims hold."""

import math

import pytest

from .conftest import chart_spec, listings, open_expanders, open_page, shown, tables, title_of

PAGE = "pages/backprop.py"
CHARTS = ("bp_warmup_chart", "bp_neuron_chart", "bp_check_chart")


def annotations(at, key):
    return [a["text"] for a in chart_spec(at, key)["layout"]["annotations"] if a.get("text")]


def metric(at, label):
    found = [m.value for m in at.metric if m.label == label]
    assert found, [m.label for m in at.metric]
    return found[0]


def derivative_table(at):
    return next(t for t in tables(at) if "derivative" in t)


def all_text(at):
    parts = [e.value for kind in (at.markdown, at.warning, at.error, at.success, at.info) for e in kind]
    parts += [str(m.value) for m in at.metric] + [str(t) for t in tables(at)]
    for key in CHARTS:
        parts += annotations(at, key) + [title_of(chart_spec(at, key))]
    return "\n".join(parts)


def test_renders_charts_with_titles_and_a_sentence_each():
    at = open_page(PAGE)
    assert not at.exception and not at.error
    for key in CHARTS:
        assert title_of(chart_spec(at, key))
    sentences = [shown(m.value) for m in at.markdown]
    assert any(s.startswith("The graph computes u = b·c = 6, v = a + u = 11 and J = 3v = 33") for s in sentences)
    assert any(s.startswith("With x = (1, 2), w = (0.8, -0.3), b = 0.2 and y = 1") for s in sentences)
    assert any(s.startswith("Relative difference reached by each backward pass") for s in sentences)
    assert not at.caption or all("read from the package" in c.value for c in at.caption)  # only show_code's captions
    assert any("def two_feature_loop" in c for c in listings(at))  # the loop is shown in the page itself
    assert not any("def warmup_graph" in c for c in listings(at))  # listings in a closed expander are not drawn
    open_expanders(at, "bp_warmup_code")
    assert any("def warmup_graph" in c for c in listings(at))


def test_warmup_inputs_redraw_the_graph():
    at = open_page(PAGE)
    assert "dJ/db = 6" in annotations(at, "bp_warmup_chart")
    at.number_input(key="bp_c").set_value(-4.0).run()
    texts = annotations(at, "bp_warmup_chart")
    assert "dJ/db = -12" in texts and "<b>J = 3v</b><br>-21" in texts  # 3(5 + 3·(-4))
    at.number_input(key="bp_a").set_value(10.0).run()
    assert "<b>v = a + u</b><br>-2" in annotations(at, "bp_warmup_chart")


def test_nudge_predicts_the_change():
    at = open_page(PAGE)
    at.radio(key="bp_nudge").set_value("c").run()
    at.select_slider(key="bp_eps").set_value(0.1).run()
    assert metric(at, "J after c += ε") == "33.9"  # 3(5 + 3·2.1)
    assert metric(at, "J moved by") == "0.9" and metric(at, "dJ/dc × ε predicts") == "0.9"


def test_neuron_controls_move_the_graph_and_the_table():
    at = open_page(PAGE)
    before = annotations(at, "bp_neuron_chart")
    assert "<b>a = σ(z)</b><br>0.5987" in before  # z = 0.4
    at.slider(key="bp_w1").set_value(2.0).run()  # z = 2 - 0.6 + 0.2 = 1.6
    after = annotations(at, "bp_neuron_chart")
    assert "<b>z = w1·x1 + w2·x2 + b</b><br>1.6" in after and after != before
    dz = 1 / (1 + math.exp(-1.6)) - 1
    assert f"dz = a − y = {dz:.4g}" in after
    assert derivative_table(at)["chain rule"][1] == f"{dz:.4g}"
    at.radio(key="bp_y").set_value(0).run()
    assert f"dz = a − y = {dz + 1:.4g}" in annotations(at, "bp_neuron_chart")
    at.number_input(key="bp_x2").set_value(-3.0).run()  # z = 2 + 0.9 + 0.2 = 3.1, dw2 = x2·dz = -3a
    assert f"dw2 = x2·dz = {-3 / (1 + math.exp(-3.1)):.4g}" in annotations(at, "bp_neuron_chart")
    at.slider(key="bp_bias").set_value(-1.0).run()
    assert "<b>b</b><br>-1" in annotations(at, "bp_neuron_chart")
    assert all("✓" in r for r in derivative_table(at)["relative difference"])


def test_m_changes_the_shapes_and_the_loop_agrees():
    at = open_page(PAGE)
    at.slider(key="bp_m").set_value(123).run()
    shapes = next(t for t in tables(at) if "shape" in t)
    assert list(shapes["shape"][:3]) == ["(2, 123)", "(1, 123)", "(2, 1)"] and shapes["shape"][6] == "(2, 1)"
    assert any(s.value.startswith("Same numbers") for s in at.success)


@pytest.mark.parametrize("bug,shown", [("none", None), ("sign", "1.00e+00"), ("no_mean", "9.51e-01"), ("db", None)])
def test_each_planted_bug_is_caught(bug, shown):
    at = open_page(PAGE)
    at.radio(key="bp_bug").set_value(bug).run()
    value = float(metric(at, "relative difference"))
    if bug == "none":
        assert value < 1e-7 and any("pass" in s.value for s in at.success)
    else:
        assert value > 1e-3 and any("fail" in e.value for e in at.error)
    if shown:
        assert metric(at, "relative difference") == shown  # the "try this" claims: exactly 1, and (m-1)/(m+1) at m = 40
    spec = chart_spec(at, "bp_check_chart")
    assert spec["data"][0]["marker"]["color"].count("#1f77b4") == 1  # the chosen bug is highlighted


def test_the_transposed_gradient_is_refused_for_its_shape():
    at = open_page(PAGE, opened=("bp_check_code",))
    at.radio(key="bp_bug").set_value("transpose").run()
    assert metric(at, "relative difference") == "refused"
    assert any("shape (2, 1)" in w.value and "(2, 2) matrix" in w.value for w in at.warning)
    assert any("def backward_transposed" in c for c in listings(at))  # the code shown is the code that ran


def test_url_state_round_trips():
    query = {"bp_a": "7.0", "bp_nudge": "b", "bp_eps": "0.1", "bp_x1": "-2.5", "bp_w1": "1.5", "bp_bias": "-0.5",
             "bp_y": "0", "bp_m": "100", "bp_bug": "dz = y − a"}
    at = open_page(PAGE, query)
    assert at.number_input(key="bp_a").value == 7.0 and at.radio(key="bp_nudge").value == "b"
    assert at.number_input(key="bp_x1").value == -2.5 and at.slider(key="bp_w1").value == 1.5
    assert at.radio(key="bp_y").value == 0 and at.slider(key="bp_m").value == 100
    assert at.radio(key="bp_bug").value == "sign"
    assert "<b>z = w1·x1 + w2·x2 + b</b><br>-4.85" in annotations(at, "bp_neuron_chart")  # -3.75 - 0.6 - 0.5
    for k, v in query.items():
        assert at.query_params[k] == [v] or at.query_params[k] == v, k
    again = open_page(PAGE, query)  # the shared link, opened by someone else: the same numbers
    assert annotations(again, "bp_neuron_chart") == annotations(at, "bp_neuron_chart")
    assert metric(again, "relative difference") == metric(at, "relative difference") == "1.00e+00"
    # (that moving a control writes it into the URL is checked in a real browser: tests/e2e/test_backprop_e2e.py)


def test_out_of_range_url_values_keep_the_defaults():
    at = open_page(PAGE, {"bp_m": "100000", "bp_x1": "1e9", "bp_bug": "rm -rf", "bp_eps": "5"})
    assert not at.exception
    assert at.slider(key="bp_m").value == 40 and at.number_input(key="bp_x1").value == 1.0
    assert at.radio(key="bp_bug").value == "none" and at.select_slider(key="bp_eps").value == 0.001


@pytest.mark.parametrize("y", ["0", "1"])
def test_saturated_neuron_gets_an_explanation_not_nan(y):
    # the "try this": w1 = 20, x1 = 20 gives z = 399.6, where a rounds to 1.0
    at = open_page(PAGE, {"bp_x1": "20.0", "bp_w1": "20.0", "bp_y": y})
    assert not at.exception and not at.error
    assert any("Saturated neuron" in w.value and "would be NaN" in w.value for w in at.warning)
    text = all_text(at).lower()
    assert "nan" not in text.replace("would be nan", "") and "inf" not in text.replace("infinite", "")


def test_the_most_extreme_inputs_give_messages_not_exceptions():
    at = open_page(PAGE, {k: "20.0" for k in ("bp_x1", "bp_x2", "bp_w1", "bp_w2", "bp_bias")} | {"bp_y": "0"})
    assert not at.exception
    assert any("da overflows float64" in w.value for w in at.warning)  # z = 820
    assert derivative_table(at)["relative difference"][0].startswith("— (a is too close")
    at = open_page(PAGE, {k: "-100.0" for k in ("bp_a", "bp_b", "bp_c")})
    assert not at.exception and "<b>J = 3v</b><br>2.97e+04" in annotations(at, "bp_warmup_chart")


@pytest.mark.parametrize("bug", ["none", "sign"])
def test_gradients_too_small_to_compare_are_said_so_not_failed(bug):
    # w = (10, 20), b = -10 on two examples: every a is within 1e-16 of its y, so A − Y holds rounding only and the
    # correct pass scored 1.00 ("fail"), the same as the sign flip
    from logreg import bugs

    at = open_page(PAGE, {"bp_m": "2", "bp_w1": "10.0", "bp_w2": "20.0", "bp_bias": "-10.0", "bp_bug": bugs.BACKWARDS[bug][0]})
    assert at.radio(key="bp_bug").value == bug and not at.exception and not any("fail" in e.value for e in at.error)
    said = [i.value for i in at.info if i.value.startswith("**too small to compare**")]
    assert len(said) == 1 and "1e-08" in said[0]
    scale = float(said[0].split("= ")[1].split(")")[0])
    assert scale < 1e-8  # the number it prints is under the floor it names
    assert any(m.value.startswith("The gradients here are too small") for m in at.markdown)  # the chart's sentence
    # one step back towards 0 and the check means something again: the correct pass passes, the flip fails
    at.slider(key="bp_w2").set_value(0.0).run()
    assert not [i for i in at.info if i.value.startswith("**too small")]
    assert (any("pass" in s.value for s in at.success) if bug == "none" else any("fail" in e.value for e in at.error))


@pytest.mark.parametrize("m", [5, 40])
def test_the_data_sets_labels_are_as_the_text_says(m):
    from logreg import datasets

    at = open_page(PAGE, {"bp_m": str(m)})
    assert any("half labelled 1 (for an odd m, label 0 has the extra one)" in t.value for t in at.markdown)
    _, Y = datasets.make_blobs(m, noise=1.5, seed=0)  # the page's data set (pages/backprop.py _data)
    assert int(Y.sum()) == m // 2

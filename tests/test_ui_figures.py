from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import array_figures, figures


def test_sigmoid_curve_has_cutoff_readout_and_hover():
    z = np.linspace(-5, 5, 11)
    fig = figures.sigmoid_curve(z, 1 / (1 + np.exp(-z)), z_point=1.0, s_point=0.73)
    assert isinstance(fig, go.Figure)
    assert [t.name for t in fig.data] == ["σ(z)", "readout"]
    assert all("%{x" in t.hovertemplate for t in fig.data)
    assert any(getattr(s, "y0", None) == 0.5 for s in fig.layout.shapes)  # the 0.5 cut-off line
    np.testing.assert_array_equal(fig.data[0].x, z)


def test_output_options_side_by_side():
    x = np.linspace(-2, 2, 5)
    fig = figures.output_options(x, 3 * x, np.full(5, 0.5), w=3, b=0)
    assert len(fig.data) == 2 and fig.data[0].xaxis == "x" and fig.data[1].xaxis == "x2"
    assert "w = 3" in fig.layout.title.text


def test_loss_curves_marker_values():
    y = np.linspace(0.01, 0.99, 5)
    fig = figures.loss_curves(y, -np.log(y), -np.log(1 - y), y_hat_point=0.5, point_y1=0.69, point_y0=0.69)
    assert fig.data[-1].name == "your ŷ" and tuple(fig.data[-1].x) == (0.5, 0.5)


def test_cost_contour_and_surface_with_path():
    w, b = np.linspace(-1, 1, 3), np.linspace(-2, 2, 4)
    J = np.arange(12.0).reshape(4, 3)
    path = {"w": np.array([0.0, 0.5]), "b": np.array([1.0, 0.0]), "cost": np.array([3.0, 1.0])}
    c = figures.cost_contour(w, b, J, title="J", path=path)
    assert c.data[0].type == "contour" and c.data[1].name == "path"
    assert c.data[0].z.shape == (4, 3) and tuple(c.layout.xaxis.range) == (-1.0, 1.0)
    s = figures.cost_surface(w, b, J, title="J", path=path)
    assert s.data[0].type == "surface" and s.data[1].type == "scatter3d"
    np.testing.assert_array_equal(s.data[1].z, [3.0, 1.0])
    assert figures.cost_contour(w, b, J, title="J").data[-1].type == "contour"  # no path, no trace


def test_timing_bars_ratio_in_hover():
    fig = array_figures.timing_bars(["loop", "numpy"], [0.2, 0.001], title="t")
    np.testing.assert_allclose(fig.data[0].x, [200.0, 1.0])
    np.testing.assert_allclose(fig.data[0].customdata, [200.0, 1.0])


def test_as_grid_and_heatmaps():
    assert array_figures.as_grid(3.0).shape == (1, 1)
    assert array_figures.as_grid(np.arange(4)).shape == (1, 4)
    with pytest.raises(ValueError, match="at most 2"):
        array_figures.as_grid(np.zeros((2, 2, 2)))
    fig = array_figures.broadcast_heatmaps([("A", np.ones((3, 1))), ("B", np.arange(4.0)), ("A + B", np.ones((3, 4)))])
    assert [a.text for a in fig.layout.annotations] == ["A", "B<br><span style='font-size:12px'>1-D, drawn as a row</span>",
                                                        "A + B"]
    one = array_figures.broadcast_heatmaps([("A ()", np.float64(5.0))])
    assert one.layout.annotations[0].text.endswith(">0-D, drawn as one cell</span>")
    assert alt_text.summary_of(one) == "A (), 0-D, drawn as one cell: values 5 to 5."
    assert fig.data[1].z.shape == (1, 4) and fig.data[2].texttemplate == "%{text}"
    big = array_figures.broadcast_heatmaps([("big", np.zeros((30, 30)))])
    assert big.data[0].text is None  # no per-cell labels on large arrays


def test_heatmaps_of_empty_arrays_say_so():
    fig = array_figures.broadcast_heatmaps([("A", np.zeros((0, 3))), ("B", np.arange(3.0)), ("A + B", np.zeros((0, 3)))])
    assert fig.data[0].z.shape == (0, 3) and fig.data[1].text.tolist() == [["0", "1", "2"]]
    assert alt_text.summary_of(fig) == ("A: 0 × 3 grid, empty (no values); B, 1-D, drawn as a row: values 0 to 2; "
                                        "A + B: 0 × 3 grid, empty (no values).")


def test_ui_figures_do_not_import_streamlit():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, ui.figures, ui.array_figures; print('streamlit' in sys.modules)"],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------------------------- text alternatives
# Every figure carries a title and one sentence computed from the numbers it plots (issue 16); ui.widgets.chart
# prints the sentence under the chart. Each sentence is checked against hand-computed values.

from ui import alt_text, classify_figures, image_figures, train_figures, weights  # noqa: E402


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _every_figure():
    """One call of every figure builder, named (the builders a page can draw)."""
    z = np.linspace(-8, 8, 161)
    s = _sigmoid(z)
    w, b = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    J = (w[None, :] - 1) ** 2 + b[:, None] ** 2
    path = {"w": np.array([0.0, 0.6, 0.9]), "b": np.array([0.0, 0.1, 0.0]), "cost": np.array([2.0, 1.2, 0.8])}
    img = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    col = img.reshape(-1, 1)
    X = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 1.0, 0.0]])
    Y = np.array([[0, 1, 0, 1]])
    return {
        "sigmoid_curve": figures.sigmoid_curve(z, s, z_point=2.0, s_point=float(_sigmoid(2.0))),
        "output_options": figures.output_options(z, 1.5 * z, _sigmoid(1.5 * z), w=1.5, b=0.0),
        "sigmoid_derivative_curve": figures.sigmoid_derivative_curve(z, s, s * (1 - s), z_point=2.0, ds_point=0.105),
        "stability_curves": figures.stability_curves(z, s, np.log1p(np.exp(z)), np.log1p(np.exp(z))),
        "loss_curves": figures.loss_curves(s, -np.log(s), -np.log(1 - s), y_hat_point=0.8, point_y1=0.223, point_y0=1.609),
        "cost_contour": figures.cost_contour(w, b, J, title="J", path=path),
        "cost_surface": figures.cost_surface(w, b, J, title="J", path=path),
        "cost_history": figures.cost_history([5.92, 6.23, 4.0, 2.47]),
        "timing_bars": array_figures.timing_bars(["loop", "np.dot"], [0.12, 0.0003], title="n = 1,000"),
        "broadcast_heatmaps": array_figures.broadcast_heatmaps([("A (2, 3)", np.arange(6).reshape(2, 3)), ("B (3,)", np.arange(3))]),
        "picture": image_figures.picture(img, "sample"),
        "channels": image_figures.channels(img),
        "column": image_figures.column(col, img.shape, start=0, count=9),
        "batch_rows": image_figures.batch_rows([("right", np.zeros((3, 4, 4))), ("wrong", np.ones((3, 4, 4)))], title="X"),
        "matrix": image_figures.matrix(np.arange(12).reshape(3, 4), "X"),
        "histograms": image_figures.histograms(col, col / 255),
        "stages_figure": classify_figures.stages_figure([("picture", img), ("grey", img[..., 0])]),
        "column_figure": classify_figures.column_figure(np.linspace(0, 1, 20), (4, 5)),
        "sum_figure": classify_figures.sum_figure(3.2, -5.1, 0.4, -1.5),
        "verdict_figure": classify_figures.verdict_figure(0.73, 0.5, ("not 0", "0")),
        "weights_figure": weights.weights_figure(np.linspace(-1, 2, 16), 4, 1),
        "contribution_figure": weights.contribution_figure(np.linspace(-1, 2, 16), np.ones(16), 4, 1),
        "rgb_weights_figure": weights.rgb_weights_figure(np.linspace(-1, 2, 48), 4),
        "cost_curves": train_figures.cost_curves([("α = 0.1", np.arange(3), [0.69, 0.5, 0.4])]),
        "confusion_figure": train_figures.confusion_figure(np.array([[150, 5], [8, 37]]), ("not 3", "3")),
        "points_figure": train_figures.points_figure(X, Y, X, Y, ("a", "b")),
        "accuracy_bars": train_figures.accuracy_bars(["α = 0.01", "α = 0.001"], [99.0, 95.0], [97.0, 96.5]),
    }


@pytest.mark.parametrize("name", list(_every_figure()))
def test_every_figure_has_a_title_and_a_sentence(name):
    fig = _every_figure()[name]
    assert alt_text.title_of(fig).strip(), f"{name} has no title: assistive technology would announce nothing"
    summary = alt_text.summary_of(fig)
    assert summary and summary.endswith("."), f"{name} has no summary sentence"
    assert "nan" not in summary.lower() and "None" not in summary


def test_small_charts_drop_the_mode_bar_pictures_and_surfaces_keep_it():
    figs = _every_figure()
    keep = {k for k, f in figs.items() if alt_text.wants_toolbar(f)}
    assert {"sigmoid_curve", "loss_curves", "timing_bars", "verdict_figure", "confusion_figure"}.isdisjoint(keep)
    assert {"cost_surface", "picture", "weights_figure", "points_figure"} <= keep


def test_sigmoid_sentence_reads_the_curve_the_cutoff_and_the_readout():
    z = np.linspace(-4, 4, 81)
    text = alt_text.summary_of(figures.sigmoid_curve(z, _sigmoid(z), z_point=2.0, s_point=0.8808, threshold=0.5))
    assert text == ("σ(z) rises from 0.018 at z = −4 to 0.982 at z = 4, crossing the cut-off 0.5 at z ≈ 0; "
                    "the readout at z = 2 is σ = 0.8808, so the prediction is 1.")
    # a grid that misses 0: the crossing and the peak are said as closely as the grid can tell, not 6.4e-6 or −0.026
    odd = np.linspace(-10.013, 9.987, 384)
    assert "crossing the cut-off 0.5 at z ≈ 0." in alt_text.summary_of(figures.sigmoid_curve(odd, _sigmoid(odd)))
    s = _sigmoid(odd)
    assert "peaks at 0.25 at z ≈ 0 " in alt_text.summary_of(figures.sigmoid_derivative_curve(odd, s, s * (1 - s)))
    assert "crossing the cut-off 0.9 at z ≈ 2.2." in alt_text.summary_of(figures.sigmoid_curve(odd, s, threshold=0.9))
    # σ(8) = 0.99966 is not "1" (σ squashes into the open interval); exactly 1.0 in float64 is
    wide = np.linspace(-8, 8, 161)
    assert alt_text.summary_of(figures.sigmoid_curve(wide, _sigmoid(wide))).startswith(
        "σ(z) rises from 0.000335 at z = −8 to 0.9997 at z = 8")
    far = np.linspace(30, 40, 11)
    assert "to 1 at z = 40" in alt_text.summary_of(figures.sigmoid_curve(far, _sigmoid(far)))
    # a range that leaves out z = 0 has no peak: σ' is largest at its end (it said "peaks … and falls to" the same)
    right = np.linspace(2, 8, 61)
    s = _sigmoid(right)
    assert alt_text.summary_of(figures.sigmoid_derivative_curve(right, s, s * (1 - s))).startswith(
        "on this range σ'(z) is largest at its left end, 0.105 at z = 2, and falls to 0.000335 at z = 8")
    high = alt_text.summary_of(figures.sigmoid_curve(z, _sigmoid(z), threshold=0.99))
    assert "crossing" not in high  # 0.99 is never reached on [-4, 4]


def test_cost_history_sentence_names_the_fall_and_the_largest_rise():
    assert figures.cost_history_summary([5.92, 6.23, 4.0, 2.47]) == (
        "J falls from 5.92 to 2.47 over 3 steps; the largest rise, +0.31, is at step 1.")
    assert figures.cost_history_summary([1.0, 0.5, 0.25]) == "J falls from 1 to 0.25 over 2 steps; it never rises."
    assert figures.cost_history_summary([1.0, 3.0]).startswith("J rises from 1 to 3 over 1 step;")


def test_cost_map_sentence_finds_the_lowest_point_and_the_path():
    w, b = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    J = (w[None, :] - 1) ** 2 + b[:, None] ** 2 + 0.5
    path = {"w": np.array([0.0, 0.9]), "b": np.array([0.0, 0.1]), "cost": np.array([1.5, 0.52])}
    text = figures.cost_map_summary(w, b, J, path)
    assert "J ranges from 0.5 (lowest of the grid's points at w = 1, b = 0) to 10.5" in text
    assert "from (w, b) = (0, 0) to (0.9, 0.1) in 1 step, J 1.5 → 0.52" in text


def test_stability_sentence_says_where_the_probability_route_breaks():
    from logreg import loss, loss_from_logits, sigmoid
    from logreg.losses import EPS

    z = np.linspace(-10, 80, 91)
    s = sigmoid(z)
    text = figures.stability_summary(z, s, loss(s, 0.0), loss_from_logits(z, 0.0))
    assert "grows steadily to 80" in text and f"stays stuck at {-np.log(EPS):.3g}, the clip" in text
    first_one = z[np.flatnonzero(s == 1.0)[0]]
    assert 36 < first_one < 38 and f"From z ≈ {first_one:g} on, σ(z) is exactly 1.0" in text
    assert "agrees only below z ≈ 35" in text  # −log(1 − σ(z)) ≈ z passes the clip's −log(1e-15) = 34.5 there
    assert "agrees with it everywhere" in figures.stability_summary(z, s, loss_from_logits(z, 0.0), loss_from_logits(z, 0.0))
    fig = figures.stability_curves(z, s, loss(s, 0.0), loss_from_logits(z, 0.0))
    assert fig.layout.shapes[0].x0 == first_one  # the guide line marks where σ(z) becomes exactly 1.0


def test_timing_and_broadcast_sentences():
    assert alt_text.summary_of(array_figures.timing_bars(["loop", "np.dot"], [0.12, 0.0003], title="t")) == (
        "loop took 120 ms, 400 times the 0.3 ms of np.dot.")
    fig = array_figures.broadcast_heatmaps([("A (2, 3)", np.arange(6).reshape(2, 3)), ("B (3,)", -np.arange(3))])
    assert alt_text.summary_of(fig) == "A (2, 3): 2 × 3 grid, values 0 to 5; B (3,), 1-D, drawn as a row: values −2 to 0."


def test_image_sentences_follow_the_pixels():
    img = np.zeros((2, 3, 3), dtype=np.uint8)
    img[..., 0] = 255
    assert "R 255, G 0, B 0" in alt_text.summary_of(image_figures.picture(img, "red"))
    col = img.reshape(-1, 1)
    text = alt_text.summary_of(image_figures.column(col, img.shape, start=3, count=6))
    assert text == ("Entries 3 to 8 of the 18 in x, values 0 to 255: they run through the channels pixel by pixel, "
                    "from img[0, 1, 0] to img[0, 2, 2].")
    rows = [("right", np.zeros((3, 4, 4))), ("wrong", np.stack([np.zeros((4, 4)), np.ones((4, 4)), np.zeros((4, 4))]))]
    assert "“wrong” matches “right” in 2 of 3" in alt_text.summary_of(image_figures.batch_rows(rows))
    hist = alt_text.summary_of(image_figures.histograms(col, col / 255))
    assert hist.startswith("Both histograms have the same bars: the tallest holds 12 of 18 values, 0 to 8")


def test_classify_sentences():
    assert classify_figures.sum_summary(3.2, -5.1, 0.4, -1.5) == (
        "The pixels pushing towards 1 add +3.200, those pushing towards 0 add -5.100 and the bias b adds +0.400: "
        "z = -1.500, towards 0.")
    assert alt_text.summary_of(classify_figures.verdict_figure(0.73, 0.8, ("not 0", "0"))) == (
        "ŷ = 0.730 is not above the threshold 0.80, so the model says “not 0”.")
    # 3 decimals would print +1.000 +2.000 +0.500 = 3.501: one more decimal and the sum adds up as printed
    assert classify_figures.sum_summary(1.0004, 2.0004, 0.5, 3.5008) == (
        "The pixels pushing towards 1 add +1.0004, those pushing towards 0 add +2.0004 and the bias b adds +0.5000: "
        "z = +3.5008, towards 1.")
    spec = classify_figures.sum_figure(1.0004, 2.0004, 0.5, 3.5008)
    assert list(spec.data[0].text) == ["+1.0004", "+2.0004", "+0.5000", "+3.5008"]
    # ŷ never prints as the threshold it is compared with ("ŷ = 0.010 is above the threshold 0.01")
    assert alt_text.summary_of(classify_figures.verdict_figure(0.0102, 0.01, ("a", "b"))).startswith(
        "ŷ = 0.0102 is above the threshold 0.01")
    stages = alt_text.summary_of(classify_figures.stages_figure([("picture", np.zeros((40, 30, 3))),
                                                                  ("grey", np.zeros((28, 28)))]))
    assert stages == "2 stages, left to right: 1. picture (40, 30, 3) → 2. grey (28, 28)."


def test_weight_map_sentence_locates_the_strongest_pixels():
    w = np.zeros(16)
    w[5], w[14] = 2.0, -3.0  # row 1 col 1 up, row 3 col 2 down
    text = alt_text.summary_of(weights.weights_figure(w, 4, 1))
    assert "6% of the pixels push z up" in text and "6% push it down" in text
    assert "the strongest up is 2 at row 1, col 1, the strongest down −3 at row 3, col 2" in text


def test_train_sentences():
    text = train_figures.cost_curves_summary([("α = 1", [0, 10, 20], [0.69, 0.8, 0.3])])
    assert text == "α = 1: J 0.69 at iteration 0 → 0.3 at iteration 20, rising most (+0.11) between iterations 0 and 10."
    assert train_figures.confusion_summary(np.array([[150, 5], [8, 37]]), ("not 3", "3")) == (
        "Of 200 examples, 187 are right: 150 “not 3” and 37 “3”; 5 “not 3” were predicted “3” and "
        "8 “3” were predicted “not 3”.")
    assert train_figures.confusion_summary(np.array([[0, 1], [2, 0]]), ("not 3", "3")) == (
        "Of 3 examples, 0 are right: 0 “not 3” and 0 “3”; 1 “not 3” was predicted “3” and "
        "2 “3” were predicted “not 3”.")
    assert train_figures.confusion_summary(np.array([[1, 0], [0, 0]]), ("not 3", "3")).startswith(
        "Of 1 example, 1 is right:")
    bars = alt_text.summary_of(train_figures.accuracy_bars(["α = 0.01", "α = 0.001"], [99.0, 95.0], [96.0, 97.5]))
    assert bars.endswith("the best test accuracy is α = 0.001's.")


def test_a_rise_within_rounding_is_not_called_a_rise():
    # review: a 1.1e-16 wobble at the bottom of XOR's curve was said to be "rising most (+1.11 × 10 to the power −16)"
    from logreg.diagnostics import RISE_TOLERANCE

    flat = [0.69, 0.5, 0.4, 0.4 + 1.11e-16, 0.4]
    text = train_figures.cost_curves_summary([("α = 1", [0, 5, 10, 15, 20], flat)])
    assert "rising" not in text and text.endswith("→ 0.4 at iteration 20.")
    big = 2.0 * RISE_TOLERANCE  # just past rounding for costs below 1: a rise
    text = train_figures.cost_curves_summary([("α = 1", [0, 5, 10], [0.69, 0.4, 0.4 + big])])
    assert "rising most" in text and "between iterations 5 and 10" in text


def test_picture_alt_texts():
    from logreg.classnames import class_text

    names = tuple(class_text(("not 3", "3"), k, digits=True) for k in (0, 1))  # as the Train page passes them
    alts = alt_text.mistake_alts([2, 0], np.array([[1, 1, 1]]), np.array([[0.6, 0.9, 0.3]]), names, threshold=0.5)
    assert alts == ["test example 2: truly digit 3 (label 1), predicted a digit other than 3 (label 0) with ŷ = 0.30",
                    "test example 0: truly digit 3 (label 1), predicted digit 3 (label 1) with ŷ = 0.60"]
    # the threshold decides the predicted class
    assert alt_text.mistake_alts([0], np.array([[1]]), np.array([[0.6]]), names, threshold=0.7)[0].endswith(
        "predicted a digit other than 3 (label 0) with ŷ = 0.60")


def test_numbers_and_markdown_in_sentences():
    assert alt_text.num(-0.0001234) == "−0.000123" and alt_text.num(1e-20) == "1 × 10 to the power −20" and alt_text.num(-0.0) == "0"
    assert alt_text.escape_markdown("w_i * x_i [link](x) $z$") == r"w\_i \* x\_i \[link\]\(x\) \$z\$"


def test_whole_numbers_below_a_million_are_written_in_full():
    # "values 10 to 1 × 10 to the power 3" was how the Broadcasting summary read a (1, 100) array of 10 ... 1000
    assert [alt_text.num(x) for x in (1000, -1000, 123_456, 999_999, 100, 3.0)] == [
        "1,000", "−1,000", "123,456", "999,999", "100", "3"]
    assert alt_text.num(1234.5) == "1,230" and alt_text.num(999.95) == "1,000"  # 3 significant digits, written out
    # very large and very small magnitudes keep their powers of 10
    assert alt_text.num(1e6) == "1 × 10 to the power 6" and alt_text.num(1_234_567) == "1.23 × 10 to the power 6"
    assert alt_text.num(-2.5e-7) == "−2.5 × 10 to the power −7" and alt_text.num(0.5) == "0.5"


def test_chart_names_the_chart_prints_its_sentence_and_keeps_the_mode_bar_only_where_asked():
    import json

    from streamlit.testing.v1 import AppTest

    def app():
        from ui import figures
        from ui.widgets import chart

        chart(figures.cost_history([3.0, 2.0, 2.5]), key="small")
        chart(figures.cost_history([3.0, 2.0]), key="told", summary="A sentence from the page.", toolbar=True)

    at = AppTest.from_function(app).run()
    assert not at.exception
    small, told = at.get("plotly_chart")
    assert small.proto.alt == "Cost after each step"  # the accessible name is the title
    assert json.loads(small.proto.config) == {"displayModeBar": False}
    assert "displayModeBar" not in json.loads(told.proto.config)  # Plotly's default (on hover) where it helps
    texts = [m.value for m in at.markdown]
    assert r"J falls from 3 to 2\.5 over 2 steps; the largest rise, \+0\.5, is at step 2\." in texts
    assert r"A sentence from the page\." in texts


def test_a_cost_that_moved_never_reads_as_the_same_number_twice():
    # review: the screen-reader sentences wrote costs with 3 significant digits, so a short or slow run read
    # "J 0.693 → 0.693": the chart showed a fall the sentence denied
    w, b = np.linspace(-2, 2, 5), np.linspace(-1, 1, 3)
    J = np.ones((3, 5))
    path = {"w": np.array([0.0, 0.01]), "b": np.array([0.0, 0.0]), "cost": np.array([0.693147, 0.693121])}
    assert figures.cost_map_summary(w, b, J, path).endswith(", J 0.69315 → 0.69312.")
    assert figures.cost_history_summary([0.693147, 0.69314, 0.693121]).startswith("J falls from 0.69315 to 0.69312 ")
    assert train_figures.cost_curves_summary([("α = 0.0001", [0, 1500], [0.693147, 0.6931])]).startswith(
        "α = 0.0001: J 0.69315 at iteration 0 → 0.6931 at iteration 1500")
    # and costs that did not move, or moved visibly, keep their 3 digits
    assert figures.cost_history_summary([0.5, 0.5]).startswith("J stays from 0.5 to 0.5 ")
    assert alt_text.nums_apart(1.5, 0.52) == ("1.5", "0.52")
    assert alt_text.nums_apart(-2e-7, -1e-7) == ("−2 × 10 to the power −7", "−1 × 10 to the power −7")

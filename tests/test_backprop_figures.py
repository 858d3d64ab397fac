"""ui.backprop_figures: the figures are built without Plotly's validation (for speed), so they are validated here;
and each picture's numbers and its describing sentence come from the same graph."""

import plotly.graph_objects as go
import pytest

from logreg import bugs, graph
from ui import backprop_figures as bf

NEURON_CASES = [(1, 2, 0.8, -0.3, 0.2, 1), (20, 2, 20, -0.3, 0.2, 1), (20, 20, 20, 20, 20, 0), (-3, 0, 0, 0, 0, 0)]


def validated(fig: go.Figure) -> dict:
    """Plotly's full validation of every property (raises ValueError on a misspelt or ill-typed one)."""
    return go.Figure(fig.to_dict()).to_dict()


def texts(fig: go.Figure) -> list[str]:
    return [a["text"] for a in fig.to_dict()["layout"]["annotations"] if a.get("text")]


def test_warmup_figure_is_valid_and_shows_every_value_and_derivative():
    g = graph.warmup_graph(5, 3, 2)
    fig = bf.warmup_figure(g)
    validated(fig)
    t = texts(fig)
    for box in ("<b>a</b><br>5", "<b>u = b·c</b><br>6", "<b>v = a + u</b><br>11", "<b>J = 3v</b><br>33"):
        assert box in t
    assert {"dJ/da = 3", "dJ/db = 6", "dJ/dc = 9", "dJ/du = 3", "dJ/dv = 3", "dJ/dJ = 1"} <= set(t)
    arrows = [a for a in fig.to_dict()["layout"]["annotations"] if a.get("showarrow")]
    assert len(arrows) == 5 and all(a["standoff"] > 10 and a["startstandoff"] > 10 for a in arrows)
    assert "33" in fig.layout.title.text
    assert bf.describe_warmup(g).endswith("so J is most sensitive to c.")


def test_the_warmup_sentence_names_every_input_tied_for_the_largest_derivative():
    # b = c = 1: dJ/da = 3, dJ/db = 3c = 3, dJ/dc = 3b = 3; naming only "a" was false
    assert bf.describe_warmup(graph.warmup_graph(2.0, 1.0, 1.0)).endswith("so J is most sensitive to a, b and c equally.")
    assert bf.describe_warmup(graph.warmup_graph(2.0, 1.0, 0.5)).endswith("so J is most sensitive to a and c equally.")


@pytest.mark.parametrize("case", NEURON_CASES)
def test_neuron_figure_is_valid_and_never_prints_nan_or_inf(case):
    g = graph.neuron_graph(*case)
    fig = bf.neuron_figure(g)
    validated(fig)
    hover = list(fig.data[0].customdata)
    words = " ".join(texts(fig) + hover + [fig.layout.title.text, bf.describe_neuron(g)]).lower()
    assert "nan" not in words and "inf" not in words
    assert f"dz = a − y = {bf.fmt(g['dz'])}" in texts(fig)
    assert ("saturated" in bf.describe_neuron(g)) == g["saturated"]


def test_check_figure_is_valid_with_a_refused_gradient():
    labels = [v[0] for v in bugs.BACKWARDS.values()]
    diffs = [3e-11, 1.0, 0.95, None, 0.4]
    fig = bf.check_figure(labels, diffs, chosen=1, passed=bugs.PASS, failed=bugs.FAIL)
    spec = validated(fig)
    bar = spec["data"][0]
    assert list(bar["text"]) == ["3.0e-11", "1.0e+00", "9.5e-01", "refused: wrong shape", "4.0e-01"]
    lo = spec["layout"]["xaxis"]["range"][0]
    assert bar["x"][3] == 10**lo  # refused: no bar, the axis starts there
    assert [c == "#1f77b4" for c in bar["marker"]["color"]] == [False, True, False, False, False]
    sentence = bf.describe_check(labels, diffs, bugs.PASS)
    assert "dw = dZ Xᵀ / m: refused for its shape" in sentence and sentence.endswith("only none (correct) stays under 1e-07.")


@pytest.mark.parametrize("x,text,latex", [(None, "—", r"\text{—}"), (0.0, "0", "0"), (0.4, "0.4", "0.4"),
                                          (-2.5e-174, "-2.500e-174", r"-2.500 \times 10^{-174}"),
                                          (29700.0, "2.97e+04", r"2.97 \times 10^{4}"), (1.5e5, "1.500e+05", r"1.500 \times 10^{5}")])
def test_number_formats(x, text, latex):
    assert bf.fmt(x) == text and bf.tex(x) == latex


def test_check_sentence_when_nothing_passes_and_when_the_gradients_are_too_small():
    labels = [v[0] for v in bugs.BACKWARDS.values()]
    diffs = [1.0, 1.0, 0.95, None, 0.4]
    sentence = bf.describe_check(labels, diffs, bugs.PASS)
    assert sentence.endswith("no backward pass stays under 1e-07.") and "only none" not in sentence
    tiny = bf.describe_check(labels, diffs, bugs.PASS, too_small=True)
    assert tiny.startswith("The gradients here are too small to compare") and tiny.endswith(sentence)

from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

from ui import figures


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
    fig = figures.timing_bars(["loop", "numpy"], [0.2, 0.001], title="t")
    np.testing.assert_allclose(fig.data[0].x, [200.0, 1.0])
    np.testing.assert_allclose(fig.data[0].customdata, [200.0, 1.0])


def test_as_grid_and_heatmaps():
    assert figures.as_grid(3.0).shape == (1, 1)
    assert figures.as_grid(np.arange(4)).shape == (1, 4)
    with pytest.raises(ValueError, match="at most 2"):
        figures.as_grid(np.zeros((2, 2, 2)))
    fig = figures.broadcast_heatmaps([("A", np.ones((3, 1))), ("B", np.arange(4.0)), ("A + B", np.ones((3, 4)))])
    assert [a.text for a in fig.layout.annotations] == ["A", "B", "A + B"]
    assert fig.data[1].z.shape == (1, 4) and fig.data[2].texttemplate == "%{text}"
    big = figures.broadcast_heatmaps([("big", np.zeros((30, 30)))])
    assert big.data[0].text is None  # no per-cell labels on large arrays


def test_ui_figures_do_not_import_streamlit():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys, ui.figures; print('streamlit' in sys.modules)"],
                         capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"

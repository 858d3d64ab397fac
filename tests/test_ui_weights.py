import numpy as np
import pytest

from ui.weights import (
    DIVERGING,
    column_to_panels,
    contribution_figure,
    contributions,
    diverging_caption,
    rgb_caption,
    rgb_weights_figure,
    weights_figure,
)


def test_panels_follow_the_course_flattening():
    imgs = np.arange(2 * 4 * 4 * 3).reshape(2, 4, 4, 3)
    X = imgs.reshape(2, -1).T  # the course's flattening
    panels = column_to_panels(X[:, 1:2], 4, 3)
    assert [n for n, _ in panels] == ["red", "green", "blue"]
    for k, (_, p) in enumerate(panels):
        np.testing.assert_array_equal(p, imgs[1, :, :, k])
    with pytest.raises(ValueError, match="48 values"):
        column_to_panels(np.zeros(10), 4, 3)


def test_weights_figure_is_symmetric_diverging():
    w = np.linspace(-2, 1, 16).reshape(-1, 1)
    fig = weights_figure(w, 4, 1)
    hm = fig.data[0]
    assert hm.zmin == -2 and hm.zmax == 2 and hm.zmid == 0
    np.testing.assert_allclose(np.array(hm.z), w.reshape(4, 4))


def test_contributions_sum_to_wTx():
    rng = np.random.default_rng(0)
    w, x = rng.standard_normal((27, 1)), rng.random((27, 1))
    np.testing.assert_allclose(contributions(w, x).sum(), (w.T @ x).item())
    fig = contribution_figure(w, x, 3, 3)
    assert len(fig.data) == 3
    got = np.stack([np.array(t.z) for t in fig.data], axis=-1).reshape(-1, 1)
    np.testing.assert_allclose(got, w * x)


def test_rgb_weights_grey_is_zero():
    w = np.zeros((2 * 2 * 3, 1))
    w[0] = 1.0
    img = np.array(rgb_weights_figure(w, 2).data[0].z)
    assert img[0, 0, 0] == 255 and img[1, 1, 1] == 127


def test_each_picture_s_caption_says_what_its_own_colours_mean():
    # review: "red pixels vote for class 1, blue ones for class 0" sat under the RGB picture, where blue is a
    # blue-channel weight and a positive one (brighter blue) votes for class 1
    import plotly.colors

    names = ("not cat", "cat")
    w = np.zeros((2 * 2 * 3, 1))
    w[2], w[3] = 1.0, -1.0  # pixel (0, 0): a positive blue weight; pixel (0, 1): a negative red weight
    img = np.array(rgb_weights_figure(w, 2).data[0].z).astype(int)
    assert img[0, 0, 2] > 128 and img[0, 0, 0] == img[0, 0, 1] == 127  # positive: brighter than mid-grey
    assert img[0, 1, 0] < 127  # negative: darker
    rgb = rgb_caption(names)
    assert "a pixel whose blue is brighter than mid-grey has a positive blue-channel weight, a vote for **cat**" in rgb
    assert "brighter than mid-grey is a positive weight" in rgb and "darker than mid-grey, a negative one" in rgb
    assert "drawn red" not in rgb and "blue ones" not in rgb
    # the diverging chart: its top colour (the largest w, pushing towards class 1) is red, its bottom blue
    scale = plotly.colors.get_colorscale(DIVERGING)
    (r_top, _, b_top), (r_bot, _, b_bot) = (plotly.colors.unlabel_rgb(plotly.colors.convert_colors_to_same_type(
        scale[k][1], "rgb")[0][0]) for k in (-1, 0))
    assert r_top > b_top and b_bot > r_bot
    assert "drawn red, it votes for **cat**; drawn blue, for **not cat**" in diverging_caption(names, 1)
    assert "one pixel of one channel" in diverging_caption(names, 3)

"""The Backprop page in a real browser: opened by its URL, a slider moved with the keyboard, the graph's numbers
redrawn and written to the URL, a bug planted; and a shared link reopening the same state."""

import math
import re

from playwright.sync_api import expect

from .conftest import (
    alert,
    assert_no_exception,
    goto,
    keyed,
    metric_value,
    press_on_slider,
    screenshot,
    scroll_to_heading,
    wait_chart,
    wait_idle,
)
from .test_pages import url_has

#: True when the neuron graph's annotations include one whose text is exactly ``arg``.
HAS_ANNOTATION = "(el, text) => el.layout.annotations.some(a => a.text === text)"
Z_NODE = "<b>z = w1·x1 + w2·x2 + b</b><br>"


def test_backprop_slider_redraws_the_graph_and_a_planted_bug_is_caught(page, server):
    goto(page, f"{server}/backprop", "Backprop")
    wait_chart(page, "bp_neuron_chart", HAS_ANNOTATION, Z_NODE + "0.4")  # 0.8·1 − 0.3·2 + 0.2
    wait_chart(page, "bp_warmup_chart", HAS_ANNOTATION, "<b>J = 3v</b><br>33")

    press_on_slider(page, "bp_w1", "ArrowRight", "ArrowRight")  # w1: 0.8 -> 1.0, so z = 0.6
    wait_chart(page, "bp_neuron_chart", HAS_ANNOTATION, Z_NODE + "0.6")
    dz = 1 / (1 + math.exp(-0.6)) - 1
    wait_chart(page, "bp_neuron_chart", HAS_ANNOTATION, f"dz = a − y = {dz:.4g}")
    expect(page).to_have_url(url_has(bp_w1="1"))

    keyed(page, "bp_bug").get_by_text("dz = y − a", exact=True).click()
    expect(metric_value(page, "relative difference")).to_have_text("1.00e+00")
    expect(alert(page, "fail")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]bp_bug=dz"))
    wait_idle(page)
    assert_no_exception(page)
    scroll_to_heading(page, "2 · One example of logistic regression")
    screenshot(page, "backprop")


def test_backprop_shared_link_opens_that_state(page, server):
    goto(page, f"{server}/backprop?bp_w1=2.0&bp_y=0&bp_m=40&bp_bug=forgot%201%2Fm&bp_c=-4.0", "Backprop")
    wait_chart(page, "bp_neuron_chart", HAS_ANNOTATION, Z_NODE + "1.6")
    wait_chart(page, "bp_neuron_chart", HAS_ANNOTATION, f"dz = a − y = {1 / (1 + math.exp(-1.6)):.4g}")
    wait_chart(page, "bp_warmup_chart", HAS_ANNOTATION, "dJ/db = -12")
    expect(metric_value(page, "relative difference")).to_have_text("9.51e-01")  # (m − 1)/(m + 1) at m = 40
    expect(keyed(page, "bp_bug").get_by_role("radio", name="forgot 1/m")).to_be_checked()
    expect(keyed(page, "bp_y").get_by_role("radio", name="0")).to_be_checked()
    assert_no_exception(page)

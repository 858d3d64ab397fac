"""Layout on a small laptop: in a 1,024 px wide window (a classroom Chromebook or a tablet held sideways) and a
900 px one (half of a 1,920 px screen, the lecture video in the other half), the sidebar open, no formula is wider
than its box. A formula that overflows is cut at the column's edge and
scrolls on its own, out of reach of a keyboard (the a11y test's 1,400 px window does not show this)."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .a11y_checks import wait_charts_drawn, wait_formulas_drawn
from .conftest import assert_no_exception, goto
from .test_a11y import PAGES

WIDTHS = (1024, 900)

OVERFLOWING = """() => [...document.querySelectorAll('.katex-display')]
    .filter(e => e.scrollWidth > e.clientWidth)
    .map(e => `${e.scrollWidth} px in ${e.clientWidth}: ${e.querySelector('annotation')?.textContent ?? e.innerText}`)"""


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def laptop(browser, request):
    ctx = browser.new_context(viewport={"width": request.param, "height": 800})
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


@pytest.mark.parametrize("path", [p for p, _ in PAGES], ids=[p or "home" for p, _ in PAGES])
def test_no_formula_overflows_its_box(laptop, server, path):
    goto(laptop, f"{server}/{path}")
    wait_charts_drawn(laptop)
    wait_formulas_drawn(laptop)
    assert laptop.evaluate("() => document.querySelectorAll('.katex-display').length") > 0, "no formula to check"
    # KaTeX lays formulas out again when its fonts arrive (see test_a11y.check): give them up to 5 s to settle.
    try:
        laptop.wait_for_function(f"() => ({OVERFLOWING})().length === 0", timeout=5_000)
    except PlaywrightTimeout:
        pass
    assert_no_exception(laptop)
    wide = laptop.evaluate(OVERFLOWING)
    width = laptop.viewport_size["width"]
    assert not wide, f"/{path} at {width} px: formulas wider than their box: {wide}"

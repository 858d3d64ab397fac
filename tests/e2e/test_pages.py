"""Every concept page in a real browser: opened by its URL, its main control operated with mouse or keyboard,
the Plotly chart (and the numbers beside it) redrawn, and a shared link reopening the same state.

Charts are checked through what Plotly itself holds and draws: the ``data`` of the ``.js-plotly-plot`` element
and its rendered SVG title and annotations. Each test ends with no exception box on the page.
"""

import re

from playwright.sync_api import expect

from .conftest import (
    alert,
    assert_no_exception,
    chart_annotation,
    chart_eval,
    chart_title,
    goto,
    keyed,
    metric_value,
    press_on_slider,
    screenshot,
    scroll_to_heading,
    slider_input,
    wait_chart,
    wait_idle,
)


def url_has(**params):
    """A URL pattern requiring each ``key=value`` in the query string (values as Streamlit writes them)."""
    return re.compile("".join(rf"(?=.*[?&]{re.escape(k)}={re.escape(v)}(&|$))" for k, v in params.items()))


# --------------------------------------------------------------------------------------------- sigmoid


def test_sigmoid_keyboard_sliders_move_the_readout_and_redraw_the_charts(page, server):
    goto(page, f"{server}/sigmoid", "Sigmoid")
    expect(metric_value(page, "σ(z)")).to_have_text("0.8808")
    assert chart_eval(page, "sigmoid_chart", "el => el.data.find(t => t.name === 'readout').x") == [2]

    press_on_slider(page, "z", "ArrowRight")  # readout z: 2.0 -> 2.1
    expect(metric_value(page, "σ(z)")).to_have_text("0.8909")
    expect(metric_value(page, "σ'(z) = σ(1 − σ)")).to_have_text("0.0972")
    wait_chart(page, "sigmoid_chart", "el => el.data.find(t => t.name === 'readout').x[0] === 2.1")
    wait_chart(page, "derivative_chart", "el => el.data.find(t => t.name === \"σ' at readout\").x[0] === 2.1")
    expect(page).to_have_url(url_has(z="2.1"))

    press_on_slider(page, "w", "End")  # w: 1.5 -> 5, the "try this" near-step
    expect(chart_title(page, "options_chart", "w = 5, b = 0")).to_be_visible()
    expect(keyed(page, "w").get_by_test_id("stSliderThumbValue")).to_have_text("5.00")
    expect(page).to_have_url(url_has(z="2.1", w="5"))
    wait_idle(page)
    assert_no_exception(page)
    screenshot(page, "sigmoid")


def test_sigmoid_shared_link_opens_that_state(page, server):
    goto(page, f"{server}/sigmoid?w=-2.5&b=1.0&z=-1.5&z_range=-3&z_range=5", "Sigmoid")
    expect(metric_value(page, "σ(z)")).to_have_text("0.1824")
    expect(chart_title(page, "options_chart", "w = -2.5, b = 1;")).to_be_visible()
    thumbs = keyed(page, "z_range").get_by_test_id("stSliderThumbValue")
    expect(thumbs).to_have_text(["-3.00", "5.00"])
    # the curve spans the shared range (Plotly keeps decoded arrays in _fullData; data holds them base64-packed)
    assert chart_eval(page, "sigmoid_chart", "el => Math.min(...el._fullData[0].x)") == -3
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- loss


def test_loss_slider_presets_and_view_redraw_the_charts(page, server):
    goto(page, f"{server}/loss", "Loss")
    expect(metric_value(page, "L(ŷ, 0) = −log(1 − ŷ)")).to_have_text("1.609")

    press_on_slider(page, "y_hat", "End")  # ŷ = 0.999: confident, and wrong if y = 0
    expect(metric_value(page, "L(ŷ, 0) = −log(1 − ŷ)")).to_have_text("6.908")
    expect(metric_value(page, "L(ŷ, 1) = −log ŷ")).to_have_text("0.001")
    wait_chart(page, "loss_chart", "el => el.data.find(t => t.name === 'your ŷ').x[0] === 0.999")

    before = metric_value(page, "J after the last step").inner_text()
    keyed(page, "preset_large").get_by_role("button").click()
    expect(alert(page, "Overshooting")).to_be_visible()
    expect(keyed(page, "lr").get_by_test_id("stSliderThumbValue")).to_have_text("300")
    expect(metric_value(page, "J after the last step")).not_to_have_text(before)
    expect(page).to_have_url(url_has(lr="300"))
    wait_idle(page)
    scroll_to_heading(page, "The cost J(w, b) over a small data set")
    screenshot(page, "loss")

    keyed(page, "view").get_by_text("3-D surface", exact=True).click()
    wait_chart(page, "ce_chart", "el => el.data[0].type === 'surface'")
    wait_chart(page, "sq_chart", "el => el.data[0].type === 'surface'")
    wait_idle(page)
    assert_no_exception(page)


def test_loss_shared_link_opens_that_state(page, server):
    goto(page, f"{server}/loss?lr=5&steps=3&view=3-D%20surface&y_hat=0.3", "Loss")
    expect(metric_value(page, "L(ŷ, 1) = −log ŷ")).to_have_text("1.204")
    expect(keyed(page, "lr").get_by_test_id("stSliderThumbValue")).to_have_text("5")
    expect(keyed(page, "steps").get_by_test_id("stSliderThumbValue")).to_have_text("3")
    expect(keyed(page, "view").get_by_role("radio", name="3-D surface")).to_be_checked()
    wait_chart(page, "ce_chart", "el => el.data[0].type === 'surface'")
    assert chart_eval(page, "history_chart", "el => el._fullData[0].x.length") == 4  # the start and 3 steps
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- vectorization


def test_vectorization_timing_buttons_and_shape_sliders(page, server):
    goto(page, f"{server}/vectorization", "Vectorization")
    expect(keyed(page, "dot_chart")).to_have_count(0)  # nothing is timed before the button

    press_on_slider(page, "vec_len", "ArrowLeft")  # n: 100,000 -> 10,000 (keeps the loop quick)
    expect(slider_input(page, "vec_len")).to_have_attribute("aria-valuetext", "10000")
    # the server has the new length (it writes it to the URL) before the button is pressed: a slider sends
    # its value after a short debounce, and a click inside it would time the old length
    expect(page).to_have_url(url_has(vec_len="10000"))
    keyed(page, "time_dot").get_by_role("button").click()
    expect(chart_title(page, "dot_chart", "n = 10,000")).to_be_visible()
    expect(metric_value(page, "speed-up")).to_have_text(re.compile(r"^[\d,]+×$"))
    bars = chart_eval(page, "dot_chart", "el => Array.from(el._fullData[0].x)")
    assert len(bars) == 2 and all(t > 0 for t in bars), bars

    press_on_slider(page, "n_x", "ArrowRight")  # n_x: 100 -> 101
    expect(page.get_by_text("X.shape == (101, 500)", exact=True)).to_be_visible()
    expect(page.get_by_text("dw.shape == (101, 1)", exact=True)).to_be_visible()
    expect(page).to_have_url(url_has(vec_len="10000", n_x="101"))
    wait_idle(page)
    assert_no_exception(page)
    screenshot(page, "vectorization")


def test_vectorization_shared_link_opens_that_state(page, server):
    goto(page, f"{server}/vectorization?n_x=3&m=7&vec_len=1000000", "Vectorization")
    expect(page.get_by_text("X.shape == (3, 7)", exact=True)).to_be_visible()
    expect(page.get_by_text("Z.shape == (1, 7)", exact=True)).to_be_visible()
    expect(slider_input(page, "vec_len")).to_have_attribute("aria-valuetext", "1000000")
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- broadcasting


def test_broadcasting_operator_and_typed_shape_redraw_the_heatmaps(page, server):
    goto(page, f"{server}/broadcasting", "Broadcasting")
    expect(alert(page, "Result shape: (3, 4)")).to_be_visible()
    assert wait_chart(page, "broadcast_chart", "el => el._fullData.at(-1).z[2][3]") == 3 + 40

    keyed(page, "op").get_by_text("multiply", exact=True).click()
    expect(chart_annotation(page, "broadcast_chart", "A × B (3, 4)")).to_be_visible()
    wait_chart(page, "broadcast_chart", "el => el._fullData.at(-1).z[2][3] === 3 * 40")

    keyed(page, "a_kind").get_by_text("typed", exact=True).click()
    typed = keyed(page, "a_shape").locator("input")
    expect(typed).to_have_value("(2, 3)")
    expect(alert(page, "NumPy refuses")).to_be_visible()  # (2, 3) × (1, 4)
    typed.fill("(4, 1)")
    typed.press("Enter")
    expect(alert(page, "Result shape: (4, 4)")).to_be_visible()
    expect(chart_annotation(page, "broadcast_chart", "A (4, 1)")).to_be_visible()
    expect(chart_annotation(page, "broadcast_chart", "A stretched to (4, 4)")).to_be_visible()
    expect(chart_annotation(page, "broadcast_chart", "B stretched to (4, 4)")).to_be_visible()
    expect(alert(page, "NumPy refuses")).to_have_count(0)
    expect(page).to_have_url(url_has(op="multiply", a_kind="typed", a_shape="%284%2C+1%29"))
    wait_idle(page)
    assert_no_exception(page)
    screenshot(page, "broadcasting")


def test_broadcasting_shared_link_shows_numpys_refusal(page, server):
    goto(page, f"{server}/broadcasting?a_kind=typed&a_shape=(2,3)&b_kind=typed&b_shape=(4,)", "Broadcasting")
    expect(alert(page, "NumPy refuses")).to_contain_text(
        "operands could not be broadcast together with shapes (2,3) (4,)")
    expect(keyed(page, "a_shape").locator("input")).to_have_value("(2,3)")
    expect(keyed(page, "b_shape").locator("input")).to_have_value("(4,)")
    expect(keyed(page, "broadcast_chart")).to_have_count(0)
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- images


def test_images_source_digit_and_batch_size_redraw_the_charts(page, server):
    goto(page, f"{server}/images", "Images")
    expect(chart_title(page, "picture_chart", "drawn sample: shape (64, 100, 3)")).to_be_visible()

    keyed(page, "picture").get_by_text("digit", exact=True).click()
    expect(chart_title(page, "picture_chart", "MNIST #0: shape (28, 28, 3)")).to_be_visible()
    digit = keyed(page, "digit").locator("input")
    digit.fill("7")
    digit.press("Enter")
    expect(chart_title(page, "picture_chart", "MNIST #7: shape (28, 28, 3)")).to_be_visible()
    expect(chart_title(page, "column_chart", "shape (2352, 1)")).to_be_visible()

    press_on_slider(page, "batch_m", "Home")  # a batch of 2: the wrong reshape interleaves the two images
    expect(page.get_by_text("X.shape = (2352, 2) both ways")).to_be_visible()
    expect(chart_title(page, "batch_chart", re.compile(r"\(digits \d, \d\)$"))).to_be_visible()
    expect(page).to_have_url(url_has(picture="digit", digit="7", batch_m="2"))
    wait_idle(page)
    assert_no_exception(page)
    scroll_to_heading(page, "3 · Stack m examples")
    screenshot(page, "images")


def test_images_shared_link_opens_that_state(page, server):
    goto(page, f"{server}/images?picture=digit&digit=7&batch_m=2&start=30", "Images")
    expect(chart_title(page, "picture_chart", "MNIST #7")).to_be_visible()
    expect(chart_title(page, "column_chart", "entries 30 … 89")).to_be_visible()
    expect(page.get_by_text("X.shape = (2352, 2) both ways")).to_be_visible()
    expect(keyed(page, "picture").get_by_role("radio", name=re.compile("^digit"))).to_be_checked()
    assert_no_exception(page)


# --------------------------------------------------------------------------------------------- code listings


def test_a_code_listing_is_drawn_when_its_expander_is_opened_by_keyboard(page, server):
    """Listings in closed expanders are not sent to the browser (ui.code.drawn_when_open); opening one draws it."""
    goto(page, f"{server}/loss", "Loss")
    listing = page.locator("pre.lr-code").filter(has_text="def gradient_descent_path")
    expect(listing).to_have_count(0)
    summary = page.locator('[data-testid="stExpander"] summary').filter(has_text="The NumPy code that runs on this page")
    summary.focus()
    page.keyboard.press("Enter")
    expect(listing).to_have_count(1)
    expect(page.locator('[data-testid="stMarkdown"]').filter(has_text="surfaces.gradient_descent_path")).to_have_count(1)
    page.keyboard.press("Enter")  # closed again, it stays closed after the rerun
    wait_idle(page)
    expect(listing).to_have_count(0)
    assert_no_exception(page)


def test_listings_in_the_first_view_do_not_load_the_browsers_syntax_highlighter(page, server):
    """ui.code colours listings on the server: a page whose listings are part of its first view (here Sigmoid's
    naive and stable σ) draws them, coloured, without the 1.5 MB highlighter that st.code loads. The control:
    the teacher link, an st.code, does load it once its expander is opened, so this test sees the request."""
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    goto(page, f"{server}/sigmoid", "Sigmoid")
    listing = page.locator("pre.lr-code").filter(has_text="def sigmoid_naive")
    expect(listing).to_have_count(1)
    keyword = listing.locator("span.kw").first
    expect(keyword).to_have_text("def")
    plain, coloured = listing.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e.querySelector('.kw')).color]")
    assert plain != coloured  # the token colours apply
    assert not [u for u in requested if "SyntaxHighlighter" in u]
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Teacher link").click()
    expect(page.locator('[data-testid="stCode"]')).to_have_count(1)
    page.wait_for_function("() => performance.getEntriesByType('resource').some(r => r.name.includes('SyntaxHighlighter'))",
                           timeout=30_000)
    assert [u for u in requested if "SyntaxHighlighter" in u]  # the same detector sees st.code's request
    assert_no_exception(page)

"""The Train page in a real browser: train on digits and see the cost curve and the accuracies, a shared link
that opens a toy set, webcam snapshots per class through Chromium's fake camera, and a zip of class folders
through the browser's own file chooser. Runs are kept short through the URL (?iters=…&alpha=…)."""

from __future__ import annotations

import re
import zipfile

import numpy as np
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from logreg.modelio import load_model

from .conftest import assert_no_exception, keyed, screenshot, take_photo, wait_idle
from .conftest import metric_value as metric

HEADING = "Train a one-neuron classifier"
PERCENT = re.compile(r"^\d{1,3}\.\d %$")  # how the page prints an accuracy, e.g. "93.3 %"
COST_TITLE = re.compile(r"Cost J\(w, b\): ([\d.]+) → ([\d.]+) in (\d+) iterations")


# --------------------------------------------------------------------------------------------- helpers


def open_train(page, url: str) -> None:
    """Open the Train page at ``url``; wait for its title (the script may report idle before it starts)."""
    page.goto(url)
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text(HEADING, timeout=60_000)
    wait_idle(page)


def chart_title(page, key: str):
    """The rendered SVG title of the Plotly chart drawn with ``key``."""
    return keyed(page, key).locator(".gtitle").first


def tex(page, fragment: str):
    """A formula (st.latex / $…$) whose TeX source contains ``fragment`` (KaTeX keeps it in an annotation)."""
    return page.locator('annotation[encoding="application/x-tex"]', has_text=fragment)


def press_train(page) -> None:
    """Press Train and wait for the results: both accuracies printed as percentages."""
    expect(metric(page, "train accuracy")).to_have_count(0)  # no stale results from an earlier run
    keyed(page, "train").get_by_role("button", name="Train").click()
    expect(metric(page, "train accuracy")).to_have_text(PERCENT, timeout=90_000)
    expect(metric(page, "test accuracy")).to_have_text(PERCENT)
    wait_idle(page)
    assert_no_exception(page)


def assert_cost_fell(page, iterations: int) -> None:
    expect(chart_title(page, "cost_chart")).to_contain_text(f"in {iterations} iterations")
    first, last, n = COST_TITLE.search(chart_title(page, "cost_chart").text_content()).groups()
    assert int(n) == iterations
    assert float(first) == pytest.approx(np.log(2), abs=1e-4)  # w = 0, b = 0: every ŷ = 0.5
    assert float(last) < float(first)


def snapshot_count(page, k: int, name: str, n: int):
    return page.get_by_text(re.compile(rf"^{k} · {re.escape(name)}: {n} snapshot\(s\)$"))


def take_snapshot(page) -> None:
    """Press the camera's shutter once the fake camera's video plays; the shot then shows with "Clear photo"."""
    take_photo(page)
    expect(page.get_by_test_id("stCameraInput").get_by_role("button", name="Clear photo")).to_be_visible()


def clear_snapshot(page) -> None:
    camera = page.get_by_test_id("stCameraInput")
    camera.get_by_role("button", name="Clear photo").click()
    expect(camera.get_by_role("button", name="Take Photo")).to_be_visible()


def disc_png(path, bright: bool, k: int) -> None:
    """A bright disc on dark (class "cats") or a dark disc on bright (class "not_cats"), jittered by ``k``."""
    fg, bg = ((235, 225, 215), (25, 30, 35)) if bright else ((25, 30, 35), (235, 225, 215))
    size = 24 + 3 * k
    img = Image.new("RGB", (size, size), bg)
    r, c = size // 3, size // 2 + (k % 3) - 1
    ImageDraw.Draw(img).ellipse((c - r, c - r, c + r, c + r), fill=fg)
    img.save(path)


def class_folder_zip(tmp_path, n: int = 6):
    src = tmp_path / "src"
    with zipfile.ZipFile(tmp_path / "pets.zip", "w") as zf:
        for folder, bright in (("cats", True), ("not_cats", False)):
            (src / folder).mkdir(parents=True)
            for k in range(n):
                p = src / folder / f"{k}.png"
                disc_png(p, bright, k)
                zf.write(p, f"{folder}/{k}.png")
        zf.writestr("cats/broken.png", b"\x89PNG\r\n\x1a\n but nothing after the signature")
    return tmp_path / "pets.zip"


# --------------------------------------------------------------------------------------------- digits


def test_train_on_digits_draws_the_cost_curve_and_the_accuracies(tall_page, server):
    page = tall_page
    open_train(page, f"{server}/train?iters=200&alpha=0.05&per_class=60")
    expect(page.get_by_text("Press Train to see the results.")).to_be_visible()
    expect(tex(page, "X_\\text{train}: (784,\\ 96)")).to_have_count(1)  # 60 + 60 per class, 80 % to train
    expect(keyed(page, "cost_chart")).to_have_count(0)

    press_train(page)
    assert_cost_fell(page, 200)
    expect(page.get_by_text("Press Train to see the results.")).to_have_count(0)
    expect(keyed(page, "confusion_chart").locator(".js-plotly-plot")).to_be_visible()
    expect(keyed(page, "weights_chart").locator(".js-plotly-plot")).to_be_visible()
    assert float(metric(page, "train accuracy").text_content().rstrip(" %")) > 80  # 3 vs not 3 is easy

    # the downloads are built when pressed: the model file loads back as the trained neuron, with its preprocessing
    with page.expect_download() as dl:
        keyed(page, "dl_model").get_by_role("button").click()
    model = load_model(dl.value.path().read_bytes())
    assert (model.class_names, model.preprocessing, model.w.shape) == (("not 3", "3"), "mnist", (784, 1))
    with page.expect_download() as dl:
        keyed(page, "dl_costs").get_by_role("button").click()
    lines = dl.value.path().read_text().splitlines()
    # J before each of the 200 updates, then J of the model the run returns, after all 200
    assert lines[0] == "iteration,cost" and len(lines) == 202 and lines[-2].startswith("199,") and lines[-1].startswith("200,")

    # from the training controls down: the cost curve, the accuracies, the confusion matrix and the weights
    page.get_by_role("heading", name="2 · Train with gradient descent").evaluate(
        "el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "train")


# --------------------------------------------------------------------------------------------- shared link


def test_a_shared_link_opens_the_toy_set_and_trains_a_boundary(page, server):
    open_train(page, f"{server}/train?data=toy&toy=xor&points=120&iters=300&alpha=0.5")
    expect(keyed(page, "data").get_by_role("radio", name=re.compile("^toy"))).to_be_checked()
    expect(keyed(page, "toy").get_by_role("radio", name="xor")).to_be_checked()
    expect(keyed(page, "points").get_by_role("slider")).to_have_value("120")
    expect(chart_title(page, "points_chart")).to_contain_text("xor, 120 points")
    expect(keyed(page, "boundary_chart")).to_have_count(0)

    press_train(page)
    expect(chart_title(page, "boundary_chart")).to_contain_text("decision line")
    heat = keyed(page, "boundary_chart").evaluate(
        "el => { const p = el.querySelector('.js-plotly-plot');"
        " return p.data.filter(t => t.type === 'heatmap').length; }")
    assert heat == 1  # ŷ over the plane, under the points and the line
    assert_cost_fell(page, 300)
    expect(page).to_have_url(re.compile(r"[?&]toy=xor(&|$)"))


# --------------------------------------------------------------------------------------------- webcam


def test_webcam_snapshots_per_class_then_train(tall_page, server):
    page = tall_page
    open_train(page, f"{server}/train?data=own&own_mode=webcam&size=16&iters=200&alpha=0.05")
    expect(page.get_by_text(re.compile("Take at least 2 snapshots of each class"))).to_be_visible()
    expect(snapshot_count(page, 0, "not me", 0)).to_be_visible()

    for k in (0, 1):
        if k == 1:
            keyed(page, "snap_class").get_by_text("1 · me").click()
            expect(keyed(page, "snap_class").get_by_role("radio", name="1 · me")).to_be_checked()
            wait_idle(page)
        for n in (1, 2):
            take_snapshot(page)
            expect(snapshot_count(page, k, ["not me", "me"][k], n)).to_be_visible()
            wait_idle(page)
            clear_snapshot(page)
            wait_idle(page)
    expect(snapshot_count(page, 0, "not me", 2)).to_be_visible()
    expect(snapshot_count(page, 1, "me", 2)).to_be_visible()
    for k in (0, 1):  # each snapshot is shown, with its ✕ to remove it
        expect(page.locator(f'[class*="st-key-rm_{k}_"]')).to_have_count(2)
    expect(page.get_by_text(re.compile("Take at least 2 snapshots of each class"))).to_have_count(0)
    keyed(page, "snap_camera").evaluate("el => el.scrollIntoView({block: 'start'})")
    screenshot(page, "train_webcam")

    # The fake camera's pattern can give the same picture to both classes, and then dw = db = 0 and the cost
    # rightly stays at ln 2: check that it trained 200 steps from the zero start and never went up.
    press_train(page)
    expect(chart_title(page, "cost_chart")).to_contain_text("in 200 iterations")
    first, last, _ = COST_TITLE.search(chart_title(page, "cost_chart").text_content()).groups()
    assert float(first) == pytest.approx(np.log(2), abs=1e-4) and float(last) <= float(first)


# --------------------------------------------------------------------------------------------- zip


def test_a_zip_of_class_folders_through_the_file_chooser(page, server, tmp_path):
    path = class_folder_zip(tmp_path)
    open_train(page, f"{server}/train?data=own&own_mode=zip&size=16&iters=200&alpha=0.05")
    expect(page.get_by_text(re.compile("Zip a folder that holds one sub-folder per class"))).to_be_visible()

    button = keyed(page, "zip").get_by_role("button", name=re.compile(r"^(upload|browse files)$", re.I))
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(path))

    expect(page.get_by_text("1 file(s) in the zip skipped")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"cats/broken\.png: "))).to_be_visible()  # listed with the reason
    expect(page.get_by_text("cats vs not_cats (pets.zip)")).to_be_visible()
    expect(tex(page, "X_\\text{train}: (768,")).to_have_count(1)  # 16 · 16 · 3 features per picture
    wait_idle(page)
    assert_no_exception(page)

    press_train(page)
    expect(metric(page, "test accuracy")).to_have_text("100.0 %")  # bright vs dark discs
    expect(keyed(page, "weights_chart").locator(".js-plotly-plot")).to_be_visible()


# --------------------------------------------------------------------------------------------- hostile links


def test_a_link_with_infinite_numbers_opens_the_page_with_a_warning(page, server):
    # Streamlit's own int(float("inf")) replaced the page with an error box (issue 10)
    open_train(page, f"{server}/train?iters=inf&split_seed=1e400&init_seed=-inf")
    expect(page.get_by_text(re.compile(r"Ignored from the link: iters = 'inf'"))).to_be_visible()
    assert_no_exception(page)
    assert "iters=inf" not in page.url and "1e400" not in page.url
    expect(keyed(page, "iters").locator("input")).to_have_value("2000")  # the control's default

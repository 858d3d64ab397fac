"""Real-browser fixtures: a Streamlit server on a free localhost port and Debian's Chromium via Playwright.

Where Chromium is absent the tests skip, saying how to install it. Playwright never downloads a browser here.
Screenshots go to the git-ignored bench/out/screenshots; ``UPDATE_SCREENSHOTS=1`` writes the README's
pictures in docs/screenshots instead (the only way a test run changes a tracked file).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The README's pictures, refreshed only on request: ``UPDATE_SCREENSHOTS=1 python -m pytest tests/e2e``.
README_SHOTS = ROOT / "docs" / "screenshots"
#: Where a plain test run leaves its screenshots (git-ignored), to look at after a run.
SCRATCH_SHOTS = ROOT / "bench" / "out" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # the webcam: Chromium's built-in fake camera, permission granted without a prompt
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
#: How long ``expect(...)`` retries. Playwright's 5 s default is too tight on a shared 2-core machine, where a
#: rerun that draws several Plotly charts can take seconds; a passing check returns as soon as it holds.
EXPECT_TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int | None = None, extra_env: dict | None = None):
    """Start ``streamlit run streamlit_app.py`` headless on a free port; return (process, base_url)."""
    port = port or _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    # The server's log goes to a file, not a pipe: nobody reads a pipe while tests run, and once its
    # 64 kB buffer is full (tracebacks, warnings under load) the server blocks on its next log line.
    log = tempfile.NamedTemporaryFile(prefix="streamlit-", suffix=".log", delete=False)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    log.close()
    proc.log_path = Path(log.name)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited early:\n" + server_log(proc))
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not answer /_stcore/health within 60 s")


def server_log(proc) -> str:
    """What the server printed so far (its tracebacks, for a failing test's message)."""
    return proc.log_path.read_text(errors="replace")


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    proc.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server():
    proc, url = start_server()
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def playwright_api():
    """One Playwright driver per session (the sync API allows only one per thread)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not found: install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) "
                    "or set CHROMIUM_PATH; the browser tests skip without it")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")
    sync_api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    with sync_api.sync_playwright() as p:
        yield p


def launch_chromium(playwright_api, extra_args=()):
    """Debian's Chromium with the shared flags (fake webcam included) plus ``extra_args``."""
    return playwright_api.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args], headless=True)


@pytest.fixture(scope="session")
def browser(playwright_api):
    b = launch_chromium(playwright_api)
    yield b
    b.close()


def _page(browser, height: int):
    ctx = browser.new_context(viewport={"width": 1400, "height": height}, permissions=["camera"])
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    ctx.close()


@pytest.fixture
def page(browser):
    yield from _page(browser, 1000)


@pytest.fixture
def tall_page(browser):
    """A taller window, so a screenshot holds more of the page (Streamlit scrolls its main area inside itself)."""
    yield from _page(browser, 2000)


def take_photo(page) -> None:
    """Wait for the (fake) camera's video to play, then press st.camera_input's shutter button."""
    from playwright.sync_api import expect

    camera = page.get_by_test_id("stCameraInput")
    expect(camera).to_be_visible()
    page.wait_for_function(
        "() => { const v = document.querySelector('[data-testid=\"stCameraInput\"] video');"
        " return !!v && v.readyState >= 2 && v.videoWidth > 0; }")
    shutter = camera.get_by_role("button", name="Take Photo")
    expect(shutter).to_be_enabled()
    shutter.click()


def wait_idle(page, timeout=60_000) -> None:
    """Wait until the app has rendered and its script is not running."""
    page.wait_for_selector(IDLE, timeout=timeout)


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def screenshot_dir() -> Path:
    """docs/screenshots when ``UPDATE_SCREENSHOTS=1`` is set, else the git-ignored bench/out/screenshots."""
    return README_SHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else SCRATCH_SHOTS


def screenshot(page, name: str) -> Path:
    """Save what ``page`` shows as ``<name>.png`` in :func:`screenshot_dir`; return the path."""
    shots = screenshot_dir()
    shots.mkdir(parents=True, exist_ok=True)
    path = shots / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def assert_no_exception(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


# --- helpers for page tests: open a page, find a widget or a chart by its key, read metrics and alerts ---------


def goto(page, url: str, heading=None) -> None:
    """Open ``url`` and wait until its title (h1) is shown and the script is idle.

    Waiting for the heading first matters: right after navigation the app can briefly report
    ``notRunning`` before the page's script has even started.
    """
    from playwright.sync_api import expect

    page.goto(url)
    h1 = page.locator('[data-testid="stMain"] h1').first
    expect(h1).to_be_visible(timeout=60_000)
    if heading is not None:
        expect(h1).to_contain_text(heading)
    wait_idle(page)


def keyed(page, key: str):
    """The element container of the widget or chart created with ``key=``."""
    return page.locator(f".st-key-{key}")


def slider_input(page, key: str):
    """The keyboard-operable thumb of ``st.slider(key=...)`` (first thumb of a range slider)."""
    return keyed(page, key).locator('input[type="range"]').first


def press_on_slider(page, key: str, *keys: str) -> None:
    """Focus the slider's thumb as a keyboard user would, then press ``keys`` (ArrowRight, End, ...)."""
    thumb = slider_input(page, key)
    thumb.focus()
    for k in keys:
        page.keyboard.press(k)


def metric_value(page, label: str):
    """The value of the ``st.metric`` whose label is exactly ``label``."""
    import re

    label_loc = page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return page.locator('[data-testid="stMetric"]', has=label_loc).locator('[data-testid="stMetricValue"]')


def alert(page, text):
    """The ``st.error`` / ``st.warning`` / ``st.info`` / ``st.success`` box containing ``text``."""
    return page.locator('[data-testid="stAlert"]', has_text=text)


def chart_title(page, key: str, text):
    """The rendered (SVG) title of the Plotly chart drawn with ``key``, if it contains ``text``."""
    return keyed(page, key).locator(".gtitle", has_text=text).first


def chart_annotation(page, key: str, text):
    """A rendered (SVG) annotation of the Plotly chart drawn with ``key``, if it contains ``text``."""
    return keyed(page, key).locator(".annotation-text", has_text=text).first


def wait_chart(page, key: str, predicate: str, arg=None, timeout: float = 30_000):
    """Wait until the Plotly figure drawn with ``key`` satisfies the JS ``predicate(el, arg)`` on its
    ``.js-plotly-plot`` element (``el.data``, ``el.layout``); return the predicate's value."""
    js = f"([key, arg]) => {{ const pred = {predicate};" \
         " for (const el of document.querySelectorAll(`.st-key-${key} .js-plotly-plot`)) {" \
         "  if (el.data && el.layout) { const r = pred(el, arg); if (r) return r; } } return false; }"
    return page.wait_for_function(js, arg=[key, arg], timeout=timeout).json_value()


def chart_eval(page, key: str, expression: str):
    """Evaluate the JS ``expression(el)`` on the Plotly figure drawn with ``key`` (waits for it to exist)."""
    return wait_chart(page, key, f"el => ({{v: ({expression})(el)}})")["v"]


def scroll_to_heading(page, text) -> None:
    """Scroll so that the heading containing ``text`` is at the top (for screenshots of a page's lower part)."""
    heading = page.locator('[data-testid="stMain"]').get_by_role("heading", name=text).first
    heading.evaluate("el => el.scrollIntoView({block: 'start'})")


def run_async(coro):
    """Run ``coro`` on an event loop of its own: Playwright's sync API keeps one running in this thread."""
    import asyncio  # noqa: PLC0415
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=120)

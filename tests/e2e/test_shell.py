"""The navigation a newcomer sees, from the very first paint of a fresh server, and the home page."""

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_exception, run_async, screenshot, server_log, start_server, stop_server, wait_idle

CONCEPTS = ["sigmoid", "loss", "backprop", "vectorization", "broadcasting", "images"]
MODEL = ["train", "classify"]

# Records, from the first paint on, every menu the page ever shows: Streamlit's sidebar menu
# (auto-built from pages/ on a fresh process, which must never appear) and our top navigation.
RECORD_NAV = """
window.__navSeen = [];
const snap = () => {
  const side = Array.from(document.querySelectorAll('[data-testid="stSidebarNav"] a'))
    .map(a => 'sidebar:' + new URL(a.href).pathname);
  const top = Array.from(document.querySelectorAll('[data-testid="stTopNav"] [data-testid="stTopNavLink"], [data-testid="stTopNavSection"]'))
    .map(e => 'top:' + e.innerText.trim().split('\\n').pop());
  const key = JSON.stringify(side.concat(top));
  if (side.length + top.length && window.__navSeen[window.__navSeen.length - 1] !== key) window.__navSeen.push(key);
};
new MutationObserver(snap).observe(document, {subtree: true, childList: true, attributes: true});
"""


@pytest.fixture
def fresh_server():
    """A brand-new server process: the case where Streamlit would fall back to pages/ discovery."""
    proc, url = start_server()
    yield url
    stop_server(proc)


def _menus_seen(page):
    return [json.loads(s) for s in page.evaluate("window.__navSeen")]


@pytest.mark.parametrize("path,heading", [("", "Logistic regression"), ("train", re.compile("train", re.I))])
def test_fresh_server_first_load_shows_only_the_defined_navigation(browser, fresh_server, path, heading):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.add_init_script(RECORD_NAV)
    page.goto(f"{fresh_server}/{path}")
    wait_idle(page)
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text(heading)
    menus = _menus_seen(page)
    assert menus, "no navigation was ever shown"
    for menu in menus:
        assert not any(item.startswith("sidebar:") for item in menu), menus
    # What stays on screen: our three entries. (Streamlit keeps an "N more" overflow item in the DOM while it
    # measures the bar, so the recorded DOM history may end with it; the visible bar is what a newcomer sees.)
    top = page.locator('[data-testid="stTopNav"]').locator(
        '[data-testid="stTopNavLink"], [data-testid="stTopNavSection"]').filter(visible=True)
    expect(top).to_have_count(3)
    expect(top).to_contain_text(["Start here", "Concepts", "Model"])
    assert page.url.rstrip("/").endswith(path) or not path
    assert_no_exception(page)
    ctx.close()


def test_sections_list_the_pages_with_stable_urls(page, server):
    page.goto(server)
    wait_idle(page)
    for section, paths in (("Concepts", CONCEPTS), ("Model", MODEL)):
        page.locator('[data-testid="stTopNavSection"]', has_text=section).click()
        for p in paths:
            expect(page.locator(f'a[href$="/{p}"]').first).to_be_visible()
        page.keyboard.press("Escape")
    screenshot(page, "home")


def test_home_links_reach_every_page(page, server):
    page.goto(server)
    wait_idle(page)
    main = page.locator('[data-testid="stMain"]')
    for path in CONCEPTS + MODEL:
        expect(main.locator(f'a[href$="{path}"]').first).to_be_attached()
    main.locator('a[href$="sigmoid"]').first.click()
    wait_idle(page)
    expect(page).to_have_url(f"{server}/sigmoid")
    expect(page.locator('[data-testid="stMain"] h1').first).to_contain_text("Sigmoid")
    assert_no_exception(page)


def test_a_fresh_server_has_warmed_up_before_it_answers_its_first_request():
    """`streamlit run streamlit_app.py` serves the st.App, whose lifespan warms the process (ui/warm.py) before
    the health check first answers: the first visitor of the day does not wait for imports or the default model."""
    proc, _url = start_server()  # returns once /_stcore/health has answered
    try:
        log = server_log(proc)
    finally:
        stop_server(proc)
    assert re.search(r"logreg: server process warmed up in \d+\.\d\d s", log), log
    assert "warm-up failed" not in log and "Traceback" not in log, log


def test_the_served_app_keeps_the_upload_limit_of_its_config(server):
    """Served as an st.App, the server still reads .streamlit/config.toml: the limit the uploaders announce (and the
    upload route enforces, both from ``server.maxUploadSize``) is the one set there, not Streamlit's 200 MB."""
    import tomllib
    from pathlib import Path

    from bench import st_client

    limit = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    seen = []

    class Session(st_client.StreamlitSession):
        @staticmethod
        def _record(element, fragment_id, result):
            if element.WhichOneof("type") == "file_uploader":
                seen.append(element.file_uploader.max_upload_size_mb)
            st_client.StreamlitSession._record(element, fragment_id, result)

    async def open_upload():
        async with Session(server, timeout_s=60) as s:
            return await s.open("classify", "source=upload")

    opened = run_async(open_upload())
    assert not opened.exceptions, opened.exceptions
    assert limit == 5 and seen == [limit]

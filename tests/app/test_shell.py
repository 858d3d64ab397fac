from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from .conftest import ENTRY, listings, open_page

URL_PATHS = {
    "pages/sigmoid.py": "sigmoid",
    "pages/loss.py": "loss",
    "pages/backprop.py": "backprop",
    "pages/vectorization.py": "vectorization",
    "pages/broadcasting.py": "broadcasting",
    "pages/images.py": "images",
    "pages/train.py": "train",
    "pages/classify.py": "classify",
}


def test_home_is_the_default_page_with_links_to_every_stage():
    at = open_page()
    assert "Logistic regression" in at.title[0].value
    targets = [link.proto.page for link in at.get("page_link")]
    assert targets == ["images", "sigmoid", "loss", "backprop", "vectorization", "broadcasting", "train",
                       "classify"]
    assert len(at.latex) >= 8  # the path formula and one per stage


def test_navigation_registers_stable_url_paths_and_home_as_default():
    at = open_page()
    by_file = {info["script_path"].rsplit("/pages/", 1)[-1]: info for info in at._registered_pages.values()}
    for page, url in URL_PATHS.items():
        assert by_file[page.removeprefix("pages/")]["url_pathname"] == url
    assert by_file["home.py"]["url_pathname"] == ""  # the default page lives at /
    assert len(by_file) == 9  # no auto-discovered extras


def test_first_run_by_pages_folder_discovery_is_handed_to_the_entry_script(monkeypatch):
    # A fresh Streamlit process treats pages/ as a v1 multipage app until st.navigation runs once:
    # a first visitor opening /sigmoid would get pages/sigmoid.py run alone with the discovered menu.
    # AppTest starts every run as such a fresh process does (it resets the flag and PagesManager sets it
    # again because pages/ exists); the spy checks that this first run really began in discovery mode.
    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit internals changed: revisit ui.widgets.ensure_entry_navigation"
    flag_at_start = []
    init = PagesManager.__init__

    def spy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        flag_at_start.append(PagesManager.uses_pages_directory)

    monkeypatch.setattr(PagesManager, "__init__", spy)
    at = AppTest.from_file(ENTRY, default_timeout=30)
    at.query_params["w"] = "3.0"
    at.switch_page("pages/sigmoid.py").run()
    assert not at.exception
    assert flag_at_start[0] is True  # the run began as pages/ discovery ...
    assert PagesManager.uses_pages_directory is False  # ... and ended handed over to st.navigation
    assert any(i.get("url_pathname") == "sigmoid" for i in at._registered_pages.values())  # our st.navigation ran
    assert at.title[0].value.startswith("Sigmoid")
    assert at.slider(key="w").value == 3.0  # and the shared link's state survived the hand-over


CODE_EXPANDERS = {"pages/sigmoid.py": "sigmoid_code", "pages/loss.py": "loss_code", "pages/backprop.py": "bp_neuron_code",
                  "pages/vectorization.py": "vec_step_code", "pages/broadcasting.py": "bc_code"}


def test_every_concept_page_renders_math_code_charts_and_a_prompt():
    for page, code in CODE_EXPANDERS.items():
        at = open_page(page, opened=(code,))
        assert at.latex, page
        assert any("def " in c for c in listings(at)), page  # real source shown by ui.code.show_code
        assert any("Try this" in i.value for i in at.info), page
        if page != "pages/vectorization.py":  # its charts appear after a timing is asked for
            assert at.get("plotly_chart"), page


def test_the_entry_script_freezes_after_a_pages_first_run(monkeypatch):
    from ui import warm

    frozen = []
    monkeypatch.setattr(warm, "_frozen", set())
    monkeypatch.setattr(warm.gc, "freeze", lambda: frozen.append(True))
    open_page("pages/loss.py")
    assert {"", "loss"} <= warm.frozen_pages() and len(frozen) == len(warm.frozen_pages())


def test_streamlit_run_serves_an_app_whose_lifespan_warms_the_process():
    """``streamlit run streamlit_app.py`` imports the file as a module (not ``__main__``), finds ``app`` and serves
    it: that is the path through which the warm-up runs before the first request (the browser tests' server
    log shows it did). Checked in a child process: constructing an st.App pins process-wide config."""
    import subprocess
    import sys
    from pathlib import Path

    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(Path(ENTRY))
    assert found.is_asgi_app and found.import_string == "streamlit_app:app"
    probe = ("import streamlit as st, streamlit_app as m; from ui import warm; "
             "print(isinstance(m.app, st.App), m.app._user_lifespan is warm.lifespan)")
    out = subprocess.run([sys.executable, "-c", probe], cwd=Path(ENTRY).parent, capture_output=True, text=True,
                         timeout=120, check=True)
    assert out.stdout.split() == ["True", "True"], out.stderr

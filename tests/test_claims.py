"""Claims tests (issue 15): every preset, README example link and "Try this" that names an outcome is run,
and the outcome it names is checked, so that words and numbers cannot drift apart.

- README links: every `/page?query` in README.md is found by a regular expression and must have a checker
  here; the checker opens that URL with AppTest, checks what the page shows, and checks that the README's
  words about the link still say it (a link whose README text or page changes fails here).
- Presets: each Loss preset's label against the verdict the page computes from its run.
- "Try this": each page's text is read from the running page, then the outcome it names is checked
  (through logreg where the claim is about the math, through AppTest where it is about the page).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from logreg import broadcasting as bc
from logreg import datasets, images, surfaces, training
from logreg.diagnostics import diagnose
from tests.app.conftest import chart_spec, open_page, values

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
LINK = re.compile(r"`(/[a-z_]*\?[^`]+)`")
#: The Loss page's twenty points and its default start, as the page uses them.
LOSS_DATA = dict(m=20, overlap=1.5, seed=0)
LOSS_START = (-4.0, 4.0)


def readme_links() -> list[tuple[str, str]]:
    """(link, the README text about it): its bullet (with continuation lines) or its table row."""
    found = []
    lines = README.splitlines()
    for i, line in enumerate(lines):
        for link in LINK.findall(line):
            text = line
            if line.lstrip().startswith("- "):
                j = i + 1
                while j < len(lines) and lines[j].startswith("  ") and not lines[j].lstrip().startswith("- "):
                    text += " " + lines[j].strip()
                    j += 1
            found.append((link, text))
    return found


def open_link(link: str):
    url = urlsplit(link)
    page = {"": "pages/home.py"}.get(url.path.strip("/"), f"pages/{url.path.strip('/')}.py")
    return open_page(page, dict(parse_qsl(url.query, keep_blank_values=True)))


def verdict(at) -> str:
    said = [e.value for e in (*at.success, *at.warning, *at.error, *at.info) if not e.value.startswith("**Try this")]
    assert len(said) == 1, said
    return said[0]


def try_this_text(at) -> str:
    [text] = [i.value for i in at.info if i.value.startswith("**Try this:**")]
    return text


# --------------------------------------------------------------------------- README links


def check_broadcast_link(at, text):
    assert "cannot be broadcast" in text and "NumPy's own error" in text and "the axis that fails" in text
    assert "operands could not be broadcast together with shapes (2,3) (4,)" in at.error[0].value
    steps = "\n".join(m.value for m in at.markdown)
    assert "axis 1: 3 and 4 differ and neither is 1 → incompatible" in steps
    assert not at.get("plotly_chart")


def check_loss_large_link(at, text):
    if not text.lstrip().startswith("- "):  # the speed table's row: only the state it times
        assert at.select_slider(key="lr").value == 300.0 and at.slider(key="steps").value == 100
        return
    for words in ("far too large", "overshoots", "5.9 to 37.9", "between about 0.6 and 38", "all 100 steps",
                  "without settling", "never blows up", "at most α times the mean |x|"):
        assert words in text, words
    assert "diverg" not in text.lower()
    said = verdict(at)
    assert said.startswith("**Overshooting** (α = 300, 100 steps)") and "still bouncing at the end" in said
    assert "first at step 1 (5.924 → 37.89)" in said
    J = values(chart_spec(at, "history_chart")["data"][0]["y"])
    assert len(J) == 101 and np.all(np.isfinite(J))
    assert round(J[0], 1) == 5.9 and round(J[1], 1) == 37.9
    assert round(J.min(), 1) == 0.6 and round(J.max()) == 38
    assert np.sum(np.diff(J[-25:]) > 0) >= 2  # still going up and down in the last quarter: not settling
    X, _ = surfaces.toy_dataset_1d(**LOSS_DATA)
    w = values(next(t for t in chart_spec(at, "ce_chart")["data"] if t.get("name") == "path")["x"])
    assert np.abs(np.diff(w)).max() <= 300.0 * np.abs(X).mean() + 1e-9  # the bound the README states


def check_loss_surface_link(at, text):
    assert at.radio(key="view").value == "3-D surface"
    assert chart_spec(at, "ce_chart")["data"][0]["type"] == "surface"


def check_images_digit_link(at, text):
    assert at.radio(key="picture").value == "digit"
    assert any(r"(28,\ 28,\ 3)" in x.value for x in at.latex)


def check_classify_link(at, text):
    """The README's example: the threshold at which test example 26 turns right, and the verdicts it names."""
    from tests.app.conftest import shown

    assert at.number_input(key="example").value == 26
    if not text.lstrip().startswith("- "):  # the speed table's row: only the state it times
        assert at.slider(key="threshold").value == pytest.approx(0.8)
        return
    t = at.slider(key="threshold").value
    assert t == pytest.approx(0.82) and "threshold raised to 0.82, the lowest at which the verdict turns right" in text
    y = float(values(chart_spec(at, "verdict_chart")["data"][0]["x"])[0])
    assert f"ŷ = {y:.4f}" in text and "a 3 the neuron finds rather 0-like" in text
    assert any("(the digit 3)" in m.value for m in at.markdown)
    right, wrong = "a digit other than 0 (label 0)", "digit 0 (label 1)"
    assert f"turns right: “{right}”" in text and f"At 0.81 it still says “{wrong}”" in text
    assert f"0.5 it is called “{wrong}”, wrong" in text
    assert shown(at.metric[0].value) == right
    assert any("**Right**" in m.value for m in at.markdown)
    for threshold, verdict_there in ((0.81, wrong), (0.5, wrong)):
        at.slider(key="threshold").set_value(threshold).run()
        assert shown(at.metric[0].value) == verdict_there and any("**Wrong**" in m.value for m in at.markdown)


def check_train_inf_link(at, text):
    """The README says ``/train?iters=inf`` once broke the page: now the value is dropped and the page says so."""
    assert "replaced the page with an error" in text
    assert any("Ignored from the link" in w.value and "iters" in w.value for w in at.warning)
    assert at.number_input(key="iters").value == 2000  # the control's default, not inf


def check_train_run_link(at, text):
    """``run=1``: the link trains as it opens and shows the curve and the accuracies, not "Press Train"."""
    for words in ("trains on open", "300 steps on 60 + 60 digits", "not \"Press Train\"", "once"):
        assert words in text, words
    assert not any("Press **Train**" in i.value for i in at.info)
    assert "in 300 iterations" in chart_spec(at, "cost_chart")["layout"]["title"]["text"]
    assert at.session_state["train_run"]["result"].num_iterations == 300
    assert [m.label for m in at.metric] == ["train accuracy", "test accuracy"]
    assert any(r"(784,\ 96)" in x.value for x in at.latex)  # 60 + 60 digits, 80 % of them to train


def check_classify_example_link(at, text):
    """The cold-visit table's row: the page it times opens the bundled test example and draws its verdict."""
    assert "full page" in README and "s |" in text  # a timing row, as the table says
    assert at.radio(key="source").value == "example"
    assert chart_spec(at, "verdict_chart")["data"]


CHECKS = {
    "/broadcasting?a_kind=typed&a_shape=(2,3)&b_kind=typed&b_shape=(4,)": check_broadcast_link,
    "/loss?lr=300&steps=100": check_loss_large_link,
    "/loss?view=3-D surface": check_loss_surface_link,
    "/images?picture=digit": check_images_digit_link,
    "/classify?example=26&threshold=0.8": check_classify_link,  # the speed table's row
    "/classify?example=26&threshold=0.82": check_classify_link,
    "/classify?source=example": check_classify_example_link,  # the cold-visit table's row
    "/train?iters=inf": check_train_inf_link,
    "/train?per_class=60&iters=300&alpha=0.05&run=1": check_train_run_link,
}


def check_teacher_link(at, text):
    """A teacher link (``check=1``) opens its page with the questions first. What each README line says the
    questions ask is checked claim by claim in tests/app/test_quiz_pages.py."""
    assert at.subheader[0].value == "Check yourself"


def checker(link: str):
    if link in CHECKS:
        return CHECKS[link]
    if "check=1" in link.split("?", 1)[1].split("&"):
        return check_teacher_link
    return None


def test_every_readme_link_has_a_check():
    links = {link for link, _ in readme_links()}
    assert links, "no /page?query links found in README.md: has the format changed?"
    missing = sorted(link for link in links if checker(link) is None)
    assert not missing, f"README links without a claims check: {missing}"


@pytest.mark.parametrize(("link", "text"), readme_links(), ids=lambda v: v[:40])
def test_readme_link_shows_what_the_readme_says(link, text):
    at = open_link(link)
    assert not at.exception
    checker(link)(at, text)


# --------------------------------------------------------------------------- presets


@pytest.mark.parametrize(("key", "label", "headline"), [
    ("preset_slow", "slow (α = 0.1)", "**Slow**"),
    ("preset_good", "good (α = 5)", "**Converging**"),
    ("preset_large", "too large (α = 300)", "**Overshooting**"),
])
def test_each_loss_preset_shows_what_its_label_says(key, label, headline):
    at = open_page("pages/loss.py")
    button = at.button(key=key)
    assert button.label == label
    button.click().run()
    assert verdict(at).startswith(headline)


# --------------------------------------------------------------------------- "Try this"


def test_home_try_this_alpha_300_overshoots_and_bounces():
    text = try_this_text(open_page())
    for words in ("press **too large** (α = 300)", "throws w from −4 to 354", "bounces between about 1 and 38",
                  "each time it nears the bottom one step throws it out again", "without settling",
                  "never blows up", "at most the mean |x|"):
        assert words in text, words
    at = open_page("pages/loss.py")
    at.button(key="preset_large").click().run()  # what the text tells the learner to do
    X, Y = surfaces.toy_dataset_1d(**LOSS_DATA)
    p = surfaces.gradient_descent_path(X, Y, *LOSS_START, 300.0, at.slider(key="steps").value)
    assert round(p["w"][0, 0]) == -4 and round(p["w"][1, 0]) == 354
    J = p["cost"][1:]
    assert round(J.min()) == 1 and round(J.max()) == 38 and np.sum(np.diff(J) > 0) >= 3
    assert np.abs(p["dw"]).max() <= np.abs(X).mean()
    assert diagnose(p["cost"], Y=Y).status == "oscillating"
    d = _distance_from_the_bottom(p["w"][:, 0], p["b"])
    assert len([k for k in range(len(d) - 1) if d[k] < 15 and d[k + 1] > 3 * d[k]]) >= 3  # thrown out again


def _distance_from_the_bottom(w, b):
    X, Y = surfaces.toy_dataset_1d(**LOSS_DATA)
    best = surfaces.gradient_descent_path(X, Y, 0.0, 0.0, 5.0, 500)
    return np.hypot(w - best["w"][-1, 0], b - best["b"][-1])


def test_loss_try_this_walks_back_in_even_steps_and_is_thrown_out_near_the_bottom():
    at = open_page("pages/loss.py")
    text = try_this_text(at)
    for words in ("**slow**, **good** and **too large**", "walks back down in even steps",
                  "each time it gets near the bottom, one step throws it far up the bowl again",
                  "J never settles", "never blows up", "at most the mean |x|"):
        assert words in text, words
    at.button(key="preset_large").click().run()
    path = next(t for t in chart_spec(at, "ce_chart")["data"] if t.get("name") == "path")
    d = _distance_from_the_bottom(values(path["x"]), values(path["y"]))
    throws = [k for k in range(len(d) - 1) if d[k] < 15 and d[k + 1] > 3 * d[k]]
    assert len(throws) >= 3 and throws[0] == 0, throws
    walk = -np.diff(d[1:throws[1]])  # from the first throw back to near the bottom
    assert walk.min() > 0 and np.ptp(walk) < 0.2 * walk.mean()  # even steps
    J = values(chart_spec(at, "history_chart")["data"][0]["y"])
    assert np.all(np.isfinite(J)) and np.sum(np.diff(J[len(J) // 2:]) > 0) >= 2


def test_sigmoid_try_this():
    at = open_page("pages/sigmoid.py")
    text = try_this_text(at)
    assert "option 1 reaches ±25, option 2 becomes a near-step" in text and "σ' shrink to 0.0025" in text
    at.slider(key="w").set_value(5.0).run()
    at.slider(key="b").set_value(0.0).run()
    opts = chart_spec(at, "options_chart")["data"]
    linear, logistic, x = values(opts[0]["y"]), values(opts[1]["y"]), values(opts[1]["x"])
    assert linear.min() == -25 and linear.max() == 25
    assert logistic[x <= -1].max() < 0.01 and logistic[x >= 1].min() > 0.99  # a near-step around 0
    at.slider(key="z").set_value(6.0).run()
    assert {m.label: m.value for m in at.metric}["σ'(z) = σ(1 − σ)"] == "0.0025"


def test_broadcasting_try_this():
    at = open_page("pages/broadcasting.py")
    text = try_this_text(at)
    assert "A = (m, 1) column and B = (1, n) row and multiply: an outer product" in text
    assert "A = (2, 3) and B = (3,) and (2,)" in text and "which one works" in text
    at.radio(key="op").set_value("multiply").run()
    spec = chart_spec(at, "broadcast_chart")
    a, b, out = (values(spec["data"][i]["z"]) for i in (0, 1, -1))
    np.testing.assert_array_equal(out, np.outer(a, b))
    assert bc.explain_broadcast((2, 3), (3,), "+").ok and not bc.explain_broadcast((2, 3), (2,), "+").ok


def test_images_try_this():
    at = open_page("pages/images.py")
    text = try_this_text(at)
    assert "set m = 2" in text and "every 'column' shows halves of both" in text
    assert "index 0, 1, 2 are one pixel's R, G, B" in text
    imgs, _ = datasets.load_digits_subset()
    batch = imgs[:2]
    wrong = images.wrong_flatten(batch)
    half = wrong.shape[0] // 2
    for j in range(2):  # each column: one half from each image
        np.testing.assert_array_equal(wrong[:half, j], batch[0].ravel()[j::2])
        np.testing.assert_array_equal(wrong[half:, j], batch[1].ravel()[j::2])
    photo = np.random.default_rng(0).integers(0, 256, (4, 5, 3), dtype=np.uint8)
    np.testing.assert_array_equal(images.image_to_column(photo)[:3, 0], photo[0, 0])


def test_vectorization_try_this_sizes_can_be_timed():
    at = open_page("pages/vectorization.py")
    text = try_this_text(at)
    assert "n = 1,000,000" in text and "n_x = 400, m = 500" in text
    assert 1_000_000 in at.select_slider(key="vec_len").options or "1000000" in at.select_slider(key="vec_len").options
    at.slider(key="n_x").set_value(400).run()
    at.slider(key="m").set_value(500).run()
    assert not at.button(key="time_propagate").disabled  # 200,000 loop steps: allowed, exactly at the cap


# The Train page's Try this: its words are read from the page, its outcomes checked through logreg.
def _digits_default():
    return training.from_digits(datasets.digits_task(3, None, max_per_class=500, seed=0))


def test_train_try_this_compare_rates_on_the_default_digits():
    runs = {r.learning_rate: r for r in training.compare_learning_rates(_digits_default(), [0.01, 0.001, 0.0001],
                                                                        num_iterations=1500)}
    # "0.01 falls fastest, 0.0001 has hardly started after 1500 iterations"
    assert runs[0.01].costs[-1] < runs[0.001].costs[-1] < runs[0.0001].costs[-1]
    assert runs[0.0001].diagnosis.status == "slow"


def test_train_try_this_alpha_50_overshoots_then_settles():
    text = " ".join(try_this_text(open_page("pages/train.py")).split())
    assert "raise α to 50 and train: J leaps far above its start and bounces for a few hundred steps, then settles near 0" in text
    assert "saws" not in text  # what it said before: the curve does not go up and down to the end
    r = training.train(_digits_default(), learning_rate=50.0, num_iterations=2000)  # the page's default iterations
    c = np.array(r.costs)
    rises = np.flatnonzero(np.diff(c) > 1e-9 * c.max()) * r.record_every  # the steps where J went up
    assert c.max() > 10 * c[0] and rises[0] < 10  # a leap in the first steps ...
    assert len(rises) >= 5 and 100 <= rises[-1] < 1000  # ... bouncing for a few hundred steps ...
    assert c[-1] < 0.01  # ... then settled near 0
    assert r.diagnosis.status == "converging" and "The first steps overshot" in r.diagnosis.message


def test_train_try_this_xor_no_line_whatever_alpha():
    X, Y = datasets.make_xor(200, noise=0.2, seed=0)
    ts = training.from_points(X, Y)
    for lr in (0.005, 0.5, 5.0):
        r = training.train(ts, learning_rate=lr, num_iterations=2000)
        Z = r.w.T @ ts.X_train + r.b
        d = diagnose(r.costs, Z=Z, Y=ts.Y_train, record_every=r.record_every)
        assert d.status == "cannot-separate" and r.test_accuracy < 80, (lr, d)


def test_classify_try_this_threshold_turns_the_verdict_right_and_a_real_0_wrong():
    """Every number in the Classify Try-this is read from the page's text and checked on the page."""
    from tests.app.conftest import shown

    at = open_page("pages/classify.py")
    text = try_this_text(at)
    right, wrong = "a digit other than 0 (label 0)", "digit 0 (label 1)"
    m = re.search(r"open test example (\d+) \(a (\d) that the neuron finds rather 0-like: ŷ = ([0-9.]+), so at "
                  r"threshold 0\.50 it is called (.+?), wrong\) and raise the threshold until the verdict turns right: "
                  r"from ([0-9.]+) on it is (.+?)\. Then look at example (\d+) \(a real 0, ŷ = ([0-9.]+)\) at that "
                  r"threshold: it turns wrong", text)
    assert m, text
    k, digit, y, called, t, now, j, yj = m.groups()
    assert (called, now) == (wrong, right)

    def show(example, threshold):
        at.number_input(key="example").set_value(int(example)).run()
        at.slider(key="threshold").set_value(float(threshold)).run()
        assert not at.exception
        said = "\n".join(x.value for x in at.markdown)
        return shown(at.metric[0].value), "**Right**" in said, said

    verdict_, ok, said = show(k, 0.5)
    assert (verdict_, ok) == (wrong, False) and f"(the digit {digit})" in said
    assert f"{float(values(chart_spec(at, 'verdict_chart')['data'][0]['x'])[0]):.4f}" == y
    assert show(k, t)[:2] == (right, True)  # raised to t: right
    assert show(k, round(float(t) - 0.01, 2))[:2] == (wrong, False)  # t is the lowest that does it
    verdict_, ok, said = show(j, 0.5)
    assert (verdict_, ok) == (wrong, True) and "(the digit 0)" in said  # a real 0, right at 0.5 ...
    assert f"{float(values(chart_spec(at, 'verdict_chart')['data'][0]['x'])[0]):.4f}" == yj
    assert show(j, t)[:2] == (right, False)  # ... wrong at t


# --------------------------------------------------------------------------- icons


def _icons(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg in ("icon", "page_icon") and isinstance(kw.value, ast.Constant):
                    out.append(kw.value.value)
    return out


@pytest.mark.parametrize("name", ["streamlit_app.py", "ui/widgets.py", "pages/home.py", "pages/loss.py",
                                  "pages/sigmoid.py", "pages/vectorization.py", "pages/broadcasting.py",
                                  "pages/images.py", "pages/train.py", "ui/train_sources.py", "ui/train_run.py",
                                  "pages/classify.py"])
def test_icons_are_material_symbols_not_emoji(name):
    """Emoji draw as empty boxes where the browser has no emoji font; Material icons ship with Streamlit."""
    from streamlit.material_icon_names import ALL_MATERIAL_ICONS

    for icon in _icons(ROOT / name):
        m = re.fullmatch(r":material/([a-z0-9_]+):", icon)
        assert m and m.group(1) in ALL_MATERIAL_ICONS, (name, icon)


def test_train_diagnosis_icons_are_material_symbols():
    """ui.train_run shows a diagnosis with an icon per level, picked from a dict (not a literal the test above sees)."""
    from streamlit.material_icon_names import ALL_MATERIAL_ICONS

    from ui.train_run import ICONS

    assert set(ICONS) == {"success", "info", "warning", "error"}
    for icon in ICONS.values():
        assert icon.startswith(":material/") and icon[10:-1] in ALL_MATERIAL_ICONS, icon

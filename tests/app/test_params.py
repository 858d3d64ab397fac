"""Links (query parameters) checked by ui/params.py before any widget sees them: what is dropped, what is said, and
what it costs. The rules per value are also tested in tests/test_hostile.py; these tests open pages."""

from __future__ import annotations

import copy

import pytest
from streamlit.runtime.state.query_params import QueryParams

from ui import params

from .conftest import open_page, shown

SIGMOID = "pages/sigmoid.py"


def _warned(at) -> str:
    return " ".join(shown(w.value) for w in at.warning)


@pytest.fixture
def url_messages(monkeypatch):
    """Counts the messages that send the whole query string to the browser (one per change of st.query_params)."""
    sent = []
    original = QueryParams._send_query_param_msg

    def counted(self):
        sent.append(len(self._query_params))
        return original(self)

    monkeypatch.setattr(QueryParams, "_send_query_param_msg", counted)
    return sent


def test_many_bad_keys_are_dropped_with_one_message_to_the_browser(url_messages):
    # Each message holds the whole remaining query string: one per bad key made a long link cost quadratic time.
    query = {f"k{i}": "9" * 40 for i in range(params.MAX_KEYS)}  # absurdly long numbers, as many keys as allowed
    at = open_page(SIGMOID, query)
    assert len(url_messages) <= 2, url_messages  # the cleaning sends one (the page itself may send another)
    warned = _warned(at)
    assert "Ignored from the link" in warned and "k0" in warned
    assert f"and {params.MAX_KEYS - 5} more" in warned  # five are listed, the rest counted
    assert not any(k in at.query_params for k in query)


def test_a_link_with_more_keys_than_any_page_uses_is_dropped_whole(url_messages):
    query = {f"k{i}": "1" for i in range(999)}  # with w: 1,000 keys, the most Streamlit accepts
    query["w"] = "2.5"  # a good value in such a link is dropped too: the link is not a page's state
    at = open_page(SIGMOID, query)
    warned = _warned(at)
    assert "Ignored the whole link" in warned and "1,000 parameters" in warned
    assert not any(k in at.query_params for k in query)
    assert at.slider(key="w").value == 1.5  # the default
    assert len(url_messages) <= 2, url_messages


def test_the_key_cap_is_far_above_what_any_page_binds():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for page in sorted((root / "pages").glob("*.py")):
        src = "".join(p.read_text() for p in [page, *sorted((root / "ui").glob(f"{page.stem}_*.py"))])
        # the page's controls plus the links' own (check, qseed, run), with room to spare
        assert 2 * (src.count('bind="query-params"') + 3) <= params.MAX_KEYS, page.name


@pytest.mark.parametrize("text", ["١٢", "１２", "٣.٥", "1_0", "1_000.5", "-1_0", "1e1_0"])
def test_numbers_are_read_in_ascii_digits_only(text):
    # Python's int() and float() read any Unicode digit and underscores between digits; a link's number must
    # look like one to the teacher who wrote it
    for key, bound in (("z", None), ("digit", params.BOUNDS["images"]["digit"]), ("name_0", None)):
        why = params.why_ignored(key, text, bound)
        assert (why is None) if key in params.TEXT_KEYS else why is not None, (key, text, why)


@pytest.mark.parametrize("text", ["12", "+12", " 7 ", "-3", "0.5", ".5", "5.", "1e2", "-1.5E-3"])
def test_ascii_numbers_still_pass(text):
    assert params.why_ignored("z_extreme", text, None) is None


@pytest.mark.parametrize("page, query, key, default", [
    ("pages/images.py", {"picture": "digit", "digit": "١٢"}, "digit", 0),
    ("pages/sigmoid.py", {"z_extreme": "1_0"}, "z_extreme", -800.0),
    ("pages/train.py", {"positive": "١"}, "positive", 3),
])
def test_a_link_with_non_ascii_digits_keeps_the_default_and_says_so(page, query, key, default):
    at = open_page(page, query)
    widget = {w.key: w for kind in ("number_input", "selectbox") for w in at.get(kind)}[key]
    assert widget.value == default
    assert key in _warned(at) and "0-9" in _warned(at)


# --------------------------------------------------------------------------- sliders: range and steps


def _evaluate(node, consts: dict):
    """A number written as a literal, a module constant or + - * of those; None otherwise (``n_x - 60``)."""
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.USub: operator.neg,
           ast.UAdd: operator.pos}
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return node.value
    if isinstance(node, ast.Name):
        return consts.get(node.id)
    if isinstance(node, ast.UnaryOp) and type(node.op) in ops:
        v = _evaluate(node.operand, consts)
        return None if v is None else ops[type(node.op)](v)
    if isinstance(node, ast.BinOp) and type(node.op) in ops:
        left, right = _evaluate(node.left, consts), _evaluate(node.right, consts)
        return None if left is None or right is None else ops[type(node.op)](left, right)
    return None


def _is_url_bound(call) -> bool:
    import ast

    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr in ("slider", "number_input")
            and any(k.arg == "bind" and isinstance(k.value, ast.Constant) and k.value.value == "query-params"
                    for k in call.keywords))


def _bound_widget_calls(tree):
    """Every URL-bound ``.slider`` / ``.number_input`` call in a module, as written, and as drawn through a module
    helper (Backprop's ``_number(label, key, default, limit, step)``): each call of the helper gives its widget call
    with the helper's parameters replaced by the arguments of that call (defaults included)."""
    import ast

    helpers = {}
    for fn in tree.body:
        if isinstance(fn, ast.FunctionDef):
            params = [a.arg for a in fn.args.args]
            for call in ast.walk(fn):
                if _is_url_bound(call) and any(isinstance(n, ast.Name) and n.id in params for n in ast.walk(call)):
                    helpers[fn.name] = (fn, call)
    for call in ast.walk(tree):
        if _is_url_bound(call) and not any(call is c for _, c in helpers.values()):
            yield call
        elif isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in helpers:
            fn, inner = helpers[call.func.id]
            params = [a.arg for a in fn.args.args]
            given = dict(zip(params[len(params) - len(fn.args.defaults):], fn.args.defaults, strict=True))
            given |= dict(zip(params[:len(call.args)], call.args, strict=True)) | {k.arg: k.value for k in call.keywords}

            class Substitute(ast.NodeTransformer):
                def visit_Name(self, node, given=given):
                    return given.get(node.id, node)

            yield Substitute().visit(copy.deepcopy(inner))


def _url_bound_numbers():
    """(page, key, widget, kind, lo, hi, step) for every ``.slider`` and ``.number_input`` with
    ``bind="query-params"`` and a literal key in pages/*.py and the ui/ modules that draw a page's controls
    (ui/<page>_*.py), directly or through a module helper, read from the source: a number that is not a literal or a
    module constant (Images' ``n_x - 60``) is None."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pages = {p.stem for p in (root / "pages").glob("*.py")}
    found = []
    for path in sorted([*(root / "pages").glob("*.py"), *(root / "ui").glob("*.py")]):
        tree = ast.parse(path.read_text())
        consts = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                if (v := _evaluate(node.value, consts)) is not None:
                    consts[node.targets[0].id] = v

        def value(node, consts=consts):
            return None if node is None else _evaluate(node, consts)

        for call in _bound_widget_calls(tree):
            kw = {k.arg: k.value for k in call.keywords}
            if not isinstance(kw.get("key"), ast.Constant):
                continue
            page = path.stem if path.parent.name == "pages" else path.stem.split("_")[0]
            assert page in pages, f"{path.name} draws a URL-bound slider for no page; teach this test its page"
            args = [*call.args, None, None, None, None][1:4]
            lo, hi = value(kw.get("min_value", args[0])), value(kw.get("max_value", args[1]))
            start, step = value(kw.get("value", args[2])), value(kw.get("step"))
            # Streamlit makes the widget a float if any of its numbers is one
            kind = float if any(isinstance(n, float) for n in (lo, hi, start, step)) else int
            step = step or (1 if kind is int else 0.01)  # Streamlit's default steps
            found.append((page, kw["key"].value, call.func.attr, kind, lo, hi, step))
    return found


def test_every_url_bound_slider_and_number_input_is_in_the_bound_table_with_its_range_and_step():
    found = _url_bound_numbers()
    assert sum(w == "slider" for _, _, w, *_ in found) >= 20  # the parser found them (Sigmoid alone has four)
    assert sum(w == "number_input" for _, _, w, *_ in found) >= 8
    for page, key, widget, kind, lo, hi, step in found:
        bound = params.BOUNDS.get(page, {}).get(key)
        assert bound is not None, f"{page}: {widget} {key!r} is bound to the URL but not in ui.params.BOUNDS"
        assert (bound.kind, bound.lo) == (kind, lo), (page, key, bound)
        assert bound.hi == hi or (hi is None and (page, key) in {("images", "start"), ("classify", "example")}), \
            (page, key, bound)
        if widget == "slider":
            assert (bound.step or 1) == step, (page, key, bound)
        else:  # a number input takes any value in range: its step is only what its +/- buttons add
            assert bound.step is None, (page, key, bound)


def test_images_start_bound_covers_the_largest_picture():
    import re
    from pathlib import Path

    src = (Path(__file__).resolve().parents[2] / "pages" / "images.py").read_text()
    side = int(re.search(r"^MAX_SIDE = (\d+)", src, re.M).group(1))
    assert params.BOUNDS["images"]["start"].hi == side * side * 3 - 60  # the slider's max for a full-size RGB picture


@pytest.mark.parametrize("key, text, bound", [
    ("threshold", "0.8614", ("classify", "threshold")), ("threshold", "0.333", ("classify", "threshold")),
    ("threshold", "0.8600000001", ("classify", "threshold")), ("start", "4", ("images", "start")),
    ("points", "25", ("train", "points")), ("noise", "0.07", ("train", "noise")),
    ("per_class", "65", ("train", "per_class")), ("w", "0.05", ("sigmoid", "w")), ("z_range", "-3.2", ("sigmoid", "z_range")),
    ("y_hat", "0.8005", ("loss", "y_hat")), ("w0", "-3.9", ("loss", "w0")), ("bp_w1", "0.25", ("backprop", "bp_w1")),
])
def test_a_value_between_a_sliders_steps_is_ignored(key, text, bound):
    assert "steps" in params.why_ignored(key, text, params.BOUNDS[bound[0]][bound[1]])


@pytest.mark.parametrize("key, text, bound", [
    ("threshold", "0.86", ("classify", "threshold")), ("threshold", "0.99", ("classify", "threshold")),
    ("threshold", "0.01", ("classify", "threshold")), ("threshold", "0.3", ("classify", "threshold")),
    ("start", "30", ("images", "start")), ("points", "120", ("train", "points")), ("noise", "0.35", ("train", "noise")),
    ("noise", "2", ("train", "noise")), ("w", "-2.5", ("sigmoid", "w")), ("z", "-1.5", ("sigmoid", "z")),
    ("y_hat", "0.3", ("loss", "y_hat")), ("y_hat", "0.999", ("loss", "y_hat")), ("w0", "-4", ("loss", "w0")),
    ("bp_bias", "-19.9", ("backprop", "bp_bias")), ("train_threshold", "0.57", ("train", "train_threshold")),
])
def test_a_value_on_a_sliders_steps_passes(key, text, bound):
    assert params.why_ignored(key, text, params.BOUNDS[bound[0]][bound[1]]) is None


@pytest.mark.parametrize("page, query, key, default", [
    ("pages/classify.py", {"example": "49", "threshold": "0.8614"}, "threshold", 0.5),
    ("pages/images.py", {"start": "4"}, "start", 0),
    ("pages/sigmoid.py", {"z": "-0.04"}, "z", 2.0),
    ("pages/train.py", {"data": "toy", "points": "25"}, "points", 200),
])
def test_a_link_between_a_sliders_steps_keeps_the_default_and_says_so(page, query, key, default):
    # /classify?example=49&threshold=0.8614 printed the rule "decide 1 if ŷ > 0.86" and then "ŷ = 0.8611 ⇒ 0"
    at = open_page(page, query)
    assert at.slider(key=key).value == default
    warned = _warned(at)
    assert "Ignored from the link" in warned and key in warned and "steps" in warned
    assert key not in at.query_params


# --------------------------------------------------------------------------- minus zero


@pytest.mark.parametrize("text, plain", [("-0", "0"), ("-0.0", "0.0"), (" -0 ", "0"), ("-.0", ".0"),
                                         ("-0e5", "0e5"), ("-1e-400", "1e-400"), ("-0.5", None), ("0", None),
                                         ("-", None), ("x-0", None)])
def test_minus_zero_is_written_without_its_sign(text, plain):
    assert params.unsigned_zero(text) == (plain if plain is not None else text)


def test_a_link_with_minus_zero_opens_with_plain_zero_and_no_notice():
    # /sigmoid?w=-0 titled its chart "w = -0, b = 0": float("-0") is -0.0, and Python prints its sign
    import math

    at = open_page(SIGMOID, {"w": "-0", "b": "-0.0", "z_range": ["-0", "5"], "z_extreme": "-0"})
    values = [at.slider(key="w").value, at.slider(key="b").value, *at.slider(key="z_range").value,
              at.number_input(key="z_extreme").value]
    assert values == [0, 0, 0, 5, 0] and all(math.copysign(1, v) == 1 for v in values), values
    assert at.query_params["w"] in ("0", ["0"]) and at.query_params["z_range"] == ["0", "5"]
    assert not at.warning
    at = open_page("pages/loss.py", {"w0": "-0", "b0": "-0", "steps": "0"})
    assert all(math.copysign(1, at.slider(key=k).value) == 1 for k in ("w0", "b0"))


@pytest.mark.parametrize("page, query, key, default", [
    ("pages/sigmoid.py", {"z_extreme": "2e6"}, "z_extreme", -800.0),
    ("pages/sigmoid.py", {"z_extreme": "-1000000.5"}, "z_extreme", -800.0),
])
def test_a_number_input_out_of_its_range_keeps_the_default_and_says_so(page, query, key, default):
    at = open_page(page, query)
    assert at.number_input(key=key).value == default
    warned = _warned(at)
    assert "Ignored from the link" in warned and key in warned and "outside" in warned


@pytest.mark.parametrize(("key", "value"), [("bp_a", "250"), ("bp_c", "-101"), ("bp_x1", "21"), ("bp_x2", "-1e5")])
def test_backprop_number_boxes_outside_their_range_are_named(key, value):
    """Backprop's number boxes were reset silently: a link's value outside the box's range is now named."""
    at = open_page("pages/backprop.py", {key: value})
    warned = " ".join(shown(w.value) for w in at.warning)
    assert "Ignored from the link" in warned and key in warned
    inside = open_page("pages/backprop.py", {key: "7.25"})
    assert not inside.warning and inside.number_input(key=key).value == 7.25

"""Widget keys are unique across pages: session state is one namespace for the whole app.

A key used on two pages carries its value from one to the other (an `m` of 501 from Vectorization
crashed Images, whose `m` goes to 8). Chart keys are exempt: charts hold no state here. Widgets drawn by
``ui/`` modules for a page (e.g. ui/train_sources.py) are read too: each file is one owner.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "pages"
UI = ROOT / "ui"
CHART_CALLS = {"chart", "plotly_chart"}


def _name(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def widget_keys(path: Path) -> set[str]:
    keys = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and _name(node.func) not in CHART_CALLS:
            for kw in node.keywords:
                if kw.arg == "key" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    keys.add(kw.value.value)
    return keys


def test_no_widget_key_is_shared_by_two_pages():
    owners = defaultdict(list)
    for path in [*sorted(PAGES.glob("*.py")), *sorted(UI.glob("*.py"))]:
        for key in widget_keys(path):
            owners[key].append(f"{path.parent.name}/{path.name}")
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared, f"widget keys used on several pages: {shared}"


def test_the_check_sees_the_keys():
    keys = widget_keys(PAGES / "train.py") | widget_keys(UI / "train_sources.py") | widget_keys(UI / "train_run.py")
    assert {"data", "alpha", "train", "zip", "train_threshold"} <= keys and "cost_chart" not in keys
    assert {"data", "zip"} <= widget_keys(UI / "train_sources.py")  # keys drawn by a ui/ module are seen

"""Session isolation: what ``st.cache_resource`` holds is one object handed to every visitor (no copy), so every
NumPy array in it must be read-only; a page that wrote into one would change the numbers other visitors see."""

from __future__ import annotations

import ast
import dataclasses

import numpy as np
import pytest
from streamlit.runtime.caching.cache_resource_api import _resource_caches

from .conftest import ROOT, open_page

#: Each page as a first visitor opens it, plus the links that fill the other shared caches (Classify's default
#: model, a toy set, the Vectorization timings' vectors).
VISITS = [
    ("pages/sigmoid.py", {}), ("pages/loss.py", {}), ("pages/backprop.py", {}), ("pages/broadcasting.py", {}),
    ("pages/images.py", {}), ("pages/vectorization.py", {"n_x": "3", "m": "7"}),
    ("pages/classify.py", {"source": "example"}), ("pages/train.py", {}), ("pages/train.py", {"source": "toy"}),
]


def _arrays(value, path="", seen=None, depth=0):
    """(path, array) for every NumPy array reachable from ``value`` through tuples, lists, dicts, dataclasses
    and plain objects' attributes."""
    seen = set() if seen is None else seen
    if id(value) in seen or depth > 6:
        return
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, (tuple, list)):
        for i, v in enumerate(value):
            yield from _arrays(v, f"{path}[{i}]", seen, depth + 1)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _arrays(v, f"{path}[{k!r}]", seen, depth + 1)
    elif dataclasses.is_dataclass(value) or hasattr(value, "__dict__"):
        fields = ({f.name: getattr(value, f.name) for f in dataclasses.fields(value)} if dataclasses.is_dataclass(value)
                  else vars(value))
        for k, v in fields.items():
            if not callable(v) or isinstance(v, np.ndarray):
                yield from _arrays(v, f"{path}.{k}", seen, depth + 1)


def _cached_values():
    """(function name, value) for every entry of every st.cache_resource in this process."""
    for caches in list(_resource_caches._function_caches.values()):
        for cache in list(caches.values()):
            for result in list(cache._mem_cache.values()):
                yield cache.display_name, result.value


def test_the_walk_finds_a_writeable_array():
    """The check below can fail: a writeable array in a tuple inside a dataclass is found."""

    @dataclasses.dataclass
    class Box:
        pair: tuple

    found = list(_arrays(Box(pair=(1, np.zeros(3)))))
    assert [(p, a.flags.writeable) for p, a in found] == [(".pair[1]", True)]


@pytest.mark.parametrize(("page", "query"), VISITS, ids=[f"{p}{q}" for p, q in VISITS])
def test_every_shared_array_is_read_only(page, query):
    open_page(page, query, timeout=120)
    values = list(_cached_values())
    assert values, "no st.cache_resource entry was filled: the walk would check nothing"
    writeable = [f"{name}{path}" for name, value in values for path, a in _arrays(value) if a.flags.writeable]
    assert not writeable, f"writeable arrays shared by every visitor: {writeable}"


def test_every_cache_keyed_by_arguments_is_bounded():
    """A cache whose function takes arguments gets a new entry for each value a visitor (or a link) sends; shared by
    every visitor, it must evict (max_entries). Images' digit_batch had no bound: 70,000 (m, seed) pairs of ~19 kB."""
    unbounded = []
    for path in [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "streamlit_app.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef) or not (node.args.args or node.args.kwonlyargs):
                continue
            for dec in node.decorator_list:
                call = dec if isinstance(dec, ast.Call) else None
                target = call.func if call else dec
                if isinstance(target, ast.Attribute) and target.attr in ("cache_data", "cache_resource"):
                    if call is None or "max_entries" not in {k.arg for k in call.keywords}:
                        unbounded.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not unbounded, f"caches keyed by arguments without max_entries: {unbounded}"

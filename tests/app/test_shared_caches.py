"""Session isolation: what ``st.cache_resource`` holds is one object handed to every visitor (no copy), so every
NumPy array in it must be read-only; a page that wrote into one would change the numbers other visitors see."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from streamlit.runtime.caching.cache_resource_api import _resource_caches

from .conftest import open_page

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

"""Show the NumPy code that really runs: the source of logreg functions, not a retyped copy."""

from __future__ import annotations

import inspect
import textwrap
from functools import lru_cache

import streamlit as st


@lru_cache(maxsize=128)
def source_of(obj) -> str:
    """The source text of a function or class, dedented (read once per process)."""
    return textwrap.dedent(inspect.getsource(obj))


def show_code(*objs, caption: str | None = None) -> None:
    """Render the source of each object with ``st.code``, captioned with where it lives."""
    for obj in objs:
        st.code(source_of(obj), language="python")
        where = f"`{obj.__module__}.{obj.__qualname__}`"
        st.caption(caption or f"The code above is {where}, read from the package at run time.")

"""Show the NumPy code that really runs: the source of logreg functions, not a retyped copy."""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from functools import lru_cache

import streamlit as st


@lru_cache(maxsize=128)
def source_of(obj) -> str:
    """The source text of a function or class, dedented (read once per process)."""
    return textwrap.dedent(inspect.getsource(obj))


def show_code(*objs, caption: str | None = None) -> None:
    """Render the source of each object with ``st.code``, captioned with where it lives."""
    for obj in objs:
        # Wrapped, not scrolled: a scrolling code box in a narrow column is a region no key can reach.
        st.code(source_of(obj), language="python", wrap_lines=True)
        where = f"`{obj.__module__}.{obj.__qualname__}`"
        # Body text, not st.caption: inline code inside a caption is drawn at 3.0:1 (WCAG AA needs 4.5:1).
        st.markdown(caption or f"The code above is {where}, read from the package at run time.")


def drawn_when_open(label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander, closed at first, whose content ``draw()`` makes only while it is open.

    Opening it reruns the page (or the fragment it is in) with the content. Closed, its code blocks are neither
    built nor sent: a first visit then does not load and run the browser's syntax highlighter (1.5 MB) for listings
    nobody opened, which measured 0.25-0.4 s of a fresh browser's 3 s on this machine (bench/hosting.py).
    """
    box = st.expander(label, key=key, on_change="rerun")
    if box.open:
        with box:
            draw()


def code_expander(label: str, *objs, key: str, note: str | None = None) -> None:
    """:func:`show_code` of ``objs`` (then ``note``, if any) in an expander drawn only while open."""

    def draw() -> None:
        show_code(*objs)
        if note:
            st.markdown(note)

    drawn_when_open(label, key, draw)

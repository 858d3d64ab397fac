"""Small shared pieces for the concept pages (Streamlit only, no math)."""

from __future__ import annotations

import time

import plotly.graph_objects as go
import streamlit as st


def chart(fig: go.Figure, key: str) -> None:
    """A Plotly chart in Streamlit's theme (readable in light and dark mode), full width."""
    st.plotly_chart(fig, theme="streamlit", key=key, width="stretch")


def try_this(text: str) -> None:
    """The page's short "try this" prompt."""
    st.info(f"**Try this:** {text}", icon="🧪")


def best_time(func, *args, repeat: int = 3, budget_s: float = 2.0) -> tuple[float, object]:
    """Best wall time of ``func(*args)`` over up to ``repeat`` runs (fewer if a run is slow), and its result.

    The best, not the mean: other work on a shared machine only ever adds time.
    """
    best, result, spent = float("inf"), None, 0.0
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func(*args)
        dt = time.perf_counter() - t0
        best, spent = min(best, dt), spent + dt
        if spent > budget_s:
            break
    return best, result

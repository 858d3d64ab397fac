"""Small shared pieces for the concept pages (Streamlit only, no math)."""

from __future__ import annotations

import html
import re
import time

import plotly.graph_objects as go
import streamlit as st

from . import alt_text


def chart(fig: go.Figure, key: str, summary: str | None = None, *, toolbar: bool | None = None) -> None:
    """A Plotly chart in Streamlit's theme (readable in light and dark mode), full width, with its text alternative.

    The chart is named by its title (``alt=``, announced as a figure by assistive technology) and followed by
    ``summary``: one sentence saying what it shows now, in body text. By default both ``summary`` and ``toolbar``
    (keep Plotly's mode bar) come from the figure builder (``ui.alt_text.describe``).
    """
    summary = summary if summary is not None else alt_text.summary_of(fig)
    toolbar = alt_text.wants_toolbar(fig) if toolbar is None else toolbar
    name = re.sub(r"<[^>]+>", " ", alt_text.title_of(fig)).strip() or summary
    config = {"displaylogo": False} if toolbar else {"displayModeBar": False}  # Plotly's default: on hover
    st.plotly_chart(fig, theme="streamlit", key=key, width="stretch", alt=name, config=config)
    if summary:
        with st.container(key=f"{key}_summary"):
            st.markdown(alt_text.escape_markdown(summary))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def plain(text: str) -> str:
    """``text`` for a markdown string, shown as typed: every markdown, LaTeX and emoji-shortcode sign
    escaped, line breaks made spaces. For text from files or links (class names, URL values), which
    must never become a link, an image or a heading."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _is_number(cell) -> bool:
    try:
        float(str(cell).replace(",", "").replace("−", "-"))
    except ValueError:
        return False
    return True


def markdown_table(columns: dict) -> str:
    """``columns`` (a header -> the column's cells, all of one length) as a markdown table, every cell shown as
    typed (:func:`plain`); a column of numbers is aligned right."""
    heads = list(columns)
    cells = [[str(c) for c in columns[h]] for h in heads]
    if len({len(col) for col in cells}) > 1:
        raise ValueError(f"the columns of a table must have one length; got {[len(col) for col in cells]}")
    align = ["---:" if col and all(_is_number(c) for c in col) else "---" for col in cells]
    lines = ["| " + " | ".join(plain(h) or " " for h in heads) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(plain(c) for c in row) + " |" for row in zip(*cells, strict=True)]
    return "\n".join(lines)


def table(columns: dict) -> None:
    """A small table of text and numbers, drawn as markdown. Not ``st.table``: that one sends the data as an Arrow
    table, which costs the server pandas and pyarrow (about 80 MB and 0.4 s to import in a process) and every
    first visit the browser's 0.9 MB Arrow reader, for tables of a few cells."""
    st.markdown(markdown_table(columns))


def chart_text(names) -> tuple[str, ...]:
    """Names for a Plotly chart, shown as typed: Plotly draws tags such as ``<a href>`` and ``<b>`` in its
    text, so ``<``, ``>`` and ``&`` are escaped (Plotly shows the entities as the signs)."""
    return tuple(html.escape(str(n), quote=False) for n in names)


def try_this(text: str) -> None:
    """The page's short "try this" prompt."""
    st.info(f"**Try this:** {text}", icon=":material/science:")


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


def ensure_entry_navigation() -> None:
    """Hand a page run by Streamlit's pages/ auto-discovery over to ``streamlit_app.py``.

    Call it first in every page. Until some session has run ``st.navigation``, a
    Streamlit process treats the ``pages/`` folder as a v1 multipage app: a first
    visitor landing on ``/sigmoid`` gets ``pages/sigmoid.py`` run on its own, with
    the auto-discovered menu (including "home" and "streamlit app"), no page config
    and no sections. Switching the discovery off and rerunning makes the entry
    script run instead; it then registers our pages and opens the same URL, since
    each ``url_path`` equals its file's stem. (Relies on Streamlit 1.67's
    ``PagesManager.uses_pages_directory`` flag, which ``st.navigation`` also clears;
    tests/app/test_shell.py checks it.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def session_memo(store_key: str, key, load, *, size: int, heavy: str | None = None):
    """``load()`` remembered in this visitor's session under ``key``, keeping the last ``size`` entries.

    Returns ``(True, value)``, or ``(False, message)`` for an expected error (a ``ValueError``, which
    ``ImageError`` and ``ModelFileError`` are), remembered too so a bad upload is not decoded again on
    every rerun. Uploads are the visitor's own: they live here, never in a cache shared by sessions.
    ``heavy`` names the work (e.g. "zip decoding") when ``load`` may be slow: it then runs in one of the
    process's few heavy-work slots (:func:`ui.limits.heavy_slot`); a server too busy to give one is
    reported and not remembered, so the next rerun tries again.
    """
    from ui.limits import ServerBusy, heavy_slot

    store = st.session_state.setdefault(store_key, {})
    if key not in store:
        try:
            if heavy is None:
                value = load()
            else:
                with heavy_slot(heavy):
                    value = load()
            store[key] = (True, value)
        except ServerBusy as exc:
            return False, str(exc)
        except ValueError as exc:
            store[key] = (False, str(exc))
        while len(store) > size:
            store.pop(next(iter(store)))
    return store[key]

"""Show the NumPy code that really runs: the source of logreg functions, not a retyped copy.

Listings are coloured here, in Python, and drawn as plain HTML (``st.html``), not with ``st.code``. The first
``st.code`` on a page makes the browser load and run Streamlit's syntax highlighter (1.5 MB of JavaScript, every
language it knows): 0.35-0.45 s of a fresh browser's main thread on this machine, on the pages whose listings
are part of the first view (Sigmoid, Backprop, Vectorization, Broadcasting). Python's own tokenizer marks the
same kinds of token here, for 1.5-4 ms of server time per listing the first time it is drawn (then cached).
"""

from __future__ import annotations

import html
import inspect
import io
import keyword
import textwrap
import tokenize
from collections.abc import Callable
from functools import lru_cache

import streamlit as st

#: Token kinds and their colours, (light theme, dark theme). Each reaches WCAG AA's 4.5:1 on the listing's
#: background in its theme (LISTING_BG: >= 4.8:1 on #fcfcfb, >= 4.9:1 on #22211e), checked by
#: tests/test_code_listing.py and by axe-core on every page in tests/e2e/test_a11y.py. The text between tokens (names, punctuation) keeps the theme's text colour.
TOKEN_COLOURS = {
    "kw": ("#0b5cad", "#58a6ff"),     # keywords; the name a def or class introduces; a called name
    "const": ("#177233", "#21c354"),  # True, False, None
    "str": ("#177233", "#09ab3b"),    # strings and docstrings
    "num": ("#246e69", "#29b09d"),    # numbers
    "op": ("#a34700", "#ed6f13"),     # operators and decorators
    "com": ("#5c6070", "#a0a4b5"),    # comments
}
#: The listing's background, as st.code's in each theme.
LISTING_BG = ("#fcfcfb", "#22211e")

#: Drawn once per run by streamlit_app.py (a style-only st.html takes no space). Lines wrap rather than scroll:
#: a scrolling box in a narrow column would be a region no key can reach (WCAG 2.1.1).
LISTING_CSS = "<style>\n" + "\n".join([
    ".stApp pre.lr-code { margin: 0; padding: 16px; border-radius: 8px; "
    f"background: light-dark({LISTING_BG[0]}, {LISTING_BG[1]}); "
    'font-family: "Source Code Pro", monospace; font-size: 14px; line-height: 1.6; '
    "white-space: pre-wrap; overflow-wrap: anywhere; }",
    ".stApp pre.lr-code code { font: inherit; background: none; padding: 0; color: inherit; white-space: inherit; }",
    *(f".stApp pre.lr-code .{kind} {{ color: light-dark({light}, {dark}); }}"
      for kind, (light, dark) in TOKEN_COLOURS.items()),
]) + "\n</style>"

_STRING_TOKENS = {tokenize.STRING} | {getattr(tokenize, n) for n in
                                      ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END",
                                       "TSTRING_START", "TSTRING_MIDDLE", "TSTRING_END") if hasattr(tokenize, n)}
_PUNCTUATION = {"(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "..."}


def _kinds(tokens: list[tokenize.TokenInfo]) -> list[str | None]:
    """The TOKEN_COLOURS kind of each token, or None for plain text (names, punctuation, whitespace)."""
    kinds: list[str | None] = []
    line_start, decorator = True, False  # a decorator is an @ at the start of a logical line, and its dotted name
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1].string if i else ""
        after = tokens[i + 1].string if i + 1 < len(tokens) else ""
        kind = None
        if tok.type == tokenize.COMMENT:
            kind = "com"
        elif tok.type in _STRING_TOKENS:
            kind = "str"
        elif tok.type == tokenize.NUMBER:
            kind = "num"
        elif decorator and (tok.type == tokenize.NAME or tok.string == "."):
            kind = "op"
        elif tok.type == tokenize.NAME:
            if tok.string in ("True", "False", "None"):
                kind = "const"
            elif keyword.iskeyword(tok.string) or prev in ("def", "class") or after == "(":
                kind = "kw"
        elif tok.type == tokenize.OP and tok.string not in _PUNCTUATION:
            kind = "op"
            decorator = tok.string == "@" and line_start
        kinds.append(kind)
        if tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            line_start, decorator = True, False
        elif tok.type != tokenize.COMMENT:
            line_start = False
            decorator = decorator and (tok.type == tokenize.NAME or tok.string in ("@", "."))
    return kinds


@lru_cache(maxsize=256)  # 1.5-4 ms for a function's source; a page's rerun draws the same listings again
def highlight(source: str, language: str | None = "python") -> str:
    """``source`` as HTML: every character escaped, Python tokens wrapped in ``<span class="kind">``.

    The text of the result (tags removed, entities read) is ``source`` exactly, whatever it holds: text that is
    not Python (or ``language`` other than "python") comes back escaped and uncoloured.
    """
    if language != "python":
        return html.escape(source, quote=False)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return html.escape(source, quote=False)
    starts = [0]  # offset of each line as the tokenizer read them (it splits at "\n" only)
    for line in io.StringIO(source).readlines():
        starts.append(starts[-1] + len(line))
    out, pos = [], 0
    for tok, kind in zip(tokens, _kinds(tokens), strict=True):
        if not kind or not tok.string:
            continue
        (r0, c0), (r1, c1) = tok.start, tok.end
        if r0 > len(starts) - 1 or r1 > len(starts) - 1:
            continue
        start, end = starts[r0 - 1] + c0, starts[r1 - 1] + c1
        if start < pos or source[start:end] != tok.string:
            continue  # a position the tokenizer counts differently (a form feed, say): leave it plain
        out.append(html.escape(source[pos:start], quote=False))
        out.append(f'<span class="{kind}">{html.escape(tok.string, quote=False)}</span>')
        pos = end
    out.append(html.escape(source[pos:], quote=False))
    return "".join(out)


def listing(source: str, language: str | None = "python") -> None:
    """A code listing: ``source`` in a monospace box, coloured by :func:`highlight` (no browser highlighter)."""
    st.html(f'<pre class="lr-code"><code>{highlight(source, language)}</code></pre>')


@lru_cache(maxsize=128)
def source_of(obj) -> str:
    """The source text of a function or class, dedented (read once per process)."""
    return textwrap.dedent(inspect.getsource(obj))


def show_code(*objs, caption: str | None = None) -> None:
    """A :func:`listing` of each object's source, captioned with where it lives."""
    for obj in objs:
        listing(source_of(obj))
        where = f"`{obj.__module__}.{obj.__qualname__}`"
        # Body text, not st.caption: inline code inside a caption is drawn at 3.0:1 (WCAG AA needs 4.5:1).
        st.markdown(caption or f"The code above is {where}, read from the package at run time.")


def drawn_when_open(label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander, closed at first, whose content ``draw()`` makes only while it is open.

    Opening it reruns the page (or the fragment it is in) with the content. Closed, its listings are neither
    built nor sent: a first visit does not carry the source of every function a page calls.
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

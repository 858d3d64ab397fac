"""ui.code.highlight: listings coloured on the server, so no page loads the browser's syntax highlighter.

The reader must see the source exactly (the code that ran, not a sibling of it), nothing in it may become
markup, and every colour must stay readable in both themes."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import logreg
from logreg import surfaces
from ui.code import LISTING_BG, TOKEN_COLOURS, highlight, source_of

SPAN = re.compile(r'<span class="([a-z]+)">([^<]*)</span>')


def text_of(markup: str) -> str:
    """What the reader sees: our spans removed, entities read."""
    return html.unescape(re.sub(r"</?span[^>]*>", "", markup))


def spans(markup: str) -> list[tuple[str, str]]:
    return [(kind, html.unescape(text)) for kind, text in SPAN.findall(markup)]


@given(st.text())
def test_any_text_reads_back_exactly_and_makes_no_markup_of_its_own(source):
    out = highlight(source)
    assert text_of(out) == source
    assert "<" not in re.sub(r'</?span( class="[a-z]+")?>', "", out)  # every < of the source is escaped


@pytest.mark.parametrize("obj", [logreg.sigmoid, logreg.sigmoid_naive, logreg.propagate, logreg.dot_loop,
                                 surfaces.gradient_descent_path, surfaces.propagate_steps])
def test_the_package_source_reads_back_exactly(obj):
    source = source_of(obj)
    out = highlight(source)
    assert text_of(out) == source
    assert ("kw", "def") in spans(out) and ("kw", obj.__name__) in spans(out)


def test_each_kind_of_token_gets_its_colour():
    out = spans(highlight('@st.fragment\ndef f(x=1.5):\n    """doc"""\n    return x @ w if x is not None else True  # c\n'))
    assert out == [
        ("op", "@"), ("op", "st"), ("op", "."), ("op", "fragment"),  # a decorator, whole
        ("kw", "def"), ("kw", "f"), ("op", "="), ("num", "1.5"),
        ("str", '"""doc"""'),
        ("kw", "return"), ("op", "@"), ("kw", "if"), ("kw", "is"), ("kw", "not"), ("const", "None"), ("kw", "else"),
        ("const", "True"), ("com", "# c"),
    ]


def test_a_called_name_is_marked_and_a_plain_name_is_not():
    assert spans(highlight("y = np.exp(-z)\n")) == [("op", "="), ("kw", "exp"), ("op", "-")]


def test_markup_in_the_source_is_shown_as_text():
    source = 's = "</code></pre><script>alert(1)</script>"  # <b>bold</b> & more\n'
    out = highlight(source)
    assert "<script" not in out and "<b>" not in out and "</pre>" not in out
    assert text_of(out) == source


def test_text_that_is_not_python_is_shown_plain():
    assert highlight("def (\n") == "def (\n"  # a tokenizer error: no colours, nothing lost
    assert highlight("[[1 < 2]]", language=None) == "[[1 &lt; 2]]"


def contrast(fg: str, bg: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    def lum(c):
        rgb = [int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in rgb]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("kind", sorted(TOKEN_COLOURS))
def test_every_token_colour_reaches_aa_contrast_in_both_themes(kind):
    for colour, background in zip(TOKEN_COLOURS[kind], LISTING_BG, strict=True):
        assert contrast(colour, background) >= 4.5, (kind, colour, background)

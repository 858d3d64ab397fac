"""The plural helper every counted sentence uses."""

from __future__ import annotations

import pytest

from logreg._text import noun, plural


@pytest.mark.parametrize(("count", "want"), [(0, "0 iterations"), (1, "1 iteration"), (2, "2 iterations"),
                                             (1000, "1000 iterations")])
def test_plural_agrees_with_the_count(count, want):
    assert plural(count, "iteration") == want


def test_plural_takes_an_irregular_form_and_a_number_format():
    assert plural(1, "example") == "1 example"
    assert plural(3, "was", "were") == "3 were"
    assert plural(12_288, "number", spec=",") == "12,288 numbers"
    assert noun(1, "was", "were") == "was" and noun(2, "was", "were") == "were"

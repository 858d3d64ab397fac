"""ui/arithmetic: printed sums that add up as printed, digit for digit."""

from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ui.arithmetic import apart, exact_sum, rounded_decimal, signed, update_latex


def test_fixed_never_prints_minus_zero():
    assert str(rounded_decimal(-0.0001, 3)) == "0.000" and str(rounded_decimal(-0.0006, 3)) == "-0.001"


def test_a_sum_gets_the_decimals_it_needs():
    # as on Classify's default example: at three decimals -6.9374 - 1.2524 read -6.937 - 1.252 = -8.190
    terms, total, exact = exact_sum([-6.9374, -1.2524], -6.9374 - 1.2524)
    assert exact and [signed(t) for t in terms] == ["-6.9374", "-1.2524"] and signed(total) == "-8.1898"
    terms, total, exact = exact_sum([1.5, 2.25], 3.75)  # already exact at three decimals
    assert exact and str(total) == "3.750"


def test_a_nonzero_term_never_prints_as_zero():
    terms, total, exact = exact_sum([2.0, 3e-7], 2.0 + 3e-7)
    assert exact and str(terms[1]) != "0E-7" and terms[1] != 0 and f"{terms[1]:f}" == "0.0000003"


def test_no_precision_up_to_eight_decimals_means_not_exact():
    terms, total, exact = exact_sum([1e-12, 1.0], 1.0 + 1e-12)
    assert not exact and f"{total:f}" == "1.000"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=4))
def test_an_exact_sum_adds_up_as_printed(xs):
    total = float(np.sum(xs))
    terms, shown_total, exact = exact_sum(xs, total)
    if exact:
        assert sum(terms, Decimal(0)) == shown_total
        assert all(t != 0 or x == 0 for t, x in zip(terms, xs, strict=True))


def _rows(rule):
    """(before, grad, product, relation, after) as printed."""
    import re

    num = r"(-?\d+\.\d+)"
    m = re.search(rf"&= {num} - \S+ \\times \({num}\) \\\\&(=|\\approx) {num} - \({num}\) \\\\ &(=|\\approx) {num}", rule)
    assert m, rule
    b, g, mid, b2, p, rel, a = m.groups()
    assert (mid == "=") == (Decimal(re.search(r"&= \S+ - (\S+) \\times", rule).group(1)) * Decimal(g) == Decimal(p))
    assert b == b2
    return Decimal(b), Decimal(g), Decimal(p), rel, Decimal(a)


def test_the_update_rule_adds_decimals_until_it_adds_up():
    before, grad, product, rel, after = _rows(update_latex("b", 9, 1.3656, 1.0, 0.1263, 1.3656 - 0.1263))
    assert rel == "=" and before - product == after and str(after) == "1.2393"  # 3 decimals: 1.366 − 0.126 = 1.239
    before, grad, product, rel, after = _rows(update_latex("w", 0, 2.0, 0.01, 3e-5, 2.0 - 3e-7))
    assert rel == "=" and product != 0 and before - product == after  # 3 decimals: 2.000 − (0.000) = 2.000


@settings(max_examples=300, deadline=None)
@given(st.floats(-10, 10), st.sampled_from([0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0]),
       st.floats(-1, 1))
def test_every_update_rule_adds_up_or_says_approximately(before, lr, grad):
    after = before - lr * grad
    b, g, p, rel, a = _rows(update_latex("w", 0, before, lr, grad, after))
    assert (rel == "=") == (b - p == a)
    if rel == "=":
        assert (Decimal(f"{lr:g}") * g).quantize(p) == p


def test_a_probability_never_prints_as_the_threshold_it_is_compared_with():
    assert apart(0.50004, 0.5) == "0.50004"  # "ŷ = 0.5000 ⇒ 1" beside "decide 1 if ŷ > 0.50" read false
    assert apart(0.49996, 0.5) == "0.49996" and apart(0.7312, 0.5) == "0.7312" and apart(0.5, 0.5) == "0.5000"
    assert apart(0.0102, 0.01, 3) == "0.0102"

"""The one place query-parameter values are checked, before any widget sees them.

Widgets bound to the URL (``bind="query-params"``) take their start value from the link. Streamlit
turns a number from the URL into an int with ``int(float(text))``, so ``?iters=inf``, ``-inf``,
``1e400`` or a 100,000-digit number replaced the page with an error box. :func:`clean_query_params`
runs in ``streamlit_app.py`` before the page: it drops every value that is not a finite number, written
with the digits 0-9, in the range of the control it feeds and on its steps if it is a slider (or, for keys
it does not know, any non-finite, absurdly long or non-ASCII number), and says on the page what it
ignored. The value left in the URL is the widget's own default. tests/app/test_params.py opens pages
with such links.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.state import get_session_state

from ui.widgets import plain

#: Longest number accepted from a link (a float's repr is at most 24 characters).
MAX_NUMBER_CHARS = 32
#: Longest value of any kind accepted from a link (free text is capped by its widget, at most 100).
MAX_VALUE_CHARS = 200
#: Most keys a link may have: twice the most any page reads (Train: its controls and ``run``, ``check``, ``qseed``).
#: Streamlit accepts 1,000; a link with more than this is no page's state and is ignored whole.
MAX_KEYS = 50
#: Keys whose values are free text (a class name may well be "inf").
TEXT_KEYS = frozenset({"name_0", "name_1", "a_shape", "b_shape"})

#: A number as a link writes it: ASCII digits, no underscores (``int`` and ``float`` read any Unicode digit,
#: so "١٢" and "1_0" would pass as 12 and 10); surrounding spaces are tolerated, as Streamlit reads them.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_INT = re.compile(r"[+-]?\d+", re.ASCII)


@dataclass(frozen=True)
class Bound:
    """A numeric control bound to the URL: its kind, its range (the widget's own min and max) and, for a slider,
    its step, counted from its min as Streamlit's slider counts it (None: any value of the kind in range)."""

    kind: type  # int or float
    lo: float
    hi: float
    step: float | None = None

    def on_step(self, number: float) -> bool:
        """True when ``number`` is one of the slider's positions lo, lo + step, … (any number without a step)."""
        if self.step is None:
            return True
        if self.kind is int:
            return (int(number) - int(self.lo)) % int(self.step) == 0
        k = (number - self.lo) / self.step
        return abs(k - round(k)) <= 1e-9  # rounding of a decimal step (0.01) is ~1e-14 of a step


#: Images' "start" slider runs to n_x - 60 for the picture shown; the largest is MAX_SIDE × MAX_SIDE × 3 (128 px).
_IMAGES_MAX_START = 128 * 128 * 3 - 60

#: Every slider and number input bound to the URL, each with its widget's own range and, for a slider, its step
#: (a number input takes any value in its range; Streamlit dropped one outside it without a word), Backprop's
#: number boxes (drawn through its _number helper) included. A value between a slider's steps (?threshold=0.8614) passed Streamlit,
#: which kept it, and the page printed it to the slider's decimals (0.86) beside a verdict drawn from the real
#: value. Keys not here get the rules every key gets (no non-finite, absurdly long or non-ASCII numbers).
#: tests/app/test_params.py reads every URL-bound ``.slider`` and ``.number_input`` in pages/ and ui/ and checks
#: it is here with its min, max and step; tests/test_hostile.py checks each key is bound on its page.
BOUNDS: dict[str, dict[str, Bound]] = {
    "sigmoid": {
        "z_range": Bound(float, -30.0, 30.0, 0.5), "z": Bound(float, -30.0, 30.0, 0.1),
        "w": Bound(float, -5.0, 5.0, 0.1), "b": Bound(float, -5.0, 5.0, 0.1), "z_extreme": Bound(float, -1e6, 1e6),
    },
    "loss": {
        "y_hat": Bound(float, 0.001, 0.999, 0.001), "w0": Bound(float, -6.0, 6.0, 0.5),
        "b0": Bound(float, -6.0, 6.0, 0.5), "steps": Bound(int, 0, 100),
    },
    "backprop": {
        "bp_w1": Bound(float, -20.0, 20.0, 0.1), "bp_w2": Bound(float, -20.0, 20.0, 0.1),
        "bp_bias": Bound(float, -20.0, 20.0, 0.1), "bp_m": Bound(int, 2, 2000),
        # number boxes (pages/backprop.py _number): any value in range, no step
        "bp_a": Bound(float, -100.0, 100.0), "bp_b": Bound(float, -100.0, 100.0), "bp_c": Bound(float, -100.0, 100.0),
        "bp_x1": Bound(float, -20.0, 20.0), "bp_x2": Bound(float, -20.0, 20.0),
    },
    "vectorization": {"n_x": Bound(int, 1, 2000), "m": Bound(int, 1, 5000)},
    "broadcasting": {"rows": Bound(int, 1, 8), "cols": Bound(int, 1, 8), "rank1_n": Bound(int, 1, 10)},
    "train": {
        "split_seed": Bound(int, 0, 9999), "per_class": Bound(int, 20, 500, 10), "points": Bound(int, 20, 1000, 10),
        "noise": Bound(float, 0.0, 2.0, 0.05), "iters": Bound(int, 1, 10_000), "init_seed": Bound(int, 0, 9999),
        "train_threshold": Bound(float, 0.01, 0.99, 0.01), "cmp_iters": Bound(int, 1, 10_000),
        "positive": Bound(int, 0, 9),
    },
    "classify": {"example": Bound(int, 0, 100_000), "threshold": Bound(float, 0.01, 0.99, 0.01)},
    "images": {
        "digit": Bound(int, 0, 4999), "batch_m": Bound(int, 2, 8), "seed": Bound(int, 0, 9999),
        "start": Bound(int, 0, _IMAGES_MAX_START, 3),
    },
}


def _as_number(text: str) -> float | None:
    """``text`` as Python reads a number (``float``), or None when it is not one."""
    try:
        return float(text)
    except (ValueError, OverflowError):
        return None


def why_ignored(key: str, text: str, bound: Bound | None) -> str | None:
    """Why the URL value ``text`` for ``key`` must not reach its widget, or None when it may.

    Parameters
    ----------
    key : str, the query parameter
    text : str, one of its values as it came in the URL
    bound : Bound or None, the control it feeds if known (see :data:`BOUNDS`)
    """
    if len(text) > MAX_VALUE_CHARS:
        return f"a value of {len(text):,} characters"
    if key in TEXT_KEYS:
        return None
    number = _as_number(text)
    if number is not None and len(text) > MAX_NUMBER_CHARS:
        return f"a number written with {len(text):,} characters"
    if number is not None and not math.isfinite(number):
        return "not a finite number"
    if number is not None and not _NUMBER.fullmatch(text.strip()):
        return "not written with the digits 0-9"
    if bound is None:
        return None
    if number is None:
        return "not a number"
    if bound.kind is int and not _INT.fullmatch(text.strip()):
        return "not a whole number"
    if not bound.lo <= number <= bound.hi:
        return f"outside {bound.lo:g} … {bound.hi:g}"
    if not bound.on_step(number):
        return f"not on the slider's steps of {bound.step:g}"
    return None


def unsigned_zero(text: str) -> str:
    """``text`` without its minus sign when it is a zero ("-0", "-0.0", "-1e-400"), else ``text`` unchanged.

    ``float("-0")`` is -0.0, which Python prints as "-0" (/sigmoid?w=-0 titled its chart "w = -0, b = 0").
    """
    number = text.strip()
    if number.startswith("-") and _NUMBER.fullmatch(number) and float(number) == 0:
        return number[1:]
    return text


def _shown(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:20] + "…")


def _rewrite(drop: list[str], replace: dict[str, list[str]] | None = None) -> None:
    """Remove the keys ``drop`` from the URL and from the copy of the first URL that widgets are seeded from,
    set the keys of ``replace`` to its values in both, then tell the browser once.

    Streamlit 1.67 seeds a bound widget from ``QueryParams._initial_query_params``, a snapshot taken
    when the page opened, not from ``st.query_params``; deleting from the latter alone still lets the
    widget see the value. Each ``del st.query_params[key]`` sends the browser the whole remaining query
    string, so deleting key by key costs time quadratic in the link's length: here every change is made
    without a message and one message follows. (tests/app/test_params.py fails if a Streamlit upgrade
    changes either.)
    """
    replace = replace or {}
    if not drop and not replace:
        return
    with get_session_state().query_params() as qp:
        for key in drop:
            qp.discard_param_no_forward_msg(key)
            qp._initial_query_params.pop(key, None)
        for key, values in replace.items():  # stored as Streamlit stores a parsed URL: one value as a str
            qp.set_with_no_forward_msg(key, values if len(values) > 1 else values[0])
            if key in qp._initial_query_params:
                qp._initial_query_params[key] = list(values)
        qp._send_query_param_msg()


def clean_query_params(page: str) -> list[tuple[str, str, str]]:
    """Drop query-parameter values that would break ``page``'s widgets; warn about them on the page.

    Parameters
    ----------
    page : str, the page's ``url_path`` ("train", "classify", ...; "" for the home page)

    Returns
    -------
    list of (key, value, reason) : what was dropped (the value cut to 24 characters)
    """
    keys = list(st.query_params.keys())
    if len(keys) > MAX_KEYS:  # no page's state: refused whole, before any value is read
        _rewrite(keys)
        st.warning(f"Ignored the whole link: it has {len(keys):,} parameters, and no page has more than "
                   f"{MAX_KEYS}. The page starts from its defaults.", icon=":material/link_off:")
        return [(key, "…", "too many parameters") for key in keys]
    bounds = BOUNDS.get(page, {})
    dropped, drop, replace = [], [], {}
    for key in keys:
        values = st.query_params.get_all(key)
        bad = [(text, why) for text in values if (why := why_ignored(key, text, bounds.get(key)))]
        if bad:
            drop.append(key)
            dropped += [(key, _shown(text), why) for text, why in bad]
        elif key not in TEXT_KEYS and (plain_values := [unsigned_zero(text) for text in values]) != values:
            replace[key] = plain_values  # the same number: no notice
    _rewrite(drop, replace)
    if dropped:
        listed = "; ".join(f"{key} = {text} ({why})" for key, text, why in dropped[:5])
        more = f" (and {len(dropped) - 5} more)" if len(dropped) > 5 else ""
        st.warning(f"Ignored from the link: {plain(listed)}{more}. The page starts from its defaults for those.",
                   icon=":material/link_off:")
    return dropped

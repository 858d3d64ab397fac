"""The one place query-parameter values are checked, before any widget sees them.

Widgets bound to the URL (``bind="query-params"``) take their start value from the link. Streamlit
turns a number from the URL into an int with ``int(float(text))``, so ``?iters=inf``, ``-inf``,
``1e400`` or a 100,000-digit number replaced the page with an error box. :func:`clean_query_params`
runs in ``streamlit_app.py`` before the page: it drops every value that is not a finite number in the
range of the control it feeds (or, for keys it does not know, any non-finite or absurdly long number),
and says on the page what it ignored. The value left in the URL is the widget's own default.
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
    """A numeric control bound to the URL: its kind and its range (the widget's own min and max)."""

    kind: type  # int or float
    lo: float
    hi: float


#: The numeric controls bound to the URL on the pages that read uploads, with each widget's own range.
#: Other pages get the rules every key gets (no non-finite or absurdly long numbers); Streamlit itself
#: ignores a finite number outside a slider's range. tests/test_params.py checks each key is bound on its page.
BOUNDS: dict[str, dict[str, Bound]] = {
    "train": {
        "split_seed": Bound(int, 0, 9999), "per_class": Bound(int, 20, 500), "points": Bound(int, 20, 1000),
        "noise": Bound(float, 0.0, 2.0), "iters": Bound(int, 1, 10_000), "init_seed": Bound(int, 0, 9999),
        "train_threshold": Bound(float, 0.01, 0.99), "cmp_iters": Bound(int, 1, 10_000), "positive": Bound(int, 0, 9),
    },
    "classify": {"example": Bound(int, 0, 100_000), "threshold": Bound(float, 0.01, 0.99)},
    "images": {"digit": Bound(int, 0, 4999), "batch_m": Bound(int, 2, 8), "seed": Bound(int, 0, 9999)},
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
    return None


def _shown(text: str) -> str:
    return repr(text if len(text) <= 24 else text[:20] + "…")


def _rewrite(drop: list[str]) -> None:
    """Remove the keys ``drop`` from the URL and from the copy of the first URL that widgets are seeded from,
    then tell the browser once.

    Streamlit 1.67 seeds a bound widget from ``QueryParams._initial_query_params``, a snapshot taken
    when the page opened, not from ``st.query_params``; deleting from the latter alone still lets the
    widget see the value. Each ``del st.query_params[key]`` sends the browser the whole remaining query
    string, so deleting key by key costs time quadratic in the link's length: here every change is made
    without a message and one message follows. (tests/app/test_params.py fails if a Streamlit upgrade
    changes either.)
    """
    if not drop:
        return
    with get_session_state().query_params() as qp:
        for key in drop:
            qp.discard_param_no_forward_msg(key)
            qp._initial_query_params.pop(key, None)
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
    dropped, drop = [], []
    for key in keys:
        values = st.query_params.get_all(key)
        bad = [(text, why) for text in values if (why := why_ignored(key, text, bounds.get(key)))]
        if bad:
            drop.append(key)
            dropped += [(key, _shown(text), why) for text, why in bad]
    _rewrite(drop)
    if dropped:
        listed = "; ".join(f"{key} = {text} ({why})" for key, text, why in dropped[:5])
        more = f" (and {len(dropped) - 5} more)" if len(dropped) > 5 else ""
        st.warning(f"Ignored from the link: {plain(listed)}{more}. The page starts from its defaults for those.",
                   icon=":material/link_off:")
    return dropped

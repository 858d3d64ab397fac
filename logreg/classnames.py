"""A class named so that its name cannot be mistaken for its label: "digit 0 (label 1)".

A digit model's classes are named after digits ("0" and "not 0") while the neuron's labels are 0 and
1, so a bare "0" on a page can mean either. Every place that shows a class shows both, through
:func:`class_text`.
"""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d(/\d)+")
_NOT_DIGIT = re.compile(r"not (\d)")


def class_text(class_names, label, *, digits=False) -> str:
    """The class of ``label`` as its name and its label together.

    Parameters
    ----------
    class_names : (str, str), the names of label 0 and label 1 (a model's ``class_names``)
    label : int, 0 or 1
    digits : bool, default=False (keyword-only)
        The model was trained on the bundled digits (its preprocessing is ``"mnist"``): names made of
        digits say so, "0" -> "digit 0", "3/5" -> "digit 3 or 5", "not 0" -> "a digit other than 0".

    Returns
    -------
    str, e.g. ``"digit 0 (label 1)"``, ``"a digit other than 0 (label 0)"``, ``"cat (label 1)"``

    Examples
    --------
    >>> class_text(("not 0", "0"), 1, digits=True)
    'digit 0 (label 1)'
    """
    names = tuple(class_names)
    if len(names) != 2 or not all(isinstance(n, str) and n.strip() for n in names):
        raise ValueError(f"class_names must be two non-empty strings (label 0's, label 1's); got {class_names!r}")
    if label not in (0, 1) or isinstance(label, bool):
        raise ValueError(f"label must be 0 or 1; got {label!r}")
    name = names[int(label)].strip()
    if digits:
        if _DIGIT.fullmatch(name):
            name = f"digit {name}"
        elif _DIGITS.fullmatch(name):
            *rest, last = name.split("/")
            name = f"digit {', '.join(rest)} or {last}"
        elif m := _NOT_DIGIT.fullmatch(name):
            name = f"a digit other than {m.group(1)}"
    return f"{name} (label {int(label)})"

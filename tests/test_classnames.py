import numpy as np
import pytest

from logreg import datasets
from logreg.classnames import class_text


def test_a_digit_models_classes_show_name_and_label():
    names = datasets.digits_task(0, max_per_class=4).class_names  # ("not 0", "0"), as the default model's
    assert class_text(names, 1, digits=True) == "digit 0 (label 1)"
    assert class_text(names, 0, digits=True) == "a digit other than 0 (label 0)"
    names = datasets.digits_task(3, (5, 7), max_per_class=4).class_names
    assert class_text(names, 0, digits=True) == "digit 5 or 7 (label 0)"
    assert class_text(("1/2/4", "3"), 0, digits=True) == "digit 1, 2 or 4 (label 0)"


def test_other_models_keep_their_names_and_always_show_the_label():
    assert class_text(("non-cat", "cat"), 1) == "cat (label 1)"
    assert class_text(("not 0", "0"), 1) == "0 (label 1)"  # without digits=True a name is left as it is
    assert class_text(["7 dwarfs", "  snow white "], np.int64(1), digits=True) == "snow white (label 1)"


def test_the_label_is_never_confused_with_the_name():
    for label in (0, 1):
        text = class_text(("1", "0"), label, digits=True)  # names that are the other label's number
        assert text.endswith(f"(label {label})") and text.startswith("digit ")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="0 or 1"):
        class_text(("a", "b"), 2)
    with pytest.raises(ValueError, match="0 or 1"):
        class_text(("a", "b"), True)
    with pytest.raises(ValueError, match="two non-empty strings"):
        class_text(("a",), 0)
    with pytest.raises(ValueError, match="two non-empty strings"):
        class_text(("a", " "), 0)

"""The visible_if / required_if language: a small safe parser, never eval()."""

from __future__ import annotations

import pytest

from services.forms.expressions import ExpressionError, evaluate, parse_condition


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("resume_training == true", {"resume_training": True}, True),
        ("resume_training == true", {"resume_training": False}, False),
        ("not resume_training", {"resume_training": False}, True),
        ("architecture != 'dbnet' and encoder in ['mobilenetv3_large', \"mobilenetv3_small\"]",
         {"architecture": "dbnet_lite", "encoder": "mobilenetv3_small"}, True),
        ("a or b and c", {"a": False, "b": True, "c": False}, False),
        ("(a or b) and c", {"a": True, "b": False, "c": True}, True),
        ("batch_size > 8 or batch_size <= 2", {"batch_size": 2}, True),
        ("devices not in ['auto', 1]", {"devices": 4}, True),
        ("checkpoint == null", {}, True),
        ("lr >= -1.5e-3", {"lr": 0.001}, True),
    ],
)
def test_conditions_evaluate_like_python_would(source: str, values: dict, expected: bool) -> None:
    assert evaluate(source, values) is expected


def test_comparing_a_number_with_an_empty_field_is_simply_false() -> None:
    assert evaluate("max_images > 10", {"max_images": None}) is False


def test_a_condition_reports_the_field_names_it_reads() -> None:
    assert parse_condition("a == 1 and (b or not c)").names == {"a", "b", "c"}


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "open('/etc/passwd')",
        "exp_name.upper() == 'X'",
        "values['x'] == 1",
        "lambda: 1",
        "[x for x in y]",
        "a = 1",
        "a + 1 == 2",
        "__class__",
        "a ==",
        "(a",
        "",
    ],
)
def test_anything_beyond_the_grammar_is_rejected_at_parse_time(source: str) -> None:
    with pytest.raises(ExpressionError):
        parse_condition(source)


def test_the_error_says_where_the_problem_is() -> None:
    with pytest.raises(ExpressionError, match=r"position 1"):
        parse_condition("a.b == 1")

"""Command lines: exact quoting (shell and Hydra), the pretty preview, and which programs may be launched."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest
from hydra.core.override_parser.overrides_parser import OverridesParser
from hypothesis import given, settings
from hypothesis import strategies as st

from services.commands import (
    AllowedRunners,
    CommandRejected,
    Override,
    argv_from_text,
    build_command,
    check_runner_argv,
    hydra_value,
)

PARSER = OverridesParser.create()

# Any text a user can type: spaces, both quotes, '=', commas, braces, brackets, '$', backslashes, non-ASCII, newlines.
# (NUL cannot be passed in argv at all, and lone surrogates are not text; the forms reject control characters.)
_pieces = st.one_of(
    st.sampled_from([*" '\"=,{}[]()$`!\\:;|&*?~#%@^<>\t\n-_./é测🙂", "${", "\\'", "\\\\", "a b"]),
    st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
)
user_text = st.lists(_pieces, min_size=1, max_size=20).map("".join)


def parsed_value(token: str) -> object:
    [override] = PARSER.parse_overrides([token])
    return override.value()


@settings(max_examples=300, deadline=None)
@given(value=user_text)
def test_any_text_value_survives_the_shell_and_hydra_exactly(value: str) -> None:
    command = build_command("ocr.train", [Override("exp_name", value), Override("data.batch_size", 8)])

    assert shlex.split(command.one_line)[1:] == command.argv[1:]
    assert argv_from_text(command.text) == command.argv
    assert parsed_value(command.argv[3]) == value
    assert parsed_value(command.argv[4]) == 8


@settings(max_examples=300, deadline=None)
@given(value=st.text(alphabet="0123456789eE.-_/+aflnirstuNIF", min_size=1, max_size=8))
def test_number_like_strings_come_back_as_the_same_string(value: str) -> None:
    assert parsed_value(f"exp_name={hydra_value(value)}") == value


@settings(max_examples=100, deadline=None)
@given(value=st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False), st.booleans()))
def test_numbers_and_booleans_keep_their_type(value: object) -> None:
    assert parsed_value(f"k={hydra_value(value)}") == value


@pytest.mark.parametrize(
    "word", ["true", "False", "null", "123", "1e-3", "nan", "inf", "-5", "0.5", "1_000", "1.", ".5"]
)
def test_strings_that_look_like_other_types_stay_strings(word: str) -> None:
    assert parsed_value(f"exp_name={hydra_value(word)}") == word


def test_a_real_posix_shell_parses_the_multiline_preview_into_the_same_argv() -> None:
    values = ["my run", "it's \"quoted\"", "a=b,c", "{x: [1, 2]}", "$HOME and `ls`!", "reçu 测试", "back\\slash\\"]
    command = build_command("ocr.test", [Override(f"v{index}", value) for index, value in enumerate(values)])
    script = "python() { printf '%s\\0' \"$@\"; }\n" + command.text
    output = subprocess.run(["sh", "-c", script], capture_output=True, check=True).stdout
    assert output.decode().split("\0")[:-1] == command.argv[1:]


def test_plain_names_and_paths_stay_unquoted_for_readability() -> None:
    for word in ["resnet18", "32-true", "16-mixed", "outputs/2026-12-01_20-00-00_run/checkpoints/best.ckpt", "-x"]:
        assert hydra_value(word) == word


def test_preview_is_one_override_per_line_after_the_runner() -> None:
    command = build_command("ocr.train", [Override("exp_name", "receipts"), Override("optimizer.lr", 0.001)])
    assert command.text == "python -m ocr.train \\\n  exp_name=receipts \\\n  optimizer.lr=0.001"
    assert command.argv == [sys.executable, "-m", "ocr.train", "exp_name=receipts", "optimizer.lr=0.001"]


def test_an_edited_preview_runs_as_edited() -> None:
    text = "python -m ocr.predict \\\n  \"exp_name='my predictions'\" \\\n  image_dir=data/samples/images"
    assert argv_from_text(text) == [sys.executable, "-m", "ocr.predict", "exp_name='my predictions'",
                                    "image_dir=data/samples/images"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("rm -rf /", "this command starts 'rm'"),
        ("python -c 'import os'", "this command runs python -c import os"),
        ("python -m http.server", "this command runs python -m http.server"),
        ("python -m ocr.train exp_name=a && rm -rf /", "shell operators such as '&&'"),
        ("FOO=1 python -m ocr.train", "this command starts 'FOO=1'"),
        ("python -m ocr.train 'unclosed", "cannot be parsed"),
        ("", "the command is empty"),
    ],
)
def test_anything_but_a_project_runner_is_rejected_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(CommandRejected) as caught:
        argv_from_text(text)
    assert reason in str(caught.value)


def test_a_test_only_runner_script_can_be_allowed(tmp_path) -> None:
    script = tmp_path / "fake_runner.py"
    script.write_text("print('hi')\n")
    allowed = AllowedRunners(modules=frozenset(), scripts=frozenset({script.resolve()}))
    assert check_runner_argv(["python", str(script), "x=1"], allowed) == [sys.executable, str(script.resolve()), "x=1"]
    with pytest.raises(CommandRejected):
        check_runner_argv(["python", "-m", "ocr.train"], allowed)

"""Overrides to runner command lines, with exact quoting, and back from (possibly edited) command text.

There is one quoting function, ``override_token``, with two layers: Hydra's override grammar (values that would not
parse back to the same string get Hydra quotes) and the POSIX shell (``shell_word``). The argv a job runs is built
from the same tokens as the text the user sees, so "what runs" equals "what a shell parses from the preview".
"""

from __future__ import annotations

import math
import re
import shlex
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RUNNER_MODULES: tuple[str, ...] = ("ocr.train", "ocr.test", "ocr.predict")
PYTHON_NAMES = frozenset({"python", "python3"})

# Strings made only of ID characters and a few unquoted-safe ones lex into tokens Hydra joins back into the same
# string, unless the whole string is ONE token that Hydra types (a number, bool or null). Those get quotes.
_PLAIN_STRING = re.compile(r"[A-Za-z0-9_\-./]+")
_INT_UNSIGNED = r"(?:0|[1-9](?:_?\d)*)"
_POINT_FLOAT = rf"(?:{_INT_UNSIGNED}\.|{_INT_UNSIGNED}?\.\d(?:_?\d)*)"
_TYPED_WORDS = re.compile(
    rf"(?i)true|false|null|[+-]?(?:{_INT_UNSIGNED}|{_POINT_FLOAT}|(?:{_INT_UNSIGNED}|{_POINT_FLOAT})e[+-]?\d(?:_?\d)*"
    r"|inf|nan)"
)
_SHELL_SAFE = re.compile(r"[A-Za-z0-9_@%+=:,./\-]+")
# Inside double quotes a POSIX shell still expands these; words holding them are single-quoted instead.
_SHELL_EXPANDS = frozenset("$`!")


class CommandRejected(ValueError):
    """A command that is not one of the project's runners (or cannot be parsed as a command line)."""


@dataclass(frozen=True)
class Override:
    """``key=value`` for Hydra; ``value`` is a Python value (str, int, float, bool), quoted when rendered."""

    key: str
    value: Any


@dataclass(frozen=True)
class Command:
    """What runs (``argv``) and what is shown (``text``: ``python -m ocr.train \\`` then one override per line)."""

    argv: list[str]
    text: str

    @property
    def one_line(self) -> str:
        """The same command on one line (what ``shlex.split`` turns back into ``argv`` with python as argv[0])."""
        return " ".join(shell_word(word) for word in ["python", *self.argv[1:]])

    @property
    def runner(self) -> str:
        return self.argv[2]

    @property
    def overrides(self) -> list[str]:
        return self.argv[3:]


def hydra_value(value: Any) -> str:
    """Render a Python value in Hydra's override grammar so the parser recovers exactly that value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot pass non-finite number {value!r} as an override")
        return repr(value)
    text = str(value)
    if _PLAIN_STRING.fullmatch(text) and not _TYPED_WORDS.fullmatch(text):
        return text
    return _hydra_quote(text)


def _hydra_quote(text: str) -> str:
    """Quote for Hydra: inside quotes only backslashes before the quote character (or at the end) are special.

    The quote character is chosen so the shell layer stays readable: text the shell must single-quote (it holds
    ``$``, backquote or ``!``) gets Hydra double quotes, other text gets Hydra single quotes inside shell double quotes.
    """
    if _SHELL_EXPANDS.intersection(text):
        quote = "'" if '"' in text and "'" not in text else '"'
    else:
        quote = '"' if "'" in text and '"' not in text else "'"
    escaped = re.sub(r"(\\*)" + quote, lambda m: m.group(1) * 2 + "\\" + quote, text)
    escaped = re.sub(r"(\\+)$", lambda m: m.group(1) * 2, escaped)
    return f"{quote}{escaped}{quote}"


def shell_word(word: str) -> str:
    """Quote one argv word for a POSIX shell: bare when safe, double quotes when nothing in it expands, else single.

    In double quotes only ``\\`` and ``"`` are escaped (both shells and ``shlex`` undo exactly those two), so the
    word never contains ``$``, backquote or ``!`` there; such words go through ``shlex.quote`` instead.
    """
    if _SHELL_SAFE.fullmatch(word):
        return word
    if not _SHELL_EXPANDS.intersection(word):
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return shlex.quote(word)


def override_token(override: Override | str) -> str:
    """The argv word for one override; a ``str`` is taken as an already well-formed ``key=value`` token."""
    if isinstance(override, str):
        return override
    return f"{override.key}={hydra_value(override.value)}"


def build_command(runner: str, overrides: Iterable[Override | str], *, python: str | None = None) -> Command:
    """argv = [python, -m, runner, *tokens]; text shows ``python`` so it can be pasted on any machine."""
    if runner not in RUNNER_MODULES:
        raise CommandRejected(f"unknown runner {runner!r}; expected one of {', '.join(RUNNER_MODULES)}")
    tokens = [override_token(item) for item in overrides]
    argv = [python or sys.executable, "-m", runner, *tokens]
    return Command(argv=argv, text=pretty_text(argv))


def pretty_text(argv: Sequence[str]) -> str:
    """``python -m ocr.train \\`` then each override on its own line, indented, continued with ``\\``."""
    head = " ".join(shell_word(word) for word in ["python", *argv[1:3]])
    rest = [shell_word(word) for word in argv[3:]]
    return " \\\n  ".join([head, *rest])


def remove_line_continuations(text: str) -> str:
    """Drop backslash-newline pairs the way a POSIX shell does (outside single quotes), since shlex keeps them."""
    out: list[str] = []
    index = 0
    quote: str | None = None
    while index < len(text):
        char = text[index]
        if quote == "'":
            out.append(char)
            if char == "'":
                quote = None
        elif char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if following == "\n":
                index += 2
                continue
            out.append(char + following)
            index += 2
            continue
        else:
            out.append(char)
            if char in "'\"" and quote is None:
                quote = char
            elif char == quote:
                quote = None
        index += 1
    return "".join(out)


def split_command(text: str) -> list[str]:
    """Split command text exactly like a POSIX shell would (quotes, escapes and line continuations)."""
    try:
        return shlex.split(remove_line_continuations(text), comments=False, posix=True)
    except ValueError as error:
        raise CommandRejected(f"the command text cannot be parsed: {error} (check for an unclosed quote)") from error


@dataclass(frozen=True)
class AllowedRunners:
    """Which programs may be launched: python with ``-m <module>``, or python with one of ``scripts`` (tests)."""

    modules: frozenset[str] = frozenset(RUNNER_MODULES)
    scripts: frozenset[Path] = frozenset()

    def describe(self) -> str:
        names = [f"python -m {module}" for module in sorted(self.modules)]
        names += [f"python {script}" for script in sorted(self.scripts)]
        return ", ".join(names)


PROJECT_RUNNERS = AllowedRunners()


def check_runner_argv(argv: Sequence[str], allowed: AllowedRunners = PROJECT_RUNNERS) -> list[str]:
    """Return argv with argv[0] replaced by this interpreter, or raise CommandRejected with a clear reason.

    Only ``python``/``python3``/this interpreter may start the command, followed by ``-m <runner>`` (or an allowed
    script). Anything else, including shell syntax that would need a shell (pipes, ``&&``, env prefixes), is refused.
    """
    if not argv:
        raise CommandRejected("the command is empty")
    program = argv[0]
    if program not in PYTHON_NAMES and program != sys.executable:
        raise CommandRejected(f"only the project's runners can be launched ({allowed.describe()}); "
                              f"this command starts {program!r}")
    rest = list(argv[1:])
    if len(rest) >= 2 and rest[0] == "-m" and rest[1] in allowed.modules:
        normalized = [sys.executable, *rest]
    elif rest and allowed.scripts and Path(rest[0]).resolve() in allowed.scripts:
        normalized = [sys.executable, str(Path(rest[0]).resolve()), *rest[1:]]
    else:
        shown = " ".join(rest[:2]) or "nothing"
        raise CommandRejected(f"only the project's runners can be launched ({allowed.describe()}); "
                              f"this command runs python {shown}")
    for word in normalized[1:]:
        if word in ("|", "||", "&&", ";", "&", ">", "<", ">>"):
            raise CommandRejected(f"shell operators such as {word!r} are not supported: commands run without a shell")
    return normalized


def argv_from_text(text: str, allowed: AllowedRunners = PROJECT_RUNNERS) -> list[str]:
    """Parse (possibly user-edited) preview text into the argv to run, rejecting anything but a project runner."""
    return check_runner_argv(split_command(text), allowed)

"""YAML reading that remembers line numbers, so every config problem can name its file and line.

Mappings are loaded as ``LineDict`` (a plain dict with a ``line`` attribute) so schema and metadata parsers can
point at the field that is wrong, not just the file. Syntax errors carry the line from PyYAML's MarkedYAMLError.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in one file; ``line`` is 1-based, or None when the problem is about the file as a whole."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.message}"


class ConfigFileError(Exception):
    """Raised by loaders and parsers; carries the ConfigProblem to record."""

    def __init__(self, problem: ConfigProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class LineDict(dict):  # type: ignore[type-arg]
    """A dict that knows the (1-based) line its mapping started on."""

    line: int | None = None


# libyaml's parser when available (several times faster); the constructor below is the same either way.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict(loader.construct_pairs(node, deep=True))
    result.line = node.start_mark.line + 1
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def problem(file: Path, node: Any, message: str) -> ConfigFileError:
    """Build the error for a semantic problem located at ``node`` (a LineDict, or anything else: file-level)."""
    line = node.line if isinstance(node, LineDict) else None
    return ConfigFileError(ConfigProblem(file, line, message))


def load_yaml(path: Path) -> Any:
    """Parse ``path``; raise ConfigFileError naming the file and line for unreadable or malformed YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileError(ConfigProblem(path, None, f"cannot read file: {error}")) from error
    try:
        return yaml.load(text, Loader=_LineLoader)  # a safe loader that only adds line numbers
    except yaml.MarkedYAMLError as error:
        # An unclosed bracket or quote is noticed lines later; its opening line is where the fix goes.
        unclosed = bool(error.context) and ("flow" in error.context or "quoted" in error.context)
        mark = (error.context_mark if unclosed else None) or error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        message = " ".join(part for part in (error.context, error.problem) if part) or "malformed YAML"
        raise ConfigFileError(ConfigProblem(path, line, f"malformed YAML: {message}")) from error
    except yaml.YAMLError as error:
        raise ConfigFileError(ConfigProblem(path, None, f"malformed YAML: {error}")) from error


def reject_unknown(file: Path, node: Any, allowed: set[str], what: str) -> None:
    """Unknown keys are typos until proven otherwise: report them instead of ignoring them."""
    unknown = sorted(set(node) - allowed)
    if unknown:
        raise problem(file, node, f"unknown {what} key(s) {', '.join(map(repr, unknown))}; "
                      f"allowed: {', '.join(sorted(allowed))}")

"""Engine errors whose message is one line naming the file and the problem.

Runners print ``str(error)`` instead of a traceback, and the dashboard shows it in a banner, so every raise site
must say which file is at fault and what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path


class OcrError(Exception):
    """Base class: an expected, user-facing failure (bad input), not a bug."""

    def __init__(self, path: str | Path | None, problem: str) -> None:
        self.path = None if path is None else Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path is not None else problem)


class AnnotationError(OcrError):
    """Missing or malformed annotation file."""


class ImageReadError(OcrError):
    """An image that cannot be decoded, or an empty image folder."""


class CheckpointError(OcrError):
    """Corrupt, half-written or mismatching checkpoint."""


class ConfigError(OcrError):
    """A configuration that cannot be used (unknown component, bad value)."""

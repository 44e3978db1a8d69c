"""Engine errors whose message is one line naming the file and the problem.

Runners print ``str(error)`` instead of a traceback, and the dashboard shows it in a banner, so every raise site
must say which file is at fault and what is wrong with it.
"""

from __future__ import annotations

from pathlib import Path


class OcrError(Exception):
    """Base class: an expected, user-facing failure (bad input), not a bug."""

    def __init__(self, path: str | Path | None, problem: str | None = None) -> None:
        if problem is None:  # re-raised from a DataLoader worker with one preformatted message
            self.path, self.problem = None, str(path)
            super().__init__(self.problem)
            return
        self.path = None if path is None else Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}" if self.path is not None else problem)


def one_line(error: BaseException) -> str:
    """The message a user should see: the error's own line, even when a DataLoader worker wrapped it in a traceback."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    last = lines[-1]
    for cls in (OcrError, *OcrError.__subclasses__()):
        prefix = f"{cls.__module__}.{cls.__name__}: "
        if last.startswith(prefix):
            return last[len(prefix):]
    return last if len(lines) > 1 and "Traceback" in lines[1] else lines[0]


class AnnotationError(OcrError):
    """Missing or malformed annotation file."""


class ImageReadError(OcrError):
    """An image that cannot be decoded, or an empty image folder."""


class CheckpointError(OcrError):
    """Corrupt, half-written or mismatching checkpoint."""


class ConfigError(OcrError):
    """A configuration that cannot be used (unknown component, bad value)."""

"""Bounded scrollback for a job's output that understands carriage returns (tqdm progress bars).

tqdm redraws one line with ``\\r`` hundreds of times; appending each redraw would flood the scrollback, so a ``\\r``
replaces the current (unfinished) line instead, exactly as a terminal shows it. Finished lines go into a bounded
deque; the full output is in the job's log file anyway.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

MAX_PARTIAL = 16_384  # a line this long without a newline is broken, so one runaway line cannot grow forever


@dataclass(frozen=True)
class OutputDelta:
    """What changed: finished ``lines`` to append, and the current unfinished line (what a terminal shows last)."""

    lines: list[str]
    partial: str


def visible(segment: str) -> str:
    """What a terminal shows for a segment without newlines: the text after the last (non-trailing) ``\\r``."""
    if segment.endswith("\r"):
        segment = segment[:-1]
    return segment.rsplit("\r", 1)[-1]


class OutputBuffer:
    def __init__(self, max_lines: int = 5000) -> None:
        self.lines: deque[str] = deque(maxlen=max_lines)
        self._raw_partial = ""

    @property
    def raw_partial(self) -> str:
        """The unfinished line as received (carriage returns included)."""
        return self._raw_partial

    @property
    def partial(self) -> str:
        return visible(self._raw_partial)

    def feed(self, text: str) -> OutputDelta:
        raw = self._raw_partial + text
        segments = raw.split("\n")
        self._raw_partial = segments.pop()
        finished = [visible(segment) for segment in segments]
        cut = self._raw_partial.rfind("\r", 0, len(self._raw_partial) - 1)
        if cut >= 0:
            self._raw_partial = self._raw_partial[cut + 1:]  # drop redraws already overwritten
        if len(self._raw_partial) > MAX_PARTIAL:
            finished.append(visible(self._raw_partial))
            self._raw_partial = ""
        self.lines.extend(finished)
        return OutputDelta(finished, self.partial)

    def flush(self) -> OutputDelta:
        """End of output: the unfinished line becomes a finished one."""
        if not self._raw_partial:
            return OutputDelta([], "")
        line = self.partial
        self._raw_partial = ""
        self.lines.append(line)
        return OutputDelta([line], "")

    def text(self) -> str:
        return "\n".join([*self.lines, *([self.partial] if self.partial else [])])

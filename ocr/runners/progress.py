"""The runners' machine-readable progress line.

Lightning's own bar is for people; the dashboard needs something stable to parse. Every line is

    OCRW-PROGRESS epoch=3 max_epochs=20 step=120 total_steps=800 loss=0.8123 lr=0.001 val_hmean=0.91

i.e. the prefix, then space separated ``key=value`` pairs whose values are numbers (or ``nan``). Keys may be added
over time, never renamed. ``OCRW-RUN-DIR <path>`` is printed once at start so a caller can find the run folder.
"""

from __future__ import annotations

import math
import re

PREFIX = "OCRW-PROGRESS"
RUN_DIR_PREFIX = "OCRW-RUN-DIR"
_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=(\S+)")


def format_progress(**values: float | int | None) -> str:
    """One progress line; ``None`` values are left out, '/' in metric names becomes '_'."""
    parts = [PREFIX]
    for key, value in values.items():
        if value is None:
            continue
        key = key.replace("/", "_")
        if isinstance(value, bool) or isinstance(value, int):
            parts.append(f"{key}={int(value)}")
        else:
            parts.append(f"{key}={float(value):.6g}")
    return " ".join(parts)


def parse_progress(line: str) -> dict[str, float] | None:
    """The values of a progress line (ints stay ints), or None when the line is not one."""
    text = line.strip()
    start = text.find(PREFIX)
    if start < 0:
        return None
    values: dict[str, float] = {}
    for key, raw in _PAIR.findall(text[start + len(PREFIX):]):
        try:
            number = float(raw)
        except ValueError:
            continue
        values[key] = int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number
        if isinstance(values[key], float) and math.isinf(values[key]):
            values[key] = math.nan
    return values


def format_run_dir(path: str) -> str:
    return f"{RUN_DIR_PREFIX} {path}"


def parse_run_dir(line: str) -> str | None:
    text = line.strip()
    if text.startswith(RUN_DIR_PREFIX + " "):
        return text[len(RUN_DIR_PREFIX) + 1:].strip()
    return None

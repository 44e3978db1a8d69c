"""ANSI escape handling for job output: strip for parsing, or convert SGR colours to safe HTML for display.

Runner output goes into a log file byte for byte (colours included); progress parsing needs the plain text, and the
log view may want the colours. Only SGR colour/bold codes become markup; every other escape is dropped, and the text
itself is HTML-escaped, so output can never inject markup into a page.
"""

from __future__ import annotations

import html
import re

_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_COLORS = ["#000000", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5"]
_BRIGHT = ["#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]


def strip_ansi(text: str) -> str:
    return _ESCAPE.sub("", text)


def ansi_to_html(text: str) -> str:
    """One line of output as HTML spans (foreground colours, bold); all other escapes removed."""
    out: list[str] = []
    color: str | None = None
    bold = False
    position = 0

    def emit(chunk: str) -> None:
        plain = html.escape(strip_ansi(chunk))
        if not plain:
            return
        styles = [f"color:{color}"] if color else []
        styles += ["font-weight:bold"] if bold else []
        out.append(f'<span style="{";".join(styles)}">{plain}</span>' if styles else plain)

    for match in _SGR.finditer(text):
        emit(text[position:match.start()])
        position = match.end()
        for raw in (match.group(1) or "0").split(";"):
            code = int(raw) if raw.isdigit() else 0
            if code == 0:
                color, bold = None, False
            elif code == 1:
                bold = True
            elif code == 22:
                bold = False
            elif 30 <= code <= 37:
                color = _COLORS[code - 30]
            elif 90 <= code <= 97:
                color = _BRIGHT[code - 90]
            elif code == 39:
                color = None
    emit(text[position:])
    return "".join(out)

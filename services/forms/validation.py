"""Per-field validation messages, shown inline under each field and blocking a run while any remain.

Only visible fields are validated (a hidden field produces no override, so it cannot be wrong), and the messages
name the field by its label so they read well both inline and in a summary.
"""

from __future__ import annotations

import math
import unicodedata
from pathlib import Path
from typing import Any

from services.forms.schema import FieldSpec, PathRule
from services.paths import PathOutsideRoots, WorkbenchPaths, resolve_inside


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_field(
    spec: FieldSpec,
    value: Any,
    *,
    required: bool,
    has_options: bool = True,
    paths: WorkbenchPaths | None = None,
) -> list[str]:
    """All messages for one visible field (empty list when the value is fine)."""
    label = spec.label
    if spec.type == "info":
        return []
    if is_empty(value):
        if required and spec.type == "select" and not has_options:
            source = (spec.options_source or "options").replace("_", " ")
            return [f"'{label}' is required, but there is nothing to choose from (no {source} found)."]
        return [f"'{label}' is required."] if required else []
    messages: list[str] = []
    rules = spec.validation
    if spec.type in ("number", "slider"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return [f"'{label}' must be a number."]
        if spec.integer and float(value) != int(value):
            return [f"'{label}' must be a whole number."]
        low = rules.min if rules.min is not None else spec.min
        high = rules.max if rules.max is not None else spec.max
        if low is not None and high is not None and not low <= value <= high:
            messages.append(f"'{label}' must be between {_fmt(low)} and {_fmt(high)}.")
        elif low is not None and value < low:
            messages.append(f"'{label}' must be at least {_fmt(low)}.")
        elif high is not None and value > high:
            messages.append(f"'{label}' must be at most {_fmt(high)}.")
    if spec.type == "text":
        text = str(value)
        if rules.min_length is not None and len(text) < rules.min_length:
            messages.append(f"'{label}' must be at least {rules.min_length} characters long.")
        if rules.max_length is not None and len(text) > rules.max_length:
            messages.append(f"'{label}' must be at most {rules.max_length} characters long.")
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in text):
            messages.append(f"'{label}' must not contain control characters (such as newlines or tabs).")
        if "${" in text and not spec.allow_interpolation:
            messages.append(f"'{label}' must not contain '${{' (Hydra would read it as an interpolation).")
        if spec.path is not None and paths is not None and not messages:
            messages.extend(_path_messages(label, text, spec.path, paths))
    return messages


def _path_messages(label: str, text: str, rule: PathRule, paths: WorkbenchPaths) -> list[str]:
    roots = {"project": paths.project_root, "data": paths.data, "outputs": paths.outputs}
    allowed = [roots[name] for name in rule.roots]
    try:
        real = resolve_inside(text, allowed, base=paths.project_root)
    except PathOutsideRoots:
        shown = ", ".join(paths.display_path(root) or "." for root in allowed)
        return [f"'{label}' must be inside {shown}."]
    if not rule.must_exist:
        return []
    if rule.kind == "dir" and not real.is_dir():
        return [f"'{label}': no such folder {_short(real, paths)}."]
    if rule.kind == "file" and not real.is_file():
        return [f"'{label}': no such file {_short(real, paths)}."]
    if rule.kind == "any" and not real.exists():
        return [f"'{label}': {_short(real, paths)} does not exist."]
    return []


def _short(path: Path, paths: WorkbenchPaths) -> str:
    return paths.display_path(path)

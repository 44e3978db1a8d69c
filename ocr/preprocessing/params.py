"""Typed, range-checked stage parameters whose limits a UI can read.

Every stage takes a frozen dataclass of parameters. The limits live in each field's metadata rather than in the
dashboard, so the form a user edits, a Hydra profile on disk and a direct library call are all checked against the
same numbers, and a new parameter needs no hand-written widget.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import numbers
import typing
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NoReturn

import numpy as np

# Kinds a parameter can have; the UI picks a widget from these (plus `choices`).
KINDS = ("bool", "int", "float", "str", "floats")


def param(
    default: Any,
    *,
    help: str,
    min: float | None = None,
    max: float | None = None,
    step: float | None = None,
    choices: Sequence[str] | None = None,
    odd: bool = False,
) -> Any:
    """A dataclass field carrying the metadata a form needs (for `floats`, min/max bound each element)."""
    metadata = {
        "help": help,
        "min": min,
        "max": max,
        "step": step,
        "choices": tuple(choices) if choices is not None else None,
        "odd": odd,
    }
    return dataclasses.field(default=default, metadata=metadata)


def _kind_of(annotation: Any) -> str:
    if annotation is bool:
        return "bool"
    if annotation is int:
        return "int"
    if annotation is float:
        return "float"
    if annotation is str:
        return "str"
    if typing.get_origin(annotation) is tuple and typing.get_args(annotation) == (float, Ellipsis):
        return "floats"
    raise TypeError(f"unsupported stage parameter type {annotation!r}")


@functools.cache
def _kinds(cls: type) -> dict[str, str]:
    hints = typing.get_type_hints(cls)
    return {f.name: _kind_of(hints[f.name]) for f in dataclasses.fields(cls)}


def _range_text(meta: Mapping[str, Any]) -> str:
    low, high = meta["min"], meta["max"]
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    return ""


@dataclasses.dataclass(frozen=True)
class StageParams:
    """Base for stage parameters: validates and normalises every field on construction.

    Subclasses set ``STAGE`` (used in error messages) and may override ``_check`` for rules spanning fields.
    Integral floats are accepted for ints (UI sliders send 3.0) and ints for floats (YAML writes 1 for 1.0).
    """

    STAGE: ClassVar[str] = "stage"

    def __post_init__(self) -> None:
        kinds = _kinds(type(self))
        for f in dataclasses.fields(self):
            value = self._coerce(f.name, kinds[f.name], getattr(self, f.name), f.metadata)
            object.__setattr__(self, f.name, value)
        self._check()

    def _check(self) -> None:
        """Rules that involve several fields; raise through ``self._fail``."""

    def _fail(self, name: str, problem: str) -> NoReturn:
        raise ValueError(f"{self.STAGE}.{name} {problem}")

    def _coerce(self, name: str, kind: str, value: Any, meta: Mapping[str, Any]) -> Any:
        if kind == "bool":
            if not isinstance(value, bool | np.bool_):
                self._fail(name, f"must be true or false, got {value!r}")
            return bool(value)
        if kind == "str":
            choices = meta["choices"]
            if not isinstance(value, str) or (choices is not None and value not in choices):
                allowed = ", ".join(repr(c) for c in choices or ())
                self._fail(name, f"must be one of {allowed}, got {value!r}")
            return str(value)
        if kind == "floats":
            if isinstance(value, str | bytes) or not isinstance(value, Sequence):
                self._fail(name, f"must be a list of numbers, got {value!r}")
            return tuple(self._number(name, "float", item, meta, element=True) for item in value)
        return self._number(name, kind, value, meta)

    def _number(self, name: str, kind: str, value: Any, meta: Mapping[str, Any], element: bool = False) -> Any:
        every = "every value " if element else ""
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            self._fail(name, f"{every}must be a number, got {value!r}")
        if kind == "int":
            if not isinstance(value, numbers.Integral) and not float(value).is_integer():
                self._fail(name, f"must be an integer, got {value!r}")
            value = int(value)
        else:
            value = float(value)
        low, high = meta["min"], meta["max"]
        out_of_range = (low is not None and value < low) or (high is not None and value > high)
        bounds = _range_text(meta)
        if meta["odd"] and (value % 2 != 1 or out_of_range):
            self._fail(name, f"must be an odd integer{' ' + bounds if bounds else ''}, got {value!r}")
        if out_of_range:
            self._fail(name, f"{every}must be {bounds}, got {value!r}")
        return value

    @classmethod
    def from_dict(cls, values: Mapping[str, Any] | None = None) -> StageParams:
        """Build from a plain mapping (UI form, Hydra config); unknown keys are an error listing the allowed ones."""
        values = dict(values or {})
        allowed = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted(set(values) - set(allowed))
        if unknown:
            raise ValueError(
                f"{cls.STAGE}: unknown parameter(s) {', '.join(unknown)}; allowed: {', '.join(allowed) or '(none)'}"
            )
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Plain, YAML/JSON-friendly values (tuples become lists)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


def describe_params(cls: type[StageParams]) -> list[dict[str, Any]]:
    """One dict per parameter: name, type, default, min, max, step, choices, odd, help (what a form renders)."""
    kinds = _kinds(cls)
    described = []
    for f in dataclasses.fields(cls):
        default = f.default
        described.append(
            {
                "name": f.name,
                "type": kinds[f.name],
                "default": list(default) if isinstance(default, tuple) else default,
                "min": f.metadata["min"],
                "max": f.metadata["max"],
                "step": f.metadata["step"],
                "choices": list(f.metadata["choices"]) if f.metadata["choices"] is not None else None,
                "odd": f.metadata["odd"],
                "help": f.metadata["help"],
            }
        )
    return described

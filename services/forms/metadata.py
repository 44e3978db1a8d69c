"""UI metadata for architectures and optimizers (``configs/ui/architectures``, ``configs/ui/optimizers``).

Architecture metadata says which components fit an architecture (``compatible``), what a fresh form should start
with (``defaults``), extra help per field, and the "Suggested setups" (``use_cases``). All of it is keyed by the
schema's field keys, so a use case's ``recommendations`` can be applied key by key without any special cases.
Optimizer metadata gives slider bounds (e.g. the learning rate's min/max/default/step) per optimizer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.yaml_files import load_yaml, problem, reject_unknown

_ARCH_KEYS = {"label", "description", "notes", "compatible", "defaults", "field_help", "use_cases"}
_USE_CASE_KEYS = {"key", "title", "description", "recommendations"}
_OPT_KEYS = {"label", "description", "bounds"}
_BOUND_KEYS = {"min", "max", "default", "step", "help"}


@dataclass(frozen=True)
class UseCase:
    key: str
    title: str
    description: str
    recommendations: Mapping[str, Any]


@dataclass(frozen=True)
class ArchitectureMeta:
    name: str
    label: str
    description: str = ""
    notes: str = ""
    compatible: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    defaults: Mapping[str, Any] = field(default_factory=dict)
    field_help: Mapping[str, str] = field(default_factory=dict)
    use_cases: tuple[UseCase, ...] = ()
    file: Path | None = None


@dataclass(frozen=True)
class Bounds:
    min: float
    max: float
    default: float
    step: float | None = None
    help: str = ""


@dataclass(frozen=True)
class OptimizerMeta:
    name: str
    label: str
    description: str = ""
    bounds: Mapping[str, Bounds] = field(default_factory=dict)
    file: Path | None = None


def load_architecture_meta(path: Path) -> ArchitectureMeta:
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise problem(path, data, "architecture metadata must be a mapping")
    reject_unknown(path, data, _ARCH_KEYS, "architecture metadata")
    compatible = data.get("compatible") or {}
    if not isinstance(compatible, Mapping) or not all(isinstance(v, list) for v in compatible.values()):
        raise problem(path, data, "'compatible' must map field keys to lists of option values")
    defaults = data.get("defaults") or {}
    field_help = data.get("field_help") or {}
    if not isinstance(defaults, Mapping) or not isinstance(field_help, Mapping):
        raise problem(path, data, "'defaults' and 'field_help' must be mappings keyed by field key")
    for key, value in defaults.items():
        if key in compatible and value not in compatible[key]:
            raise problem(path, defaults, f"default {key}={value!r} is not in compatible {key}: {compatible[key]}")
    use_cases = []
    for raw in data.get("use_cases") or []:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("key"), str):
            raise problem(path, raw, "every use case needs a 'key'")
        reject_unknown(path, raw, _USE_CASE_KEYS, f"use case {raw['key']!r}")
        recommendations = raw.get("recommendations") or {}
        if not isinstance(recommendations, Mapping) or not recommendations:
            raise problem(path, raw, f"use case {raw['key']!r}: 'recommendations' must be a non-empty mapping")
        for key, value in recommendations.items():
            if key in compatible and value not in compatible[key]:
                raise problem(path, raw, f"use case {raw['key']!r}: {key}={value!r} is not compatible "
                              f"(compatible: {', '.join(map(str, compatible[key]))})")
        use_cases.append(UseCase(
            key=raw["key"],
            title=str(raw.get("title") or raw["key"]),
            description=str(raw.get("description") or ""),
            recommendations=dict(recommendations),
        ))
    return ArchitectureMeta(
        name=path.stem,
        label=str(data.get("label") or path.stem),
        description=str(data.get("description") or "").strip(),
        notes=str(data.get("notes") or "").strip(),
        compatible={key: tuple(values) for key, values in compatible.items()},
        defaults=dict(defaults),
        field_help={key: str(value).strip() for key, value in field_help.items()},
        use_cases=tuple(use_cases),
        file=path,
    )


def load_optimizer_meta(path: Path) -> OptimizerMeta:
    data = load_yaml(path)
    if not isinstance(data, Mapping):
        raise problem(path, data, "optimizer metadata must be a mapping")
    reject_unknown(path, data, _OPT_KEYS, "optimizer metadata")
    bounds: dict[str, Bounds] = {}
    for key, raw in (data.get("bounds") or {}).items():
        if not isinstance(raw, Mapping):
            raise problem(path, data, f"bounds {key!r} must be a mapping with min/max/default/step")
        reject_unknown(path, raw, _BOUND_KEYS, f"bounds {key!r}")
        try:
            low, high, default = float(raw["min"]), float(raw["max"]), float(raw["default"])
            step = float(raw["step"]) if raw.get("step") is not None else None
        except (KeyError, TypeError, ValueError) as error:
            raise problem(path, raw, f"bounds {key!r} need numeric min, max and default ({error})") from error
        if not low <= default <= high:
            raise problem(path, raw, f"bounds {key!r}: default {default} is not within [{low}, {high}]")
        bounds[key] = Bounds(low, high, default, step, str(raw.get("help") or "").strip())
    return OptimizerMeta(
        name=path.stem,
        label=str(data.get("label") or path.stem),
        description=str(data.get("description") or "").strip(),
        bounds=bounds,
        file=path,
    )

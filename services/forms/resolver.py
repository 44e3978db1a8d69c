"""Turn the values a user changed into everything a form view renders, and the overrides the command needs.

Views store only what the user actually changed (``user_values``); every other value is derived here on each
change, top to bottom: visibility, options (filtered by the architecture's compatible components), defaults
(schema < optimizer metadata < architecture metadata < the chosen checkpoint's sidecar), help, notices, validation
errors, the Suggested setups, and the overrides. Deriving instead of storing is what keeps defaults following the
architecture and components following the checkpoint, and it is cheap (microseconds per field).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from services.commands import Command, Override, build_command
from services.forms.context import FormContext
from services.forms.metadata import ArchitectureMeta, Bounds
from services.forms.schema import MODEL_OVERRIDE_PREFIXES, FieldSpec, FormSchema, Option
from services.forms.validation import is_empty, validate_field

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ResolvedField:
    """One field as it should be shown now."""

    spec: FieldSpec
    visible: bool
    value: Any
    label: str
    help: str
    options: tuple[Option, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    required: bool = False
    info_text: str = ""
    errors: tuple[str, ...] = ()
    notice: str | None = None
    from_checkpoint: bool = False

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def option_map(self) -> dict[Any, str]:
        """``{value: label}``, the shape select widgets take."""
        return {option.value: option.label for option in self.options}


@dataclass(frozen=True)
class Suggestion:
    """A "Suggested setups" card: ``active`` when every recommendation equals the current value."""

    key: str
    title: str
    description: str
    recommendations: Mapping[str, Any]
    active: bool


@dataclass(frozen=True)
class ResolvedForm:
    schema: FormSchema
    fields: tuple[ResolvedField, ...]
    values: Mapping[str, Any]
    overrides: tuple[Override | str, ...]
    suggestions: tuple[Suggestion, ...]
    architecture: ArchitectureMeta | None

    def field(self, key: str) -> ResolvedField:
        for resolved in self.fields:
            if resolved.key == key:
                return resolved
        raise KeyError(key)

    @property
    def errors(self) -> dict[str, tuple[str, ...]]:
        """Messages per field key, only for fields that have any."""
        return {resolved.key: resolved.errors for resolved in self.fields if resolved.errors}

    @property
    def ok(self) -> bool:
        return not any(resolved.errors for resolved in self.fields)

    @property
    def command(self) -> Command:
        return build_command(self.schema.runner, self.overrides)


def resolve_form(schema: FormSchema, user_values: Mapping[str, Any], context: FormContext) -> ResolvedForm:
    values: dict[str, Any] = {}
    resolved: dict[str, ResolvedField] = {}
    for spec in schema.fields:
        field = _resolve_field(schema, spec, user_values, values, context)
        values[spec.key] = field.value if field.visible else None
        resolved[spec.key] = field
    # Second pass for what depends on later fields: info boxes and the suffix label show the user's actual picks.
    for spec in schema.fields:
        if spec.type == "info":
            resolved[spec.key] = _with(resolved[spec.key], info_text=_info_text(spec, values))
        if schema.suffix is not None and spec.key == schema.suffix.field:
            label, help_text = _suffix_label(schema, values)
            resolved[spec.key] = _with(resolved[spec.key], label=label, help=_join(help_text, spec.help))
    architecture = context.architecture(values.get(schema.architecture_field)) if schema.architecture_field else None
    return ResolvedForm(
        schema=schema,
        fields=tuple(resolved[spec.key] for spec in schema.fields),
        values=values,
        overrides=tuple(_overrides(schema, values, context, _checkpoint_model_kept(schema, resolved))),
        suggestions=tuple(_suggestions(architecture, values)),
        architecture=architecture,
    )


def _resolve_field(
    schema: FormSchema,
    spec: FieldSpec,
    user_values: Mapping[str, Any],
    values: Mapping[str, Any],
    context: FormContext,
) -> ResolvedField:
    visible = spec.visible_if(values) if spec.visible_if is not None else True
    architecture = context.architecture(values.get(schema.architecture_field)) if schema.architecture_field else None
    optimizer = context.optimizer(values.get(schema.optimizer_field)) if schema.optimizer_field else None
    sidecar = _sidecar(schema, values, context)
    bounds: Bounds | None = optimizer.bounds.get(spec.optimizer_bounds) if optimizer and spec.optimizer_bounds else None

    low, high, step = spec.min, spec.max, spec.step
    if bounds is not None:
        low, high, step = bounds.min, bounds.max, bounds.step or step

    # Default candidates, most specific first; the first one that is valid for this field wins.
    checkpoint_value = dig(sidecar, spec.from_checkpoint) if sidecar is not None and spec.from_checkpoint else None
    candidates: list[Any] = []
    if checkpoint_value is not None:
        candidates.append(checkpoint_value)
    if architecture is not None and spec.key in architecture.defaults and (
        bounds is None or values.get(schema.optimizer_field) == architecture.defaults.get(schema.optimizer_field)
    ):
        # A tuned value such as the learning rate belongs to the architecture's own default optimizer.
        candidates.append(architecture.defaults[spec.key])
    if bounds is not None:
        candidates.append(bounds.default)
    if spec.default is not None:
        candidates.append(spec.default)

    options: tuple[Option, ...] = ()
    notice: str | None = None
    if spec.type == "select":
        options, notice = _options(spec, architecture, context, checkpoint_value)
        value, value_notice = _select_value(spec, user_values, candidates, options, checkpoint_value)
        notice = value_notice or notice
    else:
        value, notice = _plain_value(spec, user_values, candidates, low, high)
    from_checkpoint = checkpoint_value is not None and value == checkpoint_value

    required = spec.validation.required or (
        spec.validation.required_if is not None and spec.validation.required_if(values)
    )
    errors: tuple[str, ...] = ()
    if visible:
        paths = getattr(context, "paths", None)
        errors = tuple(validate_field(spec, value, required=required, has_options=bool(options), paths=paths))
    help_parts = [spec.help]
    if architecture is not None:
        help_parts.append(architecture.field_help.get(spec.key, ""))
    if spec.key == schema.architecture_field:
        chosen = context.architecture(value)
        if chosen is not None:
            help_parts += [chosen.description, chosen.notes]
    if bounds is not None:
        help_parts.append(bounds.help)
    if from_checkpoint:
        help_parts.append("Filled in from the selected checkpoint, which was trained with it.")
    return ResolvedField(
        spec=spec,
        visible=visible,
        value=value,
        label=spec.label,
        help=_join(*help_parts),
        options=options,
        min=low,
        max=high,
        step=step,
        required=required,
        errors=errors,
        notice=notice,
        from_checkpoint=from_checkpoint,
    )


def _sidecar(schema: FormSchema, values: Mapping[str, Any], context: FormContext) -> Mapping[str, Any] | None:
    if schema.checkpoint_field is None or schema.checkpoint_field not in values:
        return None
    chosen = values.get(schema.checkpoint_field)
    return context.checkpoint_metadata(chosen) if chosen else None


def dig(data: Mapping[str, Any], dotted: str) -> Any:
    current: Any = data
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return None
        current = current[part]
    return current


def _options(
    spec: FieldSpec, architecture: ArchitectureMeta | None, context: FormContext, checkpoint_value: Any = None
) -> tuple[tuple[Option, ...], str | None]:
    base = tuple(spec.options) if spec.options else tuple(context.options(spec.options_source or ""))
    compatible = architecture.compatible.get(spec.key) if architecture is not None else None
    if compatible is None:
        return base, None
    # What a checkpoint was trained with stays selectable even if the metadata does not list it: its weights need it.
    filtered = tuple(option for option in base if option.value in compatible or option.value == checkpoint_value)
    if filtered or not base:
        return filtered, None
    return base, (f"None of the {spec.label.lower()} options listed as compatible with {architecture.label} "
                  f"({', '.join(map(str, compatible))}) is available; showing all.")


def _select_value(
    spec: FieldSpec,
    user_values: Mapping[str, Any],
    candidates: list[Any],
    options: tuple[Option, ...],
    checkpoint_value: Any,
) -> tuple[Any, str | None]:
    allowed = [option.value for option in options]
    fallback = next((candidate for candidate in candidates if candidate in allowed), None)
    if fallback is None and not spec.empty_choice and allowed:
        fallback = allowed[0]
    notice = None
    if spec.key in user_values:
        chosen = user_values[spec.key]
        if chosen in allowed or (chosen is None and spec.empty_choice):
            return chosen, None
        if chosen is not None:
            notice = f"{chosen!r} is not available here; using {fallback!r} instead."
    elif checkpoint_value is not None and checkpoint_value not in allowed:
        notice = f"The checkpoint was trained with {checkpoint_value!r}, which is not available here."
    return fallback, notice


def _plain_value(
    spec: FieldSpec,
    user_values: Mapping[str, Any],
    candidates: list[Any],
    low: float | None,
    high: float | None,
) -> tuple[Any, str | None]:
    if spec.type == "info":
        return None, None
    if spec.key in user_values:
        value = _coerce(spec, user_values[spec.key])
    else:
        in_range = [
            c for c in candidates if not _is_number(c) or ((low is None or c >= low) and (high is None or c <= high))
        ]
        value = _coerce(spec, (in_range or candidates or [None])[0])
    if spec.type == "slider" and isinstance(value, int | float) and not isinstance(value, bool):
        if low is not None and high is not None and not low <= value <= high:
            clamped = _coerce(spec, min(max(value, low), high))
            shown = f"{value:g}"
            return clamped, f"{shown} is outside the allowed range {low:g}–{high:g}; using {clamped:g}."
    return value, None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _coerce(spec: FieldSpec, value: Any) -> Any:
    """Bring a stored or typed value into the field's type, leaving hopeless input for validation to report."""
    if spec.type == "checkbox":
        return bool(value)
    if spec.type in ("number", "slider"):
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if spec.integer and math.isfinite(value) and float(value).is_integer():
            return int(value)
        return value
    if spec.type == "text":
        return None if value is None else str(value)
    return value


def _info_text(spec: FieldSpec, values: Mapping[str, Any]) -> str:
    names = _PLACEHOLDER.findall(spec.info_template)
    if not spec.info_template or all(is_empty(values.get(name)) for name in names):
        return spec.info_fallback
    return _PLACEHOLDER.sub(lambda m: "—" if is_empty(values.get(m.group(1))) else str(values[m.group(1)]),
                            spec.info_template)


def suffix_for(schema: FormSchema, values: Mapping[str, Any]) -> str | None:
    """``-<part1>-<part2>...`` from the current values, or None when a part is empty."""
    if schema.suffix is None:
        return None
    parts = [values.get(name) for name in schema.suffix.parts]
    if any(is_empty(part) for part in parts):
        return None
    return "-" + "-".join(str(part) for part in parts)


def _suffix_label(schema: FormSchema, values: Mapping[str, Any]) -> tuple[str, str]:
    assert schema.suffix is not None
    target = schema.field(schema.suffix.target).label.lower()
    pattern = "-" + "-".join(f"<{name}>" for name in schema.suffix.parts)
    suffix = suffix_for(schema, values)
    if suffix is None:
        return f"Append {pattern} to the {target}", f"Appends {pattern} once, when all of them are set."
    name = values.get(schema.suffix.target) or ""
    result = name if str(name).endswith(suffix) else f"{name}{suffix}"
    return f"Append {suffix} to the {target}", f"Appends {pattern} once; the run will be named {result!r}."


def _is_model_override(spec: FieldSpec) -> bool:
    return bool(spec.override) and all(key.startswith(MODEL_OVERRIDE_PREFIXES) for key in spec.override)


def _checkpoint_model_kept(schema: FormSchema, resolved: Mapping[str, ResolvedField]) -> frozenset[str]:
    """Keys whose model overrides are left out because the checkpoint's own model config will be used."""
    if not schema.model_from_checkpoint:
        return frozenset()
    model_fields = [
        field for field in resolved.values() if field.spec.from_checkpoint and _is_model_override(field.spec)
    ]
    if model_fields and all(field.from_checkpoint for field in model_fields if field.visible):
        return frozenset(field.key for field in model_fields)
    return frozenset()


def _overrides(
    schema: FormSchema, values: Mapping[str, Any], context: FormContext, omitted: frozenset[str] = frozenset()
) -> list[Override | str]:
    overrides: list[Override | str] = list(schema.constant_overrides)
    suffix = suffix_for(schema, values) if schema.suffix and values.get(schema.suffix.field) else None
    paths = getattr(context, "paths", None)
    if paths is not None and paths.outputs != paths.project_root / "outputs":
        # the app was started with --outputs: a copied command must write where the app looks
        overrides.append(Override("outputs_dir", str(paths.outputs)))
    for spec in schema.fields:
        value = values.get(spec.key)
        if not spec.override or is_empty(value) or spec.key in omitted:
            continue
        if spec.path is not None and paths is not None:
            value = paths.display_path(value)  # normalised as typed; validation checks where it really points
        if suffix is not None and schema.suffix is not None and spec.key == schema.suffix.target:
            value = value if str(value).endswith(suffix) else f"{value}{suffix}"
        overrides.extend(Override(key, value) for key in spec.override)
    return overrides


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, float | int) and isinstance(right, float | int) and not isinstance(left, bool):
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    return bool(left == right)


def _suggestions(architecture: ArchitectureMeta | None, values: Mapping[str, Any]) -> list[Suggestion]:
    if architecture is None:
        return []
    return [
        Suggestion(
            key=use_case.key,
            title=use_case.title,
            description=use_case.description,
            recommendations=use_case.recommendations,
            active=all(_same(values.get(key), value) for key, value in use_case.recommendations.items()),
        )
        for use_case in architecture.use_cases
    ]


def _join(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)


def _with(field: ResolvedField, **changes: Any) -> ResolvedField:
    return replace(field, **changes)

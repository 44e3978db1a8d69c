"""The form schema model: one YAML file per command under ``configs/ui/schemas``.

Parsing is strict (unknown keys and bad types are reported with file and line) because a typo in a schema would
otherwise silently drop a field or an override, which is exactly how the seed's commands ended up ignoring the
chosen architecture. Conditions are parsed once here with the safe evaluator and checked to name earlier fields only,
so resolution can run top to bottom in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from services.forms.expressions import Condition, ExpressionError, parse_condition
from services.yaml_files import LineDict, load_yaml, problem, reject_unknown

FieldType = Literal["text", "number", "checkbox", "slider", "select", "info"]
FIELD_TYPES: tuple[str, ...] = ("text", "number", "checkbox", "slider", "select", "info")
OPTION_SOURCES: tuple[str, ...] = (
    "architectures", "encoders", "decoders", "heads", "losses",
    "optimizers", "datasets", "preprocessing_profiles", "checkpoints",
)
PATH_ROOTS: tuple[str, ...] = ("project", "data", "outputs")

_FIELD_KEYS = {
    "key", "type", "label", "help", "default", "section", "override", "options", "options_source", "empty_choice",
    "min", "max", "step", "format", "integer", "visible_if", "validation", "path", "optimizer_bounds",
    "from_checkpoint", "info_template", "info_fallback", "allow_interpolation", "placeholder",
}
_VALIDATION_KEYS = {"required", "required_if", "min", "max", "min_length", "max_length"}
_SCHEMA_KEYS = {
    "title", "description", "runner", "constant_overrides", "fields", "architecture_field", "optimizer_field",
    "checkpoint_field", "suffix", "model_from_checkpoint",
}
# Override keys the runners treat as "the user chose model components" (ocr.runners.evaluation.model_overridden).
MODEL_OVERRIDE_PREFIXES: tuple[str, ...] = ("model/", "model.")


@dataclass(frozen=True)
class Option:
    """One choice of a select: ``value`` goes into the override, ``label`` is what the user reads."""

    value: Any
    label: str


@dataclass(frozen=True)
class Validation:
    required: bool = False
    required_if: Condition | None = None
    min: float | None = None
    max: float | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass(frozen=True)
class PathRule:
    """A text field holding a path: it must stay inside the named roots, and optionally exist as ``kind``."""

    kind: Literal["dir", "file", "any"] = "any"
    must_exist: bool = True
    roots: tuple[str, ...] = PATH_ROOTS


@dataclass(frozen=True)
class SuffixRule:
    """Append ``-<part1>-<part2>...`` (the effective values of ``parts``) to ``target`` when ``field`` is on."""

    field: str
    target: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    type: FieldType
    label: str
    help: str = ""
    default: Any = None
    section: str | None = None
    override: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    options_source: str | None = None
    empty_choice: bool = False
    min: float | None = None
    max: float | None = None
    step: float | None = None
    format: str | None = None
    integer: bool = False
    visible_if: Condition | None = None
    validation: Validation = field(default_factory=Validation)
    path: PathRule | None = None
    optimizer_bounds: str | None = None
    from_checkpoint: str | None = None
    info_template: str = ""
    info_fallback: str = ""
    allow_interpolation: bool = False
    placeholder: str = ""
    line: int | None = None


@dataclass(frozen=True)
class FormSchema:
    """A parsed schema; ``name`` is the file stem (train, test, predict)."""

    name: str
    file: Path
    title: str
    runner: str
    fields: tuple[FieldSpec, ...]
    description: str = ""
    constant_overrides: tuple[str, ...] = ()
    architecture_field: str | None = None
    optimizer_field: str | None = None
    checkpoint_field: str | None = None
    suffix: SuffixRule | None = None
    # When true, model/* overrides of fields filled from the checkpoint are left out while they all still equal the
    # checkpoint's values, so the runner (model_from_checkpoint=auto) rebuilds the checkpoint's exact model config,
    # kwargs included. Once the user changes one of them, all of them are written out.
    model_from_checkpoint: bool = False

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.fields)


def load_schema(path: Path) -> FormSchema:
    """Read and parse one schema file (raises ConfigFileError with file and line)."""
    return parse_schema(load_yaml(path), path)


def parse_schema(data: Any, file: Path) -> FormSchema:
    if not isinstance(data, Mapping):
        raise problem(file, data, "a form schema must be a mapping with 'title', 'runner' and 'fields'")
    reject_unknown(file, data, _SCHEMA_KEYS, "schema")
    runner = data.get("runner")
    if runner not in ("ocr.train", "ocr.test", "ocr.predict"):
        raise problem(file, data, f"'runner' must be ocr.train, ocr.test or ocr.predict, not {runner!r}")
    raw_fields = data.get("fields")
    if not isinstance(raw_fields, list) or not raw_fields:
        raise problem(file, data, "'fields' must be a non-empty list")
    fields: list[FieldSpec] = []
    for raw in raw_fields:
        spec = _parse_field(raw, file)
        if any(existing.key == spec.key for existing in fields):
            raise problem(file, raw, f"duplicate field key {spec.key!r}")
        _check_condition_names(file, raw, spec, [existing.key for existing in fields])
        fields.append(spec)
    keys = [spec.key for spec in fields]
    for role in ("architecture_field", "optimizer_field", "checkpoint_field"):
        value = data.get(role)
        if value is not None and value not in keys:
            raise problem(file, data, f"{role} {value!r} is not a field of this schema")
    suffix = _parse_suffix(data.get("suffix"), file, keys)
    constants = data.get("constant_overrides") or []
    if not isinstance(constants, list) or not all(isinstance(item, str) and "=" in item for item in constants):
        raise problem(file, data, "'constant_overrides' must be a list of 'key=value' strings")
    return FormSchema(
        name=file.stem,
        file=file,
        title=str(data.get("title") or file.stem.title()),
        description=str(data.get("description") or ""),
        runner=runner,
        fields=tuple(fields),
        constant_overrides=tuple(constants),
        architecture_field=data.get("architecture_field"),
        optimizer_field=data.get("optimizer_field"),
        checkpoint_field=data.get("checkpoint_field"),
        suffix=suffix,
        model_from_checkpoint=bool(data.get("model_from_checkpoint", False)),
    )



def _parse_field(raw: Any, file: Path) -> FieldSpec:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("key"), str) or not raw["key"].isidentifier():
        raise problem(file, raw, "every field needs a 'key' that is a valid identifier")
    key = raw["key"]
    reject_unknown(file, raw, _FIELD_KEYS, f"field {key!r}")
    kind = raw.get("type")
    if kind not in FIELD_TYPES:
        raise problem(file, raw, f"field {key!r}: type must be one of {', '.join(FIELD_TYPES)}, not {kind!r}")
    source = raw.get("options_source")
    if source is not None and source not in OPTION_SOURCES:
        raise problem(file, raw, f"field {key!r}: unknown options_source {source!r}; "
                      f"available: {', '.join(OPTION_SOURCES)}")
    if kind == "select" and source is None and not raw.get("options"):
        raise problem(file, raw, f"field {key!r}: a select needs 'options' or 'options_source'")
    if kind == "slider" and (raw.get("min") is None or raw.get("max") is None) and not raw.get("optimizer_bounds"):
        raise problem(file, raw, f"field {key!r}: a slider needs 'min' and 'max' (or 'optimizer_bounds')")
    override = raw.get("override")
    overrides = (override,) if isinstance(override, str) else tuple(override or ())
    if not all(isinstance(item, str) and item for item in overrides):
        raise problem(file, raw, f"field {key!r}: 'override' must be a string or a list of strings")
    if kind == "info" and overrides:
        raise problem(file, raw, f"field {key!r}: an info field shows text and cannot produce an override")
    try:
        visible_if = parse_condition(raw["visible_if"]) if raw.get("visible_if") is not None else None
        validation = _parse_validation(raw.get("validation"), file, key)
    except ExpressionError as error:
        raise problem(file, raw, f"field {key!r}: {error}") from error
    return FieldSpec(
        key=key,
        type=kind,
        label=str(raw.get("label") or key.replace("_", " ").capitalize()),
        help=str(raw.get("help") or "").strip(),
        default=raw.get("default"),
        section=raw.get("section"),
        override=overrides,
        options=_parse_options(raw.get("options"), file, raw, key),
        options_source=source,
        empty_choice=bool(raw.get("empty_choice", False)),
        min=_number(raw, "min", file, key),
        max=_number(raw, "max", file, key),
        step=_number(raw, "step", file, key),
        format=raw.get("format"),
        integer=bool(raw.get("integer", False)),
        visible_if=visible_if,
        validation=validation,
        path=_parse_path_rule(raw.get("path"), file, raw, key),
        optimizer_bounds=raw.get("optimizer_bounds"),
        from_checkpoint=raw.get("from_checkpoint"),
        info_template=str(raw.get("info_template") or ""),
        info_fallback=str(raw.get("info_fallback") or ""),
        allow_interpolation=bool(raw.get("allow_interpolation", False)),
        placeholder=str(raw.get("placeholder") or ""),
        line=raw.line if isinstance(raw, LineDict) else None,
    )


def _number(raw: Mapping[str, Any], name: str, file: Path, key: str) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise problem(file, raw, f"field {key!r}: {name!r} must be a number, not {value!r}")
    return value


def _parse_options(raw: Any, file: Path, node: Any, key: str) -> tuple[Option, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise problem(file, node, f"field {key!r}: 'options' must be a list")
    options = []
    for item in raw:
        if isinstance(item, Mapping) and "value" in item:
            options.append(Option(item["value"], str(item.get("label", item["value"]))))
        elif isinstance(item, str | int | float | bool):
            options.append(Option(item, str(item)))
        else:
            raise problem(file, node, f"field {key!r}: an option must be a value or a {{label, value}} mapping")
    return tuple(options)


def _parse_validation(raw: Any, file: Path, key: str) -> Validation:
    if raw is None:
        return Validation()
    if not isinstance(raw, Mapping):
        raise problem(file, raw, f"field {key!r}: 'validation' must be a mapping")
    reject_unknown(file, raw, _VALIDATION_KEYS, f"validation of {key!r}")
    required_if = raw.get("required_if")
    return Validation(
        required=bool(raw.get("required", False)),
        required_if=parse_condition(required_if) if required_if is not None else None,
        min=_number(raw, "min", file, key),
        max=_number(raw, "max", file, key),
        min_length=raw.get("min_length"),
        max_length=raw.get("max_length"),
    )


def _parse_path_rule(raw: Any, file: Path, node: Any, key: str) -> PathRule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise problem(file, node, f"field {key!r}: 'path' must be a mapping with kind/must_exist/roots")
    kind = raw.get("kind", "any")
    roots = tuple(raw.get("roots") or PATH_ROOTS)
    if kind not in ("dir", "file", "any") or not set(roots) <= set(PATH_ROOTS):
        raise problem(file, node, f"field {key!r}: path kind must be dir/file/any and roots among "
                      f"{', '.join(PATH_ROOTS)}")
    return PathRule(kind=kind, must_exist=bool(raw.get("must_exist", True)), roots=roots)


def _parse_suffix(raw: Any, file: Path, keys: list[str]) -> SuffixRule | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise problem(file, raw, "'suffix' must be a mapping with field, target and parts")
    rule = SuffixRule(field=raw.get("field"), target=raw.get("target"), parts=tuple(raw.get("parts") or ()))
    missing = [name for name in (rule.field, rule.target, *rule.parts) if name not in keys]
    if missing or not rule.parts:
        raise problem(file, raw, f"suffix refers to unknown field(s) {missing} (or has no parts)")
    return rule


def _check_condition_names(file: Path, raw: Any, spec: FieldSpec, earlier: list[str]) -> None:
    for condition in (spec.visible_if, spec.validation.required_if):
        if condition is None:
            continue
        later = sorted(name for name in condition.names if name not in earlier)
        if later:
            raise problem(file, raw, f"field {spec.key!r}: condition {condition.source!r} refers to "
                          f"{', '.join(map(repr, later))}, which is not an earlier field")

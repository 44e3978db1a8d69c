"""Edits to a form's user values that keep dependent fields consistent.

The stored ``user_values`` hold only what the user chose. A few choices invalidate others: a new architecture makes
some component picks incompatible, a new optimizer moves the learning-rate bounds, a new checkpoint brings its own
components. Those dependent picks are dropped here so they fall back to the derived default (metadata or sidecar)
instead of lingering as a stale value with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.forms.context import FormContext
from services.forms.resolver import dig, resolve_form
from services.forms.schema import FormSchema


class UnknownSuggestion(KeyError):
    """Apply was asked for a use case that the current architecture does not offer."""


def set_value(
    schema: FormSchema, user_values: Mapping[str, Any], key: str, value: Any, context: FormContext
) -> dict[str, Any]:
    """Return new user values with ``key`` set and the picks it invalidates removed."""
    schema.field(key)  # KeyError for a key the schema does not have
    updated = dict(user_values)
    updated[key] = value
    if key == schema.architecture_field:
        _drop_incompatible(updated, context.architecture(value), keep=key)
    if key == schema.optimizer_field:
        optimizer = context.optimizer(value)
        for spec in schema.fields:
            bounds = optimizer.bounds.get(spec.optimizer_bounds) if optimizer and spec.optimizer_bounds else None
            current = updated.get(spec.key)
            if bounds is not None and isinstance(current, int | float) and not bounds.min <= current <= bounds.max:
                del updated[spec.key]
    if key == schema.checkpoint_field:
        sidecar = context.checkpoint_metadata(value) if value else None
        for spec in schema.fields:
            if spec.from_checkpoint and sidecar is not None and dig(sidecar, spec.from_checkpoint) is not None:
                updated.pop(spec.key, None)
    return updated


def apply_suggestion(
    schema: FormSchema, user_values: Mapping[str, Any], suggestion_key: str, context: FormContext
) -> dict[str, Any]:
    """Apply every recommendation of a Suggested setup of the current architecture (all keys, none dropped)."""
    form = resolve_form(schema, user_values, context)
    suggestion = next((item for item in form.suggestions if item.key == suggestion_key), None)
    if suggestion is None:
        offered = ", ".join(item.key for item in form.suggestions) or "none"
        raise UnknownSuggestion(f"no suggested setup {suggestion_key!r} here (offered: {offered})")
    updated = dict(user_values)
    recommendations = dict(suggestion.recommendations)
    if schema.architecture_field in recommendations:
        updated = set_value(schema, updated, schema.architecture_field, recommendations.pop(schema.architecture_field),
                            context)
    if schema.optimizer_field in recommendations:
        updated = set_value(schema, updated, schema.optimizer_field, recommendations.pop(schema.optimizer_field),
                            context)
    updated.update(recommendations)
    return updated


def _drop_incompatible(updated: dict[str, Any], architecture: Any, *, keep: str) -> None:
    if architecture is None:
        return
    for field_key, allowed in architecture.compatible.items():
        if field_key != keep and field_key in updated and updated[field_key] not in allowed:
            del updated[field_key]

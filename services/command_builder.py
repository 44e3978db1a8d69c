"""The Command Builder for one command (train, test, predict), bound to the live catalogs.

Views keep only the values the user changed (per browser tab) and call ``resolve`` on every change: it is pure and
fast (no I/O), so the preview can update live. ``check`` is the pre-run gate: field errors, then the (possibly
edited) command text must still be a project runner, then a Hydra compose dry-run in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.checkpoint_catalog import CheckpointCatalog
from services.commands import Command, CommandRejected, argv_from_text
from services.config_catalog import ConfigCatalog
from services.dry_run import DryRunResult, config_name_for, dry_run
from services.forms.editing import apply_suggestion, set_value
from services.forms.metadata import ArchitectureMeta, OptimizerMeta
from services.forms.resolver import ResolvedForm, resolve_form
from services.forms.schema import FormSchema, Option
from services.paths import WorkbenchPaths


class SchemaUnavailable(LookupError):
    """The command's schema is not loaded (startup prefetch still running, or the file never parsed)."""


@dataclass
class CatalogFormContext:
    """FormContext backed by the config and checkpoint catalogs."""

    configs: ConfigCatalog
    checkpoints: CheckpointCatalog
    paths: WorkbenchPaths | None = None

    def options(self, source: str) -> list[Option]:
        return self.checkpoints.options() if source == "checkpoints" else self.configs.options(source)

    def architecture(self, name: Any) -> ArchitectureMeta | None:
        return self.configs.architecture(name)

    def optimizer(self, name: Any) -> OptimizerMeta | None:
        return self.configs.optimizer(name)

    def checkpoint_metadata(self, value: Any) -> Mapping[str, Any] | None:
        return self.checkpoints.metadata_for(value)


@dataclass(frozen=True)
class RunCheck:
    """The outcome of the pre-run gate; ``argv`` is what to hand to ``JobService.start`` when ``ok``."""

    ok: bool
    message: str
    argv: list[str] = field(default_factory=list)
    text: str = ""
    field_errors: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    dry_run: DryRunResult | None = None


class CommandBuilder:
    def __init__(self, name: str, configs: ConfigCatalog, context: CatalogFormContext) -> None:
        self.name = name
        self.configs = configs
        self.context = context

    @property
    def schema(self) -> FormSchema | None:
        return self.configs.schema(self.name)

    def _schema(self) -> FormSchema:
        schema = self.schema
        if schema is None:
            raise SchemaUnavailable(f"the {self.name} form is not loaded (configs/ui/schemas/{self.name}.yaml)")
        return schema

    def resolve(self, user_values: Mapping[str, Any]) -> ResolvedForm:
        """Everything the form shows, from the values the user changed."""
        return resolve_form(self._schema(), user_values, self.context)

    def set_value(self, user_values: Mapping[str, Any], key: str, value: Any) -> dict[str, Any]:
        """New user values after a change (dependent picks that became invalid are dropped)."""
        return set_value(self._schema(), user_values, key, value, self.context)

    def apply_suggestion(self, user_values: Mapping[str, Any], suggestion_key: str) -> dict[str, Any]:
        return apply_suggestion(self._schema(), user_values, suggestion_key, self.context)

    @staticmethod
    def reset() -> dict[str, Any]:
        """Back to schema and metadata defaults."""
        return {}

    def command(self, user_values: Mapping[str, Any]) -> Command:
        return self.resolve(user_values).command

    async def check(self, user_values: Mapping[str, Any], edited_text: str | None = None) -> RunCheck:
        """Field errors block; then the command (edited text if given) must be a runner and compose in Hydra."""
        form = self.resolve(user_values)
        if not form.ok:
            count = sum(len(messages) for messages in form.errors.values())
            return RunCheck(False, f"Fix {count} field error{'s' if count != 1 else ''} before running.",
                            field_errors=form.errors)
        command = form.command
        text = edited_text if edited_text is not None else command.text
        try:
            argv = argv_from_text(text) if edited_text is not None else command.argv
        except CommandRejected as error:
            return RunCheck(False, str(error), text=text)
        if argv[2] != command.runner:
            return RunCheck(False, f"This is the {self.name} page: the command must run python -m {command.runner}, "
                            f"not {argv[2]}.", text=text)
        result = await asyncio.to_thread(
            dry_run, Path(self.configs.configs_dir), config_name_for(argv[2]), argv[3:], self.configs.groups
        )
        if not result.ok:
            return RunCheck(False, result.message, argv=argv, text=text, dry_run=result)
        return RunCheck(True, result.message, argv=argv, text=text, dry_run=result)

"""What a form needs to know about the world: option lists, metadata, checkpoint sidecars and the allowed paths.

Resolution depends on this small protocol rather than on the catalogs, so tests can hand in a ``StaticFormContext``
and the app hands in one backed by the live (cached, watched) catalogs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from services.forms.metadata import ArchitectureMeta, OptimizerMeta
from services.forms.schema import Option
from services.paths import WorkbenchPaths


class FormContext(Protocol):
    paths: WorkbenchPaths | None

    def options(self, source: str) -> Sequence[Option]:
        """The choices an ``options_source`` yields right now (empty when unknown)."""

    def architecture(self, name: Any) -> ArchitectureMeta | None: ...

    def optimizer(self, name: Any) -> OptimizerMeta | None: ...

    def checkpoint_metadata(self, value: Any) -> Mapping[str, Any] | None:
        """The sidecar of the checkpoint whose option value is ``value``, if known."""


@dataclass
class StaticFormContext:
    """A FormContext from plain data (tests, benchmarks, previews without the catalogs)."""

    sources: Mapping[str, Sequence[Option | str]] = field(default_factory=dict)
    architectures: Mapping[str, ArchitectureMeta] = field(default_factory=dict)
    optimizers: Mapping[str, OptimizerMeta] = field(default_factory=dict)
    checkpoints: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    paths: WorkbenchPaths | None = None

    def options(self, source: str) -> Sequence[Option]:
        return [item if isinstance(item, Option) else Option(item, str(item)) for item in self.sources.get(source, ())]

    def architecture(self, name: Any) -> ArchitectureMeta | None:
        return self.architectures.get(name) if isinstance(name, str) else None

    def optimizer(self, name: Any) -> OptimizerMeta | None:
        return self.optimizers.get(name) if isinstance(name, str) else None

    def checkpoint_metadata(self, value: Any) -> Mapping[str, Any] | None:
        return self.checkpoints.get(value) if isinstance(value, str) else None

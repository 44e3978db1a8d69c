"""The config catalog: form schemas, UI metadata, Hydra config groups and the option lists they yield.

Loaded once per process and then kept current file by file: ``apply_changes`` re-reads only the files the watcher
reports. A file that fails to parse keeps its last good version in use and records a ``ConfigProblem`` with file
and line, so editing a schema can never take a working form away; the problem clears when the file is fixed.
Reads are lock-free: every update builds a new immutable snapshot and swaps it in.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from services.forms.metadata import ArchitectureMeta, OptimizerMeta, load_architecture_meta, load_optimizer_meta
from services.forms.schema import FormSchema, Option, load_schema
from services.registry_names import SOURCES as REGISTRY_SOURCES
from services.registry_names import RegistryNames, load_registry_names
from services.signals import Signal
from services.yaml_files import ConfigFileError, ConfigProblem, load_yaml

# options_source -> Hydra config group whose *.yaml stems are the options
GROUP_SOURCES: Mapping[str, str] = {
    "optimizers": "optimizer",
    "datasets": "data",
    "preprocessing_profiles": "preprocessing",
}
UI_FOLDER = "ui"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ConfigChange:
    """What an update touched: ``kinds`` among schema, architecture, optimizer, group, registry, problems."""

    kinds: frozenset[str]
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class _Snapshot:
    schemas: Mapping[str, FormSchema] = field(default_factory=dict)
    architectures: Mapping[str, ArchitectureMeta] = field(default_factory=dict)
    optimizers: Mapping[str, OptimizerMeta] = field(default_factory=dict)
    groups: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    registry: RegistryNames = field(default_factory=lambda: RegistryNames(names={}))
    file_problems: Mapping[Path, ConfigProblem] = field(default_factory=dict)
    cross_problems: tuple[ConfigProblem, ...] = ()


class ConfigCatalog:
    def __init__(
        self,
        configs_dir: Path,
        *,
        registry_loader: Callable[[], RegistryNames] = load_registry_names,
    ) -> None:
        self.configs_dir = Path(configs_dir).resolve()
        self.ui_dir = self.configs_dir / UI_FOLDER
        self.changed = Signal("config_catalog.changed")
        self._registry_loader = registry_loader
        self._snapshot = _Snapshot()
        self._lock = threading.Lock()
        self.loaded = False
        self.version = 0

    # ---- loading -------------------------------------------------------------------------------------------------
    def load(self) -> ConfigChange:
        """Read everything (blocking; call through ``refresh`` from async code)."""
        with self._lock:
            files = sorted(path for path in self.configs_dir.rglob("*") if _is_config_file(path))
            snapshot = replace(_Snapshot(), registry=self._registry_loader())
            for path in files:
                snapshot = self._read_file(snapshot, path)
            snapshot = replace(snapshot, groups=self._scan_groups())
            self._swap(self._cross_check(snapshot))
            self.loaded = True
            return ConfigChange(frozenset({"schema", "architecture", "optimizer", "group", "registry", "problems"}),
                                tuple(files))

    async def refresh(self) -> ConfigChange:
        change = await asyncio.to_thread(self.load)
        self.changed.emit(change)
        return change

    def reload_files(self, paths: Iterable[Path]) -> ConfigChange:
        """Re-read just these files (added, modified or deleted) and the group lists they belong to."""
        with self._lock:
            snapshot = self._snapshot
            kinds: set[str] = set()
            touched: list[Path] = []
            for raw in paths:
                path = Path(raw).resolve() if Path(raw).exists() else Path(raw).absolute()
                if not _is_config_file(path) or not path.is_relative_to(self.configs_dir):
                    continue
                touched.append(path)
                kinds.add(self._kind(path))
                snapshot = self._read_file(snapshot, path)
            if "group" in kinds:
                snapshot = replace(snapshot, groups=self._scan_groups())
            before = (self._snapshot.file_problems, self._snapshot.cross_problems)
            snapshot = self._cross_check(snapshot)
            if (snapshot.file_problems, snapshot.cross_problems) != before:
                kinds.add("problems")
            self._swap(snapshot)
            return ConfigChange(frozenset(kinds), tuple(touched))

    async def apply_changes(self, paths: Iterable[Path]) -> ConfigChange:
        change = await asyncio.to_thread(self.reload_files, list(paths))
        if change.kinds:
            self.changed.emit(change)
        return change

    def _swap(self, snapshot: _Snapshot) -> None:
        self._snapshot = snapshot
        self.version += 1

    def _kind(self, path: Path) -> str:
        if path.is_relative_to(self.ui_dir):
            folder = path.parent.name
            return {"schemas": "schema", "architectures": "architecture", "optimizers": "optimizer"}.get(folder, "ui")
        return "group"

    def _read_file(self, snapshot: _Snapshot, path: Path) -> _Snapshot:
        kind = self._kind(path)
        problems = dict(snapshot.file_problems)
        problems.pop(path, None)
        if not path.exists():
            return replace(snapshot, file_problems=problems, **self._without(snapshot, kind, path.stem))
        try:
            if kind == "schema":
                schema = load_schema(path)
                return replace(snapshot, file_problems=problems, schemas={**snapshot.schemas, schema.name: schema})
            if kind == "architecture":
                meta = load_architecture_meta(path)
                return replace(snapshot, file_problems=problems,
                               architectures={**snapshot.architectures, meta.name: meta})
            if kind == "optimizer":
                optimizer = load_optimizer_meta(path)
                return replace(snapshot, file_problems=problems,
                               optimizers={**snapshot.optimizers, optimizer.name: optimizer})
            load_yaml(path)  # Hydra configs and other UI files: only checked, so a typo shows before a run fails
        except ConfigFileError as error:
            problems[path] = error.problem  # the previous (last good) version stays in the snapshot
        return replace(snapshot, file_problems=problems)

    @staticmethod
    def _without(snapshot: _Snapshot, kind: str, name: str) -> dict[str, Any]:
        if kind == "schema":
            return {"schemas": {k: v for k, v in snapshot.schemas.items() if k != name}}
        if kind == "architecture":
            return {"architectures": {k: v for k, v in snapshot.architectures.items() if k != name}}
        if kind == "optimizer":
            return {"optimizers": {k: v for k, v in snapshot.optimizers.items() if k != name}}
        return {}

    def _scan_groups(self) -> dict[str, tuple[str, ...]]:
        groups: dict[str, list[str]] = {}
        for path in self.configs_dir.rglob("*"):
            if not _is_config_file(path) or path.parent == self.configs_dir or not path.is_file():
                continue
            group = path.parent.relative_to(self.configs_dir).as_posix()
            if group == UI_FOLDER or group.startswith(UI_FOLDER + "/"):
                continue
            groups.setdefault(group, []).append(path.stem)
        return {group: tuple(sorted(names)) for group, names in sorted(groups.items())}

    def _cross_check(self, snapshot: _Snapshot) -> _Snapshot:
        """Problems between files: a recommendation or default for a field the schemas do not have."""
        problems: list[ConfigProblem] = []
        field_keys = {spec.key for schema in snapshot.schemas.values() for spec in schema.fields}
        for meta in snapshot.architectures.values():
            for use_case in meta.use_cases:
                unknown = sorted(set(use_case.recommendations) - field_keys)
                if unknown and meta.file is not None:
                    problems.append(ConfigProblem(meta.file, None, f"use case {use_case.key!r} recommends unknown "
                                                  f"field(s) {', '.join(unknown)}; they cannot be applied"))
            unknown_defaults = sorted(set(meta.defaults) - field_keys)
            if unknown_defaults and meta.file is not None:
                problems.append(ConfigProblem(meta.file, None,
                                              f"defaults for unknown field(s) {', '.join(unknown_defaults)}"))
        if snapshot.registry.error:
            problems.append(ConfigProblem(Path("ocr/models/registry.py"), None,
                                          snapshot.registry.error + "; using the config group names instead"))
        return replace(snapshot, cross_problems=tuple(problems))

    # ---- queries -------------------------------------------------------------------------------------------------
    @property
    def problems(self) -> list[ConfigProblem]:
        """Every current problem, file problems first (sorted by file), then cross-file ones."""
        snapshot = self._snapshot
        return [snapshot.file_problems[path] for path in sorted(snapshot.file_problems)] + list(
            snapshot.cross_problems)

    @property
    def schemas(self) -> Mapping[str, FormSchema]:
        return self._snapshot.schemas

    @property
    def architectures(self) -> Mapping[str, ArchitectureMeta]:
        return self._snapshot.architectures

    @property
    def optimizers(self) -> Mapping[str, OptimizerMeta]:
        return self._snapshot.optimizers

    def schema(self, name: str) -> FormSchema | None:
        return self._snapshot.schemas.get(name)

    def architecture(self, name: Any) -> ArchitectureMeta | None:
        return self._snapshot.architectures.get(name) if isinstance(name, str) else None

    def optimizer(self, name: Any) -> OptimizerMeta | None:
        return self._snapshot.optimizers.get(name) if isinstance(name, str) else None

    @property
    def groups(self) -> Mapping[str, tuple[str, ...]]:
        """Hydra config groups (``model/encoder``, ``optimizer``, ...) and their options."""
        return self._snapshot.groups

    def group_options(self, group: str) -> tuple[str, ...]:
        return self._snapshot.groups.get(group, ())

    def options(self, source: str) -> list[Option]:
        """Options for a schema ``options_source`` other than checkpoints (which come from the checkpoint catalog)."""
        snapshot = self._snapshot
        if source in REGISTRY_SOURCES:
            names = snapshot.registry.names.get(source)
            if names is None:
                names = snapshot.groups.get(REGISTRY_SOURCES[source][1], ())
            if source == "architectures":
                return [Option(name, _arch_label(snapshot.architectures.get(name), name)) for name in names]
            return [Option(name, name) for name in names]
        if source in GROUP_SOURCES:
            names = snapshot.groups.get(GROUP_SOURCES[source], ())
            if source == "optimizers":
                return [Option(name, _opt_label(snapshot.optimizers.get(name), name)) for name in names]
            return [Option(name, name) for name in names]
        return []


def _is_config_file(path: Path) -> bool:
    """YAML files, minus editor droppings such as ``.#train.yaml`` lock links and hidden temp files."""
    return path.suffix in YAML_SUFFIXES and not path.name.startswith((".", "#"))


def _arch_label(meta: ArchitectureMeta | None, name: str) -> str:
    return f"{name} · {meta.label}" if meta is not None and meta.label != name else name


def _opt_label(meta: OptimizerMeta | None, name: str) -> str:
    return f"{name} · {meta.label}" if meta is not None and meta.label.lower() != name else name

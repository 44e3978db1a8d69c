"""Hydra compose dry-run: does this command's override list compose against ``configs/``?

The seed app only checked that the command started with the right program, so unknown keys and groups surfaced
after launch. Here the overrides are checked against the config group folders first (fast, exact message), then
composed with Hydra's compose API, and Hydra's exceptions are translated into one readable line such as
"Unknown option 'foo' for model/encoder; available: resnet18, resnet34". Blocking: callers run it in a worker
thread. Hydra keeps global state, so calls are serialised with a lock and that state is cleared around each use.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.commands import Command

_LOCK = threading.Lock()
_MISSING = re.compile(r"Could not find '([^']+)'")
_AVAILABLE = re.compile(r"Available options in '([^']+)':\n((?:\t[^\n]*\n?)*)")
_COULD_NOT_OVERRIDE = re.compile(r"Could not override '([^']+)'")


@dataclass(frozen=True)
class DryRunResult:
    ok: bool
    message: str
    config: Mapping[str, Any] | None = field(default=None, repr=False)


def config_name_for(runner: str) -> str:
    """``ocr.train`` -> ``train`` (the primary config each runner composes)."""
    return runner.rsplit(".", 1)[-1]


def dry_run_command(
    configs_dir: Path, command: Command, groups: Mapping[str, Sequence[str]] | None = None
) -> DryRunResult:
    return dry_run(configs_dir, config_name_for(command.runner), command.overrides, groups)


def dry_run(
    configs_dir: Path,
    config_name: str,
    overrides: Sequence[str],
    groups: Mapping[str, Sequence[str]] | None = None,
) -> DryRunResult:
    """Compose ``config_name`` with ``overrides``; ``groups`` (group -> options) enables the fast precheck."""
    configs_dir = Path(configs_dir).resolve()
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except HydraException as error:
        return DryRunResult(False, f"Invalid override syntax: {_first_line(error)}")
    if groups is not None:
        for override in parsed:
            key = override.key_or_group
            if key in groups and not override.is_delete():
                value = override.value()
                if isinstance(value, str) and value not in groups[key]:
                    return DryRunResult(False, _unknown_option(value, key, groups[key]))
            elif "/" in key and not override.is_add():
                return DryRunResult(False, _unknown_group(key, groups))
    return _compose(configs_dir, config_name, list(overrides))


def _compose(configs_dir: Path, config_name: str, overrides: list[str]) -> DryRunResult:
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException, MissingConfigException
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    with _LOCK:
        GlobalHydra.instance().clear()
        try:
            with initialize_config_dir(config_dir=str(configs_dir), version_base=None):
                try:
                    config = compose(config_name=config_name, overrides=overrides)
                except MissingConfigException as error:
                    return DryRunResult(False, _missing_message(error, config_name))
                except HydraException as error:
                    return DryRunResult(False, _override_message(error, configs_dir, config_name))
                try:
                    resolved = OmegaConf.to_container(config, resolve=True)
                except OmegaConfBaseException as error:
                    where = f" (in '{error.full_key}')" if getattr(error, "full_key", None) else ""
                    return DryRunResult(False, f"The composed config does not resolve{where}: {_first_line(error)}")
        finally:
            GlobalHydra.instance().clear()
    return DryRunResult(True, f"Composes cleanly against {config_name}.yaml ({len(overrides)} overrides).", resolved)


def _missing_message(error: Exception, config_name: str) -> str:
    text = str(error)
    missing = _MISSING.search(text)
    available = _AVAILABLE.search(text)
    if missing and available:
        group = available.group(1)
        option = missing.group(1).removeprefix(group + "/")
        options = [line.strip() for line in available.group(2).splitlines() if line.strip()]
        return _unknown_option(option, group, options)
    if missing:
        return f"Config '{missing.group(1)}' does not exist (needed by {config_name}.yaml)."
    return _first_line(error)


def _override_message(error: Exception, configs_dir: Path, config_name: str) -> str:
    match = _COULD_NOT_OVERRIDE.search(str(error))
    if match is None:
        return _first_line(error)
    key = match.group(1)
    if "/" in key:
        groups = sorted(
            path.parent.relative_to(configs_dir).as_posix() for path in configs_dir.rglob("*.yaml")
            if path.parent != configs_dir and not path.parent.relative_to(configs_dir).as_posix().startswith("ui")
        )
        return _unknown_group(key, {group: () for group in groups})
    parent, _, leaf = key.rpartition(".")
    known = _known_keys(configs_dir, config_name, parent)
    hint = ""
    close = difflib.get_close_matches(leaf, known, n=1)
    if close:
        hint = f" Did you mean '{(parent + '.') if parent else ''}{close[0]}'?"
    where = f"'{parent}'" if parent else f"{config_name}.yaml"
    listing = f" Known keys in {where}: {', '.join(known)}." if known else ""
    return f"Unknown key '{key}' in {config_name}.yaml.{hint}{listing}"


def _known_keys(configs_dir: Path, config_name: str, parent: str) -> list[str]:
    """Keys under ``parent`` in the config composed without overrides (called with the lock held)."""
    from hydra import compose
    from omegaconf import OmegaConf

    try:
        config = compose(config_name=config_name, overrides=[])
        node = OmegaConf.select(config, parent) if parent else config
    except Exception:
        return []
    return sorted(str(key) for key in node.keys()) if hasattr(node, "keys") else []


def _unknown_option(option: str, group: str, options: Sequence[str]) -> str:
    return f"Unknown option '{option}' for {group}; available: {', '.join(options) or 'none'}"


def _unknown_group(group: str, groups: Mapping[str, Sequence[str]]) -> str:
    names = sorted(groups)
    close = difflib.get_close_matches(group, names, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"Unknown config group '{group}'.{hint} Available groups: {', '.join(names)}"


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__

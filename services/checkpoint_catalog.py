"""The checkpoint catalog: every ``*.ckpt`` under the outputs folder(s) and the bundled ``data/checkpoints``.

Metadata comes from the JSON sidecar (no torch). A checkpoint without one is read once with
``torch.load(weights_only=True, map_location='cpu')`` in a worker thread (cached by path, size and mtime), and a file
that cannot be read is listed with its error rather than breaking the page. Training writes checkpoints
progressively, so a file is listed only once two stats at least ``stable_after_s`` apart agree on size and mtime.
Updates are incremental by path (the watcher reports which files changed); a full ``refresh`` is only for startup.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from services.forms.schema import Option
from services.signals import Signal

logger = logging.getLogger(__name__)

CHECKPOINT_SUFFIX = ".ckpt"
SIDECAR_SUFFIX = ".meta.json"
MetadataReader = Callable[[Path], dict[str, Any]]


@dataclass(frozen=True)
class CheckpointEntry:
    """One listed checkpoint. ``value`` is how it is written on a command line (and the picker's value)."""

    path: Path
    value: str
    size: int
    mtime_ns: int
    bundled: bool = False
    metadata: Mapping[str, Any] = field(default_factory=dict)
    source: str = "sidecar"  # sidecar | checkpoint (read with torch) | loading (torch read queued) | none
    error: str | None = None

    @property
    def run(self) -> str:
        if self.bundled:
            return "bundled"
        exp_name = self.metadata.get("exp_name")
        if exp_name:
            return str(exp_name)
        parent = self.path.parent
        return parent.parent.name if parent.name == "checkpoints" else parent.name

    @property
    def kind(self) -> str:
        return str(self.metadata.get("kind") or self.path.stem)

    @property
    def epoch(self) -> int | None:
        epoch = self.metadata.get("epoch")
        return int(epoch) if isinstance(epoch, int | float) else None

    @property
    def hmean(self) -> float | None:
        metrics = self.metadata.get("metrics") or {}
        for key in ("val/hmean", "test/hmean", "hmean", "val_hmean"):
            if isinstance(metrics.get(key), int | float):
                return float(metrics[key])
        return None

    @property
    def architecture(self) -> str | None:
        return self.metadata.get("architecture") or None

    @property
    def components(self) -> Mapping[str, str]:
        return self.metadata.get("components") or {}

    @cached_property
    def created(self) -> datetime:
        """When it was written: the sidecar's timestamp (local time), else the file's mtime."""
        text = self.metadata.get("created")
        if isinstance(text, str):
            try:
                return datetime.fromisoformat(text).astimezone()
            except ValueError:
                pass
        return datetime.fromtimestamp(self.mtime_ns / 1e9).astimezone()

    @cached_property
    def label(self) -> str:
        """``run/kind · epoch N · hmean 0.912 · 2026-12-01 20:15`` (parts that are unknown are left out)."""
        parts = [f"{self.run}/{self.path.stem if self.bundled else self.kind}"]
        if self.error:
            parts.append(f"unreadable: {self.error}")
        if self.epoch is not None:
            parts.append(f"epoch {self.epoch}")
        if self.hmean is not None:
            parts.append(f"hmean {self.hmean:.3f}")
        parts.append(self.created.strftime("%Y-%m-%d %H:%M"))
        return " · ".join(parts)


@dataclass(frozen=True)
class CheckpointChange:
    added: tuple[Path, ...] = ()
    updated: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass
class _Observation:
    size: int
    mtime_ns: int
    since: float  # monotonic time when this (size, mtime) was first seen


def read_sidecar_json(checkpoint: Path) -> dict[str, Any] | None:
    """The sidecar as a dict, via ``ocr.checkpoints.read_sidecar`` (JSON only, never torch)."""
    from ocr.checkpoints import read_sidecar

    return read_sidecar(checkpoint)


def read_checkpoint_with_torch(path: Path) -> dict[str, Any]:
    """Sidecar-shaped metadata from the checkpoint itself (imports torch; call from a worker thread only)."""
    from ocr.checkpoints import components_of, load_checkpoint

    loaded = load_checkpoint(path)  # torch.load(weights_only=True, map_location="cpu"); raises CheckpointError
    return {
        "architecture": str(loaded.model_config.get("architecture", "")),
        "components": components_of(loaded.model_config),
        "epoch": loaded.epoch,
        "step": loaded.step,
        "image_size": loaded.image_size,
        "model_config": loaded.model_config,
        "exp_name": loaded.hyper_parameters.get("exp_name"),
        "metrics": {},
    }


class CheckpointCatalog:
    def __init__(
        self,
        output_roots: Iterable[Path],
        bundled_root: Path | None,
        *,
        display: Callable[[Path], str] = str,
        stable_after_s: float = 0.2,
        sidecar_reader: Callable[[Path], dict[str, Any] | None] = read_sidecar_json,
        torch_reader: MetadataReader = read_checkpoint_with_torch,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.output_roots = [Path(root).resolve() for root in output_roots]
        self.bundled_root = Path(bundled_root).resolve() if bundled_root is not None else None
        self.changed = Signal("checkpoint_catalog.changed")
        self.stable_after_s = stable_after_s
        self.loaded = False
        self._display = display
        self._read_sidecar = sidecar_reader
        self._read_torch = torch_reader
        self._clock = clock
        self._lock = threading.RLock()
        self._entries: dict[Path, CheckpointEntry] = {}
        self._pending: dict[Path, _Observation] = {}
        self._sidecar_cache: dict[tuple[Path, int, int], dict[str, Any] | None] = {}
        self._torch_cache: dict[tuple[Path, int, int], tuple[dict[str, Any], str | None]] = {}
        self._torch_queue: list[Path] = []
        self._torch_task: asyncio.Task[None] | None = None
        self._sorted: list[CheckpointEntry] | None = None
        self._index: dict[str, CheckpointEntry] | None = None
        self._options: list[Option] | None = None

    # ---- queries (cheap, cached) ---------------------------------------------------------------------------------
    @property
    def roots(self) -> list[Path]:
        return [*self.output_roots, *([self.bundled_root] if self.bundled_root else [])]

    def entries(self) -> list[CheckpointEntry]:
        """All listed checkpoints, newest first (readable and unreadable)."""
        cached = self._sorted
        if cached is None:
            with self._lock:
                cached = sorted(self._entries.values(), key=lambda entry: (entry.created, entry.value), reverse=True)
                self._sorted = cached
        return cached

    def options(self) -> list[Option]:
        """Picker options (value = command-line path, label = run · epoch · hmean · date); unreadable ones left out.

        Cached until the next change, so every form resolve can ask for them (the list must not be mutated).
        """
        cached = self._options
        if cached is None:
            cached = [Option(entry.value, entry.label) for entry in self.entries() if entry.error is None]
            self._options = cached
        return cached

    def get(self, value: str | Path) -> CheckpointEntry | None:
        """Look up by command-line value or by path (absolute or relative to the project)."""
        index = self._index
        if index is None:
            index = {}
            for entry in self.entries():
                index[entry.value] = entry
                index[str(entry.path)] = entry
            self._index = index
        return index.get(str(value))

    def metadata_for(self, value: Any) -> Mapping[str, Any] | None:
        entry = self.get(value) if isinstance(value, str | Path) and value else None
        return entry.metadata if entry is not None and entry.metadata else None

    def _invalidate(self) -> None:
        self._sorted = None
        self._index = None
        self._options = None

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    # ---- updates -------------------------------------------------------------------------------------------------
    def scan_paths(self) -> list[Path]:
        """Every checkpoint file under the roots (hidden folders such as ``.jobs`` skipped)."""
        return [path for root in self.roots for path in self.scan_folder(root)]

    def scan_folder(self, folder: Path) -> list[Path]:
        """Checkpoint files under one folder inside the roots (hidden folders skipped)."""
        if not folder.is_dir() or not self._inside_roots(folder):
            return []
        found: list[Path] = []
        for current, dirs, files in os.walk(folder):
            dirs[:] = [name for name in dirs if not name.startswith(".")]
            found.extend(Path(current, name) for name in files if name.endswith(CHECKPOINT_SUFFIX))
        return found

    def observe(self, paths: Iterable[Path]) -> CheckpointChange:
        """Take note of changed files (checkpoints or sidecars); new or changed checkpoints become pending."""
        removed: list[Path] = []
        updated: list[Path] = []
        now = self._clock()
        with self._lock:
            for raw in paths:
                path = Path(raw)
                if path.name.endswith(CHECKPOINT_SUFFIX + SIDECAR_SUFFIX):
                    checkpoint = path.with_name(path.name[: -len(SIDECAR_SUFFIX)])
                    if checkpoint in self._entries and self._refresh_metadata(checkpoint):
                        updated.append(checkpoint)
                    continue
                if not path.name.endswith(CHECKPOINT_SUFFIX) or not self._inside_roots(path):
                    continue
                stat = _stat(path)
                if stat is None:
                    self._pending.pop(path, None)
                    if self._entries.pop(path, None) is not None:
                        removed.append(path)
                    continue
                entry = self._entries.get(path)
                if entry is not None and (entry.size, entry.mtime_ns) == stat:
                    continue
                observation = self._pending.get(path)
                if observation is None or (observation.size, observation.mtime_ns) != stat:
                    self._pending[path] = _Observation(stat[0], stat[1], now)
            if removed or updated:
                self._invalidate()
        return CheckpointChange(updated=tuple(updated), removed=tuple(removed))

    def check_pending(self) -> CheckpointChange:
        """List the pending files whose size and mtime have not changed for ``stable_after_s``."""
        added: list[Path] = []
        updated: list[Path] = []
        removed: list[Path] = []
        now = self._clock()
        with self._lock:
            for path, observation in list(self._pending.items()):
                stat = _stat(path)
                if stat is None:
                    del self._pending[path]
                    if self._entries.pop(path, None) is not None:
                        removed.append(path)
                    continue
                if (observation.size, observation.mtime_ns) != stat:
                    self._pending[path] = _Observation(stat[0], stat[1], now)
                    continue
                if now - observation.since < self.stable_after_s and not self._sidecar_is_newer(path, stat):
                    continue
                del self._pending[path]
                (updated if path in self._entries else added).append(path)
                self._entries[path] = self._make_entry(path, stat)
            if added or updated or removed:
                self._invalidate()
        return CheckpointChange(tuple(added), tuple(updated), tuple(removed))

    def _make_entry(self, path: Path, stat: tuple[int, int]) -> CheckpointEntry:
        size, mtime_ns = stat
        bundled = self.bundled_root is not None and path.is_relative_to(self.bundled_root)
        base = {"path": path, "value": self._display(path), "size": size, "mtime_ns": mtime_ns, "bundled": bundled}
        if size == 0:
            return CheckpointEntry(**base, source="none", error="empty file")
        sidecar = self._sidecar(path)
        if sidecar is not None:
            return CheckpointEntry(**base, metadata=sidecar, source="sidecar")
        cached = self._torch_cache.get((path, size, mtime_ns))
        if cached is not None:
            metadata, error = cached
            return CheckpointEntry(**base, metadata=metadata, source="checkpoint" if error is None else "none",
                                   error=error)
        if path not in self._torch_queue:
            self._torch_queue.append(path)
        return CheckpointEntry(**base, source="loading")

    def _sidecar(self, checkpoint: Path) -> dict[str, Any] | None:
        sidecar_file = checkpoint.with_name(checkpoint.name + SIDECAR_SUFFIX)
        stat = _stat(sidecar_file)
        if stat is None:
            return None
        key = (sidecar_file, *stat)
        if key not in self._sidecar_cache:
            self._sidecar_cache[key] = self._read_sidecar(checkpoint)
        return self._sidecar_cache[key]

    @staticmethod
    def _sidecar_is_newer(checkpoint: Path, stat: tuple[int, int]) -> bool:
        """The train runner writes the sidecar atomically after the checkpoint: a newer sidecar means complete."""
        sidecar = _stat(checkpoint.with_name(checkpoint.name + SIDECAR_SUFFIX))
        return sidecar is not None and sidecar[1] >= stat[1]

    def _refresh_metadata(self, checkpoint: Path) -> bool:
        entry = self._entries[checkpoint]
        fresh = self._make_entry(checkpoint, (entry.size, entry.mtime_ns))
        if fresh == entry:
            return False
        self._entries[checkpoint] = fresh
        return True

    def _inside_roots(self, path: Path) -> bool:
        return any(path.is_relative_to(root) for root in self.roots)

    def load_unread(self) -> CheckpointChange:
        """Read queued sidecar-less checkpoints with torch (blocking: worker thread only), one at a time."""
        updated: list[Path] = []
        while True:
            with self._lock:
                if not self._torch_queue:
                    break
                path = self._torch_queue.pop(0)
                entry = self._entries.get(path)
            if entry is None or entry.source != "loading":
                continue
            key = (path, entry.size, entry.mtime_ns)
            try:
                result: tuple[dict[str, Any], str | None] = (self._read_torch(path), None)
            except Exception as error:  # corrupt, truncated or foreign files: list them with the reason
                result = ({}, _one_line(error))
            with self._lock:
                self._torch_cache[key] = result
                current = self._entries.get(path)
                if current is not None and (current.size, current.mtime_ns) == (entry.size, entry.mtime_ns):
                    self._entries[path] = self._make_entry(path, (entry.size, entry.mtime_ns))
                    self._invalidate()
                    updated.append(path)
        return CheckpointChange(updated=tuple(updated))

    # ---- async entry points (the watcher and app startup call these) --------------------------------------------
    async def refresh(self) -> CheckpointChange:
        """Full scan: stat everything, wait out the stability window once, list what is stable."""
        paths = await asyncio.to_thread(self.scan_paths)
        with self._lock:
            gone = [path for path in self._entries if path not in set(paths)]
        first = await asyncio.to_thread(self.observe, [*paths, *gone])
        await asyncio.sleep(self.stable_after_s)
        second = await asyncio.to_thread(self.check_pending)
        self.loaded = True
        change = _merge(first, second)
        self.changed.emit(change)
        self._start_torch_reads()
        return change

    async def rescan(self) -> CheckpointChange:
        """Catch up with changes no event reported: new or rewritten files become pending, vanished ones go."""
        paths = await asyncio.to_thread(self.scan_paths)
        with self._lock:
            known = set(self._entries) | set(self._pending)
        change = await asyncio.to_thread(self.observe, [*paths, *(known - set(paths))])
        if change:
            self.changed.emit(change)
        return change

    async def notify(self, paths: Iterable[Path]) -> CheckpointChange:
        """Files the watcher saw change; new checkpoints show up on a later ``check_pending`` once stable."""
        change = _merge(await asyncio.to_thread(self.observe, list(paths)), await asyncio.to_thread(self.check_pending))
        if change:
            self.changed.emit(change)
        self._start_torch_reads()
        return change

    async def check_pending_async(self) -> CheckpointChange:
        change = await asyncio.to_thread(self.check_pending) if self._pending else CheckpointChange()
        if change:
            self.changed.emit(change)
        self._start_torch_reads()
        return change

    def _start_torch_reads(self) -> None:
        if not self._torch_queue or (self._torch_task is not None and not self._torch_task.done()):
            return
        self._torch_task = asyncio.get_running_loop().create_task(self._torch_reads())

    async def _torch_reads(self) -> None:
        change = await asyncio.to_thread(self.load_unread)
        if change:
            self.changed.emit(change)

    async def wait_idle(self) -> None:
        """Wait until queued torch reads are done (tests, benchmarks, shutdown)."""
        while self._torch_task is not None and not self._torch_task.done():
            await asyncio.shield(self._torch_task)

    async def stop(self) -> None:
        if self._torch_task is not None and not self._torch_task.done():
            with self._lock:
                self._torch_queue.clear()  # the running read finishes in its thread; nothing new starts
            await asyncio.wait({self._torch_task}, timeout=5)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns) if path.is_file() else None


def _merge(*changes: CheckpointChange) -> CheckpointChange:
    return CheckpointChange(
        added=tuple(dict.fromkeys(p for c in changes for p in c.added)),
        updated=tuple(dict.fromkeys(p for c in changes for p in c.updated)),
        removed=tuple(dict.fromkeys(p for c in changes for p in c.removed)),
    )


def _one_line(error: BaseException) -> str:
    """The reason only: an OcrError's ``problem`` (the entry already shows which file), else the first line."""
    problem = getattr(error, "problem", None)
    text = (problem if isinstance(problem, str) else str(error)).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]

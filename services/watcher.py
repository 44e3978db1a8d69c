"""One file watcher for the configs and outputs folders, feeding the catalogs incrementally.

A single ``watchfiles.awatch`` (one worker thread) covers every folder with a short debounce so edits show up fast;
it hands YAML changes to the config catalog and checkpoint/sidecar changes to the checkpoint catalog. A second,
cheap loop re-checks pending (still being written) checkpoints every ``tick_s`` so a checkpoint is listed within a
second of its last write, and a slow periodic rescan catches anything an event might have missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from watchfiles import Change, awatch

from services.checkpoint_catalog import CHECKPOINT_SUFFIX, SIDECAR_SUFFIX, CheckpointCatalog
from services.config_catalog import YAML_SUFFIXES, ConfigCatalog

logger = logging.getLogger(__name__)


class Watcher:
    def __init__(
        self,
        configs: ConfigCatalog,
        checkpoints: CheckpointCatalog,
        *,
        debounce_ms: int = 150,
        step_ms: int = 30,
        tick_s: float = 0.1,
        rescan_every_s: float = 5.0,
        force_polling: bool | None = None,
    ) -> None:
        self.configs = configs
        self.checkpoints = checkpoints
        self.debounce_ms = debounce_ms
        self.step_ms = step_ms
        self.tick_s = tick_s
        self.rescan_every_s = rescan_every_s
        self.force_polling = force_polling
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    @property
    def watched(self) -> list[Path]:
        """Existing folders to watch; nested ones are covered by their parent."""
        candidates = [self.configs.configs_dir, *self.checkpoints.roots]
        existing = sorted({path for path in candidates if path.is_dir()})
        return [path for path in existing if not any(path != other and path.is_relative_to(other)
                                                     for other in existing)]

    def start(self) -> None:
        if self._tasks:
            return
        self._stop.clear()
        loop = asyncio.get_running_loop()
        self._tasks = [loop.create_task(self._watch(), name="watcher"),
                       loop.create_task(self._tick(), name="watcher-tick")]

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []

    def _wanted(self, change: Change, path: str) -> bool:
        if "/.jobs/" in path or path.endswith("/.jobs"):
            return False
        if change == Change.deleted:
            return True  # a deleted folder takes its checkpoints with it
        if path.endswith((*YAML_SUFFIXES, CHECKPOINT_SUFFIX, CHECKPOINT_SUFFIX + SIDECAR_SUFFIX)):
            return True
        # A new folder: files written into it before the watch on it is in place raise no event of their own.
        return change == Change.added and os.path.isdir(path)

    async def _watch(self) -> None:
        paths = self.watched
        if not paths:
            logger.warning("nothing to watch: none of the configs/outputs folders exists")
            return
        try:
            async for changes in awatch(
                *paths,
                watch_filter=self._wanted,
                debounce=self.debounce_ms,
                step=self.step_ms,
                stop_event=self._stop,
                force_polling=self.force_polling,
                recursive=True,
                ignore_permission_denied=True,
                yield_on_timeout=False,
            ):
                await self.dispatch(changes)
        except Exception:
            logger.exception("file watcher stopped; catalogs now refresh only on the periodic rescan")

    async def dispatch(self, changes: Iterable[tuple[Change, str]]) -> None:
        """Route one batch of changes to the catalogs (public so tests can drive it without timing)."""
        config_paths: list[Path] = []
        checkpoint_paths: list[Path] = []
        for change, raw in changes:
            path = Path(raw)
            if path.suffix in YAML_SUFFIXES and path.is_relative_to(self.configs.configs_dir):
                config_paths.append(path)
            elif path.name.endswith((CHECKPOINT_SUFFIX, SIDECAR_SUFFIX)):
                checkpoint_paths.append(path)
            elif change == Change.deleted:
                checkpoint_paths.extend(entry.path for entry in self.checkpoints.entries()
                                        if entry.path.is_relative_to(path))
            elif change == Change.added and path.is_dir():
                checkpoint_paths.extend(await asyncio.to_thread(self.checkpoints.scan_folder, path))
        if config_paths:
            await self.configs.apply_changes(config_paths)
        if checkpoint_paths:
            await self.checkpoints.notify(checkpoint_paths)

    async def _tick(self) -> None:
        """Promote checkpoints once stable, and rescan now and then in case an event was missed."""
        loop = asyncio.get_running_loop()
        next_rescan = loop.time() + self.rescan_every_s
        while not self._stop.is_set():
            try:
                if self.checkpoints.has_pending:
                    await self.checkpoints.check_pending_async()
                if loop.time() >= next_rescan:
                    next_rescan = loop.time() + self.rescan_every_s
                    await self.checkpoints.rescan()
            except Exception:
                logger.exception("checkpoint re-check failed")
            await asyncio.sleep(self.tick_s)

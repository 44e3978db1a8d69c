"""The composition of all services, built once per process and shared by every browser tab.

``build_services(paths)`` wires catalogs, command builders, jobs and the watcher. ``start()`` returns at once: it
schedules the config and checkpoint prefetch, the job-history load and the watcher as background tasks, so the
first page renders before any of that finishes; ``ready`` says what has arrived (and signals when it does) so views
can fill in. ``stop()`` stops the watcher and, cleanly, every running job.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from services.checkpoint_catalog import CheckpointCatalog
from services.command_builder import CatalogFormContext, CommandBuilder, RunCheck
from services.commands import PROJECT_RUNNERS, AllowedRunners
from services.config_catalog import ConfigCatalog
from services.job_model import Job
from services.jobs import JobService
from services.paths import WorkbenchPaths
from services.signals import Signal
from services.submissions import SubmissionFile, list_submissions
from services.watcher import Watcher

logger = logging.getLogger(__name__)

COMMANDS: tuple[str, ...] = ("train", "test", "predict")


@dataclass
class Readiness:
    """Which background loads have finished; ``changed`` emits the part name ("configs", "checkpoints", "jobs")."""

    configs: bool = False
    checkpoints: bool = False
    jobs: bool = False
    changed: Signal = field(default_factory=lambda: Signal("services.ready"))

    @property
    def all(self) -> bool:
        return self.configs and self.checkpoints and self.jobs

    def mark(self, part: str) -> None:
        setattr(self, part, True)
        self.changed.emit(part)


@dataclass(frozen=True)
class LaunchResult:
    check: RunCheck
    job: Job | None = None


class AppServices:
    def __init__(
        self,
        paths: WorkbenchPaths,
        configs: ConfigCatalog,
        checkpoints: CheckpointCatalog,
        jobs: JobService,
        watcher: Watcher,
    ) -> None:
        self.paths = paths
        self.configs = configs
        self.checkpoints = checkpoints
        self.jobs = jobs
        self.watcher = watcher
        self.ready = Readiness()
        self.form_context = CatalogFormContext(configs, checkpoints, paths)
        self.builders = {name: CommandBuilder(name, configs, self.form_context) for name in COMMANDS}
        self._tasks: list[asyncio.Task[None]] = []
        self.started = False

    def builder(self, name: str) -> CommandBuilder:
        return self.builders[name]

    async def start(self) -> None:
        """Schedule the prefetch and the watcher; returns immediately."""
        if self.started:
            return
        self.started = True
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._load("configs", self.configs.refresh), name="prefetch-configs"),
            loop.create_task(self._load("checkpoints", self.checkpoints.refresh), name="prefetch-checkpoints"),
            loop.create_task(self._load("jobs", self.jobs.load), name="load-jobs"),
        ]
        self.watcher.start()

    async def _load(self, part: str, loader) -> None:  # type: ignore[no-untyped-def]
        try:
            await loader()
        except Exception:
            logger.exception("loading %s failed", part)
        finally:
            self.ready.mark(part)

    async def wait_ready(self, timeout: float | None = None) -> None:
        """Wait for the startup loads (tests, benchmarks; views subscribe to ``ready.changed`` instead)."""
        if self._tasks:
            await asyncio.wait_for(asyncio.gather(*self._tasks), timeout=timeout)

    async def stop(self) -> None:
        await self.watcher.stop()
        await self.jobs.shutdown()
        await self.checkpoints.stop()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.started = False

    async def launch(self, command: str, user_values: dict, edited_text: str | None = None) -> LaunchResult:
        """Pre-run gate, then start the job; the check says why when nothing was started."""
        check = await self.builder(command).check(user_values, edited_text)
        if not check.ok:
            return LaunchResult(check)
        job = await self.jobs.start(check.argv, command_text=check.text)
        return LaunchResult(check, job)

    def submissions(self, run_dir: str) -> list[SubmissionFile]:
        """A predict run's submission files (PathOutsideRoots if ``run_dir`` is not under the outputs folder)."""
        return list_submissions(run_dir, [self.paths.outputs])


def build_services(
    paths: WorkbenchPaths,
    *,
    allowed_runners: AllowedRunners = PROJECT_RUNNERS,
    stable_after_s: float = 0.2,
    debounce_ms: int = 150,
    force_polling: bool | None = None,
) -> AppServices:
    """Wire everything for ``paths``; nothing is read or started until ``start()``."""
    configs = ConfigCatalog(paths.configs)
    checkpoints = CheckpointCatalog(
        [paths.outputs], paths.bundled_checkpoints, display=paths.display_path, stable_after_s=stable_after_s
    )
    jobs = JobService(
        paths.jobs_dir,
        paths.project_root,
        allowed=allowed_runners,
        env={"OCRW_OUTPUTS": str(paths.outputs), "OCRW_CONFIGS": str(paths.configs)},
    )
    watcher = Watcher(configs, checkpoints, debounce_ms=debounce_ms, force_polling=force_polling)
    return AppServices(paths, configs, checkpoints, jobs, watcher)

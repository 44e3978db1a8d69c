"""The job service: runs the project's runners as background processes and keeps their history.

A job is an argv list (validated to be one of the project's runners, never a shell string) started with
``asyncio.create_subprocess_exec`` in its own session / process group, with stdout and stderr redirected by the
child straight into ``<outputs>/.jobs/<id>.log``. The service tails that file, which gives live output, progress and
metric points while the job runs and, because the file is written from the child side, lets a restarted app
re-attach to a job that is still running. A small shim (``job_shim.py``) leads the group and writes the exit status
to ``<id>.status.json``, so even a job that finished while the app was down gets its real exit status.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import logging
import os
import re
import secrets
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ocr.runners.progress import parse_progress, parse_run_dir  # the one source of truth for the format
from services.ansi import strip_ansi
from services.commands import PROJECT_RUNNERS, AllowedRunners, check_runner_argv, pretty_text
from services.job_model import Job, JobStatus, read_record, write_record
from services.output_buffer import OutputBuffer
from services.process_groups import group_alive, is_same_process, process_start_time, signal_group
from services.signals import Signal

logger = logging.getLogger(__name__)

SHIM = Path(__file__).with_name("job_shim.py")
READ_CHUNK = 65_536
_EXP_NAME = re.compile(r"^exp_name=(.*)$")

class JobService:
    """Starts, follows, stops and remembers jobs. Create once per process; call ``load`` at startup."""

    def __init__(
        self,
        jobs_dir: Path,
        project_root: Path,
        *,
        allowed: AllowedRunners = PROJECT_RUNNERS,
        env: Mapping[str, str] | None = None,
        scrollback_lines: int = 5000,
        grace_s: float = 5.0,
        poll_s: float = 0.05,
        save_every_s: float = 2.0,
    ) -> None:
        self.jobs_dir = Path(jobs_dir)
        self.project_root = Path(project_root)
        self.allowed = allowed
        self.grace_s = grace_s
        self.poll_s = poll_s
        self.save_every_s = save_every_s
        self.scrollback_lines = scrollback_lines
        self._extra_env = dict(env or {})
        self._jobs: dict[str, Job] = {}
        self._finished: dict[str, asyncio.Event] = {}
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._last_saved: dict[str, float] = {}
        self._dirty: dict[str, bool] = {}
        self.loaded = False
        # Signals (emitted on the event loop): output(job, lines, partial), status(job), progress(job, point),
        # jobs_changed() when a job is added or deleted.
        self.output = Signal("jobs.output")
        self.status = Signal("jobs.status")
        self.progress = Signal("jobs.progress")
        self.jobs_changed = Signal("jobs.jobs_changed")

    # ---- queries -------------------------------------------------------------------------------------------------
    def jobs(self) -> list[Job]:
        """All jobs, newest first."""
        return sorted(self._jobs.values(), key=lambda job: job.created_at, reverse=True)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self) -> list[Job]:
        return [job for job in self.jobs() if job.active]

    def read_log(self, job_id: str, max_bytes: int = 1_000_000) -> str:
        """The end of a job's full log (the scrollback only keeps the last lines)."""
        job = self._jobs[job_id]
        try:
            with open(job.log_path, "rb") as handle:
                handle.seek(0, os.SEEK_END)
                size = handle.tell()
                handle.seek(max(0, size - max_bytes))
                data = handle.read()
        except OSError:
            return ""
        text = data.decode("utf-8", errors="replace")
        buffer = OutputBuffer(max_lines=10**9)
        buffer.feed(text)
        return buffer.text()

    # ---- start / stop ----------------------------------------------------------------------------------------------
    async def start(self, argv: Sequence[str], *, title: str | None = None, command_text: str | None = None) -> Job:
        """Validate ``argv`` (CommandRejected if it is not a project runner) and start it in the background."""
        normalized = check_runner_argv(argv, self.allowed)
        job_id = _new_id()
        kind = normalized[2].rsplit(".", 1)[-1] if normalized[1] == "-m" else "script"
        job = Job(
            id=job_id,
            argv=normalized,
            title=title or _default_title(kind, normalized),
            kind=kind,
            command_text=command_text or pretty_text(["python", *normalized[1:]]),
            cwd=str(self.project_root),
            log_path=self.jobs_dir / f"{job_id}.log",
            output=OutputBuffer(self.scrollback_lines),
        )
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        self._jobs[job_id] = job
        self._finished[job_id] = asyncio.Event()
        self._save(job)
        self.jobs_changed.emit()
        self.status.emit(job)
        try:
            with open(job.log_path, "wb") as log:
                process = await asyncio.create_subprocess_exec(
                    sys.executable, str(SHIM), str(self._status_file(job)), "--", *normalized,
                    stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=asyncio.subprocess.STDOUT,
                    cwd=self.project_root, env=self._env(job), start_new_session=True,
                )
        except OSError as error:
            job.status, job.error, job.ended_at = JobStatus.FAILED, f"could not start: {error}", time.time()
            self._finish_bookkeeping(job)
            return job
        job.pid = process.pid
        job.process_start = process_start_time(process.pid)
        job.started_at = time.time()
        job.status = JobStatus.RUNNING
        self._save(job)
        self.status.emit(job)
        self._tasks[job_id] = asyncio.get_running_loop().create_task(self._supervise_child(job, process))
        return job

    async def stop(self, job_id: str, grace_s: float | None = None) -> Job:
        """SIGTERM to the job's process group, SIGKILL if it is still there after the grace period."""
        job = self._jobs[job_id]
        if not job.active or job.pid is None:
            return job
        job.stop_requested = True
        self._save(job)
        signal_group(job.pid, signal.SIGTERM)
        finished = self._finished[job_id]
        try:
            await asyncio.wait_for(finished.wait(), timeout=self.grace_s if grace_s is None else grace_s)
        except TimeoutError:
            signal_group(job.pid, signal.SIGKILL)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(finished.wait(), timeout=5.0)
        return job

    async def wait(self, job_id: str, timeout: float | None = None) -> Job:
        """Wait until the job has finished (tests and scripts)."""
        await asyncio.wait_for(self._finished[job_id].wait(), timeout=timeout)
        return self._jobs[job_id]

    def delete(self, job_id: str) -> None:
        """Forget a finished job and remove its record, status and log files."""
        job = self._jobs[job_id]
        if job.active:
            raise ValueError(f"job {job_id} is still {job.status.value}; stop it first")
        for path in (self._record_file(job), self._status_file(job), job.log_path):
            path.unlink(missing_ok=True)
        del self._jobs[job_id]
        self._finished.pop(job_id, None)
        self.jobs_changed.emit()

    # ---- startup / shutdown ----------------------------------------------------------------------------------------
    async def load(self) -> None:
        """Read the history; re-attach jobs whose process group still runs, settle the others."""
        records = await asyncio.to_thread(self._read_records)
        for record in records:
            try:
                job = Job.from_record(record)
            except (KeyError, TypeError, ValueError):
                logger.warning("skipping unreadable job record %s", record.get("id"))
                continue
            if job.id in self._jobs:
                continue
            job.output = OutputBuffer(self.scrollback_lines)
            self._jobs[job.id] = job
            self._finished[job.id] = asyncio.Event()
            if not job.active:
                self._finished[job.id].set()
                continue
            if job.pid is not None and group_alive(job.pid) and is_same_process(job.pid, job.process_start):
                job.status, job.reattached = JobStatus.RUNNING, True
                self._save(job)
                self._tasks[job.id] = asyncio.get_running_loop().create_task(self._supervise_reattached(job))
            else:
                self._settle_without_process(job)
        self.loaded = True
        self.jobs_changed.emit()

    async def shutdown(self, grace_s: float | None = None) -> None:
        """Stop every running job cleanly (the app is going away), then end the followers."""
        await asyncio.gather(*(self.stop(job.id, grace_s) for job in self.running()), return_exceptions=True)
        for task in list(self._tasks.values()):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    # ---- following -------------------------------------------------------------------------------------------------
    async def _supervise_child(self, job: Job, process: asyncio.subprocess.Process) -> None:
        waiter = asyncio.ensure_future(process.wait())
        try:
            await self._follow(job, waiter.done)
            shim_code = await waiter
        finally:
            waiter.cancel()
        self._complete(job, self._read_status(job), shim_code)

    async def _supervise_reattached(self, job: Job) -> None:
        assert job.pid is not None
        pid = job.pid
        last_check = 0.0
        alive = True

        def ended() -> bool:
            nonlocal last_check, alive
            now = time.monotonic()
            if now - last_check >= 0.25:
                last_check, alive = now, group_alive(pid)
            return not alive

        await self._follow(job, ended, replay_until=job.log_offset)
        self._complete(job, self._read_status(job), None)

    async def _follow(self, job: Job, ended: Callable[[], bool], *, replay_until: int = 0) -> None:
        """Tail the log file until the process has ended and the file is drained.

        Bytes before ``replay_until`` only rebuild the scrollback: their progress lines are already in the record.
        """
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        position = 0
        try:
            handle = open(job.log_path, "rb")  # held open across awaits
        except OSError as error:
            job.error = f"cannot read log: {error}"
            return
        with handle:
            while True:
                replaying = position < replay_until
                chunk = handle.read(min(READ_CHUNK, replay_until - position) if replaying else READ_CHUNK)
                if chunk:
                    position += len(chunk)
                    self._feed(job, decoder.decode(chunk), parse=not replaying)
                    if not replaying:
                        job.log_offset = position - len(decoder.getstate()[0]) - len(
                            job.output.raw_partial.encode("utf-8", "replace"))
                        if self._dirty.pop(job.id, False) and time.monotonic() - self._last_saved.get(
                                job.id, 0.0) >= self.save_every_s:
                            self._save(job)
                    continue
                if ended():
                    rest = handle.read()
                    position += len(rest)
                    self._feed(job, decoder.decode(rest, final=True))
                    self._emit_output(job, job.output.flush())
                    job.log_offset = position
                    return
                await asyncio.sleep(self.poll_s)

    def _feed(self, job: Job, text: str, *, parse: bool = True) -> None:
        if not text:
            return
        delta = job.output.feed(text)
        if parse:
            for line in delta.lines:
                self._parse_line(job, line)
        self._emit_output(job, delta)

    def _emit_output(self, job: Job, delta: Any) -> None:
        if delta.lines or delta.partial:
            self.output.emit(job, delta.lines, delta.partial)

    def _parse_line(self, job: Job, line: str) -> None:
        plain = strip_ansi(line)
        if "OCRW-" not in plain:
            return
        run_dir = parse_run_dir(plain)
        if run_dir is not None:
            path = Path(run_dir)
            job.run_dir = str(path if path.is_absolute() else self.project_root / path)
            self._dirty[job.id] = True
            self._last_saved[job.id] = 0.0  # persisted at this chunk's end, whatever the throttle says
            self.status.emit(job)
            return
        values = parse_progress(plain)
        if values:
            job.progress = {**(job.progress or {}), **values}
            point = job.add_metric_point(values)
            self._dirty[job.id] = True  # saved at the next chunk boundary, so log_offset matches the metrics
            self.progress.emit(job, point)

    # ---- completion ------------------------------------------------------------------------------------------------
    def _complete(self, job: Job, recorded: int | None, shim_code: int | None) -> None:
        job.return_code = recorded if recorded is not None else shim_code
        job.ended_at = job.ended_at or time.time()
        if job.stop_requested:
            job.status = JobStatus.STOPPED
        elif job.return_code == 0:
            job.status = JobStatus.SUCCEEDED
        else:
            job.status = JobStatus.FAILED
            if job.return_code is None:
                job.error = job.error or "ended without an exit status (killed together with its supervisor)"
        self._finish_bookkeeping(job)

    def _settle_without_process(self, job: Job) -> None:
        """A job recorded as running whose process is gone: finished while we were away, or lost."""
        recorded = self._read_status(job)
        if recorded is None:
            job.status = JobStatus.LOST
            job.error = "lost (app restarted): its process was gone when the app started again"
            job.ended_at = job.ended_at or time.time()
            self._finish_bookkeeping(job, emit=False)
            return
        self._complete(job, recorded, None)
        self._tasks.pop(job.id, None)

    def _finish_bookkeeping(self, job: Job, *, emit: bool = True) -> None:
        self._save(job)
        self._finished.setdefault(job.id, asyncio.Event()).set()
        self._tasks.pop(job.id, None)
        if emit:
            self.status.emit(job)

    # ---- files -----------------------------------------------------------------------------------------------------
    def _record_file(self, job: Job) -> Path:
        return self.jobs_dir / f"{job.id}.json"

    def _status_file(self, job: Job) -> Path:
        return self.jobs_dir / f"{job.id}.status.json"

    def _save(self, job: Job) -> None:
        try:
            write_record(self._record_file(job), job.to_record())
            self._last_saved[job.id] = time.monotonic()
        except OSError as error:
            logger.error("cannot save job record %s: %s", job.id, error)

    def _read_status(self, job: Job) -> int | None:
        """The runner's exit status as written by the shim (None if the shim did not get to write it)."""
        try:
            data = json.loads(self._status_file(job).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        code = data.get("returncode") if isinstance(data, dict) else None
        return code if isinstance(code, int) else None

    def _read_records(self) -> list[dict[str, Any]]:
        if not self.jobs_dir.is_dir():
            return []
        records = []
        for path in sorted(self.jobs_dir.glob("*.json")):
            if path.name.endswith(".status.json"):
                continue
            record = read_record(path)
            if record is not None:
                records.append(record)
        return records

    def _env(self, job: Job) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self._extra_env)
        env["PYTHONUNBUFFERED"] = "1"
        env["OCRW_JOB_ID"] = job.id
        return env


def _new_id() -> str:
    return f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"


def _default_title(kind: str, argv: Sequence[str]) -> str:
    for word in argv[3:]:
        match = _EXP_NAME.match(word)
        if match:
            value = match.group(1)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            return f"{kind} · {value}"
    return kind

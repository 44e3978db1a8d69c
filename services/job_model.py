"""A job's state and its on-disk record (``<outputs>/.jobs/<id>.json`` beside ``<id>.log``).

The record is what survives an app restart: the command, status, timestamps, exit status, run folder, the latest
progress and a bounded history of metric points for the charts. Writes are atomic (temp file + rename) so a crash
never leaves half a record.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from services.output_buffer import OutputBuffer

MAX_METRIC_POINTS = 2000


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    STOPPED = "stopped"
    LOST = "lost"

    @property
    def active(self) -> bool:
        return self in (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass
class Job:
    id: str
    argv: list[str]
    title: str
    kind: str
    command_text: str
    cwd: str
    log_path: Path
    status: JobStatus = JobStatus.QUEUED
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    ended_at: float | None = None
    return_code: int | None = None
    pid: int | None = None
    process_start: int | None = None
    run_dir: str | None = None
    error: str | None = None
    stop_requested: bool = False
    reattached: bool = False
    log_offset: int = 0  # log bytes whose progress lines are already in ``metrics`` (re-attach resumes here)
    progress: dict[str, Any] | None = None
    metrics: list[dict[str, Any]] = field(default_factory=list)
    output: OutputBuffer = field(default_factory=OutputBuffer, repr=False, compare=False)

    @property
    def active(self) -> bool:
        return self.status.active

    @property
    def elapsed_s(self) -> float:
        """Seconds since start (to the end once finished); 0 before the process started."""
        if self.started_at is None:
            return 0.0
        return max(0.0, (self.ended_at or time.time()) - self.started_at)

    @property
    def status_text(self) -> str:
        if self.status is JobStatus.LOST:
            return "lost (app restarted)"
        if self.status is JobStatus.FAILED and self.return_code is not None:
            return f"failed (exit {self.return_code})"
        if self.status is JobStatus.RUNNING and self.reattached:
            return "running (re-attached)"
        return self.status.value

    @property
    def fraction(self) -> float | None:
        """Progress 0..1 from the latest progress line (steps if known, else epochs)."""
        progress = self.progress or {}
        for done_key, total_key in (("step", "total_steps"), ("epoch", "max_epochs")):
            done, total = progress.get(done_key), progress.get(total_key)
            if isinstance(done, int | float) and isinstance(total, int | float) and total > 0:
                return max(0.0, min(1.0, done / total))
        return None

    def add_metric_point(self, values: dict[str, Any]) -> dict[str, Any]:
        point = {"t": round(self.elapsed_s, 3), **values}
        self.metrics.append(point)
        if len(self.metrics) > MAX_METRIC_POINTS:
            self.metrics = self.metrics[::2]  # keep the whole curve at half resolution rather than drop its start
        return point

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id, "argv": self.argv, "title": self.title, "kind": self.kind,
            "command_text": self.command_text, "cwd": self.cwd, "log_path": str(self.log_path),
            "status": self.status.value, "created_at": self.created_at, "started_at": self.started_at,
            "ended_at": self.ended_at, "return_code": self.return_code, "pid": self.pid,
            "process_start": self.process_start, "run_dir": self.run_dir, "error": self.error,
            "stop_requested": self.stop_requested, "progress": self.progress, "metrics": self.metrics,
            "log_offset": self.log_offset,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Job:
        return cls(
            id=str(record["id"]), argv=list(record["argv"]), title=str(record.get("title", record["id"])),
            kind=str(record.get("kind", "")), command_text=str(record.get("command_text", "")),
            cwd=str(record.get("cwd", "")), log_path=Path(record["log_path"]),
            status=JobStatus(record.get("status", "lost")), created_at=float(record.get("created_at") or 0),
            started_at=record.get("started_at"), ended_at=record.get("ended_at"),
            return_code=record.get("return_code"), pid=record.get("pid"),
            process_start=record.get("process_start"), run_dir=record.get("run_dir"), error=record.get("error"),
            stop_requested=bool(record.get("stop_requested", False)), progress=record.get("progress"),
            metrics=list(record.get("metrics") or []), log_offset=int(record.get("log_offset") or 0),
        )


def write_record(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_record(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "id" in data and "argv" in data and "log_path" in data else None

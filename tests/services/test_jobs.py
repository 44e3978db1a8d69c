"""Jobs: a real short runner-like process, live output and progress, Stop, history on disk, re-attach."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from services.commands import AllowedRunners, CommandRejected
from services.job_model import JobStatus
from services.jobs import JobService

RUNNER = r'''
import os, signal, subprocess, sys, time
mode = sys.argv[1]
print("OCRW-RUN-DIR outputs/2026-12-01_20-15-00_fake", flush=True)
if mode == "ok":
    for i in range(4):
        sys.stdout.write(f"\rtraining {i}/3")
        sys.stdout.flush()
    print()
    print("OCRW-PROGRESS epoch=1 max_epochs=2 step=5 total_steps=10 loss=0.5", flush=True)
    green, reset = "\x1b[32m", "\x1b[0m"
    line = "OCRW-PROGRESS epoch=2 max_epochs=2 step=10 total_steps=10 loss=0.25 val_hmean=0.9"
    print(f"{green}{line}{reset}", flush=True)
    print("done on stderr", file=sys.stderr, flush=True)
elif mode == "fail":
    print("error: boom", file=sys.stderr, flush=True)
    sys.exit(3)
elif mode == "family":
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    print(f"CHILD {child.pid}", flush=True)
    time.sleep(60)
elif mode == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    print("ignoring SIGTERM", flush=True)
    time.sleep(60)
elif mode == "ticks":
    for step in range(1, int(sys.argv[2]) + 1):
        print(f"OCRW-PROGRESS step={step} total_steps={sys.argv[2]} loss={1 / step:.3f}", flush=True)
        time.sleep(0.1)
'''


@pytest.fixture
def runner(tmp_path: Path) -> Path:
    script = tmp_path / "fake_runner.py"
    script.write_text(RUNNER)
    return script.resolve()


def service(tmp_path: Path, runner: Path, **kwargs) -> JobService:
    allowed = AllowedRunners(modules=frozenset(), scripts=frozenset({runner}))
    return JobService(tmp_path / "outputs" / ".jobs", tmp_path, allowed=allowed, **kwargs)


async def wait_for(predicate, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[-1].split()[0] == "Z")


async def test_a_job_streams_output_progress_and_run_folder_then_succeeds(tmp_path: Path, runner: Path) -> None:
    jobs = service(tmp_path, runner)
    seen_lines: list[str] = []
    statuses: list[JobStatus] = []
    points: list[dict] = []
    jobs.output.subscribe(lambda job, lines, partial: seen_lines.extend(lines))
    jobs.status.subscribe(lambda job: statuses.append(job.status))
    jobs.progress.subscribe(lambda job, point: points.append(point))

    job = await jobs.start(["python", str(runner), "ok"])
    await jobs.wait(job.id, timeout=10)

    assert (job.status, job.return_code) == (JobStatus.SUCCEEDED, 0)
    assert statuses[0] is JobStatus.QUEUED and statuses[-1] is JobStatus.SUCCEEDED
    assert "training 3/3" in seen_lines and "training 0/3" not in seen_lines  # \r redraws replace the line
    assert "done on stderr" in seen_lines
    assert [point["step"] for point in points] == [5, 10]
    assert job.progress["val_hmean"] == 0.9 and job.fraction == 1.0
    assert job.run_dir == str(tmp_path / "outputs/2026-12-01_20-15-00_fake")
    assert job.elapsed_s > 0
    assert "done on stderr" in job.log_path.read_text()


async def test_a_failing_job_reports_its_exit_code(tmp_path: Path, runner: Path) -> None:
    jobs = service(tmp_path, runner)
    job = await jobs.wait((await jobs.start(["python", str(runner), "fail"])).id, timeout=10)
    assert (job.status, job.return_code, job.status_text) == (JobStatus.FAILED, 3, "failed (exit 3)")
    assert "error: boom" in job.output.text()


async def test_only_project_runners_are_accepted(tmp_path: Path, runner: Path) -> None:
    with pytest.raises(CommandRejected, match="only the project's runners"):
        await service(tmp_path, runner).start(["python", "-c", "print('hi')"])
    with pytest.raises(CommandRejected):
        await JobService(tmp_path / "jobs", tmp_path).start(["python", str(runner), "ok"])
    with pytest.raises(CommandRejected):
        await JobService(tmp_path / "jobs", tmp_path).start(["bash", "-c", "python -m ocr.train"])


async def test_stop_terminates_the_whole_process_group(tmp_path: Path, runner: Path) -> None:
    jobs = service(tmp_path, runner)
    job = await jobs.start(["python", str(runner), "family"])
    await wait_for(lambda: any(line.startswith("CHILD ") for line in job.output.lines))
    grandchild = int(next(line for line in job.output.lines if line.startswith("CHILD ")).split()[1])

    await jobs.stop(job.id)

    assert job.status is JobStatus.STOPPED
    await wait_for(lambda: not process_exists(grandchild), timeout=3)


async def test_a_job_ignoring_sigterm_is_killed_after_the_grace_period(tmp_path: Path, runner: Path) -> None:
    jobs = service(tmp_path, runner, grace_s=0.3)
    job = await jobs.start(["python", str(runner), "stubborn"])
    await wait_for(lambda: "ignoring SIGTERM" in job.output.lines)
    started = time.monotonic()
    await jobs.stop(job.id)
    assert job.status is JobStatus.STOPPED
    assert time.monotonic() - started < 3
    assert job.return_code == -9


async def test_history_survives_a_new_service_instance(tmp_path: Path, runner: Path) -> None:
    first = service(tmp_path, runner)
    done = await first.wait((await first.start(["python", str(runner), "ok"])).id, timeout=10)

    second = service(tmp_path, runner)
    await second.load()

    again = second.get(done.id)
    assert again is not None and again is not done
    assert (again.status, again.return_code, again.run_dir) == (JobStatus.SUCCEEDED, 0, done.run_dir)
    assert [point["step"] for point in again.metrics] == [5, 10]
    assert "done on stderr" in second.read_log(done.id)
    assert [job.id for job in second.jobs()] == [done.id]


async def test_a_restarted_app_reattaches_to_a_job_that_is_still_running(tmp_path: Path, runner: Path) -> None:
    first = service(tmp_path, runner, save_every_s=0.0)
    job = await first.start(["python", str(runner), "ticks", "12"])
    await wait_for(lambda: len(job.metrics) >= 3)
    for task in list(first._tasks.values()):  # the old app dies without stopping its job
        task.cancel()

    second = service(tmp_path, runner)
    await second.load()
    reattached = second.get(job.id)
    assert reattached.status is JobStatus.RUNNING and reattached.status_text == "running (re-attached)"
    await second.wait(job.id, timeout=10)

    assert (reattached.status, reattached.return_code) == (JobStatus.SUCCEEDED, 0)
    assert [point["step"] for point in reattached.metrics] == list(range(1, 13))
    assert len(reattached.output.lines) == 13


def write_running_record(jobs_dir: Path, job_id: str, pid: int) -> None:
    jobs_dir.mkdir(parents=True, exist_ok=True)
    (jobs_dir / f"{job_id}.log").write_text("OCRW-RUN-DIR outputs/x\n")
    record = {"id": job_id, "argv": [sys.executable, "-m", "ocr.train"], "title": "train · x", "kind": "train",
              "log_path": str(jobs_dir / f"{job_id}.log"), "status": "running", "pid": pid,
              "created_at": time.time() - 60, "started_at": time.time() - 60}
    (jobs_dir / f"{job_id}.json").write_text(json.dumps(record))


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


async def test_a_job_whose_process_vanished_is_marked_lost(tmp_path: Path, runner: Path) -> None:
    jobs_dir = tmp_path / "outputs" / ".jobs"
    write_running_record(jobs_dir, "20261201-201500-aaaaaa", dead_pid())
    jobs = service(tmp_path, runner)
    await jobs.load()
    job = jobs.get("20261201-201500-aaaaaa")
    assert (job.status, job.status_text) == (JobStatus.LOST, "lost (app restarted)")
    assert json.loads((jobs_dir / f"{job.id}.json").read_text())["status"] == "lost"


async def test_a_job_that_finished_while_the_app_was_down_gets_its_real_exit_status(tmp_path: Path, runner) -> None:
    jobs_dir = tmp_path / "outputs" / ".jobs"
    write_running_record(jobs_dir, "20261201-201500-bbbbbb", dead_pid())
    (jobs_dir / "20261201-201500-bbbbbb.status.json").write_text('{"returncode": 0}')
    jobs = service(tmp_path, runner)
    await jobs.load()
    assert jobs.get("20261201-201500-bbbbbb").status is JobStatus.SUCCEEDED


async def test_several_jobs_run_at_once_and_shutdown_stops_them(tmp_path: Path, runner: Path) -> None:
    jobs = service(tmp_path, runner)
    started = [await jobs.start(["python", str(runner), "ticks", "100"]) for _ in range(2)]
    await wait_for(lambda: all(job.metrics for job in started))
    assert len(jobs.running()) == 2
    await jobs.shutdown()
    assert [job.status for job in started] == [JobStatus.STOPPED, JobStatus.STOPPED]

"""App services: built once, start() returns before the prefetch ends, the pre-run gate, no torch/nicegui."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

from services.app_services import build_services
from services.paths import REPO_ROOT, WorkbenchPaths


async def test_start_returns_at_once_and_ready_fills_in_later(project: WorkbenchPaths) -> None:
    services = build_services(project)
    arrived: list[str] = []
    services.ready.changed.subscribe(arrived.append)
    began = time.perf_counter()
    await services.start()
    assert time.perf_counter() - began < 0.05
    assert not services.ready.all and services.builder("train").schema is None
    try:
        await services.wait_ready(timeout=10)
        assert sorted(arrived) == ["checkpoints", "configs", "jobs"]
        assert services.builder("train").resolve({}).ok
    finally:
        await services.stop()


async def test_field_errors_block_a_run(project: WorkbenchPaths) -> None:
    services = build_services(project)
    services.configs.load()
    check = await services.builder("train").check({"exp_name": "x"})
    assert not check.ok
    assert check.message == "Fix 1 field error before running."
    assert check.field_errors == {"exp_name": ("'Experiment name' must be at least 3 characters long.",)}


async def test_an_edited_command_is_dry_run_before_it_may_start(project: WorkbenchPaths, monkeypatch) -> None:
    services = build_services(project)
    services.configs.load()
    started: list[list[str]] = []

    async def fake_start(argv, **kwargs):
        started.append(list(argv))

    monkeypatch.setattr(services.jobs, "start", fake_start)
    builder = services.builder("train")
    text = builder.command({}).text

    bad = await services.launch("train", {}, text.replace("model/encoder=mobilenetv3_large", "model/encoder=vgg16"))
    assert not bad.check.ok and bad.job is None
    assert bad.check.message.startswith("Unknown option 'vgg16' for model/encoder; available:")

    other = await services.launch("train", {}, "python -m ocr.predict exp_name=x")
    assert other.check.message.startswith("This is the train page")

    shell = await services.launch("train", {}, "rm -rf outputs")
    assert "only the project's runners can be launched" in shell.check.message

    edited = text.replace("trainer.max_epochs=10", "trainer.max_epochs=3")
    good = await services.launch("train", {}, edited)
    assert good.check.ok, good.check.message
    argv = builder.command({}).argv
    assert started == [[word.replace("max_epochs=10", "max_epochs=3") for word in argv]]


def test_services_import_neither_nicegui_nor_torch(project: WorkbenchPaths) -> None:
    script = f"""
import asyncio, sys
from services.app_services import build_services
from services.paths import WorkbenchPaths
async def main():
    services = build_services(WorkbenchPaths.create(project_root={str(project.project_root)!r}))
    await services.start()
    await services.wait_ready(timeout=20)
    form = services.builder("train").resolve({{}})
    assert form.ok, form.errors
    await services.stop()
asyncio.run(main())
heavy = sorted(name for name in ("torch", "nicegui", "lightning") if name in sys.modules)
assert not heavy, heavy
"""
    subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, check=True, timeout=60)


async def test_stop_ends_the_watcher_and_running_jobs(project: WorkbenchPaths) -> None:
    services = build_services(project)
    await services.start()
    await services.wait_ready(timeout=10)
    await services.stop()
    assert all(task.done() for task in services.watcher._tasks) or not services.watcher._tasks
    await asyncio.sleep(0)

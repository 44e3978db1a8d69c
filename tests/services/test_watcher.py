"""The one watcher: new checkpoints appear within 1 s of being complete (never half-written), YAML edits apply."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from services_fixtures import sidecar

from services.app_services import build_services
from services.paths import WorkbenchPaths


async def wait_for(predicate, timeout: float = 3.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.01)


async def started_services(project: WorkbenchPaths):
    services = build_services(project)
    await services.start()
    await services.wait_ready(timeout=10)
    await asyncio.sleep(0.3)  # let the watcher thread register its inotify watches
    return services


async def test_a_checkpoint_being_written_appears_within_a_second_of_its_last_write(project: WorkbenchPaths) -> None:
    services = await started_services(project)
    changes = []
    services.checkpoints.changed.subscribe(changes.append)
    try:
        path = project.outputs / "2026-12-01_20-15-00_receipts" / "checkpoints" / "last.ckpt"
        path.parent.mkdir(parents=True)
        with open(path, "wb") as handle:  # a trainer writing progressively, with pauses
            for _ in range(6):
                handle.write(b"PK" + b"\0" * 50_000)
                handle.flush()
                await asyncio.sleep(0.1)
                assert services.checkpoints.entries() == [], "listed while still being written"
        finished = time.monotonic()
        path.with_name("last.ckpt.meta.json").write_text(__import__("json").dumps(sidecar(kind="last")))

        await wait_for(lambda: services.checkpoints.entries(), timeout=1.0)
        assert time.monotonic() - finished < 1.0
        [entry] = services.checkpoints.entries()
        assert entry.size == 6 * 50_002 and entry.kind == "last"
        assert changes and changes[-1].added == (path,)
    finally:
        await services.stop()


async def test_a_checkpoint_without_sidecar_still_appears_within_a_second(project: WorkbenchPaths) -> None:
    services = await started_services(project)
    services.checkpoints._read_torch = lambda path: {"epoch": 2}  # keep torch out of this test
    try:
        path = project.outputs / "run" / "checkpoints" / "epoch2.ckpt"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"PK weights")
        finished = time.monotonic()
        await wait_for(lambda: services.checkpoints.options(), timeout=1.0)
        assert time.monotonic() - finished < 1.0
        await wait_for(lambda: services.checkpoints.entries()[0].epoch == 2)
    finally:
        await services.stop()


async def test_an_edited_schema_updates_and_a_broken_one_reports_file_and_line(project: WorkbenchPaths) -> None:
    services = await started_services(project)
    changes = []
    services.configs.changed.subscribe(changes.append)
    schema_file = project.ui_configs / "schemas" / "predict.yaml"
    text = schema_file.read_text()
    try:
        schema_file.write_text(text.replace("default: ocr_prediction", "default: receipts_predictions"))
        await wait_for(lambda: services.builder("predict").resolve({}).values["exp_name"] == "receipts_predictions")

        schema_file.write_text(text.replace("fields:\n", "fields:\n  - key: [oops\n", 1))
        await wait_for(lambda: services.configs.problems)
        [problem] = services.configs.problems
        assert (problem.file, problem.line) == (schema_file.resolve(), text.splitlines().index("fields:") + 2)
        assert services.builder("predict").resolve({}).values["exp_name"] == "receipts_predictions"
        assert any("problems" in change.kinds for change in changes)
    finally:
        await services.stop()


async def test_a_deleted_run_folder_takes_its_checkpoints_out_of_the_pickers(project: WorkbenchPaths) -> None:
    run = project.outputs / "old_run" / "checkpoints"
    run.mkdir(parents=True)
    (run / "best.ckpt").write_bytes(b"PK")
    (run / "best.ckpt.meta.json").write_text(__import__("json").dumps(sidecar()))
    services = await started_services(project)
    try:
        assert len(services.checkpoints.options()) == 1
        __import__("shutil").rmtree(project.outputs / "old_run")
        await wait_for(lambda: not services.checkpoints.options())
    finally:
        await services.stop()


def test_nested_roots_are_watched_once(project: WorkbenchPaths, tmp_path: Path) -> None:
    services = build_services(project)
    assert services.watcher.watched == sorted({project.configs, project.outputs, project.bundled_checkpoints})

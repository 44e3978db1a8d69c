"""The checkpoint catalog: sidecar metadata, stability before listing, torch fallback once, errors listed."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from services_fixtures import sidecar, write_checkpoint

from services.checkpoint_catalog import CheckpointCatalog


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def local(created: str) -> str:
    return datetime.fromisoformat(created).astimezone().strftime("%Y-%m-%d %H:%M")


def make_catalog(tmp_path: Path, **kwargs) -> CheckpointCatalog:
    outputs, bundled = tmp_path / "outputs", tmp_path / "data" / "checkpoints"
    outputs.mkdir(parents=True, exist_ok=True)
    bundled.mkdir(parents=True, exist_ok=True)
    return CheckpointCatalog([outputs], bundled, display=lambda p: os.path.relpath(p, tmp_path), **kwargs)


async def test_checkpoints_are_listed_newest_first_with_run_epoch_hmean_and_date(tmp_path: Path) -> None:
    old = sidecar(exp_name="receipts", epoch=3, hmean=0.5, created="2026-11-30T08:00:00+00:00")
    new = sidecar(exp_name="receipts", epoch=12, hmean=0.912, created="2026-12-01T20:15:00+00:00")
    write_checkpoint(tmp_path / "outputs/2026-11-30_08-00-00_receipts/checkpoints/best.ckpt", old)
    write_checkpoint(tmp_path / "outputs/2026-12-01_20-15-00_receipts/checkpoints/best.ckpt", new)
    write_checkpoint(tmp_path / "data/checkpoints/dbnet_lite_synth.ckpt",
                     sidecar(exp_name="synth", epoch=30, hmean=0.88, created="2026-10-01T00:00:00+00:00"))
    write_checkpoint(tmp_path / "outputs/.jobs/ignored.ckpt", new)
    catalog = make_catalog(tmp_path, stable_after_s=0.05)

    await catalog.refresh()

    assert [option.label for option in catalog.options()] == [
        f"receipts/best · epoch 12 · hmean 0.912 · {local(new['created'])}",
        f"receipts/best · epoch 3 · hmean 0.500 · {local(old['created'])}",
        f"bundled/dbnet_lite_synth · epoch 30 · hmean 0.880 · {local('2026-10-01T00:00:00+00:00')}",
    ]
    assert catalog.options()[0].value == "outputs/2026-12-01_20-15-00_receipts/checkpoints/best.ckpt"
    assert catalog.metadata_for(catalog.options()[0].value)["components"]["encoder"] == "mobilenetv3_large"


def test_a_file_still_being_written_is_listed_only_once_size_and_mtime_are_stable(tmp_path: Path) -> None:
    clock = Clock()
    catalog = make_catalog(tmp_path, clock=clock, torch_reader=lambda path: {"epoch": 1})
    path = write_checkpoint(tmp_path / "outputs/run/checkpoints/last.ckpt", payload=b"PK" + b"x" * 10)

    catalog.observe([path])
    assert catalog.entries() == [] and catalog.has_pending
    clock.now += 0.1
    with open(path, "ab") as handle:  # the trainer is still writing
        handle.write(b"y" * 10)
    assert not catalog.check_pending()
    clock.now += 0.15
    assert not catalog.check_pending()  # changed 0.15 s ago: not stable yet
    clock.now += 0.1
    change = catalog.check_pending()
    assert change.added == (path,)
    assert catalog.entries()[0].size == 22


def test_a_newer_sidecar_marks_the_checkpoint_complete_at_once(tmp_path: Path) -> None:
    clock = Clock()
    catalog = make_catalog(tmp_path, clock=clock)
    path = write_checkpoint(tmp_path / "outputs/run/checkpoints/best.ckpt", sidecar())
    catalog.observe([path])
    assert catalog.check_pending().added == (path,)


def test_a_checkpoint_without_sidecar_is_read_once_per_version(tmp_path: Path) -> None:
    clock = Clock()
    calls: list[Path] = []

    def reader(path: Path) -> dict:
        calls.append(path)
        return {"architecture": "dbnet", "components": {"encoder": "resnet18"}, "epoch": 4}

    catalog = make_catalog(tmp_path, clock=clock, torch_reader=reader)
    path = write_checkpoint(tmp_path / "outputs/run/checkpoints/epoch4.ckpt")
    catalog.observe([path])
    clock.now += 1
    catalog.check_pending()
    assert catalog.entries()[0].source == "loading"
    catalog.load_unread()
    assert catalog.entries()[0].source == "checkpoint" and catalog.entries()[0].epoch == 4
    catalog.observe([path])
    catalog.load_unread()
    assert len(calls) == 1

    write_checkpoint(path, payload=b"PK new weights, longer")
    catalog.observe([path])
    clock.now += 1
    catalog.check_pending()
    catalog.load_unread()
    assert len(calls) == 2


def test_a_sidecar_written_later_replaces_the_guess(tmp_path: Path) -> None:
    clock = Clock()
    catalog = make_catalog(tmp_path, clock=clock, torch_reader=lambda path: {"epoch": 1})
    path = write_checkpoint(tmp_path / "outputs/run/checkpoints/best.ckpt")
    catalog.observe([path])
    clock.now += 1
    catalog.check_pending()
    write_checkpoint(path, sidecar(epoch=7), payload=path.read_bytes())
    change = catalog.observe([path.with_name("best.ckpt.meta.json")])
    assert change.updated == (path,)
    assert catalog.entries()[0].source == "sidecar" and catalog.entries()[0].epoch == 7


def test_deleted_checkpoints_disappear(tmp_path: Path) -> None:
    clock = Clock()
    catalog = make_catalog(tmp_path, clock=clock)
    path = write_checkpoint(tmp_path / "outputs/run/checkpoints/best.ckpt", sidecar())
    catalog.observe([path])
    catalog.check_pending()
    path.unlink()
    assert catalog.observe([path]).removed == (path,)
    assert catalog.entries() == []


async def test_unreadable_files_are_listed_with_the_reason_and_real_ones_read_with_torch(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    corrupt = write_checkpoint(tmp_path / "outputs/broken/checkpoints/last.ckpt", payload=b"not a zip at all")
    real = tmp_path / "outputs/old/checkpoints/best.ckpt"
    real.parent.mkdir(parents=True)
    model_config = {"architecture": "dbnet", "encoder": {"name": "resnet34"}, "decoder": {"name": "unet"},
                    "head": {"name": "db_head"}, "loss": {"name": "db_loss"}}
    torch.save({"state_dict": {"model.w": torch.zeros(1)}, "epoch": 9, "global_step": 90,
                "hyper_parameters": {"model_config": model_config}}, real)
    catalog = make_catalog(tmp_path, stable_after_s=0.05)

    await catalog.refresh()
    await catalog.wait_idle()

    by_run = {entry.run: entry for entry in catalog.entries()}
    assert by_run["broken"].error.startswith("not a torch checkpoint")
    assert "unreadable: not a torch checkpoint" in by_run["broken"].label
    assert by_run["old"].source == "checkpoint"
    assert by_run["old"].components == {"encoder": "resnet34", "decoder": "unet", "head": "db_head",
                                        "loss": "db_loss"}
    assert [option.value for option in catalog.options()] == ["outputs/old/checkpoints/best.ckpt"]
    assert corrupt.exists()

"""Callbacks: the parseable progress line and checkpoints with sidecars."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import lightning as L
from lightning.pytorch.callbacks import ModelCheckpoint

from ocr.checkpoints import make_sidecar, write_sidecar
from ocr.runners.progress import format_progress

log = logging.getLogger("ocr.progress")

METRIC_KEYS = ("val/hmean", "val/precision", "val/recall")


def _metric(trainer: L.Trainer, key: str) -> float | None:
    value = trainer.callback_metrics.get(key)
    return None if value is None else float(value)


def _epochs_done(trainer: L.Trainer) -> int:
    """1-based epoch of the weights; the final "last" save happens after Lightning's counter moved past the end."""
    epoch = trainer.current_epoch + 1
    return min(epoch, trainer.max_epochs) if trainer.max_epochs and trainer.max_epochs > 0 else epoch


class ProgressLine(L.Callback):
    """Print ``OCRW-PROGRESS`` every N optimiser steps and after each validation (see ocr.runners.progress)."""

    def __init__(self, every_n_steps: int = 10) -> None:
        self.every = max(1, int(every_n_steps))

    def _emit(self, trainer: L.Trainer, *, with_val: bool) -> None:
        if not trainer.is_global_zero:
            return
        optimizer = trainer.optimizers[0] if trainer.optimizers else None
        values: dict[str, Any] = {
            "epoch": trainer.current_epoch + 1,
            "max_epochs": trainer.max_epochs,
            "step": trainer.global_step,
            "total_steps": int(trainer.estimated_stepping_batches),
            "loss": _metric(trainer, "train/loss"),
            "lr": optimizer.param_groups[0]["lr"] if optimizer else None,
        }
        if with_val:
            values.update({key: _metric(trainer, key) for key in METRIC_KEYS})
        log.info(format_progress(**values))

    def on_train_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, *args: Any) -> None:
        if trainer.global_step % self.every == 0 and trainer.global_step > 0:
            self._emit(trainer, with_val=False)

    def on_validation_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if not trainer.sanity_checking:
            self._emit(trainer, with_val=True)


class SidecarCheckpoint(ModelCheckpoint):
    """ModelCheckpoint that writes ``<ckpt>.meta.json`` after each checkpoint file is complete."""

    def __init__(self, *, kind: str, run_info: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.run_info = run_info

    def _save_checkpoint(self, trainer: L.Trainer, filepath: str) -> None:
        super()._save_checkpoint(trainer, filepath)
        if not trainer.is_global_zero:
            return
        module = trainer.lightning_module
        metrics = {key: value for key in METRIC_KEYS if (value := _metric(trainer, key)) is not None}
        kind = "last" if Path(filepath).stem == self.CHECKPOINT_NAME_LAST else self.kind
        write_sidecar(
            filepath,
            make_sidecar(
                module.hparams["model_config"],
                epoch=_epochs_done(trainer),
                step=trainer.global_step,
                metrics=metrics,
                kind=kind,
                image_size=module.hparams["image_size"],
                postprocess=module.hparams["postprocess"],
                **self.run_info,
            ),
        )

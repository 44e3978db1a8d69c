"""Lightning module: DBNet + DB loss for training, the inference API's post-processing for validation / test.

Validation and test use exactly the path of ``TextDetector`` (probability maps, then DB post-processing mapped
back to original pixels) and the ICDAR 2015 metric, so ``val/hmean`` means what the evaluation command reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import lightning as L
import torch

from ocr.inference.detector import postprocess_batch, probability_maps
from ocr.metrics.icdar import DatasetScore, evaluate_image
from ocr.models.detector import build_loss, build_model
from ocr.postprocess.db import PostprocessParams
from ocr.training.optim import build_optimizer, lr_factor


def _plain(value: Any) -> Any:
    """OmegaConf containers -> plain dicts/lists so checkpoints load with ``weights_only=True``."""
    try:
        from omegaconf import DictConfig, ListConfig, OmegaConf

        if isinstance(value, DictConfig | ListConfig):
            return OmegaConf.to_container(value, resolve=True)
    except ImportError:  # pragma: no cover - omegaconf is a dependency
        pass
    return value


class DetectorModule(L.LightningModule):
    def __init__(
        self,
        model_config: Mapping[str, Any],
        optimizer: Mapping[str, Any] | None = None,
        postprocess: Mapping[str, Any] | None = None,
        image_size: int = 960,
    ) -> None:
        super().__init__()
        self.save_hyperparameters(
            {
                "model_config": _plain(model_config),
                "optimizer": _plain(optimizer or {}),
                "postprocess": _plain(postprocess or {}),
                "image_size": int(image_size),
            }
        )
        self.model = build_model(self.hparams["model_config"])
        self.loss = build_loss(self.hparams["model_config"])
        self.postprocess_params = PostprocessParams(**self.hparams["postprocess"])
        self._scores: dict[str, DatasetScore] = {}
        self.predictions: list[dict[str, Any]] = []

    def forward(self, images: torch.Tensor) -> dict[str, torch.Tensor]:
        return self.model(images)

    def transfer_batch_to_device(self, batch: Any, device: torch.device, dataloader_idx: int) -> Any:
        """Move only tensors; evaluation batches also carry letterboxes and polygons that stay on the CPU."""
        return {key: value.to(device) if isinstance(value, torch.Tensor) else value for key, value in batch.items()}

    # -- training -----------------------------------------------------------------------------------------------
    def training_step(self, batch: dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        losses = self.loss(self.model(batch["image"]), batch)
        size = batch["image"].shape[0]
        for key, value in losses.items():
            self.log(f"train/{key}", value.detach(), prog_bar=key == "loss", batch_size=size)
        return losses["loss"]

    # -- evaluation ---------------------------------------------------------------------------------------------
    def _evaluate(self, batch: dict[str, Any], stage: str) -> None:
        prob = probability_maps(self.model, batch["image"])
        score = self._scores.setdefault(stage, DatasetScore())
        outputs = postprocess_batch(prob, batch["letterbox"], self.postprocess_params, batch["preprocessed"])
        for (detections, _), gt, ignore in zip(outputs, batch["polygons"], batch["ignore"], strict=True):
            score.add(evaluate_image(gt, ignore, [d.points for d in detections]))

    def _log_scores(self, stage: str) -> None:
        summary = self._scores.pop(stage, DatasetScore()).summary()
        for key in ("hmean", "precision", "recall"):
            self.log(f"{stage}/{key}", float(summary[key]), prog_bar=key == "hmean", sync_dist=True)

    def validation_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        self._evaluate(batch, "val")

    def on_validation_epoch_end(self) -> None:
        self._log_scores("val")

    def test_step(self, batch: dict[str, Any], batch_idx: int) -> None:
        self._evaluate(batch, "test")

    def on_test_epoch_end(self) -> None:
        self._log_scores("test")

    def predict_step(self, batch: dict[str, Any], batch_idx: int) -> list[dict[str, Any]]:
        prob = probability_maps(self.model, batch["image"])
        outputs = postprocess_batch(prob, batch["letterbox"], self.postprocess_params, batch["preprocessed"])
        return [
            {"filename": name, "detections": detections, "size": pre.original_size}
            for name, pre, (detections, _) in zip(batch["filename"], batch["preprocessed"], outputs, strict=True)
        ]

    # -- optimisation -------------------------------------------------------------------------------------------
    def configure_optimizers(self) -> Any:
        options = self.hparams["optimizer"]
        optimizer = build_optimizer(self.model.parameters(), options)
        factor = lr_factor(options, int(self.trainer.estimated_stepping_batches))
        scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}

"""Shared by test and predict: which model config to use with a checkpoint, and the result line."""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig, OmegaConf

from ocr.checkpoints import LoadedCheckpoint, load_checkpoint, load_weights


def model_overridden() -> bool:
    """True when the command line chose model components (``model/...=`` or ``model.x=``)."""
    from hydra.core.hydra_config import HydraConfig

    overrides = HydraConfig.get().overrides.task
    return any(item.lstrip("+~").startswith(("model/", "model.")) for item in overrides)


def choose_model_config(cfg: DictConfig, loaded: LoadedCheckpoint) -> dict[str, Any]:
    """``model_from_checkpoint``: auto (checkpoint unless overridden), true, or false (always the config)."""
    mode = str(cfg.get("model_from_checkpoint", "auto")).lower()
    if mode == "true" or (mode == "auto" and not model_overridden()):
        return dict(loaded.model_config)
    config = OmegaConf.to_container(cfg.model, resolve=True)
    assert isinstance(config, dict)
    return config


def load_module(cfg: DictConfig, checkpoint_path: Any) -> Any:
    """A DetectorModule with the checkpoint's weights (architecture mismatch -> one-line CheckpointError)."""
    from ocr.training.module import DetectorModule

    loaded = load_checkpoint(checkpoint_path)
    model_config = choose_model_config(cfg, loaded)
    module = DetectorModule(model_config, {}, cfg.postprocess, image_size=int(cfg.data.image_size))
    load_weights(module.model, loaded, model_config)
    return module


def result_line(summary: dict[str, float], images: int) -> str:
    """The stable last line of test / evaluate output."""
    return (
        f"hmean={summary['hmean']:.4f} precision={summary['precision']:.4f} "
        f"recall={summary['recall']:.4f} images={images}"
    )

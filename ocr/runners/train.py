"""``python -m ocr.train``: fit a detector with Lightning; best (by val/hmean) and last checkpoints with sidecars."""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig, OmegaConf

from ocr.runners.common import (
    CONFIG_DIR,
    announce_run_dir,
    build_loggers,
    friendly_errors,
    preprocessing_steps,
    resolve_path,
    run_dir,
    trainer_kwargs,
)

log = logging.getLogger("ocr.train")


def _resume_weights_only(module, path) -> bool:
    """A weights-only checkpoint (e.g. best.ckpt) cannot restore optimiser state: fine-tune from its weights."""
    from ocr.checkpoints import load_checkpoint, load_weights

    loaded = load_checkpoint(path)
    load_weights(module.model, loaded, module.hparams["model_config"])  # also checks the architecture matches
    return not loaded.has_training_state


@friendly_errors
def train(cfg: DictConfig) -> dict[str, float]:
    import lightning as L
    import torch

    from ocr.models.detector import build_model
    from ocr.training.callbacks import ProgressLine, SidecarCheckpoint
    from ocr.training.datamodule import ReceiptDataModule
    from ocr.training.module import DetectorModule

    folder = run_dir()
    announce_run_dir(folder)
    L.seed_everything(int(cfg.seed), workers=True)
    torch.set_float32_matmul_precision("high")
    model_config = OmegaConf.to_container(cfg.model, resolve=True)
    build_model(model_config)  # fail fast, with a ConfigError, on a bad component choice
    module = DetectorModule(model_config, cfg.optimizer, cfg.postprocess, image_size=int(cfg.data.image_size))
    data = ReceiptDataModule(cfg.data, preprocessing_steps(cfg), seed=int(cfg.seed), resolve=resolve_path)

    resume = resolve_path(cfg.resume)
    ckpt_path = None
    if resume is not None:
        if _resume_weights_only(module, resume):
            log.info("resume: %s holds weights only; fine-tuning from its weights with a fresh optimiser", resume)
        else:
            ckpt_path = str(resume)

    run_info = {
        "exp_name": str(cfg.exp_name),
        "run_dir": str(folder),
        "preprocessing": str((cfg.get("preprocessing") or {}).get("name", "none")),
    }
    checkpoints = folder / "checkpoints"
    best = SidecarCheckpoint(
        kind="best",
        run_info=run_info,
        dirpath=checkpoints,
        filename="best",
        monitor="val/hmean",
        mode="max",
        save_top_k=1,
        save_weights_only=True,
        auto_insert_metric_name=False,
        enable_version_counter=False,
    )
    last = SidecarCheckpoint(
        kind="last", run_info=run_info, dirpath=checkpoints, save_top_k=0, save_last=True, enable_version_counter=False
    )
    trainer = L.Trainer(
        **trainer_kwargs(cfg),
        default_root_dir=str(folder),
        logger=build_loggers(cfg, folder),
        callbacks=[best, last, ProgressLine(int(cfg.progress_every_n_steps))],
    )
    trainer.fit(module, datamodule=data, ckpt_path=ckpt_path)
    metrics = {key: float(value) for key, value in trainer.callback_metrics.items() if key.startswith("val/")}
    if not cfg.skip_test:
        results = trainer.test(module, datamodule=data, ckpt_path="best" if best.best_model_path else None)
        metrics.update({key: float(value) for key, value in (results[0] if results else {}).items()})
    log.info("best checkpoint: %s (val/hmean=%s)", best.best_model_path, best.best_model_score)
    return metrics


@hydra.main(config_path=str(CONFIG_DIR), config_name="train", version_base="1.3")
def main(cfg: DictConfig) -> None:
    train(cfg)


if __name__ == "__main__":
    main()

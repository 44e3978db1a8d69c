"""``python -m ocr.test``: evaluate a checkpoint on the data config's test split (ICDAR 2015 P / R / hmean)."""

from __future__ import annotations

import json
import logging

import hydra
from omegaconf import DictConfig

from ocr.errors import CheckpointError
from ocr.runners.common import (
    CONFIG_DIR,
    announce_run_dir,
    build_loggers,
    evaluation_trainer_kwargs,
    friendly_errors,
    preprocessing_steps,
    resolve_path,
    run_dir,
)
from ocr.runners.evaluation import load_module, result_line

log = logging.getLogger("ocr.test")


@friendly_errors
def test(cfg: DictConfig) -> dict[str, float]:
    import lightning as L

    from ocr.training.datamodule import ReceiptDataModule

    folder = run_dir()
    announce_run_dir(folder)
    checkpoint = resolve_path(cfg.checkpoint)
    if checkpoint is None:
        raise CheckpointError(None, "no checkpoint given (checkpoint=PATH)")
    module = load_module(cfg, checkpoint)
    data = ReceiptDataModule(cfg.data, preprocessing_steps(cfg), seed=int(cfg.seed), resolve=resolve_path)
    loggers = build_loggers(cfg, folder)
    trainer = L.Trainer(**evaluation_trainer_kwargs(cfg), default_root_dir=str(folder), logger=loggers)
    results = trainer.test(module, datamodule=data, verbose=False)
    metrics = {key.removeprefix("test/"): float(value) for key, value in (results[0] if results else {}).items()}
    images = len(data.test_dataloader().dataset)
    report = {"checkpoint": str(checkpoint), "images": images, **metrics}
    (folder / "metrics.json").write_text(json.dumps(report, indent=2))
    log.info(result_line(metrics, images))
    print(result_line(metrics, images), flush=True)
    return metrics


@hydra.main(config_path=str(CONFIG_DIR), config_name="test", version_base="1.3")
def main(cfg: DictConfig) -> None:
    test(cfg)


if __name__ == "__main__":
    main()

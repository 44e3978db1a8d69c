"""``python -m ocr.predict``: detect text in every image of a folder and write the submission JSON and CSV."""

from __future__ import annotations

import logging

import hydra
from omegaconf import DictConfig

from ocr.errors import CheckpointError, ImageReadError
from ocr.runners.common import (
    CONFIG_DIR,
    announce_run_dir,
    evaluation_trainer_kwargs,
    friendly_errors,
    preprocessing_steps,
    resolve_path,
    run_dir,
)
from ocr.runners.evaluation import load_module
from ocr.runners.submission import submission_dict, write_submission

log = logging.getLogger("ocr.predict")


@friendly_errors
def predict(cfg: DictConfig) -> dict[str, str]:
    import lightning as L
    from torch.utils.data import DataLoader

    from ocr.data.dataset import EvalDataset, collate_eval
    from ocr.data.images import list_images

    folder = run_dir()
    announce_run_dir(folder)
    checkpoint = resolve_path(cfg.checkpoint)
    if checkpoint is None:
        raise CheckpointError(None, "no checkpoint given (checkpoint=PATH)")
    image_dir = resolve_path(cfg.image_dir)
    if image_dir is None or not image_dir.is_dir():
        raise ImageReadError(image_dir or cfg.image_dir, "image folder not found")
    paths = list_images(image_dir)
    if cfg.max_images:
        paths = paths[: int(cfg.max_images)]
    if not paths:
        raise ImageReadError(image_dir, "no images in this folder (jpg, png, bmp, tif, webp)")
    module = load_module(cfg, checkpoint)
    dataset = EvalDataset(image_dir, None, image_size=int(cfg.data.image_size), preprocessing=preprocessing_steps(cfg),
                          image_names=[path.name for path in paths])
    loader = DataLoader(dataset, batch_size=int(cfg.data.get("val_batch_size", 1)), collate_fn=collate_eval,
                        num_workers=int(cfg.data.get("num_workers", 0)))
    trainer = L.Trainer(**evaluation_trainer_kwargs(cfg), default_root_dir=str(folder), logger=False)
    batches = trainer.predict(module, dataloaders=loader) or []
    predictions = [item for batch in batches for item in batch]
    submission = submission_dict(predictions, bool(cfg.include_confidence))
    json_path, csv_path = write_submission(folder / "submissions", submission, minified=bool(cfg.minified_json))
    boxes = sum(len(entry["words"]) for entry in submission["images"].values())
    log.info("wrote %s and %s (%d images, %d text regions)", json_path, csv_path, len(predictions), boxes)
    print(f"submission={json_path} csv={csv_path} images={len(predictions)} regions={boxes}", flush=True)
    return {"json": str(json_path), "csv": str(csv_path)}


@hydra.main(config_path=str(CONFIG_DIR), config_name="predict", version_base="1.3")
def main(cfg: DictConfig) -> None:
    predict(cfg)


if __name__ == "__main__":
    main()

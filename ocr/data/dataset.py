"""Torch datasets over a folder of images plus an annotation file.

Training items are fixed-size augmented crops with DB target maps; evaluation items keep the whole image (longest
side fitted, padded to a multiple of 32) with its ground-truth polygons in original pixels, so metrics are
computed exactly where the user would look.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from ocr.data.annotations import ImageAnnotation, load_annotations
from ocr.data.augment import TrainAugment
from ocr.data.geometry import letterbox, normalize
from ocr.data.images import load_image
from ocr.data.prepare import apply_preprocessing, padded_batch, prepare_for_model, resized_content
from ocr.data.targets import make_db_targets
from ocr.errors import ImageReadError


def _checked_entries(images_dir: Path, annotations: Mapping[str, ImageAnnotation], annotations_file: Path) -> list[str]:
    if not images_dir.is_dir():
        raise ImageReadError(images_dir, "image folder not found")
    names = sorted(name for name in annotations if (images_dir / name).is_file())
    if not names:
        raise ImageReadError(
            images_dir, f"no image of {annotations_file.name} found in this folder (empty or mismatching folder)"
        )
    return names


class TrainDataset(Dataset):
    """Augmented square crops with DB targets (``prob_map``, ``prob_mask``, ``thresh_map``, ``thresh_mask``)."""

    def __init__(
        self,
        images_dir: str | Path,
        annotations_file: str | Path,
        *,
        image_size: int,
        crop_size: int,
        augment: Mapping[str, Any] | None = None,
        targets: Mapping[str, Any] | None = None,
        preprocessing: Sequence[Any] | None = None,
        seed: int = 0,
    ) -> None:
        self.images_dir = Path(images_dir)
        self.annotations = load_annotations(annotations_file)
        self.names = _checked_entries(self.images_dir, self.annotations, Path(annotations_file))
        self.image_size = image_size
        self.crop_size = crop_size
        self.augment_options = dict(augment or {})
        self.target_options = dict(targets or {})
        self.preprocessing = list(preprocessing or [])
        self.seed = seed
        self._augment: TrainAugment | None = None

    def __len__(self) -> int:
        return len(self.names)

    def _augmenter(self) -> TrainAugment:
        # Built lazily so each DataLoader worker gets its own random stream.
        if self._augment is None:
            info = torch.utils.data.get_worker_info()
            worker_seed = self.seed + (info.id if info else 0) + int(torch.initial_seed() % 100_000)
            self._augment = TrainAugment(size=self.crop_size, seed=worker_seed, **self.augment_options)
        return self._augment

    def __getitem__(self, index: int) -> dict[str, Any]:
        name = self.names[index]
        annotation = self.annotations[name]
        processed = apply_preprocessing(load_image(self.images_dir / name), self.preprocessing)
        boxed, box = letterbox(processed.image, self.image_size, pad_multiple=1, square=False)
        content = resized_content(boxed, box)
        polygons = [box.to_model(processed.to_processed(polygon)) for polygon in annotation.polygons]
        crop, polygons, ignore = self._augmenter()(content, polygons, list(annotation.ignore))
        maps = make_db_targets(polygons, ignore, crop.shape[0], crop.shape[1], **self.target_options)
        item: dict[str, Any] = {"image": torch.from_numpy(normalize(crop))}
        item.update({key: torch.from_numpy(value) for key, value in maps.items()})
        return item


class EvalDataset(Dataset):
    """Whole images prepared exactly as at inference, with ground truth in original pixels."""

    def __init__(
        self,
        images_dir: str | Path,
        annotations_file: str | Path | None,
        *,
        image_size: int,
        preprocessing: Sequence[Any] | None = None,
        image_names: Sequence[str] | None = None,
    ) -> None:
        self.images_dir = Path(images_dir)
        self.image_size = image_size
        self.preprocessing = list(preprocessing or [])
        if annotations_file is not None:
            self.annotations: dict[str, ImageAnnotation] = load_annotations(annotations_file)
            self.names = _checked_entries(self.images_dir, self.annotations, Path(annotations_file))
        else:
            self.annotations = {}
            self.names = list(image_names or [])
            if not self.names:
                raise ImageReadError(self.images_dir, "no images to predict (empty image folder)")

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, index: int) -> dict[str, Any]:
        name = self.names[index]
        prepared = prepare_for_model(load_image(self.images_dir / name), self.image_size, self.preprocessing)
        annotation = self.annotations.get(name)
        return {
            "image": torch.from_numpy(prepared.array),
            "filename": name,
            "letterbox": prepared.letterbox,
            "preprocessed": prepared.preprocessed,
            "polygons": [] if annotation is None else annotation.polygons,
            "ignore": [] if annotation is None else list(annotation.ignore),
        }


def collate_train(items: list[dict[str, Any]]) -> dict[str, torch.Tensor]:
    return {key: torch.stack([item[key] for item in items]) for key in items[0]}


def collate_eval(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Pad images of different sizes to the largest in the batch (bottom/right, black, like the letterbox)."""
    batch: dict[str, Any] = {"image": torch.from_numpy(padded_batch([item["image"].numpy() for item in items]))}
    for key in ("filename", "letterbox", "preprocessed", "polygons", "ignore"):
        batch[key] = [item[key] for item in items]
    return batch


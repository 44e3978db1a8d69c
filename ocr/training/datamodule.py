"""Lightning data module built from the ``data`` and ``preprocessing`` config sections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import lightning as L
from torch.utils.data import DataLoader

from ocr.data.dataset import EvalDataset, TrainDataset, collate_eval, collate_train
from ocr.errors import ImageReadError


class ReceiptDataModule(L.LightningDataModule):
    def __init__(
        self,
        data: Mapping[str, Any],
        preprocessing: Sequence[Any] | None = None,
        *,
        seed: int = 0,
        resolve: Any = Path,
    ) -> None:
        super().__init__()
        self.data = dict(data)
        self.preprocessing = list(preprocessing or [])
        self.seed = seed
        self.resolve = resolve

    def _path(self, key: str) -> Path:
        """A configured path, which must exist (the error says how to create the data set when it can)."""
        path = Path(self.resolve(str(self.data[key])))
        if not path.exists():
            hint = self.data.get("create_hint")
            raise ImageReadError(path, f"{key.replace('_', ' ')} not found" + (f"; {hint}" if hint else ""))
        return path

    def _eval_set(self, split: str) -> EvalDataset:
        return EvalDataset(
            self._path(f"{split}_images"),
            self._path(f"{split}_annotations"),
            image_size=int(self.data["image_size"]),
            preprocessing=self.preprocessing,
        )

    def _loader(self, dataset: Any, *, batch_size: int, shuffle: bool, collate: Any) -> DataLoader:
        workers = int(self.data.get("num_workers", 0))
        return DataLoader(
            dataset,
            batch_size=batch_size,
            shuffle=shuffle,
            num_workers=workers,
            collate_fn=collate,
            persistent_workers=workers > 0,
            drop_last=False,
        )

    def train_dataloader(self) -> DataLoader:
        dataset = TrainDataset(
            self._path("train_images"),
            self._path("train_annotations"),
            image_size=int(self.data["image_size"]),
            crop_size=int(self.data["train_crop"]),
            augment=self.data.get("augment"),
            targets=self.data.get("targets"),
            preprocessing=self.preprocessing,
            seed=self.seed,
        )
        return self._loader(dataset, batch_size=int(self.data["batch_size"]), shuffle=True, collate=collate_train)

    def _eval_loader(self, split: str) -> DataLoader:
        batch_size = int(self.data.get("val_batch_size", 1))
        return self._loader(self._eval_set(split), batch_size=batch_size, shuffle=False, collate=collate_eval)

    def val_dataloader(self) -> DataLoader:
        return self._eval_loader("val")

    def test_dataloader(self) -> DataLoader:
        return self._eval_loader("test")

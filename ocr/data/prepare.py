"""Image -> model input, the single path shared by training, validation, test, predict and the dashboard.

Two steps, always in this order: the preprocessing profile (which may crop, warp or rotate, and then says how
points move), then the longest-side letterbox. Training takes the same two steps before its augmentations, so a
model never sees images prepared differently from the ones it is trained on, and every point can be mapped back
to the pixels of the image the user gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ocr.data.geometry import Letterbox, letterbox, normalize
from ocr.preprocessing.base import map_points


@dataclass
class Preprocessed:
    """The image after the preprocessing profile, and the 3x3 map from original to processed pixels."""

    image: np.ndarray
    transform: np.ndarray | None = None  # None: geometry unchanged

    original_size: tuple[int, int] = (0, 0)  # (width, height) of the image as given

    def to_processed(self, points: np.ndarray) -> np.ndarray:
        return points if self.transform is None else map_points(points, self.transform)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Processed pixels -> original pixels, clipped to the original image."""
        if self.transform is None:
            return points
        mapped = map_points(points, np.linalg.inv(self.transform))
        width, height = self.original_size
        mapped[:, 0] = np.clip(mapped[:, 0], 0, width)
        mapped[:, 1] = np.clip(mapped[:, 1], 0, height)
        return mapped


@dataclass
class PreparedImage:
    """A normalised CHW float32 array, the letterbox (model <-> processed pixels) and the preprocessing."""

    array: np.ndarray
    letterbox: Letterbox
    preprocessed: Preprocessed


def apply_preprocessing(image: np.ndarray, steps: Sequence[Any] | None) -> Preprocessed:
    """Run a preprocessing profile (a list of pipeline steps); an empty profile returns the image unchanged."""
    size = (image.shape[1], image.shape[0])
    if not steps:
        return Preprocessed(image, None, size)
    from ocr.preprocessing.pipeline import pipeline_from_config, run_pipeline

    result = run_pipeline(image, pipeline_from_config(list(steps)))
    moved = not np.allclose(result.transform, np.eye(3))
    return Preprocessed(result.final, result.transform if moved else None, size)


def prepare_for_model(image: np.ndarray, image_size: int, steps: Sequence[Any] | None = None) -> PreparedImage:
    """Preprocess, fit the longest side to ``image_size`` (padded to a multiple of 32) and normalise."""
    processed = apply_preprocessing(image, steps)
    boxed, box = letterbox(processed.image, image_size, pad_multiple=32, square=False)
    return PreparedImage(normalize(boxed), box, processed)


def resized_content(boxed: np.ndarray, box: Letterbox) -> np.ndarray:
    """The letterboxed image without its padding (training crops should not be mostly padding)."""
    return boxed[: box.resized_h, : box.resized_w]


def padded_batch(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Stack CHW arrays of different sizes, padding bottom/right with normalised black like the letterbox does."""
    height = max(array.shape[1] for array in arrays)
    width = max(array.shape[2] for array in arrays)
    black = normalize(np.zeros((1, 1, 3), dtype=np.uint8))
    batch = np.empty((len(arrays), 3, height, width), dtype=np.float32)
    batch[:] = black
    for row, array in enumerate(arrays):
        batch[row, :, : array.shape[1], : array.shape[2]] = array
    return batch

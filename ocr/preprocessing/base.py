"""What every stage returns, plus the image checks and colour conversions the stages share.

Stages receive and return RGB uint8 (H, W, 3). OpenCV's colour-aware calls (LAB, NL-means) assume BGR, so the
conversions are spelled out here once instead of being guessed per stage (the old app mixed the two up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np


@dataclass(frozen=True)
class StageOutput:
    """A stage's result image and JSON-friendly facts about what it did.

    ``transform`` is the 3x3 matrix mapping input pixel coordinates (x, y) to output pixel coordinates for stages
    that move pixels (crop, warp, rotate, resize); ``None`` means the geometry is unchanged. The pipeline composes
    these so annotation polygons can be carried into the processed image and detections back out of it.
    """

    image: np.ndarray
    info: dict[str, Any] = field(default_factory=dict)
    transform: np.ndarray | None = None


def check_rgb(image: Any, where: str) -> np.ndarray:
    """Reject anything but a non-empty RGB uint8 (H, W, 3) array, naming the stage that received it."""
    if not isinstance(image, np.ndarray):
        raise ValueError(f"{where}: expected an RGB uint8 numpy array, got {type(image).__name__}")
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3 or image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"{where}: expected an RGB uint8 image of shape (H, W, 3), got {image.dtype} {image.shape}")
    return image


def to_gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def gray_to_rgb(gray: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)


def downscale(image: np.ndarray, max_side: int) -> tuple[np.ndarray, float]:
    """A copy no longer than ``max_side`` for analysis (speed and resolution-independent kernels) and its scale."""
    height, width = image.shape[:2]
    scale = min(1.0, max_side / max(height, width))
    if scale >= 1.0:
        return image, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), scale


def odd_at_least(value: float, minimum: int = 3) -> int:
    """Nearest odd integer >= minimum, for kernel sizes derived from scaled lengths."""
    size = max(minimum, round(value))
    return size if size % 2 == 1 else size + 1


def translation(dx: float, dy: float) -> np.ndarray:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def scaling(sx: float, sy: float) -> np.ndarray:
    return np.array([[sx, 0.0, 0.0], [0.0, sy, 0.0], [0.0, 0.0, 1.0]])


def map_points(points: np.ndarray, transform: np.ndarray) -> np.ndarray:
    """Apply a 3x3 homography to (N, 2) points; returns float32 (N, 2) as the polygon contract requires."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    homogeneous = np.hstack([pts, np.ones((len(pts), 1))]) @ np.asarray(transform, dtype=np.float64).T
    return (homogeneous[:, :2] / homogeneous[:, 2:3]).astype(np.float32)

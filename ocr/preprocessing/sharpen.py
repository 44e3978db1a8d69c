"""`sharpen`: unsharp mask, out = image + amount * (image - gaussian(image, radius)), per colour channel.

``threshold`` skips differences smaller than it, so flat paper grain is not amplified along with the strokes.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb
from ocr.preprocessing.params import StageParams, param


@dataclass(frozen=True)
class SharpenParams(StageParams):
    STAGE = "sharpen"

    amount: float = param(1.0, min=0.0, max=5.0, step=0.1, help="Strength of the added detail (0 = unchanged)")
    radius: float = param(1.5, min=0.3, max=20.0, step=0.1, help="Gaussian sigma in pixels: the detail scale")
    threshold: int = param(0, min=0, max=255, step=1, help="Ignore differences below this many grey levels")


def sharpen(image: np.ndarray, params: SharpenParams) -> StageOutput:
    check_rgb(image, "sharpen")
    values = image.astype(np.float32)
    detail = values - cv2.GaussianBlur(values, (0, 0), sigmaX=params.radius)
    if params.threshold > 0:
        detail[np.abs(detail) < params.threshold] = 0.0
    out = np.clip(values + params.amount * detail + 0.5, 0, 255).astype(np.uint8)
    return StageOutput(out, {"sharpened_ratio": round(float(np.mean(np.abs(detail) > 0)), 4)})

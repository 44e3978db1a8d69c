"""`resize`: scale so the longest side is N pixels (aspect kept) or by a factor.

Area interpolation when shrinking (no aliasing on fine print), cubic when enlarging. Put it first in a profile to
bring huge photos down before the heavier stages run.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb, scaling
from ocr.preprocessing.params import StageParams, param


@dataclass(frozen=True)
class ResizeParams(StageParams):
    STAGE = "resize"

    mode: str = param(
        "longest_side", choices=("longest_side", "scale"), help="longest_side: fit to N pixels; scale: multiply"
    )
    longest_side: int = param(1280, min=32, max=8192, step=32, help="Target longest side in pixels (longest_side mode)")
    scale: float = param(1.0, min=0.05, max=4.0, step=0.05, help="Factor (scale mode)")
    allow_upscale: bool = param(False, help="In longest_side mode, also enlarge images smaller than the target")


def resize(image: np.ndarray, params: ResizeParams) -> StageOutput:
    check_rgb(image, "resize")
    height, width = image.shape[:2]
    if params.mode == "scale":
        factor = params.scale
    else:
        factor = params.longest_side / max(height, width)
        if factor > 1.0 and not params.allow_upscale:
            factor = 1.0
    new_w, new_h = max(1, round(width * factor)), max(1, round(height * factor))
    info = {"from_size": [width, height], "to_size": [new_w, new_h], "scale": round(factor, 6)}
    if (new_w, new_h) == (width, height):
        return StageOutput(image.copy(), info)
    interpolation = cv2.INTER_AREA if factor < 1.0 else cv2.INTER_CUBIC
    out = cv2.resize(image, (new_w, new_h), interpolation=interpolation)
    sx, sy = new_w / width, new_h / height  # pixel centres: x' + 0.5 = (x + 0.5) * sx
    transform = scaling(sx, sy)
    transform[0, 2], transform[1, 2] = 0.5 * sx - 0.5, 0.5 * sy - 0.5
    return StageOutput(out, info, transform.astype(np.float64))

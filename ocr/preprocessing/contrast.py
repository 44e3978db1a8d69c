"""`contrast`: local contrast (CLAHE), gamma and brightness on the lightness channel of LAB.

Working on L only leaves hue and saturation alone, so a red total or a blue stamp keeps its colour (the old
brightness stage returned grayscale, and its enhancement stage fed BGR into RGB maths).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb
from ocr.preprocessing.params import StageParams, param


@dataclass(frozen=True)
class ContrastParams(StageParams):
    STAGE = "contrast"

    clip_limit: float = param(2.0, min=0.0, max=10.0, step=0.1, help="CLAHE clip limit (0 = no CLAHE)")
    tile_grid: int = param(8, min=1, max=32, step=1, help="CLAHE tiles per side")
    gamma: float = param(1.0, min=0.2, max=5.0, step=0.05, help="Gamma on lightness: above 1 brightens mid-tones")
    brightness: int = param(0, min=-100, max=100, step=1, help="Lightness offset added last (L is 0-255)")


def contrast(image: np.ndarray, params: ContrastParams) -> StageOutput:
    """CLAHE, then gamma, then brightness, all on L of LAB."""
    check_rgb(image, "contrast")
    lab = cv2.cvtColor(image, cv2.COLOR_RGB2LAB)
    lightness = lab[:, :, 0]
    if params.clip_limit > 0:
        clahe = cv2.createCLAHE(clipLimit=params.clip_limit, tileGridSize=(params.tile_grid, params.tile_grid))
        lightness = clahe.apply(lightness)
    table = np.arange(256, dtype=np.float64) / 255.0
    table = np.power(table, 1.0 / params.gamma) * 255.0 + params.brightness
    lightness = cv2.LUT(lightness, np.clip(table + 0.5, 0, 255).astype(np.uint8))
    lab[:, :, 0] = lightness
    out = cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)
    return StageOutput(out, {"mean_lightness": round(float(lightness.mean()), 2)})

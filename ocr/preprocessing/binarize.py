"""`binarize`: black text on white, returned as 3 identical channels so later stages and the model get RGB.

otsu: one global threshold (clean scans); adaptive_gaussian: threshold = Gaussian-weighted local mean - offset
(uneven light); sauvola: T = mean * (1 + k * (std / 128 - 1)) over the window, which keeps faint print on stained
paper. The only stage whose output is not colour.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb, gray_to_rgb, to_gray
from ocr.preprocessing.params import StageParams, param

_SAUVOLA_RANGE = 128.0  # dynamic range of the standard deviation for 8-bit images


@dataclass(frozen=True)
class BinarizeParams(StageParams):
    STAGE = "binarize"

    method: str = param("adaptive_gaussian", choices=("otsu", "adaptive_gaussian", "sauvola"), help="Thresholding rule")
    block_size: int = param(31, min=3, max=255, step=2, odd=True, help="Local window in pixels (adaptive, sauvola)")
    offset: float = param(10.0, min=-50.0, max=50.0, step=1.0, help="Adaptive: subtracted from the local mean")
    k: float = param(0.2, min=0.01, max=1.0, step=0.01, help="Sauvola sensitivity to local contrast")


def binarize(image: np.ndarray, params: BinarizeParams) -> StageOutput:
    check_rgb(image, "binarize")
    gray = to_gray(image)
    info: dict[str, object] = {}
    if params.method == "otsu":
        threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        info["threshold"] = float(threshold)
    elif params.method == "adaptive_gaussian":
        binary = cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, params.block_size, params.offset
        )
    else:
        binary = _sauvola(gray, params.block_size, params.k)
    info["ink_ratio"] = round(float(np.mean(binary == 0)), 4)
    return StageOutput(gray_to_rgb(binary), info)


def _sauvola(gray: np.ndarray, block: int, k: float) -> np.ndarray:
    values = gray.astype(np.float64)
    window = (block, block)
    mean = cv2.boxFilter(values, cv2.CV_64F, window, borderType=cv2.BORDER_REFLECT)
    mean_sq = cv2.boxFilter(values * values, cv2.CV_64F, window, borderType=cv2.BORDER_REFLECT)
    std = np.sqrt(np.maximum(mean_sq - mean * mean, 0.0))
    threshold = mean * (1.0 + k * (std / _SAUVOLA_RANGE - 1.0))
    return np.where(values > threshold, 255, 0).astype(np.uint8)

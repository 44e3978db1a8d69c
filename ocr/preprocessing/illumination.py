"""`background_normalize`: remove shadows and uneven lighting by dividing out an estimate of the paper.

Per colour channel, the background (paper plus illumination) is estimated with a window larger than any character:
a morphological close (the max-then-min removes dark strokes) or a median blur. Dividing by it makes the paper
uniformly white while ink keeps its colour, unlike the old grayscale "noise elimination". The estimate is computed on
a reduced copy (kernel scaled with it) and smoothed before being scaled back, which keeps large kernels cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb, downscale, odd_at_least
from ocr.preprocessing.params import StageParams, param

_ANALYSIS_SIDE = 640  # longest side of the copy the background is estimated on


@dataclass(frozen=True)
class BackgroundParams(StageParams):
    STAGE = "background_normalize"

    method: str = param(
        "close",
        choices=("close", "median"),
        help="close: morphological closing (keeps paper brightness next to text); median: median blur",
    )
    kernel_size: int = param(
        51, min=3, max=401, step=2, odd=True, help="Background window in pixels; must exceed the largest character"
    )
    white: int = param(245, min=128, max=255, step=1, help="Grey level the paper is mapped to")


def estimate_background(image: np.ndarray, params: BackgroundParams) -> np.ndarray:
    """Per-channel background (float32, same shape as the image) for ``background_normalize``."""
    small, scale = downscale(image, _ANALYSIS_SIDE)
    kernel = odd_at_least(params.kernel_size * scale)
    if params.method == "close":
        element = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (kernel, kernel))
        background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, element)
    else:
        background = cv2.medianBlur(small, min(kernel, 255))
    background = cv2.GaussianBlur(background, (0, 0), sigmaX=kernel / 6.0 + 0.5)
    height, width = image.shape[:2]
    if background.shape[:2] != (height, width):
        background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    return background.astype(np.float32)


def background_normalize(image: np.ndarray, params: BackgroundParams) -> StageOutput:
    """Divide each channel by its estimated background so lighting is flat and colour survives."""
    check_rgb(image, "background_normalize")
    background = estimate_background(image, params)
    normalised = image.astype(np.float32) * (params.white / np.maximum(background, 1.0))
    out = np.clip(normalised + 0.5, 0, 255).astype(np.uint8)
    info = {"background_mean": [round(float(v), 1) for v in background.reshape(-1, 3).mean(axis=0)]}
    return StageOutput(out, info)

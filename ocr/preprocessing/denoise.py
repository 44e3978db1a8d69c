"""`denoise`: edge-preserving noise removal on the colour image.

bilateral (default, fast), median (salt-and-pepper, JPEG speckle) or OpenCV's non-local means for colour
(best quality, slowest: about a second per megapixel). NL-means works in CIELAB internally and expects BGR, so the
image is converted around it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb
from ocr.preprocessing.params import StageParams, param

_NL_SEARCH_WINDOW = 21


@dataclass(frozen=True)
class DenoiseParams(StageParams):
    STAGE = "denoise"

    method: str = param("bilateral", choices=("bilateral", "median", "nl_means"), help="Filter used")
    strength: float = param(
        10.0, min=1.0, max=100.0, step=1.0, help="NL-means h; bilateral colour sigma is 3x this; median ignores it"
    )
    kernel_size: int = param(
        5, min=3, max=15, step=2, odd=True, help="Bilateral diameter, median aperture or NL-means patch size"
    )


def denoise(image: np.ndarray, params: DenoiseParams) -> StageOutput:
    check_rgb(image, "denoise")
    if params.method == "median":
        out = cv2.medianBlur(image, params.kernel_size)
    elif params.method == "bilateral":
        out = cv2.bilateralFilter(image, params.kernel_size, 3.0 * params.strength, params.kernel_size)
    else:
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        bgr = cv2.fastNlMeansDenoisingColored(
            bgr, None, params.strength, params.strength, params.kernel_size, _NL_SEARCH_WINDOW
        )
        out = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    change = float(np.mean(np.abs(out.astype(np.int16) - image.astype(np.int16))))
    return StageOutput(out, {"mean_abs_change": round(change, 3)})

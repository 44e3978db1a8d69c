"""Stages that cut the document out of a photo: `document_crop` and `perspective_correction`.

Both use `find_document_quad`; the old app only drew the detected outline and then re-detected on the annotated
image. `document_crop` is the automatic "find it and cut it out" step (warp or plain bounding box, optional margin);
`perspective_correction` rectifies a quad the user gives (e.g. corners dragged in the UI, as fractions so they
survive preview scaling) and detects one only when none is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb, translation
from ocr.preprocessing.params import param
from ocr.preprocessing.quad import DetectionParams, DocumentQuad, find_document_quad, is_convex_quad, warp_quad


@dataclass(frozen=True)
class DocumentCropParams(DetectionParams):
    STAGE = "document_crop"

    mode: str = param(
        "warp",
        choices=("warp", "bounding_box"),
        help="warp: rectify the quad to an upright rectangle; bounding_box: axis-aligned crop, pixels untouched",
    )
    margin: int = param(0, min=0, max=200, step=1, help="Extra pixels kept around the document")


@dataclass(frozen=True)
class PerspectiveParams(DetectionParams):
    STAGE = "perspective_correction"

    corners: tuple[float, ...] = param(
        (),
        min=0.0,
        max=1.0,
        step=0.001,
        help="Optional corners x,y of TL, TR, BR, BL as fractions of width/height (8 numbers); empty = detect",
    )

    def _check(self) -> None:
        super()._check()
        if not self.corners:
            return
        if len(self.corners) != 8:
            self._fail("corners", f"needs 8 numbers (x, y of TL, TR, BR, BL) or none, got {len(self.corners)}")
        if not is_convex_quad(np.reshape(self.corners, (4, 2))):
            self._fail("corners", "must form a convex quadrilateral listed in TL, TR, BR, BL order")


def _quad_info(quad: DocumentQuad) -> dict[str, Any]:
    return {
        "quad": np.round(quad.points.astype(np.float64), 2).tolist(),
        "method": quad.method,
        "fallback": quad.fallback,
        "area_ratio": round(quad.area_ratio, 4),
    }


def document_crop(image: np.ndarray, params: DocumentCropParams) -> StageOutput:
    """Detect the document and cut it out; an image with no detectable document comes back unchanged."""
    check_rgb(image, "document_crop")
    quad = find_document_quad(image, params)
    info = _quad_info(quad)
    if quad.method == "full_image":
        return StageOutput(image.copy(), info)
    if params.mode == "warp":
        warped, matrix = warp_quad(image, quad.points, params.margin)
        return StageOutput(warped, info, matrix)
    height, width = image.shape[:2]
    x0 = max(0, int(np.floor(quad.points[:, 0].min())) - params.margin)
    y0 = max(0, int(np.floor(quad.points[:, 1].min())) - params.margin)
    x1 = min(width, int(np.ceil(quad.points[:, 0].max())) + 1 + params.margin)
    y1 = min(height, int(np.ceil(quad.points[:, 1].max())) + 1 + params.margin)
    return StageOutput(image[y0:y1, x0:x1].copy(), info, translation(-x0, -y0))


def perspective_correction(image: np.ndarray, params: PerspectiveParams) -> StageOutput:
    """Warp the given (or detected) quad to an upright rectangle sized by its longer opposite sides."""
    check_rgb(image, "perspective_correction")
    height, width = image.shape[:2]
    if params.corners:
        points = np.reshape(np.asarray(params.corners, dtype=np.float32), (4, 2)) * np.float32([width - 1, height - 1])
        quad = DocumentQuad(points, "corners", float(cv2.contourArea(points)) / (width * height))
    else:
        quad = find_document_quad(image, params)
    info = _quad_info(quad)
    info["source"] = "corners" if params.corners else "detected"
    if quad.method == "full_image":
        return StageOutput(image.copy(), info)
    warped, matrix = warp_quad(image, quad.points)
    return StageOutput(warped, info, matrix)

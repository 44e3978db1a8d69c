"""DBNet probability map -> word boxes or polygons on the ORIGINAL image.

Follows PaddleOCR's ``DBPostProcess`` (MhLiao's ``SegDetectorRepresenter``): binarise, trace contours, score each
candidate by the mean probability inside it, grow it back by the unclip offset ``D' = A * unclip_ratio / L`` that
undoes the training-time shrink, then map it out of model space with the very ``Letterbox`` that produced the input.
That last step is the one that used to go wrong on portrait receipts, so it is done in exactly one place here.

Contour points are pixel indices (pixel centres); they are moved by +0.5 into the continuous pixel-corner
coordinates that ``Letterbox`` and the training targets use. A contour through the centres of the outermost pixels
is about one pixel narrower than the polygon the targets rasterised (``cv2.fillPoly`` also takes the pixels the
outline passes through); as in the reference implementations the two effects cancel, so no correction is applied.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import cv2
import numpy as np

from ocr.data.geometry import Letterbox, offset_polygon


@dataclass
class PostprocessParams:
    """Tunable knobs, checked on construction so a bad UI/Hydra value fails with a clear message up front."""

    thresh: float = 0.3
    box_thresh: float = 0.6
    unclip_ratio: float = 1.5
    max_candidates: int = 1000
    min_size: float = 3
    use_polygon: bool = False

    def __post_init__(self) -> None:
        for name in ("thresh", "box_thresh", "unclip_ratio", "min_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"PostprocessParams.{name} must be a number, got {value!r}")
        if not 0.0 < self.thresh < 1.0:
            raise ValueError(f"PostprocessParams.thresh must be in (0, 1), got {self.thresh}")
        if not 0.0 <= self.box_thresh <= 1.0:
            raise ValueError(f"PostprocessParams.box_thresh must be in [0, 1], got {self.box_thresh}")
        if not 0.0 < self.unclip_ratio <= 10.0:
            raise ValueError(f"PostprocessParams.unclip_ratio must be in (0, 10], got {self.unclip_ratio}")
        if not 0.0 <= self.min_size <= 1000.0:
            raise ValueError(f"PostprocessParams.min_size must be in [0, 1000] pixels, got {self.min_size}")
        if isinstance(self.max_candidates, bool) or not isinstance(self.max_candidates, numbers.Integral):
            raise ValueError(f"PostprocessParams.max_candidates must be an integer, got {self.max_candidates!r}")
        if self.max_candidates < 1:
            raise ValueError(f"PostprocessParams.max_candidates must be >= 1, got {self.max_candidates}")
        if not isinstance(self.use_polygon, bool | np.bool_):
            raise ValueError(f"PostprocessParams.use_polygon must be true or false, got {self.use_polygon!r}")
        self.thresh, self.box_thresh = float(self.thresh), float(self.box_thresh)
        self.unclip_ratio, self.min_size = float(self.unclip_ratio), float(self.min_size)
        self.max_candidates, self.use_polygon = int(self.max_candidates), bool(self.use_polygon)


@dataclass
class Detection:
    """One word: ``points`` (N, 2) float32 in original-image pixels, clockwise from the top-left corner."""

    points: np.ndarray
    score: float


def db_postprocess(prob: np.ndarray, letterbox: Letterbox, params: PostprocessParams | None = None) -> list[Detection]:
    """Turn a probability map in letterboxed model space into detections on the original image.

    ``prob`` is (H, W) (a leading singleton axis is accepted) and must cover ``letterbox.out_h x out_w``; a larger
    map (a batch padded to a common size) is cropped to it.
    """
    params = params or PostprocessParams()
    prob = _model_space_map(prob, letterbox)
    bitmap = (prob > params.thresh).astype(np.uint8)
    contours, _ = cv2.findContours(bitmap, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    if len(contours) > params.max_candidates:
        # Keep the largest candidates rather than whatever order the tracer produced.
        areas = np.array([cv2.contourArea(c) for c in contours])
        keep = np.argsort(-areas, kind="stable")[: params.max_candidates]
        contours = [contours[i] for i in sorted(keep)]

    detections: list[Detection] = []
    for contour in contours:
        found = (
            _polygon_candidate(contour, prob, params) if params.use_polygon else _box_candidate(contour, prob, params)
        )
        if found is None:
            continue
        points, score = found
        original = letterbox.clip_original(letterbox.to_original(points + 0.5))
        if abs(cv2.contourArea(original)) < 1.0:
            continue  # a candidate that lay in the padding collapses onto the image border
        detections.append(Detection(points=original.astype(np.float32), score=score))
    return detections


def _model_space_map(prob: np.ndarray, letterbox: Letterbox) -> np.ndarray:
    prob = np.asarray(prob)
    while prob.ndim > 2 and prob.shape[0] == 1:
        prob = prob[0]
    if prob.ndim != 2:
        raise ValueError(f"db_postprocess expects an (H, W) probability map, got shape {prob.shape}")
    if prob.shape[0] < letterbox.out_h or prob.shape[1] < letterbox.out_w:
        raise ValueError(
            f"db_postprocess: probability map {prob.shape[1]}x{prob.shape[0]} is smaller than the letterboxed "
            f"input {letterbox.out_w}x{letterbox.out_h}; pass the map at input resolution"
        )
    return np.ascontiguousarray(prob[: letterbox.out_h, : letterbox.out_w], dtype=np.float32)


def _box_candidate(contour: np.ndarray, prob: np.ndarray, params: PostprocessParams) -> tuple[np.ndarray, float] | None:
    rect = cv2.minAreaRect(contour)
    if min(rect[1]) < params.min_size:
        return None
    score = _box_score(prob, _ordered_box(rect))
    if score < params.box_thresh:
        return None
    grown = _unclip(_ordered_box(rect), params.unclip_ratio)
    if not grown:
        return None
    rect = cv2.minAreaRect(np.concatenate(grown).astype(np.float32))
    if min(rect[1]) < params.min_size + 2:
        return None
    return _ordered_box(rect), score


def _polygon_candidate(
    contour: np.ndarray, prob: np.ndarray, params: PostprocessParams
) -> tuple[np.ndarray, float] | None:
    epsilon = 0.002 * cv2.arcLength(contour, True)
    points = cv2.approxPolyDP(contour, epsilon, True).reshape(-1, 2).astype(np.float64)
    if len(points) < 4:
        return None
    score = _box_score(prob, points)
    if score < params.box_thresh:
        return None
    grown = _unclip(points, params.unclip_ratio)
    if len(grown) != 1:
        return None  # unclipping merged or split the outline: not one word
    polygon = grown[0]
    if min(cv2.minAreaRect(polygon.astype(np.float32))[1]) < params.min_size + 2:
        return None
    return _clockwise_from_top_left(polygon), score


def _ordered_box(rect: tuple) -> np.ndarray:
    """Corners of a ``cv2.minAreaRect`` ordered top-left, top-right, bottom-right, bottom-left (PaddleOCR's order)."""
    corners = sorted(cv2.boxPoints(rect).tolist(), key=lambda p: p[0])
    left = sorted(corners[:2], key=lambda p: p[1])
    right = sorted(corners[2:], key=lambda p: p[1])
    return np.array([left[0], right[0], right[1], left[1]], dtype=np.float64)


def _box_score(prob: np.ndarray, points: np.ndarray) -> float:
    """Mean probability inside the polygon ("fast" score: on its bounding box with a filled mask)."""
    height, width = prob.shape
    lo, hi = points.min(axis=0), points.max(axis=0)  # plain Python clamping: np.clip costs more than the mask here
    x0 = min(max(math.floor(lo[0]), 0), width - 1)
    x1 = min(max(math.ceil(hi[0]), 0), width - 1)
    y0 = min(max(math.floor(lo[1]), 0), height - 1)
    y1 = min(max(math.ceil(hi[1]), 0), height - 1)
    mask = np.zeros((y1 - y0 + 1, x1 - x0 + 1), dtype=np.uint8)
    local = np.round(points - (x0, y0)).astype(np.int32)
    cv2.fillPoly(mask, [local], 1)
    return float(cv2.mean(prob[y0 : y1 + 1, x0 : x1 + 1], mask)[0])


def _unclip(points: np.ndarray, unclip_ratio: float) -> list[np.ndarray]:
    contour = np.asarray(points, dtype=np.float32)
    perimeter = cv2.arcLength(contour, True)
    if perimeter <= 0:
        return []
    distance = abs(cv2.contourArea(contour)) * unclip_ratio / perimeter
    return offset_polygon(points, distance)


def _clockwise_from_top_left(points: np.ndarray) -> np.ndarray:
    """Clockwise on screen (y down) == positive shoelace sum; start at the vertex nearest the box's top-left."""
    pts = np.asarray(points, dtype=np.float64)
    x, y = pts[:, 0], pts[:, 1]
    if float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) < 0:
        pts = pts[::-1]
    start = int(np.argmin(((pts - pts.min(axis=0)) ** 2).sum(axis=1)))
    return np.roll(pts, -start, axis=0)

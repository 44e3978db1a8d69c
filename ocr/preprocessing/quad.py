"""Find a document (receipt, page) on a background and warp a quadrilateral to an upright rectangle.

Shared by `document_crop` and `perspective_correction` so there is one detector to tune and test. The search runs
on a copy scaled to ``work_size`` (speed, and thresholds that mean the same on a phone photo and on a scan):

1. ``edges``: blurred grey -> Canny -> morphological close (joins broken edges without moving them) -> outer
   contours, largest first; accept a contour whose convex hull simplifies (approxPolyDP, 2-5 % of the perimeter)
   to a convex 4-gon that the contour fills.
2. ``threshold``: the same on an Otsu mask of bright regions (white paper on a darker table), for when texture
   breaks the edge outline.
3. ``min_area_rect`` (fallback): the minimum-area rectangle of the largest contour seen.
4. ``full_image`` (fallback): the image border, meaning "nothing found".

Accepted 4-gons are refined by fitting a line to each side's contour points and intersecting neighbours, so
rounded or dog-eared corners do not pull the corners inwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import downscale, to_gray
from ocr.preprocessing.params import StageParams, param

_EPSILONS = (0.02, 0.03, 0.04, 0.05)  # approxPolyDP tolerances, fractions of the perimeter
_MIN_FILL = 0.9  # contour area / quad area: rejects quads that only hull a ragged blob
_CANDIDATES = 5  # largest contours tried per mask


@dataclass(frozen=True)
class DetectionParams(StageParams):
    """Knobs of the document search, shared by the stages that use it."""

    STAGE = "document_detection"

    min_area_ratio: float = param(
        0.2, min=0.01, max=0.99, step=0.01, help="Smallest document area accepted, as a fraction of the image area"
    )
    canny_low: int = param(50, min=0, max=254, step=1, help="Lower Canny hysteresis threshold of the edge map")
    canny_high: int = param(150, min=1, max=255, step=1, help="Upper Canny hysteresis threshold of the edge map")
    blur_kernel: int = param(5, min=1, max=31, step=2, odd=True, help="Gaussian blur before edges (1 = none)")
    close_kernel: int = param(
        5, min=1, max=31, step=2, odd=True, help="Morphological close joining broken edges (1 = none)"
    )
    work_size: int = param(
        800, min=200, max=4000, step=50, help="Longest side of the copy searched; corners are scaled back"
    )
    fallback: bool = param(
        True, help="When no 4-corner outline is found, use the min-area rectangle of the largest blob"
    )

    def _check(self) -> None:
        if self.canny_low >= self.canny_high:
            self._fail("canny_low", f"must be below canny_high ({self.canny_high}), got {self.canny_low}")


@dataclass(frozen=True)
class DocumentQuad:
    """Corners TL, TR, BR, BL as float32 (4, 2) in the searched image's pixels, and how they were found."""

    points: np.ndarray
    method: str  # edges | threshold | min_area_rect | full_image
    area_ratio: float

    @property
    def fallback(self) -> bool:
        return self.method in ("min_area_rect", "full_image")


def order_quad(points: np.ndarray) -> np.ndarray:
    """Order 4 points TL, TR, BR, BL: clockwise around the centroid, starting at the smallest x + y.

    Geometry alone cannot tell a page's top; for a document turned more than 45 degrees the result is a quarter
    turn off, which `deskew` with ``fix_orientation`` can undo.
    """
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])  # y down: increasing = clockwise on screen
    pts = pts[np.argsort(angles, kind="stable")]
    start = int(np.argmin(pts.sum(axis=1)))
    return np.roll(pts, -start, axis=0)


def quad_size(quad: np.ndarray) -> tuple[int, int]:
    """Output width and height for a warp: the longer of each pair of opposite sides."""
    tl, tr, br, bl = np.asarray(quad, dtype=np.float64)
    width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
    height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
    return max(1, round(width)), max(1, round(height))


def is_convex_quad(quad: np.ndarray) -> bool:
    """True when the 4 points in order turn the same way at every corner (and are not degenerate)."""
    pts = np.asarray(quad, dtype=np.float64).reshape(4, 2)
    edges = np.roll(pts, -1, axis=0) - pts
    cross = edges[:, 0] * np.roll(edges, -1, axis=0)[:, 1] - edges[:, 1] * np.roll(edges, -1, axis=0)[:, 0]
    return bool(np.all(cross > 1e-9) or np.all(cross < -1e-9))


def warp_quad(image: np.ndarray, quad: np.ndarray, margin: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Warp the quad (TL, TR, BR, BL) to an upright rectangle with ``margin`` pixels around it; returns the 3x3."""
    width, height = quad_size(quad)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32) + np.float32(
        margin
    )
    matrix = cv2.getPerspectiveTransform(np.asarray(quad, dtype=np.float32), dst)
    size = (width + 2 * margin, height + 2 * margin)
    warped = cv2.warpPerspective(image, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return warped, matrix.astype(np.float64)


def find_document_quad(image: np.ndarray, params: DetectionParams | None = None) -> DocumentQuad:
    """Locate the document's 4 corners in an RGB image (see the module docstring for the strategy)."""
    params = params or DetectionParams()
    height, width = image.shape[:2]
    small, scale = downscale(image, params.work_size)
    gray = to_gray(small)
    if params.blur_kernel > 1:
        gray = cv2.GaussianBlur(gray, (params.blur_kernel, params.blur_kernel), 0)
    min_area = params.min_area_ratio * gray.shape[0] * gray.shape[1]

    largest: np.ndarray | None = None
    for method, make_mask in (("edges", _edge_mask), ("threshold", _bright_mask)):
        contours, _ = cv2.findContours(make_mask(gray, params), cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        contours = sorted(contours, key=cv2.contourArea, reverse=True)
        if contours and (largest is None or cv2.contourArea(contours[0]) > cv2.contourArea(largest)):
            largest = contours[0]
        for contour in contours[:_CANDIDATES]:
            if cv2.contourArea(contour) < min_area:
                break
            quad = _quad_from_contour(contour)
            if quad is not None:
                return _to_full(quad, method, scale, width, height)

    if params.fallback and largest is not None and cv2.contourArea(largest) >= min_area:
        box = order_quad(cv2.boxPoints(cv2.minAreaRect(largest)))
        return _to_full(box, "min_area_rect", scale, width, height)
    corners = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    return DocumentQuad(corners, "full_image", 1.0)


def _edge_mask(gray: np.ndarray, params: DetectionParams) -> np.ndarray:
    edges = cv2.Canny(gray, params.canny_low, params.canny_high)
    if params.close_kernel > 1:
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (params.close_kernel, params.close_kernel))
        edges = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, kernel)
    return edges


def _bright_mask(gray: np.ndarray, params: DetectionParams) -> np.ndarray:
    _, mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    if params.close_kernel > 1:  # opening cuts thin bright bridges to the background
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (params.close_kernel, params.close_kernel))
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    return mask


def _quad_from_contour(contour: np.ndarray) -> np.ndarray | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in _EPSILONS:
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) != 4 or not cv2.isContourConvex(approx):
            continue
        quad = order_quad(approx.reshape(4, 2))
        quad_area = cv2.contourArea(quad)
        if quad_area <= 0 or cv2.contourArea(contour) / quad_area < _MIN_FILL:
            return None
        return _refine_corners(contour.reshape(-1, 2).astype(np.float64), quad)
    return None


def _refine_corners(points: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Intersect lines fitted to each side's middle 80 %; keep the rough corners if the fit looks wrong."""
    lines = []
    for i in range(4):
        start, end = quad[i].astype(np.float64), quad[(i + 1) % 4].astype(np.float64)
        direction = end - start
        length = float(np.linalg.norm(direction))
        if length < 1e-6:
            return quad
        unit = direction / length
        rel = points - start
        along = rel @ unit
        across = np.abs(rel[:, 0] * unit[1] - rel[:, 1] * unit[0])
        side = points[(along > 0.1 * length) & (along < 0.9 * length) & (across < max(2.0, 0.02 * length))]
        if len(side) < 10:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(side.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], dtype=np.float64), np.array([vx, vy], dtype=np.float64)))

    refined = np.empty((4, 2), dtype=np.float64)
    for i in range(4):  # corner i lies on side i-1 and side i
        (p1, d1), (p2, d2) = lines[i - 1], lines[i]
        denominator = d1[0] * d2[1] - d1[1] * d2[0]
        if abs(denominator) < 1e-6:
            return quad
        t = ((p2[0] - p1[0]) * d2[1] - (p2[1] - p1[1]) * d2[0]) / denominator
        refined[i] = p1 + t * d1
    diagonal = float(np.linalg.norm(quad[2] - quad[0]))
    if np.max(np.linalg.norm(refined - quad, axis=1)) > 0.05 * diagonal or not is_convex_quad(refined):
        return quad
    return refined.astype(np.float32)


def _to_full(quad: np.ndarray, method: str, scale: float, width: int, height: int) -> DocumentQuad:
    """Scale corners from the searched copy back to the image (pixel centres) and clip them inside it."""
    pts = (np.asarray(quad, dtype=np.float64) + 0.5) / scale - 0.5
    pts[:, 0] = np.clip(pts[:, 0], 0, width - 1)
    pts[:, 1] = np.clip(pts[:, 1], 0, height - 1)
    area = float(cv2.contourArea(pts.astype(np.float32))) / (width * height)
    return DocumentQuad(pts.astype(np.float32), method, area)

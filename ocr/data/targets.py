"""DBNet training targets: shrunk probability map and the threshold band around each word.

Follows MhLiao/DB (``MakeSegDetectionData`` + ``MakeBorderMap``): every word polygon is shrunk by
``D = A (1 - r^2) / L`` for the probability map and dilated by the same ``D`` for the threshold map, whose value is
``1 - distance_to_the_polygon_edge / D`` inside that band, rescaled to ``[thresh_min, thresh_max]``. Don't-care and
too small words are cut out of the loss mask instead of being taught as background.

Polygons are in continuous pixel-corner coordinates (``ocr.data.geometry``; pixel ``(i, j)`` has its centre at
``(i + 0.5, j + 0.5)``) and are rasterised at 1/16 pixel precision. ``cv2.fillPoly`` also takes the pixels the
outline passes through (about half a pixel beyond the polygon on each side, as in DB's own targets);
``ocr.postprocess.db`` traces contours through the outermost pixel centres, which gives that half pixel back.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import cv2
import numpy as np

from ocr.data.geometry import offset_polygon

_FILL_SHIFT = 4  # cv2.fillPoly fixed-point bits: 1/16 pixel


def _fill(canvas: np.ndarray, polygons: Sequence[np.ndarray], value: float) -> None:
    """Fill corner-coordinate polygons at sub-pixel precision (pixel centres sit at +0.5; see the module docstring)."""
    pts = [np.round((np.asarray(p, dtype=np.float64) - 0.5) * (1 << _FILL_SHIFT)).astype(np.int32) for p in polygons]
    cv2.fillPoly(canvas, pts, value, lineType=cv2.LINE_8, shift=_FILL_SHIFT)


@functools.lru_cache(maxsize=2)
def _pixel_centres(height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Read-only x and y coordinates of every pixel centre; slicing them beats re-broadcasting aranges per edge."""
    xs = np.ascontiguousarray(np.broadcast_to(np.arange(width, dtype=np.float32) + 0.5, (height, width)))
    ys = np.ascontiguousarray(np.broadcast_to((np.arange(height, dtype=np.float32) + 0.5)[:, None], (height, width)))
    xs.flags.writeable = False
    ys.flags.writeable = False
    return xs, ys


def _draw_border(polygon: np.ndarray, distance: float, canvas: np.ndarray) -> None:
    """canvas = min(canvas, dist_to_polygon_edges / D), vectorised per edge; the threshold map is 1 - clip(canvas).

    The normalised distance to the polygon is the minimum over its edges, and a pixel farther than D from an edge
    cannot win that minimum (the canvas starts at 1), so each edge is evaluated only on the bounding box of its own
    band (the segment grown by D), about 3x less work than the polygon's whole box for long text lines, with the
    same values as MhLiao/DB's ``draw_border_map``. Coordinates are pre-divided by D so no extra rescale pass runs.
    """
    height, width = canvas.shape
    grid_x, grid_y = _pixel_centres(height, width)
    points = polygon.tolist()
    inv_d = 1.0 / distance
    for (ax, ay), (bx, by) in zip(points, points[1:] + points[:1], strict=True):
        x0 = max(0, math.floor(min(ax, bx) - distance))
        y0 = max(0, math.floor(min(ay, by) - distance))
        x1 = min(width, math.ceil(max(ax, bx) + distance))
        y1 = min(height, math.ceil(max(ay, by) + distance))
        length = math.hypot(bx - ax, by - ay)
        if x1 <= x0 or y1 <= y0 or length < 1e-6:
            continue
        ux, uy = (bx - ax) / length * inv_d, (by - ay) / length * inv_d
        mx, my = (ax + bx) / 2.0, (ay + by) / 2.0
        xs, ys = grid_x[y0:y1, x0:x1], grid_y[y0:y1, x0:x1]
        # Pixel centres in the edge's frame (units of D), origin at its midpoint: `along` the edge, `across` it.
        along = cv2.addWeighted(xs, ux, ys, uy, -(mx * ux + my * uy))
        across = cv2.addWeighted(xs, uy, ys, -ux, -(mx * uy - my * ux))
        # Past either end the nearest point is that end: the along-offset that counts is max(|along| - L/2, 0).
        np.abs(along, out=along)
        np.subtract(along, np.float32(length * inv_d / 2.0), out=along)
        cv2.threshold(along, 0.0, 0.0, cv2.THRESH_TOZERO, dst=along)
        region = canvas[y0:y1, x0:x1]
        cv2.min(region, cv2.magnitude(along, across), dst=region)


def make_db_targets(
    polygons: Sequence[np.ndarray],
    ignore: Sequence[bool],
    height: int,
    width: int,
    shrink_ratio: float = 0.4,
    thresh_min: float = 0.3,
    thresh_max: float = 0.7,
    min_text_size: int = 3,
) -> dict[str, np.ndarray]:
    """Build ``prob_map``, ``prob_mask``, ``thresh_map`` and ``thresh_mask`` (float32, shape (height, width)).

    ``prob_mask`` is 0 over don't-care words, words whose shorter bounding-box side is below ``min_text_size`` and
    words that vanish when shrunk, so the loss neither rewards nor punishes the model there.
    """
    if len(polygons) != len(ignore):
        raise ValueError(f"make_db_targets got {len(polygons)} polygons but {len(ignore)} ignore flags")
    if height < 1 or width < 1:
        raise ValueError(f"make_db_targets needs a positive size, got {height}x{width}")
    if not 0.0 < shrink_ratio < 1.0:
        raise ValueError(f"make_db_targets shrink_ratio must be in (0, 1), got {shrink_ratio}")
    if not 0.0 <= thresh_min < thresh_max <= 1.0:
        raise ValueError(f"make_db_targets needs 0 <= thresh_min < thresh_max <= 1, got {thresh_min}, {thresh_max}")

    prob_map = np.zeros((height, width), dtype=np.float32)
    prob_mask = np.ones((height, width), dtype=np.float32)
    thresh_canvas = np.ones((height, width), dtype=np.float32)  # normalised distance to the nearest word edge
    thresh_mask = np.zeros((height, width), dtype=np.float32)
    shrink_factor = 1.0 - shrink_ratio**2

    for raw, flagged in zip(polygons, ignore, strict=True):
        polygon = np.array(raw, dtype=np.float64).reshape(-1, 2)  # a copy: clipped in place below
        if len(polygon) < 3:
            continue
        np.clip(polygon, 0.0, (width, height), out=polygon)
        extent = polygon.max(axis=0) - polygon.min(axis=0)
        contour = polygon.astype(np.float32)
        area = abs(cv2.contourArea(contour))
        if flagged or min(extent) < min_text_size or area < 1.0:
            _fill(prob_mask, [polygon], 0.0)
            continue

        distance = area * shrink_factor / cv2.arcLength(contour, True)
        shrunk = offset_polygon(polygon, -distance)
        if not shrunk:
            _fill(prob_mask, [polygon], 0.0)
            continue
        _fill(prob_map, shrunk, 1.0)

        dilated = offset_polygon(polygon, distance)
        if dilated:
            _fill(thresh_mask, dilated, 1.0)
        _draw_border(polygon, distance, thresh_canvas)

    # 1 at a word edge falling to 0 at distance D, rescaled to [thresh_min, thresh_max]
    closeness = 1.0 - np.minimum(thresh_canvas, 1.0, out=thresh_canvas)
    thresh_map = closeness * np.float32(thresh_max - thresh_min) + np.float32(thresh_min)
    return {"prob_map": prob_map, "prob_mask": prob_mask, "thresh_map": thresh_map, "thresh_mask": thresh_mask}

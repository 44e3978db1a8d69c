"""`deskew`: measure the text-line angle, and optionally the page orientation, then rotate upright.

Skew: dark-on-light ink is found with a local (adaptive mean) threshold on a copy scaled to ``work_size``, so a dark
table around an uncropped receipt is not mistaken for ink. The ink pixels are projected onto the rotated y axis for
every candidate angle and the angle whose row histogram is most concentrated (largest sum of squared bin counts:
text lines fall into few bins, gaps into empty ones) wins; a 0.5 degree coarse search over +-max_angle is refined
in ``angle_step`` steps. The image is then rotated on an expanded canvas so no corner is cut off.

Orientation is a heuristic, so each part is opt-in:
* ``fix_orientation`` (90 degrees): within a line, characters sit close together; between lines there is more
  space. So for horizontal text the white gaps between ink pixels are shorter along rows than along columns. The
  score is mean log(column gap) - mean log(row gap) (about +0.7 to +1.4 on upright receipt scans); below
  ``-orientation_margin`` the text runs vertically and the page is turned a quarter, counter-clockwise (90) unless
  the upside-down test says the other way (270). Which way a sideways page faces cannot be told from gaps alone.
* ``detect_upside_down`` (180 degrees): Latin text has more ascenders (b, d, h, k, l, t, capitals) than descenders
  (g, j, p, q, y), so in each text line more ink sticks out above the dense x-height band than below it; when
  clearly more sticks out below (asymmetry under -0.2) the page is turned half. Reliable on mixed-case text, but it
  misleads on receipts printed in capitals, where commas and brackets hang below the line: keep it off for those.
Angles follow OpenCV: positive = counter-clockwise on screen, and ``info["angle"]`` is the correction applied.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.preprocessing.base import StageOutput, check_rgb, downscale, to_gray
from ocr.preprocessing.params import StageParams, param

_BLOCK = 31  # adaptive threshold window at work resolution (a few text heights)
_OFFSET = 10  # grey levels darker than the local mean that count as ink
_MAX_POINTS = 100_000  # ink pixels kept (evenly strided) for the projection search
_MIN_POINTS = 100  # fewer ink pixels than this: nothing to measure, leave the image alone
_UPDOWN_MIN = 0.2  # ascender/descender asymmetry needed before turning a page upside down
_QUARTER_CODES = {1: cv2.ROTATE_90_COUNTERCLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_CLOCKWISE}
_BORDERS = {"white": (255, 255, 255), "black": (0, 0, 0)}


@dataclass(frozen=True)
class DeskewParams(StageParams):
    STAGE = "deskew"

    max_angle: float = param(15.0, min=0.5, max=45.0, step=0.5, help="Largest skew searched either way, in degrees")
    angle_step: float = param(0.1, min=0.02, max=1.0, step=0.02, help="Precision of the fine angle search, degrees")
    min_angle: float = param(
        0.2, min=0.0, max=5.0, step=0.1, help="Smaller skews are left alone (rotating resamples and blurs)"
    )
    fix_orientation: bool = param(
        False, help="Turn pages whose text runs vertically by 90 degrees (gap-length heuristic)"
    )
    orientation_margin: float = param(
        0.3, min=0.0, max=2.0, step=0.05, help="How clearly (log gap ratio) text must run vertically to turn it"
    )
    detect_upside_down: bool = param(
        False, help="Turn pages upside down by ascender/descender asymmetry; misleads on all-caps receipts"
    )
    border: str = param(
        "white", choices=("white", "replicate", "black"), help="Fill for the corners a rotation exposes"
    )
    work_size: int = param(1000, min=200, max=4000, step=50, help="Longest side of the copy the angle is measured on")


@dataclass(frozen=True)
class SkewEstimate:
    """Correction to apply: ``quarter_turns`` counter-clockwise quarter turns, then ``angle`` degrees.

    ``direction`` is the text-direction score (positive: horizontal lines), ``updown`` the ascender asymmetry
    (positive: upright); each is None when not measured.
    """

    angle: float
    quarter_turns: int
    ink_points: int
    direction: float | None = None
    updown: float | None = None


def estimate_skew(image: np.ndarray, params: DeskewParams | None = None) -> SkewEstimate:
    params = params or DeskewParams()
    mask = _ink_mask(image, params.work_size)
    xs, ys = _points(mask)
    if len(xs) < _MIN_POINTS:
        return SkewEstimate(0.0, 0, len(xs))
    direction = updown = None
    centre = 0.0
    if params.fix_orientation:
        direction = text_direction(mask)
        if direction < -params.orientation_margin:
            centre = 90.0
    best = _search(xs, ys, centre, params)
    if params.detect_upside_down:
        updown = _ascender_asymmetry(_profile(xs, ys, best))
        if updown < -_UPDOWN_MIN:
            best += 180.0
    turns = round(best / 90.0)
    return SkewEstimate(round(best - 90.0 * turns, 4), turns % 4, len(xs), direction, updown)


def text_direction(mask: np.ndarray) -> float:
    """mean log(gap along columns) - mean log(gap along rows) of an ink mask: > 0 for horizontal text lines."""
    row_gaps, column_gaps = _gaps(mask), _gaps(mask.T)
    if len(row_gaps) == 0 or len(column_gaps) == 0:
        return 0.0
    return float(np.mean(np.log(column_gaps)) - np.mean(np.log(row_gaps)))


def deskew(image: np.ndarray, params: DeskewParams) -> StageOutput:
    """Rotate the page so text lines are horizontal (and, optionally, upright)."""
    check_rgb(image, "deskew")
    estimate = estimate_skew(image, params)
    out, transform = image, np.eye(3)
    if estimate.quarter_turns:
        transform = _quarter_matrix(estimate.quarter_turns, out.shape[1], out.shape[0])
        out = cv2.rotate(out, _QUARTER_CODES[estimate.quarter_turns])
    applied = estimate.angle if abs(estimate.angle) >= max(params.min_angle, 1e-9) else 0.0
    if applied:
        out, matrix = rotate_expanded(out, applied, params.border)
        transform = matrix @ transform
    info = {
        "angle": round(applied, 3),
        "estimated_angle": round(estimate.angle, 3),
        "orientation": 90 * estimate.quarter_turns,
        "ink_points": estimate.ink_points,
        "measured": estimate.ink_points >= _MIN_POINTS,
        "direction_score": _round(estimate.direction),
        "updown_asymmetry": _round(estimate.updown),
    }
    if out is image:
        return StageOutput(image.copy(), info)
    return StageOutput(out, info, transform)


def rotate_expanded(image: np.ndarray, angle: float, border: str = "white") -> tuple[np.ndarray, np.ndarray]:
    """Rotate counter-clockwise by ``angle`` degrees on a canvas big enough for every pixel; returns the 3x3."""
    height, width = image.shape[:2]
    centre = ((width - 1) / 2.0, (height - 1) / 2.0)
    matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w = int(np.ceil(height * sin + width * cos - 1e-6))
    new_h = int(np.ceil(height * cos + width * sin - 1e-6))
    matrix[0, 2] += (new_w - 1) / 2.0 - centre[0]
    matrix[1, 2] += (new_h - 1) / 2.0 - centre[1]
    if border == "replicate":
        rotated = cv2.warpAffine(image, matrix, (new_w, new_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    else:
        rotated = cv2.warpAffine(
            image,
            matrix,
            (new_w, new_h),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=_BORDERS[border],
        )
    return rotated, np.vstack([matrix, [0.0, 0.0, 1.0]])


def _quarter_matrix(turns: int, width: int, height: int) -> np.ndarray:
    """Pixel mapping of cv2.rotate for 1, 2 or 3 counter-clockwise quarter turns."""
    if turns == 1:
        return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, width - 1.0], [0.0, 0.0, 1.0]])
    if turns == 2:
        return np.array([[-1.0, 0.0, width - 1.0], [0.0, -1.0, height - 1.0], [0.0, 0.0, 1.0]])
    return np.array([[0.0, -1.0, height - 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])


def _ink_mask(image: np.ndarray, work_size: int) -> np.ndarray:
    small, _ = downscale(image, work_size)
    mask = cv2.adaptiveThreshold(
        to_gray(small), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, _BLOCK, _OFFSET
    )
    return mask > 0


def _gaps(mask: np.ndarray) -> np.ndarray:
    """Lengths of white runs with ink on both sides, along each row of the mask."""
    rows, cols = np.nonzero(mask)  # row-major order: consecutive hits in a row are neighbours
    same_row = rows[1:] == rows[:-1]
    gaps = (cols[1:] - cols[:-1])[same_row] - 1
    return gaps[gaps > 0]


def _points(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ink pixel coordinates, centred and evenly thinned to at most _MAX_POINTS."""
    ys, xs = np.nonzero(mask)
    if len(xs) > _MAX_POINTS:
        stride = -(-len(xs) // _MAX_POINTS)
        xs, ys = xs[::stride], ys[::stride]
    if len(xs) == 0:
        return xs.astype(np.float64), ys.astype(np.float64)
    return xs - xs.mean(), ys - ys.mean()


def _profile(xs: np.ndarray, ys: np.ndarray, angle: float) -> np.ndarray:
    """Histogram (1 px bins) of the ink's y coordinate after rotating counter-clockwise by ``angle`` degrees."""
    theta = np.deg2rad(angle)
    rotated_y = ys * np.cos(theta) - xs * np.sin(theta)
    return np.bincount((rotated_y - rotated_y.min()).astype(np.int64))


def _concentration(counts: np.ndarray) -> float:
    counts = counts.astype(np.float64)
    return float(counts @ counts)


def _search(xs: np.ndarray, ys: np.ndarray, centre: float, params: DeskewParams) -> float:
    coarse = min(0.5, params.max_angle / 4.0)
    low, high = centre - params.max_angle, centre + params.max_angle
    angles = np.arange(low, high + coarse / 2.0, coarse)
    best = float(angles[np.argmax([_concentration(_profile(xs, ys, a)) for a in angles])])
    fine = np.arange(best - coarse, best + coarse + params.angle_step / 2.0, params.angle_step)
    fine = fine[(fine >= low) & (fine <= high)]
    return float(fine[np.argmax([_concentration(_profile(xs, ys, a)) for a in fine])])


def _ascender_asymmetry(counts: np.ndarray) -> float:
    """(ink above the x-height bands - ink below) / both, over all text lines; 0 when there is too little.

    Rows right next to a band are ignored: rotation and blur leave a partial row on one side of every band.
    """
    counts = counts.astype(np.float64)
    in_line = np.concatenate([[0], (counts > 0.05 * counts.max()).astype(np.int8), [0]])
    edges = np.diff(in_line)
    above = below = 0.0
    for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1), strict=True):
        line = counts[start:stop]
        if len(line) < 3:
            continue
        core = np.flatnonzero(line >= 0.5 * line.max())
        skip = max(1, round(0.2 * (core[-1] - core[0] + 1)))  # edge rows only hold blur and sub-pixel shifts
        above += float(line[: max(0, core[0] - skip)].sum())
        below += float(line[core[-1] + 1 + skip :].sum())
    if above + below <= 0.02 * counts.sum():
        return 0.0
    return (above - below) / (above + below)


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4)

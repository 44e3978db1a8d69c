"""The one resize-and-pad transform shared by training and inference.

Training targets, model inputs and post-processed detections all live in the same "model space"; a detection only
lands on the right pixels of the original image if inference undoes exactly what preprocessing did. Keeping both
directions in one frozen object (and one function that produces it) makes that impossible to get wrong twice.

Coordinates are continuous pixel-corner coordinates: pixel ``(i, j)`` covers ``[i, i + 1] x [j, j + 1]`` and the
image spans ``[0, W] x [0, H]``. ``cv2.resize`` with an explicit ``fx = fy = scale`` maps that frame by exactly
``x * scale``, so point transforms are a pure multiplication and the inverse is a pure division.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import pyclipper

IMAGENET_MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32)
IMAGENET_STD = np.array([0.229, 0.224, 0.225], dtype=np.float32)

# pyclipper works on integers: offsets run at 1/16 pixel resolution with a 1/4 pixel arc tolerance.
_CLIPPER_SCALE = 16.0


@dataclass(frozen=True)
class Letterbox:
    """How an original image was placed in the model input: scaled by ``scale``, top-left anchored, zero padded."""

    scale: float
    orig_w: int
    orig_h: int
    out_w: int
    out_h: int

    @property
    def resized_w(self) -> int:
        """Width of the image content inside the padded model input."""
        return _scaled_length(self.orig_w, self.scale)

    @property
    def resized_h(self) -> int:
        """Height of the image content inside the padded model input."""
        return _scaled_length(self.orig_h, self.scale)

    def to_model(self, points: np.ndarray) -> np.ndarray:
        """Original-image points (..., 2) -> model-space points (float32)."""
        return (np.asarray(points, dtype=np.float64) * self.scale).astype(np.float32)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Model-space points (..., 2) -> original-image points (float32); the exact inverse of ``to_model``."""
        return (np.asarray(points, dtype=np.float64) / self.scale).astype(np.float32)

    def clip_original(self, points: np.ndarray) -> np.ndarray:
        """Clamp original-image points (..., 2) to the image rectangle ``[0, W] x [0, H]``."""
        pts = np.maximum(np.asarray(points, dtype=np.float32), np.float32(0.0))
        return np.minimum(pts, np.array([self.orig_w, self.orig_h], dtype=np.float32), out=pts)


def _scaled_length(length: int, scale: float) -> int:
    # Same rounding cv2.resize applies when it derives dsize from fx/fy (cvRound: nearest, ties to even), so the
    # predicted size matches the produced one; never below one pixel.
    return max(1, round(length * scale))


def resize_by(image: np.ndarray, scale: float) -> np.ndarray:
    """Resize by exactly ``scale`` (not new_w / orig_w), so pixels move the way ``Letterbox.to_model`` says.

    INTER_AREA when shrinking (no aliasing of thin strokes), INTER_LINEAR when enlarging. ``cv2.resize`` honours
    fx/fy only when it derives dsize itself; a side that would round to zero pixels falls back to an explicit
    dsize (a sub-pixel difference, on a one-pixel-thin image).
    """
    height, width = image.shape[:2]
    new_w, new_h = _scaled_length(width, scale), _scaled_length(height, scale)
    if new_w == width and new_h == height and scale == 1.0:
        return image
    interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
    if round(width * scale) >= 1 and round(height * scale) >= 1:
        resized = cv2.resize(image, None, fx=scale, fy=scale, interpolation=interpolation)
        if resized.shape[:2] == (new_h, new_w):
            return resized
    return cv2.resize(image, (new_w, new_h), interpolation=interpolation)


def _round_up(value: int, multiple: int) -> int:
    return ((value + multiple - 1) // multiple) * multiple


def letterbox(
    image: np.ndarray, longest_side: int, pad_multiple: int = 32, square: bool = False
) -> tuple[np.ndarray, Letterbox]:
    """Resize ``image`` so its longest side is ``longest_side``, then pad right/bottom with zeros.

    ``square=True`` pads to ``longest_side x longest_side`` (fixed-size training batches); otherwise each side is
    padded up to a multiple of ``pad_multiple`` (what a stride-32 encoder needs), which keeps portrait receipts
    from being squashed into a square.
    """
    if image.ndim not in (2, 3) or image.shape[0] == 0 or image.shape[1] == 0:
        raise ValueError(f"letterbox expects a non-empty (H, W) or (H, W, C) image, got shape {image.shape}")
    if longest_side < 1:
        raise ValueError(f"letterbox longest_side must be >= 1, got {longest_side}")
    if pad_multiple < 1:
        raise ValueError(f"letterbox pad_multiple must be >= 1, got {pad_multiple}")

    orig_h, orig_w = image.shape[:2]
    scale = longest_side / max(orig_w, orig_h)
    new_w, new_h = _scaled_length(orig_w, scale), _scaled_length(orig_h, scale)

    resized = resize_by(image, scale)

    if square:
        out_w = out_h = max(longest_side, new_w, new_h)
    else:
        out_w, out_h = _round_up(new_w, pad_multiple), _round_up(new_h, pad_multiple)

    padded = np.zeros((out_h, out_w, *image.shape[2:]), dtype=image.dtype)
    padded[:new_h, :new_w] = resized.reshape(new_h, new_w, *image.shape[2:])
    return padded, Letterbox(scale=scale, orig_w=orig_w, orig_h=orig_h, out_w=out_w, out_h=out_h)


def normalize(image: np.ndarray) -> np.ndarray:
    """RGB uint8 (H, W, 3) -> float32 (3, H, W) with ImageNet mean/std, the input the pretrained encoders expect."""
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"normalize expects an RGB (H, W, 3) image, got shape {image.shape}")
    scaled = image.astype(np.float32) * np.float32(1.0 / 255.0)
    scaled -= IMAGENET_MEAN
    scaled /= IMAGENET_STD
    return np.ascontiguousarray(scaled.transpose(2, 0, 1))


def offset_polygon(points: np.ndarray, distance: float) -> list[np.ndarray]:
    """Shrink (distance < 0) or grow (distance > 0) a polygon with round joins, as DBNet's shrink and unclip do.

    Shared by training targets and post-processing so both use identical arithmetic. A shrink can split a concave
    polygon into several pieces or make it vanish (empty list); results are float64 (M, 2) arrays.
    """
    offset = pyclipper.PyclipperOffset()
    offset.ArcTolerance = 0.25 * _CLIPPER_SCALE
    path = np.round(np.asarray(points, dtype=np.float64).reshape(-1, 2) * _CLIPPER_SCALE).astype(np.int64)
    offset.AddPath(path.tolist(), pyclipper.JT_ROUND, pyclipper.ET_CLOSEDPOLYGON)
    paths = offset.Execute(float(distance) * _CLIPPER_SCALE)
    return [np.asarray(p, dtype=np.float64) / _CLIPPER_SCALE for p in paths if len(p) >= 3]

"""Turning a rendered ink canvas into a printed receipt: paper, print quality, pen and stamp marks.

Works in receipt coordinates (before the receipt is placed in a scan or photo) so effects that belong to the
paper (fading thermal print, dot-matrix dots, ink bleed, show-through from the back, creases, torn roll edges)
move with it under the later geometric warp. Text contrast is kept above a floor so every annotated run stays
visible: faded print is a look, not an erased label.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.synth.layout import ReceiptLayout

MIN_INK_STRENGTH = 0.35
"""Faded print keeps at least this fraction of full contrast (about 65 grey levels) so text stays legible."""


@dataclass
class PrintedReceipt:
    """Receipt pixels (uint8 RGB), paper coverage (uint8, 255 = paper) and what the print looks like."""

    rgb: np.ndarray
    alpha: np.ndarray
    paper_level: float  # mean paper luminance
    ink_level: float  # luminance of fully inked text, used to binarise without erasing text


def smooth_noise(h: int, w: int, cells: int, rng: np.random.Generator) -> np.ndarray:
    """Low-frequency noise in [0, 1] of shape (h, w): a coarse random grid upsampled bicubically (cheap)."""
    gh, gw = max(2, int(cells * h / max(h, w)) + 2), max(2, int(cells * w / max(h, w)) + 2)
    grid = rng.random((gh, gw), dtype=np.float32)
    noise = cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
    return np.clip(noise, 0.0, 1.0)


def _print_quality(ink: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Printer look on the coverage mask: bleed, dot-matrix dots, fading and drop-outs. Returns (coverage, level)."""
    coverage = ink.astype(np.float32) / 255.0
    h, w = coverage.shape
    if rng.random() < 0.3:  # ink bleed / over-inked: thicker, softer strokes
        sigma = float(rng.uniform(0.3, 0.8))
        coverage = np.clip(cv2.GaussianBlur(coverage, (0, 0), sigma) * rng.uniform(1.3, 2.0), 0, 1)
    if rng.random() < 0.08:  # dot-matrix: strokes made of dots
        pitch = int(rng.integers(2, 4))
        dots = np.zeros((pitch, pitch), np.float32)
        cv2.circle(dots, (pitch // 2, pitch // 2), max(1, pitch // 2), 1.0, -1)
        tiled = np.tile(dots, (h // pitch + 1, w // pitch + 1))[:h, :w]
        coverage = np.clip(cv2.GaussianBlur(coverage * tiled, (0, 0), 0.5) * 1.6, 0, 1)
    level = float(rng.choice([1.0, 1.0, 1.0, 1.0, 1.0, rng.uniform(0.6, 0.9), rng.uniform(0.45, 0.7)]))
    strength = np.float32(level)
    if level < 1.0 or rng.random() < 0.3:  # thermal fade: uneven along the roll and across the print head
        across = 1.0 - 0.35 * smooth_noise(1, w, 12, rng) * rng.random()
        along = 1.0 - 0.3 * smooth_noise(h, 1, 8, rng) * rng.random()
        strength = np.maximum(MIN_INK_STRENGTH, level * across * along)
    if rng.random() < 0.25:  # drop-outs: tiny unprinted specks inside strokes
        holes = rng.random((h, w), dtype=np.float32) < rng.uniform(0.02, 0.1)
        coverage = np.where(holes, coverage * 0.4, coverage)
    return np.clip(coverage * strength, 0, 1), level


def _paper(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Paper base: white to cream or grey, with faint blotches and fibre grain."""
    tint = rng.choice([[1.0, 1.0, 1.0], [1.0, 0.98, 0.93], [0.97, 0.97, 0.97], [1.0, 0.97, 0.95], [0.95, 0.96, 0.98]])
    base = float(rng.uniform(225, 255))
    blotch = 1.0 - rng.uniform(0, 0.06) * smooth_noise(h, w, int(rng.integers(3, 10)), rng)
    grain = 1.0 + rng.standard_normal((h, w), dtype=np.float32) * np.float32(rng.uniform(0.0, 0.02))
    level = np.clip(base * blotch * grain, 0, 255)
    return level[:, :, None] * np.asarray(tint, np.float32)[None, None, :]


def _crease_shading(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """Crumpled paper: soft shading from a random height field plus a few sharp fold lines."""
    height = smooth_noise(h, w, int(rng.integers(4, 12)), rng)
    gy, gx = np.gradient(height * rng.uniform(5, 15))
    shade = 1.0 + np.clip(gx * 0.6 + gy * 0.4, -0.07, 0.07)
    for _ in range(int(rng.integers(0, 4))):
        y = float(rng.uniform(0.1, 0.9) * h)
        slope = float(rng.uniform(-0.3, 0.3))
        rows = np.arange(h, dtype=np.float32)[:, None] - (y + slope * np.arange(w, dtype=np.float32)[None, :])
        shade = shade * (1.0 - 0.06 * np.exp(-np.abs(rows) / rng.uniform(2, 8)) * np.sign(rows + 0.5))
    return shade.astype(np.float32)


def _torn_alpha(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    alpha = np.full((h, w), 255, np.uint8)
    for edge in ("top", "bottom"):
        if rng.random() < 0.45:
            depth = rng.uniform(2, 10)
            profile = (smooth_noise(1, w, 30, rng)[0] * depth + rng.random(w) * depth * 0.4).astype(int)
            for x, d in enumerate(profile):
                if edge == "top":
                    alpha[:d, x] = 0
                else:
                    alpha[h - d :, x] = 0
    return alpha


def print_receipt(layout: ReceiptLayout, rng: np.random.Generator) -> PrintedReceipt:
    """Compose paper, printed ink and overlays into the receipt's pixels (at output resolution)."""
    h, w = layout.ink.shape
    coverage, level = _print_quality(layout.ink, rng)
    paper = _paper(h, w, rng)
    ink_color = np.asarray(
        rng.choice([[20, 20, 22], [10, 10, 10], [0, 0, 0], [35, 35, 40], [60, 45, 85], [40, 40, 70], [55, 55, 55]]),
        np.float32,
    )
    opacity = float(rng.uniform(0.85, 1.0))
    a = (coverage * opacity)[:, :, None]
    rgb = paper * (1.0 - a) + ink_color[None, None, :] * a
    if rng.random() < 0.08:  # show-through of print on the back side: blurred and too faint to read
        back = cv2.GaussianBlur(np.ascontiguousarray(coverage[:, ::-1]), (0, 0), float(rng.uniform(2.0, 3.5)))
        rgb *= (1.0 - back * rng.uniform(0.03, 0.07))[:, :, None]
    for overlay in layout.overlays:
        _blend_overlay(rgb, overlay.mask, overlay.x, overlay.y, overlay.color, overlay.opacity)
    if rng.random() < 0.2:
        rgb *= _crease_shading(h, w, rng)[:, :, None]
    paper_level = float(paper.mean())
    ink_luma = float(ink_color.mean())
    ink_level = paper_level + (ink_luma - paper_level) * opacity * level
    return PrintedReceipt(np.clip(rgb, 0, 255).astype(np.uint8), _torn_alpha(h, w, rng), paper_level, ink_level)


def _blend_overlay(
    rgb: np.ndarray, mask: np.ndarray, x: int, y: int, color: tuple[int, int, int], opacity: float
) -> None:
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + mask.shape[1]), min(h, y + mask.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    m = mask[y0 - y : y1 - y, x0 - x : x1 - x].astype(np.float32)[:, :, None] * (opacity / 255.0)
    region = rgb[y0:y1, x0:x1]
    # multiply-style blend: pen and stamp ink darken the paper and never lighten printed text
    region[...] = region * (1.0 - m) + np.minimum(region, np.asarray(color, np.float32)) * m

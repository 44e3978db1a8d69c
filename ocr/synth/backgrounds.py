"""Procedural surfaces a photographed receipt lies on (wood, fabric, stone, plain table, dark scanner lid).

Photos make the detector find the document first: the surface must be textured and coloured enough that
"anything not white" is not a usable shortcut, and must contain no text. All are generated at reduced
resolution and upsampled, which keeps them cheap and gives the soft look of an out-of-focus background.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr.synth.paper import smooth_noise


def _color(rng: np.random.Generator, value: tuple[float, float], saturation: tuple[float, float]) -> np.ndarray:
    hsv = np.array([[[rng.uniform(0, 180), rng.uniform(*saturation) * 255, rng.uniform(*value) * 255]]], np.uint8)
    return cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)


def _wood(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    hue = np.array([[[rng.uniform(8, 22), rng.uniform(0.35, 0.75) * 255, rng.uniform(0.3, 0.8) * 255]]], np.uint8)
    base = cv2.cvtColor(hue, cv2.COLOR_HSV2RGB)[0, 0].astype(np.float32)
    warp = smooth_noise(h, w, 6, rng) * rng.uniform(4, 12)
    coords = np.linspace(0, rng.uniform(20, 60), w, dtype=np.float32)[None, :]
    angle = rng.uniform(0, np.pi) if rng.random() < 0.3 else 0.0
    if angle:
        coords = coords * np.cos(angle) + np.linspace(0, rng.uniform(20, 60), h, dtype=np.float32)[:, None] * np.sin(
            angle
        )
    grain = 0.5 + 0.5 * np.sin(coords + warp)
    tone = 0.75 + 0.35 * grain + 0.05 * rng.standard_normal((h, w), dtype=np.float32)
    return tone[:, :, None] * base[None, None, :]


def _fabric(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    base = _color(rng, (0.2, 0.85), (0.1, 0.7))
    period = rng.uniform(2.5, 6.0)
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    weave = np.sin(x * 2 * np.pi / period) * np.sin(y * 2 * np.pi / period)
    tone = 0.85 + 0.1 * weave + 0.1 * smooth_noise(h, w, 10, rng) + 0.04 * rng.standard_normal((h, w), dtype=np.float32)
    return tone[:, :, None] * base[None, None, :]


def _stone(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    base = _color(rng, (0.3, 0.9), (0.0, 0.3))
    speckle = rng.standard_normal((h // 2 + 1, w // 2 + 1), dtype=np.float32)
    speckle = cv2.resize(speckle, (w, h), interpolation=cv2.INTER_NEAREST)
    tone = 0.8 + 0.12 * speckle + 0.2 * smooth_noise(h, w, 8, rng)
    return tone[:, :, None] * base[None, None, :]


def _plain(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    base = _color(rng, (0.15, 0.95), (0.0, 0.6))
    tone = 0.85 + 0.25 * smooth_noise(h, w, 3, rng) + 0.02 * rng.standard_normal((h, w), dtype=np.float32)
    return tone[:, :, None] * base[None, None, :]


def _dark(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    level = rng.uniform(5, 60)
    tone = level * (0.8 + 0.4 * smooth_noise(h, w, 4, rng)) + rng.standard_normal((h, w), dtype=np.float32) * 3
    return np.repeat(tone[:, :, None], 3, axis=2)


_KINDS = {"wood": _wood, "fabric": _fabric, "stone": _stone, "plain": _plain, "dark": _dark}


def photo_background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A random surface as uint8 RGB (H, W, 3)."""
    kind = str(rng.choice(list(_KINDS), p=[0.25, 0.2, 0.15, 0.25, 0.15]))
    small_h, small_w = max(8, h // 2), max(8, w // 2)
    surface = _KINDS[kind](small_h, small_w, rng)
    return np.clip(cv2.resize(surface, (w, h), interpolation=cv2.INTER_LINEAR), 0, 255).astype(np.uint8)


def scanner_background(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """The scanner lid around a receipt: white most of the time, sometimes black or grey."""
    level = float(rng.choice([rng.uniform(235, 255), rng.uniform(235, 255), rng.uniform(5, 50), rng.uniform(120, 200)]))
    noise = rng.standard_normal((h, w), dtype=np.float32) * 2 + level
    return np.repeat(np.clip(noise, 0, 255).astype(np.uint8)[:, :, None], 3, axis=2)

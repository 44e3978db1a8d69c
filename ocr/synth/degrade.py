"""Placing a printed receipt in a scan or photo, and the capture artefacts that come with it.

Three capture modes mirror the evaluation set: a flat scan cropped to the receipt (often binarised, dark
scanner borders where the receipt is skewed), an A4 page scan with a small receipt in a white margin (tiny text,
speckle), and a photo on a textured surface (perspective, uneven light, shadows, curl, sensor noise). Geometry is
one homography per image applied to the pixels and, with the same matrix, to every box corner; the optional
curl is a small smooth displacement whose inverse is applied to the corners, so quads stay on their text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from ocr.synth.backgrounds import photo_background, scanner_background
from ocr.synth.paper import PrintedReceipt, smooth_noise

Mode = Literal["scan_crop", "scan_page", "photo"]
A4_ASPECT = 1.414


@dataclass(frozen=True)
class ScenePlan:
    """Decided before printing so the receipt is rendered straight at output resolution."""

    mode: Mode
    scale: float  # layout px -> output px
    out_w: int  # 0 for scan_crop: the output is cropped around the receipt
    out_h: int


def plan_scene(layout_w: int, layout_h: int, body_box_height: float, rng: np.random.Generator) -> ScenePlan:
    """Pick the capture mode, output size and receipt scale (text sizes follow the real set per mode)."""
    mode: Mode = str(rng.choice(["scan_crop", "scan_page", "photo"], p=[0.42, 0.18, 0.4]))  # type: ignore[assignment]
    long_side = 1280 if rng.random() < 0.55 else int(rng.uniform(1000, 1400))
    body = max(body_box_height, 1.0)
    if mode == "scan_crop":
        scale = min(rng.uniform(17, 34) / body, long_side / layout_h, 0.9 * long_side / layout_w)
        scale = max(scale, min(900 / layout_h, 40 / body))
        return ScenePlan(mode, float(scale), 0, 0)
    if mode == "scan_page":
        out_h = long_side
        out_w = round(out_h / A4_ASPECT) if rng.random() < 0.8 else round(out_h * rng.uniform(0.6, 0.75))
        scale = min(rng.uniform(9.5, 15) / body, 0.92 * out_h / layout_h, 0.85 * out_w / layout_w)
        return ScenePlan(mode, float(scale), out_w, out_h)
    out_h = long_side
    out_w = round(out_h * rng.uniform(0.45, 0.75))
    fill = rng.uniform(0.8, 0.98)
    scale = min(fill * out_h / layout_h, fill * out_w / layout_w)
    if rng.random() < 0.2:  # close-up: part of the receipt leaves the frame
        scale *= rng.uniform(1.05, 1.3)
    return ScenePlan(mode, float(scale), out_w, out_h)


def _rotated_corners(w: int, h: int, angle_deg: float) -> np.ndarray:
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    theta = np.deg2rad(angle_deg)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    centre = np.array([w / 2, h / 2], np.float32)
    return (corners - centre) @ rotation.T + centre


def _skew_angle(rng: np.random.Generator, spread: float, wide: float) -> float:
    if rng.random() < 0.1:
        return float(rng.uniform(-wide, wide))
    return float(np.clip(rng.normal(0, spread), -3, 3))


def _destination(
    printed: PrintedReceipt, quads: np.ndarray, plan: ScenePlan, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[int, int]]:
    """Receipt corner destinations and the output size (w, h)."""
    h, w = printed.alpha.shape
    if plan.mode == "scan_crop":
        dst = _rotated_corners(w, h, _skew_angle(rng, 1.0, 6.0))
        moved = _transform(quads, cv2.getPerspectiveTransform(_rect(w, h), dst))
        margin = rng.uniform(-0.015, 0.035, 4) * np.array([w, h, w, h])
        x0, y0 = dst.min(0) - margin[:2]
        x1, y1 = dst.max(0) + margin[2:]
        if len(moved):
            x0, y0 = min(x0, moved[..., 0].min() - 3), min(y0, moved[..., 1].min() - 3)
            x1, y1 = max(x1, moved[..., 0].max() + 3), max(y1, moved[..., 1].max() + 3)
        dst = dst - np.array([x0, y0], np.float32)
        return dst, (int(np.ceil(x1 - x0)), int(np.ceil(y1 - y0)))
    out_w, out_h = plan.out_w, plan.out_h
    if plan.mode == "scan_page":
        dst = _rotated_corners(w, h, _skew_angle(rng, 1.2, 5.0))
    else:
        dst = _rotated_corners(w, h, _skew_angle(rng, 2.5, 12.0))
        dst = dst + rng.uniform(-0.05, 0.05, (4, 2)).astype(np.float32) * np.array([w, h], np.float32)
    lo, hi = dst.min(0), dst.max(0)
    room = np.array([out_w, out_h], np.float32) - (hi - lo)
    if plan.mode == "scan_page":
        offset = np.array([rng.uniform(0.3, 0.7), rng.uniform(0.1, 0.8)], np.float32) * np.maximum(room, 0)
    else:
        offset = np.array([rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8)], np.float32) * room
    return dst - lo + offset, (out_w, out_h)


def _rect(w: int, h: int) -> np.ndarray:
    return np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)


def _transform(quads: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    if len(quads) == 0:
        return quads
    return cv2.perspectiveTransform(quads.reshape(-1, 1, 2).astype(np.float32), matrix).reshape(quads.shape)


def place_receipt(
    printed: PrintedReceipt, quads: np.ndarray, plan: ScenePlan, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Warp the receipt into its scene; returns uint8 RGB and the quads (K, 4, 2) in output pixels."""
    h, w = printed.alpha.shape
    dst, (out_w, out_h) = _destination(printed, quads, plan, rng)
    matrix = cv2.getPerspectiveTransform(_rect(w, h), dst.astype(np.float32))
    if plan.mode == "photo":
        background = photo_background(out_h, out_w, rng)
    elif plan.mode == "scan_page":
        background = np.full((out_h, out_w, 3), int(rng.uniform(242, 256)), np.uint8)
    else:
        background = scanner_background(out_h, out_w, rng)
    warped = cv2.warpPerspective(
        printed.rgb,
        matrix,
        (out_w, out_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(255, 255, 255),
    )
    alpha = cv2.warpPerspective(printed.alpha, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR)
    a = alpha.astype(np.float32)[:, :, None] / 255.0
    base = background.astype(np.float32)
    if plan.mode == "photo":  # soft drop shadow of the paper on the surface
        shift = np.float32([[1, 0, rng.uniform(-8, 8)], [0, 1, rng.uniform(2, 12)]])
        shadow = cv2.GaussianBlur(cv2.warpAffine(alpha, shift, (out_w, out_h)), (0, 0), rng.uniform(4, 12))
        base *= 1.0 - (shadow.astype(np.float32) / 255.0 * rng.uniform(0.2, 0.5))[:, :, None]
    image = base * (1.0 - a) + warped.astype(np.float32) * a
    return np.clip(image, 0, 255).astype(np.uint8), _transform(quads, matrix)


# --- capture artefacts -----------------------------------------------------------------------------------------


def curl(image: np.ndarray, quads: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Slightly wavy paper: a smooth displacement of at most a few pixels; corners move by its inverse."""
    h, w = image.shape[:2]
    amplitude = rng.uniform(1.0, 4.0)
    dx = (smooth_noise(h, w, 4, rng) - 0.5) * 2 * amplitude
    dy = (smooth_noise(h, w, 4, rng) - 0.5) * 2 * amplitude
    grid_y, grid_x = np.mgrid[0:h, 0:w].astype(np.float32)
    warped = cv2.remap(image, grid_x + dx, grid_y + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    if len(quads):
        xs = np.clip(quads[..., 0], 0, w - 1).astype(int)
        ys = np.clip(quads[..., 1], 0, h - 1).astype(int)
        quads = quads - np.stack([dx[ys, xs], dy[ys, xs]], axis=-1)
    return warped, quads


def uneven_light(image: np.ndarray, rng: np.random.Generator, strength: float) -> np.ndarray:
    """Multiplicative light: a linear ramp, a vignette and, in photos, soft shadow shapes (hand, phone)."""
    h, w = image.shape[:2]
    small_h, small_w = max(4, h // 8), max(4, w // 8)
    y, x = np.mgrid[0:small_h, 0:small_w].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (x / small_w - 0.5) * np.cos(angle) + (y / small_h - 0.5) * np.sin(angle)
    light = 1.0 + strength * rng.uniform(0.2, 0.6) * ramp
    radius = ((x / small_w - 0.5) ** 2 + (y / small_h - 0.5) ** 2) * 2
    light -= strength * rng.uniform(0.0, 0.35) * radius
    if strength > 0.5 and rng.random() < 0.35:
        shade = np.zeros((small_h, small_w), np.float32)
        for _ in range(int(rng.integers(1, 3))):
            polygon = (rng.random((int(rng.integers(3, 7)), 2)) * [small_w, small_h]).astype(np.int32)
            cv2.fillPoly(shade, [cv2.convexHull(polygon)], 1.0)
        shade = cv2.GaussianBlur(shade, (0, 0), rng.uniform(1.5, 5))
        light *= 1.0 - shade * rng.uniform(0.12, 0.4)
    light = cv2.resize(light, (w, h), interpolation=cv2.INTER_LINEAR)
    out = image.astype(np.float32) * light[:, :, None]
    if strength > 0.5:
        out *= rng.uniform(0.9, 1.08, 3).astype(np.float32)[None, None, :]  # white balance
    return np.clip(out, 0, 255).astype(np.uint8)


def blur(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    if rng.random() < 0.2:  # hand shake: short motion blur
        length = int(rng.integers(3, 7))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1.0 / length
        rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rotation, (length, length))
        return cv2.filter2D(image, -1, kernel / max(kernel.sum(), 1e-6))
    return cv2.GaussianBlur(image, (0, 0), sigma)


def binarise(image: np.ndarray, quads: np.ndarray, rng: np.random.Generator, paper: float, ink: float) -> np.ndarray:
    """Scanner 'black and white' mode: one threshold between paper and ink, on slightly noisy grey.

    The threshold is raised until the faintest annotated runs (thin mono faces shrunk to a few pixels, faded
    print) keep their strokes; if that would swallow the paper, the image stays grey instead, because a
    box over erased text is a wrong label.
    """
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).astype(np.float32)
    gray += rng.standard_normal(gray.shape, dtype=np.float32) * np.float32(rng.uniform(0, 8))
    threshold = paper - (paper - ink) * rng.uniform(0.3, 0.55)
    darkest = []
    h, w = gray.shape
    for quad in quads:
        x0, y0 = np.clip(np.floor(quad.min(axis=0)).astype(int), 0, [w - 1, h - 1])
        x1, y1 = np.clip(np.ceil(quad.max(axis=0)).astype(int) + 1, 1, [w, h])
        if x1 > x0 and y1 > y0:
            darkest.append(float(np.percentile(gray[y0:y1, x0:x1], 2)))
    if darkest:
        threshold = max(threshold, float(np.max(darkest)) + 25)
    if threshold > paper - 20:
        return image
    dark, light = rng.uniform(0, 40), rng.uniform(235, 256)
    out = np.where(gray < threshold, dark, light).astype(np.uint8)
    return np.repeat(out[:, :, None], 3, axis=2)


def speckle(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Salt-and-pepper specks (dust, toner) and stray pen/pencil marks that flat-bed scans pick up."""
    h, w = image.shape[:2]
    out = image.copy()
    count = int(rng.uniform(20, 600) * h * w / 1e6)
    ys, xs = rng.integers(0, h, count), rng.integers(0, w, count)
    sizes = rng.choice([1, 1, 1, 1, 2, 2, 3], count)
    level = rng.uniform(0, 120, count)
    salt = rng.random(count) < 0.2  # white specks: dropouts in dark print and dark borders
    for y, x, s, v, white in zip(ys, xs, sizes, level, salt, strict=True):
        patch = out[y : y + s, x : x + s]
        patch[...] = np.maximum(patch, 255 - int(v) // 2) if white else np.minimum(patch, int(v))
    for _ in range(int(rng.integers(0, 4))):
        start = np.array([rng.uniform(0, w), rng.uniform(0, h)])
        points = start + np.cumsum(rng.normal(0, 6, (int(rng.integers(3, 12)), 2)), axis=0)
        cv2.polylines(out, [points.astype(np.int32)], False, (int(rng.uniform(40, 160)),) * 3, 1, cv2.LINE_AA)
    return out


def sensor_noise(image: np.ndarray, rng: np.random.Generator, sigma: float) -> np.ndarray:
    noise = rng.standard_normal(image.shape[:2], dtype=np.float32)[:, :, None] * np.float32(sigma)
    if rng.random() < 0.3:
        noise = noise + rng.standard_normal(image.shape, dtype=np.float32) * np.float32(sigma * 0.5)
    return np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def jpeg_roundtrip(image: np.ndarray, quality: int) -> np.ndarray:
    """Re-encode at low quality: the block and ringing artefacts of images saved twice."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if ok else image


def capture(
    image: np.ndarray, quads: np.ndarray, plan: ScenePlan, printed: PrintedReceipt, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """All capture artefacts for the plan's mode, in the order a camera or scanner would produce them."""
    if plan.mode == "photo":
        if rng.random() < 0.5:
            image, quads = curl(image, quads, rng)
        image = uneven_light(image, rng, strength=float(rng.uniform(0.5, 1.0)))
        if rng.random() < 0.7:
            image = blur(image, rng, float(rng.uniform(0.4, 1.3)))
        image = sensor_noise(image, rng, float(rng.uniform(1.5, 7.0)))
    else:
        if rng.random() < 0.3:
            image = uneven_light(image, rng, strength=float(rng.uniform(0.05, 0.3)))
        if rng.random() < 0.5:
            image = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(0.3, 0.8)))
        if rng.random() < 0.45:
            image = cv2.cvtColor(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
        if rng.random() < 0.35:
            image = binarise(image, quads, rng, printed.paper_level, printed.ink_level)
        if rng.random() < (0.8 if plan.mode == "scan_page" else 0.5):
            image = speckle(image, rng)
        if rng.random() < 0.6:
            image = sensor_noise(image, rng, float(rng.uniform(0.5, 4.0)))
    if rng.random() < 0.25:
        image = jpeg_roundtrip(image, int(rng.integers(35, 75)))
    return image, quads

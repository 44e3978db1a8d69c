"""Non-text marks that real receipts carry and that must NOT be detected as text.

Barcodes, QR codes, graphic logos, rubber stamps and handwriting (amounts scribbled by staff, ticks, circled
totals, file numbers) are unannotated in the evaluation set, so a detector trained without them fires on them.
Every function returns a uint8 coverage mask (255 = full ink) that the layout pastes on the receipt.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ocr.synth.fonts import FontChoice, load_font


def barcode(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """1-D barcode: random bar/space widths of 1-4 modules, like Code 128 at a glance."""
    module = max(1, round(width / float(rng.uniform(90, 160))))
    pattern: list[int] = []
    ink = True
    while len(pattern) < width:
        pattern.extend([255 if ink else 0] * (module * int(rng.integers(1, 5))))
        ink = not ink
    row = np.array(pattern[:width], dtype=np.uint8)
    return np.repeat(row[None, :], height, axis=0)


def qr_code(size: int, rng: np.random.Generator) -> np.ndarray:
    """QR-like block: random modules with the three finder squares that make QR codes recognisable."""
    n = int(rng.choice([21, 25, 29, 33]))
    grid = (rng.random((n, n)) < 0.5).astype(np.uint8)
    finder = np.zeros((7, 7), np.uint8)
    finder[[0, 6], :] = finder[:, [0, 6]] = 1
    finder[2:5, 2:5] = 1
    for y, x in ((0, 0), (0, n - 7), (n - 7, 0)):
        grid[y : y + 8, x : x + 8] = 0
        grid[y : y + 7, x : x + 7] = finder
    cell = max(2, size // n)
    return np.kron(grid, np.ones((cell, cell), np.uint8)) * 255


def logo(size: int, rng: np.random.Generator) -> np.ndarray:
    """A simple graphic logo: combinations of rings, discs, stars, sun rays, frames and waves."""
    mask = np.zeros((size, size), np.uint8)
    c = size // 2
    for _ in range(int(rng.integers(1, 4))):
        kind = int(rng.integers(0, 7))
        thick = int(rng.integers(2, max(3, size // 12)))
        if kind == 0:
            cv2.circle(mask, (c, c), int(size * rng.uniform(0.3, 0.48)), 255, thick, cv2.LINE_AA)
        elif kind == 1:
            cv2.circle(mask, (c, c), int(size * rng.uniform(0.12, 0.3)), 255, -1, cv2.LINE_AA)
        elif kind == 2:
            points = int(rng.integers(5, 9))
            angles = np.linspace(0, 2 * np.pi, 2 * points, endpoint=False) + rng.uniform(0, np.pi)
            radii = np.where(np.arange(2 * points) % 2 == 0, size * 0.45, size * rng.uniform(0.18, 0.3))
            star = np.stack([c + radii * np.cos(angles), c + radii * np.sin(angles)], 1).astype(np.int32)
            cv2.fillPoly(mask, [star], 255, cv2.LINE_AA)
        elif kind == 3:
            for angle in np.linspace(np.pi, 2 * np.pi, int(rng.integers(7, 16))):
                end = (int(c + size * 0.45 * np.cos(angle)), int(c + size * 0.45 * np.sin(angle)))
                cv2.line(mask, (c, c), end, 255, max(1, thick // 2), cv2.LINE_AA)
        elif kind == 4:
            m = int(size * rng.uniform(0.05, 0.2))
            cv2.rectangle(mask, (m, m), (size - m, size - m), 255, thick, cv2.LINE_AA)
        elif kind == 5:
            xs = np.linspace(size * 0.1, size * 0.9, 40)
            for k in range(int(rng.integers(1, 4))):
                ys = c + size * 0.1 * k + size * 0.12 * np.sin(xs / size * rng.uniform(6, 14))
                cv2.polylines(mask, [np.stack([xs, ys], 1).astype(np.int32)], False, 255, thick, cv2.LINE_AA)
        else:
            tri = np.array([[c, size * 0.08], [size * 0.92, size * 0.88], [size * 0.08, size * 0.88]], np.int32)
            cv2.fillPoly(mask, [tri], 255, cv2.LINE_AA) if rng.random() < 0.5 else cv2.polylines(
                mask, [tri], True, 255, thick, cv2.LINE_AA
            )
    return mask


def stamp(width: int, height: int, rng: np.random.Generator, font: FontChoice) -> np.ndarray:
    """A rubber stamp: double outline with a word and often a date, patchy ink, at a random angle."""
    image = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(image)
    border = max(2, height // 20)
    if rng.random() < 0.5:
        draw.ellipse((border, border, width - border, height - border), outline=255, width=border)
    else:
        draw.rounded_rectangle(
            (border, border, width - border, height - border), radius=height // 6, outline=255, width=border
        )
    word = str(rng.choice(["PAID", "POSTED", "RECEIVED", "CHECKED", "APPROVED", "COPY", "ENTERED", "OK"]))
    size = max(10, int(height * rng.uniform(0.25, 0.4)))
    face = load_font(font, size)
    draw.text((width / 2, height * 0.45), word, fill=255, font=face, anchor="mm")
    if rng.random() < 0.6:
        date = f"{rng.integers(1, 29):02d} {rng.choice(['JAN', 'FEB', 'MAR', 'APR'])} 20{rng.integers(14, 20)}"
        draw.text((width / 2, height * 0.75), date, fill=255, font=load_font(font, size // 2), anchor="mm")
    mask = np.asarray(image, dtype=np.float32)
    patchy = cv2.resize(rng.random((max(2, height // 6), max(2, width // 6))).astype(np.float32), (width, height))
    mask *= np.clip(patchy * 1.6, 0.2, 1.0)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), float(rng.uniform(-25, 25)), 1.0)
    return cv2.warpAffine(mask, matrix, (width, height)).astype(np.uint8)


def _catmull_rom(points: np.ndarray, samples: int = 8) -> np.ndarray:
    """Smooth curve through ``points`` (K, 2): pen strokes are smooth, not polylines."""
    padded = np.vstack([points[:1], points, points[-1:]])
    t = np.linspace(0, 1, samples, endpoint=False)[:, None]
    curve = []
    for p0, p1, p2, p3 in zip(padded[:-3], padded[1:-2], padded[2:-1], padded[3:], strict=True):
        curve.append(
            0.5
            * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3)
        )
    curve.append(points[-1:])
    return np.vstack(curve)


def _cursive_word(x: float, height: int, letters: int, rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """Pen path of one cursive word from Hollerbach's oscillation model: a horizontal drift plus coupled
    x/y oscillations whose per-letter amplitudes vary, giving loops, ascenders and descenders."""
    steps = 24
    t = np.linspace(0, letters * 2 * np.pi, letters * steps)
    knots = np.arange(letters + 1) * 2 * np.pi
    tall = rng.random(letters + 1) < 0.25
    amp_y = np.where(tall, rng.uniform(0.7, 0.95, letters + 1), rng.uniform(0.3, 0.5, letters + 1)) * height / 2
    amp_x = rng.uniform(0.1, 0.35, letters + 1) * height
    advance = rng.uniform(0.3, 0.6) * height / (2 * np.pi)
    phase = rng.uniform(1.2, 1.9)
    xs = x + advance * t + np.interp(t, knots, amp_x) * np.cos(t + phase)
    ys = height * 0.55 - np.interp(t, knots, amp_y) * np.sin(t)
    return np.stack([xs, ys], 1), float(xs.max())


def _printed_marks(x: float, height: int, chars: int, rng: np.random.Generator) -> tuple[list[np.ndarray], float]:
    """Hand-printed digits/letters: short separate smooth strokes, one to two per character cell."""
    strokes = []
    for _ in range(chars):
        cell = height * rng.uniform(0.35, 0.6)
        for _ in range(int(rng.integers(1, 3))):
            k = int(rng.integers(3, 6))
            points = np.stack([x + rng.random(k) * cell, height * (0.2 + 0.65 * rng.random(k))], 1)
            strokes.append(_catmull_rom(points))
        x += cell * rng.uniform(1.05, 1.4)
    return strokes, x


def scribble(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Handwriting-like pen strokes (cursive words or hand-printed characters), sometimes underlined.
    Never legible and never annotated: the detector must learn that pen marks are not print."""
    mask = np.zeros((height, width), np.uint8)
    thick = int(rng.integers(1, 4))
    slant = rng.uniform(-0.4, 0.1)
    cursive = rng.random() < 0.6
    x = float(rng.uniform(0, width * 0.08))
    strokes: list[np.ndarray] = []
    while x < width * 0.8:
        if cursive:
            word, x = _cursive_word(x, height, int(rng.integers(2, 7)), rng)
            strokes.append(word)
        else:
            marks, x = _printed_marks(x, height, int(rng.integers(1, 6)), rng)
            strokes.extend(marks)
        x += height * rng.uniform(0.3, 0.9)
    for stroke in strokes:
        stroke = stroke.copy()
        stroke[:, 0] += (height * 0.55 - stroke[:, 1]) * slant
        stroke[:, 1] = np.clip(stroke[:, 1], 1, height - 2)
        cv2.polylines(mask, [stroke.astype(np.int32)], False, 255, thick, cv2.LINE_AA)
    if rng.random() < 0.2:
        y = int(height * rng.uniform(0.85, 0.97))
        cv2.line(
            mask, (0, y), (int(width * rng.uniform(0.5, 1.0)), y + int(rng.integers(-3, 4))), 255, thick, cv2.LINE_AA
        )
    return mask


def tick(size: int, rng: np.random.Generator) -> np.ndarray:
    """A check mark or cross, the marks cashiers put next to totals."""
    mask = np.zeros((size, size), np.uint8)
    thick = int(rng.integers(1, 4))
    if rng.random() < 0.7:
        points = np.array([[0.1, 0.55], [0.4, 0.9], [0.95, 0.05]]) * size + rng.normal(0, size * 0.04, (3, 2))
        cv2.polylines(mask, [points.astype(np.int32)], False, 255, thick, cv2.LINE_AA)
    else:
        cv2.line(mask, (2, 2), (size - 3, size - 3), 255, thick, cv2.LINE_AA)
        cv2.line(mask, (size - 3, 2), (2, size - 3), 255, thick, cv2.LINE_AA)
    return mask


def ellipse_outline(width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A hand-drawn circle around a number (the text inside stays annotated; the ring must not be)."""
    mask = np.zeros((height, width), np.uint8)
    turns = np.linspace(0, 2 * np.pi * rng.uniform(1.0, 1.25), 80)
    wobble = 1 + 0.05 * np.sin(turns * rng.uniform(2, 4))
    xs = width / 2 + (width / 2 - 3) * wobble * np.cos(turns)
    ys = height / 2 + (height / 2 - 3) * wobble * np.sin(turns)
    cv2.polylines(mask, [np.stack([xs, ys], 1).astype(np.int32)], False, 255, int(rng.integers(1, 4)), cv2.LINE_AA)
    return mask

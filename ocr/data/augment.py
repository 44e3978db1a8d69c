"""Training-time augmentation of (RGB image, polygons, ignore flags).

Every geometric step moves the polygons with the very matrix that moves the pixels, in continuous pixel-corner
coordinates (the convention of ``ocr.data.geometry``), so boxes stay on their text. The output is a
``size x size`` image anchored top-left, i.e. exactly what ``letterbox(..., square=True)`` produces, so the dataset
can letterbox it again as a no-op and training sees the same geometry as inference.

All randomness comes from one seeded ``numpy.random.Generator``; dataloader workers call ``reseed`` so they do not
replay the same sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
from shapely.geometry import Polygon, box

from ocr.data.geometry import resize_by

Polygons = list[np.ndarray]


def _pair(value: float | Sequence[float], name: str) -> tuple[float, float]:
    """Hydra hands ranges over as ListConfig; accept any 2-sequence and check it is ordered."""
    if isinstance(value, int | float):
        raise ValueError(f"TrainAugment {name} must be a [low, high] pair, got {value!r}")
    items = [float(v) for v in value]
    if len(items) != 2 or items[0] > items[1]:
        raise ValueError(f"TrainAugment {name} must be a [low, high] pair with low <= high, got {list(value)!r}")
    return items[0], items[1]


def _check_probability(value: float, name: str) -> float:
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"TrainAugment {name} must be in [0, 1], got {value}")
    return value


def _transform_points(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """Apply a 2x3 affine matrix to (N, 2) points."""
    return (points.astype(np.float64) @ matrix[:, :2].T + matrix[:, 2]).astype(np.float32)


def _corner_to_index_matrix(matrix: np.ndarray) -> np.ndarray:
    """An affine map in corner coordinates as cv2.warpAffine wants it (pixel centres at integer coordinates)."""
    out = matrix.copy()
    out[:, 2] = matrix[:, 2] + matrix[:, :2] @ np.array([0.5, 0.5]) - 0.5
    return out


def _as_polygon_array(points: np.ndarray) -> np.ndarray:
    """A shapely exterior back to an (N >= 4, 2) float32 array, inserting midpoints for triangles."""
    pts = np.asarray(points, dtype=np.float32)
    while len(pts) < 4:
        edges = np.linalg.norm(np.roll(pts, -1, axis=0) - pts, axis=1)
        k = int(np.argmax(edges))
        mid = (pts[k] + pts[(k + 1) % len(pts)]) / 2.0
        pts = np.insert(pts, k + 1, mid, axis=0)
    return pts


def _largest_polygon(geometry) -> Polygon | None:
    if geometry.is_empty:
        return None
    if geometry.geom_type == "Polygon":
        return geometry
    parts = [g for g in getattr(geometry, "geoms", []) if g.geom_type == "Polygon" and not g.is_empty]
    return max(parts, key=lambda g: g.area) if parts else None


class TrainAugment:
    """Random rotate, rescale, text-preserving crop, optional flip and photometric noise.

    Configured with plain keyword arguments so a Hydra node can be splatted in. ``size`` is the side of the square
    output; ``scale_range`` is relative to the scale that fits the longest image side into ``size``.
    """

    def __init__(
        self,
        size: int = 640,
        rotate_degrees: float = 10.0,
        rotate_prob: float = 0.5,
        scale_range: Sequence[float] = (0.5, 2.0),
        crop_tries: int = 20,
        min_visible_ratio: float = 0.5,
        hflip_prob: float = 0.0,
        color_prob: float = 0.8,
        brightness: float = 0.3,
        contrast: float = 0.3,
        saturation: float = 0.3,
        hue: float = 0.02,
        blur_prob: float = 0.1,
        noise_prob: float = 0.1,
        noise_sigma: Sequence[float] = (3.0, 10.0),
        jpeg_prob: float = 0.1,
        jpeg_quality: Sequence[float] = (40, 90),
        seed: int | None = None,
    ) -> None:
        if int(size) < 32:
            raise ValueError(f"TrainAugment size must be >= 32, got {size}")
        if not 0.0 <= float(rotate_degrees) <= 180.0:
            raise ValueError(f"TrainAugment rotate_degrees must be in [0, 180], got {rotate_degrees}")
        if int(crop_tries) < 1:
            raise ValueError(f"TrainAugment crop_tries must be >= 1, got {crop_tries}")
        self.size = int(size)
        self.rotate_degrees = float(rotate_degrees)
        self.rotate_prob = _check_probability(rotate_prob, "rotate_prob")
        self.scale_range = _pair(scale_range, "scale_range")
        if self.scale_range[0] <= 0:
            raise ValueError(f"TrainAugment scale_range must be positive, got {list(scale_range)!r}")
        self.crop_tries = int(crop_tries)
        self.min_visible_ratio = _check_probability(min_visible_ratio, "min_visible_ratio")
        self.hflip_prob = _check_probability(hflip_prob, "hflip_prob")
        self.color_prob = _check_probability(color_prob, "color_prob")
        self.brightness = _check_probability(brightness, "brightness")
        self.contrast = _check_probability(contrast, "contrast")
        self.saturation = _check_probability(saturation, "saturation")
        if not 0.0 <= float(hue) <= 0.5:
            raise ValueError(f"TrainAugment hue must be in [0, 0.5], got {hue}")
        self.hue = float(hue)
        self.blur_prob = _check_probability(blur_prob, "blur_prob")
        self.noise_prob = _check_probability(noise_prob, "noise_prob")
        self.noise_sigma = _pair(noise_sigma, "noise_sigma")
        self.jpeg_prob = _check_probability(jpeg_prob, "jpeg_prob")
        low_q, high_q = _pair(jpeg_quality, "jpeg_quality")
        if not 1 <= low_q <= high_q <= 100:
            raise ValueError(f"TrainAugment jpeg_quality must lie in [1, 100], got {list(jpeg_quality)!r}")
        self.jpeg_quality = (int(low_q), int(high_q))
        self.rng = np.random.default_rng(seed)

    def reseed(self, seed: int | None) -> None:
        """Restart the random stream (one distinct seed per dataloader worker)."""
        self.rng = np.random.default_rng(seed)

    def __call__(
        self, image: np.ndarray, polygons: Sequence[np.ndarray], ignore: Sequence[bool]
    ) -> tuple[np.ndarray, Polygons, list[bool]]:
        if len(polygons) != len(ignore):
            raise ValueError(f"TrainAugment got {len(polygons)} polygons but {len(ignore)} ignore flags")
        polys = [np.asarray(p, dtype=np.float32).reshape(-1, 2) for p in polygons]
        flags = [bool(f) for f in ignore]

        if self.hflip_prob > 0 and self.rng.random() < self.hflip_prob:
            image, polys = self._flip(image, polys)
        if self.rotate_degrees > 0 and self.rng.random() < self.rotate_prob:
            image, polys = self._rotate(image, polys, self.rng.uniform(-self.rotate_degrees, self.rotate_degrees))
        image, polys = self._rescale(image, polys)
        image, polys, flags = self._crop(image, polys, flags)
        image = self._photometric(image)
        return image, polys, flags

    # Geometry ---------------------------------------------------------------------------------------------------

    @staticmethod
    def _flip(image: np.ndarray, polys: Polygons) -> tuple[np.ndarray, Polygons]:
        width = image.shape[1]
        flipped = []
        for p in polys:
            q = p.copy()
            q[:, 0] = width - q[:, 0]
            flipped.append(q[::-1].copy())  # mirroring reverses the winding; keep it
        return np.ascontiguousarray(image[:, ::-1]), flipped

    @staticmethod
    def _rotate(image: np.ndarray, polys: Polygons, degrees: float) -> tuple[np.ndarray, Polygons]:
        """Rotate about the centre onto a canvas large enough to keep every original pixel."""
        h, w = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), degrees, 1.0)
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        new_w = int(np.ceil(h * sin + w * cos))
        new_h = int(np.ceil(h * cos + w * sin))
        matrix[0, 2] += new_w / 2.0 - w / 2.0
        matrix[1, 2] += new_h / 2.0 - h / 2.0
        rotated = cv2.warpAffine(
            image,
            _corner_to_index_matrix(matrix),
            (new_w, new_h),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
            borderValue=(0, 0, 0),
        )
        return rotated, [_transform_points(p, matrix) for p in polys]

    def _rescale(self, image: np.ndarray, polys: Polygons) -> tuple[np.ndarray, Polygons]:
        h, w = image.shape[:2]
        scale = self.size / max(h, w) * self.rng.uniform(*self.scale_range)
        # The letterbox's exact-scale resize, so points scale by the same factor as the pixels.
        return resize_by(image, scale), [p * np.float32(scale) for p in polys]

    def _crop(self, image: np.ndarray, polys: Polygons, flags: list[bool]) -> tuple[np.ndarray, Polygons, list[bool]]:
        """Cut a ``size x size`` window (padding if smaller) placed so it cuts as little text as possible."""
        h, w = image.shape[:2]
        crop_w, crop_h = min(self.size, w), min(self.size, h)
        x0, y0 = self._choose_window(polys, flags, w, h, crop_w, crop_h)

        out = np.zeros((self.size, self.size, *image.shape[2:]), dtype=image.dtype)
        out[:crop_h, :crop_w] = image[y0 : y0 + crop_h, x0 : x0 + crop_w]

        window = box(0.0, 0.0, float(crop_w), float(crop_h))
        offset = np.array([x0, y0], dtype=np.float32)
        kept_polys: Polygons = []
        kept_flags: list[bool] = []
        for poly, flag in zip(polys, flags, strict=True):
            local = poly - offset
            lo, hi = local.min(axis=0), local.max(axis=0)
            if hi[0] <= 0 or hi[1] <= 0 or lo[0] >= crop_w or lo[1] >= crop_h:
                continue  # entirely outside
            if lo[0] >= 0 and lo[1] >= 0 and hi[0] <= crop_w and hi[1] <= crop_h:
                kept_polys.append(local)
                kept_flags.append(flag)
                continue
            clipped, visible = self._clip(local, window)
            if clipped is None:
                continue
            kept_polys.append(clipped)
            kept_flags.append(flag or visible < self.min_visible_ratio)
        return out, kept_polys, kept_flags

    @staticmethod
    def _clip(local: np.ndarray, window: Polygon) -> tuple[np.ndarray | None, float]:
        shape = Polygon(local)
        if not shape.is_valid:
            shape = shape.buffer(0)
        area = shape.area
        if area <= 0:
            return None, 0.0
        part = _largest_polygon(shape.intersection(window))
        if part is None or part.area <= 0:
            return None, 0.0
        coords = np.asarray(part.exterior.coords, dtype=np.float32)[:-1]
        return _as_polygon_array(coords), float(part.area / area)

    def _choose_window(
        self, polys: Polygons, flags: list[bool], w: int, h: int, crop_w: int, crop_h: int
    ) -> tuple[int, int]:
        """Try windows around random text; keep the one that cuts the fewest words and shows the most."""
        max_x, max_y = w - crop_w, h - crop_h
        if max_x == 0 and max_y == 0:
            return 0, 0
        if not polys:
            return int(self.rng.integers(0, max_x + 1)), int(self.rng.integers(0, max_y + 1))

        boxes = np.array([[*p.min(axis=0), *p.max(axis=0)] for p in polys], dtype=np.float32)
        care = ~np.asarray(flags, dtype=bool)
        anchors = np.flatnonzero(care) if care.any() else np.arange(len(polys))

        best: tuple[tuple[int, int], tuple[int, int]] | None = None
        for _ in range(self.crop_tries):
            x0, y0 = self._window_around(boxes[int(self.rng.choice(anchors))], max_x, max_y, crop_w, crop_h)
            inside = (
                (boxes[:, 0] >= x0) & (boxes[:, 1] >= y0) & (boxes[:, 2] <= x0 + crop_w) & (boxes[:, 3] <= y0 + crop_h)
            )
            touches = (
                (boxes[:, 2] > x0) & (boxes[:, 3] > y0) & (boxes[:, 0] < x0 + crop_w) & (boxes[:, 1] < y0 + crop_h)
            )
            cut = int((touches & ~inside & care).sum())
            shown = int((inside & care).sum())
            key = (cut, -shown)
            if best is None or key < best[0]:
                best = (key, (x0, y0))
            if cut == 0 and shown > 0:
                break
        return best[1] if best is not None else (0, 0)

    def _window_around(self, text_box: np.ndarray, max_x: int, max_y: int, crop_w: int, crop_h: int) -> tuple[int, int]:
        """A random window position that contains ``text_box`` where the window is large enough."""

        def axis(lo: float, hi: float, extent: int, limit: int) -> int:
            # Starts s with s <= lo and s + extent >= hi contain the box; clamp them to the image.
            first = min(max(0, int(np.ceil(hi)) - extent), limit)
            last = min(max(0, int(np.floor(lo))), limit)
            if first > last:  # box longer than the window: slide the window along the box instead
                first, last = last, first
            return int(self.rng.integers(first, last + 1))

        return axis(text_box[0], text_box[2], crop_w, max_x), axis(text_box[1], text_box[3], crop_h, max_y)

    # Photometric ------------------------------------------------------------------------------------------------

    def _photometric(self, image: np.ndarray) -> np.ndarray:
        rng = self.rng
        if self.color_prob > 0 and rng.random() < self.color_prob:
            image = self._color_jitter(image)
        if self.blur_prob > 0 and rng.random() < self.blur_prob:
            kernel = int(rng.choice([3, 5]))
            image = cv2.GaussianBlur(image, (kernel, kernel), 0)
        if self.noise_prob > 0 and rng.random() < self.noise_prob:
            sigma = rng.uniform(*self.noise_sigma)
            noise = rng.normal(0.0, sigma, size=image.shape).astype(np.float32)
            image = np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)
        if self.jpeg_prob > 0 and rng.random() < self.jpeg_prob:
            quality = int(rng.integers(self.jpeg_quality[0], self.jpeg_quality[1] + 1))
            bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
            ok, encoded = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
            if ok:
                image = cv2.cvtColor(cv2.imdecode(encoded, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        return image

    def _color_jitter(self, image: np.ndarray) -> np.ndarray:
        rng = self.rng
        alpha = rng.uniform(1 - self.brightness, 1 + self.brightness)
        contrast = rng.uniform(1 - self.contrast, 1 + self.contrast)
        # brightness then contrast around the mean grey level, folded into one linear map: out = a * x + b
        mean = float(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY).mean()) * alpha
        a = alpha * contrast
        b = mean * (1 - contrast)
        image = cv2.convertScaleAbs(image, alpha=a, beta=b) if b >= 0 else self._linear(image, a, b)

        saturation = rng.uniform(1 - self.saturation, 1 + self.saturation)
        hue_shift = rng.uniform(-self.hue, self.hue) * 180.0  # OpenCV 8-bit hue spans [0, 180)
        if abs(saturation - 1) > 1e-3 or abs(hue_shift) >= 0.5:
            hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
            hue = hsv[..., 0].astype(np.int16) + round(hue_shift)
            hsv[..., 0] = np.mod(hue, 180).astype(np.uint8)
            hsv[..., 1] = cv2.convertScaleAbs(hsv[..., 1], alpha=saturation).reshape(hsv.shape[:2])
            image = cv2.cvtColor(hsv, cv2.COLOR_HSV2RGB)
        return image

    @staticmethod
    def _linear(image: np.ndarray, a: float, b: float) -> np.ndarray:
        # convertScaleAbs takes |a x + b|, which would mirror negative values back up; clip instead.
        return np.clip(image.astype(np.float32) * a + b, 0, 255).astype(np.uint8)

"""Reading and writing the project's annotation file (the SROIE-derived JSON format).

Format::

    {"images": {"<file name>": {"width": W, "height": H,
                                "words": {"0001": {"points": [[x, y], ...], "text": "..."}}}}}

This module is the only place that knows the layout, so training, evaluation, the synthetic generator and the
dashboard cannot drift apart. Every problem is reported as an :class:`~ocr.errors.AnnotationError` naming the file
and, where it helps, the image and word, because a bad entry deep inside a 10k-image file is otherwise hopeless
to find.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ocr.errors import AnnotationError

IGNORE_TEXT = "###"
"""Text of a don't-care region: ignored in metrics and masked out of training targets."""

_DECIMALS = 2
"""Coordinates are stored to 1/100 px: far below annotation noise, and keeps the file diffable."""


@dataclass
class ImageAnnotation:
    """The text regions of one image; ``polygons[i]`` (float32, shape (N, 2), N >= 4) reads ``texts[i]``."""

    width: int
    height: int
    polygons: list[np.ndarray] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.polygons) != len(self.texts):
            raise ValueError(f"{len(self.polygons)} polygons but {len(self.texts)} texts")

    @property
    def ignore(self) -> list[bool]:
        """Per polygon: True for don't-care regions (text ``###``)."""
        return [text == IGNORE_TEXT for text in self.texts]


def load_annotations(path: str | Path) -> dict[str, ImageAnnotation]:
    """Read an annotation file into ``{file name: ImageAnnotation}``, keeping the file's order."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AnnotationError(path, "annotation file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise AnnotationError(path, f"cannot read annotation file ({error})") from None
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise AnnotationError(path, f"invalid JSON at line {error.lineno} column {error.colno}: {error.msg}") from None

    if not isinstance(document, dict) or not isinstance(document.get("images"), dict):
        raise AnnotationError(path, 'expected a JSON object with an "images" object')
    return {name: _parse_image(path, name, entry) for name, entry in document["images"].items()}


def save_annotations(path: str | Path, annotations: Mapping[str, ImageAnnotation]) -> None:
    """Write ``annotations`` atomically (temp file + rename), so a reader never sees a half-written file."""
    path = Path(path)
    images: dict[str, Any] = {}
    for name, annotation in annotations.items():
        width = max(4, len(str(len(annotation.polygons))))
        words = {
            f"{index + 1:0{width}d}": {"points": _points_to_json(polygon), "text": text}
            for index, (polygon, text) in enumerate(zip(annotation.polygons, annotation.texts, strict=True))
        }
        images[name] = {"width": int(annotation.width), "height": int(annotation.height), "words": words}

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"images": images}, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def _points_to_json(polygon: np.ndarray) -> list[list[float]]:
    return [[round(float(x), _DECIMALS), round(float(y), _DECIMALS)] for x, y in np.asarray(polygon).reshape(-1, 2)]


def _parse_image(path: Path, name: str, entry: Any) -> ImageAnnotation:
    where = f"image {name!r}"
    if not isinstance(entry, dict):
        raise AnnotationError(path, f"{where}: expected an object")
    for key in ("width", "height", "words"):
        if key not in entry:
            raise AnnotationError(path, f"{where}: missing key {key!r}")
    width, height = entry["width"], entry["height"]
    for key, value in (("width", width), ("height", height)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise AnnotationError(path, f"{where}: {key} must be a positive integer, got {value!r}")
    words = entry["words"]
    if not isinstance(words, dict):
        raise AnnotationError(path, f"{where}: 'words' must be an object")

    polygons: list[np.ndarray] = []
    texts: list[str] = []
    for word_id, word in words.items():
        word_where = f"{where} word {word_id!r}"
        if not isinstance(word, dict):
            raise AnnotationError(path, f"{word_where}: expected an object")
        for key in ("points", "text"):
            if key not in word:
                raise AnnotationError(path, f"{word_where}: missing key {key!r}")
        if not isinstance(word["text"], str):
            raise AnnotationError(path, f"{word_where}: text must be a string")
        polygons.append(_parse_points(path, word_where, word["points"]))
        texts.append(word["text"])
    return ImageAnnotation(width=width, height=height, polygons=polygons, texts=texts)


def _parse_points(path: Path, where: str, points: Any) -> np.ndarray:
    shape_problem = f"{where}: points must be a list of at least 4 [x, y] pairs"
    if not isinstance(points, list) or len(points) < 4:
        raise AnnotationError(path, shape_problem)
    for point in points:
        if not isinstance(point, list) or len(point) != 2:
            raise AnnotationError(path, shape_problem)
        for value in point:
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise AnnotationError(path, f"{where}: coordinates must be finite numbers, got {value!r}")
    return np.asarray(points, dtype=np.float32).reshape(-1, 2)

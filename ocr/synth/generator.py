"""One synthetic receipt from (seed, index), and a whole data set written in the project's format.

Every image draws all its randomness from ``SeedSequence([seed, index])``, so image ``i`` is the same whatever
the number of workers or the order they finish in, and a data set can be regenerated bit for bit (given the
same fonts and library versions).
"""

from __future__ import annotations

import multiprocessing
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from PIL import Image

from ocr.data.annotations import ImageAnnotation, save_annotations
from ocr.synth.content import make_receipt_rows
from ocr.synth.degrade import capture, place_receipt, plan_scene
from ocr.synth.layout import TextBox, render_receipt
from ocr.synth.paper import print_receipt

IMAGE_NAME = "synth_{index:06d}.jpg"
_IMAGE_NAME_RE = re.compile(r"synth_\d{6,}\.jpg")
MIN_VISIBLE = 0.6  # a box cut by the image border is kept if at least this fraction of it is inside
MIN_BOX_HEIGHT = 3.0


def _rng(seed: int, index: int, stream: int = 0) -> np.random.Generator:
    if seed < 0 or index < 0:
        raise ValueError(f"seed and index must be non-negative, got seed={seed} index={index}")
    return np.random.default_rng(np.random.SeedSequence([seed, index, stream]))


def _padded_quads(boxes: list[TextBox], rng: np.random.Generator) -> np.ndarray:
    """Axis-aligned quads (clockwise from top-left) around the ink, with the small margin annotators leave."""
    margin = rng.uniform(0.6, 2.0)
    quads = [
        [[b.x0 - pad, b.y0 - pad], [b.x1 + pad, b.y0 - pad], [b.x1 + pad, b.y1 + pad], [b.x0 - pad, b.y1 + pad]]
        for b in boxes
        for pad in [margin + 0.04 * (b.y1 - b.y0)]
    ]
    return np.asarray(quads, np.float32).reshape(-1, 4, 2)


def _areas(quads: np.ndarray) -> np.ndarray:
    x, y = quads[..., 0], quads[..., 1]
    return 0.5 * np.abs((x * np.roll(y, -1, axis=1) - y * np.roll(x, -1, axis=1)).sum(axis=1))


def _clip_to_image(quads: np.ndarray, texts: list[str], width: int, height: int) -> tuple[list[np.ndarray], list[str]]:
    """Clip quads to the image; drop those mostly outside it or too thin to be a text line."""
    if len(quads) == 0:
        return [], []
    clipped = np.stack([np.clip(quads[..., 0], 0, width - 1), np.clip(quads[..., 1], 0, height - 1)], axis=-1)
    original = _areas(quads)
    keep = (original > 0) & (_areas(clipped) >= MIN_VISIBLE * original)
    keep &= np.ptp(clipped[..., 1], axis=1) >= MIN_BOX_HEIGHT
    polygons = [quad.astype(np.float32) for quad in clipped[keep]]
    return polygons, [text for text, k in zip(texts, keep, strict=True) if k]


def generate_receipt(seed: int, index: int) -> tuple[np.ndarray, ImageAnnotation]:
    """Receipt image ``index`` of data set ``seed``: uint8 RGB and its text-run annotation."""
    rng = _rng(seed, index)
    layout = render_receipt(make_receipt_rows(rng), rng)
    plan = plan_scene(layout.ink.shape[1], layout.ink.shape[0], layout.body_box_height, rng)
    layout = layout.scaled(plan.scale)
    printed = print_receipt(layout, rng)
    quads = _padded_quads(layout.boxes, rng)
    image, quads = place_receipt(printed, quads, plan, rng)
    image, quads = capture(image, quads, plan, printed, rng)
    height, width = image.shape[:2]
    polygons, texts = _clip_to_image(quads, [b.text for b in layout.boxes], width, height)
    return image, ImageAnnotation(width=width, height=height, polygons=polygons, texts=texts)


def _write_one(job: tuple[Path, int, int]) -> tuple[str, ImageAnnotation]:
    images_dir, seed, index = job
    image, annotation = generate_receipt(seed, index)
    name = IMAGE_NAME.format(index=index)
    quality = int(_rng(seed, index, stream=1).integers(80, 96))
    Image.fromarray(image).save(images_dir / name, format="JPEG", quality=quality)
    return name, annotation


def write_dataset(
    out_dir: str | Path, n: int, seed: int, workers: int = 1, progress: Callable[[int, int], None] | None = None
) -> dict[str, ImageAnnotation]:
    """Write ``out_dir/images/synth_NNNNNN.jpg`` and ``out_dir/annotations.json`` for ``n`` receipts.

    Stale ``synth_*.jpg`` files from an earlier, larger run are removed so the folder matches the annotation
    file; other files are left alone.
    """
    if n < 0:
        raise ValueError(f"n must be non-negative, got {n}")
    out_dir = Path(out_dir)
    images_dir = out_dir / "images"
    images_dir.mkdir(parents=True, exist_ok=True)
    jobs = [(images_dir, seed, index) for index in range(n)]
    annotations: dict[str, ImageAnnotation] = {}
    for done, (name, annotation) in enumerate(_run(jobs, workers), start=1):
        annotations[name] = annotation
        if progress is not None:
            progress(done, n)
    for path in images_dir.iterdir():
        if _IMAGE_NAME_RE.fullmatch(path.name) and path.name not in annotations:
            path.unlink()
    save_annotations(out_dir / "annotations.json", annotations)
    return annotations


def _run(jobs: list[tuple[Path, int, int]], workers: int) -> Iterator[tuple[str, ImageAnnotation]]:
    if workers <= 1 or len(jobs) <= 1:
        yield from map(_write_one, jobs)
        return
    with multiprocessing.get_context("spawn").Pool(min(workers, len(jobs))) as pool:
        yield from pool.imap(_write_one, jobs, chunksize=4)

"""Specification of the synthetic receipt generator (python -m ocr.synth)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from shapely.geometry import Polygon

from ocr.data.annotations import ImageAnnotation, load_annotations
from ocr.data.images import list_images, load_image
from ocr.synth import fonts, layout
from ocr.synth.__main__ import main
from ocr.synth.content import make_receipt_rows
from ocr.synth.generator import generate_receipt, write_dataset

SEED = 11
SAMPLE = range(4)  # for this seed: two photos, a page scan and a cropped scan


@pytest.fixture(scope="module")
def samples() -> list[tuple[np.ndarray, ImageAnnotation]]:
    return [generate_receipt(SEED, index) for index in SAMPLE]


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def _pixels_inside(gray: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillPoly(mask, [np.round(polygon).astype(np.int32)], 1)
    return gray[mask > 0]


def test_same_seed_and_index_give_identical_images_and_boxes(samples) -> None:
    first_image, first = samples[3]
    second_image, second = generate_receipt(SEED, 3)
    np.testing.assert_array_equal(first_image, second_image)
    assert first.texts == second.texts
    for a, b in zip(first.polygons, second.polygons, strict=True):
        np.testing.assert_array_equal(a, b)


def test_different_indices_and_seeds_give_different_receipts(samples) -> None:
    base = samples[0][0]
    for other in (samples[1][0], generate_receipt(SEED + 1, 0)[0]):
        assert base.shape != other.shape or not np.array_equal(base, other)


def test_images_are_receipt_shaped_rgb_like_the_real_scans(samples) -> None:
    for image, annotation in samples:
        height, width = image.shape[:2]
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
        assert (annotation.width, annotation.height) == (width, height)
        assert 900 <= max(height, width) <= 1500
        assert height > width, "receipts are portrait"


def test_every_receipt_has_many_text_runs_with_plain_text(samples) -> None:
    for _, annotation in samples:
        assert 20 <= len(annotation.polygons) <= 200
        assert all(text.strip() and text != "###" for text in annotation.texts)
        assert not any(annotation.ignore)


def test_polygons_are_clockwise_quads_inside_the_image(samples) -> None:
    for _, annotation in samples:
        for polygon in annotation.polygons:
            assert polygon.shape == (4, 2) and polygon.dtype == np.float32
            assert (polygon[:, 0] >= 0).all() and (polygon[:, 0] <= annotation.width - 1).all()
            assert (polygon[:, 1] >= 0).all() and (polygon[:, 1] <= annotation.height - 1).all()
            x, y = polygon[:, 0], polygon[:, 1]
            signed_area = 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
            assert signed_area > 0, "clockwise on screen (y down), starting top-left"
            assert np.ptp(y) >= 3


def test_box_heights_match_the_real_receipts(samples) -> None:
    heights = np.concatenate([[np.ptp(p[:, 1]) for p in ann.polygons] for _, ann in samples])
    assert 12 <= float(np.median(heights)) <= 30  # real set: median 21 px


def test_boxes_cover_dark_printed_text(samples) -> None:
    contrasts = []
    for image, annotation in samples:
        gray = _gray(image)
        for polygon in annotation.polygons:
            inside = _pixels_inside(gray, polygon)
            contrasts.append(float(np.percentile(inside, 95) - np.percentile(inside, 5)))
    contrasts_array = np.asarray(contrasts)
    assert contrasts_array.min() >= 10, "every box contains visible ink"
    assert np.mean(contrasts_array >= 30) >= 0.95, "almost every box holds clearly darker (or inverted) text"


def test_layout_boxes_touch_their_ink_on_all_four_sides() -> None:
    """Before any warp, every box is the tight bounding box of its run's rendered ink."""
    for index in range(3):
        rng = np.random.default_rng(index)
        rendered = layout.render_receipt(make_receipt_rows(rng), rng)
        assert rendered.boxes
        for box in rendered.boxes:
            x0, y0, x1, y1 = int(box.x0), int(box.y0), int(box.x1), int(box.y1)
            ink = rendered.ink[y0:y1, x0:x1] >= layout.INK_THRESHOLD
            assert ink[0].any() and ink[-1].any() and ink[:, 0].any() and ink[:, -1].any(), box.text


def test_text_runs_do_not_overlap_each_other(samples) -> None:
    for _, annotation in samples:
        shapes = [Polygon(p) for p in annotation.polygons]
        for i, a in enumerate(shapes):
            for b in shapes[i + 1 :]:
                if a.intersects(b):
                    assert a.intersection(b).area <= 0.2 * min(a.area, b.area)


def test_generation_works_with_only_the_builtin_font(monkeypatch: pytest.MonkeyPatch) -> None:
    fallback = fonts.discover_fonts.__wrapped__((Path("/nonexistent-font-dir"),))
    assert all(choice.path is None for faces in fallback.values() for choice in faces)
    monkeypatch.setattr(layout, "discover_fonts", lambda: fallback)
    image, annotation = generate_receipt(SEED, 2)
    assert len(annotation.polygons) >= 10
    assert image.shape[:2] == (annotation.height, annotation.width)


def test_cli_writes_images_and_annotations_independent_of_worker_count(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    (out / "images").mkdir(parents=True)
    (out / "images" / "synth_000009.jpg").write_bytes(b"stale")
    (out / "images" / "keep.txt").write_text("not ours")

    assert main(["--out", str(out), "--n", "2", "--seed", "5", "--workers", "2"]) == 0

    images = list_images(out / "images")
    assert [p.name for p in images] == ["synth_000000.jpg", "synth_000001.jpg"], "stale synth image removed"
    assert (out / "images" / "keep.txt").exists()
    annotations = load_annotations(out / "annotations.json")
    assert sorted(annotations) == ["synth_000000.jpg", "synth_000001.jpg"]
    for path in images:
        decoded = load_image(path)
        assert decoded.shape[:2] == (annotations[path.name].height, annotations[path.name].width)
        assert len(annotations[path.name].polygons) > 0

    serial = tmp_path / "serial"
    write_dataset(serial, 2, seed=5, workers=1)
    for path in images:
        assert (serial / "images" / path.name).read_bytes() == path.read_bytes()
    assert json.loads((serial / "annotations.json").read_text()) == json.loads((out / "annotations.json").read_text())


def test_cli_rejects_negative_counts_and_seeds(tmp_path: Path) -> None:
    for argv in (["--n", "-1"], ["--n", "1", "--seed", "-3"]):
        with pytest.raises(SystemExit):
            main(["--out", str(tmp_path), *argv])

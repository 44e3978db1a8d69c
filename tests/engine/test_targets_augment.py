"""DB training targets follow MhLiao/DB, and augmentation keeps every box on its text."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from ocr.data.augment import TrainAugment
from ocr.data.targets import make_db_targets

H, W = 200, 320
LINE = np.array([[40, 60], [280, 60], [280, 100], [40, 100]], dtype=np.float32)
TILTED = np.array([[30, 150], [200, 120], [206, 155], [36, 185]], dtype=np.float32)


def _shrink_distance(points: np.ndarray, ratio: float = 0.4) -> float:
    shape = Polygon(points)
    return shape.area * (1 - ratio**2) / shape.length


def _pixel_centres(mask: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(mask)
    return np.stack([xs + 0.5, ys + 0.5], axis=1)


def test_shrunk_text_region_lies_inside_the_word_and_matches_the_db_offset():
    targets = make_db_targets([LINE, TILTED], [False, False], H, W)
    prob = targets["prob_map"]
    assert set(np.unique(prob)) == {0.0, 1.0}
    centres = shapely.points(_pixel_centres(prob > 0))
    words = shapely.union_all([Polygon(LINE), Polygon(TILTED)])
    assert shapely.contains(words, centres).all()

    expected = shapely.union_all([Polygon(p).buffer(-_shrink_distance(p)) for p in (LINE, TILTED)])
    assert prob.sum() == pytest.approx(expected.area, rel=0.08)
    # every text pixel lies within half a pixel diagonal of the exact shrunk polygon
    assert shapely.distance(expected, centres).max() <= 0.75


def test_threshold_map_is_the_normalised_distance_band_around_the_edges():
    targets = make_db_targets([TILTED], [False], H, W, thresh_min=0.3, thresh_max=0.7)
    thresh, thresh_mask = targets["thresh_map"], targets["thresh_mask"]
    distance = _shrink_distance(TILTED)

    ys, xs = np.mgrid[0:H, 0:W]
    centres = shapely.points(np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1))
    to_edge = shapely.distance(Polygon(TILTED).exterior, centres).reshape(H, W)
    expected = 0.7 - 0.4 * np.clip(to_edge / distance, 0, 1)
    np.testing.assert_allclose(thresh, expected, atol=1e-4)
    assert thresh.min() == pytest.approx(0.3) and thresh.max() <= 0.7 + 1e-6

    # the threshold loss covers the dilated polygon: everything within D of the word, nothing far from it
    to_word = shapely.distance(Polygon(TILTED), centres).reshape(H, W)
    dilated = Polygon(TILTED).buffer(distance)
    # (cv2.fillPoly also fills pixels its outline touches: up to one pixel beyond the exact polygon)
    assert shapely.contains(dilated.buffer(1.0), shapely.points(_pixel_centres(thresh_mask > 0))).all()
    assert to_word[thresh_mask > 0].max() <= distance + 1.0
    assert thresh_mask.sum() == pytest.approx(dilated.area, rel=0.05)


def test_dont_care_and_tiny_words_are_masked_out_not_taught_as_background():
    tiny = np.array([[10, 10], [60, 10], [60, 12], [10, 12]], dtype=np.float32)  # 2 px tall < min_text_size 3
    targets = make_db_targets([LINE, TILTED, tiny], [True, False, False], H, W)
    line_pixels = cv2.fillPoly(np.zeros((H, W), np.uint8), [LINE.astype(np.int32)], 1).astype(bool)
    assert (targets["prob_mask"][line_pixels] == 0).all()
    assert (targets["prob_map"][line_pixels] == 0).all()
    assert (targets["thresh_mask"][line_pixels] == 0).all()
    assert (targets["prob_mask"][10:12, 12:58] == 0).all()
    assert targets["prob_map"][TILTED[:, 1].astype(int).min() :, :].sum() > 0  # the care word is still there
    assert targets["prob_mask"].mean() > 0.8


def test_targets_have_the_contract_shapes_and_leave_inputs_untouched():
    line = LINE.astype(np.float64) + np.array([0.0, 150.0])  # partly below the image: clipped, not an error
    before = line.copy()
    targets = make_db_targets([line], [False], H, W)
    assert sorted(targets) == ["prob_map", "prob_mask", "thresh_map", "thresh_mask"]
    assert all(v.shape == (H, W) and v.dtype == np.float32 for v in targets.values())
    np.testing.assert_array_equal(line, before)
    empty = make_db_targets([], [], H, W)
    assert empty["prob_map"].sum() == 0 and empty["prob_mask"].min() == 1 and empty["thresh_map"].max() == 0.3


def test_targets_reject_mismatched_inputs():
    with pytest.raises(ValueError, match="ignore flags"):
        make_db_targets([LINE], [], H, W)


# Augmentation ------------------------------------------------------------------------------------------------


def _white_box_scene(height: int = 900, width: int = 500) -> tuple[np.ndarray, list[np.ndarray]]:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    boxes = [(60, 100, 420, 160), (80, 500, 300, 540), (200, 780, 460, 840)]
    polygons = []
    for x0, y0, x1, y1 in boxes:
        image[y0:y1, x0:x1] = 255
        polygons.append(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32))
    return image, polygons


def _mask(poly: np.ndarray, shape: tuple[int, ...], grow: float) -> np.ndarray:
    """Pixels of ``poly`` grown (or shrunk, grow < 0) by ``grow`` pixels: a one-pixel margin absorbs anti-aliasing."""
    region = Polygon(poly).buffer(grow, join_style="mitre")
    canvas = np.zeros(shape[:2], np.uint8)
    if not region.is_empty:
        outline = np.asarray(region.exterior.coords)[:-1] - 0.5
        cv2.fillPoly(canvas, [np.round(outline).astype(np.int32)], 1)
    return canvas > 0


GEOMETRY_ONLY = {"color_prob": 0.0, "blur_prob": 0.0, "noise_prob": 0.0, "jpeg_prob": 0.0}


@pytest.mark.parametrize("seed", range(8))
def test_augmented_boxes_still_enclose_their_white_rectangles(seed):
    image, polygons = _white_box_scene()
    augment = TrainAugment(size=320, rotate_prob=1.0, hflip_prob=0.5, seed=seed, **GEOMETRY_ONLY)
    out, polys, ignore = augment(image, polygons, [False] * len(polygons))
    assert out.shape == (320, 320, 3) and out.dtype == np.uint8
    bright = out[..., 0] > 127
    covered = np.zeros_like(bright)
    for poly, flagged in zip(polys, ignore, strict=True):
        assert poly.shape[1] == 2 and len(poly) >= 4
        covered |= _mask(poly, bright.shape, 1.0)
        core = _mask(poly, bright.shape, -1.0)
        if not flagged and core.sum() > 20:
            assert bright[core].mean() > 0.95, "a kept box drifted off its text"
    if bright.sum() > 0:
        assert bright[covered].sum() / bright.sum() > 0.95, "bright text pixels left outside every box"


def test_rotation_moves_points_with_the_pixels():
    image, polygons = _white_box_scene()
    rotated, moved = TrainAugment._rotate(image, polygons, 10.0)
    assert rotated.shape[0] > 900 and rotated.shape[1] > 500  # canvas expanded, no corner cut off
    bright = rotated[..., 0] > 127
    for poly in moved:
        assert bright[_mask(poly, bright.shape, -1.0)].all()
        grown = _mask(poly, bright.shape, 1.0)
        assert not bright[_mask(poly, bright.shape, 8.0) & ~grown].any()  # nothing white just outside


def test_a_word_mostly_cut_off_by_the_crop_becomes_dont_care():
    image = np.zeros((200, 2000, 3), dtype=np.uint8)
    word = np.array([[40, 60], [1960, 60], [1960, 120], [40, 120]], dtype=np.float32)
    image[60:120, 40:1960] = 255
    augment = TrainAugment(size=640, rotate_prob=0.0, scale_range=(3.0, 3.0), seed=0, **GEOMETRY_ONLY)
    _, polys, ignore = augment(image, [word], [False])
    assert len(polys) == 1 and ignore == [True]
    assert polys[0][:, 0].min() >= 0 and polys[0][:, 0].max() <= 640


def test_crop_prefers_windows_that_keep_words_whole():
    image, polygons = _white_box_scene(1000, 1000)
    augment = TrainAugment(size=640, rotate_prob=0.0, scale_range=(1.6, 1.6), seed=1, **GEOMETRY_ONLY)
    for _ in range(5):
        _, polys, ignore = augment(image, polygons, [False] * 3)
        assert polys and not any(ignore)


def test_same_seed_same_augmentation_and_photometric_noise_keeps_dtype():
    image, polygons = _white_box_scene()
    settings = {"size": 256, "color_prob": 1.0, "blur_prob": 1.0, "noise_prob": 1.0, "jpeg_prob": 1.0, "hue": 0.05}
    first = TrainAugment(seed=7, **settings)(image, polygons, [False, True, False])
    second = TrainAugment(seed=7, **settings)(image, polygons, [False, True, False])
    np.testing.assert_array_equal(first[0], second[0])
    assert all(np.array_equal(a, b) for a, b in zip(first[1], second[1], strict=True))
    assert first[2] == second[2] and first[0].dtype == np.uint8 and first[0].shape == (256, 256, 3)
    assert True in first[2]  # a don't-care flag survives augmentation


def test_augment_accepts_hydra_style_lists_and_rejects_bad_values():
    TrainAugment(scale_range=[0.5, 2.0], noise_sigma=[1, 2], jpeg_quality=[50, 60])
    with pytest.raises(ValueError, match="scale_range"):
        TrainAugment(scale_range=[2.0, 0.5])
    with pytest.raises(ValueError, match="blur_prob"):
        TrainAugment(blur_prob=1.5)
    with pytest.raises(ValueError, match="ignore flags"):
        TrainAugment()(np.zeros((10, 10, 3), np.uint8), [LINE], [])

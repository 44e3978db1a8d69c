"""DB post-processing finds the words of a probability map and puts them on the ORIGINAL image's pixels."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from ocr.data.geometry import Letterbox, letterbox
from ocr.data.targets import make_db_targets
from ocr.postprocess.db import Detection, PostprocessParams, db_postprocess


def _inset_undone_by_unclip(width: float, height: float, ratio: float) -> float:
    """The inset d whose unclip (offset A' * ratio / L') restores a width x height rectangle."""
    low, high = 0.0, min(width, height) / 2
    for _ in range(60):  # bisection: the unclip offset of the inset rectangle shrinks as d grows
        d = (low + high) / 2
        w, h = width - 2 * d, height - 2 * d
        low, high = (d, high) if w * h * ratio / (2 * (w + h)) > d else (low, d)
    return (low + high) / 2


def _perfect_prob_map(truth_original: list[tuple[float, float, float, float]], box_: Letterbox, ratio: float = 1.5):
    """What a flawless model trained on our own targets outputs, with a shrink that ``ratio`` exactly undoes.

    DB's shrink distance is A (1 - r^2) / L; per word, r is chosen so that it equals the inset the unclip reverses.
    """
    prob = np.zeros((box_.out_h, box_.out_w), dtype=np.float32)
    for x0, y0, x1, y1 in truth_original:
        corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)
        word = box_.to_model(corners)
        w, h = word[2] - word[0]
        d = _inset_undone_by_unclip(w, h, ratio)
        shrink_ratio = float(np.sqrt(1 - d * 2 * (w + h) / (w * h)))
        targets = make_db_targets([word], [False], box_.out_h, box_.out_w, shrink_ratio=shrink_ratio)
        np.maximum(prob, 0.95 * targets["prob_map"], out=prob)
    return prob


def _iou(points: np.ndarray, rect: tuple[float, float, float, float]) -> float:
    a, b = Polygon(points), box(*rect)
    return a.intersection(b).area / a.union(b).area


def _best_ious(detections: list[Detection], truth: list[tuple[float, float, float, float]]) -> list[float]:
    return [max(_iou(d.points, rect) for d in detections) for rect in truth]


RECEIPT_LINES = [(40, 60, 560, 110), (40, 700, 330, 740), (300, 1300, 580, 1360), (60, 1000, 120, 1030)]


def test_portrait_receipt_boxes_land_on_original_pixels():
    """600x1400 portrait: the letterbox pads the width; a wrong inverse shows up most at the bottom lines."""
    image = np.zeros((1400, 600, 3), dtype=np.uint8)
    _, box_ = letterbox(image, 960)
    assert (box_.out_w, box_.out_h) == (416, 960)
    detections = db_postprocess(_perfect_prob_map(RECEIPT_LINES, box_), box_, PostprocessParams())
    assert len(detections) == len(RECEIPT_LINES)
    assert min(_best_ious(detections, RECEIPT_LINES)) > 0.9


def test_landscape_image_boxes_land_on_original_pixels():
    truth = [(y0, x0, y1, x1) for x0, y0, x1, y1 in RECEIPT_LINES]  # the receipt turned on its side: 1400x600
    _, box_ = letterbox(np.zeros((600, 1400, 3), dtype=np.uint8), 960)
    assert (box_.out_w, box_.out_h) == (960, 416)
    detections = db_postprocess(_perfect_prob_map(truth, box_), box_)
    assert len(detections) == len(truth)
    assert min(_best_ious(detections, truth)) > 0.9


def test_boxes_are_clockwise_from_top_left_and_scored():
    _, box_ = letterbox(np.zeros((1400, 600, 3), dtype=np.uint8), 960)
    for detection in db_postprocess(_perfect_prob_map(RECEIPT_LINES, box_), box_):
        tl, tr, br, bl = detection.points
        assert detection.points.dtype == np.float32 and detection.points.shape == (4, 2)
        assert tl[0] < tr[0] and tl[1] < bl[1] and br[0] > bl[0] and br[1] > tr[1]
        assert detection.score == pytest.approx(0.95, abs=1e-3)


def test_detections_are_clipped_to_the_original_image():
    _, box_ = letterbox(np.zeros((1400, 600, 3), dtype=np.uint8), 960)
    prob = np.zeros((box_.out_h, box_.out_w), dtype=np.float32)
    prob[100:130, 380:416] = 1.0  # straddles the right edge of the content (411 px) into the padding
    (detection,) = db_postprocess(prob, box_, PostprocessParams(box_thresh=0.5))
    assert detection.points[:, 0].max() == pytest.approx(600.0)
    assert detection.points.min() >= 0


def test_max_candidates_keeps_the_largest_words():
    _, box_ = letterbox(np.zeros((960, 960, 3), dtype=np.uint8), 960)
    prob = np.zeros((960, 960), dtype=np.float32)
    for i in range(30):
        prob[20 + 30 * i : 36 + 30 * i, 20 : 60 + 10 * i] = 1.0
    assert len(db_postprocess(prob, box_, PostprocessParams(max_candidates=1000))) == 30
    kept = db_postprocess(prob, box_, PostprocessParams(max_candidates=5))
    assert len(kept) == 5
    assert min(d.points[:, 0].max() for d in kept) > 60 + 10 * 24  # the five widest lines


def test_more_than_a_thousand_candidates_are_supported():
    _, box_ = letterbox(np.zeros((960, 960, 3), dtype=np.uint8), 960)
    prob = np.zeros((960, 960), dtype=np.float32)
    for y in range(4, 956, 24):
        for x in range(4, 956, 24):
            prob[y : y + 12, x : x + 12] = 1.0
    n_blobs = len(range(4, 956, 24)) ** 2
    assert n_blobs > 1500
    assert len(db_postprocess(prob, box_, PostprocessParams(max_candidates=5000))) == n_blobs
    assert len(db_postprocess(prob, box_, PostprocessParams(max_candidates=1200))) == 1200


def test_polygon_mode_follows_a_slanted_word_that_box_mode_squares_off():
    _, box_ = letterbox(np.zeros((640, 640, 3), dtype=np.uint8), 640)
    trapezoid = np.array([[100, 200], [500, 200], [420, 260], [180, 260]], dtype=np.float32)
    prob = np.zeros((640, 640), dtype=np.float32)
    ys, xs = np.mgrid[0:640, 0:640] + 0.5
    shrunk = Polygon(trapezoid).buffer(-8, join_style="mitre")
    from shapely import contains_xy

    prob[contains_xy(shrunk, xs, ys)] = 0.9
    (as_box,) = db_postprocess(prob, box_, PostprocessParams(use_polygon=False))
    (as_poly,) = db_postprocess(prob, box_, PostprocessParams(use_polygon=True))
    assert len(as_box.points) == 4 and len(as_poly.points) > 4
    truth = Polygon(trapezoid)

    def iou(points: np.ndarray) -> float:
        shape = Polygon(points)
        return shape.intersection(truth).area / shape.union(truth).area

    assert iou(as_poly.points) > iou(as_box.points) + 0.05
    start = as_poly.points[0]
    assert np.linalg.norm(start - as_poly.points.min(axis=0)) == pytest.approx(
        np.linalg.norm(as_poly.points - as_poly.points.min(axis=0), axis=1).min()
    )
    x, y = as_poly.points[:, 0], as_poly.points[:, 1]
    assert np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)) > 0  # clockwise on screen


def test_box_thresh_drops_faint_candidates():
    _, box_ = letterbox(np.zeros((640, 640, 3), dtype=np.uint8), 640)
    prob = np.zeros((640, 640), dtype=np.float32)
    prob[100:140, 100:400] = 0.5  # above the binarisation threshold, below the default box threshold
    prob[300:340, 100:400] = 0.9
    scores = sorted(d.score for d in db_postprocess(prob, box_, PostprocessParams(box_thresh=0.6)))
    assert scores == [pytest.approx(0.9, abs=1e-3)]
    assert len(db_postprocess(prob, box_, PostprocessParams(box_thresh=0.4))) == 2


def test_larger_prob_map_from_a_padded_batch_is_cropped_and_smaller_is_rejected():
    _, box_ = letterbox(np.zeros((1400, 600, 3), dtype=np.uint8), 960)
    prob = np.zeros((1, 960, 960), dtype=np.float32)
    prob[0, 100:140, 500:900] = 1.0  # only in the batch padding: no word
    prob[0, 100:140, 50:300] = 1.0
    assert len(db_postprocess(prob, box_)) == 1
    with pytest.raises(ValueError, match="smaller than the letterboxed"):
        db_postprocess(np.zeros((480, 208), np.float32), box_)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("thresh", 0.0),
        ("thresh", 1.2),
        ("box_thresh", -0.1),
        ("unclip_ratio", 0.0),
        ("unclip_ratio", 50.0),
        ("max_candidates", 0),
        ("max_candidates", 2.5),
        ("min_size", -1),
        ("use_polygon", "yes"),
        ("thresh", "0.3"),
    ],
)
def test_params_out_of_range_fail_with_a_message_naming_the_field(field, value):
    with pytest.raises(ValueError, match=f"PostprocessParams.{field}"):
        PostprocessParams(**{field: value})


def test_default_params_match_the_contract():
    assert dataclasses.asdict(PostprocessParams()) == {
        "thresh": 0.3,
        "box_thresh": 0.6,
        "unclip_ratio": 1.5,
        "max_candidates": 1000,
        "min_size": 3,
        "use_polygon": False,
    }

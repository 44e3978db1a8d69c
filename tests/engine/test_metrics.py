"""The ICDAR 2015 IoU protocol: one-to-one matches, don't-care handling and dataset-level sums."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.metrics import DatasetScore, ImageScore, evaluate_image


def rect(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


WORDS = [rect(0, 0, 100, 10), rect(0, 20, 100, 30), rect(0, 40, 100, 50)]


def test_perfect_detections_score_one():
    score = evaluate_image(WORDS, [False] * 3, [w.copy() for w in WORDS])
    assert (score.matched, score.n_gt, score.n_det) == (3, 3, 3)
    assert (score.precision, score.recall, score.hmean) == (1.0, 1.0, 1.0)
    assert score.matches == ((0, 0), (1, 1), (2, 2))


def test_two_detections_on_one_word_count_once():
    score = evaluate_image([WORDS[0]], [False], [rect(0, 0, 100, 10), rect(2, 0, 100, 10)])
    assert score.matched == 1 and score.n_det == 2
    assert score.precision == 0.5 and score.recall == 1.0
    assert score.hmean == pytest.approx(2 / 3)


def test_matching_is_one_to_one_by_best_iou():
    # The looser detection comes first; the tight one must still get the word, the loose one stays unmatched.
    score = evaluate_image([WORDS[0]], [False], [rect(0, 0, 80, 10), rect(0, 0, 99, 10)])
    assert score.matches == ((0, 1),)


def test_iou_must_exceed_the_threshold_strictly():
    exactly_half = rect(0, 0, 50, 10)  # IoU with a 100x10 word = 0.5
    just_above = rect(0, 0, 51, 10)
    assert evaluate_image([WORDS[0]], [False], [exactly_half]).matched == 0
    assert evaluate_image([WORDS[0]], [False], [just_above]).matched == 1
    assert evaluate_image([WORDS[0]], [False], [just_above], iou_thresh=0.7).matched == 0


def test_dont_care_words_and_detections_on_them_are_not_counted():
    gt = [WORDS[0], WORDS[1]]
    on_dont_care = rect(0, 20, 100, 30)
    partly_on_dont_care = rect(0, 23, 100, 33)  # 70% of its area on the ### word: also dropped
    mostly_elsewhere = rect(0, 28, 100, 38)  # 20% on it: a false positive
    score = evaluate_image(gt, [False, True], [WORDS[0], on_dont_care, partly_on_dont_care, mostly_elsewhere])
    assert (score.matched, score.n_gt, score.n_det) == (1, 1, 2)
    assert score.ignored_dets == (1, 2)
    assert score.precision == 0.5 and score.recall == 1.0


def test_a_dont_care_word_cannot_be_matched():
    score = evaluate_image([WORDS[0]], [True], [WORDS[0]])
    assert (score.matched, score.n_gt, score.n_det) == (0, 0, 0)
    assert (score.precision, score.recall, score.hmean) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("gt", "dets", "expected"),
    [
        ([], [], (1.0, 1.0, 1.0)),  # nothing to find, nothing found
        ([], [WORDS[0]], (0.0, 1.0, 0.0)),  # only false positives
        ([WORDS[0]], [], (0.0, 0.0, 0.0)),  # only misses
    ],
)
def test_empty_images_have_defined_scores(gt, dets, expected):
    score = evaluate_image(gt, [False] * len(gt), dets)
    assert (score.precision, score.recall, score.hmean) == expected


def test_invalid_polygons_are_repaired_or_skipped_consistently():
    bow_tie = np.array([[0, 0], [100, 10], [100, 0], [0, 10]], dtype=np.float32)  # self-intersecting
    line = np.array([[0, 0], [50, 0], [100, 0], [0, 0]], dtype=np.float32)  # no area at all
    score = evaluate_image([WORDS[0], line], [False, False], [bow_tie, line, WORDS[0]])
    assert score.skipped_gt == (1,) and score.skipped_dets == (1,)
    assert (score.matched, score.n_gt, score.n_det) == (1, 1, 2)


def test_dataset_score_sums_matches_instead_of_averaging_images():
    dataset = DatasetScore()
    dataset.accumulate([WORDS[0]], [False], [WORDS[0]])  # 1/1 found, precision 1
    receipt = [rect(0, 20 * i, 100, 20 * i + 10) for i in range(9)]
    busy = dataset.accumulate(receipt, [False] * 9, [*receipt[:3], rect(200, 0, 300, 10)])  # 3/9 found, 3/4 right
    assert busy.recall == pytest.approx(1 / 3)

    summary = dataset.summary()
    assert summary["recall"] == pytest.approx(4 / 10)  # summed: (1 + 3) / (1 + 9)
    assert summary["precision"] == pytest.approx(4 / 5)
    assert summary["hmean"] == pytest.approx(2 * 0.4 * 0.8 / 1.2)
    per_image_mean_recall = (1.0 + 1 / 3) / 2
    assert summary["recall"] != pytest.approx(per_image_mean_recall)
    assert (dataset.matched, dataset.n_gt, dataset.n_det, dataset.n_images) == (4, 10, 5, 2)


def test_dataset_score_handles_zero_denominators_and_reset():
    dataset = DatasetScore()
    assert dataset.summary() == {"precision": 0.0, "recall": 0.0, "hmean": 0.0}  # nothing evaluated yet
    dataset.accumulate([], [], [])
    assert dataset.summary() == {"precision": 1.0, "recall": 1.0, "hmean": 1.0}
    dataset.add(ImageScore(matched=0, n_gt=0, n_det=2, precision=0.0, recall=1.0, hmean=0.0))
    assert dataset.summary() == {"precision": 0.0, "recall": 1.0, "hmean": 0.0}
    dataset.reset()
    assert dataset.n_images == 0 and dataset.images == []


def test_many_words_evaluate_quickly_and_correctly():
    gt = [rect(10 * (i % 10), 12 * (i // 10), 10 * (i % 10) + 8, 12 * (i // 10) + 10) for i in range(200)]
    dets = [g + np.float32(0.3) for g in gt[::2]]
    score = evaluate_image(gt, [False] * 200, dets)
    assert score.matched == 100 and score.recall == 0.5 and score.precision == 1.0


def test_mismatched_ignore_flags_are_rejected():
    with pytest.raises(ValueError, match="ignore flags"):
        evaluate_image(WORDS, [False], [])

"""ICDAR 2015 detection metric (IoU protocol), as in MhLiao/DB ``concern/icdar2015_eval/detection/iou.py``.

Rules, per image:
- ground truth flagged don't-care (text ``###``) is never counted; a detection that lies more than 50% of its own
  area inside a don't-care region is dropped too (it found the unreadable text, which is neither right nor wrong);
- detections and care ground truth are matched one-to-one at IoU > ``iou_thresh``;
- precision = matched / care detections, recall = matched / care ground truth.
The dataset score sums matches and counts over all images (the ICDAR "method" score) rather than averaging
per-image values, which would let a one-word image weigh as much as a sixty-word receipt.

Matching is greedy by descending IoU (the reference walks ground truth in file order). With an IoU bar of 0.5 the
two agree whenever ground-truth words do not overlap, and the IoU order does not depend on annotation order.
Invalid polygons (self-intersecting) are repaired with ``buffer(0)``; ones with no area left are skipped, ground
truth and detections alike, just as the reference skips invalid polygons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

DONT_CARE_OVERLAP = 0.5


@dataclass(frozen=True)
class ImageScore:
    """One image: ``n_gt``/``n_det`` count care ground truth/detections, ``matches`` pairs input indices."""

    matched: int
    n_gt: int
    n_det: int
    precision: float
    recall: float
    hmean: float
    matches: tuple[tuple[int, int], ...] = ()  # (gt index, det index) in the caller's lists
    ignored_dets: tuple[int, ...] = ()  # detections dropped for covering don't-care text
    skipped_gt: tuple[int, ...] = ()  # ground truth with no usable area (degenerate polygons)
    skipped_dets: tuple[int, ...] = ()


def _rates(matched: int, n_gt: int, n_det: int) -> tuple[float, float, float]:
    """Precision, recall, hmean with the empty cases defined (nothing to find and nothing found is perfect)."""
    if n_gt == 0:
        recall = 1.0
        precision = 0.0 if n_det > 0 else 1.0
    else:
        recall = matched / n_gt
        precision = matched / n_det if n_det > 0 else 0.0
    hmean = 0.0 if precision + recall == 0 else 2.0 * precision * recall / (precision + recall)
    return precision, recall, hmean


def _to_geometry(points: np.ndarray | Sequence[Sequence[float]]) -> BaseGeometry | None:
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) < 3 or not np.isfinite(pts).all():
        return None
    shape: BaseGeometry = Polygon(pts)
    if not shape.is_valid:
        shape = shape.buffer(0)
    if shape.is_empty or shape.area <= 0:
        return None
    return shape


def _iou_matrix(gts: list[BaseGeometry], dets: list[BaseGeometry]) -> np.ndarray:
    """IoU of every (gt, det) pair, computing polygon intersections only where bounding boxes overlap."""
    iou = np.zeros((len(gts), len(dets)), dtype=np.float64)
    if not gts or not dets:
        return iou
    gt_arr, det_arr = np.array(gts, dtype=object), np.array(dets, dtype=object)
    gb, db = shapely.bounds(gt_arr), shapely.bounds(det_arr)
    overlap = (
        (gb[:, None, 0] < db[None, :, 2])
        & (db[None, :, 0] < gb[:, None, 2])
        & (gb[:, None, 1] < db[None, :, 3])
        & (db[None, :, 1] < gb[:, None, 3])
    )
    gi, di = np.nonzero(overlap)
    if len(gi) == 0:
        return iou
    inter = shapely.area(shapely.intersection(gt_arr[gi], det_arr[di]))
    union = shapely.area(gt_arr[gi]) + shapely.area(det_arr[di]) - inter
    iou[gi, di] = np.where(union > 0, inter / np.maximum(union, 1e-12), 0.0)
    return iou


def evaluate_image(
    gt_polys: Sequence[np.ndarray],
    gt_ignore: Sequence[bool],
    det_polys: Sequence[np.ndarray],
    iou_thresh: float = 0.5,
) -> ImageScore:
    """Score one image's detections against its ground truth (see the module docstring for the rules)."""
    if len(gt_polys) != len(gt_ignore):
        raise ValueError(f"evaluate_image got {len(gt_polys)} ground-truth polygons but {len(gt_ignore)} ignore flags")
    if not 0.0 <= iou_thresh < 1.0:
        raise ValueError(f"evaluate_image iou_thresh must be in [0, 1), got {iou_thresh}")

    gts, gt_index, care_gt, skipped_gt = [], [], [], []
    for i, (points, ignored) in enumerate(zip(gt_polys, gt_ignore, strict=True)):
        shape = _to_geometry(points)
        if shape is None:
            skipped_gt.append(i)
            continue
        gts.append(shape)
        gt_index.append(i)
        care_gt.append(not ignored)
    dets, det_index, skipped_dets = [], [], []
    for j, points in enumerate(det_polys):
        shape = _to_geometry(points)
        if shape is None:
            skipped_dets.append(j)
            continue
        dets.append(shape)
        det_index.append(j)

    iou = _iou_matrix(gts, dets)
    care_gt_mask = np.asarray(care_gt, dtype=bool)
    care_det_mask = np.ones(len(dets), dtype=bool)
    dont_care = [g for g, care in zip(gts, care_gt, strict=True) if not care]
    if dont_care and dets:
        # Fraction of each detection's own area that falls inside don't-care ground truth (each region separately).
        covered = _covered_fraction(dont_care, dets)
        care_det_mask = ~(covered > DONT_CARE_OVERLAP).any(axis=0)

    matches: list[tuple[int, int]] = []
    if care_gt_mask.any() and care_det_mask.any():
        candidate = iou * care_gt_mask[:, None] * care_det_mask[None, :]
        gi, di = np.nonzero(candidate > iou_thresh)
        order = np.argsort(-candidate[gi, di], kind="stable")
        used_gt, used_det = set(), set()
        for k in order:
            g, d = int(gi[k]), int(di[k])
            if g in used_gt or d in used_det:
                continue
            used_gt.add(g)
            used_det.add(d)
            matches.append((gt_index[g], det_index[d]))
    matches.sort()

    n_gt, n_det = int(care_gt_mask.sum()), int(care_det_mask.sum())
    precision, recall, hmean = _rates(len(matches), n_gt, n_det)
    return ImageScore(
        matched=len(matches),
        n_gt=n_gt,
        n_det=n_det,
        precision=precision,
        recall=recall,
        hmean=hmean,
        matches=tuple(matches),
        ignored_dets=tuple(det_index[d] for d in np.flatnonzero(~care_det_mask)),
        skipped_gt=tuple(skipped_gt),
        skipped_dets=tuple(skipped_dets),
    )


def _covered_fraction(regions: list[BaseGeometry], dets: list[BaseGeometry]) -> np.ndarray:
    """intersection(region, det) / area(det) for every pair."""
    region_arr, det_arr = np.array(regions, dtype=object), np.array(dets, dtype=object)
    inter = shapely.area(shapely.intersection(region_arr[:, None], det_arr[None, :]))
    return inter / np.maximum(shapely.area(det_arr)[None, :], 1e-12)


@dataclass
class DatasetScore:
    """Running ICDAR "method" score: matches and care counts summed over every image seen."""

    iou_thresh: float = 0.5
    matched: int = 0
    n_gt: int = 0
    n_det: int = 0
    n_images: int = 0
    images: list[ImageScore] = field(default_factory=list, repr=False)

    def accumulate(
        self, gt_polys: Sequence[np.ndarray], gt_ignore: Sequence[bool], det_polys: Sequence[np.ndarray]
    ) -> ImageScore:
        """Score one image, add it to the totals and return its own score."""
        score = evaluate_image(gt_polys, gt_ignore, det_polys, iou_thresh=self.iou_thresh)
        self.add(score)
        return score

    def add(self, score: ImageScore) -> None:
        """Add an already computed image score (e.g. gathered from another process)."""
        self.matched += score.matched
        self.n_gt += score.n_gt
        self.n_det += score.n_det
        self.n_images += 1
        self.images.append(score)

    def reset(self) -> None:
        self.matched = self.n_gt = self.n_det = self.n_images = 0
        self.images.clear()

    def summary(self) -> dict[str, float]:
        """``precision``, ``recall`` and ``hmean`` over the dataset; all 0.0 before any image is added."""
        if self.n_images == 0:
            return {"precision": 0.0, "recall": 0.0, "hmean": 0.0}
        precision, recall, hmean = _rates(self.matched, self.n_gt, self.n_det)
        return {"precision": precision, "recall": recall, "hmean": hmean}

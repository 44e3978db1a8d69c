"""Detection metrics: the ICDAR 2015 IoU protocol used for validation, testing and the dashboard."""

from ocr.metrics.icdar import DONT_CARE_OVERLAP, DatasetScore, ImageScore, evaluate_image

__all__ = ["DONT_CARE_OVERLAP", "DatasetScore", "ImageScore", "evaluate_image"]

"""Submission files of a predict run: JSON in the annotation format, and the ``filename,polygons`` CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np


def submission_dict(predictions: Iterable[Mapping[str, Any]], include_confidence: bool) -> dict[str, Any]:
    """``{"images": {file: {"width", "height", "words": {"0001": {"points": [...], "confidence"?}}}}}``."""
    images: dict[str, Any] = {}
    for item in predictions:
        words: dict[str, Any] = {}
        for index, detection in enumerate(item["detections"], start=1):
            word: dict[str, Any] = {"points": np.round(np.asarray(detection.points), 1).tolist()}
            if include_confidence:
                word["confidence"] = round(float(detection.score), 4)
            words[f"{index:04d}"] = word
        width, height = item["size"]
        images[item["filename"]] = {"width": width, "height": height, "words": words}
    return {"images": images}


def polygon_cell(polygons: Sequence[Sequence[Sequence[float]]]) -> str:
    """Coordinates "x y x y ..." per polygon, polygons joined by "|"."""
    return "|".join(" ".join(f"{value:g}" for point in polygon for value in point) for polygon in polygons)


def write_submission(folder: Path, submission: Mapping[str, Any], *, minified: bool) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "submission.json"
    csv_path = folder / "submission.csv"
    with json_path.open("w", encoding="utf-8") as handle:
        json.dump(submission, handle, ensure_ascii=False, indent=None if minified else 2,
                  separators=(",", ":") if minified else None)
    with csv_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["filename", "polygons"])
        for name, entry in submission["images"].items():
            writer.writerow([name, polygon_cell([word["points"] for word in entry["words"].values()])])
    return json_path, csv_path

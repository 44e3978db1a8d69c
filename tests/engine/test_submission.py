"""Predict's submission files: JSON in the annotation format and the filename,polygons CSV."""

import csv
import json

import numpy as np

from ocr.postprocess.db import Detection
from ocr.runners.submission import polygon_cell, submission_dict, write_submission


def _predictions():
    square = np.array([[1, 2], [11, 2], [11, 8], [1, 8]], dtype=np.float32)
    return [{"filename": "a.jpg", "size": (40, 30), "detections": [Detection(square, 0.91234)]},
            {"filename": "b.png", "size": (10, 10), "detections": []}]


def test_csv_joins_coordinates_with_spaces_and_polygons_with_bars():
    assert polygon_cell([[[1, 2], [3, 4]], [[5.5, 6], [7, 8]]]) == "1 2 3 4|5.5 6 7 8"


def test_submission_json_and_csv_are_written(tmp_path):
    submission = submission_dict(_predictions(), include_confidence=True)
    json_path, csv_path = write_submission(tmp_path, submission, minified=True)
    data = json.loads(json_path.read_text())
    expected = {"points": [[1, 2], [11, 2], [11, 8], [1, 8]], "confidence": 0.9123}
    assert data["images"]["a.jpg"]["words"]["0001"] == expected
    assert data["images"]["b.png"]["words"] == {}
    assert "\n" not in json_path.read_text()
    rows = list(csv.reader(csv_path.open()))
    assert rows == [["filename", "polygons"], ["a.jpg", "1 2 11 2 11 8 1 8"], ["b.png", ""]]


def test_confidence_is_left_out_unless_asked_for():
    submission = submission_dict(_predictions(), include_confidence=False)
    assert "confidence" not in submission["images"]["a.jpg"]["words"]["0001"]

"""The training progress line is a stable contract with the dashboard."""

import math

from ocr.runners.progress import format_progress, format_run_dir, parse_progress, parse_run_dir


def test_progress_line_round_trips_numbers_and_drops_missing_values():
    line = format_progress(epoch=3, max_epochs=20, step=120, total_steps=800, loss=0.8123, lr=1e-3,
                           **{"val/hmean": None})
    assert line.startswith("OCRW-PROGRESS ")
    assert parse_progress(line) == {"epoch": 3, "max_epochs": 20, "step": 120, "total_steps": 800, "loss": 0.8123,
                                    "lr": 0.001}


def test_metric_names_with_slashes_become_underscores():
    values = parse_progress(format_progress(**{"val/hmean": 0.91, "val/precision": 0.9}))
    assert values == {"val_hmean": 0.91, "val_precision": 0.9}


def test_progress_is_found_after_a_logging_prefix_and_other_lines_are_not_progress():
    assert parse_progress("[2026-12-01 20:00:00][ocr.progress][INFO] - OCRW-PROGRESS step=5 loss=nan")["step"] == 5
    assert math.isnan(parse_progress("OCRW-PROGRESS loss=nan")["loss"])
    assert parse_progress("Epoch 1: 100%|#####| loss=0.3") is None


def test_run_dir_line():
    assert parse_run_dir(format_run_dir("/tmp/out/run 1")) == "/tmp/out/run 1"
    assert parse_run_dir("something else") is None

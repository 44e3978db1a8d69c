"""A fresh install detects text with no training: the bundled checkpoint on the bundled samples."""

from pathlib import Path

import pytest

from ocr.checkpoints import read_sidecar
from ocr.data.annotations import load_annotations
from ocr.data.images import load_image
from ocr.evaluate import BUNDLED_CHECKPOINT, main
from ocr.inference.detector import TextDetector
from ocr.metrics.icdar import evaluate_image

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"


@pytest.fixture(scope="module")
def detector():
    return TextDetector.load(BUNDLED_CHECKPOINT, device="cpu")


def test_bundled_checkpoint_is_small_and_described_by_its_sidecar():
    assert BUNDLED_CHECKPOINT.stat().st_size <= 15 * 1024 * 1024
    sidecar = read_sidecar(BUNDLED_CHECKPOINT)
    assert sidecar["architecture"] == "dbnet_lite" and sidecar["metrics"]["val/hmean"] > 0.8


def test_bundled_checkpoint_finds_the_text_lines_of_a_bundled_sample(detector):
    annotations = load_annotations(SAMPLES / "annotations.json")
    name = sorted(annotations)[0]
    result = detector.detect(load_image(SAMPLES / "images" / name))
    truth = annotations[name]
    score = evaluate_image(truth.polygons, truth.ignore, result.polygons)
    assert score.hmean >= 0.8, score
    assert result.prob_map.ndim == 2 and set(result.timings) == {"preprocess", "forward", "postprocess"}


def test_evaluate_command_ends_with_the_metric_line(capsys, tmp_path):
    report = tmp_path / "report.json"
    assert main(["--images", str(SAMPLES / "images"), "--annotations", str(SAMPLES / "annotations.json"),
                 "--json", str(report)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    fields = dict(item.split("=") for item in last.split())
    assert list(fields) == ["hmean", "precision", "recall", "images"] and fields["images"] == "12"
    assert float(fields["hmean"]) >= 0.8 and report.is_file()


def test_evaluate_command_reports_a_missing_annotation_file_in_one_line(capsys, tmp_path):
    assert main(["--images", str(SAMPLES / "images"), "--annotations", str(tmp_path / "missing.json")]) == 2
    error = capsys.readouterr().err
    assert "missing.json" in error and error.count("\n") == 1


REAL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "receipts-real"


@pytest.mark.slow
@pytest.mark.skipif(not (REAL / "annotations.json").is_file(), reason="../shared/data/receipts-real is not present")
def test_bundled_checkpoint_carries_over_to_real_scanned_receipts(capsys):
    """Trained on synthetic receipts only; the real SROIE set measures how well that carries over (>= 0.80)."""
    assert main(["--images", str(REAL / "images"), "--annotations", str(REAL / "annotations.json")]) == 0
    fields = dict(item.split("=") for item in capsys.readouterr().out.strip().splitlines()[-1].split())
    assert fields["images"] == "79" and float(fields["hmean"]) >= 0.80

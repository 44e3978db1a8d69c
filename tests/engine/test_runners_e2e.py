"""A tiny train -> test -> predict run through the real Hydra runners (seconds, on the bundled samples)."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ocr.checkpoints import read_sidecar
from ocr.runners.progress import parse_progress, parse_run_dir

ROOT = Path(__file__).resolve().parents[2]
TINY = ["trainer=tiny", "data=samples", "data.image_size=320", "data.train_crop=128",
        "data.augment.scale_range=[1.0,2.0]"]


def run(module: str, *overrides: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("OCRW_OUTPUTS", None)
    return subprocess.run([sys.executable, "-m", module, *overrides], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def run_dir_of(result: subprocess.CompletedProcess) -> Path:
    return Path(next(d for line in result.stdout.splitlines() if (d := parse_run_dir(line))))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """A folder outside the repo: relative paths must resolve against it, the command's start folder."""
    folder = tmp_path_factory.mktemp("start")
    (folder / "samples").symlink_to(ROOT / "data" / "samples")
    return folder


@pytest.fixture(scope="module")
def trained(workspace):
    result = run("ocr.train", *TINY, "exp_name=tiny e2e", "outputs_dir=runs",
                 "data.train_images=samples/images", "data.train_annotations=samples/annotations.json",
                 "data.val_images=samples/images", "data.val_annotations=samples/annotations.json", cwd=workspace)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_training_writes_the_run_folder_checkpoints_sidecars_and_progress_lines(trained, workspace):
    folder = run_dir_of(trained)
    assert folder.parent == workspace / "runs" and folder.name.endswith("_tiny_e2e")
    assert (folder / ".hydra" / "config.yaml").is_file() and (folder / "train.log").is_file()
    for kind in ("best", "last"):
        sidecar = read_sidecar(folder / "checkpoints" / f"{kind}.ckpt")
        assert sidecar["kind"] == kind and sidecar["architecture"] == "dbnet_lite"
        assert sidecar["components"]["encoder"] == "mobilenetv3_large" and sidecar["epoch"] == 1
        assert "val/hmean" in sidecar["metrics"] and sidecar["model_config"]["decoder"]["name"] == "fpn"
    progress = [values for line in trained.stdout.splitlines() + trained.stderr.splitlines()
                if (values := parse_progress(line))]
    assert progress and {"epoch", "step", "total_steps", "loss", "lr"} <= set(progress[0])
    assert "val_hmean" in progress[-1]


@pytest.mark.slow
def test_test_runner_prints_the_metric_line(trained, workspace):
    best = run_dir_of(trained) / "checkpoints" / "best.ckpt"
    result = run("ocr.test", *TINY, f"checkpoint={best}", "outputs_dir=runs",
                 "data.test_images=samples/images", "data.test_annotations=samples/annotations.json", cwd=workspace)
    assert result.returncode == 0, result.stderr[-3000:]
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("hmean=") and last.endswith("images=12")
    assert json.loads((run_dir_of(result) / "metrics.json").read_text())["images"] == 12


@pytest.mark.slow
def test_predict_runner_writes_submission_json_and_csv(trained, workspace):
    best = run_dir_of(trained) / "checkpoints" / "best.ckpt"
    result = run("ocr.predict", *TINY, f"checkpoint={best}", "image_dir=samples/images", "max_images=3",
                 "outputs_dir=runs", "include_confidence=true", cwd=workspace)
    assert result.returncode == 0, result.stderr[-3000:]
    submissions = run_dir_of(result) / "submissions"
    data = json.loads((submissions / "submission.json").read_text())
    assert len(data["images"]) == 3
    rows = list(csv.reader((submissions / "submission.csv").open()))
    assert rows[0] == ["filename", "polygons"] and len(rows) == 4


@pytest.mark.slow
def test_a_corrupt_checkpoint_is_one_clear_line_not_a_traceback(workspace):
    broken = workspace / "broken.ckpt"
    broken.write_bytes(b"PK\x03\x04 half written")
    result = run("ocr.test", *TINY, "checkpoint=broken.ckpt", "outputs_dir=runs", cwd=workspace)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"error: {broken}: " in result.stderr and "corrupt" in result.stderr


@pytest.mark.slow
def test_an_empty_image_folder_is_reported(workspace):
    (workspace / "empty").mkdir(exist_ok=True)
    result = run("ocr.predict", *TINY, "image_dir=empty", "outputs_dir=runs",
                 f"checkpoint={ROOT / 'data' / 'checkpoints' / 'dbnet_lite_synth.ckpt'}", cwd=workspace)
    assert result.returncode == 2 and "no images in this folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_an_unreadable_image_is_named_in_one_line(workspace):
    folder = workspace / "broken_images"
    folder.mkdir(exist_ok=True)
    (folder / "receipt.jpg").write_text("this is not a JPEG")
    result = run("ocr.predict", *TINY, "image_dir=broken_images", "outputs_dir=runs",
                 f"checkpoint={ROOT / 'data' / 'checkpoints' / 'dbnet_lite_synth.ckpt'}", cwd=workspace)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "receipt.jpg" in result.stderr.strip().splitlines()[-1]

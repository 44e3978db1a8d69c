"""The one checkpoint reader: good files load, bad files give one line naming the file and the problem."""

import pytest
import torch

from ocr.checkpoints import (
    load_checkpoint,
    load_weights,
    make_sidecar,
    read_sidecar,
    sidecar_path,
    write_sidecar,
)
from ocr.errors import CheckpointError
from ocr.models.detector import build_model
from ocr.models.registry import preset_model_config

LITE = preset_model_config("dbnet_lite")


def _save(path, model_config=LITE, **extra):
    model = build_model(model_config)
    state = {f"model.{key}": value for key, value in model.state_dict().items()}
    torch.save({"state_dict": state, "hyper_parameters": {"model_config": model_config, "image_size": 640},
                "epoch": 3, "global_step": 30, **extra}, path)
    return path


def test_a_saved_checkpoint_loads_with_its_model_config(tmp_path):
    loaded = load_checkpoint(_save(tmp_path / "best.ckpt"))
    assert loaded.model_config["architecture"] == "dbnet_lite"
    assert (loaded.epoch, loaded.step, loaded.image_size) == (3, 30, 640)
    assert not loaded.has_training_state
    load_weights(build_model(LITE), loaded, LITE)


def test_sidecar_round_trip_without_torch(tmp_path):
    checkpoint = tmp_path / "best.ckpt"
    checkpoint.write_bytes(b"x")
    sidecar = make_sidecar(LITE, epoch=2, step=20, metrics={"val/hmean": 0.5}, kind="best", exp_name="e",
                           run_dir=str(tmp_path), image_size=960)
    write_sidecar(checkpoint, sidecar)
    assert sidecar_path(checkpoint).name == "best.ckpt.meta.json"
    data = read_sidecar(checkpoint)
    assert data["components"] == {"encoder": "mobilenetv3_large", "decoder": "fpn", "head": "db_head",
                                  "loss": "db_loss"}
    assert data["metrics"] == {"val/hmean": 0.5} and data["epoch"] == 2
    assert read_sidecar(tmp_path / "other.ckpt") is None


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"", "empty"), (b"not a zip at all", "half-written / corrupt"), (None, "not found")],
)
def test_broken_checkpoint_files_give_one_clear_line(tmp_path, content, problem):
    path = tmp_path / "broken.ckpt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CheckpointError) as error:
        load_checkpoint(path)
    message = str(error.value)
    assert "broken.ckpt" in message and problem in message and "\n" not in message


def test_a_truncated_checkpoint_is_reported_as_corrupt(tmp_path):
    good = _save(tmp_path / "good.ckpt").read_bytes()
    half = tmp_path / "half.ckpt"
    half.write_bytes(good[: len(good) // 2])
    with pytest.raises(CheckpointError, match=r"half\.ckpt"):
        load_checkpoint(half)


def test_a_checkpoint_of_another_architecture_is_refused_with_both_names(tmp_path):
    loaded = load_checkpoint(_save(tmp_path / "lite.ckpt"))
    dbnet = preset_model_config("dbnet")
    with pytest.raises(CheckpointError) as error:
        load_weights(build_model(dbnet), loaded, dbnet)
    message = str(error.value)
    assert "dbnet_lite (mobilenetv3_large" in message and "chosen is dbnet (resnet18" in message


def test_a_file_without_state_dict_is_not_a_checkpoint(tmp_path):
    path = tmp_path / "weights.ckpt"
    torch.save({"something": 1}, path)
    with pytest.raises(CheckpointError, match="no state_dict"):
        load_checkpoint(path)

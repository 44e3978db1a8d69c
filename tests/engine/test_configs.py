"""Every override the Command Builder offers composes, and takes effect in the config and the built model."""

from pathlib import Path

import pytest
import torch
import yaml
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

import ocr.runners.common  # noqa: F401  (registers the ocrw_slug resolver used by hydra.run.dir)
from ocr.models.decoders.fpn import FPN
from ocr.models.decoders.unet import UNet
from ocr.models.detector import build_model
from ocr.models.encoders.mobilenetv3 import MobileNetV3
from ocr.models.encoders.resnet import ResNet
from ocr.models.registry import ARCHITECTURES, DECODERS, ENCODERS, HEADS, LOSSES, preset_model_config
from ocr.runners.common import slug
from ocr.training.optim import build_optimizer

CONFIGS = Path(__file__).resolve().parents[2] / "configs"
ENCODER_TYPES = {"resnet18": ResNet, "resnet34": ResNet, "mobilenetv3_large": MobileNetV3,
                 "mobilenetv3_small": MobileNetV3}
DECODER_TYPES = {"fpn": FPN, "unet": UNet}


def options(group: str) -> list[str]:
    return sorted(path.stem for path in (CONFIGS / group).glob("*.yaml"))


@pytest.fixture(scope="module")
def hydra_compose():
    with initialize_config_dir(str(CONFIGS), version_base="1.3"):
        yield lambda name, overrides=(): compose(name, overrides=list(overrides))


def test_config_groups_offer_exactly_the_registry_components():
    assert options("model/architecture") == sorted(ARCHITECTURES)
    assert options("model/encoder") == sorted(ENCODERS.names())
    assert options("model/decoder") == sorted(DECODERS.names())
    assert options("model/head") == sorted(HEADS.names())
    assert options("model/loss") == sorted(LOSSES.names())


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
def test_architecture_configs_equal_the_registry_presets(hydra_compose, architecture):
    cfg = hydra_compose("train", [f"model/architecture={architecture}"])
    assert OmegaConf.to_container(cfg.model) == preset_model_config(architecture)


@pytest.mark.parametrize("encoder", sorted(ENCODERS.names()))
@pytest.mark.parametrize("decoder", sorted(DECODERS.names()))
def test_component_overrides_change_the_built_model(hydra_compose, encoder, decoder):
    cfg = hydra_compose("train", [f"model/encoder={encoder}", f"model/decoder={decoder}"])
    model = build_model(OmegaConf.to_container(cfg.model))
    assert isinstance(model.encoder, ENCODER_TYPES[encoder])
    assert isinstance(model.decoder, DECODER_TYPES[decoder])


def test_every_combination_the_ui_metadata_allows_builds(hydra_compose):
    for meta_file in sorted((CONFIGS / "ui" / "architectures").glob("*.yaml")):
        meta = yaml.safe_load(meta_file.read_text())
        allowed = meta["compatible"]
        for encoder in allowed["encoder"]:
            for decoder in allowed["decoder"]:
                overrides = [f"model/architecture={meta_file.stem}", f"model/encoder={encoder}",
                             f"model/decoder={decoder}", f"model/head={allowed['head'][0]}",
                             f"model/loss={allowed['loss'][0]}"]
                model = build_model(OmegaConf.to_container(hydra_compose("train", overrides).model))
                with torch.inference_mode():
                    out = model.eval()(torch.zeros(1, 3, 64, 96))
                assert out["prob"].shape == (1, 1, 64, 96), overrides


@pytest.mark.parametrize("optimizer", ["adam", "adamw", "sgd"])
def test_optimizer_choice_and_learning_rate_take_effect(hydra_compose, optimizer):
    cfg = hydra_compose("train", [f"optimizer={optimizer}", "optimizer.lr=0.0123", "optimizer.weight_decay=0.001"])
    built = build_optimizer([torch.nn.Parameter(torch.zeros(1))], OmegaConf.to_container(cfg.optimizer))
    assert type(built).__name__.lower() == optimizer
    assert built.param_groups[0]["lr"] == pytest.approx(0.0123)
    assert built.param_groups[0]["weight_decay"] == pytest.approx(0.001)


@pytest.mark.parametrize("profile", ["none", "scan_cleanup", "photo_document", "binarized"])
def test_preprocessing_profiles_compose_into_pipeline_steps(hydra_compose, profile):
    from ocr.preprocessing.pipeline import pipeline_from_config

    cfg = hydra_compose("train", [f"preprocessing={profile}"])
    assert cfg.preprocessing.name == profile
    steps = pipeline_from_config(OmegaConf.to_container(cfg.preprocessing.steps))
    assert (len(steps) == 0) == (profile == "none")


def test_trainer_and_data_overrides_pass_straight_through(hydra_compose):
    overrides = ["trainer.devices=2", "trainer.accelerator=gpu", "trainer.strategy=ddp", "trainer.num_nodes=3",
                 "trainer.precision=bf16-mixed", "trainer.max_epochs=7", "trainer.accumulate_grad_batches=4",
                 "trainer.gradient_clip_val=1.5", "data.batch_size=16", "seed=5", "data=samples",
                 "logger.wandb.enabled=true", "resume=outputs/x/checkpoints/last.ckpt"]
    cfg = hydra_compose("train", overrides)
    from ocr.runners.common import trainer_kwargs

    kwargs = trainer_kwargs(cfg)
    assert kwargs["devices"] == 2 and kwargs["accelerator"] == "gpu" and kwargs["strategy"] == "ddp"
    assert kwargs["num_nodes"] == 3 and kwargs["precision"] == "bf16-mixed" and kwargs["max_epochs"] == 7
    assert kwargs["accumulate_grad_batches"] == 4 and kwargs["gradient_clip_val"] == 1.5
    assert "limit_train_batches" not in kwargs  # nulls fall back to Lightning's defaults
    assert cfg.data.name == "samples" and cfg.data.batch_size == 16 and cfg.seed == 5
    assert cfg.logger.wandb.enabled is True and cfg.resume.endswith("last.ckpt")


@pytest.mark.parametrize("runner", ["test", "predict"])
def test_evaluation_runners_take_checkpoint_and_postprocess_overrides(hydra_compose, runner):
    overrides = ["checkpoint=outputs/run/checkpoints/best.ckpt", "postprocess.thresh=0.25",
                 "postprocess.box_thresh=0.5", "postprocess.unclip_ratio=2.0", "postprocess.max_candidates=2000",
                 "postprocess.min_size=1", "postprocess.use_polygon=true", "model/encoder=resnet34"]
    if runner == "predict":
        overrides += ["image_dir=some/folder", "include_confidence=true", "minified_json=true"]
    cfg = hydra_compose(runner, overrides)
    assert cfg.checkpoint == "outputs/run/checkpoints/best.ckpt"
    assert dict(cfg.postprocess) == {"thresh": 0.25, "box_thresh": 0.5, "unclip_ratio": 2.0,
                                     "max_candidates": 2000, "min_size": 1, "use_polygon": True}
    assert cfg.model.encoder.name == "resnet34"


def test_experiment_names_become_safe_folder_names():
    assert slug("my run/ü") == "my_run_ü"
    assert slug("../..") == "run"
    assert slug("a" * 200) == "a" * 80

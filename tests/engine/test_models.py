"""Specification of the DBNet model zoo: registries, presets, encoders, decoders, head, loss and the builders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from ocr.errors import ConfigError
from ocr.models.decoders.fpn import FPN
from ocr.models.decoders.unet import UNet
from ocr.models.detector import DBNet, build_loss, build_model, count_parameters
from ocr.models.encoders.mobilenetv3 import MobileNetV3
from ocr.models.encoders.resnet import ResNet
from ocr.models.heads.db_head import DBHead
from ocr.models.losses.db_loss import DBLoss
from ocr.models.registry import (
    ARCHITECTURES,
    DECODERS,
    ENCODERS,
    HEADS,
    LOSSES,
    ArchitecturePreset,
    preset_model_config,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
HEIGHT, WIDTH = 128, 96  # non-square on purpose: catches swapped H/W anywhere in the stack

ENCODER_TYPES = {
    "resnet18": (ResNet, {"depth": 18}),
    "resnet34": (ResNet, {"depth": 34}),
    "mobilenetv3_large": (MobileNetV3, {"variant": "large"}),
    "mobilenetv3_small": (MobileNetV3, {"variant": "small"}),
}
DECODER_TYPES = {"fpn": FPN, "unet": UNet}


@pytest.fixture(autouse=True)
def _deterministic_single_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    yield
    torch.set_num_threads(threads)


def _targets(batch: int = 2, height: int = HEIGHT, width: int = WIDTH, with_text: bool = True) -> dict:
    prob_map = torch.zeros(batch, height, width)
    thresh_map = torch.full((batch, height, width), 0.3)
    thresh_mask = torch.zeros(batch, height, width)
    if with_text:
        prob_map[:, 40:56, 10:80] = 1.0  # one "word" per image
        thresh_map[:, 36:60, 6:84] = 0.7
        thresh_mask[:, 36:60, 6:84] = 1.0
    return {
        "prob_map": prob_map,
        "prob_mask": torch.ones(batch, height, width),
        "thresh_map": thresh_map,
        "thresh_mask": thresh_mask,
    }


def _model_cfg(encoder: str, decoder: str, inner_channels: int = 32) -> dict:
    return {
        "architecture": "custom",
        "encoder": {"name": encoder},
        "decoder": {"name": decoder, "inner_channels": inner_channels},
        "head": {"name": "db_head", "k": 50},
        "loss": {"name": "db_loss", "alpha": 1.0, "beta": 10.0, "ohem_ratio": 3.0},
    }


# --- registry and presets -------------------------------------------------------------------------------------


def test_registry_import_does_not_pull_in_torch():
    code = (
        "import sys\n"
        "from ocr.models.registry import ARCHITECTURES, DECODERS, ENCODERS, HEADS, LOSSES, preset_model_config\n"
        "ENCODERS.names(); DECODERS.names(); HEADS.names(); LOSSES.names()\n"
        "[preset_model_config(name) for name in ARCHITECTURES]\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_registries_list_the_contract_names_in_ui_order():
    assert ENCODERS.names() == ["resnet18", "resnet34", "mobilenetv3_large", "mobilenetv3_small"]
    assert DECODERS.names() == ["fpn", "unet"]
    assert HEADS.names() == ["db_head"]
    assert LOSSES.names() == ["db_loss"]


def test_unknown_component_name_is_a_config_error_listing_the_choices():
    with pytest.raises(ConfigError, match=r"unknown encoder 'resnet50'; choose one of: resnet18, resnet34"):
        ENCODERS.build("resnet50")
    with pytest.raises(ConfigError, match="unknown decoder 'bifpn'"):
        build_model(_model_cfg("resnet18", "bifpn"))
    with pytest.raises(ConfigError, match="unknown loss 'focal'"):
        build_loss({"loss": {"name": "focal"}})


def test_unknown_preset_is_a_config_error_listing_the_presets():
    with pytest.raises(ConfigError, match=r"unknown architecture 'dbnet_huge'; choose one of: dbnet, dbnet_lite"):
        preset_model_config("dbnet_huge")


def test_preset_with_a_typo_in_a_component_fails_when_defined():
    with pytest.raises(ConfigError, match="unknown encoder 'resnet81'"):
        ArchitecturePreset(name="typo", description="", encoder="resnet81", decoder="fpn")


def test_unexpected_keyword_argument_names_the_component():
    cfg = _model_cfg("resnet18", "fpn")
    cfg["encoder"]["width_mult"] = 0.5  # a MobileNet knob given to a ResNet
    with pytest.raises(ConfigError, match=r"encoder 'resnet18'.*width_mult.*accepted arguments: zero_init_residual"):
        build_model(cfg)


def test_bad_keyword_value_names_the_component():
    cfg = _model_cfg("mobilenetv3_small", "fpn")
    cfg["encoder"]["width_mult"] = 0.0
    with pytest.raises(ConfigError, match=r"encoder 'mobilenetv3_small': width_mult must be"):
        build_model(cfg)


def test_explicit_in_channels_that_contradict_the_encoder_are_rejected():
    cfg = _model_cfg("resnet18", "fpn")
    cfg["decoder"]["in_channels"] = [24, 40, 112, 160]
    with pytest.raises(ConfigError, match=r"decoder 'fpn': in_channels=.*does not match 'resnet18'"):
        build_model(cfg)
    cfg = _model_cfg("resnet18", "fpn", inner_channels=32)
    cfg["head"]["in_channels"] = 64
    with pytest.raises(ConfigError, match=r"head 'db_head': in_channels=64 does not match 'fpn'"):
        build_model(cfg)


def test_preset_model_config_follows_the_contract_shape_and_is_a_fresh_copy():
    cfg = preset_model_config("dbnet")
    assert cfg == {
        "architecture": "dbnet",
        "encoder": {"name": "resnet18"},
        "decoder": {"name": "fpn", "inner_channels": 256},
        "head": {"name": "db_head", "k": 50.0},
        "loss": {"name": "db_loss", "alpha": 1.0, "beta": 10.0, "ohem_ratio": 3.0},
    }
    cfg["decoder"]["inner_channels"] = 8
    assert preset_model_config("dbnet")["decoder"]["inner_channels"] == 256
    lite = ARCHITECTURES["dbnet_lite"]
    assert lite.components == {"encoder": "mobilenetv3_large", "decoder": "fpn", "head": "db_head", "loss": "db_loss"}
    assert preset_model_config("dbnet_lite")["decoder"]["inner_channels"] == 64


def test_missing_sections_fall_back_to_the_named_preset():
    model = build_model({"architecture": "dbnet_lite"})
    assert isinstance(model.encoder, MobileNetV3) and model.encoder.variant == "large"
    assert isinstance(build_loss({"architecture": "dbnet_lite"}), DBLoss)
    with pytest.raises(ConfigError, match="no 'encoder' section"):
        build_model({"architecture": "custom"})


def test_hydra_style_configs_build_like_plain_dicts():
    omegaconf = pytest.importorskip("omegaconf")
    cfg = omegaconf.OmegaConf.create(_model_cfg("mobilenetv3_small", "unet", inner_channels=16))
    model = build_model(cfg)
    assert isinstance(model.decoder, UNet) and model.decoder.out_channels == 16


# --- encoders, decoders, head ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ENCODERS.names())
def test_encoder_returns_four_stages_at_strides_4_to_32(name):
    encoder = ENCODERS.build(name).eval()
    with torch.no_grad():
        features = encoder(torch.randn(1, 3, HEIGHT, WIDTH))
    assert [f.shape[1] for f in features] == encoder.out_channels
    assert [tuple(f.shape[-2:]) for f in features] == [(HEIGHT // s, WIDTH // s) for s in (4, 8, 16, 32)]


def test_encoders_have_the_published_stage_widths():
    assert ENCODERS.build("resnet18").out_channels == [64, 128, 256, 512]
    assert ENCODERS.build("resnet34").out_channels == [64, 128, 256, 512]
    assert ENCODERS.build("mobilenetv3_large").out_channels == [24, 40, 112, 160]
    assert ENCODERS.build("mobilenetv3_small").out_channels == [16, 24, 48, 96]
    assert ENCODERS.build("mobilenetv3_large", width_mult=0.5).out_channels == [16, 24, 56, 80]


def test_resnet_depths_have_the_standard_block_counts():
    assert [len(stage) for stage in ENCODERS.build("resnet18").stages] == [2, 2, 2, 2]
    assert [len(stage) for stage in ENCODERS.build("resnet34").stages] == [3, 4, 6, 3]


@pytest.mark.parametrize("name", DECODERS.names())
def test_decoder_fuses_to_inner_channels_at_stride_4(name):
    in_channels = [16, 24, 48, 96]
    decoder = DECODERS.build(name, in_channels=in_channels, inner_channels=32)
    features = [torch.randn(2, c, HEIGHT // s, WIDTH // s) for c, s in zip(in_channels, (4, 8, 16, 32), strict=True)]
    assert decoder.out_channels == 32
    assert decoder(features).shape == (2, 32, HEIGHT // 4, WIDTH // 4)


def test_db_head_upsamples_x4_and_starts_with_a_low_probability_map():
    head = DBHead(in_channels=32).eval()
    with torch.no_grad():
        out = head(torch.randn(2, 32, HEIGHT // 4, WIDTH // 4))
    assert set(out) == {"prob", "thresh", "binary"}
    assert all(value.shape == (2, 1, HEIGHT, WIDTH) for value in out.values())
    assert float(out["prob"].mean()) < 0.3
    expected_binary = 1.0 / (1.0 + torch.exp(-50.0 * (out["prob"] - out["thresh"])))
    torch.testing.assert_close(out["binary"], expected_binary)


# --- every combination end to end -----------------------------------------------------------------------------


@pytest.mark.parametrize("decoder_name", DECODERS.names())
@pytest.mark.parametrize("encoder_name", ENCODERS.names())
@pytest.mark.parametrize("head_name", HEADS.names())
@pytest.mark.parametrize("loss_name", LOSSES.names())
def test_every_component_combination_trains_one_step(encoder_name, decoder_name, head_name, loss_name):
    cfg = _model_cfg(encoder_name, decoder_name)
    cfg["head"]["name"], cfg["loss"]["name"] = head_name, loss_name
    model, loss_fn = build_model(cfg), build_loss(cfg)

    encoder_type, encoder_attrs = ENCODER_TYPES[encoder_name]
    assert isinstance(model, DBNet) and isinstance(model.encoder, encoder_type)
    assert all(getattr(model.encoder, key) == value for key, value in encoder_attrs.items())
    assert isinstance(model.decoder, DECODER_TYPES[decoder_name])
    assert model.decoder.in_channels == model.encoder.out_channels
    assert isinstance(model.head, DBHead) and model.head.in_channels == model.decoder.out_channels == 32
    assert isinstance(loss_fn, DBLoss)

    out = model(torch.randn(2, 3, HEIGHT, WIDTH))
    assert set(out) == {"prob", "thresh", "binary"}
    assert all(value.shape == (2, 1, HEIGHT, WIDTH) for value in out.values())

    losses = loss_fn(out, _targets())
    assert set(losses) == {"loss", "loss_prob", "loss_thresh", "loss_binary"}
    assert all(torch.isfinite(value) for value in losses.values())
    losses["loss"].backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    assert model.encoder.stem[0].weight.grad.abs().sum() > 0  # the loss reaches the first layer


@pytest.mark.parametrize("preset", list(ARCHITECTURES))
def test_every_preset_builds_and_predicts_full_resolution_maps(preset):
    model = build_model(preset_model_config(preset)).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 64, 96))
    assert all(value.shape == (1, 1, 64, 96) for value in out.values())
    assert 0.0 <= float(out["prob"].min()) and float(out["prob"].max()) <= 1.0


def test_input_sides_not_divisible_by_32_still_map_back_to_input_pixels():
    model = build_model(preset_model_config("dbnet_lite")).eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 70, 50))
    assert all(value.shape == (1, 1, 70, 50) for value in out.values())


def test_lite_preset_is_far_smaller_than_dbnet():
    lite = count_parameters(build_model(preset_model_config("dbnet_lite")))
    full = count_parameters(build_model(preset_model_config("dbnet")))
    assert lite < 3_000_000
    assert lite * 5 < full


def test_count_parameters_can_skip_frozen_weights():
    model = build_model(_model_cfg("mobilenetv3_small", "fpn"))
    total = count_parameters(model)
    for p in model.encoder.parameters():
        p.requires_grad_(False)
    assert count_parameters(model, trainable_only=True) == total - count_parameters(model.encoder)


# --- loss -----------------------------------------------------------------------------------------------------


def _prediction(prob: torch.Tensor, thresh: torch.Tensor | None = None) -> dict:
    prob = prob.clone().requires_grad_(True)
    thresh = torch.full_like(prob, 0.3) if thresh is None else thresh
    return {"prob": prob, "thresh": thresh, "binary": torch.sigmoid(50.0 * (prob - thresh))}


def test_loss_rewards_predictions_that_match_the_targets():
    batch = _targets()
    gt = batch["prob_map"].unsqueeze(1)
    loss_fn = DBLoss()
    good = loss_fn(_prediction(gt * 0.98 + 0.01, batch["thresh_map"].unsqueeze(1)), batch)
    bad = loss_fn(_prediction(1.0 - gt * 0.98 - 0.01), batch)
    assert good["loss"] < 0.1 < bad["loss"]
    for key in ("loss_prob", "loss_binary", "loss_thresh"):
        assert good[key] < bad[key]


def test_loss_total_is_prob_plus_alpha_binary_plus_beta_thresh():
    batch = _targets()
    pred = _prediction(torch.rand(2, 1, HEIGHT, WIDTH))
    out = DBLoss(alpha=2.0, beta=5.0)(pred, batch)
    torch.testing.assert_close(out["loss"], out["loss_prob"] + 2.0 * out["loss_binary"] + 5.0 * out["loss_thresh"])


def test_ohem_counts_positives_and_only_the_three_times_as_many_hardest_negatives():
    batch = _targets(batch=1, height=8, width=8, with_text=False)
    batch["prob_map"][0, 0, 0] = 1.0
    prob = torch.full((1, 1, 8, 8), 0.05)
    prob[0, 0, 0, 0] = 0.9
    prob[0, 0, 1, :3] = 0.8  # the three hardest negatives
    loss_fn = DBLoss(min_negatives=0)
    base = loss_fn(_prediction(prob), batch)["loss_prob"]
    easier = prob.clone()
    easier[0, 0, 5, 5] = 0.5  # still easier than the top three: must not change the loss
    assert loss_fn(_prediction(easier), batch)["loss_prob"] == pytest.approx(float(base))
    expected = (-torch.log(torch.tensor(0.9)) - 3 * torch.log(torch.tensor(0.2))) / 4
    assert float(base) == pytest.approx(float(expected), rel=1e-4)


def test_loss_on_a_batch_without_text_is_finite_and_still_pushes_false_positives_down():
    batch = _targets(with_text=False)
    prob = torch.full((2, 1, HEIGHT, WIDTH), 0.05)
    prob[0, 0, 10:20, 10:20] = 0.9  # a confident false positive on a text-free receipt
    pred = _prediction(prob)
    out = DBLoss()(pred, batch)
    assert all(torch.isfinite(value) for value in out.values())
    out["loss"].backward()
    assert torch.isfinite(pred["prob"].grad).all()
    assert (pred["prob"].grad[0, 0, 10:20, 10:20] > 0).all()  # gradient descent lowers the false positive


def test_loss_with_everything_masked_out_is_finite_without_nan_gradients():
    batch = {key: torch.zeros(2, HEIGHT, WIDTH) for key in ("prob_map", "prob_mask", "thresh_map", "thresh_mask")}
    pred = _prediction(torch.rand(2, 1, HEIGHT, WIDTH))
    out = DBLoss()(pred, batch)
    assert all(torch.isfinite(value) for value in out.values())
    out["loss"].backward()
    assert torch.isfinite(pred["prob"].grad).all()


def test_loss_on_a_text_free_model_output_backpropagates_into_the_model():
    cfg = _model_cfg("mobilenetv3_small", "fpn", inner_channels=16)
    model = build_model(cfg)
    out = build_loss(cfg)(model(torch.randn(2, 3, 64, 64)), _targets(height=64, width=64, with_text=False))
    assert torch.isfinite(out["loss"])
    out["loss"].backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)


def test_loss_rejects_targets_of_the_wrong_size():
    pred = _prediction(torch.rand(2, 1, HEIGHT, WIDTH))
    with pytest.raises(ValueError, match=r"prob_map has shape \(2, 64, 64\)"):
        DBLoss()(pred, _targets(height=64, width=64))


def test_loss_hyperparameters_are_range_checked_as_config_errors():
    with pytest.raises(ConfigError, match="loss 'db_loss': ohem_ratio must be positive"):
        build_loss({"loss": {"name": "db_loss", "ohem_ratio": 0}})


def test_model_modules_are_plain_torch():
    model = build_model(preset_model_config("dbnet_lite"))
    assert all(type(m).__module__.startswith(("torch.nn", "ocr.models")) for m in model.modules())
    assert isinstance(model, nn.Module)

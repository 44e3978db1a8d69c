"""The DBNet detector assembled from registry components, and its builders from a ``model_cfg`` mapping.

``model_cfg`` looks like ``{"architecture": "dbnet", "encoder": {"name": "resnet18"}, "decoder": {"name": "fpn",
"inner_channels": 256}, "head": {"name": "db_head", "k": 50}, "loss": {"name": "db_loss"}}``. Each section's keys
other than ``name`` are the component's keyword arguments. A missing section falls back to the named
architecture preset, so ``{"architecture": "dbnet_lite"}`` alone is enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import torch.nn.functional as F
from torch import Tensor, nn

from ocr.errors import ConfigError
from ocr.models.registry import ARCHITECTURES, COMPONENT_REGISTRIES, DECODERS, ENCODERS, HEADS, LOSSES


class DBNet(nn.Module):
    """encoder -> decoder (stride 4) -> head; returns ``prob``, ``thresh``, ``binary`` at the input resolution."""

    def __init__(self, encoder: nn.Module, decoder: nn.Module, head: nn.Module) -> None:
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.head = head

    def forward(self, images: Tensor) -> dict[str, Tensor]:
        out = self.head(self.decoder(self.encoder(images)))
        size = images.shape[-2:]
        if out["prob"].shape[-2:] != size:
            # Only for sides that are not multiples of 4; letterboxed inputs (multiples of 32) never get here.
            out = {key: F.interpolate(v, size=size, mode="bilinear", align_corners=False) for key, v in out.items()}
        return out


def build_model(model_cfg: Mapping[str, Any]) -> DBNet:
    """Builds the detector; unknown names or bad keyword arguments raise ConfigError naming the component."""
    encoder_name, encoder_kwargs = _section(model_cfg, "encoder")
    decoder_name, decoder_kwargs = _section(model_cfg, "decoder")
    head_name, head_kwargs = _section(model_cfg, "head")

    encoder = ENCODERS.build(encoder_name, **encoder_kwargs)
    _inject(decoder_kwargs, "in_channels", list(encoder.out_channels), f"decoder {decoder_name!r}", encoder_name)
    decoder = DECODERS.build(decoder_name, **decoder_kwargs)
    _inject(head_kwargs, "in_channels", int(decoder.out_channels), f"head {head_name!r}", decoder_name)
    head = HEADS.build(head_name, **head_kwargs)
    return DBNet(encoder, decoder, head)


def build_loss(model_cfg: Mapping[str, Any]) -> nn.Module:
    """Builds the loss named in ``model_cfg["loss"]``."""
    name, kwargs = _section(model_cfg, "loss")
    return LOSSES.build(name, **kwargs)


def count_parameters(model: nn.Module, trainable_only: bool = False) -> int:
    """Number of parameters (all, or only those with ``requires_grad``)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)


def _section(model_cfg: Mapping[str, Any], section: str) -> tuple[str, dict[str, Any]]:
    """(name, kwargs) of one component section, as plain Python values (Hydra DictConfig/ListConfig included)."""
    raw = model_cfg.get(section)
    if raw is None:
        architecture = model_cfg.get("architecture")
        if architecture not in ARCHITECTURES:
            raise ConfigError(
                None,
                f"model config has no {section!r} section and no known architecture to take it from "
                f"(architecture={architecture!r}; presets: {', '.join(ARCHITECTURES)})",
            )
        raw = ARCHITECTURES[architecture].model_config()[section]
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, Mapping):
        raise ConfigError(None, f"model config {section!r} must be a mapping with a 'name', got {type(raw).__name__}")
    kwargs = {str(key): _plain(value) for key, value in raw.items()}
    name = kwargs.pop("name", None)
    if not isinstance(name, str):
        choices = ", ".join(COMPONENT_REGISTRIES[section].names())
        raise ConfigError(None, f"model config {section!r} needs a 'name'; choose one of: {choices}")
    return name, kwargs


def _inject(kwargs: dict[str, Any], key: str, value: Any, component: str, source: str) -> None:
    """Sets a wiring argument derived from the previous component, rejecting a contradicting explicit value."""
    if key in kwargs and kwargs[key] != value:
        raise ConfigError(
            None, f"{component}: {key}={kwargs[key]!r} does not match {source!r} output channels {value!r}"
        )
    kwargs[key] = value


def _plain(value: Any) -> Any:
    """Recursively turns mappings into dicts and non-string sequences into lists."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_plain(v) for v in value]
    return value

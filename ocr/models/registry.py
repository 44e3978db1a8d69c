"""Names of the detector components and architecture presets, importable without torch.

The dashboard lists encoders, decoders and presets on every page render; importing torch there would cost seconds
and hundreds of megabytes. So each registry maps a name to a ``"module:attr"`` string that is imported only when
``build`` is called.
"""

from __future__ import annotations

import copy
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ocr.errors import ConfigError


class Registry:
    """Maps component names to lazily imported factories (``"package.module:attr"``)."""

    def __init__(self, kind: str, targets: Mapping[str, str]) -> None:
        self.kind = kind
        self._targets: dict[str, str] = {}
        for name, target in targets.items():
            self.register(name, target)

    def register(self, name: str, target: str) -> None:
        """Adds a component; ``target`` is ``"module:attr"`` so registering never imports anything."""
        if ":" not in target:
            raise ValueError(f"{self.kind} target {target!r} must look like 'package.module:attr'")
        if name in self._targets:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._targets[name] = target

    def names(self) -> list[str]:
        """Registered names in registration order (the order the UI shows them)."""
        return list(self._targets)

    def __contains__(self, name: object) -> bool:
        return name in self._targets

    def target(self, name: str) -> str:
        """The ``"module:attr"`` string behind ``name``; raises ConfigError for unknown names."""
        try:
            return self._targets[name]
        except KeyError:
            raise ConfigError(None, f"unknown {self.kind} {name!r}; choose one of: {', '.join(self.names())}") from None

    def resolve(self, name: str) -> Callable[..., Any]:
        """Imports and returns the factory for ``name``."""
        module_name, attr = self.target(name).split(":", 1)
        return getattr(importlib.import_module(module_name), attr)

    def build(self, name: str, **kwargs: Any) -> Any:
        """Calls the factory; bad keyword arguments or values become a ConfigError naming the component."""
        factory = self.resolve(name)
        signature = inspect.signature(factory)
        try:
            signature.bind(**kwargs)
        except TypeError as exc:
            accepted = ", ".join(
                p.name for p in signature.parameters.values() if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            )
            raise ConfigError(None, f"{self.kind} {name!r}: {exc}; accepted arguments: {accepted or 'none'}") from None
        try:
            return factory(**kwargs)
        except ValueError as exc:
            raise ConfigError(None, f"{self.kind} {name!r}: {exc}") from exc


ENCODERS = Registry(
    "encoder",
    {
        "resnet18": "ocr.models.encoders.resnet:resnet18",
        "resnet34": "ocr.models.encoders.resnet:resnet34",
        "mobilenetv3_large": "ocr.models.encoders.mobilenetv3:mobilenetv3_large",
        "mobilenetv3_small": "ocr.models.encoders.mobilenetv3:mobilenetv3_small",
    },
)
DECODERS = Registry(
    "decoder",
    {
        "fpn": "ocr.models.decoders.fpn:FPN",
        "unet": "ocr.models.decoders.unet:UNet",
    },
)
HEADS = Registry("head", {"db_head": "ocr.models.heads.db_head:DBHead"})
LOSSES = Registry("loss", {"db_loss": "ocr.models.losses.db_loss:DBLoss"})

COMPONENT_REGISTRIES: dict[str, Registry] = {
    "encoder": ENCODERS,
    "decoder": DECODERS,
    "head": HEADS,
    "loss": LOSSES,
}


@dataclass(frozen=True)
class ArchitecturePreset:
    """A named, known-good combination of components and their keyword arguments."""

    name: str
    description: str
    encoder: str
    decoder: str
    head: str = "db_head"
    loss: str = "db_loss"
    encoder_kwargs: Mapping[str, Any] = field(default_factory=dict)
    decoder_kwargs: Mapping[str, Any] = field(default_factory=dict)
    head_kwargs: Mapping[str, Any] = field(default_factory=dict)
    loss_kwargs: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section, registry in COMPONENT_REGISTRIES.items():
            registry.target(getattr(self, section))  # a typo in a preset fails at import, not mid-training

    @property
    def components(self) -> dict[str, str]:
        """Component names by section, as written to the checkpoint sidecar."""
        return {section: getattr(self, section) for section in COMPONENT_REGISTRIES}

    def model_config(self) -> dict[str, Any]:
        """The contract's ``model_cfg`` mapping; a fresh deep copy, so callers may edit it."""
        config: dict[str, Any] = {"architecture": self.name}
        for section in COMPONENT_REGISTRIES:
            kwargs = copy.deepcopy(dict(getattr(self, f"{section}_kwargs")))
            config[section] = {"name": getattr(self, section), **kwargs}
        return config


_DB_HEAD = {"k": 50.0}
_DB_LOSS = {"alpha": 1.0, "beta": 10.0, "ohem_ratio": 3.0}

ARCHITECTURES: dict[str, ArchitecturePreset] = {
    preset.name: preset
    for preset in (
        ArchitecturePreset(
            name="dbnet",
            description="Standard DBNet: ResNet-18 + FPN (256) + DB head; best accuracy, wants a GPU to train.",
            encoder="resnet18",
            decoder="fpn",
            decoder_kwargs={"inner_channels": 256},
            head_kwargs=_DB_HEAD,
            loss_kwargs=_DB_LOSS,
        ),
        ArchitecturePreset(
            name="dbnet_lite",
            description="Fast CPU DBNet: MobileNetV3-Large (width 0.5) + FPN (64) + DB head; trains on a laptop CPU.",
            encoder="mobilenetv3_large",
            decoder="fpn",
            encoder_kwargs={"width_mult": 0.5},
            decoder_kwargs={"inner_channels": 64},
            head_kwargs=_DB_HEAD,
            loss_kwargs=_DB_LOSS,
        ),
    )
}


def preset_model_config(name: str) -> dict[str, Any]:
    """``model_cfg`` for the preset ``name``; raises ConfigError listing the presets when unknown."""
    try:
        preset = ARCHITECTURES[name]
    except KeyError:
        raise ConfigError(None, f"unknown architecture {name!r}; choose one of: {', '.join(ARCHITECTURES)}") from None
    return preset.model_config()

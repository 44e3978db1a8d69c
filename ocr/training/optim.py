"""Optimiser and per-step learning-rate schedule from the ``optimizer`` config section."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import torch

from ocr.errors import ConfigError

OPTIMIZERS = ("adam", "adamw", "sgd")
SCHEDULES = ("cosine", "poly", "constant")


def build_optimizer(parameters: Iterable[torch.nn.Parameter], options: Mapping[str, Any]) -> torch.optim.Optimizer:
    name = str(options.get("name", "adamw"))
    lr = float(options.get("lr", 1e-3))
    decay = float(options.get("weight_decay", 0.0))
    betas = tuple(float(beta) for beta in options.get("betas", (0.9, 0.999)))
    if name == "adam":
        return torch.optim.Adam(parameters, lr=lr, weight_decay=decay, betas=betas)
    if name == "adamw":
        return torch.optim.AdamW(parameters, lr=lr, weight_decay=decay, betas=betas)
    if name == "sgd":
        return torch.optim.SGD(parameters, lr=lr, weight_decay=decay, momentum=float(options.get("momentum", 0.9)))
    raise ConfigError(None, f"unknown optimizer '{name}'; choose one of: {', '.join(OPTIMIZERS)}")


def lr_factor(options: Mapping[str, Any], total_steps: int) -> Callable[[int], float]:
    """Linear warm-up, then cosine (to 2 % of the peak), poly (power 0.9) or constant."""
    schedule = str(options.get("scheduler", "cosine"))
    if schedule not in SCHEDULES:
        raise ConfigError(None, f"unknown scheduler '{schedule}'; choose one of: {', '.join(SCHEDULES)}")
    warmup = int(options.get("warmup_steps", 0))
    total = max(1, int(total_steps))

    def factor(step: int) -> float:
        if warmup and step < warmup:
            return (step + 1) / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        if schedule == "cosine":
            return 0.02 + 0.98 * 0.5 * (1.0 + math.cos(math.pi * progress))
        if schedule == "poly":
            return max(0.0, 1.0 - progress) ** 0.9
        return 1.0

    return factor

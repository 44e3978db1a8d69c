"""Differentiable Binarization head (Liao et al. 2020, MhLiao/DB ``SegDetector``).

Two branches share the fused stride-4 map: a probability map P and a threshold map T, each upsampled x4 by two
transposed convs. The approximate binary map B = 1 / (1 + exp(-k (P - T))) lets the threshold be learned end to end.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ocr.models.layers import kaiming_init


def _branch(in_channels: int) -> nn.Sequential:
    """conv3x3-BN-ReLU -> ConvT(2x)-BN-ReLU -> ConvT(2x) -> sigmoid."""
    mid = max(in_channels // 4, 1)
    return nn.Sequential(
        nn.Conv2d(in_channels, mid, 3, padding=1, bias=False),
        nn.BatchNorm2d(mid),
        nn.ReLU(inplace=True),
        nn.ConvTranspose2d(mid, mid, 2, 2),
        nn.BatchNorm2d(mid),
        nn.ReLU(inplace=True),
        nn.ConvTranspose2d(mid, 1, 2, 2),
        nn.Sigmoid(),
    )


class DBHead(nn.Module):
    """Returns ``prob``, ``thresh`` and ``binary`` maps (B x 1 x 4H x 4W) for a B x C x H x W input."""

    def __init__(self, in_channels: int, k: float = 50.0, prob_prior: float = 0.1) -> None:
        super().__init__()
        if k <= 0:
            raise ValueError(f"k (binarization steepness) must be positive, got {k}")
        if not 0.0 < prob_prior < 1.0:
            raise ValueError(f"prob_prior must be in (0, 1), got {prob_prior}")
        self.in_channels = in_channels
        self.k = float(k)
        self.prob = _branch(in_channels)
        self.thresh = _branch(in_channels)
        kaiming_init(self)
        # Start the probability map near the text prior instead of 0.5: with most pixels background, early steps
        # otherwise go into unlearning a flat 0.5 map (the focal-loss prior trick, Lin et al. 2017).
        nn.init.constant_(self.prob[-2].bias, -math.log((1.0 - prob_prior) / prob_prior))

    def forward(self, x: Tensor) -> dict[str, Tensor]:
        prob = self.prob(x)
        thresh = self.thresh(x)
        binary = torch.sigmoid(self.k * (prob - thresh))  # == 1 / (1 + exp(-k (P - T))), overflow-safe
        return {"prob": prob, "thresh": thresh, "binary": binary}

"""DBNet's FPN neck (Liao et al. 2020, MhLiao/DB ``SegDetector``).

Lateral 1x1 convs bring every stage to ``inner_channels``; a top-down pathway adds each coarser map to the next
finer one; a 3x3 conv per level reduces to ``inner_channels // 4``; all four are upsampled to stride 4 and
concatenated, so the output has ``inner_channels`` channels at stride 4.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ocr.models.layers import kaiming_init


class FPN(nn.Module):
    """Top-down feature pyramid fused at stride 4."""

    def __init__(self, in_channels: list[int], inner_channels: int = 256) -> None:
        super().__init__()
        if len(in_channels) != 4:
            raise ValueError(f"FPN needs 4 encoder stages (strides 4..32), got in_channels={list(in_channels)}")
        if inner_channels < 4 or inner_channels % 4:
            raise ValueError(f"inner_channels must be a positive multiple of 4, got {inner_channels}")
        self.in_channels = list(in_channels)
        self.out_channels = inner_channels
        self.lateral = nn.ModuleList(nn.Conv2d(c, inner_channels, 1, bias=False) for c in in_channels)
        self.smooth = nn.ModuleList(
            nn.Conv2d(inner_channels, inner_channels // 4, 3, padding=1, bias=False) for _ in in_channels
        )
        kaiming_init(self)

    def forward(self, features: list[Tensor]) -> Tensor:
        laterals = [conv(f) for conv, f in zip(self.lateral, features, strict=True)]
        # Top-down: sizes come from the finer map, so inputs that are not multiples of 32 still line up.
        for i in range(len(laterals) - 2, -1, -1):
            laterals[i] = laterals[i] + F.interpolate(laterals[i + 1], size=laterals[i].shape[-2:], mode="nearest")
        size = laterals[0].shape[-2:]
        outs = [conv(p) for conv, p in zip(self.smooth, laterals, strict=True)]
        outs = [outs[0]] + [F.interpolate(p, size=size, mode="nearest") for p in outs[1:]]
        return torch.cat(outs[::-1], dim=1)  # coarse-to-fine channel order, as in MhLiao/DB

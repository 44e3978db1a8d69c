"""U-Net style neck: upsample, concatenate the skip feature, refine with two 3x3 conv-BN-ReLU, down to stride 4.

Channel width halves on the way up (``inner``, ``inner/2``, ``inner/4``, ``inner/4``) so the stride-4 convs stay
cheap, and a final 1x1 projection restores ``inner_channels`` for the head.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ocr.models.layers import ConvBNAct, kaiming_init


class _UpBlock(nn.Module):
    """Upsample the coarse map to the skip's size, concatenate, two 3x3 conv-BN-ReLU."""

    def __init__(self, coarse_channels: int, skip_channels: int, out_channels: int) -> None:
        super().__init__()
        self.convs = nn.Sequential(
            ConvBNAct(coarse_channels + skip_channels, out_channels, 3),
            ConvBNAct(out_channels, out_channels, 3),
        )

    def forward(self, coarse: Tensor, skip: Tensor) -> Tensor:
        up = F.interpolate(coarse, size=skip.shape[-2:], mode="bilinear", align_corners=False)
        return self.convs(torch.cat([up, skip], dim=1))


class UNet(nn.Module):
    """Decoder with concatenated skips; output ``inner_channels`` at stride 4."""

    def __init__(self, in_channels: list[int], inner_channels: int = 256) -> None:
        super().__init__()
        if len(in_channels) != 4:
            raise ValueError(f"UNet needs 4 encoder stages (strides 4..32), got in_channels={list(in_channels)}")
        if inner_channels < 4 or inner_channels % 4:
            raise ValueError(f"inner_channels must be a positive multiple of 4, got {inner_channels}")
        self.in_channels = list(in_channels)
        self.out_channels = inner_channels
        widths = (inner_channels, inner_channels // 2, inner_channels // 4, inner_channels // 4)  # strides 32..4
        c4, c8, c16, c32 = in_channels
        self.bottleneck = ConvBNAct(c32, widths[0], 1)
        self.up16 = _UpBlock(widths[0], c16, widths[1])
        self.up8 = _UpBlock(widths[1], c8, widths[2])
        self.up4 = _UpBlock(widths[2], c4, widths[3])
        self.project = ConvBNAct(widths[3], inner_channels, 1)
        kaiming_init(self)

    def forward(self, features: list[Tensor]) -> Tensor:
        f4, f8, f16, f32 = features
        x = self.bottleneck(f32)
        x = self.up16(x, f16)
        x = self.up8(x, f8)
        x = self.up4(x, f4)
        return self.project(x)

"""MobileNetV3 Large/Small backbones (Howard et al. 2019, Tables 1 and 2) returning four feature maps.

The classifier and the final 1x1 expansion conv are dropped: a detector taps the last bottleneck of each stride,
and the 960/576-channel expansion would add weight without adding spatial detail.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import Tensor, nn

from ocr.models.layers import ConvBNAct, kaiming_init, make_divisible


@dataclass(frozen=True)
class BlockSpec:
    """One bottleneck row of the paper's table."""

    kernel: int
    expand: int
    out: int
    se: bool
    hardswish: bool
    stride: int


# kernel, expansion, out, SE, hard-swish, stride (before width scaling).
_LARGE = (
    BlockSpec(3, 16, 16, False, False, 1),
    BlockSpec(3, 64, 24, False, False, 2),
    BlockSpec(3, 72, 24, False, False, 1),
    BlockSpec(5, 72, 40, True, False, 2),
    BlockSpec(5, 120, 40, True, False, 1),
    BlockSpec(5, 120, 40, True, False, 1),
    BlockSpec(3, 240, 80, False, True, 2),
    BlockSpec(3, 200, 80, False, True, 1),
    BlockSpec(3, 184, 80, False, True, 1),
    BlockSpec(3, 184, 80, False, True, 1),
    BlockSpec(3, 480, 112, True, True, 1),
    BlockSpec(3, 672, 112, True, True, 1),
    BlockSpec(5, 672, 160, True, True, 2),
    BlockSpec(5, 960, 160, True, True, 1),
    BlockSpec(5, 960, 160, True, True, 1),
)
_SMALL = (
    BlockSpec(3, 16, 16, True, False, 2),
    BlockSpec(3, 72, 24, False, False, 2),
    BlockSpec(3, 88, 24, False, False, 1),
    BlockSpec(5, 96, 40, True, True, 2),
    BlockSpec(5, 240, 40, True, True, 1),
    BlockSpec(5, 240, 40, True, True, 1),
    BlockSpec(5, 120, 48, True, True, 1),
    BlockSpec(5, 144, 48, True, True, 1),
    BlockSpec(5, 288, 96, True, True, 2),
    BlockSpec(5, 576, 96, True, True, 1),
    BlockSpec(5, 576, 96, True, True, 1),
)
_VARIANTS = {"large": _LARGE, "small": _SMALL}


class SqueezeExcite(nn.Module):
    """Channel attention with a hard-sigmoid gate; squeeze width is 1/4 of the expanded width (paper, Sec. 5.3)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        squeezed = make_divisible(channels / 4)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(channels, squeezed, 1)
        self.relu = nn.ReLU(inplace=True)
        self.expand = nn.Conv2d(squeezed, channels, 1)
        self.gate = nn.Hardsigmoid(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        return x * self.gate(self.expand(self.relu(self.reduce(self.pool(x)))))


class InvertedResidual(nn.Module):
    """1x1 expand -> depthwise kxk -> optional SE -> 1x1 linear projection, residual when shapes match."""

    def __init__(self, in_channels: int, expand: int, out_channels: int, spec: BlockSpec) -> None:
        super().__init__()
        activation = nn.Hardswish if spec.hardswish else nn.ReLU
        layers: list[nn.Module] = []
        if expand != in_channels:
            layers.append(ConvBNAct(in_channels, expand, 1, activation=activation))
        layers.append(ConvBNAct(expand, expand, spec.kernel, spec.stride, groups=expand, activation=activation))
        if spec.se:
            layers.append(SqueezeExcite(expand))
        layers.append(ConvBNAct(expand, out_channels, 1, activation=None))
        self.block = nn.Sequential(*layers)
        self.use_residual = spec.stride == 1 and in_channels == out_channels

    def forward(self, x: Tensor) -> Tensor:
        out = self.block(x)
        return x + out if self.use_residual else out


class MobileNetV3(nn.Module):
    """MobileNetV3 feature extractor; ``forward`` returns the last block output at each of strides 4/8/16/32."""

    def __init__(self, variant: str, width_mult: float = 1.0) -> None:
        super().__init__()
        if variant not in _VARIANTS:
            raise ValueError(f"MobileNetV3 variant must be one of {sorted(_VARIANTS)}, got {variant!r}")
        if not 0.1 <= width_mult <= 4.0:
            raise ValueError(f"width_mult must be between 0.1 and 4.0, got {width_mult}")
        self.variant = variant
        self.width_mult = width_mult
        specs = _VARIANTS[variant]

        stem_channels = make_divisible(16 * width_mult)
        self.stem = ConvBNAct(3, stem_channels, 3, 2, activation=nn.Hardswish)

        blocks: list[nn.Module] = []
        taps: list[int] = []  # index of the last block before each stride change, and the very last block
        in_channels, stride = stem_channels, 2
        for index, spec in enumerate(specs):
            if spec.stride == 2 and stride >= 4:
                taps.append(index - 1)
            stride *= spec.stride
            out_channels = make_divisible(spec.out * width_mult)
            blocks.append(InvertedResidual(in_channels, make_divisible(spec.expand * width_mult), out_channels, spec))
            in_channels = out_channels
        taps.append(len(specs) - 1)
        self.blocks = nn.ModuleList(blocks)
        self._taps = frozenset(taps)
        self.out_channels = [make_divisible(specs[i].out * width_mult) for i in taps]
        kaiming_init(self)

    def forward(self, x: Tensor) -> list[Tensor]:
        x = self.stem(x)
        features = []
        for index, block in enumerate(self.blocks):
            x = block(x)
            if index in self._taps:
                features.append(x)
        return features


def mobilenetv3_large(width_mult: float = 1.0) -> MobileNetV3:
    """MobileNetV3-Large encoder, out_channels [24, 40, 112, 160] at width 1.0."""
    return MobileNetV3("large", width_mult=width_mult)


def mobilenetv3_small(width_mult: float = 1.0) -> MobileNetV3:
    """MobileNetV3-Small encoder, out_channels [16, 24, 48, 96] at width 1.0."""
    return MobileNetV3("small", width_mult=width_mult)

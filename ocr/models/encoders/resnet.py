"""ResNet-18/34 backbones (He et al. 2016, BasicBlock layout) returning the four stage outputs."""

from __future__ import annotations

from torch import Tensor, nn

from ocr.models.layers import kaiming_init

_LAYOUTS = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3)}
_STAGE_CHANNELS = (64, 128, 256, 512)


class BasicBlock(nn.Module):
    """Two 3x3 convs with an identity (or 1x1 projection) shortcut."""

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample: nn.Module = nn.Identity()
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels)
            )

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + self.downsample(x))


class ResNet(nn.Module):
    """Stem (7x7/2 + maxpool) then four BasicBlock stages at strides 4, 8, 16 and 32."""

    def __init__(self, depth: int, zero_init_residual: bool = True) -> None:
        super().__init__()
        if depth not in _LAYOUTS:
            raise ValueError(f"ResNet depth must be one of {sorted(_LAYOUTS)}, got {depth}")
        self.depth = depth
        self.out_channels = list(_STAGE_CHANNELS)
        self.stem = nn.Sequential(
            nn.Conv2d(3, 64, 7, 2, 3, bias=False),
            nn.BatchNorm2d(64),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, 1),
        )
        stages = []
        in_channels = 64
        for index, (blocks, channels) in enumerate(zip(_LAYOUTS[depth], _STAGE_CHANNELS, strict=True)):
            stride = 1 if index == 0 else 2
            layers = [BasicBlock(in_channels, channels, stride)]
            layers += [BasicBlock(channels, channels) for _ in range(blocks - 1)]
            stages.append(nn.Sequential(*layers))
            in_channels = channels
        self.stages = nn.ModuleList(stages)
        kaiming_init(self)
        if zero_init_residual:
            # Each block starts as an identity: trains from scratch faster and more stably (Goyal et al. 2017).
            for module in self.modules():
                if isinstance(module, BasicBlock):
                    nn.init.zeros_(module.bn2.weight)

    def forward(self, x: Tensor) -> list[Tensor]:
        x = self.stem(x)
        features = []
        for stage in self.stages:
            x = stage(x)
            features.append(x)
        return features


def resnet18(zero_init_residual: bool = True) -> ResNet:
    """ResNet-18 encoder, out_channels [64, 128, 256, 512]."""
    return ResNet(18, zero_init_residual=zero_init_residual)


def resnet34(zero_init_residual: bool = True) -> ResNet:
    """ResNet-34 encoder, out_channels [64, 128, 256, 512]."""
    return ResNet(34, zero_init_residual=zero_init_residual)

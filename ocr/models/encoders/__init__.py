"""Backbones returning four feature maps at strides 4, 8, 16 and 32 (imported lazily via the registry)."""

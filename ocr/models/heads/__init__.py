"""Prediction heads turning the fused stride-4 map into full-resolution maps (imported lazily via the registry)."""

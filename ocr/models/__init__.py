"""DBNet detector components.

Kept import-light on purpose: ``ocr.models.registry`` lists component names without importing torch, so only the
modules that actually build a network pull torch in.
"""

"""Synthetic receipt generator: the project's training data (``python -m ocr.synth --out DIR --n N --seed S``).

Pipeline, one module per step: ``content`` (what is printed, as rows of text runs) -> ``layout`` (ink canvas and a
tight box per run) -> ``paper`` (print quality, paper, pen and stamp marks) -> ``degrade`` (scan or photo
placement with one homography for pixels and boxes, capture artefacts) -> ``generator`` (seeding, clipping,
writing JPEGs and ``annotations.json``). ``fonts``, ``vocabulary``, ``clutter`` and ``backgrounds`` supply the parts.
"""

from ocr.synth.generator import generate_receipt, write_dataset

__all__ = ["generate_receipt", "write_dataset"]

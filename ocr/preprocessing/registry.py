"""The stage registry: name -> function, parameter type and help text, in the order a pipeline usually runs them.

The dashboard builds its stage list and parameter forms from `STAGES` / `describe_stage`, so adding a stage here is
all it takes to make it configurable in the UI and in Hydra profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ocr.preprocessing.base import StageOutput
from ocr.preprocessing.binarize import BinarizeParams, binarize
from ocr.preprocessing.contrast import ContrastParams, contrast
from ocr.preprocessing.denoise import DenoiseParams, denoise
from ocr.preprocessing.deskew import DeskewParams, deskew
from ocr.preprocessing.document import DocumentCropParams, PerspectiveParams, document_crop, perspective_correction
from ocr.preprocessing.illumination import BackgroundParams, background_normalize
from ocr.preprocessing.params import StageParams, describe_params
from ocr.preprocessing.resize import ResizeParams, resize
from ocr.preprocessing.sharpen import SharpenParams, sharpen


@dataclass(frozen=True)
class Stage:
    """A registered stage: ``run(image, params) -> StageOutput`` with ``params`` an instance of ``params_type``."""

    name: str
    label: str
    description: str
    params_type: type[StageParams]
    run: Callable[[np.ndarray, Any], StageOutput]
    changes_geometry: bool = False


STAGES: dict[str, Stage] = {
    stage.name: stage
    for stage in (
        Stage(
            "document_crop",
            "Document crop",
            "Finds the document outline (Canny edges + close, else Otsu mask; approxPolyDP to 4 corners, "
            "min-area-rect fallback) and warps or crops to it.",
            DocumentCropParams,
            document_crop,
            changes_geometry=True,
        ),
        Stage(
            "perspective_correction",
            "Perspective correction",
            "Warps the given corners, or the detected document outline, to an upright rectangle "
            "(getPerspectiveTransform + warpPerspective).",
            PerspectiveParams,
            perspective_correction,
            changes_geometry=True,
        ),
        Stage(
            "deskew",
            "Deskew / orientation",
            "Measures the text-line angle by a projection-profile search over ink pixels and rotates on an expanded "
            "white canvas; optionally turns the page 90/180/270 degrees.",
            DeskewParams,
            deskew,
            changes_geometry=True,
        ),
        Stage(
            "background_normalize",
            "Background normalisation",
            "Removes shadows and uneven light by dividing each colour channel by a large-kernel close or median "
            "estimate of the paper.",
            BackgroundParams,
            background_normalize,
        ),
        Stage(
            "contrast",
            "Brightness / contrast",
            "CLAHE, gamma and brightness on the L channel of LAB, so colours are kept.",
            ContrastParams,
            contrast,
        ),
        Stage(
            "denoise",
            "Denoise",
            "Edge-preserving colour denoising: bilateral filter, median blur or non-local means.",
            DenoiseParams,
            denoise,
        ),
        Stage(
            "binarize",
            "Binarise",
            "Black-and-white by Otsu, adaptive Gaussian or Sauvola thresholding, returned as 3 equal channels.",
            BinarizeParams,
            binarize,
        ),
        Stage(
            "sharpen",
            "Sharpen",
            "Unsharp mask: adds amount x (image - Gaussian blur of the given radius).",
            SharpenParams,
            sharpen,
        ),
        Stage(
            "resize",
            "Resize",
            "Scales so the longest side is N pixels (aspect kept) or by a factor; area filter when shrinking.",
            ResizeParams,
            resize,
            changes_geometry=True,
        ),
    )
}


def stage_names() -> list[str]:
    return list(STAGES)


def get_stage(name: str) -> Stage:
    """The registered stage, or a ValueError listing the allowed names."""
    try:
        return STAGES[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown preprocessing stage {name!r}; allowed: {', '.join(STAGES)}") from None


def make_params(name: str, values: Mapping[str, Any] | StageParams | None = None) -> StageParams:
    """Validated parameters for a stage from a mapping (missing keys take defaults) or a ready instance."""
    stage = get_stage(name)
    if isinstance(values, StageParams):
        if not isinstance(values, stage.params_type):
            raise ValueError(f"{name}: expected {stage.params_type.__name__}, got {type(values).__name__}")
        return values
    if values is not None and not isinstance(values, Mapping):
        raise ValueError(f"{name}: params must be a mapping of parameter names to values, got {values!r}")
    return stage.params_type.from_dict(values)


def run_stage(name: str, image: np.ndarray, params: Mapping[str, Any] | StageParams | None = None) -> StageOutput:
    """Run one stage by name (the UI's live preview of a single stage)."""
    return get_stage(name).run(image, make_params(name, params))


def describe_stage(name: str) -> dict[str, Any]:
    """Everything a form needs: name, label, description, changes_geometry and per-parameter metadata."""
    stage = get_stage(name)
    return {
        "name": stage.name,
        "label": stage.label,
        "description": stage.description,
        "changes_geometry": stage.changes_geometry,
        "params": describe_params(stage.params_type),
    }

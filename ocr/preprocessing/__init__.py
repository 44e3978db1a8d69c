"""Image preprocessing: pure, deterministic RGB -> RGB stages and a pipeline that keeps every intermediate.

Used by the dashboard's stage viewer, by training (via a Hydra ``preprocessing`` profile) and by inference, through
the same `run_pipeline` call.
"""

from ocr.preprocessing.base import StageOutput, map_points
from ocr.preprocessing.binarize import BinarizeParams, binarize
from ocr.preprocessing.contrast import ContrastParams, contrast
from ocr.preprocessing.denoise import DenoiseParams, denoise
from ocr.preprocessing.deskew import DeskewParams, SkewEstimate, deskew, estimate_skew, rotate_expanded
from ocr.preprocessing.document import DocumentCropParams, PerspectiveParams, document_crop, perspective_correction
from ocr.preprocessing.illumination import BackgroundParams, background_normalize
from ocr.preprocessing.params import StageParams, describe_params, param
from ocr.preprocessing.pipeline import (
    PipelineResult,
    PipelineStep,
    StageResult,
    pipeline_from_config,
    run_pipeline,
    validate_steps,
)
from ocr.preprocessing.quad import DetectionParams, DocumentQuad, find_document_quad, order_quad, warp_quad
from ocr.preprocessing.registry import STAGES, Stage, describe_stage, get_stage, make_params, run_stage, stage_names
from ocr.preprocessing.resize import ResizeParams, resize
from ocr.preprocessing.sharpen import SharpenParams, sharpen

__all__ = [
    "STAGES",
    "BackgroundParams",
    "BinarizeParams",
    "ContrastParams",
    "DenoiseParams",
    "DeskewParams",
    "DetectionParams",
    "DocumentCropParams",
    "DocumentQuad",
    "PerspectiveParams",
    "PipelineResult",
    "PipelineStep",
    "ResizeParams",
    "SharpenParams",
    "SkewEstimate",
    "Stage",
    "StageOutput",
    "StageParams",
    "StageResult",
    "background_normalize",
    "binarize",
    "contrast",
    "denoise",
    "describe_params",
    "describe_stage",
    "deskew",
    "document_crop",
    "estimate_skew",
    "find_document_quad",
    "get_stage",
    "make_params",
    "map_points",
    "order_quad",
    "param",
    "perspective_correction",
    "pipeline_from_config",
    "resize",
    "rotate_expanded",
    "run_pipeline",
    "run_stage",
    "sharpen",
    "stage_names",
    "validate_steps",
    "warp_quad",
]

"""The one inference API used by predict, evaluate, training validation and the dashboard.

``TextDetector.load`` reads a checkpoint once and keeps the model on its device; ``detect`` / ``detect_batch``
run preprocessing, the forward pass and DB post-processing with the given parameters, and return polygons in
original image pixels plus the probability map, with the time spent in each part.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ocr.checkpoints import LoadedCheckpoint, load_checkpoint, load_weights
from ocr.data.geometry import Letterbox
from ocr.data.prepare import PreparedImage, Preprocessed, padded_batch, prepare_for_model
from ocr.models.detector import build_model
from ocr.postprocess.db import Detection, PostprocessParams, db_postprocess

DEFAULT_IMAGE_SIZE = 960


def pick_device(device: str | torch.device = "auto") -> torch.device:
    """``auto`` means CUDA when present, else CPU."""
    if isinstance(device, torch.device):
        return device
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(device)


@dataclass
class DetectionResult:
    """Detections in original pixels, the probability map (model space, padding removed) and timings."""

    detections: list[Detection]
    prob_map: np.ndarray
    letterbox: Letterbox
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def polygons(self) -> list[np.ndarray]:
        return [detection.points for detection in self.detections]

    @property
    def scores(self) -> list[float]:
        return [detection.score for detection in self.detections]


def probability_maps(model: torch.nn.Module, batch: torch.Tensor) -> torch.Tensor:
    """Forward pass returning the probability maps (B x H x W) as float32."""
    return model(batch)["prob"][:, 0].float()


def postprocess_batch(
    prob: torch.Tensor | np.ndarray,
    letterboxes: Sequence[Letterbox],
    params: PostprocessParams,
    preprocessed: Sequence[Preprocessed] | None = None,
) -> list[tuple[list[Detection], np.ndarray]]:
    """DB post-processing of each map of a batch, in the pixels of the images as given.

    Returns detections and the unpadded probability map (model space) per image.
    """
    maps = prob.detach().cpu().numpy() if isinstance(prob, torch.Tensor) else prob
    results = []
    for index, (prob_map, box) in enumerate(zip(maps, letterboxes, strict=True)):
        unpadded = prob_map[: box.out_h, : box.out_w]
        detections = db_postprocess(unpadded, box, params)
        if preprocessed is not None and preprocessed[index].transform is not None:
            undo = preprocessed[index].to_original
            detections = [Detection(undo(d.points), d.score) for d in detections]
        results.append((detections, unpadded))
    return results


class TextDetector:
    """A loaded model on a device, ready to detect text in images."""

    def __init__(
        self,
        model: torch.nn.Module,
        model_config: Mapping[str, Any],
        *,
        device: torch.device,
        image_size: int = DEFAULT_IMAGE_SIZE,
        half: bool = False,
        preprocessing: Sequence[Any] | None = None,
        checkpoint: LoadedCheckpoint | None = None,
    ) -> None:
        self.model = model.eval().to(device)
        self.model_config = dict(model_config)
        self.device = device
        self.half = bool(half and device.type == "cuda")
        if self.half:
            self.model.half()
        self.image_size = image_size
        self.preprocessing = list(preprocessing or [])
        self.checkpoint = checkpoint
        trained_with = (checkpoint.hyper_parameters.get("postprocess") if checkpoint else None) or {}
        self.default_params = PostprocessParams(**trained_with)  # what validation used while training

    @classmethod
    def load(
        cls,
        checkpoint: str | Path,
        *,
        device: str | torch.device = "auto",
        half: bool = False,
        image_size: int | None = None,
        model_config: Mapping[str, Any] | None = None,
        preprocessing: Sequence[Any] | None = None,
    ) -> TextDetector:
        """Load a checkpoint; ``model_config`` (when given) must match it, else a CheckpointError says so."""
        loaded = load_checkpoint(checkpoint)
        config = dict(model_config) if model_config is not None else loaded.model_config
        model = build_model(config)
        load_weights(model, loaded, config)
        size = image_size or loaded.image_size or DEFAULT_IMAGE_SIZE
        return cls(
            model,
            config,
            device=pick_device(device),
            image_size=int(size),
            half=half,
            preprocessing=preprocessing,
            checkpoint=loaded,
        )

    def prepare(self, image: np.ndarray) -> PreparedImage:
        return prepare_for_model(image, self.image_size, self.preprocessing)

    @torch.inference_mode()
    def detect_batch(
        self, images: Sequence[np.ndarray], params: PostprocessParams | None = None
    ) -> list[DetectionResult]:
        """Detect text in RGB uint8 images of any sizes (padded together into one batch).

        ``params`` default to the post-processing the checkpoint was validated with.
        """
        params = params or self.default_params
        start = time.perf_counter()
        prepared = [self.prepare(image) for image in images]
        tensor = torch.from_numpy(padded_batch([item.array for item in prepared])).to(self.device)
        if self.half:
            tensor = tensor.half()
        prep_seconds = time.perf_counter() - start

        start = time.perf_counter()
        prob = probability_maps(self.model, tensor)
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        forward_seconds = time.perf_counter() - start

        start = time.perf_counter()
        outputs = postprocess_batch(
            prob, [item.letterbox for item in prepared], params, [item.preprocessed for item in prepared]
        )
        post_seconds = time.perf_counter() - start

        share = 1.0 / len(prepared)
        return [
            DetectionResult(
                detections,
                prob_map,
                item.letterbox,
                {
                    "preprocess": prep_seconds * share,
                    "forward": forward_seconds * share,
                    "postprocess": post_seconds * share,
                },
            )
            for item, (detections, prob_map) in zip(prepared, outputs, strict=True)
        ]

    def detect(self, image: np.ndarray, params: PostprocessParams | None = None) -> DetectionResult:
        return self.detect_batch([image], params)[0]

"""Run an ordered list of stages and keep every intermediate, for the dashboard, training and inference alike.

One code path: the Hydra profile a model was trained with is the same list of steps the inference service runs,
and every stage is deterministic, so a training image and the same image at inference come out byte-identical.
`PipelineResult.transform` composes the stages' geometry so annotation polygons can be moved into the processed
image (training) and detections moved back to original pixels (inference).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ocr.preprocessing.base import check_rgb, map_points
from ocr.preprocessing.params import StageParams
from ocr.preprocessing.registry import get_stage, make_params

_STEP_KEYS = ("name", "enabled", "params")


@dataclass(frozen=True)
class PipelineStep:
    name: str
    enabled: bool = True
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StageResult:
    """One row of the stage viewer: the image after ``name`` (or the input, for "original")."""

    name: str
    image: np.ndarray
    info: dict[str, Any]
    seconds: float
    params: dict[str, Any] = field(default_factory=dict)
    transform: np.ndarray = field(default_factory=lambda: np.eye(3))


@dataclass(frozen=True)
class PipelineResult:
    stages: list[StageResult]
    transform: np.ndarray  # 3x3: original pixel coordinates -> final pixel coordinates
    skipped: list[str] = field(default_factory=list)

    @property
    def final(self) -> np.ndarray:
        return self.stages[-1].image

    @property
    def total_seconds(self) -> float:
        return sum(stage.seconds for stage in self.stages)

    def to_processed(self, points: np.ndarray) -> np.ndarray:
        """Original-image points (N, 2) -> final-image points (e.g. training polygons)."""
        return map_points(points, self.transform)

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Final-image points (N, 2) -> original-image points (e.g. detections)."""
        return map_points(points, np.linalg.inv(self.transform))


def pipeline_from_config(config: Sequence[Mapping[str, Any]] | Mapping[str, Any] | None) -> list[PipelineStep]:
    """Steps from a Hydra preprocessing profile: its ``steps`` list, or the whole profile mapping holding it.

    Each entry is ``{name, enabled (default true), params (default {})}``. Everything is validated here, so a bad
    profile fails when it is loaded rather than halfway through a training run.
    """
    if config is None:
        return []
    if isinstance(config, Mapping):
        config = config.get("steps") or []
    if isinstance(config, str | bytes) or not isinstance(config, Sequence):
        raise ValueError(f"preprocessing steps must be a list of {{name, enabled, params}}, got {config!r}")
    steps = []
    for index, entry in enumerate(config):
        if not isinstance(entry, Mapping):
            raise ValueError(f"preprocessing step {index}: expected a mapping with name/enabled/params, got {entry!r}")
        unknown = sorted(str(key) for key in entry if key not in _STEP_KEYS)
        if unknown:
            raise ValueError(
                f"preprocessing step {index}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(_STEP_KEYS)}"
            )
        if "name" not in entry:
            raise ValueError(f"preprocessing step {index}: missing 'name'")
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            raise ValueError(f"preprocessing step {index} ({entry['name']}): enabled must be true or false")
        params = entry.get("params") or {}
        step = PipelineStep(str(entry["name"]), enabled, dict(params) if isinstance(params, Mapping) else params)
        _validate(step)
        steps.append(step)
    return steps


def validate_steps(steps: Sequence[PipelineStep]) -> list[StageParams]:
    """Parameters of every step (disabled ones too: a profile must be valid as a whole)."""
    return [_validate(step) for step in steps]


def run_pipeline(image: np.ndarray, steps: Sequence[PipelineStep]) -> PipelineResult:
    """Run the enabled steps in order; the original comes first in ``stages`` and ``final`` is the last image."""
    check_rgb(image, "run_pipeline")
    params = validate_steps(steps)
    stages = [StageResult("original", image.copy(), {"width": image.shape[1], "height": image.shape[0]}, 0.0)]
    skipped = []
    total = np.eye(3)
    current = image
    for step, step_params in zip(steps, params, strict=True):
        if not step.enabled:
            skipped.append(step.name)
            continue
        start = time.perf_counter()
        output = get_stage(step.name).run(current, step_params)
        seconds = time.perf_counter() - start
        transform = np.eye(3) if output.transform is None else np.asarray(output.transform, dtype=np.float64)
        total = transform @ total
        current = output.image
        stages.append(StageResult(step.name, current, output.info, seconds, step_params.to_dict(), transform))
    return PipelineResult(stages, total, skipped)


def _validate(step: PipelineStep) -> StageParams:
    try:
        return make_params(step.name, step.params)
    except ValueError as error:
        raise ValueError(f"preprocessing step {step.name!r}: {error}") from None

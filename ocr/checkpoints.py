"""The one checkpoint reader, and the JSON sidecar that lets catalogs list checkpoints without torch.

A checkpoint is a Lightning ``.ckpt`` (a torch zip) whose ``hyper_parameters`` hold the resolved ``model_config``.
Beside it lies ``<file>.meta.json`` (see ``SIDECAR_SUFFIX``) with the architecture, components, epoch, step,
metrics, creation time and model config. The sidecar is written atomically *after* the checkpoint, so a listed
sidecar means a complete checkpoint.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ocr.errors import CheckpointError

SIDECAR_SUFFIX = ".meta.json"
SIDECAR_FORMAT = "ocr-workbench/checkpoint-v1"
COMPONENTS = ("encoder", "decoder", "head", "loss")


def sidecar_path(checkpoint: str | Path) -> Path:
    checkpoint = Path(checkpoint)
    return checkpoint.with_name(checkpoint.name + SIDECAR_SUFFIX)


def components_of(model_config: Mapping[str, Any]) -> dict[str, str]:
    """Component names of a model config, e.g. ``{"encoder": "resnet18", ...}``."""
    return {part: str(model_config.get(part, {}).get("name", "")) for part in COMPONENTS}


def make_sidecar(
    model_config: Mapping[str, Any],
    *,
    epoch: int,
    step: int,
    metrics: Mapping[str, float],
    kind: str,
    exp_name: str,
    run_dir: str,
    image_size: int,
    preprocessing: str = "none",
    postprocess: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "format": SIDECAR_FORMAT,
        "architecture": str(model_config.get("architecture", "")),
        "components": components_of(model_config),
        "epoch": int(epoch),
        "step": int(step),
        "metrics": {key: float(value) for key, value in metrics.items()},
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "kind": kind,
        "exp_name": exp_name,
        "run_dir": run_dir,
        "image_size": int(image_size),
        "preprocessing": preprocessing,
        "postprocess": json.loads(json.dumps(dict(postprocess or {}))),  # what validation used
        "model_config": json.loads(json.dumps(dict(model_config))),
    }


def write_sidecar(checkpoint: str | Path, sidecar: Mapping[str, Any]) -> Path:
    """Write atomically (temp file + rename) so a watcher never sees half a sidecar."""
    target = sidecar_path(checkpoint)
    fd, tmp = tempfile.mkstemp(prefix=".sidecar-", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(sidecar, handle, indent=2)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


def read_sidecar(checkpoint: str | Path) -> dict[str, Any] | None:
    """The sidecar of a checkpoint, or None when there is none or it is unreadable (JSON only, no torch)."""
    path = sidecar_path(checkpoint)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == SIDECAR_FORMAT else None


@dataclass
class LoadedCheckpoint:
    path: Path
    state_dict: dict[str, Any]
    model_config: dict[str, Any]
    epoch: int
    step: int
    image_size: int | None
    hyper_parameters: dict[str, Any]
    has_training_state: bool = False  # optimiser / loop state present, so Lightning can resume from it


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise CheckpointError(path, "checkpoint file not found")
    if path.is_dir():
        raise CheckpointError(path, "is a folder, not a checkpoint file")
    if path.stat().st_size == 0:
        raise CheckpointError(path, "checkpoint file is empty (was it still being written?)")
    if not zipfile.is_zipfile(path):
        raise CheckpointError(path, "not a torch checkpoint, or a half-written / corrupt one (no complete zip archive)")


def load_checkpoint(path: str | Path) -> LoadedCheckpoint:
    """Read a checkpoint safely (``weights_only=True``) and return the model weights and model config."""
    import torch

    path = Path(path)
    _check_readable(path)
    try:
        raw = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises RuntimeError/UnpicklingError/EOFError for broken files
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise CheckpointError(path, f"corrupt or incompatible checkpoint ({first_line[:200]})") from None
    if not isinstance(raw, dict) or "state_dict" not in raw:
        raise CheckpointError(path, "not an OCR Workbench checkpoint (no state_dict)")
    hparams = dict(raw.get("hyper_parameters") or {})
    model_config = hparams.get("model_config")
    if not isinstance(model_config, dict):
        sidecar = read_sidecar(path)
        model_config = sidecar.get("model_config") if sidecar else None
    if not isinstance(model_config, dict):
        raise CheckpointError(path, "checkpoint has no model config (neither in hyper_parameters nor in a sidecar)")
    state = {
        key.removeprefix("model."): value
        for key, value in raw["state_dict"].items()
        if key.startswith("model.")
    } or dict(raw["state_dict"])
    return LoadedCheckpoint(
        path=path,
        state_dict=state,
        model_config=model_config,
        epoch=int(raw.get("epoch", 0)),
        step=int(raw.get("global_step", 0)),
        image_size=hparams.get("image_size"),
        hyper_parameters=hparams,
        has_training_state="optimizer_states" in raw,
    )


def describe_model(model_config: Mapping[str, Any]) -> str:
    parts = components_of(model_config)
    return f"{model_config.get('architecture', '?')} ({parts['encoder']} / {parts['decoder']} / {parts['head']})"


def load_weights(model: Any, checkpoint: LoadedCheckpoint, chosen_config: Mapping[str, Any] | None = None) -> None:
    """Load weights into ``model``; a checkpoint of another architecture gives one clear line, not a key dump."""
    result_missing: list[str]
    try:
        incompatible = model.load_state_dict(checkpoint.state_dict, strict=False)
        result_missing, unexpected = list(incompatible.missing_keys), list(incompatible.unexpected_keys)
        mismatch = None
    except RuntimeError as error:  # shape mismatches raise even with strict=False
        result_missing, unexpected, mismatch = [], [], str(error).splitlines()[0]
    if result_missing or unexpected or mismatch:
        chosen = describe_model(chosen_config) if chosen_config else "the chosen model"
        detail = mismatch or f"{len(result_missing)} missing and {len(unexpected)} unexpected weights"
        raise CheckpointError(
            checkpoint.path,
            f"does not match the chosen architecture: checkpoint is {describe_model(checkpoint.model_config)}, "
            f"chosen is {chosen} ({detail})",
        )

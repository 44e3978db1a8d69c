"""Helpers shared by the services tests (fixtures live in conftest.py): sidecars, checkpoint files, contexts.

Named uniquely (not ``helpers.py``) because pytest puts this folder itself on ``sys.path``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from services.config_catalog import ConfigCatalog
from services.forms.context import StaticFormContext
from services.paths import REPO_ROOT, WorkbenchPaths

SHIPPED_CONFIGS = REPO_ROOT / "configs"


def sidecar(
    *,
    architecture: str = "dbnet_lite",
    encoder: str = "mobilenetv3_large",
    decoder: str = "fpn",
    epoch: int = 12,
    hmean: float = 0.912,
    created: str = "2026-12-01T20:15:00+00:00",
    exp_name: str = "receipts",
    kind: str = "best",
    preprocessing: str = "none",
) -> dict[str, Any]:
    components = {"encoder": encoder, "decoder": decoder, "head": "db_head", "loss": "db_loss"}
    return {
        "format": "ocr-workbench/checkpoint-v1", "architecture": architecture, "components": components,
        "epoch": epoch, "step": epoch * 100, "metrics": {"val/hmean": hmean}, "created": created, "kind": kind,
        "exp_name": exp_name, "run_dir": f"outputs/{exp_name}", "image_size": 960, "preprocessing": preprocessing,
        "model_config": {"architecture": architecture, **{part: {"name": name} for part, name in components.items()}},
    }


def write_checkpoint(path: Path, meta: Mapping[str, Any] | None = None, payload: bytes = b"PK\x03\x04 weights") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    if meta is not None:
        path.with_name(path.name + ".meta.json").write_text(json.dumps(meta))
    return path


def context_from(
    catalog: ConfigCatalog,
    checkpoints: Mapping[str, Mapping[str, Any]] | None = None,
    paths: WorkbenchPaths | None = None,
) -> StaticFormContext:
    """A form context with the shipped option lists and metadata plus the given checkpoints."""
    sources: dict[str, Any] = {
        source: catalog.options(source)
        for source in ("architectures", "encoders", "decoders", "heads", "losses", "optimizers", "datasets",
                       "preprocessing_profiles")
    }
    sources["checkpoints"] = list(checkpoints or {})
    return StaticFormContext(
        sources=sources,
        architectures=dict(catalog.architectures),
        optimizers=dict(catalog.optimizers),
        checkpoints=dict(checkpoints or {}),
        paths=paths,
    )

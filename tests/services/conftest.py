"""Shared fixtures for the services tests: the shipped configs, throwaway project trees, sidecars."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from services.config_catalog import ConfigCatalog
from services.forms.context import StaticFormContext
from services.paths import REPO_ROOT, WorkbenchPaths

SHIPPED_CONFIGS = REPO_ROOT / "configs"


@pytest.fixture(scope="session")
def shipped_catalog() -> ConfigCatalog:
    catalog = ConfigCatalog(SHIPPED_CONFIGS)
    catalog.load()
    return catalog


@pytest.fixture
def project(tmp_path: Path) -> WorkbenchPaths:
    """A project tree with a copy of the shipped configs, sample images and an empty outputs folder."""
    root = tmp_path / "project"
    shutil.copytree(SHIPPED_CONFIGS, root / "configs")
    (root / "data" / "samples" / "images").mkdir(parents=True)
    (root / "data" / "checkpoints").mkdir(parents=True)
    return WorkbenchPaths.create(project_root=root)


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

"""Fixtures for the services tests: the shipped configs and throwaway project trees."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from services_fixtures import SHIPPED_CONFIGS

from services.config_catalog import ConfigCatalog
from services.paths import WorkbenchPaths


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

"""UI tests: every test runs ``main.py`` under NiceGUI's ``user`` simulation against a throw-away outputs folder.

``OCRW_OUTPUTS`` (and, for tests that edit configs, ``OCRW_CONFIGS``) point the app at temporary folders, so a test
can drop checkpoints or break a YAML file without touching the repository.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Workbench:
    outputs: Path
    configs: Path
    tmp: Path


@pytest.fixture(autouse=True)
def workbench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workbench:
    outputs = tmp_path / 'outputs'
    outputs.mkdir()
    monkeypatch.setenv('OCRW_OUTPUTS', str(outputs))
    monkeypatch.setenv('OCRW_STORAGE_SECRET', 'ui-test-secret')
    monkeypatch.delenv('OCRW_CONFIGS', raising=False)
    monkeypatch.delenv('OCRW_DATA', raising=False)
    return Workbench(outputs=outputs, configs=REPO / 'configs', tmp=tmp_path)


@pytest.fixture
def own_configs(workbench: Workbench, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of configs/ that the test may edit (and break); request it before ``user``."""
    copy = workbench.tmp / 'configs'
    shutil.copytree(REPO / 'configs', copy)
    monkeypatch.setenv('OCRW_CONFIGS', str(copy))
    workbench.configs = copy
    return copy

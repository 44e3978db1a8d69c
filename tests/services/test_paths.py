"""Paths: defaults from the repository, validation, and user paths that can never leave the allowed roots."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.errors import ConfigError
from services.paths import REPO_ROOT, PathOutsideRoots, WorkbenchPaths, resolve_inside


def test_defaults_come_from_the_repository() -> None:
    paths = WorkbenchPaths.create(create_outputs=False)
    assert (paths.project_root, paths.configs, paths.outputs, paths.data) == (
        REPO_ROOT, REPO_ROOT / "configs", REPO_ROOT / "outputs", REPO_ROOT / "data")
    assert paths.jobs_dir == REPO_ROOT / "outputs" / ".jobs"


def test_a_missing_configs_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="configs folder does not exist"):
        WorkbenchPaths.create(project_root=tmp_path)


def test_relative_folders_are_taken_from_the_current_directory(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "configs").mkdir()
    monkeypatch.chdir(tmp_path)
    paths = WorkbenchPaths.create(project_root=tmp_path, outputs="runs")
    assert paths.outputs == tmp_path / "runs" and paths.outputs.is_dir()


def test_resolve_inside_accepts_paths_in_a_root_and_rejects_escapes(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    (tmp_path / "secret").mkdir()
    (root / "data" / "link").symlink_to(tmp_path / "secret")

    assert resolve_inside("data", [root]) == root / "data"
    assert resolve_inside(root / "data" / "new.txt", [root]) == root / "data" / "new.txt"
    for escape in ["../secret", "data/../../secret", str(tmp_path / "secret"), "data/link", "data/link/x"]:
        with pytest.raises(PathOutsideRoots):
            resolve_inside(escape, [root])


def test_display_path_is_relative_inside_the_project_and_absolute_outside(tmp_path: Path) -> None:
    (tmp_path / "configs").mkdir()
    paths = WorkbenchPaths.create(project_root=tmp_path)
    assert paths.display_path(tmp_path / "outputs" / "run" / "best.ckpt") == "outputs/run/best.ckpt"
    assert paths.display_path("data/./samples/") == "data/samples"
    assert paths.display_path("/elsewhere/best.ckpt") == "/elsewhere/best.ckpt"

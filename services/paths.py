"""Where the workbench reads and writes, and the guard that keeps user-chosen paths inside those places.

Every path a user can pick (checkpoints, image folders, submission files) is resolved through ``resolve_inside``,
so a typed ``../../etc`` or a symlink pointing out of the project can never reach a runner or a download.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ocr.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[1]


class PathOutsideRoots(ValueError):
    """A user-supplied path that resolves (after ``..`` and symlinks) outside every allowed root."""

    def __init__(self, path: str | Path, roots: Iterable[Path]) -> None:
        self.path = str(path)
        self.roots = [str(root) for root in roots]
        super().__init__(f"{self.path} is outside the allowed folders: {', '.join(self.roots)}")


def resolve_inside(path: str | Path, roots: Iterable[str | Path], *, base: str | Path | None = None) -> Path:
    """Return the real absolute path of ``path`` if it lies inside one of ``roots``, else raise PathOutsideRoots.

    Relative paths are taken relative to ``base`` (default: the first root), because runners start in the project
    root and resolve relative command-line paths there. Both the path and the roots are resolved with symlinks
    followed, so neither ``..`` segments nor a symlink inside a root can escape it. The path need not exist.
    """
    root_list = [Path(root).resolve() for root in roots]
    if not root_list:
        raise PathOutsideRoots(path, [])
    candidate = Path(os.path.expanduser(str(path)))
    if not candidate.is_absolute():
        candidate = Path(base).resolve() / candidate if base is not None else root_list[0] / candidate
    real = candidate.resolve()
    for root in root_list:
        if real == root or real.is_relative_to(root):
            return real
    raise PathOutsideRoots(path, root_list)


def is_inside(path: str | Path, roots: Iterable[str | Path], *, base: str | Path | None = None) -> bool:
    """True when ``resolve_inside`` would accept ``path``."""
    try:
        resolve_inside(path, roots, base=base)
    except PathOutsideRoots:
        return False
    return True


@dataclass(frozen=True)
class WorkbenchPaths:
    """The four folders the app works with, absolute and validated.

    ``configs`` holds the Hydra configs and the UI YAML (``configs/ui``); ``outputs`` holds run folders and the job
    history (``outputs/.jobs``); ``data`` holds datasets and the bundled checkpoint (``data/checkpoints``).
    """

    project_root: Path
    configs: Path
    outputs: Path
    data: Path

    @classmethod
    def create(
        cls,
        project_root: str | Path | None = None,
        configs: str | Path | None = None,
        outputs: str | Path | None = None,
        data: str | Path | None = None,
        *,
        create_outputs: bool = True,
    ) -> WorkbenchPaths:
        """Fill in defaults from the repository, make everything absolute and check it is usable.

        Raises ConfigError when the configs folder is missing (nothing can work without it) or when a path exists
        but is not a folder. The outputs folder is created if missing, since the watcher and the job history need it.
        """
        root = Path(project_root).expanduser().resolve() if project_root is not None else REPO_ROOT
        paths = cls(
            project_root=root,
            configs=_absolute(configs, root, "configs"),
            outputs=_absolute(outputs, root, "outputs"),
            data=_absolute(data, root, "data"),
        )
        if not paths.configs.is_dir():
            raise ConfigError(paths.configs, "configs folder does not exist")
        for folder in (paths.outputs, paths.data):
            if folder.exists() and not folder.is_dir():
                raise ConfigError(folder, "exists but is not a folder")
        if create_outputs:
            paths.outputs.mkdir(parents=True, exist_ok=True)
        return paths

    @property
    def ui_configs(self) -> Path:
        """UI metadata and form schemas (not Hydra configs; Hydra never composes this folder)."""
        return self.configs / "ui"

    @property
    def jobs_dir(self) -> Path:
        """Job history: ``<id>.json`` records and ``<id>.log`` files, kept beside the runs they produced."""
        return self.outputs / ".jobs"

    @property
    def bundled_checkpoints(self) -> Path:
        return self.data / "checkpoints"

    @property
    def allowed_roots(self) -> tuple[Path, ...]:
        """Folders a user-chosen path may point into (project first: relative paths are resolved there)."""
        return tuple(dict.fromkeys((self.project_root, self.data, self.outputs)))

    def resolve_user_path(self, path: str | Path) -> Path:
        """``resolve_inside`` against the allowed roots, relative paths taken from the project root."""
        return resolve_inside(path, self.allowed_roots, base=self.project_root)

    def display_path(self, path: str | Path) -> str:
        """How a path is written on a command line: relative to the project root when inside it, else absolute.

        Jobs run with the project root as working directory, so the short relative form is exact there.
        """
        absolute = Path(path)
        if not absolute.is_absolute():
            absolute = self.project_root / absolute
        absolute = Path(os.path.normpath(absolute))
        try:
            return absolute.relative_to(self.project_root).as_posix()
        except ValueError:
            return absolute.as_posix()


def _absolute(value: str | Path | None, root: Path, default: str) -> Path:
    path = Path(value).expanduser() if value is not None else root / default
    if not path.is_absolute():
        path = Path.cwd() / path
    return path.resolve()

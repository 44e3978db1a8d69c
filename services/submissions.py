"""Submission files of finished predict runs (``<run>/submissions/*.json|*.csv``), for download buttons.

Only runs inside the outputs folder(s) are listed: the run folder comes from a job record or the user, and a download
must never serve a file from elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from services.paths import resolve_inside

SUBMISSION_SUFFIXES = (".json", ".csv")


@dataclass(frozen=True)
class SubmissionFile:
    path: Path
    name: str
    size: int
    mtime: datetime

    @property
    def kind(self) -> str:
        return self.path.suffix.lstrip(".")

    @property
    def size_text(self) -> str:
        size = float(self.size)
        for unit in ("B", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{self.size} B"


@dataclass(frozen=True)
class SubmissionRun:
    run_dir: Path
    name: str
    files: tuple[SubmissionFile, ...]


def list_submissions(run_dir: str | Path, allowed_roots: Iterable[Path]) -> list[SubmissionFile]:
    """JSON and CSV files in ``<run_dir>/submissions``, newest first; PathOutsideRoots for a foreign folder."""
    folder = resolve_inside(run_dir, allowed_roots) / "submissions"
    if not folder.is_dir():
        return []
    roots = list(allowed_roots)
    files = []
    for path in folder.iterdir():
        if path.suffix.lower() not in SUBMISSION_SUFFIXES or not path.is_file():
            continue
        real = resolve_inside(path, roots)  # a symlink inside submissions/ must not point elsewhere
        stat = real.stat()
        files.append(SubmissionFile(real, path.name, stat.st_size, datetime.fromtimestamp(stat.st_mtime)))
    return sorted(files, key=lambda item: (item.mtime, item.name), reverse=True)


def list_submission_runs(outputs_roots: Iterable[Path]) -> list[SubmissionRun]:
    """Every run folder that has submission files, newest first (for a Predict "recent submissions" list)."""
    roots = [Path(root).resolve() for root in outputs_roots]
    runs = []
    for root in roots:
        if not root.is_dir():
            continue
        for run_dir in root.iterdir():
            if run_dir.name.startswith(".") or not (run_dir / "submissions").is_dir():
                continue
            files = tuple(list_submissions(run_dir, roots))
            if files:
                runs.append(SubmissionRun(run_dir, run_dir.name, files))
    return sorted(runs, key=lambda run: max(file.mtime for file in run.files), reverse=True)

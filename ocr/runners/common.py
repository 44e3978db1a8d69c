"""What the three Hydra runners share: config location, path resolution, error reporting, trainer building."""

from __future__ import annotations

import functools
import logging
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from ocr.errors import OcrError, one_line

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_DIR = Path(os.environ.get("OCRW_CONFIGS", PROJECT_ROOT / "configs")).resolve()

log = logging.getLogger("ocr.runner")


def slug(text: str) -> str:
    """A folder-safe version of a free-text experiment name ("my run/ü" -> "my_run_ü")."""
    cleaned = re.sub(r"[^\w.-]+", "_", str(text), flags=re.UNICODE).strip("._")
    return cleaned[:80] or "run"


if not OmegaConf.has_resolver("ocrw_slug"):
    OmegaConf.register_new_resolver("ocrw_slug", slug)


def resolve_path(path: str | os.PathLike[str] | None) -> Path | None:
    """Relative paths are taken from the folder the command was started in, never Hydra's run folder."""
    if path is None or str(path) == "":
        return None
    from hydra.utils import get_original_cwd

    candidate = Path(os.path.expanduser(str(path)))
    if candidate.is_absolute():
        return candidate
    try:
        base = Path(get_original_cwd())
    except ValueError:  # not inside a Hydra app (tests, dashboard)
        base = Path.cwd()
    return (base / candidate).resolve()


def run_dir() -> Path:
    from hydra.core.hydra_config import HydraConfig

    return Path(HydraConfig.get().runtime.output_dir)


def friendly_errors(task: Callable[[DictConfig], Any]) -> Callable[[DictConfig], Any]:
    """Turn expected failures (bad files, bad options) into one ``error: ...`` line and exit status 2."""

    @functools.wraps(task)
    def wrapper(cfg: DictConfig) -> Any:
        try:
            return task(cfg)
        except OcrError as error:
            message = one_line(error)
            log.error("error: %s", message)
            print(f"error: {message}", file=sys.stderr, flush=True)
            sys.exit(2)
        except (ValueError, KeyError, RuntimeError) as error:
            worker_error = "DataLoader worker" in str(error)  # an engine error re-raised by torch
            if os.environ.get("OCRW_DEBUG") or (isinstance(error, RuntimeError) and not worker_error):
                raise
            message = one_line(error)
            log.error("error: %s", message)
            print(f"error: {message}", file=sys.stderr, flush=True)
            sys.exit(2)

    return wrapper


def preprocessing_steps(cfg: DictConfig) -> list[dict[str, Any]]:
    steps = (cfg.get("preprocessing") or {}).get("steps")
    if steps is None:
        return []
    return list(OmegaConf.to_container(steps, resolve=True))  # type: ignore[arg-type]


def build_loggers(cfg: DictConfig, folder: Path) -> list[Any]:
    from lightning.pytorch.loggers import CSVLogger

    loggers: list[Any] = []
    if cfg.logger.get("csv", True):
        loggers.append(CSVLogger(save_dir=str(folder), name="logs", version=""))
    wandb_cfg = cfg.logger.get("wandb") or {}
    if wandb_cfg.get("enabled", False):
        try:
            import wandb  # noqa: F401
        except ImportError:
            raise OcrError(
                None, "logger.wandb.enabled=true but the wandb package is not installed (pip install wandb)"
            ) from None
        from lightning.pytorch.loggers import WandbLogger

        loggers.append(
            WandbLogger(
                project=wandb_cfg.get("project", "ocr-workbench"),
                name=str(cfg.exp_name),
                save_dir=str(folder),
                offline=wandb_cfg.get("mode", "offline") == "offline",
            )
        )
    return loggers


def trainer_kwargs(cfg: DictConfig) -> dict[str, Any]:
    """The ``trainer`` section as Lightning kwargs; nulls are dropped so Lightning's defaults apply."""
    options = OmegaConf.to_container(cfg.trainer, resolve=True)
    assert isinstance(options, dict)
    return {key: value for key, value in options.items() if value is not None}


EVALUATION_TRAINER_KEYS = frozenset(
    {"accelerator", "devices", "strategy", "num_nodes", "precision", "limit_test_batches", "enable_progress_bar"}
)


def evaluation_trainer_kwargs(cfg: DictConfig) -> dict[str, Any]:
    """The part of the ``trainer`` section that test and predict use (no epochs, clipping or accumulation)."""
    return {key: value for key, value in trainer_kwargs(cfg).items() if key in EVALUATION_TRAINER_KEYS}


def single_log_handler() -> None:
    """Lightning adds its own console handlers; Hydra's root handlers (console + run log file) are enough."""
    import warnings

    warnings.filterwarnings("ignore", message=".*transfer_batch_to_device.*")
    warnings.filterwarnings("ignore", message=".*LeafSpec.*")
    warnings.filterwarnings("ignore", message=".*litlogger.*")
    for name in ("lightning", "lightning.pytorch", "lightning.fabric"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    rank_zero = logging.getLogger("lightning.pytorch.utilities.rank_zero")
    rank_zero.addFilter(lambda record: "Tip:" not in record.getMessage())


def announce_run_dir(folder: Path) -> None:
    from ocr.runners.progress import format_run_dir

    single_log_handler()
    print(format_run_dir(str(folder)), flush=True)

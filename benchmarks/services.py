"""Services benchmark: checkpoint-catalog refresh with 200 checkpoints, cached look-ups, schema/config loads.

Usage: ``python benchmarks/services.py [--checkpoints 200] [--json OUT]``. Everything runs in a temporary folder with
fake sidecars and small checkpoint files (the sidecar path never touches torch). The catalog's 200 ms stability
window is set to 0 here: it is a wait, not work, and would otherwise dominate every refresh figure.
Prints ``name  median_ms  p90_ms  n`` per operation.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.checkpoint_catalog import CheckpointCatalog
from services.command_builder import CatalogFormContext
from services.config_catalog import ConfigCatalog
from services.dry_run import dry_run_command
from services.forms.resolver import resolve_form
from services.paths import REPO_ROOT, WorkbenchPaths


def make_project(root: Path, count: int) -> WorkbenchPaths:
    shutil.copytree(REPO_ROOT / "configs", root / "configs")
    (root / "data" / "checkpoints").mkdir(parents=True)
    start = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    for index in range(count):
        run = root / "outputs" / f"run_{index // 2:03d}" / "checkpoints"
        run.mkdir(parents=True, exist_ok=True)
        kind = "best" if index % 2 == 0 else "last"
        checkpoint = run / f"{kind}.ckpt"
        checkpoint.write_bytes(b"PK" + bytes(4096))
        meta = {
            "format": "ocr-workbench/checkpoint-v1", "architecture": "dbnet_lite",
            "components": {"encoder": "mobilenetv3_large", "decoder": "fpn", "head": "db_head", "loss": "db_loss"},
            "epoch": index % 40, "step": index * 10, "metrics": {"val/hmean": 0.5 + (index % 50) / 100},
            "created": (start + timedelta(minutes=index)).isoformat(), "kind": kind, "exp_name": f"run_{index // 2}",
            "run_dir": str(run.parent), "image_size": 960, "preprocessing": "none",
            "model_config": {"architecture": "dbnet_lite", "encoder": {"name": "mobilenetv3_large"}},
        }
        checkpoint.with_name(checkpoint.name + ".meta.json").write_text(json.dumps(meta))
    return WorkbenchPaths.create(project_root=root)


def measure(name: str, operation: Callable[[], object], n: int, setup: Callable[[], None] | None = None) -> dict:
    timings = []
    for _ in range(n):
        if setup is not None:
            setup()
        began = time.perf_counter()
        operation()
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p90 = timings[min(len(timings) - 1, round(0.9 * (len(timings) - 1)))]
    return {"name": name, "median_ms": statistics.median(timings), "p90_ms": p90, "n": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoints", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ocrw-bench-") as temporary:
        paths = make_project(Path(temporary), args.checkpoints)

        def new_catalog() -> CheckpointCatalog:
            return CheckpointCatalog([paths.outputs], paths.bundled_checkpoints, display=paths.display_path,
                                     stable_after_s=0.0)

        def full_refresh(catalog: CheckpointCatalog) -> None:
            catalog.observe(catalog.scan_paths())
            catalog.check_pending()

        holder: dict[str, CheckpointCatalog] = {}
        results = [
            measure(f"checkpoints.refresh_cold[{args.checkpoints}]", lambda: full_refresh(holder["c"]), 20,
                    setup=lambda: holder.__setitem__("c", new_catalog())),
        ]
        warm = new_catalog()
        full_refresh(warm)
        assert len(warm.entries()) == args.checkpoints
        results.append(measure(f"checkpoints.rescan_unchanged[{args.checkpoints}]", lambda: full_refresh(warm), 20))
        counter = iter(range(10**6))

        def add_one() -> None:
            path = paths.outputs / "incoming" / f"new_{next(counter)}.ckpt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"PK" + bytes(1024))
            path.with_name(path.name + ".meta.json").write_text('{"format": "ocr-workbench/checkpoint-v1"}')
            holder["new"] = path

        results.append(measure("checkpoints.incremental_add_one", lambda: (warm.observe([holder["new"]]),
                                                                           warm.check_pending()), 50, setup=add_one))
        values = [entry.value for entry in warm.entries()]
        results.append(measure("checkpoints.options_cached", warm.options, 1000))
        results.append(measure("checkpoints.lookup_cached", lambda: warm.metadata_for(values[len(values) // 2]), 1000))

        results.append(measure("configs.load_all", lambda: ConfigCatalog(paths.configs).load(), 20))
        configs = ConfigCatalog(paths.configs)
        configs.load()
        schema_file = paths.ui_configs / "schemas" / "train.yaml"
        results.append(measure("configs.reload_one_schema", lambda: configs.reload_files([schema_file]), 50))
        results.append(measure("configs.schema_lookup_cached", lambda: configs.schema("train"), 1000))

        context = CatalogFormContext(configs, warm, paths)
        train = configs.schema("train")
        test = configs.schema("test")
        results.append(measure("forms.resolve_train_and_command",
                               lambda: resolve_form(train, {"exp_name": "bench run"}, context).command, 200))
        results.append(measure("forms.resolve_test_with_checkpoint",
                               lambda: resolve_form(test, {"checkpoint": values[0]}, context).command, 200))
        command = resolve_form(train, {}, context).command
        dry_run_command(paths.configs, command, configs.groups)  # first call imports Hydra
        results.append(measure("dry_run.train_compose", lambda: dry_run_command(paths.configs, command,
                                                                                 configs.groups), 10))

    width = max(len(result["name"]) for result in results)
    print(f"{'name':<{width}}  {'median_ms':>9}  {'p90_ms':>8}  {'n':>5}")
    for result in results:
        print(f"{result['name']:<{width}}  {result['median_ms']:>9.3f}  {result['p90_ms']:>8.3f}  {result['n']:>5}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"checkpoints": args.checkpoints, "results": results}, indent=2))


if __name__ == "__main__":
    main()
